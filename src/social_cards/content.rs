//! What a story's social card says, taken from the story alone: the site's
//! name, the headline, and one reversal, worded as the story page words it:
//! the first in timeline order (by the walk-back's time) whose two ends are
//! both someone's words, or, where none is, the first of any kind. A card
//! shows quotes; an event (an entry with `event`) is shown only when the
//! story has no reversal between quotes. A story with no reversal shows its
//! standfirst (`dek`, or else the opening of its body). Pure: the drawing
//! is `design`'s.

use xxhash_rust::xxh3::Xxh3;

use crate::config::Config;
use crate::model::{Entry, Flip, Happening, Story};
use crate::timeline::{self, cut_short, excerpt};

/// How many characters of the headline and of the standfirst the
/// description keeps (link previews take about 420 in all).
const HEADLINE_CHARS: usize = 120;
const STANDFIRST_CHARS: usize = 200;

/// Everything a story's card shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The site's name.
    pub site: String,
    /// The story's headline.
    pub headline: String,
    /// The reversal, or the standfirst.
    pub body: Body,
}

/// The part of a card under the headline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// The story's first reversal.
    Reversal(Reversal),
    /// The story's `dek`, or the opening of its body (may be empty).
    Standfirst(String),
}

/// A walk-back and what it walks back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reversal {
    /// What was walked back.
    pub said: Side,
    /// When it was said, as the story page shows it ("July 9, 2017, 7:50
    /// a.m. EDT").
    pub said_when: String,
    /// The walk-back.
    pub walk_back: Side,
    /// The time between them, worded as on the story page ("13 hours later").
    pub gap: String,
    /// A half reversal ("partly walked back").
    pub half: bool,
}

/// One end of a reversal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// Who said it (or whom the event concerns), by name. The card names
    /// only the speaker of words: an event is nobody's quote.
    pub speaker: Option<String>,
    /// The words said, or the event.
    pub words: String,
    /// Someone's words (shown in quotation marks), not an event.
    pub quoted: bool,
    /// The words cut short as the story page's reminders are (for the
    /// description; drawn is `words`, fitted to the card).
    pub excerpt: String,
}

impl Side {
    fn of(entry: &Entry, story: &Story) -> Side {
        let speaker = entry
            .by()
            .and_then(|id| story.people.get(id))
            .map(|person| person.name.clone());
        let (words, quoted) = match &entry.happening {
            Happening::Statement { said, .. } => (said.to_string(), true),
            Happening::Event { event, .. } => (event.to_string(), false),
        };
        Side {
            speaker,
            excerpt: excerpt(entry),
            words,
            quoted,
        }
    }

    /// The words as the card and its description show them: someone's in
    /// quotation marks, an event as it is.
    fn shown(&self, words: &str) -> String {
        if self.quoted {
            format!("“{words}”")
        } else {
            words.to_owned()
        }
    }
}

impl Reversal {
    /// The walk-back's label: "Walked back 13 hours later", as the story
    /// page says of the walked-back entry.
    pub fn label(&self) -> String {
        let verb = if self.half {
            "Partly walked back"
        } else {
            "Walked back"
        };
        format!("{verb} {}", self.gap)
    }
}

impl Card {
    /// The card of `story` on the site `config` describes.
    pub fn of(story: &Story, config: &Config) -> Card {
        let items = timeline::items(story);
        let reversals = items
            .iter()
            .filter_map(|item| Some((item.entry, item.reverses.as_ref()?)));
        let said = |entry: &Entry| matches!(entry.happening, Happening::Statement { .. });
        let chosen = reversals
            .clone()
            .find(|(walk_back, link)| said(walk_back) && said(link.entry))
            .or_else(|| reversals.clone().next());
        let reversal = chosen.map(|(walk_back, link)| Reversal {
            said: Side::of(link.entry, story),
            said_when: link.entry.at.human(),
            walk_back: Side::of(walk_back, story),
            gap: link.gap.clone(),
            half: link.flip == Flip::Half,
        });
        let body = match reversal {
            Some(reversal) => Body::Reversal(reversal),
            None => Body::Standfirst(story.dek.clone().unwrap_or_else(|| story.summary.clone())),
        };
        Card {
            site: config.title.clone(),
            headline: story.title.clone(),
            body,
        }
    }

    /// One sentence saying what the card shows (`og:image:alt`), its quotes
    /// cut short as the story page's reminders are.
    pub fn alt(&self) -> String {
        let headline = cut_short(&self.headline, HEADLINE_CHARS);
        let head = format!("{} card: “{headline}”.", self.site);
        let reversal = match &self.body {
            Body::Reversal(reversal) => reversal,
            Body::Standfirst(text) if text.trim().is_empty() => return head,
            Body::Standfirst(text) => {
                return format!("{head} {}", cut_short(text.trim(), STANDFIRST_CHARS));
            }
        };
        let (said, back, gap) = (&reversal.said, &reversal.walk_back, &reversal.gap);
        let first = match &said.speaker {
            Some(name) if said.quoted => format!("{name} said {}", said.shown(&said.excerpt)),
            _ => said.shown(&said.excerpt),
        };
        let verb = if reversal.half {
            "partly walked it back"
        } else {
            "walked it back"
        };
        let words = back.shown(&back.excerpt);
        let second = match &back.speaker {
            Some(_) if back.quoted && said.quoted && back.speaker == said.speaker => {
                format!(" and {verb} {gap}: {words}")
            }
            Some(name) if back.quoted => format!("; {gap}, {name} {verb}: {words}"),
            _ if reversal.half => format!("; partly walked back {gap}: {words}"),
            _ => format!("; walked back {gap}: {words}"),
        };
        let sentence = format!("{head} {first} ({}){second}", reversal.said_when);
        end_sentence(sentence)
    }

    /// Feeds every word the card draws into `hasher`, each length-prefixed
    /// so that no two cards feed the same bytes.
    pub(crate) fn digest(&self, hasher: &mut Xxh3) {
        let mut text = |text: &str| {
            hasher.update(&(text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        };
        text(&self.site);
        text(&self.headline);
        match &self.body {
            Body::Standfirst(standfirst) => {
                text("standfirst");
                text(standfirst);
            }
            Body::Reversal(reversal) => {
                text(if reversal.half { "half" } else { "full" });
                text(&reversal.said_when);
                text(&reversal.gap);
                for side in [&reversal.said, &reversal.walk_back] {
                    text(side.speaker.as_deref().unwrap_or("\u{0}"));
                    text(&side.words);
                    text(if side.quoted { "quoted" } else { "event" });
                }
            }
        }
    }
}

/// `sentence` with a full stop, unless it already ends with one inside a
/// closing quotation mark (“… residents.”).
fn end_sentence(mut sentence: String) -> String {
    let last_two: Vec<char> = sentence.chars().rev().take(2).collect();
    let ended = matches!(
        last_two.as_slice(),
        ['.' | '!' | '?', ..] | ['”', '.' | '!' | '?']
    );
    if !ended {
        sentence.push('.');
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::end_sentence;

    #[test]
    fn a_sentence_ends_once_however_its_quote_ends() {
        let ends = |text: &str| end_sentence(text.to_owned());
        assert_eq!(ends("It said “No toll.”"), "It said “No toll.”");
        assert_eq!(ends("It said “No toll”"), "It said “No toll”.");
        assert_eq!(ends("It said “Why?”"), "It said “Why?”");
        assert_eq!(
            ends("Nobody changed their mind."),
            "Nobody changed their mind."
        );
        assert_eq!(
            ends("Nobody changed their mind"),
            "Nobody changed their mind."
        );
    }
}
