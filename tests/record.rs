//! The record is the same on every page: each statement's and reaction's
//! time, and each reversal's wording, read off the story page, equal what
//! its person page, the JSON export and the JSON-LD say of it. One walker
//! reads every HTML page the same way; the `record` fixture has reactions
//! with and without their own `at`, a person who reverses twice in a row,
//! reversed events and a reversal across a daylight-saving change.

mod support;

use std::collections::BTreeMap;
use std::fs;

use scraper::{ElementRef, Html};
use serde_json::Value;
use support::{SiteTest, select, text_of};

/// What a page says of one statement, event or reaction.
#[derive(Debug, Clone, PartialEq)]
struct Said {
    /// `<time datetime>` of its own time, if the page shows one.
    time: Option<String>,
    /// The reversal lines ("Full reversal, 13 hours later: walks back …",
    /// "Walked back … by …"), whitespace collapsed.
    reversals: Vec<String>,
}

/// Everything `html` (the page at `path`, e.g. `budget/index.html`) says of
/// the record, keyed by the story page anchor it is about (`/budget/#entry-cut`).
fn record_on(html: &str, path: &str) -> BTreeMap<String, Said> {
    let page = Html::parse_document(html);
    let story_path = format!("/{}", path.trim_end_matches("index.html"));
    let mut found = BTreeMap::new();
    for item in page.select(&select("li.entry, li.reaction, li.quote")) {
        let key = match item.value().id() {
            Some(id) => format!("{story_path}#{id}"),
            None => item
                .select(&select("a.in-story"))
                .next()
                .and_then(|link| link.value().attr("href"))
                .expect("a quote links to its story")
                .to_owned(),
        };
        let time = item
            .select(&select(".when time, .meta time"))
            .find(|time| {
                !time
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .any(|parent| parent.value().classes().any(|class| class == "undated"))
            })
            .and_then(|time| time.value().attr("datetime"))
            .map(str::to_owned);
        let reversals = item
            .select(&select(".walks-back, .reversed-by"))
            .map(text_of)
            .collect();
        let said = Said { time, reversals };
        assert!(
            found.insert(key.clone(), said).is_none(),
            "{path}: {key} shown twice"
        );
    }
    found
}

fn json_ld_of(html: &str) -> Value {
    let page = Html::parse_document(html);
    let script = page
        .select(&select(r#"script[type="application/ld+json"]"#))
        .next()
        .expect("JSON-LD on the story page");
    serde_json::from_str(&script.text().collect::<String>()).expect("JSON-LD parses")
}

#[test]
fn every_page_tells_the_record_as_the_story_page_does() {
    let site = SiteTest::fixture("record").build().succeeded();
    let export: Value =
        serde_json::from_slice(&fs::read(site.output.join("stories.json")).expect("export"))
            .expect("export parses");
    let stories = export["stories"].as_array().expect("stories");

    let mut on_story_pages = BTreeMap::new();
    for story in stories {
        let slug = story["slug"].as_str().expect("slug");
        let path = format!("{slug}/index.html");
        let html = site.page(&path).text.clone();
        let record = record_on(&html, &path);
        // The export: the same time for every entry and reaction, and each
        // reversal's gap in the story page's wording at both ends.
        for entry in story["timeline"].as_array().expect("timeline") {
            let key = format!("/{slug}/#entry-{}", entry["id"].as_str().expect("id"));
            let said = &record[&key];
            assert_eq!(said.time.as_deref(), entry["at"].as_str(), "{key}: time");
            if let Some(gap) = entry["gap"].as_str() {
                assert!(
                    said.reversals
                        .iter()
                        .any(|line| line.contains(&format!(", {gap}: walks back"))),
                    "{key}: {said:?} lacks the gap {gap}"
                );
                let target = format!(
                    "/{slug}/#entry-{}",
                    entry["reverses"].as_str().expect("reverses")
                );
                assert!(
                    record[&target]
                        .reversals
                        .iter()
                        .any(|line| line.contains(&format!("alked back {gap} by"))),
                    "{target}: {:?} lacks the gap {gap}",
                    record[&target]
                );
            }
        }
        for reaction in story["reactions"].as_array().expect("reactions") {
            let key = format!("/{slug}/#reaction-{}", reaction["id"].as_str().expect("id"));
            assert_eq!(
                record[&key].time.as_deref(),
                reaction["at"].as_str(),
                "{key}: time"
            );
        }
        // The JSON-LD: each quotation's date is its statement's or reaction's own.
        let said_at: BTreeMap<&str, Option<&str>> = story["timeline"]
            .as_array()
            .into_iter()
            .chain(story["reactions"].as_array())
            .flatten()
            .filter_map(|item| Some((item["said"].as_str()?, item["at"].as_str())))
            .collect();
        for quotation in json_ld_of(&html)["citation"].as_array().expect("citations") {
            let text = quotation["text"].as_str().expect("text");
            assert_eq!(
                quotation["dateCreated"].as_str(),
                said_at[text],
                "JSON-LD date of {text:?}"
            );
        }
        on_story_pages.extend(record);
    }

    // Person pages: the same time and the same reversal lines as the story page.
    let mut seen = 0;
    for person in fs::read_dir(site.output.join("people")).expect("people pages") {
        let person = person.expect("entry");
        if !person.path().is_dir() {
            continue;
        }
        let path = format!("people/{}/index.html", person.file_name().to_string_lossy());
        for (key, said) in record_on(&site.page(&path).text, &path) {
            assert_eq!(Some(&said), on_story_pages.get(&key), "{path}: {key}");
            seen += 1;
        }
    }
    let by_someone = on_story_pages.len();
    assert_eq!(
        seen, by_someone,
        "every entry and reaction is on a person page"
    );
}

#[test]
fn reactions_keep_their_own_time_or_say_they_have_none() {
    let site = SiteTest::fixture("record").build().succeeded();
    site.page("people/critic/index.html")
        .contains(
            r#"<time datetime="2024-03-12T14:00:00-04:00">March 12, 2024, 2:00 p.m. EDT</time>"#,
        )
        .lacks("6:00 p.m.");
    site.page("people/fan/index.html")
        .contains(r#"No time given; the story is dated <time datetime="2024-03-12T18:00:00-04:00">March 12, 2024</time>"#)
        .contains(r#"<time datetime="2024-03-13">March 13, 2024</time>"#)
        .lacks("6:00 p.m.");
}

#[test]
fn a_reversal_reads_the_same_way_round_on_every_page() {
    let site = SiteTest::fixture("record").build().succeeded();
    for path in ["budget/index.html", "people/gov/index.html"] {
        site.page(path)
            .contains("Walked back 13 hours later by")
            .contains("“There will be no cut.”")
            .contains("Full reversal</strong>, 13 hours later: walks back")
            .contains("Partly walked back 2 days later by")
            .contains("Half reversal</strong>, 2 days later: walks back");
    }
    // The person page lists the walk-backs as reversals, and the statement
    // that was walked back is marked so.
    let page = site.page("people/gov/index.html");
    let record = record_on(&page.text, "people/gov/index.html");
    let cut = &record["/budget/#entry-cut"];
    assert_eq!(cut.reversals.len(), 1, "{cut:?}");
    assert!(cut.reversals[0].starts_with("Walked back 13 hours later by “There will be no cut.”"));
    let no_cut = &record["/budget/#entry-no-cut"];
    assert_eq!(no_cut.reversals.len(), 2, "{no_cut:?}");
}

#[test]
fn events_are_never_put_in_quotation_marks() {
    let site = SiteTest::fixture("record").build().succeeded();
    for path in ["budget/index.html", "people/aide/index.html"] {
        site.page(path)
            .contains("Walked back 2 days later by <a")
            .contains(">The memo is withdrawn</a>")
            .contains(">A memo proposing the cut reaches reporters</a>")
            .lacks("“The memo is withdrawn")
            .lacks("“A memo proposing");
    }
}
