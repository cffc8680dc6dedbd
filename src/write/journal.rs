//! The commit of a build into an existing output, made safe against being
//! killed halfway. Before the first file moves, the list of moves (staged
//! file → its place in the output) and removals is written to a journal
//! beside the output; each move is a rename, so every file is whole, old or
//! new. A build that finds a journal finishes that commit first ("rolls it
//! forward"): moves whose staged file is gone were done, the rest are done
//! now. The journal goes when the commit is complete.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// What one commit does to the output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Journal {
    /// Files to move from the staging folder into the output, by path.
    pub moves: Vec<String>,
    /// Files to remove from the output, by path.
    pub removals: Vec<String>,
}

impl Journal {
    /// Writes the journal to `path` whole (written aside, flushed to disk,
    /// then renamed): once it is there, the commit is decided.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut text = String::new();
        for (verb, paths) in [("move", &self.moves), ("remove", &self.removals)] {
            for relative in paths {
                text.push_str(verb);
                text.push(' ');
                text.push_str(relative);
                text.push('\n');
            }
        }
        let aside = aside(path);
        let mut file =
            fs::File::create(&aside).with_context(|| format!("creating {}", aside.display()))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .with_context(|| format!("writing {}", aside.display()))?;
        fs::rename(&aside, path).with_context(|| format!("writing {}", path.display()))
    }

    /// The journal at `path`, if a commit was left unfinished there. A
    /// journal half written (its save killed) is removed: that commit never
    /// began.
    pub fn load(path: &Path) -> Result<Option<Journal>> {
        let half_written = aside(path);
        if half_written.exists() {
            fs::remove_file(&half_written)
                .with_context(|| format!("removing {}", half_written.display()))?;
        }
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error).with_context(|| format!("reading {}", path.display())),
        };
        let mut journal = Journal::default();
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("move", relative)) => journal.moves.push(relative.to_owned()),
                Some(("remove", relative)) => journal.removals.push(relative.to_owned()),
                _ => {}
            }
        }
        Ok(Some(journal))
    }

    /// Does what the journal says, from `staged` into `output`; what was
    /// already done is skipped, so running it twice is running it once.
    pub fn roll_forward(&self, staged: &Path, output: &Path) -> Result<()> {
        for relative in &self.moves {
            let from = staged.join(relative);
            if !from.exists() {
                continue;
            }
            let to = output.join(relative);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            fs::rename(&from, &to).with_context(|| format!("replacing {}", to.display()))?;
        }
        for relative in &self.removals {
            remove_file_and_empty_folders(output, &output.join(relative))?;
        }
        Ok(())
    }
}

/// Where the journal at `path` is written before it is renamed into place.
fn aside(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".new");
    PathBuf::from(name)
}

/// Removes `path` (gone already is fine) and the folders it leaves empty,
/// up to `root`.
pub(super) fn remove_file_and_empty_folders(root: &Path, path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error).with_context(|| format!("removing {}", path.display())),
    }
    let mut folder: Option<PathBuf> = path.parent().map(Path::to_owned);
    while let Some(dir) = folder.filter(|dir| dir != root && dir.starts_with(root)) {
        // Only an empty folder goes; the first that is not ends the climb.
        if fs::remove_dir(&dir).is_err() {
            break;
        }
        folder = dir.parent().map(Path::to_owned);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_rolled_forward_twice_does_its_work_once() -> Result<()> {
        let temp = tempfile::tempdir()?;
        let (staged, output) = (temp.path().join("staged"), temp.path().join("out"));
        fs::create_dir_all(staged.join("a"))?;
        fs::create_dir_all(output.join("gone"))?;
        fs::write(staged.join("a/index.html"), "new")?;
        fs::write(output.join("gone/index.html"), "old")?;
        let journal = Journal {
            moves: vec!["a/index.html".to_owned()],
            removals: vec!["gone/index.html".to_owned()],
        };
        let path = temp.path().join("journal");
        journal.save(&path)?;
        let loaded = Journal::load(&path)?.expect("saved");
        assert_eq!(loaded, journal);
        loaded.roll_forward(&staged, &output)?;
        loaded.roll_forward(&staged, &output)?;
        assert_eq!(fs::read_to_string(output.join("a/index.html"))?, "new");
        assert!(!output.join("gone").exists());
        Ok(())
    }
}
