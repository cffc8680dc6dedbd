//! A card's SVG drawn to a PNG with resvg, its text set in the embedded
//! fonts only, and written with a palette of the design's colours and their
//! blends: a card is a third the size it is as RGB, and looks the same.

use anyhow::{Context as _, Result};
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;

use ahash::AHashMap;

use super::design::{BLENDS, HEIGHT, WIDTH};
use super::fonts::{Font, Fonts};

/// `svg` (a card's markup) read, its text laid out in `fonts`.
pub(crate) fn tree(svg: &str, fonts: &Fonts) -> Result<usvg::Tree> {
    let options = usvg::Options {
        font_family: Font::Serif.family().to_owned(),
        fontdb: fonts.database(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).context("reading a social card's SVG")
}

/// The PNG of `tree` (a card, [`WIDTH`] by [`HEIGHT`]).
pub(crate) fn png(tree: &usvg::Tree) -> Result<Vec<u8>> {
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).context("making a social card's canvas")?;
    resvg::render(tree, Transform::identity(), &mut pixmap.as_mut());
    let (palette, indices) = indexed(pixmap.data());
    let mut out = Vec::with_capacity(32 * 1024);
    let mut encoder = ::png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(::png::ColorType::Indexed);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder.set_palette(palette);
    encoder.set_filter(::png::Filter::NoFilter);
    let mut writer = encoder
        .write_header()
        .context("encoding a social card as PNG")?;
    writer
        .write_image_data(&indices)
        .context("encoding a social card as PNG")?;
    writer.finish().context("encoding a social card as PNG")?;
    Ok(out)
}

/// How many blends of each pair of colours the palette holds, the two
/// colours themselves included: 24 levels of anti-aliasing, and ten pairs
/// fit PNG's 256 colours.
const STEPS: usize = 24;

/// `rgba` (an opaque card: premultiplied or not, its pixels are the same)
/// as a palette of the design's blends ([`BLENDS`]) and one index into it
/// per pixel, each pixel its nearest blend. A card is a few flat colours
/// and the anti-aliased edges between two of them, so the palette loses
/// nothing a reader sees, and the PNG is a third of the size of RGB.
fn indexed(rgba: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut palette: Vec<[u8; 3]> = Vec::with_capacity(256);
    for (one, other) in BLENDS {
        for step in 0..STEPS {
            let mix = step as f32 / (STEPS - 1) as f32;
            let blend: [u8; 3] = std::array::from_fn(|channel| {
                let (a, b) = (f32::from(one.0[channel]), f32::from(other.0[channel]));
                (a + (b - a) * mix).round() as u8
            });
            if !palette.contains(&blend) {
                palette.push(blend);
            }
        }
    }
    palette.truncate(256);
    let nearest = |pixel: [u8; 3]| -> u8 {
        let distance = |colour: &[u8; 3]| -> u32 {
            (0..3)
                .map(|channel| u32::from(colour[channel].abs_diff(pixel[channel])).pow(2))
                .sum()
        };
        let best = (0..palette.len()).min_by_key(|&index| distance(&palette[index]));
        best.and_then(|index| u8::try_from(index).ok()).unwrap_or(0)
    };
    let mut seen: AHashMap<[u8; 3], u8> = AHashMap::new();
    let mut last: Option<([u8; 3], u8)> = None;
    let indices = rgba
        .chunks_exact(4)
        .map(|pixel| {
            let pixel = [pixel[0], pixel[1], pixel[2]];
            match last {
                Some((colour, index)) if colour == pixel => index,
                _ => {
                    let index = *seen.entry(pixel).or_insert_with(|| nearest(pixel));
                    last = Some((pixel, index));
                    index
                }
            }
        })
        .collect();
    (palette.concat(), indices)
}
