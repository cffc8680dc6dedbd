//! The `backtrack` command line.
fn main() {}
