//! A save re-renders only the listing pages it touches: an edit that moves no
//! card re-renders the one home page and the one tag page showing the story
//! (and the story's own embed page), not every page of the archive or the
//! tag; a new story moves every card and re-renders them all. Likewise the
//! people index: only its page listing the story's speaker, unless a name
//! moved someone. The JSON
//! export, made from the unchanged stories' kept parts, is what a clean
//! build makes.

use std::fs;

use backtrack::incremental::{Dirty, Session};
use backtrack::pipeline::Options;

fn story(day: u32, said: &str) -> String {
    format!(
        "+++\ntitle = \"Day {day}\"\ntags = [\"City Hall\"]\npublished = 2030-01-{day:02}T10:00:00Z\n\n[people.p]\nname = \"Pat\"\n\n\
         [[timeline]]\nid = \"a\"\nby = \"p\"\nat = 2030-01-{day:02}T09:00:00Z\nsaid = \"{said}\"\n+++\nBody.\n"
    )
}

/// The changed pages of one listing: those under `prefix`.
fn listing_pages(changed: &[(String, Vec<u8>)], prefix: &str) -> Vec<String> {
    let mut pages: Vec<String> = changed
        .iter()
        .filter_map(|(path, _)| path.strip_prefix(prefix))
        .filter(|path| *path == "index.html" || path.starts_with("page/"))
        .map(str::to_owned)
        .collect();
    pages.sort();
    pages
}

fn home_pages(changed: &[(String, Vec<u8>)]) -> Vec<String> {
    listing_pages(changed, "")
}

fn people_pages(changed: &[(String, Vec<u8>)]) -> Vec<String> {
    listing_pages(changed, "people/")
}

fn tag_pages(changed: &[(String, Vec<u8>)]) -> Vec<String> {
    listing_pages(changed, "tags/city-hall/")
}

fn options(root: &std::path::Path) -> Options {
    Options {
        root: root.to_owned(),
        output: root.join("public"),
        base_url: None,
        drafts: false,
    }
}

/// `path`'s bytes in what a rebuild changed.
fn page<'a>(changed: &'a [(String, Vec<u8>)], path: &str) -> &'a [u8] {
    changed
        .iter()
        .find(|(changed, _)| changed == path)
        .map(|(_, bytes)| bytes.as_slice())
        .unwrap_or_else(|| panic!("{path} was not rendered"))
}

/// A new site with no stories yet, whose listings show one item a page.
fn one_per_page_site() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(temp.path().join("content")).expect("content");
    fs::write(
        temp.path().join("site.toml"),
        "title = \"T\"\nbase_url = \"https://example.org/\"\npaginate_by = 1\n",
    )
    .expect("site.toml");
    temp
}

#[test]
fn an_edit_re_renders_only_the_home_page_that_shows_the_story() {
    let temp = one_per_page_site();
    let root = temp.path();
    for day in 1..=3 {
        fs::write(root.join(format!("content/d{day}.md")), story(day, "Yes.")).expect("story");
    }
    let mut session = Session::new(options(root));
    let first = session.rebuild(&Dirty::Everything).expect("builds");
    assert_eq!(
        home_pages(&first.changed),
        ["index.html", "page/2/index.html", "page/3/index.html"]
    );
    assert_eq!(tag_pages(&first.changed), home_pages(&first.changed));

    // Day 2 is the middle card, on page 2: only that home page changes.
    fs::write(root.join("content/d2.md"), story(2, "No.")).expect("edited");
    let edit = Dirty::Some {
        stories: ["content/d2.md".into()].into_iter().collect(),
        templates: false,
        statics: false,
    };
    let rebuild = session.rebuild(&edit).expect("rebuilds");
    assert_eq!(home_pages(&rebuild.changed), ["page/2/index.html"]);
    assert_eq!(tag_pages(&rebuild.changed), ["page/2/index.html"]);
    let clean = Session::new(options(root))
        .rebuild(&Dirty::Everything)
        .expect("builds");
    let json = page(&rebuild.changed, "stories.json");
    assert_eq!(json, page(&clean.changed, "stories.json"));
    assert!(String::from_utf8_lossy(json).contains("No."));
    assert!(
        rebuild
            .changed
            .iter()
            .any(|(path, _)| path == "d2/index.html")
    );
    // The story's embed shows its timeline: it is re-rendered with it, and
    // no other story's embed is.
    let embeds: Vec<&str> = rebuild
        .changed
        .iter()
        .map(|(path, _)| path.as_str())
        .filter(|path| path.starts_with("embed/"))
        .collect();
    assert_eq!(embeds, ["embed/d2/index.html"]);

    // A new, newest story moves every card down a page.
    fs::write(root.join("content/d4.md"), story(4, "New.")).expect("added");
    let added = Dirty::Some {
        stories: ["content/d4.md".into()].into_iter().collect(),
        templates: false,
        statics: false,
    };
    let rebuild = session.rebuild(&added).expect("rebuilds");
    assert_eq!(
        home_pages(&rebuild.changed),
        [
            "index.html",
            "page/2/index.html",
            "page/3/index.html",
            "page/4/index.html"
        ]
    );
    assert_eq!(tag_pages(&rebuild.changed), home_pages(&rebuild.changed));
}

/// A story on `day` by `id` (named `name`), who says `said` once or twice.
fn story_by(day: u32, id: &str, name: &str, said: &[&str]) -> String {
    let mut text = format!(
        "+++\ntitle = \"Day {day}\"\npublished = 2030-01-{day:02}T10:00:00Z\n\n[people.{id}]\nname = \"{name}\"\n"
    );
    for (n, quote) in said.iter().enumerate() {
        text.push_str(&format!(
            "\n[[timeline]]\nid = \"e{n}\"\nby = \"{id}\"\nat = 2030-01-{day:02}T0{n}:00:00Z\nsaid = \"{quote}\"\n"
        ));
    }
    text + "+++\nBody.\n"
}

#[test]
fn an_edit_re_renders_only_the_people_index_page_that_lists_its_speaker() {
    let temp = one_per_page_site();
    let root = temp.path();
    for (day, id, name) in [(1, "ann", "Ann"), (2, "bea", "Bea"), (3, "cal", "Cal")] {
        let path = root.join(format!("content/d{day}.md"));
        fs::write(path, story_by(day, id, name, &["Yes."])).expect("story");
    }
    let mut session = Session::new(options(root));
    let first = session.rebuild(&Dirty::Everything).expect("builds");
    assert_eq!(
        people_pages(&first.changed),
        ["index.html", "page/2/index.html", "page/3/index.html"]
    );
    let edit = Dirty::Some {
        stories: ["content/d2.md".into()].into_iter().collect(),
        templates: false,
        statics: false,
    };

    // Bea, second by name, says one more thing: her line on page 2 counts it.
    let edited = story_by(2, "bea", "Bea", &["Yes.", "No."]);
    fs::write(root.join("content/d2.md"), edited).expect("edited");
    let rebuild = session.rebuild(&edit).expect("rebuilds");
    assert_eq!(people_pages(&rebuild.changed), ["page/2/index.html"]);
    let page_two = String::from_utf8_lossy(page(&rebuild.changed, "people/page/2/index.html"));
    assert!(page_two.contains("2 statements"), "{page_two}");

    // Renamed Zed, she moves to the end: every page of the index changes.
    let renamed = story_by(2, "bea", "Zed", &["Yes.", "No."]);
    fs::write(root.join("content/d2.md"), renamed).expect("renamed");
    let rebuild = session.rebuild(&edit).expect("rebuilds");
    assert_eq!(
        people_pages(&rebuild.changed),
        ["index.html", "page/2/index.html", "page/3/index.html"]
    );
}
