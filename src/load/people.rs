//! People: the `[people.<id>]` tables of a story and the site-wide
//! `people.toml`, which share one shape. A person id names one person across
//! the whole site, so this module also owns the check that two declarations of
//! the same id agree on the name.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use ahash::{AHashMap, AHashSet};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::load::front_matter::toml_error;
use crate::model::{Person, id_help, is_valid_id};

/// A person as written in TOML, before checks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "A person quoted: `name` is required.")]
pub struct RawPerson {
    /// Their name as pages show it; the same in every file that declares this id.
    #[schemars(with = "String")]
    name: Spanned<String>,
    /// Free text, e.g. "Senator".
    role: Option<String>,
    /// Free text, shown as a badge and tallied in the reactions sidebar.
    party: Option<String>,
    /// Free text, e.g. "Fla.".
    region: Option<String>,
    /// A link about them: an absolute http(s) URL.
    #[schemars(with = "Option<String>")]
    url: Option<Spanned<String>>,
}

/// One place a person is declared: which file, where its name is, and the person.
#[derive(Debug, Clone)]
pub struct Declaration {
    /// The declaring file.
    pub file: Arc<SourceFile>,
    /// Byte span of the `name` value in that file.
    pub name_span: Range<usize>,
    /// The person as declared there.
    pub person: Arc<Person>,
}

/// Each person declared alike in many stories, held once: at archive sizes
/// the same few hundred people are declared in every story that quotes
/// them, and a copy per story would be a fifth of the stories' memory.
#[derive(Default)]
pub struct Interner(Mutex<AHashSet<Arc<Person>>>);

impl Interner {
    /// The one `Arc` of every person equal to `person`.
    pub fn intern(&self, person: Arc<Person>) -> Arc<Person> {
        let mut people = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match people.get(&person) {
            Some(held) => Arc::clone(held),
            None => {
                people.insert(Arc::clone(&person));
                person
            }
        }
    }
}

/// Checks a raw person and turns it into a [`Declaration`]. `offset` is where
/// the parsed TOML starts in `file`; problems are pushed onto `problems`.
pub fn declare(
    id: &Spanned<String>,
    raw: RawPerson,
    file: &Arc<SourceFile>,
    offset: usize,
    problems: &mut Vec<Diagnostic>,
) -> Declaration {
    let shift = |span: Range<usize>| span.start + offset..span.end + offset;
    if !is_valid_id(id.get_ref()) {
        problems.push(
            Diagnostic::new(
                file,
                shift(id.span()),
                format!(
                    "the person id `{}` has characters ids cannot have",
                    id.get_ref()
                ),
            )
            .with_help(id_help(id.get_ref())),
        );
    }
    if let Some(url) = &raw.url
        && let Err(message) = check_web_url(url.get_ref())
    {
        problems.push(Diagnostic::new(file, shift(url.span()), message));
    }
    let name_span = shift(raw.name.span());
    if raw.name.get_ref().trim().is_empty() {
        problems.push(Diagnostic::new(
            file,
            name_span.clone(),
            "a person's `name` is empty",
        ));
    }
    Declaration {
        file: Arc::clone(file),
        name_span,
        person: Arc::new(Person {
            id: id.get_ref().clone(),
            name: raw.name.into_inner(),
            role: non_empty(raw.role),
            party: non_empty(raw.party),
            region: non_empty(raw.region),
            url: raw.url.map(Spanned::into_inner),
        }),
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|text| !text.trim().is_empty())
}

/// `source` and `url` must be absolute http(s) URLs.
pub fn check_web_url(text: &str) -> Result<(), String> {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(()),
        Ok(url) => Err(format!(
            "`{text}` is a {}: URL; only http and https links are allowed",
            url.scheme()
        )),
        Err(_) => Err(format!("`{text}` is not an absolute http(s) URL")),
    }
}

/// The declarations of `people.toml`, by id.
pub type Registry = BTreeMap<String, Declaration>;

/// Parses `people.toml`: top-level tables keyed by person id.
pub fn parse_registry(file: &Arc<SourceFile>) -> Result<Registry, Diagnostics> {
    let raw: BTreeMap<Spanned<String>, RawPerson> =
        toml::from_str(file.text()).map_err(|error| toml_error(file, 0, &error))?;
    let mut problems = Vec::new();
    let registry = raw
        .into_iter()
        .map(|(id, person)| {
            let declaration = declare(&id, person, file, 0, &mut problems);
            (id.into_inner(), declaration)
        })
        .collect();
    if problems.is_empty() {
        Ok(registry)
    } else {
        Err(Diagnostics(problems))
    }
}

/// Merges every declaration into one person per id (the first declaration
/// wins) and reports each id whose `name` differs between two files.
pub fn merge<'a>(
    declarations: impl IntoIterator<Item = &'a Declaration>,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Arc<Person>> {
    // Site-wide: every declaration of every story passes here, so a fast hash.
    let mut first: AHashMap<&str, &Declaration> = AHashMap::new();
    for declaration in declarations {
        let id = declaration.person.id.as_str();
        match first.get(id) {
            None => {
                first.insert(id, declaration);
            }
            Some(earlier) if earlier.person.name != declaration.person.name => {
                problems.push(
                    Diagnostic::new(
                        &declaration.file,
                        declaration.name_span.clone(),
                        format!(
                            "person `{id}` is named \"{}\" here but \"{}\" in {}",
                            declaration.person.name,
                            earlier.person.name,
                            earlier.file.path.display()
                        ),
                    )
                    .with_related(&earlier.file, earlier.name_span.clone(), "first declared here")
                    .with_help(
                        "a person id is one person across the site: use the same name, or a different id",
                    ),
                );
            }
            Some(_) => {}
        }
    }
    first
        .into_iter()
        .map(|(id, declaration)| (id.to_owned(), Arc::clone(&declaration.person)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls_must_be_http() {
        assert!(check_web_url("https://example.org/x").is_ok());
        assert!(check_web_url("javascript:alert(1)").is_err());
        assert!(check_web_url("/relative").is_err());
    }

    #[test]
    fn differing_names_for_one_id_are_reported_with_both_files() {
        let a = SourceFile::new("people.toml", "[trump]\nname = \"Donald Trump\"\n");
        let b = SourceFile::new("content/b.md", "[trump]\nname = \"Donald J. Trump\"\n");
        let first = parse_registry(&a).expect("valid");
        let second = parse_registry(&b).expect("valid");
        let mut problems = Vec::new();
        let merged = merge(first.values().chain(second.values()), &mut problems);
        assert_eq!(merged["trump"].name, "Donald Trump");
        let text = Diagnostics(problems).render(false);
        assert!(text.contains("content/b.md:2:8"), "{text}");
        assert!(text.contains("people.toml"), "{text}");
    }
}
