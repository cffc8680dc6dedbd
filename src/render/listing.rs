//! Which pages a site has, and the site-wide listings' lookups: the tags
//! with their stories, and the sitemap (split in parts past
//! [`SITEMAP_LENGTH`] URLs).

use std::collections::BTreeMap;

use ahash::AHashMap;
use serde::Serialize;

use super::Renderer;
use crate::config::Config;
use crate::model::{Site, Story};
use crate::times::Moment;
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
    let tags = tag_counts(site);
    for (slug, &stories) in &tags {
        pages.extend(
            (1..=page_count(stories, per_page)).map(|number| PageId::Tag(slug.clone(), number)),
        );
    }
    let length = sitemap_length(
        site.stories.len(),
        site.people.len(),
        tags.into_values(),
        per_page,
    );
    pages.extend((1..=sitemap_parts(length)).map(PageId::SitemapPart));
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

/// The most URLs one sitemap file lists. The protocol allows 50,000; at
/// 10,000 a file stays near a megabyte and quick to make. A site with more
/// has `sitemap.xml` as a sitemap index of `sitemap-<n>.xml` files.
pub const SITEMAP_LENGTH: usize = 10_000;

/// How many URLs the sitemap of a site lists: each page of the home page
/// and of the people index (at `per_page`), the tag index, every story and
/// person, and each page of every tag (given by its number of stories).
pub fn sitemap_length(
    stories: usize,
    people: usize,
    tags: impl Iterator<Item = usize>,
    per_page: usize,
) -> usize {
    let tag_pages: usize = tags.map(|stories| page_count(stories, per_page)).sum();
    page_count(stories, per_page) + page_count(people, per_page) + 1 + stories + people + tag_pages
}

/// How many `sitemap-<n>.xml` parts a sitemap of `length` URLs is split
/// into: none when one file holds them all.
pub fn sitemap_parts(length: usize) -> usize {
    if length > SITEMAP_LENGTH {
        length.div_ceil(SITEMAP_LENGTH)
    } else {
        0
    }
}

/// One URL of the sitemap before it is written out: what it needs is
/// borrowed, so the URLs of other parts are counted past for free.
enum Listed<'a> {
    Page(PageId),
    Story(&'a Story),
    Person(&'a str),
    /// A tag's page: its slug and the page's number.
    Tag(&'a str, usize),
}

impl<'a> Renderer<'a> {
    /// The sitemap's URLs in order: the home page, the indexes, every
    /// story, person and tag page.
    fn listed(&self) -> impl Iterator<Item = Listed<'_>> {
        let site = self.site;
        let per_page = site.config.paginate_by;
        let pages = |items: usize, page: fn(usize) -> PageId| {
            (1..=page_count(items, per_page)).map(move |n| Listed::Page(page(n)))
        };
        pages(site.stories.len(), PageId::Index)
            .chain(pages(site.people.len(), PageId::People))
            .chain(std::iter::once(Listed::Page(PageId::Tags)))
            .chain(site.stories.iter().map(|story| Listed::Story(story)))
            .chain(site.people.keys().map(|id| Listed::Person(id)))
            .chain(self.by_tag().iter().flat_map(move |(slug, (_, stories))| {
                (1..=page_count(stories.len(), per_page)).map(move |n| Listed::Tag(slug, n))
            }))
    }

    /// How many URLs the sitemap lists.
    pub(super) fn sitemap_length(&self) -> usize {
        let tags = self.by_tag().values().map(|(_, stories)| stories.len());
        sitemap_length(
            self.site.stories.len(),
            self.site.people.len(),
            tags,
            self.site.config.paginate_by,
        )
    }

    /// The URLs of the sitemap's part `number` (from 1; 0 for all of them),
    /// each story dated by its last change and the home page by the newest
    /// story's.
    pub(super) fn sitemap(&self, number: usize) -> Vec<SitemapUrl> {
        let config = &self.site.config;
        let (skip, take) = match number {
            0 => (0, usize::MAX),
            n => ((n - 1) * SITEMAP_LENGTH, SITEMAP_LENGTH),
        };
        self.listed()
            .skip(skip)
            .take(take)
            .map(|listed| {
                let lastmod = listed.changed(self.site).map(Moment::rfc3339);
                let page = match listed {
                    Listed::Page(page) => page,
                    Listed::Story(story) => PageId::Story(story.slug.clone()),
                    Listed::Person(id) => PageId::Person(id.to_owned()),
                    Listed::Tag(slug, n) => PageId::Tag(slug.to_owned(), n),
                };
                SitemapUrl::at(config, &page, lastmod)
            })
            .collect()
    }

    /// The sitemap index's entries: each part, dated by the latest date of
    /// the URLs it lists (found in one pass over them all).
    pub(super) fn sitemap_index(&self) -> Vec<SitemapUrl> {
        let mut latest: Vec<Option<&Moment>> = Vec::new();
        for (index, listed) in self.listed().enumerate() {
            if index % SITEMAP_LENGTH == 0 {
                latest.push(None);
            }
            let part = latest.last_mut().expect("a part begun above");
            if let Some(changed) = listed.changed(self.site)
                && part.is_none_or(|latest| changed.instant >= latest.instant)
            {
                *part = Some(changed);
            }
        }
        let config = &self.site.config;
        latest
            .into_iter()
            .enumerate()
            .map(|(index, latest)| {
                let part = PageId::SitemapPart(index + 1);
                SitemapUrl::at(config, &part, latest.map(Moment::rfc3339))
            })
            .collect()
    }
}

impl<'a> Listed<'a> {
    /// When what this URL shows last changed, where the sitemap says: a
    /// story's last change, and the newest story's for the home page.
    fn changed(&self, site: &'a Site) -> Option<&'a Moment> {
        match self {
            Listed::Page(PageId::Index(1)) => {
                site.stories.first().map(|story| story.last_changed())
            }
            Listed::Story(story) => Some(story.last_changed()),
            Listed::Page(_) | Listed::Person(_) | Listed::Tag(..) => None,
        }
    }
}

/// One `<url>` of the sitemap, or one `<sitemap>` of its index.
#[derive(Serialize)]
pub(super) struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

impl SitemapUrl {
    fn at(config: &Config, page: &PageId, lastmod: Option<String>) -> Self {
        SitemapUrl {
            loc: config.url_to(&[&page.path()]),
            lastmod,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::diagnostics::SourceFile;
    use crate::model::Story;
    use crate::render::theme::Theme;
    use crate::times::Moment;

    /// A site of `count` stories, one tag, no people.
    fn site(count: usize) -> Site {
        let settings = "title = \"T\"\nbase_url = \"https://example.org/\"\n";
        let config = Config::parse(&SourceFile::new("site.toml", settings), None).expect("config");
        let date = "2020-01-01".parse().expect("TOML date");
        let story = Story {
            file: "content/s.md".into(),
            slug: String::new(),
            title: "S".to_owned(),
            dek: None,
            published: Moment::from_toml(&date, None, false).expect("a date"),
            updated: None,
            byline: Vec::new(),
            tags: vec!["one".into()],
            draft: false,
            people: Default::default(),
            timeline: Vec::new(),
            reactions: Vec::new(),
            extra: serde_json::Value::Null,
            body_html: String::new(),
            summary: String::new(),
            annotated: Vec::new(),
        };
        let stories = (0..count)
            .map(|n| {
                Arc::new(Story {
                    slug: format!("s{n:05}"),
                    ..story.clone()
                })
            })
            .collect();
        Site {
            config,
            stories,
            people: Default::default(),
        }
    }

    /// The `<loc>`s of a sitemap file (or index) as rendered.
    fn locs(renderer: &Renderer, page: PageId) -> Vec<String> {
        let xml = String::from_utf8(renderer.render(&page).expect("rendered")).expect("UTF-8");
        let document = roxmltree::Document::parse(&xml).expect("XML");
        document
            .descendants()
            .filter(|node| node.has_tag_name("loc"))
            .map(|node| node.text().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn a_sitemap_past_its_length_becomes_an_index_of_parts_that_list_every_url_once() {
        let theme = Theme::load(Path::new("/nonexistent")).expect("built-in theme");
        let small = site(100);
        let renderer = Renderer::new(&theme, &small);
        assert!(!site_pages(&small).contains(&PageId::SitemapPart(1)));
        assert_eq!(
            locs(&renderer, PageId::Sitemap).len(),
            renderer.sitemap_length()
        );

        let large = site(SITEMAP_LENGTH);
        let renderer = Renderer::new(&theme, &large);
        let length = renderer.sitemap_length();
        assert!(length > SITEMAP_LENGTH && length < 2 * SITEMAP_LENGTH);
        let pages = site_pages(&large);
        assert!(pages.contains(&PageId::SitemapPart(2)));
        assert!(!pages.contains(&PageId::SitemapPart(3)));
        assert_eq!(
            locs(&renderer, PageId::Sitemap),
            [
                "https://example.org/sitemap-1.xml",
                "https://example.org/sitemap-2.xml"
            ]
        );
        let first = locs(&renderer, PageId::SitemapPart(1));
        let second = locs(&renderer, PageId::SitemapPart(2));
        assert_eq!(first.len(), SITEMAP_LENGTH);
        assert_eq!(first[0], "https://example.org/");
        assert!(second.contains(&"https://example.org/tags/one/".to_owned()));
        let every: BTreeSet<&String> = first.iter().chain(&second).collect();
        assert_eq!(every.len(), length, "each URL in one part only");
        assert!(every.contains(&"https://example.org/s09999/".to_owned()));
    }
}
