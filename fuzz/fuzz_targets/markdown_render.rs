//! Any story body, with annotations to two known ids: rendering never
//! panics, problems point inside the file, and (raw HTML off) the HTML has
//! no script, no event handler and no `javascript:` link.
#![no_main]

use std::collections::HashMap;

use backtrack::diagnostics::SourceFile;
use backtrack::load::markdown::{Target, render};
use libfuzzer_sys::fuzz_target;
use scraper::Html;

fuzz_target!(|text: &str| {
    let file = SourceFile::new("content/fuzz.md", text);
    let ids = HashMap::from([
        ("q1".to_owned(), Target::Entry),
        ("r1".to_owned(), Target::Reaction),
    ]);
    let body = render(text, 0, &file, &ids, false);
    for problem in &body.problems {
        assert!(
            text.get(problem.span.clone()).is_some(),
            "{:?}",
            problem.span
        );
    }
    let html = Html::parse_fragment(&body.html);
    for element in html
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = element.value().name();
        assert!(
            !matches!(name, "script" | "iframe" | "object" | "embed" | "style"),
            "<{name}> from Markdown: {}",
            body.html
        );
        for (attribute, value) in element.value().attrs() {
            assert!(!attribute.starts_with("on"), "{attribute} in {}", body.html);
            let value = value.trim().to_ascii_lowercase();
            assert!(
                !value.starts_with("javascript:") && !value.starts_with("vbscript:"),
                "{attribute}={value}"
            );
        }
    }
});
