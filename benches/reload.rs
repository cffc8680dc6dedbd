//! Save-to-reload latency of `backtrack serve --watch`, end to end: the time
//! from writing one edited story to disk until the reload event has arrived
//! and the page served over HTTP holds the edit (what a browser tab does).
//!
//! Sites: the sample site (this repository) and the generated corpora of
//! `examples/corpus --flavor backtrack` (seed 42), copied into a
//! temporary folder so the edits touch nothing kept. `RELOAD_SITES` picks them
//! (default `sample,1000,10000`), `RELOAD_RUNS` the edits per site (default 15).
//!
//!     cargo bench --bench reload
//!
//! Prints the median, fastest and slowest latency per site, and the server's
//! own "Rebuilt ... in N ms" figures; asserts nothing about time.

#[path = "../tests/support/mod.rs"]
#[allow(missing_docs)]
mod support;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::server::Server;

fn main() {
    let sites = std::env::var("RELOAD_SITES").unwrap_or_else(|_| "sample,1000,10000".into());
    let runs: usize = std::env::var("RELOAD_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(15);
    println!("save-to-reload latency, {runs} edits per site (median, fastest, slowest)");
    for site in sites.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let source = match site {
            "sample" => PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            stories => support::corpus(
                stories
                    .parse()
                    .expect("RELOAD_SITES holds sample or a number"),
            ),
        };
        measure(site, &source, runs);
    }
}

/// Serves a copy of the site at `source`, edits one story `runs` times and prints the figures.
fn measure(name: &str, source: &Path, runs: usize) {
    let started = Instant::now();
    let server = Server::start_copy(source, 600);
    let startup = started.elapsed();
    let story = first_story(&server.root.join("content"));
    let slug = story
        .strip_prefix(server.root.join("content"))
        .expect("under content")
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    let page = format!("/{slug}/");
    let original = std::fs::read_to_string(&story).expect("story readable");
    assert_eq!(server.get(&page).status, 200, "{page} is served");

    let mut events = server.events();
    let mut latencies = Vec::with_capacity(runs);
    for run in 0..runs {
        let marker = format!("Reload marker {run}.");
        let edited = format!("{}\n\n{marker}\n", original.trim_end());
        let saved = Instant::now();
        std::fs::write(&story, edited).expect("story writable");
        wait_for_reload(&mut events);
        let reply = server.get(&page);
        let latency = saved.elapsed();
        assert!(reply.body.contains(&marker), "the reload served the edit");
        latencies.push(latency);
        // An author saves again seconds later: let the pages that list the
        // story finish first, and the watcher settle.
        assert!(
            server.wait_for_count(|line| line.starts_with("Rebuilt"), run + 1, 60),
            "the rebuild finished"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let rebuilds: Vec<u64> = server
        .lines()
        .iter()
        .filter_map(|line| {
            let (_, time) = line.strip_prefix("Rebuilt ")?.split_once(" in ")?;
            time.split_once(" ms")?.0.parse().ok()
        })
        .collect();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:>7}: {:6.1} ms median, {:6.1} fastest, {:6.1} slowest   (server's own rebuild: {} ms median; first build and start {:.2} s)",
        ms(latencies[latencies.len() / 2]),
        ms(latencies[0]),
        ms(latencies[latencies.len() - 1]),
        median(rebuilds).map_or("-".into(), |m| m.to_string()),
        startup.as_secs_f64(),
    );
}

/// Reads the event stream until a reload or stylesheet event arrives.
fn wait_for_reload(events: &mut impl BufRead) {
    let mut line = String::new();
    loop {
        line.clear();
        let read = events
            .read_line(&mut line)
            .expect("the event stream stays open");
        assert!(read > 0, "the event stream ended");
        if line.starts_with("data:") {
            return;
        }
    }
}

fn median(mut values: Vec<u64>) -> Option<u64> {
    values.sort_unstable();
    values.get(values.len() / 2).copied()
}

/// The first story file, by path.
fn first_story(content: &Path) -> PathBuf {
    let mut stories: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    stories.sort();
    stories.into_iter().next().expect("the site has a story")
}
