//! Rebuilds the binary when a file is added to or removed from the built-in
//! theme (`templates/`, `static/`). The theme is embedded with `include_dir!`,
//! which tracks the files it read but, on stable Rust, not their folders.

fn main() {
    println!("cargo::rerun-if-changed=templates");
    println!("cargo::rerun-if-changed=static");
}
