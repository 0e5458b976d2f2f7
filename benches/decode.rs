//! Placeholder until the manifest decoder lands.
fn main() {}
