//! A digest of everything a build reads: the backtrack binary (its size
//! and modification time: a new build of backtrack is a new input), the
//! options, `site.toml`, `people.toml`, every story file under `content/`
//! and every file under `templates/` and `static/`. Equal digests make equal
//! sites, so a build whose inputs are all as they were has nothing to do.
//!
//! The digest of everything but the story files is kept apart
//! ([`Inputs::context`]): a story's own pages are made from its file and
//! those alone ([`crate::urls::PageId::of_story`]), so where the context is
//! as it was, a story file with the same [`source_hash`] as last time has
//! the same own pages.

use std::path::Path;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::{CONFIG_FILE, PEOPLE_FILE, story_paths};
use crate::model::Story;

/// The folders whose every file is an input (of `content/`, only the story
/// files are: [`super::story_paths`]).
const INPUT_DIRS: [&str; 2] = ["templates", "static"];

/// The digests of a site's inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    /// Of every input.
    pub all: u128,
    /// Of every input but the story files: what a story's own pages are
    /// made from besides the story.
    pub context: u128,
}

/// The hash of one input file: its path relative to the site's root and
/// its bytes.
pub fn source_hash(relative: &Path, bytes: &[u8]) -> u128 {
    let mut file = Xxh3::new();
    file.update(relative.to_string_lossy().as_bytes());
    file.update(&[0]);
    file.update(bytes);
    file.digest128()
}

/// The digests of the site at `root` built with `options` (the
/// command-line settings that change the output, written out in any stable
/// form).
pub fn inputs(root: &Path, options: &str) -> Result<Inputs> {
    let binary = std::env::current_exe()
        .and_then(std::fs::metadata)
        .context("reading the backtrack binary's metadata, an input")?;
    let modified = binary
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .unwrap_or_default();
    let mut files: Vec<std::path::PathBuf> = [CONFIG_FILE, PEOPLE_FILE]
        .iter()
        .map(|name| root.join(name))
        .filter(|path| path.is_file())
        .collect();
    for dir in INPUT_DIRS {
        for entry in walkdir::WalkDir::new(root.join(dir))
            .follow_links(true)
            .sort_by_file_name()
        {
            match entry {
                Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
                Ok(_) => {}
                // A folder the site does not have; a link to nothing inside
                // one is an error, as it is to the build.
                Err(error)
                    if error.depth() == 0
                        && error
                            .io_error()
                            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) => {}
                Err(error) => return Err(error).with_context(|| format!("reading {dir}/")),
            }
        }
    }
    let context_files = files.len();
    for story in story_paths(root) {
        files.push(root.join(story?));
    }
    let hashes: Vec<u128> = files
        .par_iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Ok(source_hash(path.strip_prefix(root).unwrap_or(path), &bytes))
        })
        .collect::<Result<_>>()?;
    let mut context = Xxh3::new();
    context.update(env!("CARGO_PKG_VERSION").as_bytes());
    context.update(&binary.len().to_le_bytes());
    context.update(&modified.as_nanos().to_le_bytes());
    context.update(options.as_bytes());
    let (settings, stories) = hashes.split_at(context_files);
    for hash in settings {
        context.update(&hash.to_le_bytes());
    }
    let mut all = context.clone();
    for hash in stories {
        all.update(&hash.to_le_bytes());
    }
    Ok(Inputs {
        all: all.digest128(),
        context: context.digest128(),
    })
}

/// What the manifest keeps of one story file: the hashes that tell whether
/// its pages, and the pages that list it, would come out as they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// Its [`source_hash`]: the story's own pages are made from it and the
    /// [`Inputs::context`] alone.
    pub file: u128,
    /// A hash of what every other page can show of it: its path, its front
    /// matter, and of its body what
    /// [`crate::model::Story::keep_what_listings_show`] keeps (the summary
    /// and the ids it annotates). Where it is as it was, so is every listing.
    pub listed: u128,
}

impl Source {
    /// The hashes of the story file at `relative` whose text is `text`, its
    /// front matter (with its fences) `front`, and the `story` parsed from
    /// it. Made from the very text parsed, never from a second reading.
    pub fn of(relative: &Path, text: &str, front: &str, story: &Story) -> Source {
        let mut listed = Xxh3::new();
        for part in [relative.to_string_lossy().as_ref(), front, &story.summary]
            .into_iter()
            .chain(story.annotated.iter().map(String::as_str))
        {
            listed.update(part.as_bytes());
            listed.update(&[0]);
        }
        Source {
            file: source_hash(relative, text.as_bytes()),
            listed: listed.digest128(),
        }
    }
}
