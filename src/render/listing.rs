//! Which pages a site has, and the site-wide listings' lookups: the tags
//! with their stories, and the sitemap.

use std::collections::BTreeMap;

use ahash::AHashMap;
use serde::Serialize;

use super::Renderer;
use crate::model::{Site, Story};
use crate::urls::{PageId, page_count, tag_slug};

/// Every page of `site`.
pub fn all_pages(site: &Site) -> Vec<PageId> {
    let mut pages = site_pages(site);
    pages.extend(
        site.stories
            .iter()
            .flat_map(|story| PageId::of_story(&story.slug)),
    );
    pages
}

/// Every page of `site` but the stories' own (their pages and embeds): the
/// listings (each of their pages), people and tags.
pub fn site_pages(site: &Site) -> Vec<PageId> {
    let per_page = site.config.paginate_by;
    let mut pages: Vec<PageId> = (1..=page_count(site.stories.len(), per_page))
        .map(PageId::Index)
        .chain((1..=page_count(site.people.len(), per_page)).map(PageId::People))
        .collect();
    pages.extend([
        PageId::Tags,
        PageId::Atom,
        PageId::Sitemap,
        PageId::NotFound,
        PageId::Json,
    ]);
    pages.extend(site.people.keys().cloned().map(PageId::Person));
    for (slug, stories) in tag_counts(site) {
        pages.extend(
            (1..=page_count(stories, per_page)).map(|number| PageId::Tag(slug.clone(), number)),
        );
    }
    pages
}

/// How many stories each tag slug has. Only the counts: tag pages gather
/// their stories later, in parallel; each spelling is slugified once.
pub fn tag_counts(site: &Site) -> BTreeMap<String, usize> {
    let mut slugs: AHashMap<&str, String> = AHashMap::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut in_story: Vec<String> = Vec::new();
    for story in &site.stories {
        in_story.clear();
        for tag in &story.tags {
            let slug = slugs.entry(tag).or_insert_with(|| tag_slug(tag));
            if !in_story.contains(slug) {
                in_story.push(slug.clone());
            }
        }
        for slug in in_story.drain(..) {
            *counts.entry(slug).or_default() += 1;
        }
    }
    counts
}

/// Each tag slug with its first-seen name and its stories, newest first.
pub fn tags_of(site: &Site) -> BTreeMap<String, (&str, Vec<&Story>)> {
    let mut tags: BTreeMap<String, (&str, Vec<&Story>)> = BTreeMap::new();
    // A site has far fewer tags than stories: slugify each spelling once.
    let mut slugs: AHashMap<&str, String> = AHashMap::new();
    for story in &site.stories {
        for tag in &story.tags {
            let slug = slugs.entry(tag).or_insert_with(|| tag_slug(tag));
            if !tags.contains_key(slug) {
                tags.insert(slug.clone(), (tag, Vec::new()));
            }
            let (_, stories) = tags.get_mut(slug).expect("inserted above");
            if !stories
                .last()
                .is_some_and(|last| std::ptr::eq(*last, story.as_ref()))
            {
                stories.push(story);
            }
        }
    }
    tags
}

impl Renderer<'_> {
    /// `sitemap.xml`'s URLs: the home page, the indexes, every story, person
    /// and tag page.
    pub(super) fn sitemap(&self) -> Vec<SitemapUrl> {
        let config = &self.site.config;
        let newest = self
            .site
            .stories
            .first()
            .map(|story| story.last_changed().rfc3339());
        let per_page = config.paginate_by;
        let url = |page: PageId, lastmod: Option<String>| SitemapUrl {
            loc: config.url_to(&[&page.path()]),
            lastmod,
        };
        let mut urls = vec![url(PageId::Index(1), newest)];
        urls.extend(
            (2..=page_count(self.site.stories.len(), per_page))
                .map(|n| url(PageId::Index(n), None)),
        );
        urls.extend(
            (1..=page_count(self.site.people.len(), per_page))
                .map(|n| url(PageId::People(n), None)),
        );
        urls.push(url(PageId::Tags, None));
        urls.extend(self.site.stories.iter().map(|story| {
            let lastmod = Some(story.last_changed().rfc3339());
            url(PageId::Story(story.slug.clone()), lastmod)
        }));
        urls.extend(
            self.site
                .people
                .keys()
                .map(|id| url(PageId::Person(id.clone()), None)),
        );
        for (slug, (_, stories)) in self.by_tag() {
            urls.extend(
                (1..=page_count(stories.len(), per_page))
                    .map(|n| url(PageId::Tag(slug.clone(), n), None)),
            );
        }
        urls
    }
}

/// One `<url>` of the sitemap.
#[derive(Serialize)]
pub(super) struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}
