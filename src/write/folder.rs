//! The output folder's surroundings: the marker that says a folder is
//! backtrack's to replace, the lock one build of it holds at a time, and
//! the sibling paths (`.public.backtrack-staging`, `-old`, `-journal`) a
//! build works in beside it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::{MARKER, NotOurs};

/// Finishes what a build killed while swapping a new output in left: the
/// old output put back if the new one never arrived, or else removed.
pub(super) fn finish_swap(output: &Path) -> Result<()> {
    let old = sibling(output, "old")?;
    if !old.exists() {
        return Ok(());
    }
    if output.exists() {
        fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))
    } else {
        fs::rename(&old, output)
            .with_context(|| format!("putting the last output back from {}", old.display()))
    }
}

/// Takes the lock file beside `output`, waiting (and saying so) while
/// another build holds it.
pub(super) fn lock(output: &Path) -> Result<fs::File> {
    let path = sibling(output, "lock")?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening the lock {}", path.display()))?;
    if file.try_lock().is_err() {
        eprintln!(
            "Another build is writing {}; waiting for it to finish",
            output.display()
        );
        file.lock()
            .with_context(|| format!("waiting for the lock {}", path.display()))?;
    }
    Ok(file)
}

/// Refuses an output that exists, is not empty and has no marker.
pub(super) fn ensure_ours(output: &Path) -> Result<()> {
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
pub(super) fn sibling(output: &Path, what: &str) -> Result<PathBuf> {
    let Some(name) = output.file_name() else {
        bail!("the output path {} has no directory name", output.display());
    };
    let parent = output.parent().unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.backtrack-{what}", name.to_string_lossy())))
}
