//! Drawn cards kept between builds in `<site>/.backtrack-cache/cards/`, one
//! PNG per key: a hash of every word the card draws, the design's version
//! and the fonts' bytes. An unchanged story's card is read, not drawn again;
//! anything that changes what a card shows changes its key. A card is
//! written aside and renamed into place, so no reader (another build, a
//! `serve`) sees half of one. Storing is a saving, never a condition: where
//! the site's folder cannot be written, every build draws every card, and
//! says so once. A whole build removes the cards it did not use
//! ([`Cache::prune`]), so the folder holds one site's worth.

use std::fs;
use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use ahash::AHashSet;
use anyhow::{Context as _, Result};

use super::design::{HEIGHT, WIDTH};

/// Where the cache lives under a site's root (`.gitignore` it).
pub const CACHE_DIR: &str = ".backtrack-cache/cards";

/// A card written aside this long ago belongs to a build that was killed.
const STALE: Duration = Duration::from_secs(3600);

/// The cache of one site, and the keys one build asked it for.
pub(crate) struct Cache {
    dir: PathBuf,
    used: Mutex<AHashSet<u128>>,
    /// Names the files written aside, apart within this process.
    written: AtomicU64,
    warned: AtomicBool,
}

impl Cache {
    /// The cache of the site at `root` (made when a card is first stored).
    pub(crate) fn new(root: &Path) -> Cache {
        Cache {
            dir: root.join(CACHE_DIR),
            used: Mutex::new(AHashSet::new()),
            written: AtomicU64::new(0),
            warned: AtomicBool::new(false),
        }
    }

    /// Where the card of `key` is kept.
    pub(crate) fn path(&self, key: u128) -> PathBuf {
        self.dir.join(format!("{key:032x}.png"))
    }

    /// The card of `key`, if it is kept and whole.
    pub(crate) fn get(&self, key: u128) -> Option<Vec<u8>> {
        self.mark_used(key);
        let bytes = fs::read(self.path(key)).ok()?;
        is_card(&bytes).then_some(bytes)
    }

    /// Whether the card of `key` is kept and whole, read from its two ends
    /// only (a card is tens of kilobytes; a build asks for thousands).
    pub(crate) fn has(&self, key: u128) -> bool {
        let Ok(mut file) = fs::File::open(self.path(key)) else {
            return false;
        };
        let mut head = [0; HEAD];
        let mut tail = [0; END.len()];
        let read = file.read_exact(&mut head).is_ok()
            && file.seek(SeekFrom::End(-(END.len() as i64))).is_ok()
            && file.read_exact(&mut tail).is_ok();
        read && is_card(&[&head[..], &tail[..]].concat())
    }

    /// Keeps `bytes` as the card of `key`; where it is kept, or `None`
    /// when it could not be (said once, on stderr).
    pub(crate) fn put(&self, key: u128, bytes: &[u8]) -> Option<PathBuf> {
        self.mark_used(key);
        match self.store(key, bytes) {
            Ok(path) => Some(path),
            Err(error) => {
                if !self.warned.swap(true, Ordering::Relaxed) {
                    eprintln!(
                        "warning: {error:#}; social cards are drawn anew on every build until \
                         {} can be written",
                        self.dir.display()
                    );
                }
                None
            }
        }
    }

    fn store(&self, key: u128, bytes: &[u8]) -> Result<PathBuf> {
        fs::create_dir_all(&self.dir)
            .with_context(|| format!("creating the card cache {}", self.dir.display()))?;
        let count = self.written.fetch_add(1, Ordering::Relaxed);
        let aside = self
            .dir
            .join(format!(".{key:032x}.{}-{count}.tmp", std::process::id()));
        fs::write(&aside, bytes).with_context(|| format!("writing {}", aside.display()))?;
        let path = self.path(key);
        fs::rename(&aside, &path).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    /// Counts `key` as used by this build ([`Cache::prune`] keeps it).
    pub(crate) fn mark_used(&self, key: u128) {
        self.used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key);
    }

    /// Removes the cards this cache was not asked for, and files written
    /// aside by builds that were killed: after a build of every story,
    /// what is left is what the site shows. Best-effort, like storing.
    pub(crate) fn prune(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let used = self
            .used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let unused = name
                .strip_suffix(".png")
                .and_then(|hex| u128::from_str_radix(hex, 16).ok())
                .is_some_and(|key| !used.contains(&key));
            let stale_aside = name.ends_with(".tmp")
                && entry
                    .metadata()
                    .and_then(|meta| meta.modified())
                    .is_ok_and(|modified| {
                        SystemTime::now()
                            .duration_since(modified)
                            .is_ok_and(|age| age > STALE)
                    });
            if unused || stale_aside {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// A PNG's first bytes.
const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// How many of a card's first bytes say what it is: the signature and the
/// header chunk's length, name, width and height.
const HEAD: usize = 24;
/// A PNG's last bytes: its closing chunk.
const END: &[u8] = b"\0\0\0\0IEND\xae\x42\x60\x82";

/// Whether `bytes` are a whole card: a PNG of the card's size, ending in
/// its closing chunk. A file cut short, or changed by a tool in the output
/// it is linked into, is drawn again.
fn is_card(bytes: &[u8]) -> bool {
    let size = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|four| four.try_into().ok())
            .map(u32::from_be_bytes)
    };
    bytes.starts_with(SIGNATURE)
        && bytes.get(12..16) == Some(b"IHDR".as_slice())
        && size(16) == Some(WIDTH)
        && size(20) == Some(HEIGHT)
        && bytes.ends_with(END)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_cut_short_or_of_another_size_is_not_taken() -> Result<()> {
        let temp = tempfile::tempdir()?;
        let cache = Cache::new(temp.path());
        let mut card = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        card.extend(WIDTH.to_be_bytes());
        card.extend(HEIGHT.to_be_bytes());
        card.extend(b"\x08\x02\0\0\0 crc and data \0\0\0\0IEND\xae\x42\x60\x82");
        let path = cache.put(7, &card).expect("stored");
        assert_eq!(cache.get(7), Some(card.clone()));
        assert!(cache.has(7));
        fs::write(&path, &card[..card.len() - 3])?;
        assert_eq!(cache.get(7), None, "cut short");
        assert!(!cache.has(7));
        card[19] = 1;
        fs::write(&path, &card)?;
        assert_eq!(cache.get(7), None, "another size");
        assert!(!cache.has(7));
        assert!(!cache.has(8), "never kept");
        Ok(())
    }

    #[test]
    fn pruning_keeps_only_what_was_asked_for() -> Result<()> {
        let temp = tempfile::tempdir()?;
        let first = Cache::new(temp.path());
        first.put(1, b"one");
        first.put(2, b"two");
        let second = Cache::new(temp.path());
        assert_eq!(second.get(2), None, "not a card, but asked for");
        second.prune();
        assert!(!second.path(1).exists());
        assert!(second.path(2).exists());
        Ok(())
    }
}
