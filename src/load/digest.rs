//! A digest of everything a build reads: the backtrack binary (its size and
//! modification time: a new build of backtrack is a new input), the options, `site.toml`, `people.toml` and every file under `content/`,
//! `templates/` and `static/`. Equal digests make equal sites, so a build
//! whose inputs are all as they were has nothing to do.

use std::path::Path;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::{CONFIG_FILE, CONTENT_DIR, PEOPLE_FILE};

/// The folders whose every file is an input.
const INPUT_DIRS: [&str; 3] = [CONTENT_DIR, "templates", "static"];

/// The digest of the site at `root` built with `options` (the command-line
/// settings that change the output, written out in any stable form).
pub fn inputs(root: &Path, options: &str) -> Result<u128> {
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
    let hashes: Vec<u128> = files
        .par_iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let mut file = Xxh3::new();
            file.update(
                path.strip_prefix(root)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .as_bytes(),
            );
            file.update(&[0]);
            file.update(&bytes);
            Ok(file.digest128())
        })
        .collect::<Result<_>>()?;
    let mut all = Xxh3::new();
    all.update(env!("CARGO_PKG_VERSION").as_bytes());
    all.update(&binary.len().to_le_bytes());
    all.update(&modified.as_nanos().to_le_bytes());
    all.update(options.as_bytes());
    for hash in hashes {
        all.update(&hash.to_le_bytes());
    }
    Ok(all.digest128())
}
