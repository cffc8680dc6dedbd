//! The card's design: where each part goes, in which face, size and colour,
//! written as SVG markup for [`super::raster`]. The colours are the built-in
//! stylesheet's (its light scheme), the mark is the favicon's, and the type
//! follows the pages': a bold serif headline, serif quotes, bold sans-serif
//! labels. Every text is fitted to its box ([`super::layout`], measured
//! with the embedded fonts) and escaped before it is written: headlines and
//! quotes are the author's, and may hold anything.

use std::fmt::Write as _;

use super::content::{Body, Card, Reversal, Side};
use super::fonts::{Font, Fonts};
use super::layout::{Lines, clean, wrap};

/// The card's size in pixels (what link previews ask for: 1.91:1).
pub const WIDTH: u32 = 1200;
/// See [`WIDTH`].
pub const HEIGHT: u32 = 630;

/// A colour of the design, written into the SVG as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Colour(pub(crate) [u8; 3]);

impl std::fmt::Display for Colour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [red, green, blue] = self.0;
        write!(f, "#{red:02x}{green:02x}{blue:02x}")
    }
}

// The stylesheet's light scheme (static/style.css).
const INK: Colour = Colour([0x1b, 0x1c, 0x1e]);
const MUTED: Colour = Colour([0x5d, 0x61, 0x68]);
const PAPER: Colour = Colour([0xfd, 0xfc, 0xf9]);
const PANEL: Colour = Colour([0xf3, 0xf1, 0xeb]);
const RULE: Colour = Colour([0xde, 0xda, 0xd0]);
const ACCENT: Colour = Colour([0x9c, 0x2a, 0x1f]);
const HALF: Colour = Colour([0x8f, 0x5a, 0x00]);

/// The pairs of colours the design draws one against the other: a pixel on
/// the edge of a glyph or a shape is a blend of its two ([`super::raster`]
/// writes the card with a palette of these blends). Every colour above is
/// in at least one pair.
pub(crate) const BLENDS: [(Colour, Colour); 10] = [
    (INK, PAPER),
    (INK, PANEL),
    (MUTED, PAPER),
    (MUTED, PANEL),
    (ACCENT, PAPER),
    (ACCENT, PANEL),
    (HALF, PAPER),
    (HALF, PANEL),
    (PANEL, PAPER),
    (RULE, PAPER),
];

const LEFT: f32 = 64.0;
const RIGHT: f32 = WIDTH as f32 - 64.0;
/// Where the headline's box starts, under the masthead.
const HEADLINE_TOP: f32 = 140.0;
/// The lowest point of the content, above the card's bottom strip.
const BOTTOM: f32 = 582.0;
/// Text is fitted a hair narrower than its box: shaping (kerning aside,
/// which only narrows) can differ from the sum of advances by a pixel.
const SLACK: f32 = 0.99;

/// The headline's sizes, largest first, each with the lines it may take,
/// above a reversal and alone.
const HEADLINE_OVER_REVERSAL: [(f32, usize); 3] = [(56.0, 2), (48.0, 2), (42.0, 3)];
const HEADLINE_ALONE: [(f32, usize); 3] = [(68.0, 3), (58.0, 3), (48.0, 4)];
/// The quotes' sizes, largest first; as many lines as the panel holds.
const QUOTE_SIZES: [f32; 6] = [36.0, 32.0, 28.0, 25.0, 22.0, 20.0];
const STANDFIRST_SIZE: f32 = 32.0;

/// Line spacing in ems: the headline's tight, as the pages' headings are.
fn leading(font: Font) -> f32 {
    match font {
        Font::SerifBold => 1.12,
        Font::Serif | Font::Sans => 1.28,
    }
}

/// The SVG of `card`.
pub(crate) fn svg(card: &Card, fonts: &Fonts) -> String {
    let mut svg = Svg::new(fonts);
    svg.masthead(&card.site);
    match &card.body {
        Body::Reversal(reversal) => {
            let (size, headline) = svg.headline(&card.headline, &HEADLINE_OVER_REVERSAL);
            svg.lines(LEFT, HEADLINE_TOP, Font::SerifBold, size, INK, &headline);
            let bottom = HEADLINE_TOP + height(&headline, Font::SerifBold, size);
            svg.reversal(reversal, bottom + 26.0);
        }
        Body::Standfirst(text) => svg.standfirst(&card.headline, text),
    }
    svg.finish()
}

/// How tall `lines` of `font` at `size` are, as [`Svg::lines`] sets them.
fn height(lines: &[String], font: Font, size: f32) -> f32 {
    lines.len() as f32 * leading(font) * size
}

/// SVG markup being written, with the fonts to fit its text.
struct Svg<'a> {
    out: String,
    fonts: &'a Fonts,
}

impl<'a> Svg<'a> {
    fn new(fonts: &'a Fonts) -> Self {
        let mut out = String::with_capacity(4096);
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">"#
        );
        let mut svg = Svg { out, fonts };
        svg.rect(0.0, 0.0, WIDTH as f32, HEIGHT as f32, PAPER);
        svg.rect(0.0, HEIGHT as f32 - 8.0, WIDTH as f32, 8.0, ACCENT);
        svg
    }

    fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }

    fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, fill: Colour) {
        let _ = write!(
            self.out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" fill="{fill}"/>"#
        );
    }

    /// One line of text with its baseline at `y`, its `&`, `<` and `>`
    /// escaped (characters XML cannot carry at all were taken out by
    /// [`clean`]).
    fn text(&mut self, x: f32, y: f32, font: Font, size: f32, fill: Colour, text: &str) {
        let _ = write!(
            self.out,
            r#"<text x="{x:.1}" y="{y:.1}" font-family="{}" font-weight="{}" font-size="{size}" fill="{fill}">"#,
            font.family(),
            font.weight(),
        );
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut self.out, text);
        self.out.push_str("</text>");
    }

    /// `text` fitted to `width` at the first of `sizes` (size, most lines)
    /// that holds it whole, or cut at the last.
    fn fit(
        &self,
        font: Font,
        text: &str,
        width: f32,
        sizes: &[(f32, usize)],
        tail: &str,
    ) -> (f32, Lines) {
        let mut fitted = (
            0.0,
            Lines {
                lines: Vec::new(),
                cut: false,
            },
        );
        for &(size, max_lines) in sizes {
            let measure = |line: &str| self.fonts.width(font, size, line);
            fitted = (size, wrap(text, width * SLACK, max_lines, tail, &measure));
            if !fitted.1.cut {
                break;
            }
        }
        fitted
    }

    /// The favicon's mark and the site's name over a double rule, as the
    /// pages' masthead.
    fn masthead(&mut self, site: &str) {
        let _ = write!(
            self.out,
            concat!(
                r#"<rect x="64" y="44" width="40" height="40" rx="8" fill="{ACCENT}"/>"#,
                r#"<g transform="translate(64 44) scale(1.25)" fill="none" stroke="{PAPER}" stroke-width="3.5" stroke-linecap="round">"#,
                r#"<path d="M9 21C9 8 23 8 23 18"/><path d="M18 17l5 6 5-6z" fill="{PAPER}" stroke="none"/></g>"#
            ),
            ACCENT = ACCENT,
            PAPER = PAPER
        );
        let x = 122.0;
        let (size, name) = self.fit(Font::Sans, &clean(site), RIGHT - x, &[(26.0, 1)], "");
        for line in &name.lines {
            self.text(x, 73.0, Font::Sans, size, INK, line);
        }
        self.rect(LEFT, 106.0, RIGHT - LEFT, 2.0, RULE);
        self.rect(LEFT, 111.0, RIGHT - LEFT, 2.0, RULE);
    }

    /// The headline fitted to the card's width at one of `sizes`.
    fn headline(&self, headline: &str, sizes: &[(f32, usize)]) -> (f32, Vec<String>) {
        let (size, lines) = self.fit(Font::SerifBold, &clean(headline), RIGHT - LEFT, sizes, "");
        (size, lines.lines)
    }

    /// `lines` from `top` down, [`leading`] apart.
    fn lines(&mut self, x: f32, top: f32, font: Font, size: f32, fill: Colour, lines: &[String]) {
        for (number, line) in lines.iter().enumerate() {
            let y = top + 0.82 * size + number as f32 * leading(font) * size;
            self.text(x, y, font, size, fill, line);
        }
    }

    /// A card without a reversal: the headline and, under it, the
    /// standfirst in as many lines as fit, the two centred between the
    /// masthead and the bottom.
    fn standfirst(&mut self, headline: &str, text: &str) {
        let (size, headline) = self.headline(headline, &HEADLINE_ALONE);
        let mut total = height(&headline, Font::SerifBold, size);
        let gap = 0.6 * STANDFIRST_SIZE;
        let room = lines_between(
            HEADLINE_TOP + total + gap,
            BOTTOM,
            Font::Serif,
            STANDFIRST_SIZE,
        );
        let sizes = [(STANDFIRST_SIZE, room)];
        let (_, standfirst) = self.fit(Font::Serif, &clean(text), RIGHT - LEFT, &sizes, "");
        if !standfirst.lines.is_empty() {
            total += gap + height(&standfirst.lines, Font::Serif, STANDFIRST_SIZE);
        }
        let top = HEADLINE_TOP + ((BOTTOM - HEADLINE_TOP - total) / 2.0).max(0.0);
        self.lines(LEFT, top, Font::SerifBold, size, INK, &headline);
        let below = top + height(&headline, Font::SerifBold, size) + gap;
        self.lines(
            LEFT,
            below,
            Font::Serif,
            STANDFIRST_SIZE,
            MUTED,
            &standfirst.lines,
        );
    }

    /// Two panels from `top` to the bottom: what was said (and when) on the
    /// left, the walk-back (and how long after) on the right, joined by an
    /// arrow. Both quotes are set at one size, the largest both fit.
    fn reversal(&mut self, reversal: &Reversal, top: f32) {
        let colour = if reversal.half { HALF } else { ACCENT };
        let gutter = 24.0;
        let width = (RIGHT - LEFT - gutter) / 2.0;
        let panels = [
            Panel {
                x: LEFT,
                top,
                width,
                bar: MUTED,
                label: reversal.said_when.clone(),
                side: &reversal.said,
            },
            Panel {
                x: LEFT + width + gutter,
                top,
                width,
                bar: colour,
                label: reversal.label(),
                side: &reversal.walk_back,
            },
        ];
        let size = QUOTE_SIZES
            .into_iter()
            .find(|&size| panels.iter().all(|panel| !self.quote(panel, size).1.cut))
            .unwrap_or(QUOTE_SIZES[QUOTE_SIZES.len() - 1]);
        for panel in &panels {
            self.panel(panel, size);
        }
        let middle = (top + BOTTOM) / 2.0;
        let _ = write!(
            self.out,
            r#"<circle cx="600" cy="{middle:.1}" r="22" fill="{colour}" stroke="{PAPER}" stroke-width="4"/><path d="M589 {middle:.1}H609M601 {:.1}L609 {middle:.1}L601 {:.1}" fill="none" stroke="{PAPER}" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/>"#,
            middle - 7.0,
            middle + 7.0
        );
    }

    /// A panel's quote at `size`: where its box starts, and its lines.
    fn quote(&self, panel: &Panel, size: f32) -> (f32, Lines) {
        let side = panel.side;
        let area_top = panel.top + 62.0;
        let area_bottom = if side.quoted && side.speaker.is_some() {
            BOTTOM - 64.0
        } else {
            BOTTOM - 24.0
        };
        let max_lines = lines_between(area_top, area_bottom, Font::Serif, size);
        let words = clean(&side.words);
        let (text, tail) = if side.quoted {
            (format!("“{words}”"), "”")
        } else {
            (words, "")
        };
        let measure = |line: &str| self.fonts.width(Font::Serif, size, line);
        let lines = wrap(&text, panel.inner() * SLACK, max_lines, tail, &measure);
        (area_top, lines)
    }

    /// One panel: its label, its quote at `size` and who said it.
    fn panel(&mut self, panel: &Panel, size: f32) {
        let (x, top, width) = (panel.x, panel.top, panel.width);
        let height = BOTTOM - top;
        let _ = write!(
            self.out,
            r#"<rect x="{x:.1}" y="{top:.1}" width="{width:.1}" height="{height:.1}" rx="6" fill="{PANEL}"/>"#
        );
        self.rect(x, top, 6.0, height, panel.bar);
        let inner_x = x + 30.0;
        let label = clean(&panel.label);
        let (label_size, label) = self.fit(Font::Sans, &label, panel.inner(), &[(18.0, 1)], "");
        for line in &label.lines {
            self.text(inner_x, top + 40.0, Font::Sans, label_size, panel.bar, line);
        }
        let (area_top, quote) = self.quote(panel, size);
        self.lines(inner_x, area_top, Font::Serif, size, INK, &quote.lines);
        if let (true, Some(speaker)) = (panel.side.quoted, &panel.side.speaker) {
            let speaker = format!("— {}", clean(speaker));
            let (size, name) = self.fit(Font::Sans, &speaker, panel.inner(), &[(20.0, 1)], "");
            for line in &name.lines {
                self.text(inner_x, BOTTOM - 30.0, Font::Sans, size, INK, line);
            }
        }
    }
}

/// One of a reversal's two panels.
struct Panel<'a> {
    x: f32,
    top: f32,
    width: f32,
    /// The colour of its left bar and its label.
    bar: Colour,
    label: String,
    side: &'a Side,
}

impl Panel<'_> {
    /// The width its text may take.
    fn inner(&self) -> f32 {
        self.width - 56.0
    }
}

/// How many lines of `font` at `size` fit between `top` and `bottom` (at
/// least one).
fn lines_between(top: f32, bottom: f32, font: Font, size: f32) -> usize {
    let room = bottom - top - 1.05 * size;
    if room < 0.0 {
        1
    } else {
        (room / (leading(font) * size)).floor() as usize + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_holds_whole_lines_only() {
        assert_eq!(lines_between(0.0, 100.0, Font::Serif, 20.0), 4);
        assert_eq!(lines_between(0.0, 10.0, Font::Serif, 20.0), 1);
    }
}
