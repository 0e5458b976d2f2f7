//! Placeholder: this benchmark lands with its issue.
fn main() {}
