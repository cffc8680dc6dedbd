//! The corpus generator's stories and sites (see `main.rs`), shared with the
//! benchmarks' `tests/support::corpus()`, which calls [`write`] directly.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::Context as _;
use clap::ValueEnum;
use jiff::Timestamp;
use jiff::tz::Offset;
use rayon::prelude::*;

/// Which generator's site to write.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Flavor {
    /// `site.toml` and stories in backtrack's format.
    Backtrack,
    /// `hugo.toml`, layouts and the same stories in Hugo's front matter.
    Hugo,
}

const NOUNS: &[&str] = &[
    "assembly",
    "audit",
    "ballot",
    "barracks",
    "borough",
    "budget",
    "cabinet",
    "canal",
    "census",
    "clinic",
    "coalition",
    "commission",
    "consortium",
    "convoy",
    "council",
    "dam",
    "depot",
    "deputy",
    "dossier",
    "embassy",
    "estuary",
    "factory",
    "fleet",
    "fund",
    "garrison",
    "governor",
    "grid",
    "harbour",
    "hearing",
    "inquiry",
    "landfill",
    "lawsuit",
    "levy",
    "loan",
    "mandate",
    "merger",
    "mine",
    "ministry",
    "monument",
    "motorway",
    "observatory",
    "ombudsman",
    "panel",
    "parish",
    "pipeline",
    "plant",
    "port",
    "quota",
    "refinery",
    "regulator",
    "reservoir",
    "ruling",
    "senate",
    "shipyard",
    "subsidy",
    "summit",
    "tariff",
    "terminal",
    "tribunal",
    "tramway",
    "treaty",
    "trust",
    "union",
    "university",
    "viaduct",
    "warehouse",
    "waterworks",
    "whistleblower",
    "zoning board",
];
const VERBS: &[&str] = &[
    "approved",
    "audited",
    "backed",
    "blocked",
    "cleared",
    "condemned",
    "contested",
    "curbed",
    "deferred",
    "disclosed",
    "dismissed",
    "doubled",
    "endorsed",
    "extended",
    "financed",
    "halted",
    "leaked",
    "lifted",
    "overruled",
    "paused",
    "probed",
    "rebuilt",
    "renamed",
    "rescinded",
    "restored",
    "scrapped",
    "shelved",
    "slashed",
    "suspended",
    "tabled",
    "upheld",
    "vetoed",
];
const ADJECTIVES: &[&str] = &[
    "abandoned",
    "bitter",
    "costly",
    "coastal",
    "delayed",
    "divisive",
    "early",
    "emergency",
    "federal",
    "fragile",
    "hidden",
    "interim",
    "landmark",
    "lengthy",
    "lost",
    "municipal",
    "narrow",
    "northern",
    "overdue",
    "provisional",
    "rival",
    "secret",
    "southern",
    "sweeping",
    "tentative",
    "unpaid",
    "unusual",
    "vacant",
    "watered-down",
];
const ADVERBS: &[&str] = &[
    "abruptly",
    "briefly",
    "openly",
    "partly",
    "privately",
    "quietly",
    "reluctantly",
    "swiftly",
    "unanimously",
];
const LINKS: &[&str] = &[
    "amid",
    "against",
    "behind",
    "beside",
    "beyond",
    "despite",
    "following",
    "ahead of",
    "alongside",
    "around",
    "toward",
];
const OPENERS: &[&str] = &[
    "Officials said",
    "On Monday,",
    "By Friday,",
    "In a statement,",
    "Weeks later,",
    "At the hearing,",
    "Even so,",
    "Privately,",
    "As of this week,",
    "Critics noted that",
];
const FIRST_NAMES: &[&str] = &[
    "Adaeze",
    "Bruno",
    "Chiara",
    "Declan",
    "Esra",
    "Fumiko",
    "Gustavo",
    "Hanna",
    "Idris",
    "Jana",
    "Kofi",
    "Luz",
    "Matteo",
    "Nkechi",
    "Oskar",
    "Paloma",
    "Qadir",
    "Ruth",
    "Sven",
    "Talia",
    "Umar",
    "Vesna",
    "Wilhelmina",
    "Xavier",
    "Yara",
    "Zeynep",
];
const LAST_NAMES: &[&str] = &[
    "Abara",
    "Bergstrom",
    "Castellano",
    "Dlamini",
    "Eze",
    "Farrow",
    "Gallagher",
    "Horvath",
    "Iwasaki",
    "Jovanovic",
    "Kaur",
    "Larsen",
    "Mendoza",
    "Nakamura",
    "Oyelaran",
    "Pereira",
    "Quispe",
    "Rahman",
    "Szabo",
    "Thorne",
    "Uribe",
    "Valdez",
    "Whitaker",
    "Xiong",
    "Yamada",
    "Zielinski",
];
const PARTIES: &[&str] = &["Labour", "Liberal", "Green", "Ind."];
const ROLES: &[&str] = &["Mayor", "Senator", "Minister", "Councillor", "Spokesperson"];
const TAGS: &[&str] = &[
    "accountability",
    "agriculture",
    "aviation",
    "budgets",
    "childcare",
    "climate",
    "coastal erosion",
    "corruption",
    "courts",
    "culture",
    "defence",
    "disability",
    "drought",
    "education",
    "elections",
    "energy",
    "ethics",
    "fisheries",
    "floods",
    "foreign policy",
    "forestry",
    "freedom of information",
    "health",
    "heritage",
    "housing",
    "immigration",
    "infrastructure",
    "labour",
    "land use",
    "lobbying",
    "media",
    "mining",
    "night buses",
    "parliament",
    "pensions",
    "planning",
    "policing",
    "ports",
    "prisons",
    "public transport",
    "rail",
    "roads",
    "rural affairs",
    "science",
    "sport",
    "taxes",
    "technology",
    "tourism",
    "trade",
    "universities",
    "utilities",
    "waste",
    "water",
    "welfare",
    "wildlife",
];
const VIA: &[&str] = &[
    "briefing",
    "committee hearing",
    "court filing",
    "email",
    "interview",
    "newsletter",
    "op-ed",
    "podcast",
    "press release",
    "radio",
    "social media",
    "town hall",
    "TV debate",
];
const STANCES: &[&str] = &["critical", "critical", "supportive", "mixed", "neutral"];
const HOSTS: &[&str] = &[
    "daily.example.com",
    "gazette.example.org",
    "records.example.net",
    "wire.example.com",
];
/// UTC offsets the times are written in, in minutes.
const OFFSETS: &[i32] = &[0, 60, 120, -300, -240, -420, 330, 540, 600];

/// One person of the pool: the same id, name, party and role in every story.
#[derive(Clone, Copy, PartialEq)]
struct Person(usize);

impl Person {
    fn pick(rng: &mut fastrand::Rng) -> Person {
        Person(rng.usize(..FIRST_NAMES.len() * LAST_NAMES.len()))
    }
    fn name(self) -> String {
        let (first, last) = (self.0 / LAST_NAMES.len(), self.0 % LAST_NAMES.len());
        format!("{} {}", FIRST_NAMES[first], LAST_NAMES[last])
    }
    fn id(self) -> String {
        self.name().to_lowercase().replace(' ', "-")
    }
    fn party(self) -> &'static str {
        PARTIES[self.0 % PARTIES.len()]
    }
    fn role(self) -> &'static str {
        ROLES[self.0 % ROLES.len()]
    }
}

/// A timeline statement; `reverses` is the index of an earlier one, with
/// its flip.
struct Statement {
    by: Person,
    at: Zoned,
    via: &'static str,
    source: String,
    said: String,
    reverses: Option<(usize, &'static str)>,
}

/// A reaction to the story.
struct Reaction {
    by: Person,
    said: String,
    stance: &'static str,
    via: &'static str,
    at: Option<Zoned>,
}

/// One generated story, the same whichever flavor writes it.
struct Story {
    slug: String,
    title: String,
    published: Zoned,
    tags: Vec<&'static str>,
    timeline: Vec<Statement>,
    reactions: Vec<Reaction>,
    /// Markdown; annotations are written `](@id)`, which the Hugo flavor
    /// turns into in-page anchors.
    body: String,
}

/// The random choices behind one story's words.
struct Words(fastrand::Rng);

impl Words {
    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.0.usize(..from.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.0.f64() < p
    }

    fn url(&mut self) -> String {
        let host = self.pick(HOSTS);
        let (year, month) = (self.0.u32(2012..2026), self.0.u32(1..13));
        let words = [self.pick(NOUNS), self.pick(VERBS), self.pick(NOUNS)].join("-");
        let id = self.0.u32(1000..1_000_000);
        format!(
            "https://{host}/{year}/{month:02}/{}-{id}",
            words.replace(' ', "-")
        )
    }

    fn capitalised(text: String) -> String {
        let mut chars = text.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    fn title(&mut self) -> String {
        let title = match self.0.u8(..3) {
            0 => {
                format!(
                    "{} {} {} {}",
                    self.pick(ADJECTIVES),
                    self.pick(NOUNS),
                    self.pick(VERBS),
                    self.pick(LINKS)
                ) + &format!(" {} row", self.pick(NOUNS))
            }
            1 => format!(
                "How the {} {} the {}",
                self.pick(NOUNS),
                self.pick(VERBS),
                self.pick(NOUNS)
            ),
            _ => format!(
                "{}'s {} {}, then {}",
                self.pick(LAST_NAMES),
                self.pick(NOUNS),
                self.pick(VERBS),
                self.pick(VERBS)
            ),
        };
        Self::capitalised(title)
    }

    /// A noun phrase of one to four words.
    fn phrase(&mut self) -> String {
        match self.0.u8(..4) {
            0 => format!("the {} {}", self.pick(ADJECTIVES), self.pick(NOUNS)),
            1 => format!("the {}", self.pick(NOUNS)),
            2 => format!("{} {}", self.pick(LINKS), self.pick(NOUNS)),
            _ => format!("{} {}s", self.pick(ADJECTIVES), self.pick(NOUNS)),
        }
    }

    /// A sentence of about `min..max` words; with `markup`, one word or two
    /// may get emphasis, strong emphasis, a link or inline code.
    fn sentence(&mut self, min: usize, max: usize, markup: bool) -> String {
        let target = self.0.usize(min..max);
        let mut words: Vec<String> = Vec::new();
        if self.chance(0.25) {
            words.extend(self.pick(OPENERS).split(' ').map(String::from));
        }
        words.extend(self.phrase().split(' ').map(String::from));
        if self.chance(0.3) {
            words.push(self.pick(ADVERBS).into());
        }
        words.push(self.pick(VERBS).into());
        while words.len() < target {
            let more = match self.0.u8(..10) {
                0 => format!("and {}", self.pick(VERBS)),
                1 => format!("according to {}", Person::pick(&mut self.0).name()),
                _ => self.phrase(),
            };
            words.extend(more.split(' ').map(String::from));
        }
        if markup && words.len() > 5 {
            let at = self.0.usize(1..words.len() - 2);
            match self.0.u8(..10) {
                0 => words[at] = format!("*{}*", words[at]),
                1 => words[at] = format!("**{}**", words[at]),
                2 | 3 => {
                    let url = self.url();
                    words[at] = format!("[{}", words[at]);
                    words[at + 1] = format!("{}]({url})", words[at + 1]);
                }
                4 => words[at] = format!("`{}-{}`", words[at], self.0.u8(1..100)),
                _ => {}
            }
        }
        let end = if self.chance(0.08) { "?" } else { "." };
        Self::capitalised(words.join(" ")) + end
    }

    fn paragraph(&mut self) -> String {
        let count = self.0.usize(3..7);
        (0..count)
            .map(|_| self.sentence(8, 24, true))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// An instant and the UTC offset it is written in.
struct Zoned(Timestamp, Offset);

/// A time `seconds` after 2015-01-01T00:00Z, written in one of [`OFFSETS`].
fn moment(words: &mut Words, seconds: i64) -> Zoned {
    let offset = Offset::from_seconds(words.pick(OFFSETS) * 60).expect("offsets are in range");
    let instant = Timestamp::from_second(1_420_070_400 + seconds).expect("times are in range");
    Zoned(instant, offset)
}

impl Story {
    fn new(seed: u64, index: usize) -> Story {
        // Mixed so that neighbouring stories and seeds do not share streams.
        let stream = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index as u64;
        let mut words = Words(fastrand::Rng::with_seed(stream));
        let title = words.title();
        let published_s = words.0.i64(0..10 * 365 * 86_400);
        let published = moment(&mut words, published_s);
        let mut tags = Vec::new();
        for _ in 0..words.0.usize(1..6) {
            let tag = words.pick(TAGS);
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let mut at_s = published_s - words.0.i64(3..41) * 86_400;
        let mut timeline: Vec<Statement> = Vec::new();
        for _ in 0..words.0.usize(2..7) {
            at_s += words.0.i64(30..5 * 24 * 60) * 60;
            let by = if !timeline.is_empty() && words.chance(0.5) {
                timeline[words.0.usize(..timeline.len())].by
            } else {
                Person::pick(&mut words.0)
            };
            let earlier: Vec<usize> = (0..timeline.len())
                .filter(|&k| timeline[k].by == by)
                .collect();
            let reverses = (!earlier.is_empty() && words.chance(0.6))
                .then(|| (words.pick(&earlier), words.pick(&["half", "full"])));
            timeline.push(Statement {
                by,
                at: moment(&mut words, at_s),
                via: words.pick(VIA),
                source: words.url(),
                said: words.sentence(8, 24, false),
                reverses,
            });
        }
        let reactions = (0..words.0.usize(1..5))
            .map(|_| {
                let by = Person::pick(&mut words.0);
                let at = words.chance(0.7).then(|| {
                    let later = at_s + words.0.i64(10..3 * 24 * 60) * 60;
                    moment(&mut words, later)
                });
                Reaction {
                    by,
                    said: words.sentence(6, 20, false),
                    stance: words.pick(STANCES),
                    via: words.pick(VIA),
                    at,
                }
            })
            .collect();
        let body = Self::body(&mut words, timeline.len());
        Story {
            slug: format!("story-{index:06}"),
            title,
            published,
            tags,
            timeline,
            reactions,
            body,
        }
    }

    /// 600 to 1,200 words in blocks, with annotations of the first and last
    /// statements and of the first reaction.
    fn body(words: &mut Words, statements: usize) -> String {
        let target = words.0.usize(600..1200);
        let mut blocks = vec![format!(
            "[It began with one remark](@q1): {}",
            words.paragraph()
        )];
        blocks.push(words.paragraph());
        let (mut listed, mut quoted) = (false, false);
        let mut sections = 0;
        while blocks.iter().map(|b| b.split(' ').count()).sum::<usize>() < target {
            let level = if sections == 0 || words.chance(0.6) {
                "##"
            } else {
                "###"
            };
            sections += 1;
            let heading = format!("{} {}", words.pick(ADJECTIVES), words.pick(NOUNS));
            blocks.push(format!("{level} {}", Words::capitalised(heading)));
            for _ in 0..words.0.usize(1..4) {
                blocks.push(words.paragraph());
            }
            if !listed {
                listed = true;
                let ordered = words.chance(0.4);
                let items: Vec<String> = (1..words.0.usize(4..8))
                    .map(|n| {
                        let mark = if ordered { format!("{n}.") } else { "-".into() };
                        format!("{mark} {}", words.sentence(5, 14, true))
                    })
                    .collect();
                blocks.push(items.join("\n"));
            } else if !quoted {
                quoted = true;
                blocks.push(format!("> {}", words.sentence(10, 30, true)));
            }
        }
        blocks.push(format!(
            "In the end, [the last word](@q{statements}) drew [a reply](@reaction-1). {}",
            words.paragraph()
        ));
        blocks.join("\n\n") + "\n"
    }

    fn backtrack(&self) -> String {
        let mut out = String::from("+++\n");
        let _ = writeln!(out, "title = {}", quoted(&self.title));
        let _ = writeln!(out, "published = {}", rfc3339(&self.published));
        let _ = writeln!(out, "tags = {}", list(&self.tags));
        let mut people: Vec<Person> = self.timeline.iter().map(|s| s.by).collect();
        people.extend(self.reactions.iter().map(|r| r.by));
        people.sort_by_key(|p| p.0);
        people.dedup();
        for person in people {
            let _ = write!(
                out,
                "\n[people.{}]\nname = {}\n",
                person.id(),
                quoted(&person.name())
            );
            let _ = write!(
                out,
                "role = {}\nparty = {}\n",
                quoted(person.role()),
                quoted(person.party())
            );
        }
        for (k, s) in self.timeline.iter().enumerate() {
            let _ = write!(
                out,
                "\n[[timeline]]\nid = \"q{}\"\nby = {}\n",
                k + 1,
                quoted(&s.by.id())
            );
            let _ = write!(out, "at = {}\nvia = {}\n", rfc3339(&s.at), quoted(s.via));
            let _ = write!(
                out,
                "source = {}\nsaid = {}\n",
                quoted(&s.source),
                quoted(&s.said)
            );
            if let Some((earlier, flip)) = s.reverses {
                let _ = write!(out, "reverses = \"q{}\"\nflip = \"{flip}\"\n", earlier + 1);
            }
        }
        for r in &self.reactions {
            let _ = write!(
                out,
                "\n[[reactions]]\nby = {}\nsaid = {}\n",
                quoted(&r.by.id()),
                quoted(&r.said)
            );
            let _ = write!(out, "stance = \"{}\"\nvia = {}\n", r.stance, quoted(r.via));
            if let Some(at) = &r.at {
                let _ = writeln!(out, "at = {}", rfc3339(at));
            }
        }
        out + "+++\n\n" + &self.body
    }

    fn hugo(&self) -> String {
        let mut out = String::from("+++\n");
        let _ = writeln!(out, "title = {}", quoted(&self.title));
        let _ = writeln!(out, "date = {}", rfc3339(&self.published));
        let _ = writeln!(out, "tags = {}", list(&self.tags));
        for (k, s) in self.timeline.iter().enumerate() {
            let _ = write!(
                out,
                "\n[[timeline]]\nid = \"q{}\"\nspeaker = {}\n",
                k + 1,
                quoted(&s.by.name())
            );
            let _ = write!(
                out,
                "party = {}\nat = {}\n",
                quoted(s.by.party()),
                rfc3339(&s.at)
            );
            let _ = write!(
                out,
                "via = {}\nsource = {}\n",
                quoted(s.via),
                quoted(&s.source)
            );
            let _ = writeln!(out, "said = {}", quoted(&s.said));
            if let Some((earlier, flip)) = s.reverses {
                let _ = write!(out, "reverses = \"q{}\"\nflip = \"{flip}\"\n", earlier + 1);
            }
        }
        for (k, r) in self.reactions.iter().enumerate() {
            let _ = write!(out, "\n[[reactions]]\nid = \"reaction-{}\"\n", k + 1);
            let _ = write!(
                out,
                "speaker = {}\nsaid = {}\n",
                quoted(&r.by.name()),
                quoted(&r.said)
            );
            let _ = write!(out, "stance = \"{}\"\nvia = {}\n", r.stance, quoted(r.via));
        }
        out + "+++\n\n" + &self.body.replace("](@", "](#")
    }
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|item| quoted(item)).collect();
    format!("[{}]", items.join(", "))
}

fn rfc3339(Zoned(instant, offset): &Zoned) -> String {
    let civil = offset.to_datetime(*instant).strftime("%Y-%m-%dT%H:%M:%S");
    let minutes = offset.seconds() / 60;
    let sign = if minutes < 0 { '-' } else { '+' };
    format!(
        "{civil}{sign}{:02}:{:02}",
        minutes.abs() / 60,
        minutes.abs() % 60
    )
}

/// The files of a site other than its stories.
fn scaffold(flavor: Flavor) -> &'static [(&'static str, &'static str)] {
    match flavor {
        Flavor::Backtrack => &[(
            "site.toml",
            "title = \"Generated stories\"\nbase_url = \"https://example.org/\"\n\
             description = \"A corpus made by examples/corpus.rs for the benchmarks.\"\n",
        )],
        Flavor::Hugo => &[
            ("hugo.toml", include_str!("hugo.toml")),
            (
                "content/stories/_index.md",
                "+++\ntitle = \"Stories\"\n+++\n",
            ),
            ("layouts/baseof.html", include_str!("baseof.html")),
            ("layouts/home.html", include_str!("home.html")),
            ("layouts/section.html", include_str!("section.html")),
            ("layouts/page.html", include_str!("page.html")),
        ],
    }
}

/// Writes a site of `stories` stories for `seed` into `dir` (created, and
/// expected empty); returns how many words their bodies hold.
pub fn write(dir: &Path, stories: usize, seed: u64, flavor: Flavor) -> anyhow::Result<usize> {
    for (path, text) in scaffold(flavor) {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("scaffold paths have a folder"))?;
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let folder = dir.join("content/stories");
    fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
    (1..=stories)
        .into_par_iter()
        .map(|index| -> anyhow::Result<usize> {
            let story = Story::new(seed, index);
            let text = match flavor {
                Flavor::Backtrack => story.backtrack(),
                Flavor::Hugo => story.hugo(),
            };
            let path = folder.join(format!("{}.md", story.slug));
            fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
            Ok(story.body.split_whitespace().count())
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))
}
