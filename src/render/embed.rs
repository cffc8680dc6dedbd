//! The embeddable page, `/embed/<slug>/`: a story's timeline graphic and its
//! reversals, made to sit in an `<iframe>` on another site, every link
//! leading to the story page (the template opens them in the top window);
//! and the snippet of HTML the story page offers for embedding it.

use serde::Serialize;
use tera::{Context, Value};

use super::escape;
use super::graphic::{self, Graphic};
use super::view::{Cast, EntryView};
use crate::config::Config;
use crate::model::Story;
use crate::timeline;
use crate::urls;

/// `embed.html` gets `story` (its card), `graphic` (the timeline graphic,
/// each mark linking to its entry on the story page) and `reversals`: the
/// entries that walk something back, in time order, their links leading to
/// the story page. It depends on this story and the settings only.
pub(super) fn context(story: &Story, card: Value, config: &Config, context: &mut Context) {
    let page = config.path_to(&urls::story(&story.slug));
    let cast = Cast::new(story, config);
    let items = timeline::items(story);
    let reversals: Vec<EntryView> = items
        .iter()
        .filter(|item| item.reverses.is_some())
        .map(|item| EntryView::new(item, story, &cast, &page))
        .collect();
    context.insert_value("story", card);
    context.insert("graphic", &graphic::svg(story, &items, &page).markup);
    context.insert("reversals", &reversals);
}

/// `embed` on the story page: how to show the story's embed page on another
/// site.
#[derive(Serialize)]
pub struct EmbedView {
    /// The embed page's absolute URL.
    pub url: String,
    /// The `<iframe>` element to paste, as text (escaped within itself; the
    /// template escapes it again to show it).
    pub snippet: String,
}

/// Room the embed page takes around its graphic, in pixels, at about 650 px
/// wide: its headline, the graphic's caption and key, the reversals' heading
/// and the credit line. With [`EMBED_REVERSAL`], measured on the sample
/// stories, rounded up: the frame's height is a first guess that a page
/// embedding it may change (a narrower frame scrolls).
const EMBED_FRAME: f64 = 420.0;
/// Room one reversal takes on the embed page.
const EMBED_REVERSAL: f64 = 230.0;

impl EmbedView {
    /// The view for `story`, whose graphic is `graphic`.
    pub(super) fn new(story: &Story, config: &Config, graphic: &Graphic) -> Self {
        let url = config.url_to(&urls::embed(&story.slug));
        let reversals = story
            .timeline
            .iter()
            .filter(|entry| entry.reverses.is_some())
            .count();
        let height = EMBED_FRAME + graphic.height + EMBED_REVERSAL * reversals as f64;
        let title = format!("{}: the timeline and its reversals", story.title);
        let snippet = format!(
            r#"<iframe src="{}" title="{}" width="100%" height="{:.0}" loading="lazy" style="border:0"></iframe>"#,
            escape(&url),
            escape(&title),
            height.ceil(),
        );
        EmbedView { url, snippet }
    }
}
