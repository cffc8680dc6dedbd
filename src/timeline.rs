//! Pure enrichment of a story, computed in Rust so templates only display:
//! each reversal joined to what it reverses with the time between them in
//! words, each reversed entry linked to what walked it back, and the
//! reactions grouped by stance with a tally by party ("3 critical: 2 R, 1 D").
//! No IO; every function takes a story and returns values.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Entry, Flip, Happening, Reaction, Stance, Story};
use crate::times::gap_in_words;

/// What a party-less person is tallied as.
pub const NO_PARTY: &str = "no party";

/// One timeline entry with its links to other entries.
#[derive(Debug)]
pub struct Item<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// The entry this one walks back, how long after it, and how far.
    pub reverses: Option<Link<'a>>,
    /// Entries that walk this one back.
    pub reversed_by: Vec<Link<'a>>,
}

/// One end of a reversal, seen from the other.
#[derive(Debug)]
pub struct Link<'a> {
    /// The entry at the other end.
    pub entry: &'a Entry,
    /// "13 hours later".
    pub gap: String,
    /// Half or full.
    pub flip: Flip,
}

/// The story's timeline in time order, each reversal joined both ways.
pub fn items(story: &Story) -> Vec<Item<'_>> {
    let by_id: HashMap<&str, &Entry> = story
        .timeline
        .iter()
        .map(|entry| (entry.id.as_str(), entry))
        .collect();
    let mut reversed_by: HashMap<&str, Vec<Link>> = HashMap::new();
    let mut items: Vec<Item> = story
        .timeline
        .iter()
        .map(|entry| {
            let reverses = entry.reverses.as_ref().and_then(|(target_id, flip)| {
                let target = by_id.get(target_id.as_str())?;
                let gap = gap_in_words(&target.at, &entry.at);
                reversed_by.entry(target_id).or_default().push(Link {
                    entry,
                    gap: gap.clone(),
                    flip: *flip,
                });
                Some(Link {
                    entry: target,
                    gap,
                    flip: *flip,
                })
            });
            Item {
                entry,
                reverses,
                reversed_by: Vec::new(),
            }
        })
        .collect();
    for item in &mut items {
        item.reversed_by = reversed_by
            .remove(item.entry.id.as_str())
            .unwrap_or_default();
    }
    items
}

/// How many characters of an entry's words [`excerpt`] keeps.
const EXCERPT_CHARS: usize = 90;

/// An entry's words (or event), cut short as a reminder of it: where a
/// reversal's other end is shown, and in a social card's description.
pub fn excerpt(entry: &Entry) -> String {
    let text = match &entry.happening {
        Happening::Statement { said, .. } => said,
        Happening::Event { event, .. } => event,
    };
    cut_short(text, EXCERPT_CHARS)
}

/// `text` as it is up to `chars` characters, or its first `chars`
/// characters and `…`.
pub fn cut_short(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        None => text.to_owned(),
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
    }
}

/// The reactions of one stance.
#[derive(Debug)]
pub struct Group<'a> {
    /// Their stance.
    pub stance: Stance,
    /// In file order.
    pub reactions: Vec<&'a Reaction>,
    /// Count by party, most first, then by party name.
    pub tally: Vec<(String, usize)>,
}

impl Group<'_> {
    /// "3 critical: 2 R, 1 D"; those without a party counted as "with no
    /// party given" ("2 mixed: 1 R, 1 with no party given"), and no tally
    /// at all when nobody in the group has one ("1 supportive").
    pub fn summary(&self) -> String {
        let head = format!("{} {}", self.reactions.len(), self.stance.as_str());
        if self.tally.iter().all(|(party, _)| party == NO_PARTY) {
            return head;
        }
        let parties: Vec<String> = self
            .tally
            .iter()
            .map(|(party, count)| match party.as_str() {
                NO_PARTY => format!("{count} with no party given"),
                _ => format!("{count} {party}"),
            })
            .collect();
        format!("{head}: {}", parties.join(", "))
    }
}

/// Reactions grouped by stance (critical, supportive, mixed, neutral; empty
/// groups left out), each with its tally by party.
pub fn groups(story: &Story) -> Vec<Group<'_>> {
    Stance::ALL
        .into_iter()
        .filter_map(|stance| {
            let reactions: Vec<&Reaction> = story
                .reactions
                .iter()
                .filter(|reaction| reaction.stance == stance)
                .collect();
            (!reactions.is_empty()).then(|| Group {
                stance,
                tally: tally(story, &reactions),
                reactions,
            })
        })
        .collect()
}

fn tally(story: &Story, reactions: &[&Reaction]) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for reaction in reactions {
        let party = story
            .people
            .get(&reaction.by)
            .and_then(|person| person.party.clone())
            .unwrap_or_else(|| NO_PARTY.to_owned());
        *counts.entry(party).or_default() += 1;
    }
    let mut tally: Vec<(String, usize)> = counts.into_iter().collect();
    tally.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    tally
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Person;
    use crate::times::Moment;

    fn at(text: &str) -> Moment {
        Moment::from_toml(&text.parse().expect("datetime"), None, false).expect("moment")
    }

    fn person(id: &str, party: Option<&str>) -> Arc<Person> {
        let person = Person {
            id: id.to_owned(),
            name: id.to_uppercase(),
            role: None,
            party: party.map(str::to_owned),
            region: None,
            url: None,
        };
        Arc::new(person)
    }

    fn entry(id: &str, when: &str, reverses: Option<(&str, Flip)>) -> Entry {
        Entry {
            id: id.into(),
            at: at(when),
            happening: Happening::Statement {
                by: "trump".into(),
                said: format!("{id} said").into(),
            },
            particulars: None,
            reverses: reverses.map(|(target, flip)| (target.into(), flip)),
        }
    }

    fn reaction(by: &str, stance: Stance) -> Reaction {
        Reaction {
            id: format!("r-{by}").into(),
            by: by.into(),
            said: "...".into(),
            stance,
            at: None,
            particulars: None,
        }
    }

    fn story() -> Story {
        Story {
            file: "content/a.md".into(),
            slug: "a".to_owned(),
            title: "A".to_owned(),
            dek: None,
            published: at("2017-07-10"),
            updated: None,
            byline: vec![],
            tags: vec![],
            draft: false,
            people: [
                person("trump", Some("R")),
                person("rubio", Some("R")),
                person("graham", Some("R")),
                person("schiff", Some("D")),
                person("mnuchin", None),
            ]
            .into_iter()
            .collect(),
            timeline: vec![
                entry("unit", "2017-07-09T07:50:00-04:00", None),
                entry(
                    "cant",
                    "2017-07-09T20:45:00-04:00",
                    Some(("unit", Flip::Full)),
                ),
            ],
            reactions: vec![
                reaction("rubio", Stance::Critical),
                reaction("schiff", Stance::Critical),
                reaction("mnuchin", Stance::Supportive),
                reaction("graham", Stance::Critical),
            ],
            extra: serde_json::Value::Null,
            body_html: String::new(),
            summary: String::new(),
            annotated: Vec::new(),
        }
    }

    #[test]
    fn reversals_are_joined_both_ways_with_the_gap() {
        let story = story();
        let items = items(&story);
        let walk_back = items[1].reverses.as_ref().expect("reverses unit");
        assert_eq!(walk_back.entry.id, "unit");
        assert_eq!(walk_back.gap, "13 hours later");
        assert_eq!(items[0].reversed_by[0].entry.id, "cant");
        assert!(items[0].reverses.is_none());
    }

    #[test]
    fn reactions_are_grouped_and_tallied_by_party() {
        let story = story();
        let groups = groups(&story);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].summary(), "3 critical: 2 R, 1 D");
        assert_eq!(groups[1].summary(), "1 supportive");
    }

    #[test]
    fn a_tally_names_those_without_a_party_as_such() {
        let (a, b) = (
            reaction("rubio", Stance::Mixed),
            reaction("mnuchin", Stance::Mixed),
        );
        let group = Group {
            stance: Stance::Mixed,
            reactions: vec![&a, &b],
            tally: vec![("R".to_owned(), 1), (NO_PARTY.to_owned(), 1)],
        };
        assert_eq!(group.summary(), "2 mixed: 1 R, 1 with no party given");
    }
}
