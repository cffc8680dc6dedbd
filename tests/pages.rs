//! The sample site's pages, one of each kind, as snapshots (insta): a change
//! to a template, a view or the way times and gaps are written shows here as
//! a diff to review. After an intended change, review and accept the new
//! snapshots with `cargo insta review` (cargo-insta), or write them with
//! `INSTA_UPDATE=always cargo test --test pages` and read the diff in git.

mod support;

use support::SiteTest;

macro_rules! page_kinds {
    ($($kind:ident => $path:literal,)*) => {
        $(
            #[test]
            fn $kind() {
                let site = SiteTest::sample().build().succeeded();
                insta::assert_snapshot!(stringify!($kind), site.page($path).text);
            }
        )*
    };
}

page_kinds! {
    home => "index.html",
    story => "trump-putin-cyber-unit/index.html",
    embed => "embed/trump-putin-cyber-unit/index.html",
    people => "people/index.html",
    person => "people/trump/index.html",
    tags => "tags/index.html",
    tag => "tags/russia/index.html",
    not_found => "404.html",
    atom => "atom.xml",
    sitemap => "sitemap.xml",
}

/// The export is one line; pretty-printed, a change reads as a diff.
#[test]
fn json_export() {
    let site = SiteTest::sample().build().succeeded();
    let export: serde_json::Value =
        serde_json::from_str(&site.page("stories.json").text).expect("stories.json is JSON");
    let pretty = serde_json::to_string_pretty(&export).expect("serializes");
    insta::assert_snapshot!("json_export", pretty);
}
