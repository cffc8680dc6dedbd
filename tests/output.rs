//! A build into an existing output writes only what changed: an unchanged
//! file keeps its inode and mtime (so `rsync -a` and `aws s3 sync` upload
//! only the change), a page no longer made is removed, and the result equals
//! a clean build byte for byte.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use support::{SiteTest, snapshot_tree};

/// Each output file's inode and modification time, by path.
fn identities(dir: &Path) -> BTreeMap<PathBuf, (u64, i64, i64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let meta = entry.metadata().expect("metadata");
            let path = entry.path().strip_prefix(dir).expect("under").to_owned();
            (path, (meta.ino(), meta.mtime(), meta.mtime_nsec()))
        })
        .collect()
}

/// Paths whose inode or mtime differs between `before` and `after`.
fn rewritten(
    before: &BTreeMap<PathBuf, (u64, i64, i64)>,
    after: &BTreeMap<PathBuf, (u64, i64, i64)>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(path, identity)| before.get(*path) != Some(identity))
        .map(|(path, _)| path.display().to_string())
        .filter(|path| path != ".backtrack")
        .collect()
}

fn edit(site: &SiteTest, file: &str, from: &str, to: &str) {
    let path = site.root.join(file);
    let text = fs::read_to_string(&path).expect("story");
    assert!(text.contains(from), "{file} has {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("edited");
}

/// Checks that `site`'s output is, but for the marker, byte for byte what
/// a clean build of the same site makes.
#[track_caller]
fn assert_same_as_a_clean_build(site: &SiteTest) {
    let fresh = SiteTest::copy_of(&site.root).build().succeeded();
    let without_marker = |mut tree: BTreeMap<PathBuf, Vec<u8>>| {
        tree.remove(Path::new(".backtrack"));
        tree
    };
    assert_eq!(
        without_marker(snapshot_tree(&site.output)),
        without_marker(snapshot_tree(&fresh.output))
    );
}

#[test]
fn an_unchanged_rebuild_keeps_every_file_as_it_was() {
    let site = SiteTest::fixture("people-toml").build().succeeded();
    let before = identities(&site.output);
    let site = site.build().succeeded();
    assert!(
        site.stdout().contains("Nothing changed"),
        "{}",
        site.stdout()
    );
    // An edit that changes no page (a comment) renders everything and writes nothing.
    edit(&site, "content/one.md", "+++\n", "+++\n# a comment\n");
    let site = site.build().succeeded();
    assert!(site.stdout().contains("; 0 of "), "{}", site.stdout());
    assert_eq!(
        rewritten(&before, &identities(&site.output)),
        Vec::<String>::new()
    );
}

#[test]
fn an_edit_rewrites_only_the_pages_that_show_it() {
    let site = SiteTest::fixture("record").build().succeeded();
    let before = identities(&site.output);
    edit(
        &site,
        "content/ferry.md",
        "The fare goes up.",
        "The fare goes up, a little.",
    );
    let site = site.build().succeeded();
    let changed = rewritten(&before, &identities(&site.output));
    assert_eq!(
        changed,
        [
            "embed/ferry/index.html",
            "ferry/card.png",
            "ferry/index.html",
            "people/gov/index.html",
            "stories.json"
        ],
        "only the story, its embed, its social card (the walk-back is drawn on it), its \
         speaker's page and the export show the quote"
    );
    assert!(
        site.stdout()
            .contains("; 1 story as the last build left them, not rendered again"),
        "budget.md was not touched, but the quote is on a person page: {}",
        site.stdout()
    );
    assert_same_as_a_clean_build(&site);
}

#[test]
fn a_removed_story_takes_its_pages_with_it() {
    let site = SiteTest::fixture("record").build().succeeded();
    assert!(site.has("ferry/index.html"));
    fs::remove_file(site.root.join("content/ferry.md")).expect("removed");
    let site = site.build().succeeded();
    assert!(!site.has("ferry"), "the story's folder is gone");
    assert!(site.has("budget/index.html"));
    assert_same_as_a_clean_build(&site);
    assert_eq!(support::leftovers(&site.output), Vec::<String>::new());
}

#[test]
fn a_body_edit_past_the_summary_renders_no_listing_again() {
    let site = SiteTest::fixture("record").build().succeeded();
    let before = identities(&site.output);
    let ending = "[did not](@fare-up).\n";
    edit(
        &site,
        "content/ferry.md",
        ending,
        &format!("{ending}\nThe board meets in May.\n"),
    );
    let site = site.build().succeeded();
    assert!(
        site.stdout()
            .contains("; every listing as the last build left it"),
        "{}",
        site.stdout()
    );
    assert_eq!(
        rewritten(&before, &identities(&site.output)),
        ["ferry/index.html"]
    );
    assert_same_as_a_clean_build(&site);
    // An edit of the opening changes the summary that cards show.
    edit(
        &site,
        "content/ferry.md",
        "fare [stayed]",
        "fare for islanders [stayed]",
    );
    let site = site.build().succeeded();
    assert!(
        !site.stdout().contains("every listing"),
        "{}",
        site.stdout()
    );
    assert_same_as_a_clean_build(&site);
}

#[test]
fn an_edit_of_what_every_story_shows_renders_every_story_again() {
    let mut site = SiteTest::fixture("record").build().succeeded();
    for what in ["people.toml", "site.toml", "a template"] {
        match what {
            "people.toml" => edit(&site, "people.toml", "Gail Governor", "Gail Q. Governor"),
            "site.toml" => edit(&site, "site.toml", "\"Record\"", "\"The Record\""),
            _ => {
                // The built-in partial that draws each timeline entry, with a word more.
                let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/said.html");
                let said = fs::read_to_string(built_in).expect("the built-in said.html");
                let said = said.replace("<p class=\"when\">", "<p class=\"when\">Said ");
                fs::create_dir_all(site.root.join("templates")).expect("templates/");
                fs::write(site.root.join("templates/said.html"), said).expect("template");
            }
        }
        site = site.build().succeeded();
        assert!(
            !site.stdout().contains("not rendered again"),
            "an edit of {what} shows on every story page: {}",
            site.stdout()
        );
        eprintln!("after an edit of {what}:");
        assert_same_as_a_clean_build(&site);
    }
}

#[test]
fn an_output_whose_marker_records_no_story_files_renders_everything_again() {
    let site = SiteTest::fixture("record").build().succeeded();
    // As a backtrack from before story hashes, or `build --watch`, leaves it.
    let marker = site.output.join(".backtrack");
    let lines = fs::read_to_string(&marker).expect("marker");
    let older: Vec<&str> = lines
        .lines()
        .filter(|line| !line.starts_with("source ") && !line.starts_with("context "))
        .collect();
    fs::write(&marker, older.join("\n") + "\n").expect("older marker");
    edit(
        &site,
        "content/ferry.md",
        "The ferry fare",
        "The island ferry fare",
    );
    let site = site.build().succeeded();
    assert!(
        !site.stdout().contains("not rendered again") && !site.stdout().contains("every listing"),
        "{}",
        site.stdout()
    );
    assert_same_as_a_clean_build(&site);
    let marker = fs::read_to_string(site.output.join(".backtrack")).expect("marker");
    assert_eq!(
        marker
            .lines()
            .filter(|line| line.starts_with("source "))
            .count(),
        2,
        "the next build can keep what this one made"
    );
}

#[test]
fn a_story_made_a_draft_and_back_leaves_and_rejoins_every_listing() {
    let site = SiteTest::fixture("record").build().succeeded();
    edit(&site, "content/ferry.md", "+++\n", "+++\ndraft = true\n");
    let site = site.build().succeeded();
    assert!(!site.has("ferry"), "a draft is not built");
    assert!(
        !site.stdout().contains("every listing"),
        "{}",
        site.stdout()
    );
    assert_same_as_a_clean_build(&site);
    edit(&site, "content/ferry.md", "+++\ndraft = true\n", "+++\n");
    let site = site.build().succeeded();
    assert!(site.has("ferry/index.html"));
    assert!(
        !site.stdout().contains("every listing"),
        "{}",
        site.stdout()
    );
    assert_same_as_a_clean_build(&site);
}
