//! A story's front matter as written, before any check: what serde reads
//! (with spans, for diagnostics) and what `backtrack schema story` describes
//! to editors, from these types and their doc comments.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::load::people::RawPerson;
use crate::model::{Flip, Stance};
use crate::schema::datetime::TomlDatetime;

/// A story's front matter as written. Its doc comments are the
/// descriptions `backtrack schema story` gives editors.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "backtrack story front matter",
    description = "The TOML between a story's +++ lines: `title` and `published` are required."
)]
pub(crate) struct RawStory {
    /// The headline.
    #[schemars(with = "String")]
    pub(super) title: Spanned<String>,
    /// A one-sentence standfirst under the title.
    pub(super) dek: Option<String>,
    /// When the story was published: an offset date-time, a local date-time (read in
    /// site.toml's `timezone`) or a date.
    #[schemars(with = "TomlDatetime")]
    pub(super) published: Spanned<Datetime>,
    /// When the story was last updated.
    #[schemars(with = "Option<TomlDatetime>")]
    pub(super) updated: Option<Spanned<Datetime>>,
    /// The authors' names.
    #[serde(default)]
    pub(super) byline: Vec<String>,
    /// The story's tags; each gets a page.
    #[serde(default)]
    pub(super) tags: Vec<String>,
    /// The story's URL path (default: its file's path under content/).
    #[schemars(with = "Option<String>")]
    pub(super) slug: Option<Spanned<String>>,
    /// Drafts are built only with --drafts.
    #[serde(default)]
    pub(super) draft: bool,
    /// Everyone quoted, keyed by the id `by` uses.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawPerson>")]
    pub(super) people: BTreeMap<Spanned<String>, RawPerson>,
    /// Statements and events, in any order.
    #[serde(default)]
    pub(super) timeline: Vec<RawEntry>,
    /// What others said in response.
    #[serde(default)]
    pub(super) reactions: Vec<RawReaction>,
    /// Free-form data handed to templates as `story.extra`.
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    pub(super) extra: Option<toml::Table>,
}

/// A `[[timeline]]` entry as written.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "A statement (`by` and `said`) or an event (`event`), with its time.")]
pub(super) struct RawEntry {
    /// Unique within the story; `@id` in the text and `reverses` name it.
    #[schemars(with = "String")]
    pub(super) id: Spanned<String>,
    /// Who said it: a key of [people] (or people.toml). Required with `said`.
    #[schemars(with = "Option<String>")]
    pub(super) by: Option<Spanned<String>>,
    /// When it was said or happened: an offset date-time, a local date-time or a date.
    #[schemars(with = "TomlDatetime")]
    pub(super) at: Spanned<Datetime>,
    /// The time is known only roughly: pages say "about".
    #[serde(default)]
    pub(super) approximate: bool,
    /// Where it was said ("Twitter", "Meet the Press").
    pub(super) via: Option<String>,
    /// A link to the original: an absolute http(s) URL.
    #[schemars(with = "Option<String>")]
    pub(super) source: Option<Spanned<String>>,
    /// The words, verbatim (a statement; needs `by`).
    #[schemars(with = "Option<String>")]
    pub(super) said: Option<Spanned<String>>,
    /// Something that happened, instead of `said`.
    #[schemars(with = "Option<String>")]
    pub(super) event: Option<Spanned<String>>,
    /// The stance this statement takes, in a few words.
    pub(super) position: Option<String>,
    /// The id of an earlier entry this one walks back.
    #[schemars(with = "Option<String>")]
    pub(super) reverses: Option<Spanned<String>>,
    /// How far it walks back: "half" or "full" (the default). Only with `reverses`.
    #[schemars(with = "Option<Flip>")]
    pub(super) flip: Option<Spanned<String>>,
}

/// A `[[reactions]]` entry as written.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "What someone said in response: `by`, `said` and `stance`.")]
pub(super) struct RawReaction {
    /// Default: `reaction-N`, N counting from 1 in file order.
    #[schemars(with = "Option<String>")]
    pub(super) id: Option<Spanned<String>>,
    /// Who reacted: a key of [people] (or people.toml).
    #[schemars(with = "String")]
    pub(super) by: Spanned<String>,
    /// What they said, verbatim.
    pub(super) said: String,
    /// Where the reaction stands.
    #[schemars(with = "Stance")]
    pub(super) stance: Spanned<String>,
    /// Where it was said.
    pub(super) via: Option<String>,
    /// When it was said.
    #[schemars(with = "Option<TomlDatetime>")]
    pub(super) at: Option<Spanned<Datetime>>,
    /// The time is known only roughly.
    #[serde(default)]
    pub(super) approximate: bool,
    /// A link to the original: an absolute http(s) URL.
    #[schemars(with = "Option<String>")]
    pub(super) source: Option<Spanned<String>>,
    /// The id of the timeline entry it answers.
    #[schemars(with = "Option<String>")]
    pub(super) responds_to: Option<Spanned<String>>,
}
