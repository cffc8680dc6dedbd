//! Content problems as values. A bad story is not an exception: every check
//! pushes a [`Diagnostic`] (file, byte span, message, optional help) and the
//! build goes on, so one run reports every problem in the site. Rendering uses
//! `codespan-reporting`, which prints the source line with the span underlined
//! and the `file:line:column` an editor can jump to.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

/// A file's text as it was read, shared by every diagnostic that points into it.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, as shown in messages.
    pub path: PathBuf,
    text: Text,
}

/// Where a [`SourceFile`]'s text is.
#[derive(Debug)]
enum Text {
    /// Held, as read.
    Held(String),
    /// Left on disk at `from`, read back the first time it is asked for.
    OnDisk {
        from: PathBuf,
        read: OnceLock<String>,
    },
}

impl SourceFile {
    /// Wraps a file's text for diagnostics.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path: path.into(),
            text: Text::Held(text.into()),
        })
    }

    /// A file whose text stays on disk at `from` until a message shows it:
    /// for the stories that a site-wide check may yet point into, which a
    /// large site would otherwise hold in memory twice (as text and as
    /// stories). Read back as it was first read (without a byte-order mark;
    /// bytes that are not UTF-8 replaced); a file edited in between shows
    /// its new text, the spans clamped to it.
    pub fn on_disk(path: impl Into<PathBuf>, from: PathBuf) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path: path.into(),
            text: Text::OnDisk {
                from,
                read: OnceLock::new(),
            },
        })
    }

    /// The text (after BOM removal).
    pub fn text(&self) -> &str {
        match &self.text {
            Text::Held(text) => text,
            Text::OnDisk { from, read } => read.get_or_init(|| {
                let bytes = std::fs::read(from).unwrap_or_default();
                String::from_utf8_lossy(without_bom(&bytes)).into_owned()
            }),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

/// `bytes` without a leading UTF-8 byte-order mark.
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// The build fails.
    #[default]
    Error,
    /// Probably a mistake, but the site builds (`backtrack check` reports these).
    Warning,
}

/// One problem in one place.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// An error, or a warning.
    pub severity: Severity,
    /// The file the problem is in.
    pub file: Arc<SourceFile>,
    /// Byte range within the file's text.
    pub span: Range<usize>,
    /// What is wrong, in one line (boxed: a build holds many diagnostics,
    /// and moves them about in `Result`s).
    pub message: Box<str>,
    /// How to fix it, where that is plain.
    pub help: Option<String>,
    /// A second place that takes part in the problem (the other declaration).
    pub related: Option<(Arc<SourceFile>, Range<usize>, String)>,
}

impl Diagnostic {
    /// A problem at `span` of `file`.
    pub fn new(file: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: Arc::clone(file),
            span,
            message: message.into().into_boxed_str(),
            help: None,
            related: None,
        }
    }

    /// Makes this a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points at a second place, with a note on what it is.
    pub fn with_related(
        mut self,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        note: impl Into<String>,
    ) -> Self {
        self.related = Some((Arc::clone(file), span, note.into()));
        self
    }

    /// `path:line:column`, as editors and terminals link it.
    pub fn location(&self) -> String {
        let (line, column) = self.file.line_column(self.span.start);
        format!("{}:{line}:{column}", self.file.path.display())
    }
}

/// Every problem found in one build.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Both values, or the problems of either (of both, sorted): two steps
    /// that fail on their own, such as the theme and the content, are
    /// reported in one run.
    pub fn both<A, B>(
        a: Result<A, Diagnostics>,
        b: Result<B, Diagnostics>,
    ) -> Result<(A, B), Diagnostics> {
        match (a, b) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (a, b) => {
                let mut problems = Diagnostics(Vec::new());
                for found in [a.err(), b.err()].into_iter().flatten() {
                    problems.0.extend(found.0);
                }
                problems.sort();
                Err(problems)
            }
        }
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Renders every diagnostic with source snippets; `color` adds ANSI colour.
    pub fn render(&self, color: bool) -> String {
        let mut files = SimpleFiles::new();
        let mut buffer = if color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        let config = term::Config::default();
        for diagnostic in &self.0 {
            let report = to_report(diagnostic, &mut files);
            // Writing into an in-memory buffer only fails on a bad span, which
            // `to_report` clamps away; a failure would lose one snippet, not the message.
            if term::emit_to_write_style(&mut buffer, &config, &files, &report).is_err() {
                buffer_plain(&mut buffer, diagnostic);
            }
        }
        String::from_utf8_lossy(buffer.as_slice()).into_owned()
    }

    /// Keeps diagnostics in a stable order: by file, then position.
    pub fn sort(&mut self) {
        self.0
            .sort_by(|a, b| (&a.file.path, a.span.start).cmp(&(&b.file.path, b.span.start)));
    }
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

fn buffer_plain(buffer: &mut termcolor::Buffer, diagnostic: &Diagnostic) {
    use std::io::Write;
    let _ = writeln!(
        buffer,
        "{}: {}\n  --> {}",
        match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        diagnostic.message,
        diagnostic.location()
    );
}

fn clamp(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
    start..end
}

fn to_report(diagnostic: &Diagnostic, files: &mut SimpleFiles<String, Arc<str>>) -> Report<usize> {
    let mut add = |file: &SourceFile| files.add(display_path(&file.path), Arc::from(file.text()));
    let primary = add(&diagnostic.file);
    let mut labels = vec![Label::primary(
        primary,
        clamp(diagnostic.file.text(), &diagnostic.span),
    )];
    if let Some((file, span, note)) = &diagnostic.related {
        let id = add(file);
        labels.push(Label::secondary(id, clamp(file.text(), span)).with_message(note.clone()));
    }
    let severity = match diagnostic.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let mut report = Report::new(severity)
        .with_message(diagnostic.message.as_ref())
        .with_labels(labels);
    if let Some(help) = &diagnostic.help {
        report = report.with_notes(vec![format!("help: {help}")]);
    }
    report
}

fn display_path(path: &Path) -> String {
    path.display().to_string()
}

/// "did you mean `x`?" for the closest of `candidates` to `wrong`, if any is close.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(wrong, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_one_based_lines_and_character_columns() {
        let file = SourceFile::new("content/a.md", "+++\ntitle = \"Ünïcode\"\nx = 1\n");
        let offset = file.text().find("x =").expect("present");
        assert_eq!(file.line_column(offset), (3, 1));
        let quote = file.text().find('"').expect("present");
        assert_eq!(file.line_column(quote), (2, 9));
    }

    #[test]
    fn rendering_shows_location_source_and_help() {
        let file = SourceFile::new("content/a.md", "+++\nreverses = \"plege\"\n+++\n");
        let start = file.text().find("\"plege\"").expect("present");
        let diagnostics = Diagnostics::from(
            Diagnostic::new(&file, start..start + 7, "no timeline entry `plege`")
                .with_help(did_you_mean("plege", ["pledge", "unit"]).expect("close")),
        );
        let text = diagnostics.render(false);
        assert!(text.contains("content/a.md:2:12"), "{text}");
        assert!(text.contains("reverses = \"plege\""), "{text}");
        assert!(text.contains("did you mean `pledge`?"), "{text}");
    }
}
