//! Step 5 of a build: writing pages to disk without ever damaging the last
//! good output. Pages go into a staging directory beside the output; only
//! when every page is written is the old output swapped out and the new one
//! renamed in. A failed build removes its staging directory and leaves the
//! old output as it was. A marker file in the output says backtrack made it,
//! so a mistyped `--output` never replaces somebody's own folder.
//!
//! `build --watch` updates an output in place with [`update`]: each changed
//! file is written beside its old version and renamed over it, so a reader
//! of the folder sees the old file or the new one, never half of one.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

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

/// A build in progress: a directory beside the output that becomes the output
/// on [`Staging::commit`], or disappears if dropped before that.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks that `output` may be replaced and creates a fresh staging directory.
    pub fn begin(output: &Path) -> Result<Staging> {
        ensure_ours(output)?;
        let dir = sibling(output, "staging")?;
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .with_context(|| format!("removing a stale staging directory {}", dir.display()))?;
        }
        fs::create_dir_all(&dir)
            .with_context(|| format!("creating the staging directory {}", dir.display()))?;
        Ok(Staging {
            dir,
            output: output.to_owned(),
            committed: false,
        })
    }

    /// Writes one file at `relative` (a `/`-separated path made by backtrack).
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.place(relative)?;
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    }

    /// Writes one file at `relative` through `fill`, for a file made as it
    /// is written rather than held whole.
    pub fn write_with(
        &self,
        relative: &str,
        fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<()> {
        let path = self.place(relative)?;
        let file =
            fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut out = io::BufWriter::with_capacity(WRITE_BUFFER, file);
        fill(&mut out)
            .and_then(|()| out.flush())
            .with_context(|| format!("writing {}", path.display()))
    }

    /// Copies every file under `from` into the staging directory, keeping paths.
    pub fn copy_tree(&self, from: &Path) -> Result<usize> {
        let mut copied = 0;
        for entry in walkdir::WalkDir::new(from).follow_links(true) {
            let entry = entry.with_context(|| format!("reading {}", from.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let target = self.place(entry.path().strip_prefix(from)?)?;
            fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
            copied += 1;
        }
        Ok(copied)
    }

    /// The staged path of `relative`, its folders created.
    fn place(&self, relative: impl AsRef<Path>) -> Result<PathBuf> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        Ok(path)
    }

    /// Marks the staged tree as backtrack's and swaps it in for the output.
    pub fn commit(mut self) -> Result<()> {
        self.write(
            MARKER,
            b"This directory is written by backtrack build; it replaces it whole.\n",
        )?;
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
        self.committed = true;
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

/// Brings `output` (a folder backtrack made) up to date with `changed` files
/// (by `/`-separated output path) and without the `removed` ones. Each file
/// is replaced by a rename, whole; a folder a removed page leaves empty goes.
pub fn update(output: &Path, changed: &[(String, Vec<u8>)], removed: &[String]) -> Result<()> {
    ensure_ours(output)?;
    if !output.join(MARKER).is_file() {
        return Err(NotOurs(output.to_owned()).into());
    }
    for (relative, bytes) in changed {
        let path = output.join(relative);
        let parent = path.parent().unwrap_or(output);
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        let mut file = tempfile::NamedTempFile::new_in(parent)
            .with_context(|| format!("creating a file in {}", parent.display()))?;
        file.write_all(bytes)
            .with_context(|| format!("writing {}", path.display()))?;
        file.persist(&path)
            .with_context(|| format!("replacing {}", path.display()))?;
    }
    for relative in removed {
        let path = output.join(relative);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(error).with_context(|| format!("removing {}", path.display()));
            }
        }
        // Only empty folders go; the first that is not ends the climb.
        let mut folder = path.parent();
        while let Some(dir) = folder.filter(|dir| *dir != output) {
            if fs::remove_dir(dir).is_err() {
                break;
            }
            folder = dir.parent();
        }
    }
    Ok(())
}

/// Refuses an output that exists, is not empty and has no marker.
fn ensure_ours(output: &Path) -> Result<()> {
    match fs::read_dir(output) {
        Ok(mut entries) => {
            if entries.next().is_some() && !output.join(MARKER).is_file() {
                return Err(NotOurs(output.to_owned()).into());
            }
            Ok(())
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotADirectory => {
            Err(NotOurs(output.to_owned()).into())
        }
        Err(error) => Err(error).with_context(|| format!("reading {}", output.display())),
    }
}

/// `public` → `.public.backtrack-<what>` in the same parent directory, so the
/// final rename never crosses file systems.
fn sibling(output: &Path, what: &str) -> Result<PathBuf> {
    let Some(name) = output.file_name() else {
        bail!("the output path {} has no directory name", output.display());
    };
    let parent = output.parent().unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.backtrack-{what}", name.to_string_lossy())))
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
        let leftovers: Vec<_> = fs::read_dir(temp.path())?.collect();
        assert_eq!(leftovers.len(), 1, "only public/ remains");
        Ok(())
    }

    #[test]
    fn an_update_replaces_and_removes_files_in_place() -> Result<()> {
        let temp = tempfile::tempdir()?;
        let output = temp.path().join("public");
        let first = Staging::begin(&output)?;
        first.write("a/index.html", b"a")?;
        first.write("b/index.html", b"b")?;
        first.commit()?;
        update(
            &output,
            &[("a/index.html".to_owned(), b"a2".to_vec())],
            &["b/index.html".to_owned()],
        )?;
        assert_eq!(fs::read(output.join("a/index.html"))?, b"a2");
        assert!(!output.join("b").exists(), "the emptied folder went too");
        let strays: Vec<_> = fs::read_dir(output.join("a"))?.collect();
        assert_eq!(strays.len(), 1, "no temporary file left behind");
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
