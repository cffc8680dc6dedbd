//! Properties over random input: a timeline of any entries comes out in
//! time order (ties in file order) with every reversal's gap true to the
//! times, and every problem a broken story is reported with points inside
//! the file it names.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use backtrack::check;
use backtrack::config::Config;
use backtrack::diagnostics::{Diagnostic, SourceFile};
use backtrack::load::people::Registry;
use backtrack::load::story::{Context, Outcome, Parsed, parse};
use backtrack::timeline;
use proptest::prelude::*;

/// Seconds in a mean month (a year is twelve), as the gap words count them.
const MONTH: f64 = 30.436_875 * 86_400.0;

fn config() -> Config {
    let site = SourceFile::new(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n",
    );
    Config::parse(&site, None).expect("site.toml")
}

fn parse_story(path: &str, text: String, config: &Config) -> Result<Parsed, Vec<Diagnostic>> {
    let registry = Registry::new();
    let context = Context::new(config, &registry);
    parse(&SourceFile::new(path, text), "story".to_owned(), &context)
}

/// One random entry: minutes after 2020-01-01T00:00Z, whether only the day
/// is given, and whether it walks back the entry written before it.
#[derive(Debug, Clone)]
struct RandomEntry {
    minutes: i64,
    day_only: bool,
    reverses_previous: bool,
}

fn random_entry() -> impl Strategy<Value = RandomEntry> {
    // Up to about four years, so gaps run from moments to years.
    (0..4 * 365 * 24 * 60i64, any::<bool>(), any::<bool>()).prop_map(
        |(minutes, day_only, reverses_previous)| RandomEntry {
            minutes,
            day_only,
            reverses_previous,
        },
    )
}

fn written_time(entry: &RandomEntry) -> String {
    let start = jiff::Timestamp::from_second(1_577_836_800).expect("2020-01-01");
    let at = start
        .checked_add(jiff::SignedDuration::from_mins(entry.minutes))
        .expect("in range");
    if entry.day_only {
        at.strftime("%Y-%m-%d").to_string()
    } else {
        at.strftime("%Y-%m-%dT%H:%M:00Z").to_string()
    }
}

/// The instant an entry stands for (a bare date: the start of its day).
fn instant(entry: &RandomEntry) -> i64 {
    let minutes = if entry.day_only {
        entry.minutes - entry.minutes % (24 * 60)
    } else {
        entry.minutes
    };
    1_577_836_800 + minutes * 60
}

/// A story of `entries`, each `reverses` its predecessor in the file when
/// asked and strictly later (a walk-back must come after what it walks back).
fn timeline_story(entries: &[RandomEntry]) -> (String, BTreeMap<String, String>) {
    let mut text = String::from(
        "+++\ntitle = \"T\"\npublished = 2030-01-01T00:00:00Z\n[people.p]\nname = \"P\"\n",
    );
    let mut reversals = BTreeMap::new();
    for (index, entry) in entries.iter().enumerate() {
        text.push_str(&format!(
            "[[timeline]]\nid = \"e{index}\"\nby = \"p\"\nat = {}\nsaid = \"Said {index}.\"\n",
            written_time(entry)
        ));
        if let Some(previous) = index.checked_sub(1)
            && entry.reverses_previous
            && instant(entry) > instant(&entries[previous])
        {
            text.push_str(&format!("reverses = \"e{previous}\"\n"));
            reversals.insert(format!("e{index}"), format!("e{previous}"));
        }
    }
    text.push_str("+++\nBody.\n");
    (text, reversals)
}

/// Asserts `gap` ("13 hours later", "the next day", "about 2 months later")
/// is true to `seconds` between two moments, `days` calendar days apart.
fn assert_gap_true(gap: &str, seconds: i64, days: i64, day_precision: bool) {
    let words = gap.strip_prefix("about ").unwrap_or(gap);
    let (count, unit) = match words {
        "moments later" => return assert!(!day_precision && seconds < 60, "{gap}: {seconds} s"),
        "the same day" => return assert!(day_precision && days <= 0, "{gap}: {days} days"),
        "the next day" => return assert!(day_precision && days == 1, "{gap}: {days} days"),
        _ => {
            let words = words.strip_suffix(" later").expect("ends in 'later'");
            let (count, unit) = words.split_once(' ').expect("a count and a unit");
            let count = match count {
                "a" | "an" => 1.0,
                number => number.parse::<f64>().expect("a count"),
            };
            (count, unit.trim_end_matches('s'))
        }
    };
    let amount = if day_precision {
        days as f64 * 86_400.0
    } else {
        seconds as f64
    };
    let unit_seconds = match unit {
        "minute" => 60.0,
        "hour" => 3_600.0,
        "day" => 86_400.0,
        "month" => MONTH,
        "year" => 12.0 * MONTH,
        other => panic!("unknown unit {other} in {gap}"),
    };
    // Rounded to the nearest whole unit (months and years from a count of
    // days already rounded: half a day more).
    let slack = if unit_seconds > 86_400.0 {
        43_200.0
    } else {
        1.0
    };
    assert!(
        (count * unit_seconds - amount).abs() <= unit_seconds / 2.0 + slack,
        "{gap} for {amount} s"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_timeline_is_in_time_order_with_true_gaps(
        entries in prop::collection::vec(random_entry(), 1..24)
    ) {
        let (text, reversals) = timeline_story(&entries);
        let story = parse_story("content/story.md", text, &config())
            .expect("a valid story")
            .story;
        let items = timeline::items(&story);
        let ids: Vec<usize> = items
            .iter()
            .map(|item| item.entry.id[1..].parse().expect("e<n>"))
            .collect();
        let mut expected: Vec<usize> = (0..entries.len()).collect();
        expected.sort_by_key(|&index| instant(&entries[index]));
        prop_assert_eq!(ids, expected, "time order, ties in file order");
        for item in &items {
            let index: usize = item.entry.id[1..].parse().expect("e<n>");
            let reverses = item.reverses.as_ref().map(|link| link.entry.id.to_string());
            prop_assert_eq!(reverses.as_ref(), reversals.get(item.entry.id.as_str()));
            if let Some(link) = &item.reverses {
                let target = &entries[index - 1];
                let seconds = instant(&entries[index]) - instant(target);
                let days = entries[index].minutes / 1440 - target.minutes / 1440;
                let day_precision = entries[index].day_only || target.day_only;
                assert_gap_true(&link.gap, seconds, days, day_precision);
                let back = items
                    .iter()
                    .find(|other| other.entry.id == link.entry.id)
                    .expect("the target is on the timeline");
                prop_assert!(back
                    .reversed_by
                    .iter()
                    .any(|by| by.entry.id == item.entry.id && by.gap == link.gap));
            }
        }
    }
}

/// A valid story with a little of everything that can go wrong.
const STORY: &str = r#"+++
title = "Flip"
published = 2020-01-10T12:00:00Z
tags = ["A"]
slug = "flip"

[people.mayor]
name = "Mae Mayor"
party = "Civic"

[[timeline]]
id = "yes"
by = "mayor"
at = 2020-01-01T10:00:00Z
said = "Yes."

[[timeline]]
id = "no"
by = "mayor"
at = 2020-01-02T10:00:00Z
said = "No."
reverses = "yes"

[[reactions]]
by = "mayor"
said = "Fine."
stance = "critical"
+++
A [yes](@yes) and a [no](@no).
"#;

/// `STORY` with `cut` bytes removed at `at` and `insert` put there.
fn mangled(at: usize, cut: usize, insert: &str) -> String {
    let mut start = at % STORY.len();
    while !STORY.is_char_boundary(start) {
        start -= 1;
    }
    let end = (start + cut).min(STORY.len());
    format!("{}{insert}{}", &STORY[..start], &STORY[end..])
}

fn assert_inside(problem: &Diagnostic, files: &[Arc<SourceFile>]) {
    let named = files
        .iter()
        .find(|file| Arc::ptr_eq(file, &problem.file))
        .expect("the problem names one of the site's files");
    assert!(
        named.text().get(problem.span.clone()).is_some(),
        "{} at {:?} outside {} ({} bytes)",
        problem.message,
        problem.span,
        named.path.display(),
        named.text().len()
    );
    if let Some((file, span, _)) = &problem.related {
        assert!(file.text().get(span.clone()).is_some(), "related {span:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_problem_points_inside_the_file_it_names(
        at in 0..STORY.len(),
        cut in 0..40usize,
        insert in "[\\[\\]=\"'+\n a-z@(){}\u{e9}\u{1F600}#-]{0,12}",
        at2 in 0..STORY.len(),
        insert2 in "[\\[\\]=\"+\n a-z@]{0,6}",
    ) {
        let config = config();
        let texts = [mangled(at, cut, &insert), mangled(at2, 0, &insert2)];
        let mut stories: BTreeMap<PathBuf, Outcome> = BTreeMap::new();
        let mut files = Vec::new();
        for (index, text) in texts.into_iter().enumerate() {
            let path = format!("content/s{index}.md");
            let outcome = parse_story(&path, text.clone(), &config);
            let file = match &outcome {
                Ok(parsed) => Arc::clone(&parsed.file),
                Err(problems) => Arc::clone(&problems[0].file),
            };
            if let Err(problems) = &outcome {
                for problem in problems {
                    prop_assert!(Arc::ptr_eq(&problem.file, &file));
                }
            }
            files.push(file);
            stories.insert(PathBuf::from(path), outcome);
        }
        // Both stories claim the slug "flip" unless mangled: site-wide
        // problems point into both files.
        if let Err(problems) = check::site(&Registry::new(), &stories, false) {
            for problem in &problems.0 {
                assert_inside(problem, &files);
            }
        }
    }
}
