//! The pipeline: load → parse → validate → assemble → render → write.
//!
//! A [`Session`] keeps what one build learned (the config, `people.toml`,
//! every parsed story and the compiled theme) so that `serve --watch` can
//! re-read only what changed. `backtrack build` is a session used once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ahash::{AHashMap, AHashSet};
use anyhow::Context as _;
use rayon::prelude::*;

use crate::config::Config;
use crate::depends;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, NotASite};
use crate::model::Site;
use crate::output::{NotOurs, Staging};
use crate::people::{self, Registry};
use crate::render::{self, PageId, Renderer, StoryPages, Theme};
use crate::story::{self, Parsed};

/// At most this many pages or stories go to one parallel job. Rayon divides
/// work only between jobs, so a long last job leaves the other cores idle:
/// with the default split a 10,000-story build ended on one core for half a second.
const JOB_LENGTH: usize = 8;

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
    /// Pages and files written.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Built {}, {}, {} in {} ms",
            plural(self.stories, "story"),
            plural(self.people, "person"),
            plural(self.tags, "tag"),
            self.elapsed.as_millis()
        )
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

/// Builds the site into `options.output`, replacing it only on success.
pub fn build(options: &Options) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let staging = Staging::begin(&options.output)?;
    let mut session = Session::new(options.clone());
    // Each story's page is written as soon as the story is parsed, and the
    // story kept without its body: memory holds what the listings need.
    let (site, story_problems) = session.refresh_writing(&Dirty::Everything, Some(&staging))?;
    // What only the checks needed (front matter kept for diagnostics) goes
    // before the listings are rendered.
    let theme = session.into_theme()?;
    let pages = render::site_pages(&site);
    let renderer = Renderer::new(&theme, &site);
    let files = site.stories.len()
        + write_site(&renderer, &pages, &options.root, &staging, story_problems)?;
    staging.commit()?;
    let summary = summarize(&site, &pages, files, started.elapsed());
    // Freeing a large site is a tenth of a second on one core that nothing
    // waits for: a thread of its own does it, or the process's exit.
    let values = renderer.into_values();
    std::thread::spawn(move || drop((site, theme, pages, values)));
    Ok(summary)
}

fn summarize(site: &Site, pages: &[PageId], files: usize, elapsed: Duration) -> Summary {
    let count = |kind: fn(&PageId) -> bool| pages.iter().filter(|page| kind(page)).count();
    Summary {
        stories: site.stories.len(),
        people: count(|page| matches!(page, PageId::Person(_))),
        tags: count(|page| matches!(page, PageId::Tag(_))),
        files,
        elapsed,
    }
}

/// Renders `pages` in parallel straight into `staging`, then copies the
/// theme's and the site's static files. Returns how many files were written,
/// or every rendering problem: these and `earlier` ones (the story pages').
fn write_site(
    renderer: &Renderer,
    pages: &[PageId],
    root: &Path,
    staging: &Staging,
    mut earlier: Vec<Diagnostic>,
) -> Result<usize, BuildError> {
    renderer.prepare_cards();
    let problems: Vec<Diagnostic> = pages
        .par_iter()
        .with_max_len(JOB_LENGTH)
        .map(|page| -> Result<Vec<Diagnostic>, BuildError> {
            if *page == PageId::Json {
                // Tens of megabytes at archive sizes: written as it is made.
                staging.write_with(&page.output_path(), |out| renderer.write_json(out))?;
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
    if !problems.is_empty() || !earlier.is_empty() {
        earlier.extend(problems);
        return Err(BuildError::Content(sorted(earlier)));
    }
    let mut files = pages.len();
    for (path, bytes) in render::BUILTIN_STATIC {
        staging.write(path, bytes)?;
        files += 1;
    }
    let static_dir = root.join("static");
    if static_dir.is_dir() {
        files += staging.copy_tree(&static_dir)?;
    }
    Ok(files)
}

/// What changed since the last refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dirty {
    /// Re-read everything (first build, site.toml or people.toml changed,
    /// the watcher lost track).
    Everything,
    /// Only these files changed: story paths relative to the root, and
    /// whether templates did.
    Some {
        /// Story files created, modified or removed (relative to the root).
        stories: BTreeSet<PathBuf>,
        /// Any file under `templates/` changed.
        templates: bool,
        /// Any file under `static/` changed.
        statics: bool,
    },
}

impl Dirty {
    /// Both changes at once.
    pub fn merge(self, other: Dirty) -> Dirty {
        match (self, other) {
            (
                Dirty::Some {
                    mut stories,
                    templates,
                    statics,
                },
                Dirty::Some {
                    stories: more,
                    templates: more_templates,
                    statics: more_statics,
                },
            ) => {
                stories.extend(more);
                Dirty::Some {
                    stories,
                    templates: templates || more_templates,
                    statics: statics || more_statics,
                }
            }
            _ => Dirty::Everything,
        }
    }
}

/// What a rebuild changed, for a server that holds the site in memory.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// Pages and files to add or replace, by output path.
    pub changed: Vec<(String, Vec<u8>)>,
    /// Output paths that no longer exist.
    pub removed: Vec<String>,
    /// `changed` is the whole site: drop everything not in it.
    pub full: bool,
    /// How many story files were re-read.
    pub stories: usize,
    /// The site's base path ("/" or "/news/"), which a settings change can move.
    pub base_path: String,
    /// Output paths whose new version [`Session::finish`] has still to render
    /// (after [`Session::rebuild_edited_first`]); a server holds requests for
    /// them until then rather than serve the old version.
    pub deferred: Vec<String>,
}

/// Whether a rebuild renders every affected page at once, or the edited
/// stories' pages first and the rest in [`Session::finish`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phases {
    AllAtOnce,
    EditedFirst,
}

/// What one build learned, kept for the next.
pub struct Session {
    options: Options,
    config: Option<Config>,
    registry: Registry,
    stories: BTreeMap<PathBuf, story::Outcome>,
    theme: Option<Result<Theme, Diagnostics>>,
    /// The last site that built, for incremental rebuilds.
    last: Option<Site>,
    /// Changes seen by rebuilds that failed: the next good one must render
    /// their pages too.
    pending: Option<Dirty>,
    /// Pages of `last` left for [`Session::finish`].
    deferred: Vec<PageId>,
    /// `last` was built from `stories` as they are now (no rebuild failed or
    /// re-read anything since).
    last_is_current: bool,
}

impl Session {
    /// A session that has read nothing yet.
    pub fn new(options: Options) -> Session {
        Session {
            options,
            config: None,
            registry: Registry::new(),
            stories: BTreeMap::new(),
            theme: None,
            last: None,
            pending: None,
            deferred: Vec::new(),
            last_is_current: false,
        }
    }

    /// Rebuilds in memory: everything on the first call or when settings or
    /// templates changed, otherwise only the pages `dirty`'s stories touch.
    /// On failure the last good site stays the base for the next rebuild.
    pub fn rebuild(&mut self, dirty: &Dirty) -> Result<Rebuild, BuildError> {
        self.rebuild_in(dirty, Phases::AllAtOnce)
    }

    /// Like [`Session::rebuild`], but an incremental rebuild renders only the
    /// edited stories' own pages and leaves the pages listing them (index,
    /// people, tags, feeds, JSON) in [`Rebuild::deferred`] for
    /// [`Session::finish`]: the page an author is looking at is ready first.
    pub fn rebuild_edited_first(&mut self, dirty: &Dirty) -> Result<Rebuild, BuildError> {
        self.rebuild_in(dirty, Phases::EditedFirst)
    }

    /// Renders the pages the last rebuild deferred. On failure the next
    /// rebuild renders everything.
    pub fn finish(&mut self) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
        let pages = std::mem::take(&mut self.deferred);
        if pages.is_empty() {
            return Ok(Vec::new());
        }
        let Some(site) = &self.last else {
            return Ok(Vec::new());
        };
        let rendered = render_pages(site, self.theme()?, &pages).map_err(BuildError::Content);
        if rendered.is_err() {
            self.pending = Some(Dirty::Everything);
        }
        rendered
    }

    fn rebuild_in(&mut self, dirty: &Dirty, phases: Phases) -> Result<Rebuild, BuildError> {
        let dirty = match self.pending.take() {
            // What an unfinished rebuild left undone is done with this one.
            _ if !self.deferred.is_empty() => {
                self.deferred.clear();
                Dirty::Everything
            }
            Some(pending) => pending.merge(dirty.clone()),
            None => dirty.clone(),
        };
        let result = self.rebuild_now(&dirty, phases);
        if result.is_err() {
            self.pending = Some(dirty);
        }
        result
    }

    fn rebuild_now(&mut self, dirty: &Dirty, phases: Phases) -> Result<Rebuild, BuildError> {
        let site = self.refresh(dirty)?;
        let (stories, full, statics) = match (dirty, &self.last) {
            (
                Dirty::Some {
                    stories,
                    templates: false,
                    statics,
                },
                Some(_),
            ) => (Some(stories), false, *statics),
            _ => (None, true, true),
        };
        let mut rebuild = Rebuild {
            full,
            base_path: site.config.base_path.clone(),
            ..Rebuild::default()
        };
        let mut pages: Vec<PageId> = match (stories, &self.last) {
            (Some(files), Some(last)) => {
                rebuild.stories = files.len();
                let touched = [last, &site].into_iter().flat_map(|version| {
                    version
                        .stories
                        .iter()
                        .filter(|story| files.contains(&story.file))
                        .map(|story| story.as_ref())
                });
                let (keep, gone): (Vec<PageId>, Vec<PageId>) = depends::affected(touched)
                    .into_iter()
                    .partition(|page| depends::exists(&site, page));
                rebuild.removed = gone.iter().map(PageId::output_path).collect();
                keep
            }
            _ => {
                rebuild.stories = site.stories.len();
                render::all_pages(&site)
            }
        };
        if phases == Phases::EditedFirst && !rebuild.full {
            let (first, later) = pages
                .into_iter()
                .partition(|page| matches!(page, PageId::Story(_)));
            pages = first;
            rebuild.deferred = later.iter().map(PageId::output_path).collect();
            self.deferred = later;
        }
        rebuild.changed = render_pages(&site, self.theme()?, &pages)?;
        if statics {
            rebuild.changed.extend(static_files(&self.options.root)?);
        }
        self.last = Some(site);
        self.last_is_current = true;
        Ok(rebuild)
    }

    /// The options this session builds with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Re-reads what `dirty` names and returns the checked site, or every
    /// problem in it.
    pub fn refresh(&mut self, dirty: &Dirty) -> Result<Site, BuildError> {
        self.refresh_writing(dirty, None).map(|(site, _)| site)
    }

    /// [`Session::refresh`] that also writes each story's page into
    /// `staging` as soon as the story is parsed (when the theme loads) and
    /// keeps the story without its body, which no other page shows. With
    /// the site come the problems rendering story pages found, to be
    /// reported with those of the other pages.
    fn refresh_writing(
        &mut self,
        dirty: &Dirty,
        staging: Option<&Staging>,
    ) -> Result<(Site, Vec<Diagnostic>), BuildError> {
        let root = self.options.root.clone();
        // Without readable settings nothing was parsed: start over.
        let dirty = if self.config.is_none() {
            &Dirty::Everything
        } else {
            dirty
        };
        let kept = self.kept_outcomes(dirty);
        let edited = match dirty {
            Dirty::Everything => {
                self.reload_settings()?;
                self.theme = None;
                self.stories.clear();
                None
            }
            Dirty::Some {
                stories, templates, ..
            } => {
                if *templates {
                    self.theme = None;
                }
                Some(stories.iter().cloned().collect::<Vec<_>>())
            }
        };
        self.last_is_current = false;
        let mut problems: Vec<Diagnostic> = Vec::new();
        if let Err(diagnostics) = self.theme.get_or_insert_with(|| Theme::load(&root)) {
            problems.extend(diagnostics.0.iter().cloned());
        }
        let story_pages = match edited {
            // Every story, each parsed as soon as the walk finds it.
            None => self.reparse(load::story_paths(&root).par_bridge(), staging)?,
            Some(paths) => {
                let paths = paths.into_par_iter().with_max_len(JOB_LENGTH).map(Ok);
                self.reparse(paths, staging)?
            }
        };
        if let Some(site) = kept.and_then(|kept| self.swap_into_last(kept)) {
            return Ok((site, story_pages));
        }
        let config = self
            .config
            .as_ref()
            .context("the site settings were not read")?;
        match assemble(config, &self.registry, &self.stories, self.options.drafts) {
            Ok(site) if problems.is_empty() => Ok((site, story_pages)),
            Ok(_) => {
                problems.extend(story_pages);
                Err(BuildError::Content(sorted(problems)))
            }
            Err(diagnostics) => {
                problems.extend(diagnostics.0);
                problems.extend(story_pages);
                Err(BuildError::Content(sorted(problems)))
            }
        }
    }

    /// The parsed stories `dirty` names, as the last site was built from them,
    /// when a change to them alone could leave the site-wide facts as they are.
    fn kept_outcomes(&self, dirty: &Dirty) -> Option<Vec<Parsed>> {
        let Dirty::Some {
            stories,
            templates: false,
            ..
        } = dirty
        else {
            return None;
        };
        if !self.last_is_current {
            return None;
        }
        stories
            .iter()
            .map(|file| self.stories.get(file)?.as_ref().ok().cloned())
            .collect()
    }

    /// The last site with the re-read stories swapped in, when none of them
    /// changed a site-wide fact (see [`Parsed::same_site_facts`]): then the
    /// site-wide checks would find what they found before, and the archive's
    /// order and people stay as they are. Saves a pass over every story on
    /// each save.
    fn swap_into_last(&self, kept: Vec<Parsed>) -> Option<Site> {
        let last = self.last.as_ref()?;
        let mut swaps = Vec::with_capacity(kept.len());
        for before in kept {
            let now = self.stories.get(&before.story.file)?.as_ref().ok()?;
            if !before.same_site_facts(now) {
                return None;
            }
            swaps.push((before.story, Arc::clone(&now.story)));
        }
        let stories = last
            .stories
            .iter()
            .map(|story| {
                swaps
                    .iter()
                    .find(|(before, _)| Arc::ptr_eq(before, story))
                    .map_or_else(|| Arc::clone(story), |(_, now)| Arc::clone(now))
            })
            .collect();
        Some(Site {
            config: last.config.clone(),
            stories,
            people: last.people.clone(),
        })
    }

    /// The compiled theme (loaded by the last [`Session::refresh`]).
    pub fn theme(&self) -> Result<&Theme, BuildError> {
        match &self.theme {
            Some(Ok(theme)) => Ok(theme),
            Some(Err(problems)) => Err(BuildError::Content(problems.clone())),
            None => Err(theme_not_loaded()),
        }
    }

    /// The compiled theme, dropping everything else the session holds on a
    /// thread of its own: at archive sizes that is thousands of parsed
    /// stories, milliseconds that nothing needs to wait for.
    pub fn into_theme(mut self) -> Result<Theme, BuildError> {
        let theme = self.theme.take();
        std::thread::spawn(move || drop(self));
        match theme {
            Some(Ok(theme)) => Ok(theme),
            Some(Err(problems)) => Err(BuildError::Content(problems)),
            None => Err(theme_not_loaded()),
        }
    }

    fn reload_settings(&mut self) -> Result<(), BuildError> {
        let root = &self.options.root;
        let config = load::config(root, self.options.base_url.as_deref())?;
        let registry = load::registry(root)?;
        let mut problems = Vec::new();
        match config {
            Ok(config) => self.config = Some(config),
            Err(diagnostics) => problems.extend(diagnostics.0),
        }
        match registry {
            Ok(registry) => self.registry = registry,
            Err(diagnostics) => problems.extend(diagnostics.0),
        }
        if problems.is_empty() {
            Ok(())
        } else {
            self.config = None;
            Err(BuildError::Content(sorted(problems)))
        }
    }

    /// Parses `paths` in parallel; a path that no longer exists is forgotten.
    /// With `staging` (and a theme that loaded), each story that will be
    /// built has its page written there at once; returns the problems
    /// rendering them found.
    fn reparse(
        &mut self,
        paths: impl ParallelIterator<Item = anyhow::Result<PathBuf>>,
        staging: Option<&Staging>,
    ) -> Result<Vec<Diagnostic>, BuildError> {
        let Some(config) = &self.config else {
            return Ok(Vec::new());
        };
        let context = story::Context {
            config,
            registry: &self.registry,
        };
        let early = match (staging, &self.theme) {
            (Some(staging), Some(Ok(theme))) => Some(EarlyPages {
                pages: StoryPages::new(theme, config),
                staging,
                drafts: self.options.drafts,
            }),
            _ => None,
        };
        let root = &self.options.root;
        let parsed: Vec<(PathBuf, Option<story::Outcome>, Vec<Diagnostic>)> = paths
            .map(|path| -> anyhow::Result<_> {
                let path = path?;
                if !load::is_story_path(&path) {
                    return Ok((path, None, Vec::new()));
                }
                let mut outcome = load::story(root, &path, &context)?;
                let problems = match (&early, &mut outcome) {
                    (Some(early), Some(Ok(parsed))) => early.write(parsed)?,
                    _ => Vec::new(),
                };
                Ok((path, outcome, problems))
            })
            .collect::<anyhow::Result<_>>()?;
        let mut problems = Vec::new();
        if self.stories.is_empty() {
            // A first build: a map built whole (it sorts the paths once)
            // skips comparing paths for every insert.
            self.stories = parsed
                .into_iter()
                .filter_map(|(path, result, rendering)| {
                    problems.extend(rendering);
                    Some((path, result?))
                })
                .collect();
            return Ok(problems);
        }
        for (path, result, rendering) in parsed {
            problems.extend(rendering);
            match result {
                Some(result) => self.stories.insert(path, result),
                None => self.stories.remove(&path),
            };
        }
        Ok(problems)
    }
}

/// Story pages written while parsing (see [`Session::refresh_writing`]).
struct EarlyPages<'a> {
    pages: StoryPages<'a>,
    staging: &'a Staging,
    drafts: bool,
}

impl EarlyPages<'_> {
    /// Writes the page of `parsed` (unless it is a draft left out) and drops
    /// the story's body; returns what rendering it found wrong.
    fn write(&self, parsed: &mut Parsed) -> anyhow::Result<Vec<Diagnostic>> {
        if parsed.story.draft && !self.drafts {
            return Ok(Vec::new());
        }
        match self.pages.render(&parsed.story) {
            Ok(bytes) => {
                let page = PageId::Story(parsed.story.slug.clone());
                self.staging.write(&page.output_path(), &bytes)?;
                if let Some(story) = Arc::get_mut(&mut parsed.story) {
                    story.body_html = String::new();
                }
                Ok(Vec::new())
            }
            Err(problems) => Ok(problems.0),
        }
    }
}

/// Asking for the theme before [`Session::refresh`] loaded it is a bug.
fn theme_not_loaded() -> BuildError {
    BuildError::Io(anyhow::anyhow!("the theme was not loaded"))
}

fn sorted(mut problems: Vec<Diagnostic>) -> Diagnostics {
    let mut diagnostics = Diagnostics(std::mem::take(&mut problems));
    diagnostics.sort();
    diagnostics
}

/// Output paths the site's own pages take; a story slug must not claim them.
const RESERVED_SLUGS: [(&str, &str); 3] = [
    ("", "the home page"),
    ("people", "the people index"),
    ("tags", "the tag index"),
];

/// The site-wide checks (output paths, person names) and the assembled site.
fn assemble(
    config: &Config,
    registry: &Registry,
    parsed: &BTreeMap<PathBuf, story::Outcome>,
    drafts: bool,
) -> Result<Site, Diagnostics> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut built: Vec<&Parsed> = Vec::with_capacity(parsed.len());
    for result in parsed.values() {
        match result {
            Ok(story) if drafts || !story.story.draft => built.push(story),
            Ok(_) => {}
            Err(story_problems) => problems.extend(story_problems.iter().cloned()),
        }
    }
    claim_output_paths(&built, &mut problems);
    let declarations = registry
        .values()
        .chain(built.iter().flat_map(|story| story.declared.iter()));
    let everyone = people::merge(declarations, &mut problems);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    // Sort compact keys, not the stories: comparing through each story's
    // pointer costs a cache miss per comparison at archive sizes.
    let mut order: Vec<(jiff::Timestamp, &str, &Arc<crate::model::Story>)> = built
        .iter()
        .map(|parsed| {
            let story = &parsed.story;
            (story.published.instant, story.slug.as_str(), story)
        })
        .collect();
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let stories: Vec<Arc<crate::model::Story>> = order
        .into_iter()
        .map(|(_, _, story)| Arc::clone(story))
        .collect();
    let quoted: AHashSet<&str> = stories
        .iter()
        .flat_map(|story| story.people.keys().map(String::as_str))
        .collect();
    let people = everyone
        .into_iter()
        .filter(|(id, _)| quoted.contains(id.as_str()))
        .collect();
    Ok(Site {
        config: config.clone(),
        stories,
        people,
    })
}

fn claim_output_paths(built: &[&Parsed], problems: &mut Vec<Diagnostic>) {
    let mut claims: AHashMap<&str, &Parsed> = AHashMap::with_capacity(built.len());
    for story in built {
        let slug = story.story.slug.as_str();
        if let Some((_, page)) = RESERVED_SLUGS
            .iter()
            .find(|(reserved, _)| *reserved == slug)
        {
            problems.push(
                Diagnostic::new(
                    &story.file,
                    story.slug_span.clone(),
                    format!("this story's URL /{slug} is taken by {page}"),
                )
                .with_help("give the story another `slug`"),
            );
        } else if let Some(first) = claims.get(slug) {
            problems.push(
                Diagnostic::new(
                    &story.file,
                    story.slug_span.clone(),
                    format!(
                        "this story and {} both claim the URL /{slug}/",
                        first.file.path.display()
                    ),
                )
                .with_related(&first.file, first.slug_span.clone(), "the other story")
                .with_help("give one of them a different `slug`"),
            );
        } else {
            claims.insert(slug, story);
        }
    }
}

/// The theme's built-in static files overlaid by the site's `static/` folder.
pub fn static_files(root: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files: BTreeMap<String, Vec<u8>> = render::BUILTIN_STATIC
        .iter()
        .map(|(path, bytes)| ((*path).to_owned(), bytes.to_vec()))
        .collect();
    let static_dir = root.join("static");
    if static_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&static_dir).follow_links(true) {
            let entry = entry.with_context(|| format!("reading {}", static_dir.display()))?;
            if entry.file_type().is_file() {
                let relative = entry.path().strip_prefix(&static_dir)?;
                let path = relative
                    .iter()
                    .map(|part| part.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = std::fs::read(entry.path())
                    .with_context(|| format!("reading {}", entry.path().display()))?;
                files.insert(path, bytes);
            }
        }
    }
    Ok(files.into_iter().collect())
}

/// Pages of `site` rendered in memory, for the preview server and tests.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    pages: &[PageId],
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let renderer = Renderer::new(theme, site);
    if pages.iter().any(PageId::lists_stories) {
        renderer.prepare_cards();
    }
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
