//! `backtrack schema` against the fixtures: the schemas it prints (what an
//! editor is given) accept every story, `site.toml` and `people.toml` of the
//! sites that build, and reject the broken fixtures a schema can see.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use backtrack::load::front_matter::{decode, split};
use support::fixtures;

/// The schema `backtrack schema <document>` prints, compiled.
fn validator(document: &str) -> jsonschema::Validator {
    let out = Command::new(env!("CARGO_BIN_EXE_backtrack"))
        .args(["schema", document])
        .output()
        .expect("backtrack runs");
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// TOML as a TOML language server hands it to its validator: date-times
/// become the text they were written as.
fn as_json(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(text) => text.into(),
        toml::Value::Integer(number) => number.into(),
        toml::Value::Float(number) => number.into(),
        toml::Value::Boolean(flag) => flag.into(),
        toml::Value::Datetime(datetime) => datetime.to_string().into(),
        toml::Value::Array(items) => items.into_iter().map(as_json).collect(),
        toml::Value::Table(table) => table
            .into_iter()
            .map(|(key, value)| (key, as_json(value)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

fn front_matter(path: &Path) -> serde_json::Value {
    let file = decode(path, fs::read(path).expect("readable")).expect("UTF-8");
    let parts = split(&file).expect("front matter");
    as_json(toml::from_str::<toml::Value>(parts.front).expect("valid TOML"))
}

fn toml_file(path: &Path) -> serde_json::Value {
    as_json(toml::from_str(&fs::read_to_string(path).expect("readable")).expect("valid TOML"))
}

fn stories(site: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .map(|entry| entry.expect("readable").into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect()
}

/// The sites that build: the repository's own and every fixture without an `EXPECT` file.
fn good_sites() -> Vec<PathBuf> {
    let mut sites = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR"))];
    sites.extend(
        fs::read_dir(fixtures())
            .expect("fixtures")
            .map(|entry| entry.expect("entry").path())
            .filter(|site| !site.join("EXPECT").exists()),
    );
    sites
}

fn errors(validator: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

#[test]
fn every_story_and_settings_file_that_builds_is_valid() {
    let (story, site, people) = (validator("story"), validator("site"), validator("people"));
    let mut stories_seen = 0;
    for root in good_sites() {
        let problems = errors(&site, &toml_file(&root.join("site.toml")));
        assert!(problems.is_empty(), "{}: {problems:?}", root.display());
        if root.join("people.toml").is_file() {
            let problems = errors(&people, &toml_file(&root.join("people.toml")));
            assert!(problems.is_empty(), "{}: {problems:?}", root.display());
        }
        for path in stories(&root) {
            let problems = errors(&story, &front_matter(&path));
            assert!(problems.is_empty(), "{}: {problems:?}", path.display());
            stories_seen += 1;
        }
    }
    assert!(stories_seen >= 10, "only {stories_seen} stories found");
}

#[test]
fn broken_front_matter_is_rejected_where_the_mistake_is() {
    let story = validator("story");
    for (fixture, path) in [
        ("missing-title", ""),
        ("unknown-story-key", ""),
        ("unknown-person-key", "/people/"),
        ("unknown-timeline-key", "/timeline/"),
        ("unknown-reaction-key", "/reactions/"),
        ("bad-stance", "/reactions/0/stance"),
        ("bad-flip", "/timeline/"),
    ] {
        let site = fixtures().join(fixture);
        let found: Vec<String> = stories(&site)
            .iter()
            .flat_map(|path| errors(&story, &front_matter(path)))
            .collect();
        assert!(!found.is_empty(), "{fixture}: accepted");
        assert!(
            found
                .iter()
                .any(|error| error.contains(&format!(" at {path}"))),
            "{fixture}: {found:?}"
        );
    }
}

#[test]
fn a_published_that_is_no_date_and_an_unknown_site_key_are_rejected() {
    let story = validator("story");
    let no_date = serde_json::json!({ "title": "T", "published": "last Tuesday" });
    assert!(!errors(&story, &no_date).is_empty());
    let good = serde_json::json!({ "title": "T", "published": "2017-07-09T20:45:00-04:00" });
    assert!(errors(&story, &good).is_empty());
    let site = validator("site");
    let typo = serde_json::json!({ "title": "T", "base_url": "https://e.org/", "timezon": "UTC" });
    assert!(!errors(&site, &typo).is_empty());
}
