//! The people pages: `/people/` (everyone, with counts) and each person's
//! page, which gathers what they said and did across every story, each at
//! its own time, with the reversal lines worded as on the story page.

use serde::Serialize;
use tera::Context;

use super::view::{LinkView, PersonView, TimeView};
use super::{Renderer, missing};
use crate::diagnostics::Diagnostics;
use crate::model::{Happening, Person, Site};
use crate::timeline;
use crate::urls;

impl<'a> Renderer<'a> {
    /// `person.html`'s context: `person`, their `reversals`, `statements`,
    /// `events` and `reactions` (quotes), and their `stories` (cards).
    pub(super) fn person_context(
        &self,
        id: &str,
        context: &mut Context,
    ) -> Result<(), Diagnostics> {
        let config = &self.site.config;
        let person = self
            .site
            .people
            .get(id)
            .ok_or_else(|| missing("person", id))?;
        let stories = self
            .by_person()
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut reversals = Vec::new();
        let mut statements = Vec::new();
        let mut events = Vec::new();
        let mut reactions = Vec::new();
        for story in stories {
            let story_url = config.path_to(&urls::story(&story.slug));
            let items = timeline::items(story);
            for item in items.iter().filter(|item| item.entry.by() == Some(id)) {
                let entry = item.entry;
                let (kind, text) = match &entry.happening {
                    Happening::Statement { said, .. } => ("statement", said),
                    Happening::Event { event, .. } => ("event", event),
                };
                let link = |link| LinkView::new(link, entry, story, &story_url);
                let quote = Quote {
                    story_title: &story.title,
                    story_published: (&story.published).into(),
                    url: [&story_url, "#", &urls::entry_anchor(&entry.id)].concat(),
                    kind,
                    text,
                    time: Some((&entry.at).into()),
                    stance: None,
                    reverses: item.reverses.as_ref().map(link),
                    reversed_by: item.reversed_by.iter().map(link).collect(),
                };
                match (&quote.reverses, kind) {
                    (Some(_), _) => reversals.push(quote),
                    (None, "statement") => statements.push(quote),
                    (None, _) => events.push(quote),
                }
            }
            for reaction in story.reactions.iter().filter(|reaction| reaction.by == id) {
                reactions.push(Quote {
                    story_title: &story.title,
                    story_published: (&story.published).into(),
                    url: [&story_url, "#", &urls::reaction_anchor(&reaction.id)].concat(),
                    kind: "reaction",
                    text: &reaction.said,
                    time: reaction.at.as_ref().map(TimeView::from),
                    stance: Some(reaction.stance.as_str()),
                    reverses: None,
                    reversed_by: Vec::new(),
                });
            }
        }
        context.insert("person", &PersonView::new(person, config));
        context.insert("reversals", &reversals);
        context.insert("statements", &statements);
        context.insert("events", &events);
        context.insert("reactions", &reactions);
        context.insert_value("stories", self.cards(stories.iter().copied()));
        Ok(())
    }

    /// Everyone, in the people index's order: by name, then id.
    pub(super) fn people_in_order(&self) -> &[&'a Person] {
        self.people.get_or_init(|| people_in_order(self.site))
    }

    /// The people index's lines for `people`: each person with how much
    /// they said, did and walked back. Counted for one page's people only,
    /// so a save in `serve` that redoes one page of the index counts only
    /// its.
    pub(super) fn summarize(&self, people: &[&'a Person]) -> Vec<PersonSummary<'a>> {
        people
            .iter()
            .map(|person| {
                let stories = self
                    .by_person()
                    .get(person.id.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let mut summary = PersonSummary {
                    person: PersonView::new(person, &self.site.config),
                    stories: stories.len(),
                    statements: 0,
                    events: 0,
                    reactions: 0,
                    reversals: 0,
                };
                for story in stories {
                    for entry in story.timeline.iter().filter(|e| e.by() == Some(&person.id)) {
                        match entry.happening {
                            Happening::Statement { .. } => summary.statements += 1,
                            Happening::Event { .. } => summary.events += 1,
                        }
                        summary.reversals += usize::from(entry.reverses.is_some());
                    }
                    summary.reactions += story
                        .reactions
                        .iter()
                        .filter(|reaction| reaction.by == person.id)
                        .count();
                }
                summary
            })
            .collect()
    }
}

/// Everyone on `site`, in the people index's order: by name, then id.
pub fn people_in_order(site: &Site) -> Vec<&Person> {
    let mut people: Vec<&Person> = site.people.values().map(AsRef::as_ref).collect();
    people.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    people
}

/// One statement, event or reaction of a person, on their page.
#[derive(Serialize)]
struct Quote<'a> {
    story_title: &'a str,
    /// The story's publication, shown (labelled as the story's) where the
    /// author gave the quote no time of its own.
    story_published: TimeView,
    url: String,
    /// "statement", "event" or "reaction": only statements and reactions
    /// are someone's words.
    kind: &'static str,
    text: &'a str,
    /// Its own time; none for a reaction written without `at`.
    time: Option<TimeView>,
    stance: Option<&'static str>,
    /// What it walks back, as on the story page.
    reverses: Option<LinkView<'a>>,
    /// What walked it back, as on the story page.
    reversed_by: Vec<LinkView<'a>>,
}

/// One person on the people index, with how much they said, did and
/// walked back: only statements and reactions are their words.
#[derive(Serialize)]
pub(super) struct PersonSummary<'a> {
    person: PersonView<'a>,
    stories: usize,
    /// Timeline entries that quote them.
    statements: usize,
    /// Timeline entries that are events about them.
    events: usize,
    /// Their reactions.
    reactions: usize,
    /// Of their statements and events, those that walk one back.
    reversals: usize,
}
