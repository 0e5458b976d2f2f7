//! Shared by the property-test files: modest case counts by default (CI), more on demand.

#![allow(dead_code)]

use proptest::test_runner::Config as ProptestConfig;

/// `n`, or `PROPTEST_CASES` when it is set (`PROPTEST_CASES=10000 cargo test` for long runs).
pub fn case_count(n: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n)
}

/// A proptest configuration with [`case_count`] cases.
pub fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: case_count(n),
        ..ProptestConfig::default()
    }
}
