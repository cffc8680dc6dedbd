//! Incremental rebuilds produce exactly what a clean build produces. Each test
//! builds a three-story site, makes one kind of save (an edit, a broken save
//! and its fix, a rename, a deletion, a new story, a template change) and
//! compares the pages held in memory, byte for byte, with a fresh session's
//! full render.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use backtrack::incremental::{Dirty, Rebuild, Session};
use backtrack::pipeline::{BuildError, Options};
use backtrack::social_cards::Card;

fn story(title: &str, person: &str, name: &str, tag: &str, at: &str) -> String {
    format!(
        r#"+++
title = "{title}"
published = {at}
tags = ["{tag}", "Shared"]

[people.{person}]
name = "{name}"
party = "P"

[people.critic]
name = "Cleo Critic"
party = "Q"

[[timeline]]
id = "promise"
by = "{person}"
at = {at}
said = "I promise."

[[timeline]]
id = "retreat"
by = "{person}"
at = 2030-01-05T10:00:00Z
said = "I never promised."
reverses = "promise"

[[reactions]]
by = "critic"
said = "Typical."
stance = "critical"
+++
A [promise](@promise), then a [retreat](@retreat).
"#
    )
}

struct Site {
    root: PathBuf,
    session: Session,
    pages: BTreeMap<String, Vec<u8>>,
    /// The social cards held, by path: what each would be drawn from.
    cards: BTreeMap<String, Card>,
}

impl Site {
    fn new(root: &Path) -> Site {
        fs::create_dir_all(root.join("content")).expect("content dir");
        fs::write(
            root.join("site.toml"),
            "title = \"T\"\nbase_url = \"https://example.org/news/\"\n",
        )
        .expect("site.toml");
        let options = Options {
            root: root.to_owned(),
            output: root.join("public"),
            base_url: None,
            drafts: false,
        };
        Site {
            root: root.to_owned(),
            session: Session::new(options),
            pages: BTreeMap::new(),
            cards: BTreeMap::new(),
        }
    }

    /// Stories a, b and c (a and c quote the same person and share a tag),
    /// built once.
    fn built(root: &Path) -> (Site, Rebuild) {
        let mut site = Site::new(root);
        site.write(
            "content/a.md",
            &story("Alpha", "ann", "Ann A", "Apples", "2030-01-01T10:00:00Z"),
        );
        site.write(
            "content/b.md",
            &story("Beta", "bob", "Bob B", "Bananas", "2030-01-02T10:00:00Z"),
        );
        site.write(
            "content/c.md",
            &story("Gamma", "ann", "Ann A", "Apples", "2030-01-03T10:00:00Z"),
        );
        let first = site.save(Dirty::Everything).expect("first build");
        (site, first)
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.root.join(path)).expect("readable")
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.root.join(path);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("dirs");
        fs::write(path, text).expect("write");
    }

    /// Rebuilds as `serve` does: the edited stories' pages, then the rest.
    fn save(&mut self, dirty: Dirty) -> Result<Rebuild, BuildError> {
        let mut rebuild = self.session.rebuild_edited_first(&dirty)?;
        let deferred: BTreeSet<String> = rebuild.deferred.iter().cloned().collect();
        let finished = self.session.finish()?;
        let rendered: BTreeSet<String> = finished.iter().map(|(path, _)| path.clone()).collect();
        assert_eq!(deferred, rendered, "finish renders what was deferred");
        rebuild.changed.extend(finished);
        if rebuild.full {
            self.pages.clear();
            self.cards.clear();
        }
        for path in &rebuild.removed {
            self.pages.remove(path);
            self.cards.remove(path);
        }
        for (path, bytes) in &rebuild.changed {
            self.pages.insert(path.clone(), bytes.clone());
        }
        self.cards.extend(rebuild.cards.iter().cloned());
        Ok(rebuild)
    }

    fn assert_same_as_clean_build(&self, step: &str) {
        let mut clean = Session::new(self.session.options().clone());
        let rebuild = clean.rebuild(&Dirty::Everything).expect("clean build");
        let cards: BTreeMap<String, Card> = rebuild.cards.into_iter().collect();
        assert!(self.cards == cards, "after {step}: the same social cards");
        let clean: BTreeMap<String, Vec<u8>> = rebuild.changed.into_iter().collect();
        let held: BTreeSet<&String> = self.pages.keys().collect();
        let expected: BTreeSet<&String> = clean.keys().collect();
        assert_eq!(held, expected, "after {step}: the same set of pages");
        for (path, bytes) in &clean {
            assert!(
                &self.pages[path] == bytes,
                "after {step}: {path} differs from a clean build"
            );
        }
    }
}

fn stories(paths: &[&str]) -> Dirty {
    Dirty::Some {
        stories: paths.iter().map(PathBuf::from).collect(),
        templates: false,
        statics: false,
    }
}

#[test]
fn the_first_build_renders_everything_as_a_clean_build_does() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (site, first) = Site::built(temp.path());
    assert!(first.full);
    site.assert_same_as_clean_build("the first build");
}

#[test]
fn a_retitled_retagged_redated_story_rebuilds_only_what_lists_it() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (mut site, first) = Site::built(temp.path());
    site.write(
        "content/a.md",
        &story(
            "Alpha, revised",
            "ann",
            "Ann A",
            "Cherries",
            "2030-01-04T09:00:00Z",
        ),
    );
    let edit = site.save(stories(&["content/a.md"])).expect("edit builds");
    assert!(!edit.full, "a story edit is incremental");
    assert!(
        edit.changed.len() < first.changed.len(),
        "fewer pages re-rendered"
    );
    site.assert_same_as_clean_build("a retitled, retagged, re-dated story");
}

#[test]
fn a_quote_edit_renders_the_story_page_before_the_pages_listing_it() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (mut site, _) = Site::built(temp.path());
    let text = site.read("content/a.md");
    site.write(
        "content/a.md",
        &text.replace("I never promised.", "I did not <promise>."),
    );
    let quote = site
        .save(stories(&["content/a.md"]))
        .expect("quote edit builds");
    assert_eq!(
        quote.changed.len() - quote.deferred.len(),
        2,
        "only the story's own pages (its page and its embed) come first"
    );
    site.assert_same_as_clean_build("a quote edited (nothing site-wide changed)");
}

#[test]
fn a_party_edited_where_the_person_is_declared_reaches_their_page() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (mut site, _) = Site::built(temp.path());
    let text = site.read("content/a.md");
    site.write(
        "content/a.md",
        &text.replace("party = \"P\"", "party = \"R\""),
    );
    site.save(stories(&["content/a.md"]))
        .expect("party edit builds");
    site.assert_same_as_clean_build("a person's party edited in the story that declares them");
}

#[test]
fn edits_saved_while_another_story_is_broken_are_kept_for_the_fix() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (mut site, _) = Site::built(temp.path());
    site.write("content/b.md", "+++\ntitle = \"Broken\"\n");
    assert!(
        site.save(stories(&["content/b.md"])).is_err(),
        "a broken save fails"
    );
    site.write(
        "content/c.md",
        &story(
            "Gamma, edited while b was broken",
            "ann",
            "Ann A",
            "Apples",
            "2030-01-03T10:00:00Z",
        ),
    );
    assert!(
        site.save(stories(&["content/c.md"])).is_err(),
        "still broken"
    );
    site.write(
        "content/b.md",
        &story(
            "Beta, fixed",
            "bob",
            "Bob B",
            "Bananas",
            "2030-01-02T10:00:00Z",
        ),
    );
    site.save(stories(&["content/b.md"])).expect("fixed");
    site.assert_same_as_clean_build("a fix after edits made while broken");
}

#[test]
fn a_renamed_story_removes_its_old_page() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (mut site, _) = Site::built(temp.path());
    fs::rename(
        temp.path().join("content/c.md"),
        temp.path().join("content/d.md"),
    )
    .expect("rename");
    let renamed = site
        .save(stories(&["content/c.md", "content/d.md"]))
        .expect("rename builds");
    assert!(
        renamed.removed.contains(&"c/index.html".to_owned()),
        "{:?}",
        renamed.removed
    );
    site.assert_same_as_clean_build("a renamed story");
}

#[test]
fn a_deleted_story_removes_its_page_and_people_it_alone_quoted() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (mut site, _) = Site::built(temp.path());
    fs::remove_file(temp.path().join("content/b.md")).expect("delete");
    let deleted = site
        .save(stories(&["content/b.md"]))
        .expect("delete builds");
    assert!(deleted.removed.contains(&"b/index.html".to_owned()));
    assert!(
        deleted
            .removed
            .contains(&"people/bob/index.html".to_owned())
    );
    site.assert_same_as_clean_build("a deleted story");
}

#[test]
fn a_new_story_joins_the_pages_that_list_it() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (mut site, _) = Site::built(temp.path());
    site.write(
        "content/e.md",
        &story("Epsilon", "eve", "Eve E", "Apples", "2030-01-01T08:00:00Z"),
    );
    site.save(stories(&["content/e.md"]))
        .expect("new story builds");
    site.assert_same_as_clean_build("a new story");
}

#[test]
fn a_template_change_rebuilds_every_page() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (mut site, _) = Site::built(temp.path());
    site.write(
        "templates/index.html",
        "<!doctype html><title>custom index</title>",
    );
    let templates = Dirty::Some {
        stories: BTreeSet::new(),
        templates: true,
        statics: false,
    };
    assert!(site.save(templates).expect("template builds").full);
    site.assert_same_as_clean_build("a template override");
}

/// One save in a random sequence, on one of a few story files.
#[derive(Debug, Clone)]
enum Save {
    /// Write the story (new or edited) with this title, person, tag and day.
    Write {
        slot: usize,
        title: usize,
        person: usize,
        tag: usize,
        day: u8,
    },
    /// Move the story to another file name.
    Rename { from: usize, to: usize },
    /// Remove the story.
    Delete { slot: usize },
}

const SLOTS: usize = 4;

fn slot_path(slot: usize) -> String {
    format!("content/story-{slot}.md")
}

fn random_save() -> impl proptest::strategy::Strategy<Value = Save> {
    use proptest::prelude::*;
    prop_oneof![
        3 => (0..SLOTS, 0..3usize, 0..3usize, 0..3usize, 1..28u8).prop_map(
            |(slot, title, person, tag, day)| Save::Write { slot, title, person, tag, day }
        ),
        1 => (0..SLOTS, 0..SLOTS).prop_map(|(from, to)| Save::Rename { from, to }),
        1 => (0..SLOTS).prop_map(|slot| Save::Delete { slot }),
    ]
}

/// Applies `save` to the site's files; returns the story files it touched.
fn apply(site: &Site, save: &Save) -> Vec<String> {
    match *save {
        Save::Write {
            slot,
            title,
            person,
            tag,
            day,
        } => {
            let at = format!("2029-03-{day:02}T10:00:00Z");
            let text = story(
                &format!("Title {title}"),
                &format!("person-{person}"),
                &format!("Person {person}"),
                &format!("Tag {tag}"),
                &at,
            );
            site.write(&slot_path(slot), &text);
            vec![slot_path(slot)]
        }
        Save::Rename { from, to } => {
            let (from, to) = (slot_path(from), slot_path(to));
            if fs::rename(site.root.join(&from), site.root.join(&to)).is_err() {
                return Vec::new();
            }
            vec![from, to]
        }
        Save::Delete { slot } => {
            let _ = fs::remove_file(site.root.join(slot_path(slot)));
            vec![slot_path(slot)]
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    #[test]
    fn any_sequence_of_edits_renames_and_deletes_rebuilds_as_a_clean_build(
        saves in proptest::collection::vec(random_save(), 1..8)
    ) {
        let temp = tempfile::tempdir().expect("temp dir");
        let mut site = Site::new(temp.path());
        site.save(Dirty::Everything).expect("an empty site builds");
        for (step, save) in saves.iter().enumerate() {
            let touched = apply(&site, save);
            let paths: Vec<&str> = touched.iter().map(String::as_str).collect();
            site.save(stories(&paths)).expect("every save is a valid site");
            site.assert_same_as_clean_build(&format!("save {step}: {save:?}"));
        }
    }
}
