//! The oracle: a story whose ids, names and quotes are fuzzed renders pages
//! that parse as HTML with no element and no attribute the theme did not put
//! there for the same story with plain values: no event handler, no script
//! of the author's, whatever the author wrote.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use backtrack::config::Config;
use backtrack::diagnostics::SourceFile;
use backtrack::load::people::Registry;
use backtrack::load::story::{Context, parse};
use backtrack::pipeline::render_pages;
use backtrack::render::{self, StoryExports, Theme};
use backtrack::{assemble, check};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use scraper::{ElementRef, Html};

/// What the fuzzer chooses: everything an author types between quotes.
#[derive(Debug, Clone, Arbitrary)]
struct Fields {
    title: String,
    people: [String; 2],
    names: [String; 2],
    ids: [String; 2],
    quotes: [String; 2],
    reaction: String,
}

/// Every (element, attribute) pair in the HTML pages, and each element
/// with no attribute as (element, "").
type Shape = BTreeSet<(String, String)>;

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let site = SourceFile::new(
        "site.toml",
        "title = \"Fuzz\"\nbase_url = \"https://example.org/\"\n",
    );
    Config::parse(&site, None).expect("a valid site.toml")
});

static THEME: LazyLock<Theme> =
    LazyLock::new(|| Theme::load(Path::new("/nonexistent")).expect("the built-in theme"));

/// What the theme makes of the same story with plain values.
static PLAIN: LazyLock<Shape> = LazyLock::new(|| {
    let fields = Fields {
        title: "A title".into(),
        people: ["ann".into(), "bob".into()],
        names: ["Ann Example".into(), "Bob Example".into()],
        ids: ["q1".into(), "q2".into()],
        quotes: ["We will.".into(), "We won't.".into()],
        reaction: "Quite.".into(),
    };
    shape(&fields).expect("the plain story builds")
});

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn story_text(fields: &Fields) -> String {
    let [p0, p1] = &fields.people;
    let [n0, n1] = &fields.names;
    let [i0, i1] = &fields.ids;
    let [q0, q1] = &fields.quotes;
    format!(
        "+++\ntitle = {}\npublished = 2024-01-02T10:00:00Z\ntags = [\"t\"]\n\
         [people.{}]\nname = {}\n[people.{}]\nname = {}\n\
         [[timeline]]\nid = {}\nby = {}\nat = 2024-01-01T09:00:00Z\nsaid = {}\n\
         [[timeline]]\nid = {}\nby = {}\nat = 2024-01-01T12:00:00Z\nsaid = {}\nreverses = {}\n\
         [[reactions]]\nby = {}\nsaid = {}\nstance = \"critical\"\n\
         +++\nFirst [they said]({}) it.\n",
        quoted(&fields.title),
        quoted(p0),
        quoted(n0),
        quoted(p1),
        quoted(n1),
        quoted(i0),
        quoted(p0),
        quoted(q0),
        quoted(i1),
        quoted(p0),
        quoted(q1),
        quoted(i0),
        quoted(p1),
        quoted(&fields.reaction),
        format!("@{i0}"),
    )
}

/// The shape of every HTML page of a site holding only this story, or
/// `None` when the story is refused (bad ids are the author's problem).
fn shape(fields: &Fields) -> Option<Shape> {
    let file = SourceFile::new("content/story.md", story_text(fields));
    let registry = Registry::new();
    let context = Context::new(&CONFIG, &registry);
    let parsed = parse(&file, "story".to_owned(), &context).ok()?;
    let stories = BTreeMap::from([(PathBuf::from("content/story.md"), Ok(parsed))]);
    let checked = check::site(&registry, &stories, false).ok()?;
    let site = assemble::site(&CONFIG, checked);
    let pages = render::all_pages(&site);
    let rendered = render_pages(&site, &THEME, &pages, &StoryExports::default())
        .expect("a valid story renders");
    let mut found = Shape::new();
    for (path, bytes) in rendered {
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8(bytes).expect("pages are UTF-8");
        let html = Html::parse_document(&text);
        for element in html
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
        {
            let name = element.value().name().to_owned();
            found.insert((name.clone(), String::new()));
            for (attribute, _) in element.value().attrs() {
                assert!(
                    !attribute.starts_with("on"),
                    "{attribute} on <{name}> in {path}"
                );
                found.insert((name.clone(), attribute.to_owned()));
            }
        }
    }
    Some(found)
}

/// `text` in the slug alphabet ids keep to (lower-case letters, never empty).
fn slug_safe(text: &str) -> String {
    let letters: String = text
        .chars()
        .map(|c| char::from(b'a' + (u32::from(c) % 26) as u8))
        .collect();
    format!("x{letters}")
}

fuzz_target!(|fields: Fields| {
    // Fuzzed ids are mostly refused (their own problem, checked by
    // story_parse); then the same names and quotes under slug-safe ids, so
    // every input reaches the pages.
    let found = shape(&fields).or_else(|| {
        let safe = Fields {
            people: fields.people.clone().map(|id| slug_safe(&id)),
            ids: [
                slug_safe(&fields.ids[0]),
                format!("{}-2", slug_safe(&fields.ids[1])),
            ],
            ..fields.clone()
        };
        shape(&safe)
    });
    let Some(found) = found else {
        return;
    };
    let extra: Vec<_> = found.difference(&PLAIN).collect();
    assert!(
        extra.is_empty(),
        "not the theme's: {extra:?} from {fields:?}"
    );
});
