//! Rebuilds that redo only what a change touches, for `serve --watch` and
//! `build --watch`. A [`Session`] keeps what the last build learned (the
//! settings, `people.toml`, every parsed story and the compiled theme),
//! re-reads only the files a [`Dirty`] names, and renders only the pages
//! that depend on them ([`depends`]): the same steps as
//! [`crate::pipeline::build`], over what changed.

mod depends;
mod dirty;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use ahash::AHashSet;
use anyhow::Context as _;
use rayon::prelude::*;

use depends::Listings;
pub use dirty::Dirty;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::story::{self, Parsed};
use crate::load::{self, people::Registry};
use crate::model::Site;
use crate::pipeline::{BuildError, JOB_LENGTH, Options, render_pages, static_files};
use crate::render::{self, StoryExports, Theme};
use crate::social_cards::Card;
use crate::urls::{self, PageId};
use crate::{assemble, check};

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
    /// Social cards to add or replace, by output path: what each shows, to
    /// be drawn when asked for (`serve`) or when written (`build --watch`).
    pub cards: Vec<(String, Card)>,
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
    /// The stories' parts of `stories.json` from the last rebuild.
    exports: StoryExports,
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
            exports: StoryExports::default(),
        }
    }

    /// Rebuilds in memory: everything on the first call or when settings or
    /// templates changed, otherwise only the pages `dirty`'s stories touch.
    /// On failure the last good site stays the base for the next rebuild.
    pub fn rebuild(&mut self, dirty: &Dirty) -> Result<Rebuild, BuildError> {
        self.rebuild_in(dirty, Phases::AllAtOnce)
    }

    /// Like [`Session::rebuild`], but an incremental rebuild renders only the
    /// edited stories' own pages (and embeds) and leaves the pages listing them (index,
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
        let rendered =
            render_pages(site, self.theme()?, &pages, &self.exports).map_err(BuildError::Content);
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
                let listings = [Listings::of(last), Listings::of(&site)];
                let (keep, gone): (Vec<PageId>, Vec<PageId>) =
                    depends::affected(touched, &listings)
                        .into_iter()
                        .partition(|page| listings[1].exists(page));
                rebuild.removed = gone.iter().map(PageId::output_path).collect();
                rebuild.removed.extend(gone.iter().filter_map(card_path));
                keep
            }
            _ => {
                rebuild.stories = site.stories.len();
                render::all_pages(&site)
            }
        };
        rebuild.cards = cards_of(&site, &pages);
        if phases == Phases::EditedFirst && !rebuild.full {
            let (first, later) = pages.into_iter().partition(PageId::is_story_own);
            pages = first;
            rebuild.deferred = later.iter().map(PageId::output_path).collect();
            self.deferred = later;
        }
        rebuild.changed = render_pages(&site, self.theme()?, &pages, &self.exports)?;
        if statics {
            rebuild.changed.extend(static_files(&self.options.root)?);
        }
        self.last = Some(site);
        self.last_is_current = true;
        Ok(rebuild)
    }

    /// The site the last successful rebuild made.
    pub fn last_site(&self) -> Option<&Site> {
        self.last.as_ref()
    }

    /// The options this session builds with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Re-reads what `dirty` names and returns the checked site, or every
    /// problem in it.
    pub fn refresh(&mut self, dirty: &Dirty) -> Result<Site, BuildError> {
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
        let theme = self.theme.get_or_insert_with(|| Theme::load(&root));
        let mut problems: Vec<Diagnostic> = match theme {
            Err(diagnostics) => diagnostics.0.clone(),
            Ok(_) => Vec::new(),
        };
        match edited {
            None => self.reparse(load::story_paths(&root).par_bridge())?,
            Some(paths) => {
                let paths = paths.into_par_iter().with_max_len(JOB_LENGTH).map(Ok);
                self.reparse(paths)?
            }
        }
        if let Some(site) = kept.and_then(|kept| self.swap_into_last(kept)) {
            return Ok(site);
        }
        let config = self
            .config
            .as_ref()
            .context("the site settings were not read")?;
        match check::site(&self.registry, &self.stories, self.options.drafts) {
            Ok(checked) if problems.is_empty() => Ok(assemble::site(config, checked)),
            Ok(_) => Err(BuildError::Content(sorted(problems))),
            Err(diagnostics) => {
                problems.extend(diagnostics.0);
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

    fn reload_settings(&mut self) -> Result<(), BuildError> {
        let root = &self.options.root;
        match load::settings(root, self.options.base_url.as_deref())? {
            Ok((config, registry)) => {
                self.config = Some(config);
                self.registry = registry;
                Ok(())
            }
            Err(problems) => {
                self.config = None;
                Err(BuildError::Content(problems))
            }
        }
    }

    /// Parses `paths` in parallel; a path that no longer exists is forgotten.
    fn reparse(
        &mut self,
        paths: impl ParallelIterator<Item = anyhow::Result<PathBuf>>,
    ) -> Result<(), BuildError> {
        let Some(config) = &self.config else {
            return Ok(());
        };
        let context = story::Context::new(config, &self.registry);
        let parsed = load::parse_stories(&self.options.root, paths, &context, &|_| Ok(()))?;
        for (path, outcome) in parsed {
            match outcome {
                Some(outcome) => self.stories.insert(path, outcome),
                None => self.stories.remove(&path),
            };
        }
        Ok(())
    }
}

/// The social cards of the stories whose pages are among `pages`, by
/// output path (none where the site draws none).
fn cards_of(site: &Site, pages: &[PageId]) -> Vec<(String, Card)> {
    if !site.config.social_cards {
        return Vec::new();
    }
    let slugs: AHashSet<&str> = pages
        .iter()
        .filter_map(|page| match page {
            PageId::Story(slug) => Some(slug.as_str()),
            _ => None,
        })
        .collect();
    site.stories
        .par_iter()
        .filter(|story| slugs.contains(story.slug.as_str()))
        .map(|story| {
            (
                urls::card(&story.slug).concat(),
                Card::of(story, &site.config),
            )
        })
        .collect()
}

/// The output path of the social card beside `page`, if it is a story's page.
fn card_path(page: &PageId) -> Option<String> {
    match page {
        PageId::Story(slug) => Some(urls::card(slug).concat()),
        _ => None,
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
