//! Listings come in pages (`paginate_by`): every story is reachable from
//! the home page by following "next", every pagination link resolves, and
//! the sitemap lists every page.

mod support;

use std::collections::BTreeSet;
use std::fs;

use scraper::{Html, Selector};
use support::SiteTest;

fn select(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

/// The output file an in-site link (`/page/2/`) points at.
fn file_of(link: &str) -> String {
    let path = link.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

#[test]
fn every_story_and_person_is_reachable_through_the_pages() {
    let site = SiteTest::fixture("record");
    let settings = site.root.join("site.toml");
    let text = fs::read_to_string(&settings).expect("site.toml");
    fs::write(&settings, format!("paginate_by = 1\n{text}")).expect("written");
    let site = site.build().succeeded();

    for (first, item, expected) in [
        ("/", ".cards h2 a, .cards h3 a", 2),
        ("/people/", ".people-list > li > a", 4),
    ] {
        let mut found = BTreeSet::new();
        let mut next = Some(first.to_owned());
        let mut visited = 0;
        while let Some(link) = next.take() {
            let page = Html::parse_document(&site.page(&file_of(&link)).text);
            visited += 1;
            for anchor in page.select(&select(item)) {
                found.insert(anchor.value().attr("href").expect("href").to_owned());
            }
            for anchor in page.select(&select(".pagination a")) {
                let href = anchor.value().attr("href").expect("href");
                assert!(site.has(&file_of(href)), "{link}: {href} does not resolve");
            }
            let rel_next = page
                .select(&select(r#"link[rel="next"]"#))
                .next()
                .and_then(|tag| tag.value().attr("href"))
                .map(str::to_owned);
            let nav_next = page
                .select(&select(r#".pagination a[rel="next"]"#))
                .next()
                .and_then(|tag| tag.value().attr("href"))
                .map(str::to_owned);
            assert_eq!(rel_next, nav_next, "{link}: head and nav agree");
            next = rel_next;
        }
        assert_eq!(visited, expected, "{first}: one page per item");
        assert_eq!(found.len(), expected, "{first}: every item once: {found:?}");
    }
    site.page("page/2/index.html")
        .contains(r#"<link rel="prev" href="/">"#)
        .contains("<title>Stories, page 2 · Record</title>");
    site.page("sitemap.xml")
        .contains("<loc>https://example.org/page/2/</loc>")
        .contains("<loc>https://example.org/people/page/4/</loc>")
        .lacks("/page/1/");
    assert!(!site.has("page/3/index.html"));
}

#[test]
fn paginate_by_must_be_a_positive_whole_number() {
    let site = SiteTest::fixture("record");
    let settings = site.root.join("site.toml");
    let text = fs::read_to_string(&settings).expect("site.toml");
    fs::write(&settings, format!("paginate_by = 0\n{text}")).expect("written");
    let site = site.build();
    assert_eq!(site.exit_code(), 1);
    assert!(
        site.stderr().contains("site.toml:1:15"),
        "{}",
        site.stderr()
    );
    assert!(site.stderr().contains("at least 1"), "{}", site.stderr());
}
