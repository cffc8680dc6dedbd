//! The pipeline's stages, timed with criterion on the generated corpus:
//! parsing and checking every story, rendering every page in memory, and the
//! incremental rebuild after one story is edited (what `serve --watch` does on
//! a save). Whole-process figures against Hugo come from `bench/compare.sh`.
//!
//! The corpus is `examples/corpus --flavor backtrack` with seed 42, generated
//! once into `target/bench/`; BENCH_STORIES picks the size (default 1000).

#[path = "../tests/support/mod.rs"]
#[allow(missing_docs)]
mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use backtrack::incremental::{Dirty, Session};
use backtrack::pipeline::{Options, render_pages};
use backtrack::render::{self, StoryExports};
use criterion::{Criterion, criterion_group, criterion_main};

fn options(root: PathBuf) -> Options {
    Options {
        output: root.join("public"),
        root,
        base_url: None,
        drafts: false,
    }
}

fn stages(c: &mut Criterion) {
    let stories: usize = std::env::var("BENCH_STORIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let root = support::corpus(stories);
    let mut group = c.benchmark_group(format!("{stories} stories"));
    group.sample_size(10);

    group.bench_function("parse and check", |b| {
        b.iter(|| {
            let mut session = Session::new(options(root.clone()));
            session.refresh(&Dirty::Everything).expect("corpus builds")
        })
    });

    let mut session = Session::new(options(root.clone()));
    let site = session.refresh(&Dirty::Everything).expect("corpus builds");
    let pages = render::all_pages(&site);
    let theme = session.theme().expect("theme");
    group.bench_function("render every page in memory", |b| {
        // A new set of kept exports each time: the whole site is rendered.
        b.iter(|| render_pages(&site, theme, &pages, &StoryExports::default()).expect("renders"))
    });

    let edited = site.stories[site.stories.len() / 2].file.clone();
    let path = root.join(&edited);
    let original = std::fs::read_to_string(&path).expect("story readable");
    session.rebuild(&Dirty::Everything).expect("first rebuild");
    let mut revision = 0;
    group.bench_function("incremental rebuild after one edit", |b| {
        b.iter(|| {
            revision += 1;
            let text = original.replacen(
                "the story begins",
                &format!("the story begins ({revision})"),
                1,
            );
            std::fs::write(&path, text).expect("story writable");
            session
                .rebuild(&Dirty::Some {
                    stories: BTreeSet::from([edited.clone()]),
                    templates: false,
                    statics: false,
                })
                .expect("rebuilds")
        })
    });
    std::fs::write(&path, original).expect("story restored");
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
