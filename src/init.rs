//! `backtrack init`: the smallest site that builds, so a new author starts
//! from something that works and shows the format by example; with
//! `--templates`, the built-in theme copied in to be edited.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::load::{CONFIG_FILE, CONTENT_DIR};
use crate::render;

const SITE_TOML: &str = r#"title = "My explainers"
base_url = "https://example.org/"
description = "Who said what, and when they took it back."
language = "en"
# timezone = "America/New_York"   # show every time in this zone
"#;

/// What a site's repository should not hold: the built output, what a
/// build keeps beside it, and the cards it keeps between builds.
const GITIGNORE: &str = "# Written by backtrack build; made again from the site's files.
/public/
/.public.backtrack-*
# Social cards drawn by earlier builds, kept so they are not drawn again.
/.backtrack-cache/
";

const FIRST_STORY: &str = r#"+++
title = "Millbrook's mayor drops the bridge toll she promised"
dek = "A fictional example: edit or delete it."
published = 2026-03-02T09:00:00-05:00
tags = ["Millbrook", "Example"]

[people.okafor]
name = "Dana Okafor"
role = "Mayor of Millbrook (fictional)"
party = "Civic"

[people.lindqvist]
name = "Per Lindqvist"
role = "Councillor (fictional)"
party = "Green"

[[timeline]]
id = "toll"
by = "okafor"
at = 2026-02-27T18:30:00-05:00
via = "Council meeting"
said = "The new bridge will pay for itself with a two-dollar toll."

[[timeline]]
id = "no-toll"
by = "okafor"
at = 2026-03-01T10:00:00-05:00
said = "There will be no toll on the Millbrook bridge."
reverses = "toll"

[[reactions]]
by = "lindqvist"
said = "Two days is a short life for a promise."
stance = "critical"
responds_to = "no-toll"
+++

*This story is a fictional example written by `backtrack init`.*

On Friday the mayor [promised a toll](@toll); on Sunday she
[dropped it](@no-toll).
"#;

/// What `backtrack init` is asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions<'a> {
    /// Where to create the site.
    pub dir: &'a Path,
    /// Also copy the built-in templates and stylesheet, to customise them.
    pub templates: bool,
    /// Go ahead in a folder that already holds files (those are kept).
    pub force: bool,
}

/// The folder is not empty, and `--force` was not given.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} is not empty; start the site in a new folder, or pass --force to add the site's \
     files to it (files already there are kept)",
    .0.display()
)]
pub struct NotEmpty(pub PathBuf);

/// What happened to one of the site's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Written anew.
    Wrote(PathBuf),
    /// Already there (with `--force`): left as it was.
    Kept(PathBuf),
}

/// Writes `site.toml`, a `.gitignore`, a first story and (with
/// `templates`) the built-in theme into `dir`. Refuses a folder with files
/// in it (hidden ones such as `.git` aside) unless `force`; even then, never
/// replaces a file.
pub fn init(options: &InitOptions) -> Result<Vec<Written>> {
    let dir = options.dir;
    if !options.force && has_files(dir)? {
        bail!(NotEmpty(dir.to_owned()));
    }
    let mut files: Vec<(PathBuf, &[u8])> = vec![
        (dir.join(CONFIG_FILE), SITE_TOML.as_bytes()),
        (dir.join(".gitignore"), GITIGNORE.as_bytes()),
        (
            dir.join(CONTENT_DIR).join("first-story.md"),
            FIRST_STORY.as_bytes(),
        ),
    ];
    if options.templates {
        files.extend(
            render::theme::builtin_templates()
                .into_iter()
                .map(|(name, bytes)| (dir.join("templates").join(name), bytes)),
        );
        files.extend(
            render::theme::builtin_static()
                .into_iter()
                .map(|(name, bytes)| (dir.join("static").join(name), bytes)),
        );
    }
    files
        .into_iter()
        .map(|(path, bytes)| {
            Ok(match create_new(&path, bytes)? {
                true => Written::Wrote(path),
                false => Written::Kept(path),
            })
        })
        .collect()
}

/// Whether `dir` exists and holds anything but hidden files.
fn has_files(dir: &Path) -> Result<bool> {
    match fs::read_dir(dir) {
        Ok(entries) => Ok(entries
            .filter_map(Result::ok)
            .any(|entry| !entry.file_name().to_string_lossy().starts_with('.'))),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error).with_context(|| format!("reading {}", dir.display())),
    }
}

/// Writes `bytes` to a new file at `path`, making its folders; `false`
/// (and nothing written) when a file is already there.
pub(crate) fn create_new(path: &Path, bytes: &[u8]) -> Result<bool> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(bytes)
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(true)
        }
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(error) => Err(error).with_context(|| format!("creating {}", path.display())),
    }
}
