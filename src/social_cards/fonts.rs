//! The fonts a social card is set in, compiled into the binary from
//! `assets/fonts/` (their licences beside them): the font database resvg
//! draws with, and each font's advance widths, with which the layout
//! measures a line before it is drawn. Nothing here reads the machine's
//! fonts, so every machine draws the same card.

use std::sync::Arc;

use anyhow::{Context as _, Result};
use resvg::usvg::fontdb;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, GlyphId, MetadataProvider as _, charmap::Charmap};
use xxhash_rust::xxh3::Xxh3;

/// Charis SIL, SIL's font after Bitstream Charter: the serif the site's
/// stylesheet asks for first.
const CHARIS_REGULAR: &[u8] = include_bytes!("../../assets/fonts/CharisSIL-Regular.ttf");
const CHARIS_BOLD: &[u8] = include_bytes!("../../assets/fonts/CharisSIL-Bold.ttf");
/// Inter, for the labels (the stylesheet's are in the system's sans-serif).
const INTER_BOLD: &[u8] = include_bytes!("../../assets/fonts/Inter-Bold.otf");

/// A face a card's text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Font {
    /// Quotes and the standfirst.
    Serif,
    /// The headline.
    SerifBold,
    /// The site's name, labels and speakers.
    Sans,
}

impl Font {
    /// Every face, in the order they are loaded (which is the order resvg
    /// falls back through for a character a face lacks).
    const ALL: [Font; 3] = [Font::Serif, Font::SerifBold, Font::Sans];

    /// The family name an SVG `font-family` asks for.
    pub(crate) fn family(self) -> &'static str {
        match self {
            Font::Serif | Font::SerifBold => "Charis SIL",
            Font::Sans => "Inter",
        }
    }

    /// The weight an SVG `font-weight` asks for.
    pub(crate) fn weight(self) -> u16 {
        match self {
            Font::Serif => 400,
            Font::SerifBold | Font::Sans => 700,
        }
    }

    fn data(self) -> &'static [u8] {
        match self {
            Font::Serif => CHARIS_REGULAR,
            Font::SerifBold => CHARIS_BOLD,
            Font::Sans => INTER_BOLD,
        }
    }
}

/// One face's character map and advance widths (in ems).
struct Face {
    charmap: Charmap<'static>,
    advances: GlyphMetrics<'static>,
}

impl Face {
    fn glyph(&self, c: char) -> Option<GlyphId> {
        self.charmap.map(c)
    }

    /// The advance of `c` in ems, or of the missing-glyph box where the
    /// face lacks it (what is drawn then).
    fn advance(&self, c: char) -> f32 {
        let glyph = self.glyph(c).unwrap_or(GlyphId::NOTDEF);
        self.advances.advance_width(glyph).unwrap_or(0.0)
    }
}

/// The embedded fonts: resvg's database and the metrics to measure with.
pub(crate) struct Fonts {
    database: Arc<fontdb::Database>,
    faces: Vec<Face>,
    digest: u128,
}

impl Fonts {
    /// The fonts compiled into the binary.
    pub(crate) fn embedded() -> Result<Fonts> {
        let mut database = fontdb::Database::new();
        let mut faces = Vec::with_capacity(Font::ALL.len());
        let mut digest = Xxh3::new();
        for font in Font::ALL {
            let data = font.data();
            database.load_font_source(fontdb::Source::Binary(Arc::new(data)));
            let face = FontRef::new(data)
                .with_context(|| format!("reading the embedded font {}", font.family()))?;
            faces.push(Face {
                charmap: face.charmap(),
                advances: face.glyph_metrics(Size::new(1.0), LocationRef::default()),
            });
            digest.update(data);
        }
        Ok(Fonts {
            database: Arc::new(database),
            faces,
            digest: digest.digest128(),
        })
    }

    /// The database resvg draws with.
    pub(crate) fn database(&self) -> Arc<fontdb::Database> {
        Arc::clone(&self.database)
    }

    /// A hash of every font's bytes: a changed font is a changed card.
    pub(crate) fn digest(&self) -> u128 {
        self.digest
    }

    fn face(&self, font: Font) -> &Face {
        &self.faces[font as usize]
    }

    /// How wide `text` is drawn in `font` at `size` pixels. A character the
    /// face lacks is measured as resvg draws it: in the first other face
    /// that has it, or as the missing-glyph box; and where that other face
    /// has every character of the text, resvg sets all of it in that face.
    pub(crate) fn width(&self, font: Font, size: f32, text: &str) -> f32 {
        let face = self.face(font);
        let mut chosen: Vec<(char, Option<Font>)> = text
            .chars()
            .map(|c| (c, face.glyph(c).map(|_| font)))
            .collect();
        let mut used = vec![font];
        while let Some(missing) = chosen.iter().find(|(_, by)| by.is_none()).map(|(c, _)| *c) {
            let Some(fallback) = Font::ALL
                .into_iter()
                .find(|other| !used.contains(other) && self.face(*other).glyph(missing).is_some())
            else {
                break;
            };
            let other = self.face(fallback);
            if chosen.iter().all(|(c, _)| other.glyph(*c).is_some()) {
                return size * text.chars().map(|c| other.advance(c)).sum::<f32>();
            }
            for (c, by) in &mut chosen {
                if by.is_none() && other.glyph(*c).is_some() {
                    *by = Some(fallback);
                }
            }
            used.push(fallback);
        }
        size * chosen
            .iter()
            .map(|(c, by)| self.face(by.unwrap_or(font)).advance(*c))
            .sum::<f32>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_the_text_and_the_size() -> Result<()> {
        let fonts = Fonts::embedded()?;
        let short = fonts.width(Font::SerifBold, 50.0, "Trump");
        let long = fonts.width(Font::SerifBold, 50.0, "Trump takes a step back");
        assert!(short > 50.0 && long > 3.0 * short, "{short} {long}");
        let double = fonts.width(Font::SerifBold, 100.0, "Trump");
        assert!((double - 2.0 * short).abs() < 0.01);
        assert!(fonts.width(Font::Sans, 20.0, "") == 0.0);
        Ok(())
    }

    #[test]
    fn a_character_no_font_has_is_measured_as_the_missing_glyph_box() -> Result<()> {
        let fonts = Fonts::embedded()?;
        let emoji = fonts.width(Font::Serif, 30.0, "👍");
        let hebrew = fonts.width(Font::Serif, 30.0, "שלום");
        assert!(emoji > 5.0, "{emoji}");
        assert!(hebrew > 4.0 * 5.0, "{hebrew}");
        Ok(())
    }
}
