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

/// The book's manifests (examples/manifests), by file name, in an in-memory file system.
pub fn book_files() -> kube_workloads::sim::shell::MemoryFs {
    let mut fs = kube_workloads::sim::shell::MemoryFs::default();
    for (name, text) in [
        (
            "sample-pod.yaml",
            include_str!("../../examples/manifests/sample-pod.yaml"),
        ),
        (
            "sample-2pod.yaml",
            include_str!("../../examples/manifests/sample-2pod.yaml"),
        ),
        (
            "sample-rs.yaml",
            include_str!("../../examples/manifests/sample-rs.yaml"),
        ),
        (
            "sample-deployment.yaml",
            include_str!("../../examples/manifests/sample-deployment.yaml"),
        ),
    ] {
        fs.insert(name, text);
    }
    fs
}
