//! What templates see: small `Serialize` structs borrowed from the model and
//! made for display. Every link is computed here (in-site paths start with
//! the base URL's path, so a site deployed under `/news/` works), times come
//! pre-formatted at their precision, and the enrichment from [`timeline`] is
//! flattened into fields. The README documents these as the template context.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::config::Config;
use crate::model::{Entry, Happening, Person, Reaction, ShortStr, Story};
use crate::social_cards::{self, Card};
use crate::timeline::{self, Group, Item, Link};
use crate::urls::{self, PageId, tag_slug};

/// `site`: the settings and the site's own links.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// Site name.
    pub title: &'a str,
    /// Description, if any.
    pub description: Option<&'a str>,
    /// Language tag.
    pub language: &'a str,
    /// Absolute base URL, ending in `/`.
    pub base_url: &'a str,
    /// In-site path of the home page (`/` or `/news/`).
    pub home: &'a str,
    /// In-site path of the people index.
    pub people_url: String,
    /// In-site path of the tag index.
    pub tags_url: String,
    /// In-site path of the Atom feed.
    pub feed_url: String,
    /// In-site path of the stylesheet.
    pub stylesheet_url: String,
    /// Absolute feed URL.
    pub feed_permalink: String,
    /// `[extra]` from site.toml.
    pub extra: &'a serde_json::Value,
}

impl<'a> SiteView<'a> {
    /// The view of `config`.
    pub fn new(config: &'a Config) -> Self {
        SiteView {
            title: &config.title,
            description: config.description.as_deref(),
            language: &config.language,
            base_url: &config.base_url,
            home: &config.base_path,
            people_url: config.path_to(&[&PageId::People(1).path()]),
            tags_url: config.path_to(&[&PageId::Tags.path()]),
            feed_url: config.path_to(&[&PageId::Atom.path()]),
            stylesheet_url: config.path_to(&[urls::STYLESHEET]),
            feed_permalink: config.url_to(&[&PageId::Atom.path()]),
            extra: &config.extra,
        }
    }
}

/// `social_card`: the story's picture for link previews (`og:image`), or
/// none where `site.toml` says `social_cards = false`.
#[derive(Serialize)]
pub struct SocialCardView {
    /// Absolute URL of the PNG (`<slug>/card.png`).
    pub url: String,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// One sentence saying what it shows (`og:image:alt`).
    pub alt: String,
}

impl SocialCardView {
    /// The view of `story`'s card, if the site draws cards.
    pub fn new(story: &Story, config: &Config) -> Option<Self> {
        config.social_cards.then(|| SocialCardView {
            url: config.url_to(&urls::card(&story.slug)),
            width: social_cards::WIDTH,
            height: social_cards::HEIGHT,
            alt: Card::of(story, config).alt(),
        })
    }
}

/// A time, ready to show.
pub type TimeView = crate::times::Written;

/// A person where they are mentioned.
#[derive(Serialize)]
pub struct PersonView<'a> {
    /// Person id.
    pub id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Free-text role ("Senator"), as declared.
    pub role: Option<&'a str>,
    /// Free-text party, as declared: the badge and the tallies show it.
    pub party: Option<&'a str>,
    /// Free-text region ("Fla."), as declared.
    pub region: Option<&'a str>,
    /// Their external page (`url` in the format), an absolute http(s) link.
    pub link: Option<&'a str>,
    /// "R-Fla." style label from party and region, if either is set.
    pub affiliation: Option<String>,
    /// In-site path of their page.
    pub url: String,
}

impl<'a> PersonView<'a> {
    /// The view of `person`.
    pub fn new(person: &'a Person, config: &Config) -> Self {
        let affiliation = match (&person.party, &person.region) {
            (Some(party), Some(region)) => Some(format!("{party}-{region}")),
            (Some(party), None) => Some(party.clone()),
            (None, Some(region)) => Some(region.clone()),
            (None, None) => None,
        };
        PersonView {
            id: &person.id,
            name: &person.name,
            role: person.role.as_deref(),
            party: person.party.as_deref(),
            region: person.region.as_deref(),
            link: person.url.as_deref(),
            affiliation,
            url: config.path_to(&urls::person(&person.id)),
        }
    }
}

/// The people of one story as template values ([`PersonView`]s), by id:
/// each is converted once per page, however many entries and reactions name
/// them.
pub struct Cast<'a>(BTreeMap<&'a str, Value>);

impl<'a> Cast<'a> {
    /// The cast of `story`.
    pub fn new(story: &'a Story, config: &Config) -> Self {
        Cast(
            story
                .people
                .iter()
                .map(|(id, person)| {
                    let view = PersonView::new(person, config);
                    (id.as_str(), Value::from_serializable(&view))
                })
                .collect(),
        )
    }

    /// The person with this id, if the story has them.
    pub fn get(&self, id: &str) -> Option<Value> {
        self.0.get(id).cloned()
    }

    /// Everyone, by id.
    pub fn all(&self) -> Vec<Value> {
        self.0.values().cloned().collect()
    }
}

/// A tag where it is shown.
#[derive(Serialize)]
pub struct TagView<'a> {
    /// As written.
    pub name: &'a str,
    /// URL slug.
    pub slug: String,
    /// In-site path of its page.
    pub url: String,
}

impl<'a> TagView<'a> {
    /// The view of `name`.
    pub fn new(name: &'a str, config: &Config) -> Self {
        let slug = tag_slug(name);
        let url = config.path_to(&urls::tag(&slug));
        TagView { name, slug, url }
    }
}

/// A story in a list (home page, tag and person pages, feed).
#[derive(Serialize)]
pub struct StoryCard<'a> {
    /// URL slug.
    pub slug: &'a str,
    /// In-site path.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Headline.
    pub title: &'a str,
    /// Standfirst, if the story has one.
    pub dek: Option<&'a str>,
    /// Opening of the body as plain text.
    pub summary: &'a str,
    /// Publication time.
    pub published: TimeView,
    /// Last update, if any.
    pub updated: Option<TimeView>,
    /// Authors.
    pub byline: &'a [ShortStr],
    /// Tags.
    pub tags: Vec<TagView<'a>>,
    /// How many timeline entries walk something back.
    pub reversals: usize,
    /// A draft (only built with --drafts).
    pub draft: bool,
}

impl<'a> StoryCard<'a> {
    /// The card for `story`.
    pub fn new(story: &'a Story, config: &Config) -> Self {
        let path = urls::story(&story.slug);
        StoryCard {
            slug: &story.slug,
            url: config.path_to(&path),
            permalink: config.url_to(&path),
            title: &story.title,
            dek: story.dek.as_deref(),
            summary: &story.summary,
            published: (&story.published).into(),
            updated: story.updated.as_ref().map(TimeView::from),
            byline: &story.byline,
            tags: story
                .tags
                .iter()
                .map(|tag| TagView::new(tag, config))
                .collect(),
            reversals: story
                .timeline
                .iter()
                .filter(|e| e.reverses.is_some())
                .count(),
            draft: story.draft,
        }
    }
}

/// One timeline entry.
#[derive(Serialize)]
pub struct EntryView<'a> {
    /// Entry id, as written.
    pub id: &'a str,
    /// Its anchor on the story page (`entry-<id>`), which annotations link to.
    pub anchor: String,
    /// "statement" or "event".
    pub kind: &'static str,
    /// Who said it (for an event, who it concerns, if anyone): a [`PersonView`].
    pub by: Option<Value>,
    /// The quote (statements).
    pub said: Option<&'a str>,
    /// What happened (events).
    pub event: Option<&'a str>,
    /// When.
    pub time: TimeView,
    /// Where it was said ("Twitter").
    pub via: Option<&'a str>,
    /// Link to the original.
    pub source: Option<&'a str>,
    /// The stance it takes, in a few words (the format's `position`).
    pub position: Option<&'a str>,
    /// What this walks back.
    pub reverses: Option<LinkView<'a>>,
    /// What walks this back.
    pub reversed_by: Vec<LinkView<'a>>,
    /// Anchor of the story text that annotates this entry, if any.
    pub annotation: Option<String>,
}

/// The other end of a reversal, seen from an entry: on the walk-back, what
/// it walks back; on the walked-back entry, what walked it back. The
/// `gap` is always how long after the walked-back entry the walk-back came.
#[derive(Serialize)]
pub struct LinkView<'a> {
    /// Its id, as written.
    pub id: &'a str,
    /// Its anchor on its story page (`entry-<id>`).
    pub anchor: String,
    /// Where to link to it from the page at hand: `#entry-<id>` on its story
    /// page, the story's path and that anchor elsewhere.
    pub href: String,
    /// Its words (or event), cut short as a reminder.
    pub excerpt: String,
    /// Whether `excerpt` is someone's words (a statement: shown in quotation
    /// marks) rather than an event (never quoted).
    pub quoted: bool,
    /// Who it is by, when that is not who the entry at hand is by.
    pub speaker: Option<&'a str>,
    /// "13 hours later".
    pub gap: String,
    /// "half" or "full".
    pub flip: &'static str,
}

impl<'a> LinkView<'a> {
    /// The view of `link`, the other end of a reversal of `from` (an entry
    /// of `story`); `page` is the in-site path of the story page when the
    /// link is shown on another page, empty on the story page itself.
    pub fn new(link: &Link<'a>, from: &Entry, story: &'a Story, page: &str) -> Self {
        let other = link.entry;
        let speaker = other
            .by()
            .filter(|by| Some(*by) != from.by())
            .and_then(|by| story.people.get(by))
            .map(|person| person.name.as_str());
        let anchor = urls::entry_anchor(&other.id);
        LinkView {
            id: &other.id,
            href: [page, "#", &anchor].concat(),
            anchor,
            excerpt: timeline::excerpt(other),
            quoted: matches!(other.happening, Happening::Statement { .. }),
            speaker,
            gap: link.gap.clone(),
            flip: match link.flip {
                crate::model::Flip::Half => "half",
                crate::model::Flip::Full => "full",
            },
        }
    }
}

impl<'a> EntryView<'a> {
    /// The view of one enriched entry of `story`, whose people are `cast`;
    /// `page` is the in-site path of the story page when the entry is shown
    /// on another page (its reversal links lead there), empty on the story
    /// page itself.
    pub fn new(item: &'a Item<'a>, story: &'a Story, cast: &Cast, page: &str) -> Self {
        let entry = item.entry;
        let (kind, said, event) = match &entry.happening {
            Happening::Statement { said, .. } => ("statement", Some(&**said), None),
            Happening::Event { event, .. } => ("event", None, Some(&**event)),
        };
        let particulars = entry.particulars();
        EntryView {
            id: &entry.id,
            anchor: urls::entry_anchor(&entry.id),
            kind,
            by: entry.by().and_then(|id| cast.get(id)),
            said,
            event,
            time: (&entry.at).into(),
            via: particulars.via.as_deref(),
            source: particulars.source.as_deref(),
            position: particulars.position.as_deref(),
            reverses: item
                .reverses
                .as_ref()
                .map(|link| LinkView::new(link, entry, story, page)),
            reversed_by: item
                .reversed_by
                .iter()
                .map(|link| LinkView::new(link, entry, story, page))
                .collect(),
            annotation: story.annotation_of(&entry.id),
        }
    }
}

/// One reaction.
#[derive(Serialize)]
pub struct ReactionView<'a> {
    /// Reaction id: its own `id`, or `reaction-N`.
    pub id: &'a str,
    /// Its anchor on the story page (`reaction-<id>`).
    pub anchor: String,
    /// Who: a [`PersonView`].
    pub by: Option<Value>,
    /// The quote.
    pub said: &'a str,
    /// "critical", "supportive", "mixed" or "neutral".
    pub stance: &'static str,
    /// Where it was said.
    pub via: Option<&'a str>,
    /// When, if the author gave `at`; none otherwise (no time is made up).
    pub time: Option<TimeView>,
    /// Link to the original.
    pub source: Option<&'a str>,
    /// The id of the timeline entry it answers.
    pub responds_to: Option<&'a str>,
    /// That entry's anchor on the page (`entry-<id>`).
    pub responds_to_anchor: Option<String>,
    /// That entry named for a reader: "Donald Trump (July 9, 2017, 7:50
    /// a.m. EDT)", or "the event of July 9, 2017".
    pub responds_to_name: Option<String>,
    /// Anchor of the story text that annotates it, if any.
    pub annotation: Option<String>,
}

impl<'a> ReactionView<'a> {
    /// The view of `reaction` in `story`, whose people are `cast`.
    pub fn new(reaction: &'a Reaction, story: &'a Story, cast: &Cast) -> Self {
        let particulars = reaction.particulars();
        ReactionView {
            id: &reaction.id,
            anchor: urls::reaction_anchor(&reaction.id),
            by: cast.get(&reaction.by),
            said: &reaction.said,
            stance: reaction.stance.as_str(),
            via: particulars.via.as_deref(),
            time: reaction.at.as_ref().map(TimeView::from),
            source: particulars.source.as_deref(),
            responds_to: particulars.responds_to.as_deref(),
            responds_to_anchor: particulars.responds_to.as_deref().map(urls::entry_anchor),
            responds_to_name: particulars.responds_to.as_deref().and_then(|id| {
                let entry = story.timeline.iter().find(|entry| entry.id == id)?;
                Some(match &entry.happening {
                    Happening::Statement { by, .. } => {
                        let name = story.people.get(by).map_or(by.as_str(), |p| &p.name);
                        format!("{name} ({})", entry.at.human())
                    }
                    Happening::Event { .. } => format!("the event of {}", entry.at.human()),
                })
            }),
            annotation: story.annotation_of(&reaction.id),
        }
    }
}

/// Reactions of one stance, with their tally.
#[derive(Serialize)]
pub struct GroupView<'a> {
    /// The stance.
    pub stance: &'static str,
    /// How many.
    pub count: usize,
    /// Party and count, most first.
    pub tally: Vec<PartyCount>,
    /// "3 critical: 2 R, 1 D".
    pub summary: String,
    /// The reactions, in file order.
    pub reactions: Vec<ReactionView<'a>>,
}

/// One party's count in a tally.
#[derive(Serialize)]
pub struct PartyCount {
    /// Party as written ("no party" when none is given).
    pub party: String,
    /// How many.
    pub count: usize,
}

impl<'a> GroupView<'a> {
    /// The view of one stance group of `story`, whose people are `cast`.
    pub fn new(group: &Group<'a>, story: &'a Story, cast: &Cast) -> Self {
        GroupView {
            stance: group.stance.as_str(),
            count: group.reactions.len(),
            tally: group
                .tally
                .iter()
                .map(|(party, count)| PartyCount {
                    party: party.clone(),
                    count: *count,
                })
                .collect(),
            summary: group.summary(),
            reactions: group
                .reactions
                .iter()
                .map(|reaction| ReactionView::new(reaction, story, cast))
                .collect(),
        }
    }
}

/// Groups for a story, built from [`timeline::groups`].
pub fn reaction_groups<'a>(story: &'a Story, cast: &Cast) -> Vec<GroupView<'a>> {
    timeline::groups(story)
        .iter()
        .map(|group| GroupView::new(group, story, cast))
        .collect()
}
