//! The timeline graphic: a story's enriched timeline drawn as inline SVG at
//! build time, so the reversal is a picture no script is needed to see. One
//! lane per speaker (events on a lane of their own), a mark per entry linking
//! to it, and each reversal an arc from the walked-back entry to the
//! walk-back, labelled with its flip and the time between them. The time axis
//! is scaled to the entries' spread; a gap far longer than the others is
//! drawn as a break labelled with its length, so minutes and years share one
//! axis. A pure function of the story: every text in it is escaped, and the
//! styling comes from the theme's stylesheet (classes, not colours).

mod axis;
mod layout;
mod scale;
mod tenths;

use std::collections::HashMap;
use std::fmt::Write as _;

use super::escape;
use crate::model::{Entry, Flip, Happening, Story};
use crate::timeline::Item;
use crate::times::Precision;
use axis::draw_axis;
use layout::{Layout, NARROW, WIDE};
use scale::Scale;
use tenths::Tenths;

/// Room above a lane for the first arc level, and for each further one.
const ARC_BASE: f64 = 30.0;
const ARC_STEP: f64 = 22.0;
/// The most arc levels stacked over one lane. A story with more reversals
/// crowded into one stretch of time draws the rest at the top level without
/// their labels (the text alternative and the timeline below carry them), so
/// a timeline of any length keeps a bounded height and is drawn in linear time.
const MAX_LEVELS: usize = 12;
/// Room at the top and for the axis at the bottom.
const TOP: f64 = 8.0;
const AXIS: f64 = 44.0;
/// A mark's radius.
const MARK: f64 = 7.0;
/// Rough width of one character of the 12-unit label font.
const CHAR_WIDTH: f64 = 6.4;
/// The lane name for entries that are events.
const EVENTS_LANE: &str = "Events";
/// A date-only entry happened somewhere in this many seconds after its start.
const DAY_SECONDS: i64 = 24 * 60 * 60;

/// A story's graphic: the markup of both drawings, and the height the wide
/// one takes at its full width (in SVG units, about pixels).
pub(crate) struct Graphic {
    /// Both `<svg>` elements, the wide one first.
    pub markup: String,
    /// The wide drawing's height.
    pub height: f64,
}

/// The graphic of `story`, whose time-ordered, reversal-joined timeline is
/// `items`: an `<svg>` element per [`Layout`], its title and description the
/// text alternative, each mark a link to `<page>#entry-<id>` (`page` is
/// empty on the story page itself, the story's path elsewhere).
pub(crate) fn svg(story: &Story, items: &[Item], page: &str) -> Graphic {
    let lanes = Lanes::of(story, items);
    let drawing = Drawing {
        story,
        items,
        page,
        description: escape(&describe(story, items, &lanes)),
        lanes,
    };
    let mut markup = String::with_capacity(2 * (4096 + items.len() * 600));
    let height = drawing.draw(&mut markup, &WIDE);
    drawing.draw(&mut markup, &NARROW);
    Graphic { markup, height }
}

/// What every layout of one story's graphic draws.
struct Drawing<'a> {
    story: &'a Story,
    items: &'a [Item<'a>],
    /// The story page's path, or empty on the story page (see [`svg`]).
    page: &'a str,
    /// The text alternative, escaped.
    description: String,
    lanes: Lanes,
}

impl Drawing<'_> {
    /// Draws the graphic in `layout` into `out`; returns its height.
    fn draw(&self, out: &mut String, layout: &Layout) -> f64 {
        let (items, lanes) = (self.items, &self.lanes);
        let scale = Scale::new(&knots(items), layout.plot_left, layout.plot_right);
        let arcs = Arcs::of(items, lanes, &scale, layout);
        let lane_y = lane_positions(lanes, &arcs, layout);
        let height = lane_y.last().map_or(TOP, |y| y + layout.lane / 2.0) + AXIS;
        let (name, width, description) = (layout.name, layout.width, &self.description);
        let _ = write!(
            out,
            r#"<svg class="tl-graphic" data-layout="{name}" viewBox="0 0 {width} {height:.0}" role="group" aria-labelledby="tl-title-{name}" aria-describedby="tl-desc-{name}" font-size="12"><title id="tl-title-{name}">Timeline graphic</title><desc id="tl-desc-{name}">{description}</desc>"#,
        );
        draw_lanes(out, lanes, &lane_y, layout);
        draw_axis(out, items, &scale, height - AXIS + 8.0, layout);
        for arc in &arcs.0 {
            arc.draw(out, &lane_y);
        }
        for (index, item) in items.iter().enumerate() {
            let lane = lanes.of_entry[index];
            let place = (lane_y[lane], lanes.names[lane].as_str());
            draw_mark(out, self.story, item, self.page, &scale, place);
        }
        out.push_str("</svg>");
        height
    }
}

/// The text alternative: what the graphic shows, in sentences.
fn describe(story: &Story, items: &[Item], lanes: &Lanes) -> String {
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return "No timeline entries.".to_owned();
    };
    let mut text = format!(
        "{} {} from {} to {}, in {} {}: {}.",
        items.len(),
        if items.len() == 1 { "entry" } else { "entries" },
        first.entry.at.human(),
        last.entry.at.human(),
        lanes.names.len(),
        if lanes.names.len() == 1 {
            "lane"
        } else {
            "lanes"
        },
        lanes.names.join(", "),
    );
    for item in items {
        if let Some(link) = &item.reverses {
            let flip = match link.flip {
                Flip::Half => "Half",
                Flip::Full => "Full",
            };
            let _ = write!(
                text,
                " {flip} reversal, {}: {} walks back {}.",
                link.gap,
                entry_in_words(story, item.entry),
                entry_in_words(story, link.entry),
            );
        }
    }
    text
}

/// "a statement by Donald Trump (July 9, 2017, 8:45 p.m. EDT)".
fn entry_in_words(story: &Story, entry: &Entry) -> String {
    match &entry.happening {
        Happening::Statement { by, .. } => {
            format!(
                "a statement by {} ({})",
                speaker(story, by),
                entry.at.human()
            )
        }
        Happening::Event { .. } => format!("an event ({})", entry.at.human()),
    }
}

/// An entry's time in seconds since the epoch (a bare date: its start).
fn seconds(entry: &Entry) -> i64 {
    entry.at.instant.as_second()
}

/// Every time the axis must place: each entry's, and the end of each
/// date-only entry's day (its bar reaches there).
fn knots(items: &[Item]) -> Vec<i64> {
    let mut knots: Vec<i64> = items
        .iter()
        .flat_map(|item| {
            let start = seconds(item.entry);
            let day_end =
                (item.entry.at.precision() == Precision::Day).then_some(start + DAY_SECONDS);
            std::iter::once(start).chain(day_end)
        })
        .collect();
    knots.sort_unstable();
    knots.dedup();
    knots
}

/// The lanes, in order of first appearance, and each entry's lane.
struct Lanes {
    names: Vec<String>,
    of_entry: Vec<usize>,
}

impl Lanes {
    fn of(story: &Story, items: &[Item]) -> Lanes {
        let mut keys: Vec<Option<&str>> = Vec::new();
        let of_entry = items
            .iter()
            .map(|item| {
                let key = match &item.entry.happening {
                    Happening::Statement { by, .. } => Some(by.as_str()),
                    Happening::Event { .. } => None,
                };
                keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                    keys.push(key);
                    keys.len() - 1
                })
            })
            .collect();
        let names = keys
            .into_iter()
            .map(|key| match key {
                Some(id) => speaker(story, id).to_owned(),
                None => EVENTS_LANE.to_owned(),
            })
            .collect();
        Lanes { names, of_entry }
    }
}

/// A person's name, or their id if the story does not declare them.
fn speaker<'a>(story: &'a Story, id: &'a str) -> &'a str {
    story
        .people
        .get(id)
        .map_or(id, |person| person.name.as_str())
}

/// The middle line of each lane, leaving room above it for its arcs.
fn lane_positions(lanes: &Lanes, arcs: &Arcs, layout: &Layout) -> Vec<f64> {
    let mut y = TOP;
    (0..lanes.names.len())
        .map(|lane| {
            let levels = arcs
                .0
                .iter()
                .filter(|arc| arc.anchor == lane)
                .map(|arc| arc.level + 1)
                .max()
                .unwrap_or(0);
            if levels > 0 {
                y += ARC_BASE + (levels - 1) as f64 * ARC_STEP;
            }
            y += layout.lane / 2.0;
            let middle = y;
            y += layout.lane / 2.0;
            middle
        })
        .collect()
}

/// One reversal's arc: its ends, the lane it rises above, its stacking level.
struct Arc {
    /// The room its label must stay in (the drawing's plot and right margin).
    room: (f64, f64),
    from: (f64, usize),
    to: (f64, usize),
    anchor: usize,
    level: usize,
    flip: Flip,
    label: String,
}

/// Every reversal's arc, stacked so no two labels over one lane overlap.
struct Arcs(Vec<Arc>);

impl Arcs {
    fn of(items: &[Item], lanes: &Lanes, scale: &Scale, layout: &Layout) -> Arcs {
        let index_by_id: HashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(index, item)| (item.entry.id.as_str(), index))
            .collect();
        let mut arcs: Vec<Arc> = items
            .iter()
            .enumerate()
            .filter_map(|(to_index, item)| {
                let link = item.reverses.as_ref()?;
                let from_index = *index_by_id.get(link.entry.id.as_str())?;
                let from = (scale.x(seconds(link.entry)), lanes.of_entry[from_index]);
                let to = (scale.x(seconds(item.entry)), lanes.of_entry[to_index]);
                let flip = match link.flip {
                    Flip::Half => "Half",
                    Flip::Full => "Full",
                };
                Some(Arc {
                    room: (layout.plot_left, layout.width),
                    anchor: from.1.min(to.1),
                    from,
                    to,
                    level: 0,
                    flip: link.flip,
                    label: format!("{flip} reversal, {}", link.gap),
                })
            })
            .collect();
        // Greedy interval colouring, per lane, over each arc's span and label;
        // past the last level, arcs share it and their labels are left out.
        arcs.sort_by(|a, b| a.span().0.total_cmp(&b.span().0));
        let mut ends: Vec<(usize, Vec<f64>)> = Vec::new();
        for arc in &mut arcs {
            let (start, end) = arc.span();
            let levels = match ends.iter_mut().find(|(lane, _)| *lane == arc.anchor) {
                Some((_, levels)) => levels,
                None => {
                    ends.push((arc.anchor, Vec::new()));
                    &mut ends.last_mut().expect("just pushed").1
                }
            };
            match levels.iter().position(|last| *last < start) {
                Some(free) => arc.level = free,
                None if levels.len() < MAX_LEVELS => arc.level = levels.len(),
                None => {
                    arc.level = MAX_LEVELS - 1;
                    arc.label.clear();
                    continue;
                }
            }
            match levels.get_mut(arc.level) {
                Some(last) => *last = end,
                None => levels.push(end),
            }
        }
        Arcs(arcs)
    }
}

impl Arc {
    fn label_width(&self) -> f64 {
        self.label.chars().count() as f64 * CHAR_WIDTH
    }

    /// Where the label's middle goes: over the arc, kept inside the drawing.
    fn label_x(&self) -> f64 {
        let half = self.label_width() / 2.0;
        let (left, right) = self.room;
        ((self.from.0 + self.to.0) / 2.0).clamp(left + half, right - half - 2.0)
    }

    /// The horizontal room the arc and its label take.
    fn span(&self) -> (f64, f64) {
        let half = self.label_width() / 2.0 + 6.0;
        let middle = self.label_x();
        (self.from.0.min(middle - half), self.to.0.max(middle + half))
    }

    fn draw(&self, out: &mut String, lane_y: &[f64]) {
        let (x1, y1) = (self.from.0, lane_y[self.from.1] - MARK);
        let (x2, y2) = (self.to.0, lane_y[self.to.1] - MARK - 4.0);
        let apex = lane_y[self.anchor] - MARK - ARC_BASE + 10.0 - self.level as f64 * ARC_STEP;
        // A cubic whose control points share one height peaks at
        // (y1 + y2) / 8 + 3/4 of that height.
        let control = (apex - (y1 + y2) / 8.0) / 0.75;
        let class = match self.flip {
            Flip::Half => "half",
            Flip::Full => "full",
        };
        let _ = write!(
            out,
            r#"<g class="tl-arc tl-arc-{class}"><path class="tl-arc-line" d="M{} {}C{} {} {} {} {} {}"/><path class="tl-arrow" d="M{} {}L{} {}L{} {}Z"/>"#,
            Tenths(x1),
            Tenths(y1),
            Tenths(x1),
            Tenths(control),
            Tenths(x2),
            Tenths(control),
            Tenths(x2),
            Tenths(y2),
            Tenths(x2 - 4.5),
            Tenths(y2 - 1.0),
            Tenths(x2),
            Tenths(y2 + 6.0),
            Tenths(x2 + 4.5),
            Tenths(y2 - 1.0),
        );
        if !self.label.is_empty() {
            let _ = write!(
                out,
                r#"<text class="tl-arc-label" x="{}" y="{}" text-anchor="middle">{}</text>"#,
                Tenths(self.label_x()),
                Tenths(apex - 5.0),
                escape(&self.label),
            );
        }
        out.push_str("</g>");
    }
}

fn draw_lanes(out: &mut String, lanes: &Lanes, lane_y: &[f64], layout: &Layout) {
    let (left, right) = (layout.plot_left, layout.plot_right);
    for (name, y) in lanes.names.iter().zip(lane_y) {
        let shown = match name.char_indices().nth(layout.name_chars) {
            None => name.clone(),
            Some((at, _)) => format!("{}…", name[..at].trim_end()),
        };
        let text_y = if layout.names_below {
            y + 24.0
        } else {
            y + 4.0
        };
        let _ = write!(
            out,
            r#"<g class="tl-lane"><line x1="{left}" x2="{right}" y1="{}" y2="{}"/><text x="4" y="{}"><title>{}</title>{}</text></g>"#,
            Tenths(*y),
            Tenths(*y),
            Tenths(text_y),
            escape(name),
            escape(&shown),
        );
    }
}

/// One entry's mark, a link to its place in the timeline list: a circle for
/// a statement, a diamond for an event; a walk-back filled (full) or half
/// filled (half), a walked-back entry ringed; a date-only entry with a bar
/// across its day.
/// `place` is the lane's middle line and its name; the link goes to the
/// entry's anchor on `page`.
fn draw_mark(
    out: &mut String,
    story: &Story,
    item: &Item,
    page: &str,
    scale: &Scale,
    (y, lane): (f64, &str),
) {
    let entry = item.entry;
    let x = scale.x(seconds(entry));
    let mut classes = String::from("tl-mark");
    let (kind, who) = match &entry.happening {
        Happening::Statement { by, .. } => ("statement", speaker(story, by)),
        Happening::Event { .. } => ("event", lane),
    };
    let _ = write!(classes, " tl-{kind}");
    let mut said = format!("{who}, {}", entry.at.human());
    if let Some(link) = &item.reverses {
        let flip = match link.flip {
            Flip::Half => "half",
            Flip::Full => "full",
        };
        let _ = write!(classes, " tl-walk-back tl-{flip}");
        let _ = write!(said, ": {flip} reversal, {}", link.gap);
    }
    if !item.reversed_by.is_empty() {
        classes.push_str(" tl-walked-back");
        if item.reversed_by.iter().all(|link| link.flip == Flip::Half) {
            classes.push_str(" tl-by-half");
        }
        said.push_str(": later walked back");
    }
    let _ = write!(
        out,
        r##"<a class="{classes}" href="{}#entry-{}" aria-label="{}"><title>{}</title>"##,
        escape(page),
        escape(&entry.id),
        escape(&said),
        escape(&said),
    );
    if entry.at.precision() == Precision::Day {
        // The day it happened on; the mark stands at the day's start.
        let _ = write!(
            out,
            r#"<rect class="tl-day" x="{}" y="{}" width="{}" height="6" rx="3"/>"#,
            Tenths(x),
            Tenths(y - 3.0),
            Tenths((scale.x(seconds(entry) + DAY_SECONDS) - x).max(6.0)),
        );
    }
    let half = item
        .reverses
        .as_ref()
        .is_some_and(|link| link.flip == Flip::Half);
    if kind == "event" {
        let r = MARK + 1.0;
        let (top, bottom) = (y - r, y + r);
        let _ = write!(
            out,
            r#"<path class="tl-shape" d="M{} {}L{} {}L{} {}L{} {}Z"/>"#,
            Tenths(x),
            Tenths(top),
            Tenths(x + r),
            Tenths(y),
            Tenths(x),
            Tenths(bottom),
            Tenths(x - r),
            Tenths(y),
        );
        if half {
            // The left half filled: half a walk-back.
            let _ = write!(
                out,
                r#"<path class="tl-half-fill" d="M{} {}L{} {}L{} {}Z"/>"#,
                Tenths(x),
                Tenths(top),
                Tenths(x - r),
                Tenths(y),
                Tenths(x),
                Tenths(bottom),
            );
        }
    } else {
        let _ = write!(
            out,
            r#"<circle class="tl-shape" cx="{}" cy="{}" r="{MARK}"/>"#,
            Tenths(x),
            Tenths(y),
        );
        if half {
            let _ = write!(
                out,
                r#"<path class="tl-half-fill" d="M{} {}A{MARK} {MARK} 0 0 0 {} {}Z"/>"#,
                Tenths(x),
                Tenths(y - MARK),
                Tenths(x),
                Tenths(y + MARK),
            );
        }
    }
    out.push_str("</a>");
}
