//! Pathological input, measured: a 50 MB story, 100,000 timeline entries in
//! one story, deeply nested lists and blockquotes, and a 1 MB single line.
//! Each case is built (in process, the whole `build` pipeline into a fresh
//! output) at a quarter, half and all of its size, and the build time and
//! peak memory printed with their growth against the quarter size: linear
//! growth doubles from one row to the next. Asserts nothing about time.
//!
//!     cargo bench --bench pathological
//!
//! Peak memory is the process's resident high-water mark (`VmHWM`), reset
//! before each build through `/proc/self/clear_refs` (Linux).

use std::fmt::Write as _;
use std::fs;
use std::time::Instant;

use backtrack::pipeline::{Options, build};
use backtrack::progress::Progress;

const FRONT: &str = "+++\ntitle = \"Pathological\"\npublished = 2020-01-10T12:00:00Z\n\
    [people.p]\nname = \"Pat\"\nparty = \"P\"\n\
    [[timeline]]\nid = \"e0\"\nby = \"p\"\nat = 2020-01-01T10:00:00Z\nsaid = \"Yes.\"\n";

/// A story whose body is `bytes` of ordinary paragraphs with annotations.
fn large_story(bytes: usize) -> String {
    let paragraph = "The mayor [said yes](@e0) at first, then *changed* course; \
        see the `minutes` and the [record](https://example.org/record).\n\n";
    let mut text = format!("{FRONT}+++\n");
    while text.len() < bytes {
        text.push_str(paragraph);
    }
    text
}

/// A story with `entries` timeline entries, each reversing the one before.
fn long_timeline(entries: usize) -> String {
    let mut text = String::from(
        "+++\ntitle = \"Long\"\npublished = 2030-01-10T12:00:00Z\n[people.p]\nname = \"Pat\"\n",
    );
    let start = jiff::Timestamp::from_second(1_577_836_800).expect("2020-01-01");
    for index in 0..entries {
        let minutes = i64::try_from(index).expect("fits");
        let at = start
            .checked_add(jiff::SignedDuration::from_mins(minutes))
            .expect("in range");
        let _ = write!(
            text,
            "[[timeline]]\nid = \"e{index}\"\nby = \"p\"\nat = {}\nsaid = \"Statement {index}.\"\n",
            at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        );
        if index > 0 {
            let _ = writeln!(text, "reverses = \"e{}\"", index - 1);
        }
    }
    text.push_str("+++\nBody.\n");
    text
}

/// `depth` blockquotes inside one another, then `depth` nested list items
/// (each indented two spaces more: the list's bytes grow as depth squared).
fn deep_nesting(depth: usize) -> String {
    let mut text = format!("{FRONT}+++\n");
    text.push_str(&"> ".repeat(depth));
    text.push_str("deep quote\n\n");
    for level in 0..depth {
        text.push_str(&"  ".repeat(level));
        text.push_str("- item\n");
    }
    text
}

/// One paragraph of `bytes` with no line break.
fn single_line(bytes: usize) -> String {
    let mut text = format!("{FRONT}+++\n");
    while text.len() < bytes {
        text.push_str("word [note](@e0) *stress* ");
    }
    text.push('\n');
    text
}

/// Builds a site holding one story, `text`; returns milliseconds and peak MB.
fn measure(text: String) -> (f64, f64) {
    let temp = tempfile::tempdir().expect("temp dir");
    let root = temp.path().join("site");
    fs::create_dir_all(root.join("content")).expect("content");
    fs::write(
        root.join("site.toml"),
        "title = \"P\"\nbase_url = \"https://example.org/\"\n",
    )
    .expect("site.toml");
    fs::write(root.join("content/story.md"), text).expect("story");
    let options = Options {
        output: temp.path().join("public"),
        root,
        base_url: None,
        drafts: false,
    };
    fs::write("/proc/self/clear_refs", "5").expect("resetting the peak (Linux)");
    let started = Instant::now();
    let summary = build(&options, &Progress::hidden())
        .unwrap_or_else(|error| panic!("build failed: {error}"));
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(summary.stories, 1);
    (millis, peak_megabytes())
}

fn peak_megabytes() -> f64 {
    let status = fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kilobytes: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kilobytes / 1024.0
}

fn main() {
    type Case = (&'static str, usize, fn(usize) -> String);
    let cases: [Case; 4] = [
        ("story bytes", 50 * 1024 * 1024, large_story),
        ("timeline entries", 100_000, long_timeline),
        ("nesting depth", 10_000, deep_nesting),
        ("single-line bytes", 1024 * 1024, single_line),
    ];
    let only = std::env::var("PATHOLOGICAL").ok();
    println!(
        "{:<18} {:>10} {:>8} {:>10} {:>8} {:>9} {:>8}",
        "case", "size", "x input", "ms", "x time", "peak MB", "x mem"
    );
    let baseline = peak_megabytes();
    for (name, full, make) in cases {
        if only.as_deref().is_some_and(|only| !name.starts_with(only)) {
            continue;
        }
        let mut first: Option<(f64, f64, f64)> = None;
        for size in [full / 4, full / 2, full] {
            let text = make(size);
            let bytes = text.len() as f64;
            let (millis, peak) = measure(text);
            let (first_bytes, first_ms, first_mb) =
                *first.get_or_insert((bytes, millis, peak - baseline));
            println!(
                "{name:<18} {size:>10} {:>8.2} {millis:>10.0} {:>8.2} {peak:>9.1} {:>8.2}",
                bytes / first_bytes,
                millis / first_ms,
                (peak - baseline) / first_mb,
            );
        }
    }
    println!(
        "(x: against the quarter size. Linear growth in the input reads as x time and x mem \
         close to x input; nesting's input grows as its depth squared)"
    );
}
