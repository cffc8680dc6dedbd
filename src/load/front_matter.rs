//! Reading a content file's bytes into text and splitting off the `+++` TOML
//! front matter. Offsets are kept relative to the whole file so that every
//! later diagnostic points at the right line and column of what the author sees.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile, did_you_mean, without_bom};

/// Decodes a file's bytes: strips a UTF-8 BOM and refuses anything not UTF-8
/// with the line and column of the first bad byte.
pub fn decode(path: &Path, mut bytes: Vec<u8>) -> Result<Arc<SourceFile>, Diagnostic> {
    let bom = bytes.len() - without_bom(&bytes).len();
    bytes.drain(..bom);
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path, text)),
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let lossy_offset = String::from_utf8_lossy(&error.as_bytes()[..valid_up_to]).len();
            let file = SourceFile::new(path, text);
            Err(Diagnostic::new(
                &file,
                lossy_offset..lossy_offset + 1,
                "this file is not valid UTF-8",
            )
            .with_help("save it as UTF-8 (most editors offer this under \"Save with encoding\")"))
        }
    }
}

/// A story file cut into its two parts.
#[derive(Debug)]
pub struct Parts<'a> {
    /// The TOML between the `+++` lines.
    pub front: &'a str,
    /// Byte offset of `front` within the file.
    pub front_offset: usize,
    /// The Markdown after the closing `+++` line.
    pub body: &'a str,
    /// Byte offset of `body` within the file.
    pub body_offset: usize,
}

/// Splits `file` at its `+++` lines (LF or CRLF).
pub fn split(file: &Arc<SourceFile>) -> Result<Parts<'_>, Diagnostic> {
    let text = file.text();
    let opening = 0..text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[opening.clone()]) {
        return Err(Diagnostic::new(
            file,
            0..text.find(['\r', '\n']).unwrap_or(text.len()),
            "a story must begin with `+++` front matter",
        )
        .with_help("start the file with a `+++` line, the story's TOML, then another `+++` line"));
    }
    let front_offset = next_line_start(text, opening.end);
    // A fence starts a line with `+++`: look only where `+++` occurs.
    let closing = text[front_offset..]
        .match_indices("+++")
        .map(|(at, _)| front_offset + at)
        .filter(|&start| start == front_offset || text.as_bytes()[start - 1] == b'\n')
        .map(|start| {
            start
                ..text[start..]
                    .find('\n')
                    .map_or(text.len(), |end| start + end)
        })
        .find(|line| is_fence(&text[line.clone()]));
    if let Some(line) = closing {
        let body_offset = next_line_start(text, line.end);
        return Ok(Parts {
            front: &text[front_offset..line.start],
            front_offset,
            body: &text[body_offset..],
            body_offset,
        });
    }
    Err(
        Diagnostic::new(file, opening, "the front matter is never closed")
            .with_help("add a line `+++` between the front matter and the story's text"),
    )
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "+++"
}

fn next_line_start(text: &str, line_end: usize) -> usize {
    (line_end + 1).min(text.len())
}

/// Turns a TOML parse or shape error into a diagnostic. `offset` is where the
/// parsed text starts in the file.
pub fn toml_error(file: &Arc<SourceFile>, offset: usize, error: &toml::de::Error) -> Diagnostics {
    let span = error.span().map_or(offset..offset, |span| {
        offset + span.start..offset + span.end
    });
    let message = error.message().trim_end().to_owned();
    let written = file.text().get(span.clone()).unwrap_or_default();
    let help = unknown_field_help(&message).or_else(|| typing_help(&message, written));
    let mut diagnostic = Diagnostic::new(file, span, message);
    diagnostic.help = help;
    diagnostic.into()
}

/// Two slips of typing TOML by hand: a quoted date, and curly quotes
/// (which word processors and some keyboards put in) around a string.
fn typing_help(message: &str, written: &str) -> Option<String> {
    if message.starts_with("invalid type: string") && message.contains("TOML datetime") {
        return Some(format!(
            "a date is written without quotes: {}",
            written.trim_matches(['"', '\''])
        ));
    }
    written.starts_with(CURLY_QUOTES).then(|| {
        "curly quotes are not TOML quotes: put the text between straight quotes \"...\" \
         (curly ones are fine inside them)"
            .to_owned()
    })
}

/// Quotation marks that look like TOML's `"` and `'` but are not.
pub const CURLY_QUOTES: [char; 6] = ['“', '”', '‘', '’', '„', '«'];

/// serde says "unknown field `x`, expected one of `a`, `b`"; offer the closest.
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (wrong, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(wrong, candidates.iter().copied()).or_else(|| {
        Some(format!(
            "the keys allowed here are {}; free-form data goes under [extra]",
            candidates.join(", ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_dates_and_curly_quotes_come_with_the_fix() {
        let text = "published = \"2024-03-01\"\n";
        let file = SourceFile::new("a.md", text);
        #[derive(serde::Deserialize)]
        struct Dated {
            #[allow(dead_code)]
            published: toml::value::Datetime,
        }
        let error = toml::from_str::<Dated>(text)
            .err()
            .expect("a string is no date");
        let help = toml_error(&file, 0, &error).0[0].help.clone();
        assert_eq!(
            help.as_deref(),
            Some("a date is written without quotes: 2024-03-01")
        );
        let text = "said = “hello”\n";
        let file = SourceFile::new("a.md", text);
        let error = toml::from_str::<toml::Table>(text).expect_err("not TOML");
        let help = toml_error(&file, 0, &error).0[0]
            .help
            .clone()
            .unwrap_or_default();
        assert!(
            help.starts_with("curly quotes are not TOML quotes"),
            "{help}"
        );
    }

    #[test]
    fn crlf_front_matter_is_split_with_file_offsets() {
        let file = SourceFile::new("a.md", "+++\r\ntitle = \"T\"\r\n+++\r\nBody\r\n");
        let parts = split(&file).expect("closed");
        assert_eq!(parts.front, "title = \"T\"\r\n");
        assert_eq!(&file.text()[parts.front_offset..][..5], "title");
        assert_eq!(parts.body, "Body\r\n");
    }

    #[test]
    fn unclosed_front_matter_points_at_the_opening_line() {
        let file = SourceFile::new("a.md", "+++\ntitle = \"T\"\n");
        let problem = split(&file).expect_err("unclosed");
        assert_eq!(problem.location(), "a.md:1:1");
    }

    #[test]
    fn bom_is_stripped_and_bad_bytes_are_located() {
        let file = decode(Path::new("a.md"), b"\xEF\xBB\xBF+++\n".to_vec()).expect("utf-8");
        assert_eq!(file.text(), "+++\n");
        let problem = decode(Path::new("b.md"), b"+++\nti\xFFtle".to_vec()).expect_err("latin-1");
        assert_eq!(problem.location(), "b.md:2:3");
    }
}
