//! Machine-readable output, built with serde rather than templates: the
//! `stories.json` export of every story's people, timeline and reactions, and
//! the JSON-LD (`NewsArticle` with `Quotation`s and `Person`s) on story pages.
//!
//! `stories.json` schema (version 1):
//!
//! ```text
//! { "version": 1, "site": { "title", "base_url" },
//!   "stories": [ { "slug", "url", "title", "dek"?, "published", "updated"?,
//!                  "byline": [..], "tags": [..],
//!                  "people": { "<id>": { "name", "role"?, "party"?, "region"?, "url"? } },
//!                  "timeline": [ { "id", "at", "precision": "day"|"time", "approximate",
//!                                  "by"?, "said"?, "event"?, "via"?, "source"?, "position"?,
//!                                  "reverses"?, "flip"?, "gap"? } ],
//!                  "reactions": [ { "id", "by", "said", "stance", "via"?, "at"?,
//!                                   "source"?, "responds_to"? } ] } ] }
//! ```
//! Times are RFC 3339 (`at` of a bare date is `YYYY-MM-DD`), stories newest first,
//! timeline entries in time order, absent optional fields left out.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use crate::config::Config;
use crate::model::{Flip, Happening, Person, Site, Story};
use crate::timeline;

#[derive(Serialize)]
struct Export<'a> {
    version: u32,
    site: SiteRef<'a>,
    stories: Vec<StoryExport<'a>>,
}

#[derive(Serialize)]
struct SiteRef<'a> {
    title: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct StoryExport<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dek: Option<&'a str>,
    published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    byline: &'a [String],
    tags: &'a [String],
    people: BTreeMap<&'a str, PersonExport<'a>>,
    timeline: Vec<EntryExport<'a>>,
    reactions: Vec<ReactionExport<'a>>,
}

#[derive(Serialize)]
struct PersonExport<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    party: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

impl<'a> From<&'a Person> for PersonExport<'a> {
    fn from(person: &'a Person) -> Self {
        PersonExport {
            name: &person.name,
            role: person.role.as_deref(),
            party: person.party.as_deref(),
            region: person.region.as_deref(),
            url: person.url.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct EntryExport<'a> {
    id: &'a str,
    at: String,
    precision: crate::times::Precision,
    approximate: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    said: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reverses: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flip: Option<Flip>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gap: Option<String>,
}

#[derive(Serialize)]
struct ReactionExport<'a> {
    id: &'a str,
    by: &'a str,
    said: &'a str,
    stance: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    responds_to: Option<&'a str>,
}

fn story_export<'a>(story: &'a Story, config: &Config) -> StoryExport<'a> {
    let timeline = timeline::items(story)
        .into_iter()
        .map(|item| {
            let entry = item.entry;
            let (said, event) = match &entry.happening {
                Happening::Statement { said, .. } => (Some(said.as_str()), None),
                Happening::Event { event, .. } => (None, Some(event.as_str())),
            };
            EntryExport {
                id: &entry.id,
                at: entry.at.machine(),
                precision: entry.at.precision,
                approximate: entry.at.approximate,
                by: entry.by(),
                said,
                event,
                via: entry.via.as_deref(),
                source: entry.source.as_deref(),
                position: entry.position.as_deref(),
                reverses: entry.reverses.as_ref().map(|(id, _)| id.as_str()),
                flip: entry.reverses.as_ref().map(|(_, flip)| *flip),
                gap: item.reverses.map(|link| link.gap),
            }
        })
        .collect();
    StoryExport {
        slug: &story.slug,
        url: config.url_to(&format!("{}/", story.slug)),
        title: &story.title,
        dek: story.dek.as_deref(),
        published: story.published.machine(),
        updated: story.updated.as_ref().map(|moment| moment.machine()),
        byline: &story.byline,
        tags: &story.tags,
        people: story
            .people
            .iter()
            .map(|(id, person)| (id.as_str(), PersonExport::from(person.as_ref())))
            .collect(),
        timeline,
        reactions: story
            .reactions
            .iter()
            .map(|reaction| ReactionExport {
                id: &reaction.id,
                by: &reaction.by,
                said: &reaction.said,
                stance: reaction.stance.as_str(),
                via: reaction.via.as_deref(),
                at: reaction.at.as_ref().map(|moment| moment.machine()),
                source: reaction.source.as_deref(),
                responds_to: reaction.responds_to.as_deref(),
            })
            .collect(),
    }
}

/// `stories.json`: every story of `site`, in the schema above.
pub fn stories_json(site: &Site) -> Vec<u8> {
    let export = Export {
        version: 1,
        site: SiteRef {
            title: &site.config.title,
            base_url: &site.config.base_url,
        },
        stories: site
            .stories
            .iter()
            .map(|story| story_export(story, &site.config))
            .collect(),
    };
    let mut out = Vec::with_capacity(site.stories.len() * 2048);
    // Serializing plain strings and numbers into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut out, &export);
    out.push(b'\n');
    out
}

/// The story page's JSON-LD, safe to place inside `<script>`: `<` is escaped
/// so no quote can close the script element.
pub fn json_ld(story: &Story, config: &Config) -> String {
    let person = |id: &str| {
        story.people.get(id).map(
            |person| json!({ "@type": "Person", "name": person.name, "jobTitle": person.role }),
        )
    };
    let quotations: Vec<serde_json::Value> = story
        .timeline
        .iter()
        .filter_map(|entry| match &entry.happening {
            Happening::Statement { by, said } => Some(json!({
                "@type": "Quotation",
                "text": said,
                "spokenByCharacter": person(by),
                "dateCreated": entry.at.machine(),
            })),
            Happening::Event { .. } => None,
        })
        .chain(story.reactions.iter().map(|reaction| {
            json!({
                "@type": "Quotation",
                "text": reaction.said,
                "spokenByCharacter": person(&reaction.by),
            })
        }))
        .collect();
    let authors: Vec<serde_json::Value> = story
        .byline
        .iter()
        .map(|name| json!({ "@type": "Person", "name": name }))
        .collect();
    let mentions: Vec<serde_json::Value> =
        story.people.keys().filter_map(|id| person(id)).collect();
    let article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "description": story.dek.as_deref().unwrap_or(&story.summary),
        "datePublished": story.published.rfc3339(),
        "dateModified": story.updated.as_ref().unwrap_or(&story.published).rfc3339(),
        "url": config.url_to(&format!("{}/", story.slug)),
        "mainEntityOfPage": config.url_to(&format!("{}/", story.slug)),
        "author": authors,
        "keywords": story.tags,
        "mentions": mentions,
        "citation": quotations,
        "publisher": { "@type": "Organization", "name": config.title },
    });
    article
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
