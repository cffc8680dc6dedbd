//! `backtrack check`: every mistake a reader could meet, found before they
//! do, without writing anything. It builds the site in memory as `serve`
//! does (so every rule a build enforces is checked), then follows every link
//! and fragment in the pages a build would write ([`links`]), reads each
//! story for likely mistakes the format allows ([`lints`], as warnings), and
//! with `--external` asks every `source` and body link's server whether it
//! is still there ([`external`]). Everything comes back as diagnostics, in
//! the build's own style.

mod external;
mod links;
mod lints;

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceFile};
use crate::incremental::{Dirty, Session};
use crate::load;
use crate::load::front_matter::decode;
use crate::pipeline::{BuildError, Options};
use crate::terminal::Terminal;

pub use external::Limits;

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site (its `output` is never written).
    pub site: Options,
    /// Also check external links over the network, within these limits.
    pub external: Option<Limits>,
}

/// What a check found.
#[derive(Debug, Default)]
pub struct Findings {
    /// Errors and warnings, by file and position.
    pub diagnostics: Diagnostics,
    /// Stories read.
    pub stories: usize,
    /// Pages whose links were followed.
    pub pages: usize,
    /// Internal links and fragments followed.
    pub links: usize,
    /// External addresses asked (with `--external`).
    pub external: usize,
}

impl Findings {
    /// How many of the diagnostics are errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// How many of the diagnostics are warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        let all = &self.diagnostics.0;
        all.iter()
            .filter(|problem| problem.severity == severity)
            .count()
    }
}

/// Checks the site. `Err` only when it cannot be checked at all (not a
/// site, a file that cannot be read); problems in it are [`Findings`].
pub fn check(options: &CheckOptions, terminal: Terminal) -> Result<Findings, BuildError> {
    let mut findings = Findings::default();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut session = Session::new(options.site.clone());
    let rendered = match session.rebuild(&Dirty::Everything) {
        Ok(rebuild) => Some(rebuild.changed),
        Err(BuildError::Content(diagnostics)) => {
            problems.extend(diagnostics.0);
            None
        }
        Err(other) => return Err(other),
    };
    let root = &options.site.root;
    let zone = load::config(root, None)?
        .ok()
        .and_then(|config| config.timezone);
    let stories = story_files(root, options.site.drafts)?;
    findings.stories = stories.len();
    for file in &stories {
        problems.extend(lints::story(file, zone.as_ref()));
    }
    if let (Some(pages), Some(site)) = (&rendered, session.last_site()) {
        let followed = links::check(pages, site, &stories);
        findings.pages = followed.pages;
        findings.links = followed.links;
        problems.extend(followed.problems);
    }
    if let Some(limits) = &options.external {
        let written = external::written_links(&stories);
        findings.external = written.len();
        problems.extend(external::check(written, limits, terminal));
    }
    findings.diagnostics = without_repeats(problems);
    Ok(findings)
}

/// The stories a build reads (drafts only with `drafts`), as text.
fn story_files(root: &Path, drafts: bool) -> Result<Vec<Arc<SourceFile>>, BuildError> {
    let mut files = Vec::new();
    for relative in load::story_paths(root) {
        let relative = relative?;
        let path = root.join(&relative);
        let bytes = std::fs::read(&path).map_err(|error| {
            anyhow::Error::new(error).context(format!("reading {}", path.display()))
        })?;
        // A file that is not UTF-8 is the build's error to report.
        if let Ok(file) = decode(&relative, bytes)
            && (drafts || !lints::is_draft(&file))
        {
            files.push(file);
        }
    }
    Ok(files)
}

/// Sorted, with a warning left out where an error already points (a quoted
/// date the build refused, say, is not worth saying twice).
fn without_repeats(problems: Vec<Diagnostic>) -> Diagnostics {
    let errors: Vec<(std::path::PathBuf, usize)> = problems
        .iter()
        .filter(|problem| problem.severity == Severity::Error)
        .map(|problem| (problem.file.path.clone(), problem.span.start))
        .collect();
    let mut kept = Diagnostics(
        problems
            .into_iter()
            .filter(|problem| {
                problem.severity == Severity::Error
                    || !errors.contains(&(problem.file.path.clone(), problem.span.start))
            })
            .collect(),
    );
    kept.sort();
    kept
}
