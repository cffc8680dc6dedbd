//! Any text as a story file: parsing never panics, and every problem it
//! reports points inside the file it names.
#![no_main]

use std::sync::{Arc, LazyLock};

use backtrack::config::Config;
use backtrack::diagnostics::SourceFile;
use backtrack::load::people::Registry;
use backtrack::load::story::{Context, parse};
use libfuzzer_sys::fuzz_target;

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let site = SourceFile::new(
        "site.toml",
        "title = \"Fuzz\"\nbase_url = \"https://example.org/\"\n",
    );
    Config::parse(&site, None).expect("a valid site.toml")
});

fuzz_target!(|text: &str| {
    let file = SourceFile::new("content/fuzz.md", text);
    let registry = Registry::new();
    let context = Context::new(&CONFIG, &registry);
    if let Err(problems) = parse(&file, "fuzz".to_owned(), &context) {
        assert!(!problems.is_empty(), "a failure with no problem named");
        for problem in problems {
            assert!(Arc::ptr_eq(&problem.file, &file), "{}", problem.message);
            assert!(
                text.get(problem.span.clone()).is_some(),
                "{:?} outside the file ({} bytes): {}",
                problem.span,
                text.len(),
                problem.message
            );
        }
    }
});
