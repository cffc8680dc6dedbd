//! `backtrack init`: the smallest site that builds, so a new author starts
//! from something that works and shows the format by example.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

const SITE_TOML: &str = r#"title = "My explainers"
base_url = "https://example.org/"
description = "Who said what, and when they took it back."
language = "en"
# timezone = "America/New_York"   # show every time in this zone
"#;

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

/// Writes `site.toml` and a first story into `dir`; refuses to overwrite.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let site_toml = dir.join("site.toml");
    if site_toml.exists() {
        bail!(
            "{} already exists; this folder is already a site",
            site_toml.display()
        );
    }
    let story = dir.join("content").join("first-story.md");
    fs::create_dir_all(dir.join("content"))
        .with_context(|| format!("creating {}", dir.join("content").display()))?;
    for (path, text) in [(&site_toml, SITE_TOML), (&story, FIRST_STORY)] {
        fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(vec![site_toml, story])
}
