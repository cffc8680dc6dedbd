//! Social cards: the 1200×630 picture a link preview shows for a story
//! (`<slug>/card.png`, named by the story page's `og:image`), drawn at build
//! time. A card shows the site's name, the headline, and the story's first
//! reversal (what was said, when, and the walk-back with the time between
//! them, worded as on the story page), or the standfirst where the story has
//! no reversal. The step, in its parts: what a card says (`content`),
//! where each part goes (`design`, its text fitted by `layout` with the
//! embedded fonts' metrics, `fonts`), the SVG drawn to PNG with resvg
//! (`raster`), and the cards kept between builds (`cache`): drawing costs
//! milliseconds a card, so an unchanged story's card is never drawn again.
//!
//! A build stages a card like any other output file (`SocialCards::stage`:
//! written only when it changed, committed under the journal);
//! `serve` draws a card when it is asked for ([`SocialCards::png`]).
//! `social_cards = false` in `site.toml` turns cards and their meta tags off.

mod cache;
mod content;
mod design;
mod fonts;
mod layout;
mod raster;

use std::path::{Path, PathBuf};

use anyhow::Result;
use xxhash_rust::xxh3::Xxh3;

pub use cache::CACHE_DIR;
pub use content::{Body, Card, Reversal, Side};
pub use design::{HEIGHT, WIDTH};

use crate::write::Staging;

/// The code that decides a card's pixels from what it says, as text: part
/// of every card's key with the fonts' bytes, so that a change to the
/// drawing draws every card again on the next build.
const DRAWING: [&str; 4] = [
    include_str!("design.rs"),
    include_str!("layout.rs"),
    include_str!("fonts.rs"),
    include_str!("raster.rs"),
];

/// Also part of every key: change it when the drawing changes outside the
/// files above (an upgrade of resvg that draws differently).
const DESIGN_VERSION: &str = "backtrack social card 1, resvg 0.49";

/// Draws social cards, and keeps what it drew in the site's cache.
pub struct SocialCards {
    fonts: fonts::Fonts,
    cache: cache::Cache,
    /// The site's `static/` folder, whose files win over drawn cards.
    static_dir: PathBuf,
    /// A hash of the drawing: its code, its version and its fonts.
    design: u128,
}

impl SocialCards {
    /// The card maker of the site at `root`, its cache in [`CACHE_DIR`].
    pub fn new(root: &Path) -> Result<SocialCards> {
        let fonts = fonts::Fonts::embedded()?;
        let mut design = Xxh3::new();
        for part in [DESIGN_VERSION].iter().chain(&DRAWING) {
            design.update(part.as_bytes());
        }
        design.update(&fonts.digest().to_le_bytes());
        Ok(SocialCards {
            design: design.digest128(),
            fonts,
            cache: cache::Cache::new(root),
            static_dir: root.join("static"),
        })
    }

    /// Draws `card` as PNG, without the cache.
    pub fn draw(&self, card: &Card) -> Result<Vec<u8>> {
        raster::png(&raster::tree(&design::svg(card, &self.fonts), &self.fonts)?)
    }

    /// The PNG of `card`: from the cache, or drawn and kept there.
    pub fn png(&self, card: &Card) -> Result<Vec<u8>> {
        let key = self.key(card);
        if let Some(bytes) = self.cache.get(key) {
            return Ok(bytes);
        }
        let bytes = self.draw(card)?;
        self.cache.put(key, &bytes);
        Ok(bytes)
    }

    /// Puts `card` at `relative` in the build `staging` makes: nothing to
    /// do where the output holds it already (the output's manifest records a
    /// card by its key, so that takes no reading); else from the cache
    /// (hard-linked, not copied) or drawn and kept there. A file the site's
    /// `static/` folder has at `relative` replaces the drawn card (the
    /// static files' copy puts it there): then nothing is staged, and this
    /// returns false.
    pub(crate) fn stage(&self, relative: &str, card: &Card, staging: &Staging) -> Result<bool> {
        if self.static_dir.join(relative).is_file() {
            return Ok(false);
        }
        let key = self.key(card);
        self.cache.mark_used(key);
        // A cached card that cannot be linked (another build pruned it just
        // now) is drawn again.
        if (staging.holds(relative, key) || self.cache.has(key))
            && staging.link(relative, key, &self.cache.path(key)).is_ok()
        {
            return Ok(true);
        }
        let bytes = self.draw(card)?;
        match self.cache.put(key, &bytes) {
            Some(kept) => staging.link(relative, key, &kept)?,
            None => staging.write_as(relative, key, &bytes)?,
        }
        Ok(true)
    }

    /// Removes from the cache the cards not asked for since this maker was
    /// made: call it after a build that staged every story's card.
    pub(crate) fn prune(&self) {
        self.cache.prune();
    }

    /// The cache key of `card`: everything that decides its pixels.
    fn key(&self, card: &Card) -> u128 {
        let mut hasher = Xxh3::new();
        hasher.update(&self.design.to_le_bytes());
        card.digest(&mut hasher);
        hasher.digest128()
    }
}

#[cfg(test)]
mod tests {
    use resvg::usvg::{Node, Rect};

    use super::*;

    fn side(speaker: &str, words: &str) -> Side {
        Side {
            speaker: (!speaker.is_empty()).then(|| speaker.to_owned()),
            words: words.to_owned(),
            quoted: true,
            excerpt: String::new(),
        }
    }

    fn reversal(site: &str, headline: &str, speaker: &str, said: &str, back: &str) -> Card {
        Card {
            site: site.to_owned(),
            headline: headline.to_owned(),
            body: Body::Reversal(Reversal {
                said: side(speaker, said),
                said_when: "July 9, 2017, 7:50 a.m. EDT".to_owned(),
                walk_back: side(speaker, back),
                gap: "13 hours later".to_owned(),
                half: false,
            }),
        }
    }

    fn text_boxes(group: &resvg::usvg::Group, boxes: &mut Vec<Rect>) {
        for node in group.children() {
            match node {
                Node::Group(group) => text_boxes(group, boxes),
                Node::Text(text) => boxes.push(text.abs_bounding_box()),
                _ => {}
            }
        }
    }

    /// Every line's box on `card`, as resvg lays it out.
    fn laid_out(cards: &SocialCards, card: &Card) -> Result<Vec<Rect>> {
        let tree = raster::tree(&design::svg(card, &cards.fonts), &cards.fonts)?;
        let mut boxes = Vec::new();
        text_boxes(tree.root(), &mut boxes);
        Ok(boxes)
    }

    #[test]
    fn hostile_text_is_drawn_inside_the_card_and_its_panels() -> Result<()> {
        let temp = tempfile::tempdir()?;
        let cards = SocialCards::new(temp.path())?;
        let long_word = "Supercalifragilisticexpialidocious".repeat(12);
        let long_text = "All work and no play makes a long quote. ".repeat(120);
        let cjk = "人人生而自由，在尊严和权利上一律平等。".repeat(20);
        let hostile = [
            reversal("Site", "Headline", "Speaker", "Said", "Back"),
            reversal(&long_word, &long_word, &long_word, &long_word, &long_word),
            reversal(&long_text, &long_text, &long_text, &long_text, &long_text),
            reversal("Site", &cjk, "毛泽东", &cjk, &cjk),
            reversal(
                "</text><script>alert(1)</script>",
                r#"Title <script>alert(1)</script>"><img src=x onerror=alert(1)> & "it's""#,
                "O'Brien & <Sons>",
                "]]><!-- \u{0}\u{1b}[31m\u{7f}\u{85}\u{FFFF} -->",
                "&amp; &lt; &#0; &bogus;",
            ),
            reversal(
                "‏שלום",
                "רה״מ חוזר בו מהצהרתו: \u{202E}reversed\u{202C} والرئيس يتراجع",
                "بنيامين",
                "👍🏽👨‍👩‍👧‍👦🇺🇸 Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
                "\u{200D}\u{FEFF}\u{0301}",
            ),
            reversal("", "", "", "", ""),
        ];
        for card in &hostile {
            let boxes = laid_out(&cards, card)?;
            assert!(!boxes.is_empty());
            for rect in &boxes {
                let (left, right) = (rect.left(), rect.right());
                assert!(left >= 63.0 && right <= 1137.0, "{rect:?} on {card:?}");
                assert!(
                    rect.top() >= 0.0 && rect.bottom() <= 600.0,
                    "{rect:?} on {card:?}"
                );
                // The left panel's text starts 30 px into it.
                if (left - 94.0).abs() < 1.0 {
                    assert!(right <= 588.0, "{rect:?} leaves the left panel on {card:?}");
                }
            }
        }
        let png = cards.draw(&hostile[5])?;
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        Ok(())
    }

    #[test]
    fn a_story_without_a_reversal_fits_its_standfirst_under_the_headline() -> Result<()> {
        let temp = tempfile::tempdir()?;
        let cards = SocialCards::new(temp.path())?;
        let card = Card {
            site: "Backtrack".to_owned(),
            headline: "A council votes ".repeat(30),
            body: Body::Standfirst("The standfirst goes on ".repeat(60)),
        };
        let boxes = laid_out(&cards, &card)?;
        assert!(boxes.len() > 4, "{boxes:?}");
        for rect in &boxes {
            assert!(rect.left() >= 63.0 && rect.right() <= 1137.0, "{rect:?}");
            assert!(rect.bottom() <= 600.0, "{rect:?}");
        }
        Ok(())
    }

    #[test]
    fn every_word_drawn_is_in_the_key() -> Result<()> {
        let temp = tempfile::tempdir()?;
        let cards = SocialCards::new(temp.path())?;
        let card = reversal("Site", "Headline", "Speaker", "Said", "Back");
        let mut other = card.clone();
        other.headline.push('!');
        assert_ne!(cards.key(&card), cards.key(&other));
        let mut moved = card.clone();
        moved.site = "SiteH".to_owned();
        moved.headline = "eadline".to_owned();
        assert_ne!(cards.key(&card), cards.key(&moved));
        assert_eq!(cards.key(&card), cards.key(&card.clone()));
        Ok(())
    }
}
