//! `backtrack new "Title"`: a story file to fill in. The slug comes from the
//! title, `published` is now in the site's time zone, and every other key of
//! the format is there as a commented example, so the author sees the shape
//! of a story without opening the documentation. It never overwrites a file.

use std::path::{Component, Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::init;
use crate::load::{self, CONTENT_DIR};
use crate::pipeline::BuildError;

/// What `backtrack new` is asked to write.
#[derive(Debug, Clone)]
pub struct NewStory<'a> {
    /// The site's folder.
    pub root: &'a Path,
    /// The story's title, as the author typed it.
    pub title: &'a str,
    /// A folder under `content/` to put it in (`2024/politics`).
    pub section: Option<&'a Path>,
}

/// The story already exists: `new` never replaces a file.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} already exists; `backtrack new` never overwrites a story: edit it, or choose another title",
    .0.display()
)]
pub struct AlreadyExists(pub PathBuf);

/// Writes the new story and returns its path (under `root`).
pub fn story(new: &NewStory) -> Result<PathBuf, BuildError> {
    let config = load::config(new.root, None)?.map_err(BuildError::Content)?;
    let slug = slug::slugify(new.title);
    if slug.is_empty() {
        return Err(BuildError::Usage(anyhow::anyhow!(
            "the title {:?} has no letters or digits to make a file name from",
            new.title
        )));
    }
    let folder = match new.section {
        Some(section) => new.root.join(CONTENT_DIR).join(checked_section(section)?),
        None => new.root.join(CONTENT_DIR),
    };
    let path = folder.join(format!("{slug}.md"));
    let zone = config.timezone.unwrap_or_else(TimeZone::system);
    let text = skeleton(new.title, &now_in(&zone));
    if !init::create_new(&path, text.as_bytes())? {
        return Err(anyhow::Error::new(AlreadyExists(path)).into());
    }
    Ok(path)
}

/// A section is a relative folder that stays under `content/`.
fn checked_section(section: &Path) -> Result<&Path, BuildError> {
    let inside = section
        .components()
        .all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
    if inside && section.components().next().is_some() {
        Ok(section)
    } else {
        Err(BuildError::Usage(anyhow::anyhow!(
            "--section {} is not a folder under {CONTENT_DIR}/; give a relative path such as 2024/politics",
            section.display()
        )))
    }
}

/// The current minute as a TOML offset date-time in `zone`.
fn now_in(zone: &TimeZone) -> String {
    Timestamp::now()
        .to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:00%:z")
        .to_string()
}

/// The story text: the title and date filled in, the rest commented examples.
fn skeleton(title: &str, now: &str) -> String {
    let title = toml::Value::String(title.to_owned());
    format!(
        r#"+++
title = {title}
# dek = "One sentence under the title."
published = {now}
# updated = {now}
# byline = ["Your Name"]
tags = []
# draft = true                      # built only with --drafts

# Everyone quoted, keyed by the id `by` uses (or declare them once in people.toml).
# [people.someone]
# name = "Full Name"
# role = "Senator"
# party = "R"
# region = "Fla."

# What was said or happened, and when. An entry that walks back an earlier one
# names it in `reverses`.
# [[timeline]]
# id = "first"
# by = "someone"
# at = {now}
# via = "Twitter"
# source = "https://example.org/where-it-was-said"
# said = "The words, as they were said."
# position = "The stance it takes, in a few words"
#
# [[timeline]]
# id = "second"
# by = "someone"
# at = {now}
# said = "The words that take it back."
# position = "The opposite stance"
# reverses = "first"
# flip = "full"                     # or "half"

# What others said in response.
# [[reactions]]
# by = "someone-else"
# said = "What they said about it."
# stance = "critical"               # critical | supportive | mixed | neutral
# source = "https://example.org/their-reply"
# responds_to = "first"
+++

Write the story here. A link whose destination is an entry's id, such as
`[what she promised](@first)`, ties the text to that entry on the page.
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skeleton_is_a_story_with_the_title_quoted_for_toml() {
        let text = skeleton(r#"Trump's "cyber unit""#, "2026-03-02T09:00:00-05:00");
        let front = text
            .strip_prefix("+++\n")
            .and_then(|rest| rest.split("\n+++\n").next())
            .expect("front matter");
        let table: toml::Table = toml::from_str(front).expect("valid TOML");
        assert_eq!(table["title"].as_str(), Some(r#"Trump's "cyber unit""#));
        assert!(table["published"].is_datetime());
        assert!(table.get("timeline").is_none(), "examples stay commented");
    }

    #[test]
    fn sections_stay_under_content() {
        assert!(checked_section(Path::new("2024/politics")).is_ok());
        assert!(checked_section(Path::new("../elsewhere")).is_err());
        assert!(checked_section(Path::new("/tmp")).is_err());
        assert!(checked_section(Path::new("")).is_err());
    }
}
