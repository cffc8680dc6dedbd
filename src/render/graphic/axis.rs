//! The graphic's time axis as drawn: its line, the dates (or clock times)
//! at its ends and either side of each break, and each break with its
//! length in words.

use std::fmt::Write as _;

use super::layout::Layout;
use super::scale::Scale;
use super::tenths::Tenths;
use super::{CHAR_WIDTH, escape, seconds};
use crate::model::Entry;

use crate::timeline::Item;

/// The axis line, a label at each end and either side of each break, and
/// each break drawn as a gap in the line with its length over it.
pub(super) fn draw_axis(out: &mut String, items: &[Item], scale: &Scale, y: f64, layout: &Layout) {
    let (left, right, width) = (layout.plot_left, layout.plot_right, layout.width);
    let _ = write!(
        out,
        r#"<g class="tl-axis"><line x1="{left}" x2="{right}" y1="{}" y2="{}"/>"#,
        Tenths(y),
        Tenths(y),
    );
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        out.push_str("</g>");
        return;
    };
    let one_day = first.entry.at.written().date == last.entry.at.written().date;
    let label = |entry: &Entry| {
        let written = entry.at.written();
        match written.clock {
            Some(clock) if one_day => clock,
            _ => written.date,
        }
    };
    let mut ticks: Vec<(f64, String)> = vec![(scale.x(seconds(first.entry)), label(first.entry))];
    let mut clear_from = f64::MIN;
    for gap in scale.breaks() {
        let before = items
            .iter()
            .rev()
            .find(|item| seconds(item.entry) <= gap.start);
        let after = items.iter().find(|item| seconds(item.entry) >= gap.end);
        let (Some(before), Some(after)) = (before, after) else {
            continue;
        };
        let middle = (gap.x0 + gap.x1) / 2.0;
        let _ = write!(
            out,
            r#"<g class="tl-break"><rect x="{}" y="{}" width="{}" height="12"/><path d="M{} {}l4 -6l4 12l4 -6M{} {}l4 -6l4 12l4 -6"/>"#,
            Tenths(gap.x0 + 2.0),
            Tenths(y - 6.0),
            Tenths(gap.x1 - gap.x0 - 4.0),
            Tenths(middle - 14.0),
            Tenths(y),
            Tenths(middle + 2.0),
            Tenths(y),
        );
        // Its length under it, unless that would run into the last one.
        let words = crate::times::gap_in_words(&before.entry.at, &after.entry.at);
        let half = words.chars().count() as f64 * CHAR_WIDTH / 2.0;
        let centre = middle.min(width - half);
        if centre - half >= clear_from {
            clear_from = centre + half + 8.0;
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
                Tenths(centre),
                Tenths(y + 30.0),
                escape(&words),
            );
        }
        out.push_str("</g>");
        ticks.push((gap.x0, label(before.entry)));
        ticks.push((gap.x1, label(after.entry)));
    }
    ticks.push((scale.x(seconds(last.entry)), label(last.entry)));
    // Left to right, each label kept only if it clears the one before.
    clear_from = f64::MIN;
    for (x, text) in ticks {
        let half = text.chars().count() as f64 * CHAR_WIDTH / 2.0;
        // Kept a little inside the right edge: fonts run wider than CHAR_WIDTH.
        let middle = x.clamp(layout.axis_left + half, width - half - 6.0);
        if middle - half < clear_from {
            continue;
        }
        clear_from = middle + half + 8.0;
        let _ = write!(
            out,
            r#"<line class="tl-tick" x1="{}" x2="{}" y1="{}" y2="{}"/><text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            Tenths(x),
            Tenths(x),
            Tenths(y - 4.0),
            Tenths(y + 4.0),
            Tenths(middle),
            Tenths(y + 17.0),
            escape(&text),
        );
    }
    out.push_str("</g>");
}
