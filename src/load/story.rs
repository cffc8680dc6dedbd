//! One story file → a validated [`Story`]. This is where FORMAT.md's
//! per-story rules live: required and unknown keys (by serde, with spans),
//! unique ids, references (`by`, `reverses`, `responds_to`, `@id`), reversal
//! order and cycles, allowed `stance`/`flip` values, real dates and http(s)
//! links. Every problem in the file is collected; the story is returned only
//! when there are none.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use toml::Spanned;
use toml::value::Datetime;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::load::digest::Source;
use crate::load::front_matter::{split, toml_error};
use crate::load::markdown::{self, Target};
use crate::load::people::{Declaration, Interner, Registry, check_web_url, declare};
use crate::model::{
    Entry, Flip, Happening, Particulars, Person, Reaction, Stance, Story, id_help, is_valid_id,
};
use crate::times::Moment;

mod cycles;
mod raw;

use cycles::{cycle_from, entries_on_cycles};
pub(crate) use raw::RawStory;
use raw::{RawEntry, RawReaction};

/// A story file's outcome: the parsed story, or every problem in the file.
pub type Outcome = Result<Parsed, Vec<Diagnostic>>;

/// A parsed story with what the site-wide checks need to know about it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The story itself.
    pub story: Arc<Story>,
    /// The people this file declares itself (for the site-wide name check).
    pub declared: Vec<Declaration>,
    /// The file, for diagnostics that span stories.
    pub file: Arc<SourceFile>,
    /// Where the slug comes from: the `slug` value, or the file's start.
    pub slug_span: Range<usize>,
    /// The file's hashes, for the next build into the same output.
    pub source: Source,
}

impl Parsed {
    /// This reading with its file's text left on disk at `from` (see
    /// [`SourceFile::on_disk`]): a site keeps every story's reading for the
    /// site-wide checks, which rarely need the text.
    pub fn text_left_on_disk(mut self, from: PathBuf) -> Parsed {
        let file = SourceFile::on_disk(&self.file.path, from);
        for declaration in &mut self.declared {
            declaration.file = Arc::clone(&file);
        }
        self.file = file;
        self
    }

    /// Whether `other` (a newer reading of the same file) leaves every fact
    /// the site-wide checks and listings' structure rest on as it was: the
    /// URL, the place in the archive's order, draft state, tags, and the
    /// people it names and declares. Text, quotes and times may differ.
    pub fn same_site_facts(&self, other: &Parsed) -> bool {
        let (before, now) = (&self.story, &other.story);
        before.slug == now.slug
            && before.draft == now.draft
            && before.published.instant == now.published.instant
            && before.tags == now.tags
            && before.people == now.people
            && self.declared.len() == other.declared.len()
            && self
                .declared
                .iter()
                .zip(&other.declared)
                .all(|(a, b)| a.person == b.person)
    }
}

/// What every story is read against.
pub struct Context<'a> {
    /// `site.toml`.
    pub config: &'a Config,
    /// `people.toml`'s declarations.
    pub registry: &'a Registry,
    /// The people declared so far, each once.
    people: Interner,
}

impl<'a> Context<'a> {
    /// Stories read against `config` and `registry`.
    pub fn new(config: &'a Config, registry: &'a Registry) -> Self {
        Context {
            config,
            registry,
            people: Interner::default(),
        }
    }
}

/// Parses and checks one story file. `default_slug` comes from its path.
pub fn parse(
    file: &Arc<SourceFile>,
    default_slug: String,
    context: &Context,
) -> Result<Parsed, Vec<Diagnostic>> {
    let parts = split(file).map_err(|problem| vec![problem])?;
    let raw: RawStory = toml::from_str(parts.front)
        .map_err(|error| toml_error(file, parts.front_offset, &error).0)?;
    let mut checker = Checker {
        file,
        offset: parts.front_offset,
        context,
        problems: Vec::new(),
    };
    let (slug, slug_span) = match &raw.slug {
        Some(slug) => (checker.slug(slug), checker.span(slug.span())),
        None => (default_slug, 0..0),
    };
    let published = checker.moment(&raw.published, false);
    let updated = raw.updated.as_ref().map(|at| checker.moment(at, false));
    let declared: Vec<Declaration> = raw
        .people
        .into_iter()
        .map(|(id, person)| {
            let declaration = declare(&id, person, file, parts.front_offset, &mut checker.problems);
            Declaration {
                person: context.people.intern(declaration.person),
                ..declaration
            }
        })
        .collect();
    let mut people = checker.people_in_scope(&declared);
    let ids = checker.unique_ids(&raw.timeline, &raw.reactions);
    let timeline = checker.timeline(raw.timeline, &people, &ids);
    let reactions = checker.reactions(raw.reactions, &people, &ids);
    people.retain(|id, _| {
        declared
            .iter()
            .any(|declaration| &declaration.person.id == id)
            || timeline.iter().any(|(entry, _)| entry.by() == Some(id))
            || reactions.iter().any(|reaction| reaction.by == *id)
    });
    let body = markdown::render(
        parts.body,
        parts.body_offset,
        file,
        &ids,
        context.config.unsafe_html,
    );
    checker.problems.extend(body.problems);
    let Some(published) = published.filter(|_| checker.problems.is_empty()) else {
        return Err(checker.problems);
    };
    let title = raw.title.into_inner();
    let story = Story {
        file: file.path.clone(),
        slug,
        title,
        dek: raw.dek,
        published,
        updated: updated.flatten(),
        byline: raw.byline.into_iter().map(Into::into).collect(),
        tags: raw.tags.into_iter().map(Into::into).collect(),
        draft: raw.draft,
        people: people.into_values().collect(),
        timeline: timeline.into_iter().map(|(entry, _)| entry).collect(),
        reactions,
        extra: serde_json::to_value(raw.extra.unwrap_or_default())
            .unwrap_or(serde_json::Value::Null),
        body_html: body.html,
        summary: body.summary,
        annotated: body.annotated,
    };
    let text = file.text();
    let front = &text[..parts.body_offset];
    Ok(Parsed {
        source: Source::of(&file.path, text, front, &story),
        story: Arc::new(story),
        declared,
        file: Arc::clone(file),
        slug_span,
    })
}

struct Checker<'a> {
    file: &'a Arc<SourceFile>,
    offset: usize,
    context: &'a Context<'a>,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn span(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.offset..span.end + self.offset
    }

    fn problem(&mut self, span: Range<usize>, message: impl Into<String>) -> &mut Diagnostic {
        let span = self.span(span);
        self.problems
            .push(Diagnostic::new(self.file, span, message));
        self.problems
            .last_mut()
            .unwrap_or_else(|| unreachable!("just pushed"))
    }

    fn moment(&mut self, at: &Spanned<Datetime>, approximate: bool) -> Option<Moment> {
        let timezone = self.context.config.timezone.as_ref();
        match Moment::from_toml(at.get_ref(), timezone, approximate) {
            Ok(moment) => Some(moment),
            Err(error) => {
                self.problem(at.span(), error.message).help = error.help;
                None
            }
        }
    }

    fn slug(&mut self, slug: &Spanned<String>) -> String {
        let text = slug.get_ref().trim_matches('/');
        let bad_segment = text.split('/').find(|segment| {
            segment.is_empty()
                || *segment == "."
                || *segment == ".."
                || !segment
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
        });
        if let Some(segment) = bad_segment {
            self.problem(
                slug.span(),
                format!(
                    "the slug `{}` has an unusable part `{segment}`",
                    slug.get_ref()
                ),
            )
            .help = Some("use letters, digits, `-` and `_`, with `/` between parts".to_owned());
        }
        text.to_owned()
    }

    /// The story's own declarations over `people.toml`'s.
    fn people_in_scope(&self, declared: &[Declaration]) -> BTreeMap<String, Arc<Person>> {
        let mut people: BTreeMap<String, Arc<Person>> = self
            .context
            .registry
            .iter()
            .map(|(id, declaration)| (id.clone(), Arc::clone(&declaration.person)))
            .collect();
        for declaration in declared {
            people.insert(
                declaration.person.id.clone(),
                Arc::clone(&declaration.person),
            );
        }
        people
    }

    fn unique_ids(
        &mut self,
        timeline: &[RawEntry],
        reactions: &[RawReaction],
    ) -> HashMap<String, Target> {
        let mut ids: HashMap<String, (Target, Range<usize>)> = HashMap::new();
        let entries = timeline
            .iter()
            .map(|entry| (entry.id.get_ref().clone(), entry.id.span(), Target::Entry));
        let reactions = reactions.iter().enumerate().map(|(index, reaction)| {
            let (id, span) = reaction_id(index, reaction);
            (id, span, Target::Reaction)
        });
        for (id, span, target) in entries.chain(reactions) {
            if !is_valid_id(&id) {
                self.problem(
                    span.clone(),
                    format!("the id `{id}` has characters ids cannot have"),
                )
                .help = Some(id_help(&id));
            }
            if let Some((_, first)) = ids.get(&id) {
                let first = self.span(first.clone());
                let file = Arc::clone(self.file);
                self.problem(span, format!("the id `{id}` is used twice in this story"))
                    .related = Some((file, first, "first used here".to_owned()));
            } else {
                ids.insert(id, (target, span));
            }
        }
        ids.into_iter()
            .map(|(id, (target, _))| (id, target))
            .collect()
    }

    fn person_ref(&mut self, by: &Spanned<String>, people: &BTreeMap<String, Arc<Person>>) {
        if !people.contains_key(by.get_ref()) {
            let help = did_you_mean(by.get_ref(), people.keys().map(String::as_str))
                .unwrap_or_else(|| {
                    format!(
                        "declare them under [people.{}] (or in people.toml) with at least a name",
                        by.get_ref()
                    )
                });
            self.problem(
                by.span(),
                format!("no person `{}` in this story", by.get_ref()),
            )
            .help = Some(help);
        }
    }

    fn web_url(&mut self, url: &Option<Spanned<String>>) {
        if let Some(url) = url
            && let Err(message) = check_web_url(url.get_ref())
        {
            self.problem(url.span(), message);
        }
    }

    /// Checks and converts the timeline; returns entries sorted by time with
    /// the span of each `reverses` value (for the order and cycle checks).
    /// `ids` are every id the story declares, including entries that are
    /// dropped for a problem of their own (reported once, not again by what
    /// refers to them).
    fn timeline(
        &mut self,
        raw: Vec<RawEntry>,
        people: &BTreeMap<String, Arc<Person>>,
        ids: &HashMap<String, Target>,
    ) -> Vec<(Entry, Option<Range<usize>>)> {
        let mut entries = Vec::with_capacity(raw.len());
        for entry in raw {
            if let Some(entry) = self.entry(entry, people) {
                entries.push(entry);
            }
        }
        entries.sort_by_key(|(entry, _): &(Entry, _)| entry.at.instant);
        self.reversals(&entries, ids);
        entries
    }

    fn entry(
        &mut self,
        raw: RawEntry,
        people: &BTreeMap<String, Arc<Person>>,
    ) -> Option<(Entry, Option<Range<usize>>)> {
        if let Some(by) = &raw.by {
            self.person_ref(by, people);
        }
        self.web_url(&raw.source);
        let happening = match (raw.said, raw.event, raw.by.clone()) {
            (Some(said), None, Some(by)) => Some(Happening::Statement {
                by: by.into_inner().into(),
                said: said.into_inner().into(),
            }),
            (None, Some(event), by) => Some(Happening::Event {
                event: event.into_inner().into(),
                by: by.map(|by| by.into_inner().into()),
            }),
            (Some(_), Some(event), _) => {
                self.problem(
                    event.span(),
                    "an entry has either `said` or `event`, not both",
                )
                .help = Some("split it into two entries".to_owned());
                None
            }
            (Some(said), None, None) => {
                self.problem(said.span(), "a quote needs `by`: who said it")
                    .help = Some(
                    "add `by = \"<person id>\"`, or use `event` for something that happened"
                        .to_owned(),
                );
                None
            }
            (None, None, _) => {
                self.problem(raw.id.span(), "this entry has neither `said` nor `event`")
                    .help =
                    Some("add `said = \"...\"` (with `by`) or `event = \"...\"`".to_owned());
                None
            }
        };
        let flip = match &raw.flip {
            None => Flip::Full,
            Some(flip) if raw.reverses.is_none() => {
                self.problem(flip.span(), "`flip` only goes with `reverses`")
                    .help = Some("add `reverses = \"<id of the entry it walks back>\"`".to_owned());
                Flip::Full
            }
            Some(flip) => self.flip(flip),
        };
        let at = self.moment(&raw.at, raw.approximate);
        let reverses_span = raw.reverses.as_ref().map(|target| self.span(target.span()));
        Some((
            Entry {
                id: raw.id.into_inner().into(),
                at: at?,
                happening: happening?,
                particulars: Particulars {
                    via: raw.via.map(Into::into),
                    source: raw.source.map(|source| source.into_inner().into()),
                    position: raw.position.map(Into::into),
                    responds_to: None,
                }
                .boxed(),
                reverses: raw
                    .reverses
                    .map(|target| (target.into_inner().into(), flip)),
            },
            reverses_span,
        ))
    }

    fn flip(&mut self, flip: &Spanned<String>) -> Flip {
        match flip.get_ref().as_str() {
            "full" => Flip::Full,
            "half" => Flip::Half,
            other => {
                let help = did_you_mean(other, ["half", "full"])
                    .unwrap_or_else(|| "write \"half\" or \"full\"".to_owned());
                self.problem(
                    flip.span(),
                    format!("`flip` is \"half\" or \"full\", not \"{other}\""),
                )
                .help = Some(help);
                Flip::Full
            }
        }
    }

    /// Every `reverses` names an earlier entry, and no chain loops.
    fn reversals(
        &mut self,
        entries: &[(Entry, Option<Range<usize>>)],
        ids: &HashMap<String, Target>,
    ) {
        let index: HashMap<&str, &Entry> = entries
            .iter()
            .map(|(entry, _)| (entry.id.as_str(), entry))
            .collect();
        let on_cycles = entries_on_cycles(&index);
        for (entry, span) in entries {
            let (Some((target_id, _)), Some(span)) = (&entry.reverses, span) else {
                continue;
            };
            let Some(target) = index.get(target_id.as_str()) else {
                if ids.get(target_id.as_str()) == Some(&Target::Entry) {
                    continue; // an entry with a problem of its own, already reported
                }
                let help = did_you_mean(target_id, index.keys().copied());
                let diagnostic = Diagnostic::new(
                    self.file,
                    span.clone(),
                    format!("no timeline entry `{target_id}` to reverse"),
                );
                self.problems.push(match help {
                    Some(help) => diagnostic.with_help(help),
                    None => diagnostic,
                });
                continue;
            };
            let cycle = on_cycles
                .contains(entry.id.as_str())
                .then(|| cycle_from(entry, &index))
                .flatten();
            if let Some(cycle) = cycle {
                self.problems.push(
                    Diagnostic::new(
                        self.file,
                        span.clone(),
                        format!("reversals go round in a circle: {}", cycle.join(" → ")),
                    )
                    .with_help(
                        "a walk-back reverses something said before it; remove one `reverses`",
                    ),
                );
            } else if target.at.instant >= entry.at.instant {
                self.problems.push(
                    Diagnostic::new(
                        self.file,
                        span.clone(),
                        format!(
                            "`{}` reverses `{target_id}`, but is not later than it ({} vs {})",
                            entry.id,
                            entry.at.human(),
                            target.at.human()
                        ),
                    )
                    .with_help("a walk-back comes after what it walks back: check both `at` times"),
                );
            }
        }
    }

    fn reactions(
        &mut self,
        raw: Vec<RawReaction>,
        people: &BTreeMap<String, Arc<Person>>,
        ids: &HashMap<String, Target>,
    ) -> Vec<Reaction> {
        let mut reactions = Vec::with_capacity(raw.len());
        for (index, reaction) in raw.into_iter().enumerate() {
            self.person_ref(&reaction.by, people);
            self.web_url(&reaction.source);
            if let Some(target) = &reaction.responds_to
                && ids.get(target.get_ref()) != Some(&Target::Entry)
            {
                // Sorted, so that the suggestion never depends on hashing.
                let entries: std::collections::BTreeSet<&str> = ids
                    .iter()
                    .filter(|(_, kind)| **kind == Target::Entry)
                    .map(|(id, _)| id.as_str())
                    .collect();
                let help = did_you_mean(target.get_ref(), entries);
                self.problem(
                    target.span(),
                    format!("no timeline entry `{}` to respond to", target.get_ref()),
                )
                .help = help;
            }
            let stance = self.stance(&reaction.stance);
            let at = reaction
                .at
                .as_ref()
                .map(|at| self.moment(at, reaction.approximate));
            let (id, _) = reaction_id(index, &reaction);
            if let (Some(stance), Some(at)) = (stance, at.map_or(Some(None), |at| at.map(Some))) {
                reactions.push(Reaction {
                    id: id.into(),
                    by: reaction.by.into_inner().into(),
                    said: reaction.said.into(),
                    stance,
                    at,
                    particulars: Particulars {
                        via: reaction.via.map(Into::into),
                        source: reaction.source.map(|source| source.into_inner().into()),
                        position: None,
                        responds_to: reaction.responds_to.map(|id| id.into_inner().into()),
                    }
                    .boxed(),
                });
            }
        }
        reactions
    }

    fn stance(&mut self, stance: &Spanned<String>) -> Option<Stance> {
        let found = Stance::ALL
            .into_iter()
            .find(|known| known.as_str() == stance.get_ref());
        if found.is_none() {
            let names = Stance::ALL.map(Stance::as_str);
            let help = did_you_mean(stance.get_ref(), names)
                .unwrap_or_else(|| format!("write one of {}", names.join(", ")));
            self.problem(
                stance.span(),
                format!("`stance` cannot be \"{}\"", stance.get_ref()),
            )
            .help = Some(help);
        }
        found
    }
}

/// A reaction's id: its own `id`, or `reaction-N` counting from 1.
fn reaction_id(index: usize, reaction: &RawReaction) -> (String, Range<usize>) {
    match &reaction.id {
        Some(id) => (id.get_ref().clone(), id.span()),
        None => (format!("reaction-{}", index + 1), reaction.by.span()),
    }
}
