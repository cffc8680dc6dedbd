//! Step 4 of a build, pages from the model: the Tera theme (`theme`: built
//! in, overridable file by file from a site's `templates/`), the list of pages a
//! site has, and a [`Renderer`] that turns one [`PageId`] into bytes. Rendering returns values,
//! so `build` streams them to disk, `serve` holds them in memory and tests
//! read them directly. Indexes that listing pages need (stories by person, by
//! tag) are built once per renderer, so no listing page is quadratic.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, OnceLock};

use ahash::AHashMap;
use serde::Serialize;
use tera::{Context, Value};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::model::{Person, Site, Story};
use crate::timeline;
use crate::urls::PageId;
use view::{
    Cast, EntryView, SiteView, SocialCardView, StoryCard, TagView, TimeView, reaction_groups,
};

mod embed;
mod export;
mod graphic;
mod listing;
mod paginate;
mod person;
pub(crate) mod theme;
pub mod view;

pub use export::{ExportSpool, StoryExports};
pub use listing::{all_pages, site_pages, sitemap_length, sitemap_parts, tag_counts, tags_of};
use paginate::Paginator;
pub use person::people_in_order;
pub use theme::Theme;

/// How many stories the Atom feed carries (the newest).
pub const FEED_LENGTH: usize = 50;

/// Escapes the five characters that matter in HTML and XML text and quoted
/// attributes: `&`, `<`, `>`, `"` and `'` (Tera's default skips `'`, which a
/// theme may use to quote attributes).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// [`escape`] as Tera's escape function (vectorised where the CPU allows).
fn escape_into(text: &str, out: &mut dyn Write) -> std::io::Result<()> {
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::IoWriter(out), text)
}

/// `story.html` gets `story` (its `card`'s fields and the body), `timeline`,
/// `graphic` (the timeline as SVG markup), `embed` (its embed page's URL and
/// snippet), `reactions` (groups), `people`, `json_ld` and `social_card`.
/// It depends on this story and the settings only.
fn story_context(story: &Story, card: Value, config: &Config, context: &mut Context) {
    let cast = Cast::new(story, config);
    let items = timeline::items(story);
    let entries: Vec<EntryView> = items
        .iter()
        .map(|item| EntryView::new(item, story, &cast, ""))
        .collect();
    let graphic = graphic::svg(story, &items, "");
    let mut fields = card.into_map().unwrap_or_default();
    fields.insert("body_html".into(), story.body_html.as_str().into());
    fields.insert("extra".into(), Value::from_serializable(&story.extra));
    context.insert_value("story", fields.into());
    context.insert("timeline", &entries);
    context.insert("embed", &embed::EmbedView::new(story, config, &graphic));
    context.insert("graphic", &graphic.markup);
    context.insert("reactions", &reaction_groups(story, &cast));
    context.insert("reaction_count", &story.reactions.len());
    context.insert_value("people", cast.all().into());
    context.insert("json_ld", &export::json_ld(story, config));
    context.insert("social_card", &SocialCardView::new(story, config));
}

/// The context of one of a story's own pages ([`PageId::of_story`]) into
/// `context`; returns the template that lays it out.
fn own_page_context(
    page: &PageId,
    story: &Story,
    card: Value,
    config: &Config,
    context: &mut Context,
) -> &'static str {
    if let PageId::Embed(_) = page {
        embed::context(story, card, config, context);
        "embed.html"
    } else {
        story_context(story, card, config, context);
        "story.html"
    }
}

/// The bytes of `story`'s own pages ([`PageId::of_story`]: its page and
/// its embed): what [`Renderer`] makes for them, made from the story and the
/// settings alone, for a build that writes them as soon as the story is read.
pub fn story_pages(
    theme: &Theme,
    config: &Config,
    story: &Story,
) -> Result<Vec<(PageId, Vec<u8>)>, Diagnostics> {
    let site = site_value(config);
    let card = card_value(story, config);
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    for page in PageId::of_story(&story.slug) {
        let mut context = Context::new();
        context.insert_value("site", site.clone());
        let template = own_page_context(&page, story, card.clone(), config, &mut context);
        match theme.render(template, &context) {
            Ok(bytes) => pages.push((page, bytes)),
            Err(found) => problems.extend(found.0),
        }
    }
    if problems.is_empty() {
        Ok(pages)
    } else {
        Err(Diagnostics(problems))
    }
}

/// `site`, as a template value.
fn site_value(config: &Config) -> Value {
    Value::from_serializable(&SiteView::new(config))
}

/// A story's card, as a template value.
fn card_value(story: &Story, config: &Config) -> Value {
    Value::from_serializable(&StoryCard::new(story, config))
}

/// Renders pages of one site. The lookup tables a page needs are built the
/// first time one asks for them, so rendering one story page after a save
/// costs nothing site-wide.
pub struct Renderer<'a> {
    theme: &'a Theme,
    site: &'a Site,
    /// Each story's place in `site.stories`, by slug.
    by_slug: OnceLock<AHashMap<&'a str, usize>>,
    by_person: OnceLock<AHashMap<&'a str, Vec<&'a Story>>>,
    by_tag: OnceLock<BTreeMap<String, (&'a str, Vec<&'a Story>)>>,
    people: OnceLock<Vec<&'a Person>>,
    site_view: OnceLock<Value>,
    exports: Option<&'a StoryExports>,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site`.
    pub fn new(theme: &'a Theme, site: &'a Site) -> Self {
        Renderer {
            theme,
            site,
            by_slug: OnceLock::new(),
            by_person: OnceLock::new(),
            by_tag: OnceLock::new(),
            people: OnceLock::new(),
            site_view: OnceLock::new(),
            exports: None,
        }
    }

    /// This renderer, making `stories.json` from the stories' parts kept in
    /// `exports` where the stories did not change (and keeping the new ones
    /// there): for `serve`, which renders the export again on every save.
    pub fn reusing(mut self, exports: &'a StoryExports) -> Self {
        self.exports = Some(exports);
        self
    }

    /// Stories' places in `site.stories`, by slug.
    fn by_slug(&self) -> &AHashMap<&'a str, usize> {
        self.by_slug.get_or_init(|| {
            self.site
                .stories
                .iter()
                .enumerate()
                .map(|(index, story)| (story.slug.as_str(), index))
                .collect()
        })
    }

    /// Each person's stories, newest first.
    fn by_person(&self) -> &AHashMap<&'a str, Vec<&'a Story>> {
        self.by_person.get_or_init(|| {
            let mut by_person: AHashMap<&str, Vec<&Story>> = AHashMap::new();
            for story in &self.site.stories {
                for id in story.people.keys() {
                    by_person.entry(id).or_default().push(story);
                }
            }
            by_person
        })
    }

    /// Each tag's name and stories, by slug.
    fn by_tag(&self) -> &BTreeMap<String, (&'a str, Vec<&'a Story>)> {
        self.by_tag.get_or_init(|| tags_of(self.site))
    }

    /// The bytes of one page.
    pub fn render(&self, page: &PageId) -> Result<Vec<u8>, Diagnostics> {
        let config = &self.site.config;
        let mut context = Context::new();
        let site_view = self.site_view.get_or_init(|| site_value(config));
        context.insert_value("site", site_view.clone());
        let template = match page {
            PageId::Index(number) => {
                let stories = &self.site.stories;
                let paginator = Paginator::new(PageId::Index, *number, stories.len(), config);
                let page = paginator.slice(stories).iter().map(Arc::as_ref);
                context.insert_value("stories", self.cards(page));
                context.insert("paginator", &paginator);
                "index.html"
            }
            PageId::Story(slug) | PageId::Embed(slug) => {
                let index = self.story_index(slug)?;
                let story = &self.site.stories[index];
                let card = card_value(story, config);
                own_page_context(page, story, card, config, &mut context)
            }
            PageId::People(number) => {
                let people = self.people_in_order();
                let paginator = Paginator::new(PageId::People, *number, people.len(), config);
                context.insert("people", &self.summarize(paginator.slice(people)));
                context.insert("paginator", &paginator);
                "people.html"
            }
            PageId::Person(id) => {
                self.person_context(id, &mut context)?;
                "person.html"
            }
            PageId::Tags => {
                let tags: Vec<TagSummary> = self
                    .by_tag()
                    .values()
                    .map(|(name, stories)| TagSummary {
                        tag: TagView::new(name, config),
                        count: stories.len(),
                    })
                    .collect();
                context.insert("tags", &tags);
                "tags.html"
            }
            PageId::Tag(slug, number) => {
                let (name, stories) = self
                    .by_tag()
                    .get(slug)
                    .ok_or_else(|| missing("tag", slug))?;
                let listing = |number| PageId::Tag(slug.clone(), number);
                let paginator = Paginator::new(listing, *number, stories.len(), config);
                context.insert("tag", &TagView::new(name, config));
                context.insert_value(
                    "stories",
                    self.cards(paginator.slice(stories).iter().copied()),
                );
                context.insert("paginator", &paginator);
                "tag.html"
            }
            PageId::Atom => {
                let newest = self.site.stories.iter().take(FEED_LENGTH).map(Arc::as_ref);
                context.insert_value("stories", self.cards(newest));
                let updated = self.site.stories.iter().map(|story| story.last_changed());
                context.insert(
                    "updated",
                    &updated
                        .max_by_key(|moment| moment.instant)
                        .map(TimeView::from),
                );
                "atom.xml"
            }
            PageId::Sitemap if sitemap_parts(self.sitemap_length()) > 0 => {
                context.insert("sitemaps", &self.sitemap_index());
                "sitemap_index.xml"
            }
            PageId::Sitemap => {
                context.insert("urls", &self.sitemap(0));
                "sitemap.xml"
            }
            PageId::SitemapPart(number) => {
                context.insert("urls", &self.sitemap(*number));
                "sitemap.xml"
            }
            PageId::NotFound => "404.html",
            PageId::Json => {
                return Ok(match self.exports {
                    Some(kept) => export::stories_json_reusing(self.site, kept),
                    None => export::stories_json(self.site),
                });
            }
        };
        self.theme.render(template, &context)
    }

    /// Writes `stories.json` to `out` from the parts `spool` kept as the
    /// stories were read; [`Renderer::render`] makes it whole from the
    /// stories instead.
    pub fn write_json(&self, spool: &ExportSpool, out: &mut dyn Write) -> std::io::Result<()> {
        spool.write(self.site, out)
    }

    /// The place in `site.stories` of the story at `slug`.
    fn story_index(&self, slug: &str) -> Result<usize, Diagnostics> {
        self.by_slug()
            .get(slug)
            .copied()
            .ok_or_else(|| missing("story", slug))
    }

    /// The cards of `stories`, as one template value. Made for each page
    /// that lists them, not kept: a card is quick to make, and a site of
    /// 100,000 stories would hold about 300 MB of them.
    fn cards(&self, stories: impl Iterator<Item = &'a Story>) -> Value {
        let config = &self.site.config;
        stories
            .map(|story| card_value(story, config))
            .collect::<Vec<Value>>()
            .into()
    }
}

/// A page asked of a site that has no such story, person or tag (a bug in
/// the caller: every page asked for comes from the site's own list).
fn missing(kind: &str, id: &str) -> Diagnostics {
    Diagnostics::from(Diagnostic::new(
        &SourceFile::new("(site)", ""),
        0..0,
        format!("no {kind} `{id}` in this site"),
    ))
}

#[derive(Serialize)]
struct TagSummary<'a> {
    tag: TagView<'a>,
    count: usize,
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_replaces_the_five_and_keeps_everything_else() {
        assert_eq!(
            escape(r#"<script>"Trump's" & co</script>"#),
            "&lt;script&gt;&quot;Trump&#39;s&quot; &amp; co&lt;/script&gt;"
        );
        assert_eq!(escape("“can’t” — ok/fine"), "“can’t” — ok/fine");
        assert_eq!(escape(""), "");
        assert_eq!(escape("é<"), "é&lt;");
    }
}
