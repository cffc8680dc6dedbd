//! The floor under a fresh build's time: a site's output written again into
//! a new folder, with nothing read, parsed or rendered. It makes the same
//! folders and files a build makes, each file as long as the built one, in
//! parallel on every core as a build does (each file's folder made as the
//! file is written), so what it takes is what the file system charges for
//! the output alone. The bytes are filler, not the pages: a file system
//! charges by length, and holding a 100,000-story output (5 GB) in memory
//! would leave the kernel less room to cache its writes than a build has.
//!
//! ```text
//! cargo run --release --example floor -- BUILT_OUTPUT NEW_FOLDER
//! ```
//!
//! `bench/compare.sh` runs it on the output of each corpus size and prints
//! its time beside the builds'. A file with more than one link (a social
//! card, which a build links from the site's cache) is linked here too, to
//! the same file; the new folder must be on the built output's file system.

use std::fs;
use std::io::{self, Write as _};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, bail};
use clap::Parser;
use rayon::prelude::*;
use walkdir::WalkDir;

/// The command line.
#[derive(Parser)]
#[command(about = "Times writing a built site's output again, with nothing rendered")]
struct Args {
    /// A site's output, as a build left it.
    built: PathBuf,
    /// The folder to write (must not exist; removed afterwards unless --keep).
    into: PathBuf,
    /// Keep the copy.
    #[arg(long)]
    keep: bool,
}

/// What one file of the copy gets.
enum Content {
    /// This many bytes, written.
    Bytes(u64),
    /// A link to this file, as a build links a file from a cache.
    LinkTo(PathBuf),
}

/// The filler every file is written from, a piece at a time.
static FILLER: [u8; 1 << 16] = [b'x'; 1 << 16];

/// Every file under `root`, as its path under `root` and its content.
fn list_files(root: &Path) -> anyhow::Result<Vec<(PathBuf, Content)>> {
    let mut files = Vec::new();
    for entry in WalkDir::new(root) {
        let entry = entry.with_context(|| format!("reading {}", root.display()))?;
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(root)?.to_path_buf();
            let metadata = entry.metadata()?;
            let content = if metadata.nlink() > 1 {
                Content::LinkTo(entry.path().to_path_buf())
            } else {
                Content::Bytes(metadata.len())
            };
            files.push((relative, content));
        }
    }
    Ok(files)
}

/// Writes a new file at `path`, `length` bytes long.
fn write_filler(path: &Path, length: u64) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    let mut left = length;
    while left > 0 {
        let piece = left.min(FILLER.len() as u64);
        file.write_all(&FILLER[..piece as usize])?;
        left -= piece;
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.into.exists() {
        bail!("{} exists: give a folder to make", args.into.display());
    }
    let files = list_files(&args.built)?;
    let bytes: u64 = files
        .iter()
        .map(|(_, content)| match content {
            Content::Bytes(length) => *length,
            Content::LinkTo(_) => 0,
        })
        .sum();
    let started = Instant::now();
    files.par_iter().try_for_each(|(relative, content)| {
        let path = args.into.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        match content {
            Content::Bytes(length) => write_filler(&path, *length),
            Content::LinkTo(original) => fs::hard_link(original, &path),
        }
        .with_context(|| format!("writing {}", path.display()))
    })?;
    let took = started.elapsed();
    let folders = WalkDir::new(&args.into)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_dir())
        .count();
    println!(
        "{:.3} s: {folders} folders and {} files ({} MB written, {} linked) into {}",
        took.as_secs_f64(),
        files.len(),
        bytes / 1_000_000,
        files
            .iter()
            .filter(|(_, content)| matches!(content, Content::LinkTo(_)))
            .count(),
        args.into.display()
    );
    if !args.keep {
        fs::remove_dir_all(&args.into)
            .with_context(|| format!("removing {}", args.into.display()))?;
    }
    Ok(())
}
