//! Likely mistakes a story's front matter may hold and still build, or that
//! the build reports only one of: a position that changes with no
//! `reverses` (an unmarked reversal), a reaction with no `source`, a story
//! with no timeline, a date in quotes, curly quotes around a TOML string.
//! Read from the TOML as written (with spans), so each warning points at
//! the line and column to change.

use std::ops::Range;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml::value::Datetime;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::load::front_matter::{CURLY_QUOTES, split};
use crate::times::Moment;

/// Every warning for one story file. A file the build cannot split into
/// front matter and body gets none: the build's error says it all.
pub(crate) fn story(file: &Arc<SourceFile>, zone: Option<&TimeZone>) -> Vec<Diagnostic> {
    let Ok(parts) = split(file) else {
        return Vec::new();
    };
    let mut lints = Lints {
        file,
        offset: parts.front_offset,
        found: curly_quotes(file, parts.front, parts.front_offset),
    };
    let (front, _) = DeTable::parse_recoverable(parts.front);
    let front = front.get_ref();
    lints.quoted_dates(front, &["published", "updated"]);
    let timeline = tables(front, "timeline");
    let reactions = tables(front, "reactions");
    for entry in &timeline {
        lints.quoted_dates(entry, &["at"]);
    }
    for reaction in &reactions {
        lints.quoted_dates(reaction, &["at"]);
        lints.reaction_source(reaction);
    }
    if timeline.is_empty() {
        lints.no_timeline(front);
    }
    lints.unmarked_reversals(&timeline, zone);
    lints.found
}

/// Whether the story says `draft = true`.
pub(crate) fn is_draft(file: &Arc<SourceFile>) -> bool {
    split(file).is_ok_and(|parts| {
        let (front, _) = DeTable::parse_recoverable(parts.front);
        matches!(
            value(front.get_ref(), "draft"),
            Some(DeValue::Boolean(true))
        )
    })
}

struct Lints<'a> {
    file: &'a Arc<SourceFile>,
    offset: usize,
    found: Vec<Diagnostic>,
}

impl Lints<'_> {
    fn warn(&mut self, span: Range<usize>, message: String, help: String) -> &mut Diagnostic {
        let span = span.start + self.offset..span.end + self.offset;
        self.found.push(
            Diagnostic::new(self.file, span, message)
                .with_help(help)
                .warning(),
        );
        self.found
            .last_mut()
            .unwrap_or_else(|| unreachable!("just pushed"))
    }

    fn quoted_dates(&mut self, table: &DeTable, keys: &[&str]) {
        for key in keys {
            let Some(written) = spanned(table, key) else {
                continue;
            };
            if let DeValue::String(text) = written.get_ref()
                && text.parse::<Datetime>().is_ok()
            {
                self.warn(
                    written.span(),
                    format!("`{key}` is a date written as a string"),
                    format!("write it without quotes: {key} = {text}"),
                );
            }
        }
    }

    fn reaction_source(&mut self, reaction: &DeTable) {
        if spanned(reaction, "source").is_some() {
            return;
        }
        if let Some(by) = spanned(reaction, "by") {
            self.warn(
                by.span(),
                "this reaction has no `source`".to_owned(),
                "add `source = \"https://...\"`, a link to where it was said, so readers can check it"
                    .to_owned(),
            );
        }
    }

    fn no_timeline(&mut self, front: &DeTable) {
        let span = spanned(front, "title").map_or(0..0, Spanned::span);
        self.warn(
            span,
            "this story has no timeline".to_owned(),
            "add [[timeline]] entries: who said what, and when".to_owned(),
        );
    }

    /// A person's statements in time order: where the `position` changes
    /// and the later one `reverses` nothing, the walk-back is unmarked.
    fn unmarked_reversals(&mut self, timeline: &[&DeTable], zone: Option<&TimeZone>) {
        let mut statements: Vec<Statement> = timeline
            .iter()
            .filter_map(|entry| Statement::read(entry, zone))
            .collect();
        statements.sort_by(|a, b| (&a.by, a.at).cmp(&(&b.by, b.at)));
        for pair in statements.windows(2) {
            let [before, after] = pair else { continue };
            if before.by != after.by
                || before.position.0.trim() == after.position.0.trim()
                || after.reverses
            {
                continue;
            }
            let related =
                before.position.1.start + self.offset..before.position.1.end + self.offset;
            let file = Arc::clone(self.file);
            let warning = self.warn(
                after.position.1.clone(),
                format!(
                    "possible unmarked reversal: `{}` goes from \"{}\" to \"{}\" with no `reverses`",
                    after.by, before.position.0, after.position.0
                ),
                format!(
                    "if `{}` walks back `{}`, add reverses = \"{}\"; if not, word the two positions alike",
                    after.id, before.id, before.id
                ),
            );
            warning.related = Some((file, related, "the position before".to_owned()));
        }
    }
}

/// A timeline statement with a position, as the reversal lint needs it.
struct Statement {
    id: String,
    by: String,
    at: Timestamp,
    position: (String, Range<usize>),
    reverses: bool,
}

impl Statement {
    fn read(entry: &DeTable, zone: Option<&TimeZone>) -> Option<Statement> {
        let text = |key| match value(entry, key) {
            Some(DeValue::String(text)) => Some(text.to_string()),
            _ => None,
        };
        spanned(entry, "said")?;
        let position = spanned(entry, "position")?;
        let DeValue::String(position_text) = position.get_ref() else {
            return None;
        };
        let Some(DeValue::Datetime(at)) = value(entry, "at") else {
            return None;
        };
        Some(Statement {
            id: text("id")?,
            by: text("by")?,
            at: Moment::from_toml(at, zone, false).ok()?.instant,
            position: (position_text.to_string(), position.span()),
            reverses: spanned(entry, "reverses").is_some(),
        })
    }
}

pub(super) fn spanned<'t, 'i>(
    table: &'t DeTable<'i>,
    key: &str,
) -> Option<&'t Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(name, _)| name.get_ref() == key)
        .map(|(_, value)| value)
}

pub(super) fn value<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t DeValue<'i>> {
    spanned(table, key).map(Spanned::get_ref)
}

/// The tables of an array of tables (`[[timeline]]`).
pub(super) fn tables<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Vec<&'t DeTable<'i>> {
    match value(table, key) {
        Some(DeValue::Array(items)) => items
            .iter()
            .filter_map(|item| match item.get_ref() {
                DeValue::Table(table) => Some(table),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Values that open with a curly quote: after `=`, `[` or `,` outside a string.
fn curly_quotes(file: &Arc<SourceFile>, front: &str, offset: usize) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in front.split_inclusive('\n') {
        if let Some((key, rest)) = line.split_once('=') {
            let value_start = key.len() + 1;
            let starts = std::iter::once(value_start).chain(
                rest.match_indices(['[', ','])
                    .map(|(at, _)| value_start + at + 1)
                    .filter(|_| rest.trim_start().starts_with('[')),
            );
            for start in starts {
                let after = &line[start..];
                let skipped = after.len() - after.trim_start().len();
                if let Some(quote) = after
                    .trim_start()
                    .chars()
                    .next()
                    .filter(|c| CURLY_QUOTES.contains(c))
                {
                    let at = offset + line_start + start + skipped;
                    found.push(
                        Diagnostic::new(file, at..at + quote.len_utf8(), format!("`{quote}` used as a TOML quote"))
                            .with_help("TOML strings go between straight quotes \"...\"; curly quotes are fine inside them")
                            .warning(),
                    );
                }
            }
        }
        line_start += line.len();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(front: &str) -> Vec<(String, String)> {
        let file = SourceFile::new("content/a.md", format!("+++\n{front}+++\nBody.\n"));
        story(&file, None)
            .into_iter()
            .map(|problem| (problem.location(), problem.message.into_string()))
            .collect()
    }

    #[test]
    fn a_changed_position_without_reverses_is_a_possible_reversal() {
        let front = r#"title = "T"
published = 2024-03-01
[[timeline]]
id = "b"
by = "x"
at = 2024-03-02
said = "No."
position = "Against"
[[timeline]]
id = "a"
by = "x"
at = 2024-03-01
said = "Yes."
position = "For"
[[timeline]]
id = "c"
by = "x"
at = 2024-03-03
said = "Yes again."
position = "For"
reverses = "b"
[[timeline]]
id = "d"
by = "y"
at = 2024-03-04
said = "Maybe."
position = "Unsure"
"#;
        assert_eq!(
            warnings(front),
            [(
                "content/a.md:9:12".to_owned(),
                "possible unmarked reversal: `x` goes from \"For\" to \"Against\" with no `reverses`"
                    .to_owned()
            )]
        );
    }

    #[test]
    fn quoted_dates_curly_quotes_sourceless_reactions_and_no_timeline() {
        let front = "title = \"T\"\npublished = \"2024-03-01\"\ntags = [\"a\", “b”]\n[[reactions]]\nby = \"x\"\nsaid = “Hm.”\nstance = \"neutral\"\n";
        let found = warnings(front);
        let messages: Vec<&str> = found.iter().map(|(_, message)| message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`“` used as a TOML quote",
                "`“` used as a TOML quote",
                "`published` is a date written as a string",
                "this reaction has no `source`",
                "this story has no timeline",
            ],
            "{found:?}"
        );
        assert_eq!(found[0].0, "content/a.md:4:14");
        assert_eq!(found[1].0, "content/a.md:7:8");
    }
}
