//! Which pages a site has, and the site-wide listings' lookups: the tags
//! with their stories, and the sitemap.

use std::collections::{BTreeMap, BTreeSet};

use ahash::{AHashMap, AHashSet};
use serde::Serialize;

use super::Renderer;
use crate::model::{Site, Story};
use crate::urls::{self, PageId, tag_slug};

/// Every page of `site`.
pub fn all_pages(site: &Site) -> Vec<PageId> {
    let mut pages = site_pages(site);
    pages.extend(
        site.stories
            .iter()
            .map(|story| PageId::Story(story.slug.clone())),
    );
    pages
}

/// Every page of `site` but the stories' own: the listings, people and tags.
pub fn site_pages(site: &Site) -> Vec<PageId> {
    let mut pages = vec![
        PageId::Index,
        PageId::People,
        PageId::Tags,
        PageId::Atom,
        PageId::Sitemap,
        PageId::NotFound,
        PageId::Json,
    ];
    pages.extend(site.people.keys().cloned().map(PageId::Person));
    // Only the slugs: each spelling once (tag pages gather their stories later, in parallel).
    let spellings: AHashSet<&str> = site
        .stories
        .iter()
        .flat_map(|story| story.tags.iter().map(String::as_str))
        .collect();
    let slugs: BTreeSet<String> = spellings.into_iter().map(tag_slug).collect();
    pages.extend(slugs.into_iter().map(PageId::Tag));
    pages
}

/// Each tag slug with its first-seen name and its stories, newest first.
pub(super) fn tags_of(site: &Site) -> BTreeMap<String, (&str, Vec<&Story>)> {
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
        let mut urls = vec![
            SitemapUrl {
                loc: config.url_to(&[]),
                lastmod: newest.clone(),
            },
            SitemapUrl {
                loc: config.url_to(&PageId::People.path()),
                lastmod: None,
            },
            SitemapUrl {
                loc: config.url_to(&PageId::Tags.path()),
                lastmod: None,
            },
        ];
        urls.extend(self.site.stories.iter().map(|story| SitemapUrl {
            loc: config.url_to(&urls::story(&story.slug)),
            lastmod: Some(story.last_changed().rfc3339()),
        }));
        urls.extend(self.site.people.keys().map(|id| SitemapUrl {
            loc: config.url_to(&urls::person(id)),
            lastmod: None,
        }));
        urls.extend(self.by_tag().keys().map(|slug| SitemapUrl {
            loc: config.url_to(&urls::tag(slug)),
            lastmod: None,
        }));
        urls
    }
}

/// One `<url>` of the sitemap.
#[derive(Serialize)]
pub(super) struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}
