//! The content model: what a site *is* once its files have been read, checked
//! and enriched. Parsing (`story`, `people`, `config`) produces these values,
//! `timeline` fills in the derived parts (order, reversals, durations, tallies),
//! and `view` turns them into the small structs templates see. Nothing here does
//! IO, so every later step can be tested on values alone.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::times::Moment;
use crate::urls;

/// A short string (ids, `via`): held in place up to 24 bytes long
/// rather than in an allocation of its own, as a site of 100,000 stories
/// holds about two million of them.
pub type ShortStr = compact_str::CompactString;

/// One person, declared in a story's `[people.<id>]` table or in `people.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Person {
    /// The key under `[people]`; also the `/people/<id>/` path segment.
    pub id: String,
    /// Display name (required in the format).
    pub name: String,
    /// Free-text role, e.g. "Senator".
    pub role: Option<String>,
    /// Free-text party, shown as a badge and tallied in the reactions sidebar.
    pub party: Option<String>,
    /// Free-text region, e.g. "Fla.".
    pub region: Option<String>,
    /// An absolute http(s) link about the person.
    pub url: Option<String>,
}

/// The people one story names, by id: a list sorted by id. A story names a
/// handful, where the smallest node of a map holds eleven (a site of
/// 100,000 stories keeps them all).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct People(Vec<Arc<Person>>);

impl People {
    /// The person with `id`, if the story names them.
    pub fn get(&self, id: &str) -> Option<&Arc<Person>> {
        self.0
            .binary_search_by(|person| person.id.as_str().cmp(id))
            .ok()
            .map(|at| &self.0[at])
    }

    /// Their ids, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|person| &person.id)
    }

    /// Each id with its person, in order of id.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Arc<Person>)> {
        self.0.iter().map(|person| (&person.id, person))
    }
}

/// People listed in any order; the last of two with one id wins.
impl FromIterator<Arc<Person>> for People {
    fn from_iter<I: IntoIterator<Item = Arc<Person>>>(people: I) -> Self {
        let mut people: Vec<Arc<Person>> = people.into_iter().collect();
        people.reverse();
        people.sort_by(|a, b| a.id.cmp(&b.id));
        people.dedup_by(|later, kept| later.id == kept.id);
        people.shrink_to_fit();
        People(people)
    }
}

/// How far a reversal walks back what it reverses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Flip {
    /// A partial walk-back.
    Half,
    /// A complete reversal (the default).
    Full,
}

/// Where a reaction stands relative to what it answers.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    /// Against.
    Critical,
    /// For.
    Supportive,
    /// Both for and against.
    Mixed,
    /// Neither.
    Neutral,
}

impl Stance {
    /// Every stance, in the order the sidebar groups them.
    pub const ALL: [Stance; 4] = [
        Stance::Critical,
        Stance::Supportive,
        Stance::Mixed,
        Stance::Neutral,
    ];

    /// The word used in the format and on pages.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Critical => "critical",
            Stance::Supportive => "supportive",
            Stance::Mixed => "mixed",
            Stance::Neutral => "neutral",
        }
    }
}

/// What a timeline entry records: a quote by someone, or an event.
#[derive(Debug, Clone, PartialEq)]
pub enum Happening {
    /// Words said by a person (`by` + `said`).
    Statement {
        /// Person id (a key of the story's people).
        by: ShortStr,
        /// The quote, verbatim.
        said: Box<str>,
    },
    /// Something that happened (`event`), optionally attributed.
    Event {
        /// What happened.
        event: Box<str>,
        /// Optional person id the event concerns.
        by: Option<ShortStr>,
    },
}

/// One `[[timeline]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Unique within the story.
    pub id: ShortStr,
    /// When it was said or happened.
    pub at: Moment,
    /// The quote or the event.
    pub happening: Happening,
    /// Its `via`, `source` and `position`, if it has any.
    pub particulars: Option<Box<Particulars>>,
    /// The id of an earlier entry this one walks back, and how far.
    pub reverses: Option<(ShortStr, Flip)>,
}

impl Entry {
    /// Its particulars (all none where it has none).
    pub fn particulars(&self) -> &Particulars {
        self.particulars.as_deref().unwrap_or(&Particulars::NONE)
    }

    /// The person this entry is by, if any.
    pub fn by(&self) -> Option<&str> {
        match &self.happening {
            Happening::Statement { by, .. } => Some(by),
            Happening::Event { by, .. } => by.as_deref(),
        }
    }
}

/// One `[[reactions]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Reaction {
    /// Its own `id`, or `reaction-N` counting from 1 in file order.
    pub id: ShortStr,
    /// Person id.
    pub by: ShortStr,
    /// The quote, verbatim.
    pub said: Box<str>,
    /// Critical, supportive, mixed or neutral.
    pub stance: Stance,
    /// When, if known.
    pub at: Option<Moment>,
    /// Its `via`, `source` and `responds_to`, if it has any.
    pub particulars: Option<Box<Particulars>>,
}

impl Reaction {
    /// Its particulars (all none where it has none).
    pub fn particulars(&self) -> &Particulars {
        self.particulars.as_deref().unwrap_or(&Particulars::NONE)
    }
}

/// What a quote's own story shows of it beyond its words, speaker and time:
/// where it was said, a link to the original, an entry's stance, what a
/// reaction answers. Kept apart, and only where there is any of it, as no
/// listing or person page shows it: a build drops it once a story's own
/// pages and export are made ([`Story::keep_what_listings_show`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Particulars {
    /// Where it was said ("Twitter", "Meet the Press").
    pub via: Option<ShortStr>,
    /// Link to the original.
    pub source: Option<Box<str>>,
    /// A timeline entry's stance, in a few words.
    pub position: Option<Box<str>>,
    /// The timeline entry a reaction answers.
    pub responds_to: Option<ShortStr>,
}

impl Particulars {
    /// None of them.
    const NONE: Particulars = Particulars {
        via: None,
        source: None,
        position: None,
        responds_to: None,
    };

    /// These particulars in a box of their own, or none when there are none.
    pub fn boxed(self) -> Option<Box<Particulars>> {
        (self != Particulars::NONE).then(|| Box::new(self))
    }
}

/// A story after parsing and validation: front matter, people and the rendered body.
#[derive(Debug, Clone)]
pub struct Story {
    /// Path of the Markdown file relative to the site root (for messages).
    pub file: PathBuf,
    /// URL path segment(s) under the site root, without slashes at either end.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Optional standfirst.
    pub dek: Option<String>,
    /// Publication time.
    pub published: Moment,
    /// Last update, if any.
    pub updated: Option<Moment>,
    /// Authors.
    pub byline: Vec<ShortStr>,
    /// Tags as written.
    pub tags: Vec<ShortStr>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Everyone this story quotes or mentions, by id (story declarations merged
    /// over `people.toml`).
    pub people: People,
    /// Timeline entries sorted by time (stable: file order breaks ties).
    pub timeline: Vec<Entry>,
    /// Reactions in file order.
    pub reactions: Vec<Reaction>,
    /// Free-form `[extra]`, handed to templates.
    pub extra: serde_json::Value,
    /// The body rendered to HTML, annotations resolved.
    pub body_html: String,
    /// A plain-text opening of the body for feeds and meta descriptions.
    pub summary: String,
    /// The entry and reaction ids the body annotates, sorted.
    pub annotated: Vec<String>,
}

impl Story {
    /// Drops what only the story's own pages and `stories.json` show, once
    /// those are made: the body, each quote's `via`, `source` and
    /// `position`, what a reaction responds to, and `extra`. Listings,
    /// people pages and feeds show none of it, and a site of 100,000
    /// stories keeps every story for them.
    pub fn keep_what_listings_show(&mut self) {
        self.body_html = String::new();
        self.extra = serde_json::Value::Null;
        for entry in &mut self.timeline {
            entry.particulars = None;
        }
        for reaction in &mut self.reactions {
            reaction.particulars = None;
        }
    }

    /// The anchor of the first annotation of the entry or reaction `id` in
    /// the body, if the body annotates it (for the entry's link back to
    /// the text).
    pub fn annotation_of(&self, id: &str) -> Option<String> {
        self.annotated
            .binary_search_by(|annotated| annotated.as_str().cmp(id))
            .ok()
            .map(|_| urls::annotation_anchor(id, 1))
    }

    /// When the story last changed: its update, or else its publication.
    pub fn last_changed(&self) -> &Moment {
        self.updated.as_ref().unwrap_or(&self.published)
    }
}

/// A whole site after parsing and validation: what rendering works from.
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.toml`.
    pub config: crate::config::Config,
    /// Published stories (drafts only when built with `--drafts`), newest first;
    /// ties broken by slug so the order never depends on the file system.
    pub stories: Vec<Arc<Story>>,
    /// Everyone on the site, by id: `people.toml` first, then the first story
    /// (in file path order) that declares them.
    pub people: BTreeMap<String, Arc<Person>>,
}

/// Whether `id` keeps to the alphabet every id (of a person, timeline entry
/// or reaction) is written in: ASCII letters, digits, `-` and `_`. Ids
/// become URL segments (`/people/<id>/`) and page anchors (`#entry-<id>`),
/// so nothing else may reach a path or an attribute.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_'))
}

/// The help for an id outside that alphabet: the alphabet, and the id
/// rewritten in it where something of it is left.
pub fn id_help(id: &str) -> String {
    let alphabet = "ids use ASCII letters, digits, `-` and `_`";
    match slug::slugify(id) {
        suggestion if suggestion.is_empty() => alphabet.to_owned(),
        suggestion => format!("{alphabet}: write `{suggestion}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, name: &str) -> Arc<Person> {
        Arc::new(Person {
            id: id.to_owned(),
            name: name.to_owned(),
            role: None,
            party: None,
            region: None,
            url: None,
        })
    }

    #[test]
    fn people_are_found_by_id_in_order_the_later_of_two_alike_kept() {
        let people: People = [
            person("rubio", "Rubio"),
            person("graham", "Graham"),
            person("rubio", "Marco Rubio"),
        ]
        .into_iter()
        .collect();
        assert_eq!(people.keys().collect::<Vec<_>>(), ["graham", "rubio"]);
        assert_eq!(
            people.get("rubio").map(|p| p.name.as_str()),
            Some("Marco Rubio")
        );
        assert!(people.get("schiff").is_none());
    }
}
