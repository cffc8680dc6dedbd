//! Step 5 of a build: writing pages to disk without ever damaging the last
//! good output. Pages go into a staging folder beside the output; only when
//! every page is written does the output change. Into a new (or an old,
//! manifest-less) output, the staging folder is swapped in whole. Into an
//! output a manifest describes ([`manifest`]), only the files whose bytes
//! changed are staged (and a story's own pages are not even rendered where
//! its file and every other input are as the manifest records them:
//! [`Staging::note_source`]), and the commit moves them in one by one and
//! removes the pages that are gone, under a [`journal`] that the next build rolls
//! forward if this one is killed: a reader of the output sees, at any
//! moment, each file whole, old or new. A failed build removes its staging
//! folder and leaves the output as it was. A marker file in the output says
//! backtrack made it (and holds the manifest), so a mistyped `--output`
//! never replaces somebody's own folder; a lock beside it keeps two builds
//! of one output from writing at once.
//!
//! `build --watch` updates an output in place through the same staging and
//! journal ([`Staging::keep_unmentioned`]): a rebuild names only the files
//! it changed or removed, and every other file stays as it is.

mod folder;
pub mod journal;
pub mod manifest;

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{Context as _, Result, bail};

use crate::load::digest::{Inputs, Source};
use folder::{ensure_ours, finish_swap, lock, sibling};
use journal::Journal;
use manifest::{Manifest, hash};

/// The file that marks an output directory as backtrack's own.
pub const MARKER: &str = ".backtrack";

/// Why an output directory cannot be used.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} exists and was not made by backtrack (it has no {MARKER} file), so it will not be replaced; \
     remove it or choose another --output",
    .0.display()
)]
pub struct NotOurs(pub PathBuf);

/// Bytes gathered before a streamed file is written to ([`Staging::write_with`]).
const WRITE_BUFFER: usize = 64 * 1024;

/// A build in progress: a folder beside the output holding what changed,
/// which [`Staging::commit`] puts into the output, and which disappears if
/// dropped before that.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
    /// What the output holds now.
    before: Manifest,
    /// Move changed files into the output (rather than swap the folder).
    in_place: bool,
    /// Every file of the new output, with its hash.
    after: Mutex<BTreeMap<String, u128>>,
    /// The files staged (the ones that changed), when they are to be moved
    /// in one by one (a new output's staging folder is swapped in whole).
    staged: Mutex<Vec<String>>,
    /// How many files were staged.
    changed: AtomicUsize,
    inputs: Option<Inputs>,
    /// The story files of the new output, with their hashes.
    sources: Mutex<BTreeMap<String, Source>>,
    /// Two story files were noted under one name (paths that are not
    /// UTF-8, written alike): the sources cannot vouch for the listings.
    ambiguous: AtomicBool,
    /// Held until the build ends: one build of an output at a time.
    _lock: fs::File,
}

impl Staging {
    /// Checks that `output` may be replaced, waits for any other build of
    /// it to end, finishes a commit a killed build left, and creates a fresh
    /// staging folder.
    pub fn begin(output: &Path) -> Result<Staging> {
        ensure_ours(output)?;
        let lock = lock(output)?;
        finish_swap(output)?;
        let dir = sibling(output, "staging")?;
        if let Some(journal) = Journal::load(&sibling(output, "journal")?)? {
            journal.roll_forward(&dir, output)?;
            fs::remove_file(sibling(output, "journal")?)
                .context("removing the finished journal")?;
        }
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .with_context(|| format!("removing a stale staging directory {}", dir.display()))?;
        }
        fs::create_dir_all(&dir)
            .with_context(|| format!("creating the staging directory {}", dir.display()))?;
        let before = Manifest::read(&output.join(MARKER));
        Ok(Staging {
            dir,
            output: output.to_owned(),
            committed: false,
            in_place: !before.files.is_empty(),
            before,
            after: Mutex::new(BTreeMap::new()),
            staged: Mutex::new(Vec::new()),
            changed: AtomicUsize::new(0),
            inputs: None,
            sources: Mutex::new(BTreeMap::new()),
            ambiguous: AtomicBool::new(false),
            _lock: lock,
        })
    }

    /// Makes this an update of the output rather than a whole new one: the
    /// files this build does not write or [`Staging::remove`] are kept as
    /// they are. For `build --watch`, whose rebuilds know what they changed.
    /// The inputs' digest is dropped, so the next `build` renders in full.
    pub fn keep_unmentioned(&mut self) -> Result<()> {
        if !self.in_place {
            bail!(
                "{} has no complete build to update; run `backtrack build` first",
                self.output.display()
            );
        }
        *lock_ignoring_poison(&self.after) = self.before.files.clone();
        Ok(())
    }

    /// Leaves `relative` out of the new output (an update's page no longer
    /// made); the commit removes it.
    pub fn remove(&self, relative: &str) {
        lock_ignoring_poison(&self.after).remove(relative);
    }

    /// Whether the output was made from inputs with this digest and still
    /// holds every file it was made with: then building again would write
    /// the same bytes.
    pub fn up_to_date(&self, inputs: Inputs) -> bool {
        self.before.inputs == Some(inputs.all)
            && self
                .before
                .files
                .keys()
                .all(|relative| self.output.join(relative).is_file())
    }

    /// Records the digests of the inputs this build is made from (kept in
    /// the manifest for [`Staging::up_to_date`] and
    /// [`Staging::note_source`]).
    pub fn set_inputs(&mut self, inputs: Inputs) {
        self.inputs = Some(inputs);
    }

    /// Records that the new output is made from the story file `path`
    /// (relative to the site's root) with these hashes. True when the
    /// output was made from this very file and every other input as it is
    /// now: the story's own pages there are what rendering it again would
    /// make.
    pub fn note_source(&self, path: &Path, source: Source) -> bool {
        let path = path.to_string_lossy();
        let noted = lock_ignoring_poison(&self.sources).insert(path.to_string(), source);
        if noted.is_some() {
            self.ambiguous.store(true, Ordering::Relaxed);
        }
        self.same_context()
            && self
                .before
                .sources
                .get(path.as_ref())
                .is_some_and(|before| before.file == source.file)
    }

    /// Whether the output was made from the same story files (once every
    /// story is noted: [`Staging::note_source`]), each showing the other
    /// pages what it showed them then ([`Source::listed`]), and every other
    /// input as it is now: then every page but the stories' own is what
    /// rendering it again would make.
    pub fn listings_unchanged(&self) -> bool {
        let sources = lock_ignoring_poison(&self.sources);
        self.same_context()
            && !self.ambiguous.load(Ordering::Relaxed)
            && sources.len() == self.before.sources.len()
            && sources.iter().all(|(path, source)| {
                self.before
                    .sources
                    .get(path)
                    .is_some_and(|before| before.listed == source.listed)
            })
    }

    /// Whether the output was made, and is updated in place, from the
    /// inputs this build has besides its stories.
    fn same_context(&self) -> bool {
        self.in_place
            && self.before.context.is_some()
            && self.before.context == self.inputs.map(|inputs| inputs.context)
    }

    /// Keeps the files at `relative` as the output holds them, in the new
    /// output unchanged, when the output holds every one of them (for pages
    /// known unchanged: [`Staging::note_source`]); false, keeping none,
    /// where one is missing.
    pub fn keep(&self, relative: &[String]) -> bool {
        let held: Option<Vec<u128>> = relative.iter().map(|path| self.held(path)).collect();
        let Some(held) = held else {
            return false;
        };
        lock_ignoring_poison(&self.after).extend(relative.iter().cloned().zip(held));
        true
    }

    /// Writes one file at `relative` (a `/`-separated path made by
    /// backtrack), unless the output holds those bytes there already.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        self.write_as(relative, hash(bytes), bytes)
    }

    /// Whether the output holds, at `relative`, the file whose bytes `hash`
    /// stands for (as the last build recorded it, and it is still there).
    pub fn holds(&self, relative: &str, hash: u128) -> bool {
        self.held(relative) == Some(hash)
    }

    /// The hash the last build recorded for the file at `relative`, where
    /// the output still has it (none in a new output: it has no manifest).
    fn held(&self, relative: &str) -> Option<u128> {
        let hash = *self.before.files.get(relative)?;
        self.output.join(relative).is_file().then_some(hash)
    }

    /// Puts the file at `source` at `relative`, `hash` standing for its
    /// bytes (the same hash, the same bytes: for a social card, the key it
    /// is kept under in the site's cache), unless the output holds it there
    /// already ([`Staging::holds`]). It is hard-linked where the file system
    /// allows (a card is not written twice) and copied where it does not;
    /// the commit renames it into the output as it does every staged file.
    pub fn link(&self, relative: &str, hash: u128, source: &Path) -> Result<()> {
        if !self.note(relative, hash) {
            return Ok(());
        }
        // A card's folder is its story page's, made already: linking first
        // spares a mkdir, which locks the staging folder all threads share.
        let linked = match fs::hard_link(source, self.dir.join(relative)) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                fs::hard_link(source, self.place(relative)?)
            }
            linked => linked,
        };
        if linked.is_ok() {
            return Ok(());
        }
        let path = self.place(relative)?;
        fs::copy(source, &path)
            .map(drop)
            .with_context(|| format!("copying {} to {}", source.display(), path.display()))
    }

    /// Writes one file at `relative`, `hash` standing for its bytes (see
    /// [`Staging::link`]), unless the output holds it already.
    pub fn write_as(&self, relative: &str, hash: u128, bytes: &[u8]) -> Result<()> {
        if !self.note(relative, hash) {
            return Ok(());
        }
        let path = self.place(relative)?;
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    }

    /// Writes one file at `relative` through `fill`, for a file made as it
    /// is written rather than held whole; dropped again if its bytes are
    /// what the output holds.
    pub fn write_with(
        &self,
        relative: &str,
        fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<()> {
        let path = self.place(relative)?;
        let file =
            fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut out = Hashing {
            out: io::BufWriter::with_capacity(WRITE_BUFFER, file),
            hasher: xxhash_rust::xxh3::Xxh3::new(),
        };
        fill(&mut out)
            .and_then(|()| out.flush())
            .with_context(|| format!("writing {}", path.display()))?;
        if !self.note(relative, out.hasher.digest128()) {
            fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
        Ok(())
    }

    /// Records that the new output has `relative` with this hash; true when
    /// it must be staged (the output does not hold those bytes).
    fn note(&self, relative: &str, hash: u128) -> bool {
        lock_ignoring_poison(&self.after).insert(relative.to_owned(), hash);
        let unchanged = self.holds(relative, hash);
        if !unchanged {
            self.changed.fetch_add(1, Ordering::Relaxed);
            if self.in_place {
                lock_ignoring_poison(&self.staged).push(relative.to_owned());
            }
        }
        !unchanged
    }

    /// Copies every file under `from` into the new output, keeping paths;
    /// a symbolic link is refused ([`files_under`]).
    pub fn copy_tree(&self, from: &Path) -> Result<usize> {
        let files = files_under(from)?;
        for (relative, path) in &files {
            let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            self.write(relative, &bytes)?;
        }
        Ok(files.len())
    }

    /// An unnamed file beside the staged output, for a build's scratch
    /// work: on the output's file system, and gone when it is closed.
    pub fn scratch_file(&self) -> Result<fs::File> {
        tempfile::tempfile_in(&self.dir)
            .with_context(|| format!("creating a scratch file in {}", self.dir.display()))
    }

    /// The staged path of `relative`, its folders created.
    fn place(&self, relative: impl AsRef<Path>) -> Result<PathBuf> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        Ok(path)
    }

    /// How many files the build staged because they changed.
    pub fn changed(&self) -> usize {
        self.changed.load(Ordering::Relaxed)
    }

    /// Puts the new output in place: the staged files moved in and the
    /// files no longer made removed, or, into a new output, the staging
    /// folder swapped in whole. The marker gets the new manifest.
    pub fn commit(mut self) -> Result<()> {
        let files = std::mem::take(&mut *lock_ignoring_poison(&self.after));
        let sources = std::mem::take(&mut *lock_ignoring_poison(&self.sources));
        let manifest = Manifest {
            inputs: self.inputs.map(|inputs| inputs.all),
            context: self.inputs.map(|inputs| inputs.context),
            files,
            sources,
        };
        let marker = self.place(MARKER)?;
        let file =
            fs::File::create(&marker).with_context(|| format!("creating {}", marker.display()))?;
        let mut out = io::BufWriter::with_capacity(WRITE_BUFFER, file);
        manifest
            .write_to(&mut out)
            .and_then(|()| out.flush())
            .with_context(|| format!("writing {}", marker.display()))?;
        if self.in_place {
            self.commit_in_place(&manifest)?;
        } else {
            self.swap_in()?;
        }
        self.committed = true;
        Ok(())
    }

    fn commit_in_place(&self, manifest: &Manifest) -> Result<()> {
        let mut moves = std::mem::take(&mut *lock_ignoring_poison(&self.staged));
        moves.sort();
        // The marker last: until it moves, the old manifest describes files
        // that a killed commit's next build will look at again anyway.
        moves.push(MARKER.to_owned());
        let removals = self
            .before
            .files
            .keys()
            .filter(|relative| !manifest.files.contains_key(*relative))
            .cloned()
            .collect();
        let journal = Journal { moves, removals };
        let journal_path = sibling(&self.output, "journal")?;
        journal.save(&journal_path)?;
        journal.roll_forward(&self.dir, &self.output)?;
        fs::remove_file(&journal_path).context("removing the finished journal")?;
        let _ = fs::remove_dir_all(&self.dir);
        Ok(())
    }

    fn swap_in(&self) -> Result<()> {
        let old = sibling(&self.output, "old")?;
        if old.exists() {
            fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
        }
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old)
                .with_context(|| format!("moving the old {} aside", self.output.display()))?;
        }
        if let Err(error) = fs::rename(&self.dir, &self.output) {
            if had_output {
                // Put the previous output back: a failed swap must lose nothing.
                let _ = fs::rename(&old, &self.output);
            }
            return Err(error)
                .with_context(|| format!("moving the new site to {}", self.output.display()));
        }
        if had_output {
            fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// A writer that hashes what passes through it.
struct Hashing<W> {
    out: W,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl<W: io::Write> io::Write for Hashing<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.out.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A poisoned lock only means another writer panicked; the list is whole.
fn lock_ignoring_poison<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Every file under `dir` (the site's `static/`) by `/`-separated path,
/// with its path on disk. A symbolic link is refused, never followed: it
/// could publish a file from outside the site.
pub fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if entry.path_is_symlink() {
            bail!(
                "{} is a symbolic link; backtrack does not follow links in static/, so that \
                 nothing from outside the site is published: copy the file there instead",
                entry.path().display()
            );
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(dir)?
            .iter()
            .map(|part| part.to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.push((relative, entry.into_path()));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_staging_leaves_the_old_output_alone() -> Result<()> {
        let temp = tempfile::tempdir()?;
        let output = temp.path().join("public");
        let first = Staging::begin(&output)?;
        first.write("index.html", b"one")?;
        first.commit()?;
        let second = Staging::begin(&output)?;
        second.write("index.html", b"two")?;
        drop(second);
        assert_eq!(fs::read(output.join("index.html"))?, b"one");
        let mut left: Vec<String> = fs::read_dir(temp.path())?
            .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
            .collect::<Result<_>>()?;
        left.sort();
        assert_eq!(
            left,
            [".public.backtrack-lock", "public"],
            "no staging left"
        );
        Ok(())
    }

    #[test]
    fn an_update_replaces_and_removes_files_and_keeps_the_rest() -> Result<()> {
        let temp = tempfile::tempdir()?;
        let output = temp.path().join("public");
        let first = Staging::begin(&output)?;
        first.write("a/index.html", b"a")?;
        first.write("b/index.html", b"b")?;
        first.write("c/index.html", b"c")?;
        first.commit()?;
        let mut update = Staging::begin(&output)?;
        update.keep_unmentioned()?;
        update.write("a/index.html", b"a2")?;
        update.remove("b/index.html");
        update.commit()?;
        assert_eq!(fs::read(output.join("a/index.html"))?, b"a2");
        assert!(!output.join("b").exists(), "the emptied folder went too");
        assert_eq!(fs::read(output.join("c/index.html"))?, b"c");
        let strays: Vec<_> = fs::read_dir(output.join("a"))?.collect();
        assert_eq!(strays.len(), 1, "no temporary file left behind");
        let manifest = Manifest::read(&output.join(MARKER));
        assert_eq!(manifest.inputs, None, "the next build renders in full");
        assert_eq!(
            manifest.files.keys().collect::<Vec<_>>(),
            ["a/index.html", "c/index.html"]
        );
        Ok(())
    }

    #[test]
    fn a_linked_file_is_the_source_and_is_left_alone_while_its_hash_holds() -> Result<()> {
        use std::os::unix::fs::MetadataExt as _;
        let temp = tempfile::tempdir()?;
        let (output, source) = (temp.path().join("public"), temp.path().join("card.png"));
        fs::write(&source, b"card")?;
        let first = Staging::begin(&output)?;
        first.write("a/index.html", b"page")?;
        first.link("a/card.png", 7, &source)?;
        first.link("b/card.png", 8, &source)?;
        first.commit()?;
        let inode = fs::metadata(&source)?.ino();
        assert_eq!(fs::metadata(output.join("a/card.png"))?.ino(), inode);
        assert_eq!(
            fs::read(output.join("b/card.png"))?,
            b"card",
            "its folder made"
        );
        let second = Staging::begin(&output)?;
        assert!(second.holds("a/card.png", 7));
        assert!(!second.holds("a/card.png", 9));
        second.write("a/index.html", b"page")?;
        second.link("a/card.png", 7, Path::new("/nonexistent"))?;
        second.link("b/card.png", 8, &source)?;
        assert_eq!(second.changed(), 0, "nothing staged, nothing read");
        second.commit()?;
        assert_eq!(fs::metadata(output.join("a/card.png"))?.ino(), inode);
        Ok(())
    }

    #[test]
    fn an_update_needs_a_complete_build_to_update() -> Result<()> {
        let temp = tempfile::tempdir()?;
        let mut update = Staging::begin(&temp.path().join("public"))?;
        assert!(update.keep_unmentioned().is_err());
        Ok(())
    }

    #[test]
    fn a_foreign_directory_is_refused() -> Result<()> {
        let temp = tempfile::tempdir()?;
        fs::write(temp.path().join("notes.txt"), "mine")?;
        let error = Staging::begin(temp.path()).expect_err("not ours");
        assert!(error.downcast_ref::<NotOurs>().is_some());
        Ok(())
    }
}
