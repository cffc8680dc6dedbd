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
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex, PoisonError};

use ahash::AHashMap;
use rayon::prelude::*;
use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::config::Config;
use crate::model::{Flip, Happening, Person, ShortStr, Site, Story};
use crate::timeline;
use crate::urls;

#[derive(Serialize)]
struct SiteRef<'a> {
    title: &'a str,
    base_url: &'a str,
}

#[skip_serializing_none]
#[derive(Serialize)]
struct StoryExport<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    dek: Option<&'a str>,
    published: String,
    updated: Option<String>,
    byline: &'a [ShortStr],
    tags: &'a [ShortStr],
    people: BTreeMap<&'a str, PersonExport<'a>>,
    timeline: Vec<EntryExport<'a>>,
    reactions: Vec<ReactionExport<'a>>,
}

#[skip_serializing_none]
#[derive(Serialize)]
struct PersonExport<'a> {
    name: &'a str,
    role: Option<&'a str>,
    party: Option<&'a str>,
    region: Option<&'a str>,
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

#[skip_serializing_none]
#[derive(Serialize)]
struct EntryExport<'a> {
    id: &'a str,
    at: String,
    precision: crate::times::Precision,
    approximate: bool,
    by: Option<&'a str>,
    said: Option<&'a str>,
    event: Option<&'a str>,
    via: Option<&'a str>,
    source: Option<&'a str>,
    position: Option<&'a str>,
    reverses: Option<&'a str>,
    flip: Option<Flip>,
    gap: Option<String>,
}

#[skip_serializing_none]
#[derive(Serialize)]
struct ReactionExport<'a> {
    id: &'a str,
    by: &'a str,
    said: &'a str,
    stance: &'static str,
    via: Option<&'a str>,
    at: Option<String>,
    source: Option<&'a str>,
    responds_to: Option<&'a str>,
}

fn story_export<'a>(story: &'a Story, config: &Config) -> StoryExport<'a> {
    let timeline = timeline::items(story)
        .into_iter()
        .map(|item| {
            let entry = item.entry;
            let (said, event) = match &entry.happening {
                Happening::Statement { said, .. } => (Some(&**said), None),
                Happening::Event { event, .. } => (None, Some(&**event)),
            };
            let particulars = entry.particulars();
            EntryExport {
                id: &entry.id,
                at: entry.at.machine(),
                precision: entry.at.precision(),
                approximate: entry.at.approximate(),
                by: entry.by(),
                said,
                event,
                via: particulars.via.as_deref(),
                source: particulars.source.as_deref(),
                position: particulars.position.as_deref(),
                reverses: entry.reverses.as_ref().map(|(id, _)| id.as_str()),
                flip: entry.reverses.as_ref().map(|(_, flip)| *flip),
                gap: item.reverses.map(|link| link.gap),
            }
        })
        .collect();
    StoryExport {
        slug: &story.slug,
        url: config.url_to(&urls::story(&story.slug)),
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
            .map(|reaction| {
                let particulars = reaction.particulars();
                ReactionExport {
                    id: &reaction.id,
                    by: &reaction.by,
                    said: &reaction.said,
                    stance: reaction.stance.as_str(),
                    via: particulars.via.as_deref(),
                    at: reaction.at.as_ref().map(|moment| moment.machine()),
                    source: particulars.source.as_deref(),
                    responds_to: particulars.responds_to.as_deref(),
                }
            })
            .collect(),
    }
}

/// Stories serialized per parallel job: small enough that every core gets
/// a share, large enough to be worth a job.
const STORIES_PER_CHUNK: usize = 64;

/// About what one story takes in the export (in the benchmark corpus), to
/// size buffers once.
const BYTES_PER_STORY: usize = 2304;

/// `stories.json`: every story of `site`, in the schema above.
pub fn stories_json(site: &Site) -> Vec<u8> {
    let parts: Vec<Vec<u8>> = site
        .stories
        .par_iter()
        .with_min_len(STORIES_PER_CHUNK)
        .map(|story| story_part(story, &site.config))
        .collect();
    joined(site, &parts)
}

/// `stories.json` made as a build reads its stories: each story's part is
/// serialized as soon as the story is parsed and kept in a file (unnamed:
/// gone when the build ends), and the export is written from the parts in
/// the site's order at the end. A build then never holds the export in
/// memory, and the stories it keeps need not hold what only the export
/// shows ([`Story::keep_what_listings_show`]).
pub struct ExportSpool {
    /// The parts, one after another, and how long the file is.
    file: Mutex<(File, u64)>,
    /// Each story's part: where it starts in the file and how long it is.
    parts: Mutex<AHashMap<String, (u64, usize)>>,
}

impl ExportSpool {
    /// A spool keeping the parts in `file`, an empty file of its own.
    pub fn new(file: File) -> Self {
        ExportSpool {
            file: Mutex::new((file, 0)),
            parts: Mutex::default(),
        }
    }

    /// Serializes `story`'s part and keeps it.
    pub fn add(&self, story: &Story, config: &Config) -> io::Result<()> {
        let part = story_part(story, config);
        let offset = {
            let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
            let offset = file.1;
            file.0.write_all(&part)?;
            file.1 += part.len() as u64;
            offset
        };
        self.parts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(story.slug.clone(), (offset, part.len()));
        Ok(())
    }

    /// Writes `stories.json` of `site` to `out` from the kept parts: the
    /// same bytes as [`stories_json`] of the stories the parts were made of.
    pub fn write(&self, site: &Site, out: &mut dyn Write) -> io::Result<()> {
        let file = &self.file.lock().unwrap_or_else(PoisonError::into_inner).0;
        let parts = self.parts.lock().unwrap_or_else(PoisonError::into_inner);
        write_head(site, out)?;
        let mut part = Vec::with_capacity(BYTES_PER_STORY);
        for (index, story) in site.stories.iter().enumerate() {
            let &(offset, length) = parts.get(&story.slug).ok_or_else(|| {
                io::Error::other(format!("the export of `{}` was not kept", story.slug))
            })?;
            part.resize(length, 0);
            let mut reader = file;
            reader.seek(SeekFrom::Start(offset))?;
            reader.read_exact(&mut part)?;
            if index > 0 {
                out.write_all(b",")?;
            }
            out.write_all(&part)?;
        }
        out.write_all(TAIL)
    }
}

/// Each story's part of `stories.json` as last serialized, kept between
/// `serve`'s rebuilds so that a save re-serializes only the stories it
/// changed. A story is known by its `Arc`: an unchanged story keeps its
/// `Arc` from one rebuild to the next, and the one held here keeps its
/// address from being reused by another.
#[derive(Default)]
pub struct StoryExports(Mutex<AHashMap<String, KeptExport>>);

/// One story's serialized part of `stories.json`, with the story it was
/// serialized from.
struct KeptExport {
    story: Arc<Story>,
    part: Arc<[u8]>,
}

/// `stories.json` of `site` (as [`stories_json`] makes it), reusing the
/// parts of `kept` whose stories did not change, and keeping this site's.
pub fn stories_json_reusing(site: &Site, kept: &StoryExports) -> Vec<u8> {
    let mut kept = kept.0.lock().unwrap_or_else(PoisonError::into_inner);
    let known = &*kept;
    let parts: Vec<Arc<[u8]>> = site
        .stories
        .par_iter()
        .with_min_len(STORIES_PER_CHUNK)
        .map(|story| match known.get(&story.slug) {
            Some(kept) if Arc::ptr_eq(&kept.story, story) => Arc::clone(&kept.part),
            _ => story_part(story, &site.config).into(),
        })
        .collect();
    let out = joined(site, &parts);
    *kept = site
        .stories
        .iter()
        .zip(parts)
        .map(|(story, part)| {
            let kept = KeptExport {
                story: Arc::clone(story),
                part,
            };
            (story.slug.clone(), kept)
        })
        .collect();
    out
}

/// What closes `stories.json`.
const TAIL: &[u8] = b"]}\n";

/// `stories.json` up to its first story.
fn write_head(site: &Site, out: &mut dyn Write) -> io::Result<()> {
    let site_ref = SiteRef {
        title: &site.config.title,
        base_url: &site.config.base_url,
    };
    out.write_all(br#"{"version":1,"site":"#)?;
    serde_json::to_writer(&mut *out, &site_ref)?;
    out.write_all(br#","stories":["#)
}

/// `stories.json` of `site` from its stories' parts, in order.
fn joined(site: &Site, parts: &[impl AsRef<[u8]>]) -> Vec<u8> {
    let length = parts
        .iter()
        .map(|part| part.as_ref().len() + 1)
        .sum::<usize>();
    let mut out = Vec::with_capacity(length + 256);
    // Writing into a Vec cannot fail.
    let _ = write_head(site, &mut out);
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        out.extend_from_slice(part.as_ref());
    }
    out.extend_from_slice(TAIL);
    out
}

/// One story's object in `stories.json`.
fn story_part(story: &Story, config: &Config) -> Vec<u8> {
    let mut part = Vec::with_capacity(BYTES_PER_STORY);
    // Serializing plain strings and numbers into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut part, &story_export(story, config));
    part
}

#[skip_serializing_none]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LdPerson<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    job_title: Option<&'a str>,
}

#[skip_serializing_none]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LdQuotation<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
    spoken_by_character: Option<LdPerson<'a>>,
    date_created: Option<String>,
}

#[derive(Serialize)]
struct LdOrganization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LdArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    date_published: String,
    date_modified: String,
    url: String,
    main_entity_of_page: String,
    author: Vec<LdPerson<'a>>,
    keywords: &'a [ShortStr],
    mentions: Vec<LdPerson<'a>>,
    citation: Vec<LdQuotation<'a>>,
    publisher: LdOrganization<'a>,
}

/// The JSON-LD `NewsArticle` of a story page, with its statements and
/// reactions as `Quotation`s and its people as `Person`s; safe to place
/// inside a `<script>` element (`<`, `>` and `&` are escaped).
pub fn json_ld(story: &Story, config: &Config) -> String {
    let person = |id: &str| {
        story.people.get(id).map(|person| LdPerson {
            kind: "Person",
            name: &person.name,
            job_title: person.role.as_deref(),
        })
    };
    let quotations = story
        .timeline
        .iter()
        .filter_map(|entry| match &entry.happening {
            Happening::Statement { by, said } => Some(LdQuotation {
                kind: "Quotation",
                text: said,
                spoken_by_character: person(by),
                date_created: Some(entry.at.machine()),
            }),
            Happening::Event { .. } => None,
        })
        .chain(story.reactions.iter().map(|reaction| LdQuotation {
            kind: "Quotation",
            text: &reaction.said,
            spoken_by_character: person(&reaction.by),
            date_created: reaction.at.as_ref().map(|moment| moment.machine()),
        }))
        .collect();
    let page = config.url_to(&urls::story(&story.slug));
    let article = LdArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        headline: &story.title,
        description: story.dek.as_deref().unwrap_or(&story.summary),
        date_published: story.published.rfc3339(),
        date_modified: story.last_changed().rfc3339(),
        url: page.clone(),
        main_entity_of_page: page,
        author: story
            .byline
            .iter()
            .map(|name| LdPerson {
                kind: "Person",
                name,
                job_title: None,
            })
            .collect(),
        keywords: &story.tags,
        mentions: story.people.keys().filter_map(|id| person(id)).collect(),
        citation: quotations,
        publisher: LdOrganization {
            kind: "Organization",
            name: &config.title,
        },
    };
    let json = serde_json::to_vec(&article).unwrap_or_default();
    String::from_utf8(script_safe(json)).unwrap_or_default()
}

/// `json` with `<`, `>` and `&` escaped as `\u003c`, `\u003e` and `\u0026`
/// (in JSON they occur only inside strings, where the escapes mean the
/// same), so that no text can close the `<script>` element it sits in.
fn script_safe(json: Vec<u8>) -> Vec<u8> {
    let mut found = memchr::memchr3_iter(b'<', b'>', b'&', &json).peekable();
    if found.peek().is_none() {
        return json;
    }
    let mut out = Vec::with_capacity(json.len() + 64);
    let mut copied = 0;
    for at in found {
        out.extend_from_slice(&json[copied..at]);
        out.extend_from_slice(match json[at] {
            b'<' => b"\\u003c",
            b'>' => b"\\u003e",
            _ => b"\\u0026",
        });
        copied = at + 1;
    }
    out.extend_from_slice(&json[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::script_safe;

    #[test]
    fn script_safe_escapes_what_could_close_the_script_and_keeps_the_rest() {
        let json = br#"{"a":"</script> & <b>","b":"plain"}"#.to_vec();
        let safe = String::from_utf8(script_safe(json)).expect("UTF-8");
        assert_eq!(
            safe,
            r#"{"a":"\u003c/script\u003e \u0026 \u003cb\u003e","b":"plain"}"#
        );
        let decoded: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(decoded["a"], "</script> & <b>");
        let plain = br#"{"b":"plain"}"#.to_vec();
        assert_eq!(script_safe(plain.clone()), plain);
    }
}
