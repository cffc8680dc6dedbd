//! The Tera theme: the built-in templates and stylesheet, embedded in the
//! binary from this repository's `templates/` and `static/` folders so that
//! a site without its own builds, overlaid file by file by the site's
//! `templates/`, and compiled once. Tera's errors become diagnostics on the
//! template's file, line and column.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use include_dir::{Dir, DirEntry, include_dir};
use tera::{Context, ErrorKind, ReportError, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};

/// The built-in templates (`templates/` of this repository).
static BUILTIN_TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The built-in static files (`static/` of this repository), written unless
/// the site's `static/` has a file of the same name.
static BUILTIN_STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// The built-in templates, each with its name (its path under `templates/`,
/// with `/` between folders).
pub(crate) fn builtin_templates() -> Vec<(String, &'static [u8])> {
    files_in(&BUILTIN_TEMPLATES)
}

/// The built-in static files, each with its path under `static/`.
pub(crate) fn builtin_static() -> Vec<(String, &'static [u8])> {
    files_in(&BUILTIN_STATIC)
}

/// Every file under `dir`, folders included, by path with `/` separators.
fn files_in(dir: &'static Dir<'static>) -> Vec<(String, &'static [u8])> {
    let mut files = Vec::new();
    let mut folders = vec![dir];
    while let Some(folder) = folders.pop() {
        for entry in folder.entries() {
            match entry {
                DirEntry::Dir(inner) => folders.push(inner),
                DirEntry::File(file) => files.push((slash_path(file.path()), file.contents())),
            }
        }
    }
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
}

/// `path` with `/` between its parts, whatever the platform's separator.
fn slash_path(path: &Path) -> String {
    path.iter()
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether a file under `templates/` is a template (others are left alone).
fn is_template(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "html" || ext == "xml")
}

/// The compiled templates.
pub struct Theme {
    tera: Tera,
    sources: HashMap<String, Arc<SourceFile>>,
}

impl Theme {
    /// The built-in templates overlaid by `<site_root>/templates/*`; a
    /// template that fails to parse, or names a filter, template or block
    /// that does not exist, is a diagnostic on its file, line and column.
    pub fn load(site_root: &Path) -> Result<Theme, Diagnostics> {
        let mut sources: HashMap<String, Arc<SourceFile>> = builtin_templates()
            .into_iter()
            .filter(|(name, _)| is_template(Path::new(name)))
            .map(|(name, bytes)| {
                let path = Path::new("(built-in theme)").join(&name);
                let file = SourceFile::new(path, String::from_utf8_lossy(bytes));
                (name, file)
            })
            .collect();
        let mut problems = Vec::new();
        for (name, file) in site_templates(site_root, &mut problems) {
            sources.insert(name, file);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(super::escape_into);
        let mut between = None;
        if problems.is_empty() {
            match tera.add_raw_templates(
                sources
                    .iter()
                    .map(|(name, file)| (name.as_str(), file.text())),
            ) {
                Ok(()) => return Ok(Theme { tera, sources }),
                Err(error) => between = Some(error),
            }
        }
        // Tera stops at the first template that does not parse; parse each
        // alone (only now: parsing twice would slow every build) to name them all.
        problems.extend(sources.iter().filter_map(|(name, file)| {
            let error = Tera::new().add_raw_template(name, file.text()).err()?;
            match error.kind() {
                ErrorKind::SyntaxError(report) => Some(
                    Diagnostic::new(
                        file,
                        span_in(file, report),
                        format!("this template does not parse: {}", report.message()),
                    )
                    .with_help(TERA_SYNTAX),
                ),
                _ => None,
            }
        }));
        if problems.is_empty()
            && let Some(error) = between
        {
            // Each parses alone: the problem is between them (an unknown
            // filter, a missing parent or partial, a block the parent lacks).
            problems.extend(linked_problems(&sources, &error));
        }
        Err(Diagnostics(problems))
    }

    /// Renders `template` with `context`; a failure is a diagnostic on the
    /// template's file and place where Tera gives one.
    pub(super) fn render(&self, template: &str, context: &Context) -> Result<Vec<u8>, Diagnostics> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|error| {
                let (name, report) = match error.kind() {
                    ErrorKind::RenderingError(report) => (report.filename(), Some(report.as_ref())),
                    _ => (template, None),
                };
                let file = self
                    .sources
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| SourceFile::new(name, ""));
                let (span, said) = match report {
                    Some(report) => (span_in(&file, report), report.message().to_owned()),
                    None => (0..0, chain(&error)),
                };
                Diagnostics::from(Diagnostic::new(
                    &file,
                    span,
                    format!("rendering {template} failed: {said}"),
                ))
            })?;
        Ok(out)
    }
}

/// `templates/**/*.{html,xml}` of the site, named by their path under `templates/`.
fn site_templates(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<(String, Arc<SourceFile>)> {
    let dir = root.join("templates");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if !entry.file_type().is_file() || !is_template(path) {
            continue;
        }
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let name = path
            .strip_prefix(&dir)
            .map(|name| name.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        match std::fs::read(path).map(|bytes| crate::load::front_matter::decode(relative, bytes)) {
            Ok(Ok(file)) => found.push((name, file)),
            Ok(Err(problem)) => problems.push(problem),
            Err(error) => problems.push(Diagnostic::new(
                &SourceFile::new(relative, ""),
                0..0,
                format!("cannot read this template: {error}"),
            )),
        }
    }
    found
}

/// Where a template's author can look the syntax up.
const TERA_SYNTAX: &str = "see the Tera 2 template syntax: https://keats.github.io/tera/docs/";

/// The bytes of `file` a report points at (at least one, within the file).
fn span_in(file: &SourceFile, report: &ReportError) -> Range<usize> {
    let range = &report.span().range;
    let start = range.start.min(file.text().len());
    start..range.end.clamp(start + 1, file.text().len().max(start + 1))
}

/// The problems Tera found between templates. A missing parent and a
/// circle of `extends` or `include`s come as structured errors. Unknown
/// filters, tests, functions, partials and blocks do not: Tera 2.4 checks
/// every template, then joins its reports into one message of
/// `error: <message>` / `--> <template>:<line>:<column>` paragraphs, so
/// those are read back from the text. Each becomes a diagnostic on its
/// template (or, failing that, the whole text on `base.html`).
fn linked_problems(
    sources: &HashMap<String, Arc<SourceFile>>,
    error: &tera::Error,
) -> Vec<Diagnostic> {
    let on = |name: &str, needle: &str, message: String| {
        let file = sources.get(name)?;
        let start = file.text().find(needle).unwrap_or(0);
        let span = start..(start + needle.len()).min(file.text().len());
        Some(Diagnostic::new(file, span, message).with_help(TERA_SYNTAX))
    };
    let structured = match error.kind() {
        ErrorKind::MissingParent { current, parent } => on(
            current,
            parent,
            format!("`{parent}` is neither a built-in template nor in templates/"),
        ),
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => on(
            tpl,
            "extends",
            format!(
                "templates extend each other in a circle: {}",
                inheritance_chain.join(" -> ")
            ),
        ),
        ErrorKind::CircularInclude { tpl, include_chain } => on(
            tpl,
            "include",
            format!(
                "templates include each other in a circle: {}",
                include_chain.join(" -> ")
            ),
        ),
        _ => None,
    };
    if let Some(problem) = structured {
        return vec![problem];
    }
    let text = chain(error);
    let mut problems = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(said) = line.strip_prefix("error: ") {
            message = Some(said);
        } else if let Some(place) = line.trim_start().strip_prefix("--> ")
            && let Some(said) = message.take()
            && let Some((name, line, column)) = split_place(place)
            && let Some(file) = sources.get(name)
        {
            let offset = offset_of(file.text(), line, column);
            problems.push(
                Diagnostic::new(file, offset..offset + 1, said.to_owned()).with_help(TERA_SYNTAX),
            );
        }
    }
    if problems.is_empty() {
        let file = sources
            .get("base.html")
            .cloned()
            .unwrap_or_else(|| SourceFile::new("templates", ""));
        problems.push(Diagnostic::new(&file, 0..0, text));
    }
    problems
}

/// `name:line:column` from the end (a template's name may hold a colon).
fn split_place(place: &str) -> Option<(&str, usize, usize)> {
    let (rest, column) = place.rsplit_once(':')?;
    let (name, line) = rest.rsplit_once(':')?;
    Some((name, line.parse().ok()?, column.trim().parse().ok()?))
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let within = text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(0, |(at, _)| at);
    line_start + within
}

/// An error and its causes on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
