//! `backtrack build` on real fixture sites: the pages that come out.

mod support;

use std::fs;
use std::path::Path;

use backtrack::incremental::{Dirty, Session};
use backtrack::pipeline::Options;
use backtrack::social_cards::SocialCards;
use support::SiteTest;

#[test]
fn the_timeline_is_in_time_order_with_each_reversal_joined_and_timed() {
    let site = SiteTest::fixture("explainer").build().succeeded();
    let page = site.page("flip-flops/index.html");
    page.in_order("Years: yes.", "Years: no.")
        .in_order("Years: no.", "Minutes: yes.")
        .in_order("Minutes: no.", "Hours: yes.")
        .in_order("Hours: no.", "Day: yes.")
        .in_order("Day: no.", "Days: yes.");
    for gap in [
        "20 minutes later",
        "13 hours later",
        "the next day",
        "4 days later",
        "about 3 years later",
    ] {
        page.contains(gap);
    }
    page.contains(r##"<li class="entry statement reversal flip-full" id="entry-hours-b">"##)
        .contains(r##"walks back <a href="#entry-hours-a">"##)
        .contains(r##"<li class="entry statement reversal flip-half" id="entry-minutes-b">"##)
        .contains("Half reversal")
        .contains(r##"Walked back 13 hours later by <a href="#entry-hours-b">"##)
        .contains(r#"<time datetime="2020-01-02T07:50:00+00:00">"#)
        .contains(r#"<time datetime="2020-01-03">January 3, 2020</time>"#);
}

#[test]
fn annotations_link_the_text_and_the_entries_both_ways() {
    let site = SiteTest::fixture("explainer").build().succeeded();
    site.page("flip-flops/index.html")
        .contains(r##"<a class="annotation" id="ann-hours-a" href="#entry-hours-a">said yes</a>"##)
        .contains(r##"<a href="#ann-hours-a">↑ In the story</a>"##)
        .contains(r##"<a class="annotation" id="ann-shrug" href="#reaction-shrug">shrug</a>"##);
}

#[test]
fn reactions_are_grouped_by_stance_and_tallied_by_party() {
    let site = SiteTest::fixture("explainer").build().succeeded();
    site.page("flip-flops/index.html")
        .contains("3 critical: 2 R, 1 D")
        .contains("1 supportive</span>")
        .lacks("1 no party")
        .contains("1 neutral: 1 D")
        .in_order("3 critical", "1 supportive")
        .in_order("1 supportive", "1 neutral")
        .lacks("mixed:");
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let site = SiteTest::fixture("hostile").build().succeeded();
    for path in [
        "hostile/index.html",
        "index.html",
        "people/evil/index.html",
        "people/index.html",
        "tags/index.html",
        "atom.xml",
    ] {
        let page = site.page(path);
        page.lacks("<script>alert").lacks("<img src=x");
    }
    let story = site.page("hostile/index.html");
    story
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .lacks("javascript:")
        .lacks("data:text/html")
        .contains(r#"href="https://example.org/""#);
    let json_ld_start = story.text.find("application/ld+json").expect("JSON-LD");
    let json_ld = &story.text[json_ld_start..];
    let json_ld = &json_ld
        [json_ld.find('>').expect("tag end") + 1..json_ld.find("</script>").expect("closed")];
    let value: serde_json::Value = serde_json::from_str(json_ld).expect("JSON-LD is valid JSON");
    assert!(
        value["headline"]
            .as_str()
            .expect("headline")
            .contains("<script>")
    );
}

/// Every page of the `hostile` fixture, whose every field that reaches a
/// page carries markup, quotes and event handlers, parsed as a browser would:
/// no element or attribute there comes from the content, only from the theme.
#[test]
fn no_element_or_attribute_comes_from_the_content() {
    let site = SiteTest::fixture("hostile").build().succeeded();
    let pages: Vec<_> = walkdir::WalkDir::new(&site.output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "html"))
        .map(|entry| entry.into_path())
        .collect();
    assert!(pages.len() >= 6, "{pages:?}");
    let every = scraper::Selector::parse("*").expect("selector");
    for path in pages {
        let html = std::fs::read_to_string(&path).expect("page");
        let page = scraper::Html::parse_document(&html);
        for element in page.select(&every) {
            let element = element.value();
            let name = element.name();
            // The theme's own: the timeline graphic and its key's icons.
            let theme_svg = name == "svg"
                && (element.attr("class") == Some("tl-graphic")
                    || element.attr("aria-hidden") == Some("true"));
            assert!(
                theme_svg
                    || !matches!(name, "img" | "iframe" | "object" | "embed" | "svg" | "form"),
                "{}: <{name}> from the content",
                path.display()
            );
            // The theme's script, not the content's.
            let theme_script = element
                .attr("src")
                .is_some_and(|src| src.ends_with("/backtrack.js"));
            if name == "script" && !theme_script {
                assert_eq!(
                    element.attr("type"),
                    Some("application/ld+json"),
                    "{}: a script of the content's",
                    path.display()
                );
            }
            for (attribute, value) in element.attrs() {
                assert!(
                    !attribute.starts_with("on") && attribute != "style" && attribute != "srcdoc",
                    "{}: <{name} {attribute}={value:?}>",
                    path.display()
                );
                let scheme = value.trim_start().to_ascii_lowercase();
                assert!(
                    !["javascript:", "data:", "vbscript:"]
                        .iter()
                        .any(|bad| scheme.starts_with(bad)),
                    "{}: <{name} {attribute}={value:?}>",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn every_url_honours_a_subpath_base_url() {
    let site = SiteTest::fixture("subpath").build().succeeded();
    site.page("deep/story/index.html")
        .contains(r#"href="/news/style.css""#)
        .contains(r#"href="/news/people/p/""#)
        .contains(r#"href="/news/tags/paths/""#)
        .contains(r#"<link rel="canonical" href="https://example.org/news/deep/story/">"#)
        .lacks(r#"href="/people"#);
    site.page("404.html").contains(r#"href="/news/style.css""#);
    site.page("atom.xml")
        .contains("<id>https://example.org/news/deep/story/</id>");
    site.page("sitemap.xml")
        .contains("<loc>https://example.org/news/deep/story/</loc>");
}

#[test]
fn atom_and_sitemap_are_well_formed() {
    let site = SiteTest::fixture("explainer").build().succeeded();
    let atom = site.page("atom.xml").text;
    let feed = roxmltree::Document::parse(&atom).expect("Atom parses as XML");
    let root = feed.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    for required in ["id", "title", "updated"] {
        assert!(
            root.children().any(|n| n.has_tag_name(required)),
            "feed lacks {required}"
        );
    }
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 1);
    assert!(entries[0].children().any(|n| n.has_tag_name("updated")));
    let sitemap = site.page("sitemap.xml").text;
    let urls = roxmltree::Document::parse(&sitemap).expect("sitemap parses as XML");
    let locs: Vec<&str> = urls
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        locs.contains(&"https://example.org/flip-flops/"),
        "{locs:?}"
    );
    assert!(
        locs.contains(&"https://example.org/people/mayor/"),
        "{locs:?}"
    );
    assert!(
        locs.contains(&"https://example.org/tags/timing/"),
        "{locs:?}"
    );
}

#[test]
fn the_json_export_holds_people_timeline_and_reactions() {
    let site = SiteTest::fixture("explainer").build().succeeded();
    let export: serde_json::Value =
        serde_json::from_str(&site.page("stories.json").text).expect("valid JSON");
    let story = &export["stories"][0];
    assert_eq!(export["version"], 1);
    assert_eq!(story["slug"], "flip-flops");
    assert_eq!(story["people"]["r1"]["party"], "R");
    assert_eq!(story["timeline"].as_array().expect("timeline").len(), 10);
    let hours_b = story["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|entry| entry["id"] == "hours-b")
        .expect("hours-b");
    assert_eq!(hours_b["reverses"], "hours-a");
    assert_eq!(hours_b["flip"], "full");
    assert_eq!(hours_b["gap"], "13 hours later");
    assert_eq!(story["reactions"][4]["id"], "shrug");
    assert_eq!(story["reactions"][0]["id"], "reaction-1");
    let pretty = serde_json::to_string_pretty(&export).expect("serializes");
    insta::assert_snapshot!("explainer_export", pretty);
}

/// The export is written a batch of stories at a time (1,024 per batch):
/// across batches it stays one array, newest first, each story once.
#[test]
fn the_json_export_of_a_large_archive_is_one_array_newest_first() {
    const STORIES: usize = 2_100;
    let site = SiteTest::fixture("drafts");
    // 2,100 social cards would take most of this test's time, and say
    // nothing about the export.
    let settings = site.root.join("site.toml");
    let text = fs::read_to_string(&settings).expect("settings");
    fs::write(&settings, format!("{text}social_cards = false\n")).expect("settings written");
    let content = site.root.join("content");
    fs::remove_dir_all(&content).expect("fixture content removed");
    fs::create_dir_all(&content).expect("content folder");
    for day in 0..STORIES {
        let published = jiff::civil::date(2001, 1, 1)
            .checked_add(jiff::Span::new().days(i64::try_from(day).expect("small")))
            .expect("in range");
        let story = format!("+++\ntitle = \"Day {day}\"\npublished = {published}\n+++\nText.\n");
        fs::write(content.join(format!("day-{day:04}.md")), story).expect("story written");
    }
    let site = site.build().succeeded();
    let export: serde_json::Value =
        serde_json::from_str(&site.page("stories.json").text).expect("valid JSON");
    let slugs: Vec<&str> = export["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|story| story["slug"].as_str().expect("slug"))
        .collect();
    let expected: Vec<String> = (0..STORIES)
        .rev()
        .map(|day| format!("day-{day:04}"))
        .collect();
    assert_eq!(slugs, expected);
}

#[test]
fn drafts_are_built_only_with_the_drafts_flag() {
    let site = SiteTest::fixture("drafts").build().succeeded();
    assert!(site.has("published/index.html"));
    assert!(!site.has("hidden/index.html"));
    site.page("index.html").lacks("Not yet");
    let site = site.build_with(&["--drafts"]).succeeded();
    assert!(site.has("hidden/index.html"));
    site.page("index.html").contains("Not yet");
}

#[test]
fn a_story_with_a_bom_and_crlf_line_endings_builds() {
    let site = SiteTest::fixture("bom-crlf").build().succeeded();
    site.page("windows/index.html")
        .contains("<h1>Saved on Windows</h1>")
        .contains(r##"href="#entry-a">still works</a>"##);
}

#[test]
fn people_declared_once_are_one_person_across_stories() {
    let site = SiteTest::fixture("people-toml").build().succeeded();
    site.page("people/shared/index.html")
        .contains("Sam Shared")
        .contains("Changed my mind.")
        .contains("First story.")
        .in_order("Reversals", "Statements")
        .in_order("Changed my mind.", "First story.");
    site.page("people/index.html")
        .contains("3 statements, 1 reversal in 2 stories");
}

/// Only statements and reactions are someone's words: the people index
/// counts events as events and reactions as reactions (Trump Jr.'s entries
/// in the sample site are all events; Adam Schiff only reacts; Vladimir
/// Putin is only named).
#[test]
fn the_people_index_counts_statements_events_and_reactions_apart() {
    let site = SiteTest::sample().build().succeeded();
    site.page("people/index.html")
        .contains("3 statements, 1 reversal in 1 story")
        .contains("5 events, 2 reversals in 2 stories")
        .contains("1 reaction in 1 story")
        .contains("Named in 1 story")
        .lacks("0 statements")
        .lacks("5 statements");
}

#[test]
fn site_templates_override_the_built_in_ones_and_static_files_are_copied() {
    let site = SiteTest::fixture("templates-override").build().succeeded();
    site.page("index.html")
        .contains(r#"<p id="marker">OVERRIDDEN INDEX for Fixture</p>"#);
    site.page("one/index.html").contains("<h1>One</h1>");
    assert_eq!(site.page("extra.txt").text, "copied as-is\n");
    assert!(
        site.has("style.css"),
        "the built-in stylesheet is still written"
    );
}

#[test]
fn a_folder_backtrack_did_not_make_is_never_replaced() {
    let site = SiteTest::fixture("explainer");
    fs::create_dir_all(&site.output).expect("output folder");
    fs::write(site.output.join("thesis.docx"), "years of work").expect("written");
    let site = site.build();
    assert_eq!(site.exit_code(), 2, "{}", site.stderr());
    assert!(
        site.stderr().contains("was not made by backtrack"),
        "{}",
        site.stderr()
    );
    assert_eq!(
        fs::read_to_string(site.output.join("thesis.docx")).expect("kept"),
        "years of work"
    );
}

#[test]
fn a_folder_without_site_toml_is_a_usage_error() {
    let site = SiteTest::fixture("explainer");
    fs::remove_file(site.root.join("site.toml")).expect("removed");
    let site = site.build();
    assert_eq!(site.exit_code(), 2);
    assert!(
        site.stderr().contains("has no site.toml"),
        "{}",
        site.stderr()
    );
}

#[test]
fn the_sample_site_builds_with_its_reversals_and_reactions() {
    let temp = tempfile::tempdir().expect("temp dir");
    let output = temp.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_backtrack"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&output)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.starts_with("Built 3 stories, "), "{stdout}");
    let story =
        fs::read_to_string(output.join("trump-putin-cyber-unit/index.html")).expect("lead story");
    for needle in [
        "13 hours later",
        "3 critical: 2 R, 1 D",
        "1 supportive",
        "Half reversal",
        "R-Fla.",
    ] {
        assert!(story.contains(needle), "lead story lacks {needle}");
    }
}

/// `build` writes each story's page while parsing and the rest afterwards;
/// `serve` renders everything in memory in one pass. Both must give the same
/// site, byte for byte (drafts included or not).
#[test]
fn build_writes_what_the_preview_renders() {
    for (fixture, drafts) in [
        ("explainer", false),
        ("drafts", false),
        ("drafts", true),
        ("templates-override", false),
        ("subpath", false),
        ("hostile", false),
        ("people-toml", false),
    ] {
        let args: &[&str] = if drafts { &["--drafts"] } else { &[] };
        let site = SiteTest::fixture(fixture).build_with(args).succeeded();
        let mut session = Session::new(Options {
            root: site.root.clone(),
            output: site.output.clone(),
            base_url: None,
            drafts,
        });
        let rendered = session.rebuild(&Dirty::Everything).expect("renders");
        let built = support::snapshot_tree(&site.output);
        let written: Vec<&Path> = built
            .keys()
            .map(|path| path.as_path())
            .filter(|path| *path != Path::new(".backtrack"))
            .collect();
        assert_eq!(
            written.len(),
            rendered.changed.len() + rendered.cards.len(),
            "{fixture}: as many files built as rendered, and a social card per story"
        );
        // The preview draws a card when it is asked for: drawn anew, it is
        // the card the build wrote.
        let cards = SocialCards::new(&site.root).expect("the card maker");
        for (path, card) in &rendered.cards {
            let drawn = cards.draw(card).expect("drawn");
            assert!(
                built.get(Path::new(path)) == Some(&drawn),
                "{fixture}: {path} differs between build and preview"
            );
        }
        for (path, bytes) in &rendered.changed {
            assert!(
                built.get(Path::new(path)) == Some(bytes),
                "{fixture} (drafts: {drafts}): {path} differs between build and preview"
            );
        }
    }
}
