//! Step 1 of a build: finding and reading a site's files, `site.toml`,
//! `people.toml` and every story under `content/`, each story parsed and
//! checked on its own. IO errors carry the path they happened on; content
//! problems come back as diagnostics.

pub mod digest;
pub mod front_matter;
pub mod markdown;
pub mod people;
pub mod story;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::load::front_matter::decode;
use people::Registry;
use story::Parsed;

/// The site settings file, relative to the root.
pub const CONFIG_FILE: &str = "site.toml";
/// The shared people file, relative to the root.
pub const PEOPLE_FILE: &str = "people.toml";
/// The stories folder, relative to the root.
pub const CONTENT_DIR: &str = "content";

/// The root holds no `site.toml`: the command was pointed at the wrong folder.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} has no {CONFIG_FILE}, so it is not a backtrack site; pass --root with the site's folder, \
     or run `backtrack init` to start one",
    .0.display()
)]
pub struct NotASite(pub PathBuf);

/// What a site's files say, each file read and checked on its own.
#[derive(Debug)]
pub struct Sources {
    /// `site.toml`.
    pub config: Config,
    /// `people.toml`'s declarations.
    pub registry: Registry,
    /// Every story file by its path relative to the root: the parsed story,
    /// or every problem in the file.
    pub stories: BTreeMap<PathBuf, story::Outcome>,
}

/// Reads a whole site: the settings, then every story, each parsed as soon
/// as the walk of `content/` finds it (the walk feeds the cores rather than
/// running alone first) and handed to `each_story` at once, while the
/// story's file is still in cache. Settings with problems stop it there:
/// stories cannot be read without them.
pub fn sources(
    root: &Path,
    base_url: Option<&str>,
    each_story: &EachStory<'_>,
) -> Result<std::result::Result<Sources, Diagnostics>> {
    let (config, registry) = match settings(root, base_url)? {
        Ok(settings) => settings,
        Err(problems) => return Ok(Err(problems)),
    };
    let context = story::Context::new(&config, &registry);
    let each_story = |parsed: &mut Parsed| each_story(&config, parsed);
    let stories = parse_stories(root, story_paths(root).par_bridge(), &context, &each_story)?
        .into_iter()
        .filter_map(|(path, outcome)| Some((path, outcome?)))
        .collect();
    Ok(Ok(Sources {
        config,
        registry,
        stories,
    }))
}

/// `site.toml` and `people.toml`, or every problem in both.
pub fn settings(
    root: &Path,
    base_url: Option<&str>,
) -> Result<std::result::Result<(Config, Registry), Diagnostics>> {
    Ok(Diagnostics::both(config(root, base_url)?, registry(root)?))
}

/// What [`sources`] does with each story as soon as it is parsed.
pub type EachStory<'a> = dyn Fn(&Config, &mut Parsed) -> Result<()> + Sync + 'a;

/// Parses the stories at `paths` (relative to `root`) in parallel, handing
/// each parsed story to `each_story`: each path with its outcome, or `None`
/// where no story file is there any more.
pub fn parse_stories(
    root: &Path,
    paths: impl ParallelIterator<Item = Result<PathBuf>>,
    context: &story::Context,
    each_story: &(dyn Fn(&mut Parsed) -> Result<()> + Sync),
) -> Result<Vec<(PathBuf, Option<story::Outcome>)>> {
    paths
        .map(|path| {
            let path = path?;
            let mut outcome = match is_story_path(&path) {
                true => self::story(root, &path, context)?,
                false => None,
            };
            if let Some(Ok(parsed)) = &mut outcome {
                each_story(parsed)?;
            }
            Ok((path, outcome))
        })
        .collect()
}

/// Reads a file relative to `root` as text for diagnostics.
fn read_source(
    root: &Path,
    relative: &Path,
) -> Result<std::result::Result<Arc<SourceFile>, Diagnostic>> {
    let path = root.join(relative);
    let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(decode(relative, bytes))
}

/// Reads and checks `site.toml`.
pub fn config(
    root: &Path,
    base_url: Option<&str>,
) -> Result<std::result::Result<Config, Diagnostics>> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(NotASite(root.to_owned()).into());
    }
    Ok(read_source(root, Path::new(CONFIG_FILE))?
        .map_err(Diagnostics::from)
        .and_then(|file| Config::parse(&file, base_url)))
}

/// Reads `people.toml` if the site has one.
pub fn registry(root: &Path) -> Result<std::result::Result<Registry, Diagnostics>> {
    match read_source(root, Path::new(PEOPLE_FILE)) {
        Ok(file) => Ok(file
            .map_err(Diagnostics::from)
            .and_then(|file| people::parse_registry(&file))),
        Err(error) if is_not_found(&error) => Ok(Ok(Registry::new())),
        Err(error) => Err(error),
    }
}

fn is_not_found(error: &anyhow::Error) -> bool {
    io_error_kind(error) == Some(io::ErrorKind::NotFound)
}

fn is_a_directory(error: &anyhow::Error) -> bool {
    io_error_kind(error) == Some(io::ErrorKind::IsADirectory)
}

fn io_error_kind(error: &anyhow::Error) -> Option<io::ErrorKind> {
    error.downcast_ref::<io::Error>().map(io::Error::kind)
}

/// Every story file under `content/`, relative to the root, in path order,
/// as the walk finds them (a caller can start on the first before the last
/// is found). Hidden files and folders (editor temp files, `.git`) are
/// skipped.
pub fn story_paths(root: &Path) -> impl Iterator<Item = Result<PathBuf>> + Send + use<> {
    let root = root.to_owned();
    let content = root.join(CONTENT_DIR);
    let walk = content.is_dir().then(|| {
        walkdir::WalkDir::new(&content)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
    });
    walk.into_iter().flatten().filter_map(move |entry| {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                return Some(Err(error).with_context(|| format!("reading {}", content.display())));
            }
        };
        (entry.file_type().is_file() && is_story_path(entry.path()))
            .then(|| Ok(entry.path().strip_prefix(&root)?.to_owned()))
    })
}

/// A Markdown file that is not hidden.
pub fn is_story_path(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "md")
        && !path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with('.'))
}

/// A story's default slug: its path under `content/` without `.md`, each part
/// slugified; `index.md` stands for its folder.
pub fn default_slug(relative: &Path) -> String {
    let under_content = relative.strip_prefix(CONTENT_DIR).unwrap_or(relative);
    let mut parts: Vec<String> = under_content
        .with_extension("")
        .iter()
        .map(|part| slug::slugify(part.to_string_lossy()))
        .collect();
    if parts.last().is_some_and(|last| last == "index") {
        parts.pop();
    }
    parts.join("/")
}

/// Reads and parses one story; `None` if no file is there any more (a
/// story deleted or renamed since it was listed).
pub fn story(
    root: &Path,
    relative: &Path,
    context: &story::Context,
) -> Result<Option<std::result::Result<Parsed, Vec<Diagnostic>>>> {
    let file = match read_source(root, relative) {
        Ok(file) => file,
        Err(error) if is_not_found(&error) || is_a_directory(&error) => return Ok(None),
        Err(error) => return Err(error),
    };
    let parsed = file
        .map_err(|problem| vec![problem])
        .and_then(|file| story::parse(&file, default_slug(relative), context));
    Ok(Some(parsed.map(|parsed| {
        parsed.text_left_on_disk(root.join(relative))
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_slugs_follow_the_path() {
        assert_eq!(
            default_slug(Path::new("content/Cyber Unit.md")),
            "cyber-unit"
        );
        assert_eq!(
            default_slug(Path::new("content/2017/july/index.md")),
            "2017/july"
        );
    }
}
