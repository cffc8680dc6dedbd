//! A digest of everything a build reads: the backtrack binary (its size and
//! modification time: a new build of backtrack is a new input), the options, `site.toml`, `people.toml` and every file under `content/`,
//! `templates/` and `static/`. Equal digests make equal sites, so a build
//! whose inputs are all as they were has nothing to do.
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

use super::front_matter::split;
use super::story::Parsed;
use super::{CONFIG_FILE, CONTENT_DIR, PEOPLE_FILE, is_story_path};

/// The folders whose every file is an input.
const INPUT_DIRS: [&str; 3] = [CONTENT_DIR, "templates", "static"];

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
    let hashes: Vec<(bool, u128)> = files
        .par_iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let relative = path.strip_prefix(root).unwrap_or(path);
            let story = relative.starts_with(CONTENT_DIR) && is_story_path(relative);
            Ok((story, source_hash(relative, &bytes)))
        })
        .collect::<Result<_>>()?;
    let mut context = Xxh3::new();
    context.update(env!("CARGO_PKG_VERSION").as_bytes());
    context.update(&binary.len().to_le_bytes());
    context.update(&modified.as_nanos().to_le_bytes());
    context.update(options.as_bytes());
    let mut all = context.clone();
    for (story, hash) in hashes {
        if !story {
            context.update(&hash.to_le_bytes());
        }
        all.update(&hash.to_le_bytes());
    }
    Ok(Inputs {
        all: all.digest128(),
        context: context.digest128(),
    })
}

/// The hash of what the story file of `parsed` gives every page but its
/// own: its path, its front matter, and of its body what
/// [`crate::model::Story::keep_what_listings_show`] keeps (the summary and
/// the ids it annotates). Where it is as it was, so is every listing.
pub fn listed_hash(parsed: &Parsed) -> u128 {
    let file = &parsed.file;
    let text = file.text();
    let front = split(file).map_or(text, |parts| &text[..parts.body_offset]);
    let mut listed = Xxh3::new();
    for part in [
        file.path.to_string_lossy().as_ref(),
        front,
        &parsed.story.summary,
    ]
    .into_iter()
    .chain(parsed.story.annotated.iter().map(String::as_str))
    {
        listed.update(part.as_bytes());
        listed.update(&[0]);
    }
    listed.digest128()
}
