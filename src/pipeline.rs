//! `backtrack build`: the chain of steps from a site's files to its output
//! folder, each a plain function from one value to the next:
//!
//! ```text
//! load::sources → check::site → assemble::site → render + write → Staging::commit
//! ```
//!
//! Rendering and writing are one step ([`write_site`]): each page is written
//! as soon as it is rendered, in parallel, so a large site's pages are never
//! all in memory at once. Story pages go a step further
//! ([`StoryPagesAsRead`]): each is rendered and staged as its story is read,
//! so that the stories' bodies are never all in memory at once either. `serve` and `build --watch` run the same steps
//! through an [`crate::incremental::Session`], which redoes only what a
//! change touches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::story::Parsed;
use crate::load::{self, NotASite};
use crate::model::Site;
use crate::progress::Progress;
use crate::render::{self, ExportSpool, Renderer, StoryExports, Theme};
use crate::social_cards::{Card, SocialCards};
use crate::urls::PageId;
use crate::write::{NotOurs, Staging};
use crate::{assemble, check};

/// At most this many pages or stories go to one parallel job. Rayon divides
/// work only between jobs, so a long last job leaves the other cores idle
/// at the end of a large build (bench/README.md has the figures).
pub(crate) const JOB_LENGTH: usize = 8;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's folder (holds `site.toml`).
    pub root: PathBuf,
    /// Where `build` writes the site.
    pub output: PathBuf,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Build drafts too.
    pub drafts: bool,
}

impl Options {
    /// The options that change what a build writes, as text for the
    /// inputs' digest.
    pub fn fingerprint(&self) -> String {
        format!("base_url={:?} drafts={}", self.base_url, self.drafts)
    }
}

/// Why a build failed, in the three kinds the command line tells apart.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The content is wrong: every problem found.
    #[error("{} in the content", plural(.0.len(), "problem"))]
    Content(Diagnostics),
    /// backtrack was pointed at the wrong place.
    #[error("{0:#}")]
    Usage(anyhow::Error),
    /// Reading or writing files failed.
    #[error("{0:#}")]
    Io(anyhow::Error),
}

impl From<anyhow::Error> for BuildError {
    fn from(error: anyhow::Error) -> Self {
        if error.is::<NotASite>() || error.is::<NotOurs>() {
            BuildError::Usage(error)
        } else {
            BuildError::Io(error)
        }
    }
}

impl From<Diagnostics> for BuildError {
    fn from(diagnostics: Diagnostics) -> Self {
        BuildError::Content(diagnostics)
    }
}

/// What a finished build made.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Stories built.
    pub stories: usize,
    /// People with a page.
    pub people: usize,
    /// Tags with a page.
    pub tags: usize,
    /// Pages and files the site has.
    pub files: usize,
    /// Of those, how many changed (were written).
    pub changed: usize,
    /// What was kept as the last build made it, not rendered again.
    pub kept: Kept,
    /// Nothing was read past the inputs' digest: they were as the last
    /// build found them, and the output was left as it was.
    pub up_to_date: bool,
    /// Wall time.
    pub elapsed: Duration,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let elapsed = self.elapsed.as_millis();
        if self.up_to_date {
            return write!(f, "Nothing changed since the last build ({elapsed} ms)");
        }
        write!(
            f,
            "Built {}, {}, {} in {elapsed} ms",
            plural(self.stories, "story"),
            plural(self.people, "person"),
            plural(self.tags, "tag"),
        )?;
        if self.changed < self.files {
            write!(
                f,
                "; {} of {} changed",
                self.changed,
                plural(self.files, "file")
            )?;
        }
        if self.kept.stories > 0 {
            write!(
                f,
                "; {} as the last build left them, not rendered again",
                plural(self.kept.stories, "story")
            )?;
        }
        if self.kept.listings {
            write!(f, "; every listing as the last build left it")?;
        }
        Ok(())
    }
}

/// "1 story", "3 stories", "1 person", "9 people".
pub fn plural(count: usize, noun: &str) -> String {
    let word = match (count, noun) {
        (1, _) => noun.to_owned(),
        (_, "story") => "stories".to_owned(),
        (_, "person") => "people".to_owned(),
        _ => format!("{noun}s"),
    };
    format!("{count} {word}")
}

/// Builds the site into `options.output`, replacing it only on success:
/// load, check, assemble, then render and write every page, telling
/// `progress` how far it got.
pub fn build(options: &Options, progress: &Progress) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let mut staging = Staging::begin(&options.output)?;
    let inputs = load::digest::inputs(&options.root, &options.fingerprint())?;
    if staging.up_to_date(inputs) {
        return Ok(Summary {
            stories: 0,
            people: 0,
            tags: 0,
            files: 0,
            changed: 0,
            kept: Kept::default(),
            up_to_date: true,
            elapsed: started.elapsed(),
        });
    }
    staging.set_inputs(inputs);
    let theme = Theme::load(&options.root);
    let cards = SocialCards::new(&options.root)?;
    let exports = ExportSpool::new(staging.scratch_file()?);
    let story_pages = StoryPagesAsRead {
        theme: theme.as_ref().ok(),
        cards: &cards,
        exports: &exports,
        staging: &staging,
        drafts: options.drafts,
        written: AtomicUsize::new(0),
        kept: AtomicUsize::new(0),
        problems: Mutex::new(Vec::new()),
    };
    let sources = load::sources(
        &options.root,
        options.base_url.as_deref(),
        &|config, parsed| story_pages.write(config, parsed),
    )?;
    let story_pages = story_pages.finish();
    let (theme, sources) = Diagnostics::both(theme, sources)?;
    let checked = check::site(&sources.registry, &sources.stories, options.drafts);
    // A story page's problems wait for the other pages': all are told at once.
    let (checked, story_pages) = match (checked, story_pages) {
        (Ok(checked), story_pages) => (checked, story_pages),
        (Err(mut problems), story_pages) => {
            problems
                .0
                .extend(story_pages.err().into_iter().flat_map(|found| found.0));
            problems.sort();
            return Err(problems.into());
        }
    };
    let site = assemble::site(&sources.config, checked);
    // The site holds what rendering needs; what only the checks did (each
    // story's front matter, kept for messages) is freed, off the critical path.
    std::thread::spawn(move || drop(sources));
    let pages = render::site_pages(&site);
    let renderer = Renderer::new(&theme, &site);
    progress.pages(pages.len());
    // Asked once every story is read, before the pages are rendered.
    let listings_kept = staging.listings_unchanged();
    let (made, story_problems) = match story_pages {
        Ok(made) => (made, None),
        Err(problems) => (StoryPagesMade::default(), Some(problems)),
    };
    let files = made.files
        + write_site(
            &renderer,
            &exports,
            &pages,
            &staging,
            listings_kept,
            story_problems,
            progress,
        )?
        + write_static(&options.root, &staging)?;
    let changed = staging.changed();
    staging.commit()?;
    // Every story's card was asked for: the rest of the cache is stale.
    cards.prune();
    let kept = Kept {
        stories: made.kept,
        listings: listings_kept,
    };
    let summary = summarize(&site, &pages, files, changed, kept, started.elapsed());
    // Freeing a large site is a tenth of a second on one core that nothing
    // waits for: a thread of its own does it, or the process's exit.
    drop(renderer);
    std::thread::spawn(move || drop((site, theme, pages)));
    Ok(summary)
}

/// Steps 1 and 4 fused for story pages: each story's page is rendered and
/// staged as soon as the story is parsed, its part of `stories.json` kept
/// on disk ([`ExportSpool`]), and what no other page shows dropped
/// ([`crate::model::Story::keep_what_listings_show`]: its body above all).
/// A site's bodies are then never all in memory at once: at 10,000 stories
/// the build's peak was 145 MiB rather than 245 MiB (measured both ways on
/// the benchmark corpus). It is the same renderer as every other story
/// page ([`render::story_pages`]; the embed page with it); nothing staged
/// is committed unless the whole build passes, and its problems are
/// reported with every other. Into an output whose last build read this
/// very story file and every other input as they are now, the story's
/// pages are kept as they are and not rendered again
/// ([`Staging::note_source`]): an edit of one story renders that story's
/// pages and the listings, not every story's.
struct StoryPagesAsRead<'a> {
    /// The theme, when it loaded (its problems are reported elsewhere).
    theme: Option<&'a Theme>,
    /// Draws each story's social card (when `site.toml` wants them).
    cards: &'a SocialCards,
    /// Keeps each story's part of `stories.json`.
    exports: &'a ExportSpool,
    staging: &'a Staging,
    drafts: bool,
    /// How many of the stories' own pages the new output has (staged or kept).
    written: AtomicUsize,
    /// How many stories kept their pages unrendered ([`Staging::note_source`]).
    kept: AtomicUsize,
    problems: Mutex<Vec<Diagnostic>>,
}

impl StoryPagesAsRead<'_> {
    /// Stages the pages of `parsed` (its page, its embed and its social
    /// card, unless it is a draft left out), keeps its part of the export
    /// and drops what no other page shows.
    fn write(&self, config: &Config, parsed: &mut Parsed) -> anyhow::Result<()> {
        let Some(theme) = self.theme else {
            return Ok(());
        };
        if parsed.story.draft && !self.drafts {
            return Ok(());
        }
        self.exports.add(&parsed.story, config)?;
        let unchanged = self.staging.note_source(&parsed.file.path, parsed.source);
        let own_pages = PageId::of_story(&parsed.story.slug).map(|page| page.output_path());
        let rendered = if unchanged && self.staging.keep(&own_pages) {
            self.kept.fetch_add(1, Ordering::Relaxed);
            Ok(Vec::new())
        } else {
            render::story_pages(theme, config, &parsed.story)
        };
        match rendered {
            Ok(pages) => {
                for (page, bytes) in pages {
                    self.staging.write(&page.output_path(), &bytes)?;
                }
                self.written.fetch_add(own_pages.len(), Ordering::Relaxed);
                if config.social_cards {
                    let card = Card::of(&parsed.story, config);
                    let path = crate::urls::card(&parsed.story.slug).concat();
                    if self.cards.stage(&path, &card, self.staging)? {
                        self.written.fetch_add(1, Ordering::Relaxed);
                    }
                }
                if let Some(story) = Arc::get_mut(&mut parsed.story) {
                    story.keep_what_listings_show();
                }
            }
            Err(problems) => self
                .problems
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend(problems.0),
        }
        Ok(())
    }

    /// How many pages were staged and kept, or the problems rendering
    /// them found.
    fn finish(self) -> Result<StoryPagesMade, Diagnostics> {
        let made = StoryPagesMade {
            files: self.written.into_inner(),
            kept: self.kept.into_inner(),
        };
        let problems = self
            .problems
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if problems.is_empty() {
            Ok(made)
        } else {
            let mut problems = Diagnostics(problems);
            problems.sort();
            Err(problems)
        }
    }
}

/// What [`StoryPagesAsRead`] did.
#[derive(Debug, Default)]
struct StoryPagesMade {
    /// Files the stories' own pages and cards make in the new output.
    files: usize,
    /// Stories whose pages were kept unrendered.
    kept: usize,
}

/// What an in-place build kept as the last build made it, not rendered
/// again.
#[derive(Debug, Clone, Copy, Default)]
pub struct Kept {
    /// Stories whose own pages were kept: their files and every other
    /// input were as they were.
    pub stories: usize,
    /// Every page but the stories' own was kept: no story showed those
    /// pages anything new.
    pub listings: bool,
}

fn summarize(
    site: &Site,
    pages: &[PageId],
    files: usize,
    changed: usize,
    kept: Kept,
    elapsed: Duration,
) -> Summary {
    let count = |kind: fn(&PageId) -> bool| pages.iter().filter(|page| kind(page)).count();
    Summary {
        stories: site.stories.len(),
        people: count(|page| matches!(page, PageId::Person(_))),
        tags: count(|page| matches!(page, PageId::Tag(_, 1))),
        files,
        changed,
        kept,
        up_to_date: false,
        elapsed,
    }
}

/// Renders `pages` in parallel straight into `staging` or, where
/// `listings_kept`, keeps each as the output holds it (see
/// [`Staging::listings_unchanged`]; `stories.json` is written all the
/// same). Returns how many pages there are, or every rendering problem:
/// these and the `earlier` ones (story pages').
fn write_site(
    renderer: &Renderer,
    exports: &ExportSpool,
    pages: &[PageId],
    staging: &Staging,
    listings_kept: bool,
    earlier: Option<Diagnostics>,
    progress: &Progress,
) -> Result<usize, BuildError> {
    let problems: Vec<Diagnostic> = pages
        .par_iter()
        .with_max_len(JOB_LENGTH)
        .map(|page| -> Result<Vec<Diagnostic>, BuildError> {
            progress.page_done();
            if listings_kept && *page != PageId::Json && staging.keep(&[page.output_path()]) {
                return Ok(Vec::new());
            }
            if *page == PageId::Json {
                // Tens of megabytes at archive sizes: written as it is made.
                staging.write_with(&page.output_path(), |out| renderer.write_json(exports, out))?;
                return Ok(Vec::new());
            }
            match renderer.render(page) {
                Ok(bytes) => {
                    staging.write(&page.output_path(), &bytes)?;
                    Ok(Vec::new())
                }
                Err(diagnostics) => Ok(diagnostics.0),
            }
        })
        .try_reduce(Vec::new, |mut all, more| {
            all.extend(more);
            Ok(all)
        })?;
    let mut problems = Diagnostics(problems);
    problems
        .0
        .extend(earlier.into_iter().flat_map(|earlier| earlier.0));
    if !problems.is_empty() {
        problems.sort();
        return Err(BuildError::Content(problems));
    }
    Ok(pages.len())
}

/// Copies the theme's and the site's static files into `staging`; returns
/// how many there are.
fn write_static(root: &Path, staging: &Staging) -> Result<usize, BuildError> {
    let mut files = 0;
    for (path, bytes) in render::theme::builtin_static() {
        staging.write(&path, bytes)?;
        files += 1;
    }
    let static_dir = root.join("static");
    if static_dir.is_dir() {
        files += staging.copy_tree(&static_dir)?;
    }
    Ok(files)
}

/// The theme's built-in static files overlaid by the site's `static/` folder.
pub fn static_files(root: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files: BTreeMap<String, Vec<u8>> = render::theme::builtin_static()
        .into_iter()
        .map(|(path, bytes)| (path, bytes.to_vec()))
        .collect();
    let static_dir = root.join("static");
    if static_dir.is_dir() {
        for (relative, path) in crate::write::files_under(&static_dir)? {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            files.insert(relative, bytes);
        }
    }
    Ok(files.into_iter().collect())
}

/// Pages of `site` rendered in memory, for the preview server and tests;
/// `stories.json` reuses the unchanged stories' parts kept in `exports`.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    pages: &[PageId],
    exports: &StoryExports,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let renderer = Renderer::new(theme, site).reusing(exports);
    let results: Vec<Result<(String, Vec<u8>), Diagnostics>> = pages
        .par_iter()
        .with_max_len(JOB_LENGTH)
        .map(|page| Ok((page.output_path(), renderer.render(page)?)))
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(page) => rendered.push(page),
            Err(diagnostics) => problems.extend(diagnostics.0),
        }
    }
    if problems.is_empty() {
        Ok(rendered)
    } else {
        Err(Diagnostics(problems))
    }
}
