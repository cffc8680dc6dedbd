//! Text fitted to a box on the card: cleaned of what cannot be drawn,
//! broken into lines no wider than the box (between words, or inside a
//! word too long for a line), and cut with an ellipsis where it runs past
//! the last line. Widths come from a measuring function (the fonts'
//! metrics in a build, anything in a test), so nothing drawn overflows.

/// Text broken into lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lines {
    /// The lines, in order; empty for empty text.
    pub(crate) lines: Vec<String>,
    /// Text was left out: the last line ends in an ellipsis.
    pub(crate) cut: bool,
}

/// The text a card can draw: control characters (which XML cannot carry)
/// and runs of white space each become one space, and the ends are trimmed.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let blank = c.is_whitespace() || c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}');
        if !blank {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// `text` (already [`clean`]) in lines of at most `width` as `measure`
/// measures them, at most `max_lines` of them. Text past the last line is
/// cut: the last line ends in `…` followed by `tail` (a closing quotation
/// mark, when the text opened one).
pub(crate) fn wrap(
    text: &str,
    width: f32,
    max_lines: usize,
    tail: &str,
    measure: &dyn Fn(&str) -> f32,
) -> Lines {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut cut = false;
    'words: for word in text.split(' ').filter(|word| !word.is_empty()) {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if measure(&candidate) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // A word wider than a line is broken where it reaches the edge.
        for c in word.chars() {
            if lines.len() == max_lines {
                cut = true;
                break 'words;
            }
            current.push(c);
            if measure(&current) > width && current.chars().count() > 1 {
                current.pop();
                lines.push(std::mem::replace(&mut current, c.to_string()));
            }
        }
        if lines.len() == max_lines {
            cut = true;
            break;
        }
    }
    if !current.is_empty() {
        if lines.len() < max_lines {
            lines.push(current);
        } else {
            cut = true;
        }
    }
    if cut && let Some(last) = lines.pop() {
        lines.push(ellipsized(&last, width, tail, measure));
    }
    Lines { lines, cut }
}

/// `line` shortened until it fits `width` with `…` and `tail` after it:
/// whole words off the end while more than one is left, then characters.
fn ellipsized(line: &str, width: f32, tail: &str, measure: &dyn Fn(&str) -> f32) -> String {
    let mut kept = line.to_owned();
    loop {
        let trimmed = kept.trim_end_matches(|c: char| c == ' ' || ",;:.-–—".contains(c));
        let candidate = format!("{trimmed}…{tail}");
        if trimmed.is_empty() || measure(&candidate) <= width {
            return candidate;
        }
        match kept.trim_end().rfind(' ') {
            Some(space) if space > 0 => kept.truncate(space),
            _ => {
                kept.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character one unit wide.
    fn chars(text: &str) -> f32 {
        text.chars().count() as f32
    }

    #[test]
    fn text_breaks_between_words_to_fit() {
        let lines = wrap("one two three four", 9.0, 5, "", &chars);
        assert_eq!(lines.lines, ["one two", "three", "four"]);
        assert!(!lines.cut);
    }

    #[test]
    fn text_past_the_last_line_ends_in_an_ellipsis_inside_the_quote() {
        let lines = wrap("“one two three four five”", 10.0, 2, "”", &chars);
        assert!(lines.cut);
        assert_eq!(lines.lines, ["“one two", "three…”"]);
        assert!(lines.lines.iter().all(|line| chars(line) <= 10.0));
    }

    #[test]
    fn a_word_longer_than_a_line_is_broken_inside() {
        let lines = wrap("a bbbbbbbbbbbbbbbbbbbb c", 8.0, 5, "", &chars);
        assert_eq!(lines.lines, ["a", "bbbbbbbb", "bbbbbbbb", "bbbb c"]);
        let cut = wrap(&"x".repeat(100), 8.0, 2, "", &chars);
        assert!(cut.cut);
        assert_eq!(cut.lines, ["xxxxxxxx", "xxxxxxx…"]);
    }

    #[test]
    fn nothing_is_ever_wider_than_the_box() {
        for width in [1.0, 2.0, 3.0, 7.0, 13.0] {
            for max_lines in 1..4 {
                let lines = wrap(
                    "lorem ipsum, dolor sit amet; consectetur",
                    width,
                    max_lines,
                    "”",
                    &chars,
                );
                assert!(lines.lines.len() <= max_lines);
                for line in &lines.lines {
                    assert!(chars(line) <= width.max(2.0), "{line:?} in {width}");
                }
            }
        }
    }

    #[test]
    fn control_characters_and_white_space_runs_become_single_spaces() {
        assert_eq!(
            clean("  a\u{0}b\n\n\tc \u{1b}[31m d \u{FFFF}"),
            "a b c [31m d"
        );
        assert_eq!(clean(""), "");
        assert_eq!(clean("‏שלום 👍"), "‏שלום 👍");
    }
}
