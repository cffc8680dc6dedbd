//! File events → classified changes, one per burst. A thread owns a notify
//! watcher on the site's folders (folders, not files, so editors' atomic
//! saves — write a temp file, rename it over — keep working), re-watches a
//! folder that was deleted and made again, ignores editor temp files,
//! `.git/`, `target/` and the output folder, and gathers events until the
//! site has been quiet for a moment: one save, or a `git checkout` of
//! hundreds of files, is one [`Change`]. This is the only debounce: a
//! per-file debouncer (notify-debouncer-full) would deliver a long burst in
//! slices, one rebuild each. A watcher error or overflow means "rebuild
//! everything"; at the OS watch limit it says so and falls back to polling.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify::event::Flag;
use notify::{ErrorKind, Event, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::incremental::Dirty;
use crate::load::{CONFIG_FILE, CONTENT_DIR, PEOPLE_FILE, is_story_path};

/// How long the site must be quiet after a change to one file before it is
/// delivered (an editor's save is several events within a few milliseconds).
const QUIET: Duration = Duration::from_millis(10);
/// How long it must be quiet once several site files changed at once: a
/// `git checkout` or a sync writes hundreds, and they make one rebuild.
const BURST_QUIET: Duration = Duration::from_millis(60);
/// The folders a site's content lives in, watched recursively.
const WATCHED_DIRS: [&str; 3] = [CONTENT_DIR, "templates", "static"];

/// What one burst of file events means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What to rebuild.
    pub dirty: Dirty,
    /// Only stylesheets changed: pages can swap them without reloading.
    pub css_only: bool,
}

/// What one changed path means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A story file (relative to the root).
    Story(PathBuf),
    /// A template.
    Template,
    /// A static file; `true` for a stylesheet.
    Static(bool),
    /// Settings, people, or a folder of stories: re-read everything.
    Everything,
    /// Not part of the site (temp files, output, `.git`, unrelated files).
    Ignored,
}

/// Classifies one path under `root`; `output` is the build's output folder.
pub fn classify(root: &Path, output: &Path, path: &Path) -> Kind {
    if path.starts_with(output) || is_editor_temp(path) {
        return Kind::Ignored;
    }
    let Ok(relative) = path.strip_prefix(root) else {
        return Kind::Ignored;
    };
    let mut parts = relative.components();
    let Some(first) = parts.next().map(|part| part.as_os_str().to_string_lossy()) else {
        return Kind::Everything;
    };
    let nested = parts.next().is_some();
    match first.as_ref() {
        CONFIG_FILE | PEOPLE_FILE if !nested => Kind::Everything,
        CONTENT_DIR if is_story_path(relative) => Kind::Story(relative.to_owned()),
        // A folder of stories made, moved or removed; a file without an
        // extension that is there is none of the site's.
        CONTENT_DIR if relative.extension().is_none() && !path.is_file() => Kind::Everything,
        "templates" if nested => Kind::Template,
        "static" if nested => Kind::Static(relative.extension().is_some_and(|ext| ext == "css")),
        "templates" | "static" => Kind::Everything,
        _ => Kind::Ignored,
    }
}

/// Swap files, backups and lock files editors write next to the real one.
fn is_editor_temp(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|name| name.to_string_lossy()) else {
        return false;
    };
    let hidden_in_tree = path
        .components()
        .any(|part| matches!(part.as_os_str().to_str(), Some(".git" | "target")));
    hidden_in_tree
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || is_sed_in_place_temp(&name)
        || name == ".DS_Store"
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || [".swp", ".swx", ".swo", ".bck", ".tmp"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

/// `sed -i` (GNU) writes `sedXXXXXX` beside the file, then renames it over:
/// "sed" and six letters or digits.
fn is_sed_in_place_temp(name: &str) -> bool {
    name.strip_prefix("sed")
        .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Folds classified paths into one change, or `None` when none matters.
pub fn change_of(kinds: impl IntoIterator<Item = Kind>) -> Option<Change> {
    let mut stories = BTreeSet::new();
    let (mut templates, mut statics, mut css_only, mut everything, mut any) =
        (false, false, true, false, false);
    for kind in kinds {
        match kind {
            Kind::Story(path) => {
                stories.insert(path);
            }
            Kind::Template => templates = true,
            Kind::Static(css) => {
                statics = true;
                css_only &= css;
                any = true;
                continue;
            }
            Kind::Everything => everything = true,
            Kind::Ignored => continue,
        }
        any = true;
        css_only = false;
    }
    any.then_some(Change {
        dirty: if everything {
            Dirty::Everything
        } else {
            Dirty::Some {
                stories,
                templates,
                statics,
            }
        },
        css_only: css_only && statics,
    })
}

/// A running watcher; dropping it stops watching.
pub struct WatchHandle {
    _thread: std::thread::JoinHandle<()>,
}

/// What the watcher reports: an event, or that it lost track.
type Report = notify::Result<Event>;

/// Watches `root` and sends one [`Change`] per burst of relevant events.
pub fn watch(root: &Path, output: &Path, changes: Sender<Change>) -> Result<WatchHandle> {
    let root = root
        .canonicalize()
        .with_context(|| format!("finding {}", root.display()))?;
    let output = output
        .canonicalize()
        .unwrap_or_else(|_| root.join("public"));
    let (events_tx, events_rx) = mpsc::channel();
    let watcher = match SiteWatcher::native(&root, events_tx.clone()) {
        Ok(watcher) => watcher,
        Err(error) if is_watch_limit(&error) => {
            eprintln!(
                "warning: the system's limit on watched folders is reached (inotify max_user_watches); \
                 watching by polling instead, which is slower. Raise the limit with: \
                 sudo sysctl fs.inotify.max_user_watches=524288"
            );
            SiteWatcher::polling(&root, events_tx)?
        }
        Err(error) => return Err(error).context("starting the file watcher"),
    };
    let thread = std::thread::Builder::new()
        .name("backtrack-watch".to_owned())
        .spawn(move || watch_loop(watcher, &root, &output, &events_rx, &changes))
        .context("starting the watcher thread")?;
    Ok(WatchHandle { _thread: thread })
}

fn is_watch_limit(error: &notify::Error) -> bool {
    matches!(error.kind, ErrorKind::MaxFilesWatch)
        || matches!(&error.kind, ErrorKind::Io(io) if io.raw_os_error() == Some(28))
}

/// The native watcher, or the polling fallback, behind one interface.
enum SiteWatcher {
    Native(RecommendedWatcher),
    Polling(PollWatcher),
}

impl SiteWatcher {
    fn native(root: &Path, events: Sender<Report>) -> notify::Result<SiteWatcher> {
        let watcher = RecommendedWatcher::new(events, notify::Config::default())?;
        let mut watcher = SiteWatcher::Native(watcher);
        watcher.watch_site(root)?;
        Ok(watcher)
    }

    fn polling(root: &Path, events: Sender<Report>) -> Result<SiteWatcher> {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(250));
        let mut watcher = SiteWatcher::Polling(PollWatcher::new(events, config)?);
        watcher.watch_site(root)?;
        Ok(watcher)
    }

    /// The root itself (for settings and for folders made anew) and each
    /// content folder that exists, recursively.
    fn watch_site(&mut self, root: &Path) -> notify::Result<()> {
        self.watch(root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED_DIRS {
            self.rewatch(&root.join(dir))?;
        }
        Ok(())
    }

    fn rewatch(&mut self, dir: &Path) -> notify::Result<()> {
        if dir.is_dir() {
            let _ = self.unwatch(dir);
            self.watch(dir, RecursiveMode::Recursive)?;
        }
        Ok(())
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            SiteWatcher::Native(watcher) => watcher.watch(path, mode),
            SiteWatcher::Polling(watcher) => watcher.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            SiteWatcher::Native(watcher) => watcher.unwatch(path),
            SiteWatcher::Polling(watcher) => watcher.unwatch(path),
        }
    }
}

/// Gathers events until the site is quiet, then sends what they mean.
fn watch_loop(
    mut watcher: SiteWatcher,
    root: &Path,
    output: &Path,
    events: &Receiver<Report>,
    changes: &Sender<Change>,
) {
    while let Ok(first) = events.recv() {
        let mut kinds = Vec::new();
        let mut next = Some(first);
        while let Some(report) = next {
            kinds.extend(kinds_of(&mut watcher, root, output, report));
            let mut relevant = kinds.iter().filter(|kind| **kind != Kind::Ignored);
            let several = relevant
                .next()
                .is_some_and(|first| relevant.any(|kind| kind != first));
            next = match events.recv_timeout(if several { BURST_QUIET } else { QUIET }) {
                Ok(more) => Some(more),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
        }
        if let Some(change) = change_of(kinds)
            && changes.send(change).is_err()
        {
            return;
        }
    }
}

/// What one event means, path by path.
fn kinds_of(watcher: &mut SiteWatcher, root: &Path, output: &Path, report: Report) -> Vec<Kind> {
    let event = match report {
        // The watcher lost track (overflow, a vanished root): start over.
        Err(_) => return vec![Kind::Everything],
        Ok(event) if event.flag() == Some(Flag::Rescan) => return vec![Kind::Everything],
        Ok(event) if event.kind.is_access() => return Vec::new(),
        Ok(event) => event,
    };
    event
        .paths
        .iter()
        .map(|path| {
            refresh_watch(watcher, root, path);
            classify(root, output, path)
        })
        .collect()
}

/// A content folder made anew (`rm -rf content && mkdir content`) needs a new watch.
fn refresh_watch(watcher: &mut SiteWatcher, root: &Path, path: &Path) {
    let is_site_dir = path.parent() == Some(root)
        && path
            .file_name()
            .is_some_and(|name| WATCHED_DIRS.iter().any(|dir| name == *dir));
    if is_site_dir {
        let _ = watcher.rewatch(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Kind {
        classify(
            Path::new("/site"),
            Path::new("/site/public"),
            Path::new(path),
        )
    }

    #[test]
    fn paths_are_classified_by_where_they_are() {
        assert_eq!(
            kind("/site/content/a.md"),
            Kind::Story("content/a.md".into())
        );
        assert_eq!(
            kind("/site/content/2017/b.md"),
            Kind::Story("content/2017/b.md".into())
        );
        assert_eq!(kind("/site/content/2017"), Kind::Everything);
        assert_eq!(kind("/site/site.toml"), Kind::Everything);
        assert_eq!(kind("/site/people.toml"), Kind::Everything);
        assert_eq!(kind("/site/templates/story.html"), Kind::Template);
        assert_eq!(kind("/site/static/style.css"), Kind::Static(true));
        assert_eq!(kind("/site/static/logo.png"), Kind::Static(false));
        assert_eq!(kind("/site/public/index.html"), Kind::Ignored);
        assert_eq!(kind("/site/README.md"), Kind::Ignored);
        assert_eq!(kind("/site/.git/index"), Kind::Ignored);
    }

    #[test]
    fn editor_temp_files_are_ignored() {
        for temp in [
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/#a.md#",
            "/site/content/.#a.md",
            "/site/content/a.md___jb_tmp___",
            "/site/content/4913",
            "/site/content/a.md.bck",
            "/site/content/.DS_Store",
            "/site/content/sedAb12xY",
            "/site/content/2017/sed0Q9zzz",
        ] {
            assert_eq!(kind(temp), Kind::Ignored, "{temp}");
        }
    }

    #[test]
    fn a_burst_becomes_one_change() {
        let change = change_of([
            Kind::Story("content/a.md".into()),
            Kind::Ignored,
            Kind::Story("content/a.md".into()),
            Kind::Story("content/b.md".into()),
        ])
        .expect("relevant");
        assert_eq!(
            change.dirty,
            Dirty::Some {
                stories: ["content/a.md", "content/b.md"].map(PathBuf::from).into(),
                templates: false,
                statics: false,
            }
        );
        assert!(!change.css_only);
        assert!(change_of([Kind::Ignored]).is_none());
        assert!(change_of([Kind::Static(true)]).expect("css").css_only);
        assert_eq!(
            change_of([Kind::Story("content/a.md".into()), Kind::Everything])
                .expect("relevant")
                .dirty,
            Dirty::Everything
        );
    }
}
