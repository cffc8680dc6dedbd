//! Which pages a changed story touches. This is the dependency graph that
//! lets `serve --watch` re-render one story's worth of pages instead of the
//! whole site, written out so it can be read and tested:
//!
//! - a story's own page and its embed depend only on that story (and the
//!   site settings);
//! - the home page (each of its pages), the feed, the sitemap, the JSON
//!   export and the tag index list every story, so any story change
//!   touches them;
//! - the people index counts what each person said, so a story touches the
//!   index's pages that list its people;
//! - a person's page lists what they said in every story, so it depends on
//!   each story that quotes or declares them;
//! - a tag's pages list the stories with that tag.
//!
//! A change affects the pages of the story both before and after it: a story
//! that drops a tag or is renamed changes the page it leaves, too. When a
//! change leaves every item of a paged listing (the home page's and a tag's
//! stories, the people index's people) in its place, only the listing's
//! pages that show the changed stories (or their people) are redone.
//! The questions are asked of [`Listings`], made once per site and rebuild,
//! so each costs a lookup rather than a pass over the archive.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Site, Story};
use crate::render::{people_in_order, sitemap_length, sitemap_parts, tags_of};
use crate::urls::{PageId, page_count, tag_slug};

/// Pages that list every story, but for the paged listings (the home page,
/// the people index and the tags, whose pages are found from the site).
const SITE_WIDE: [PageId; 4] = [PageId::Tags, PageId::Atom, PageId::Sitemap, PageId::Json];

/// One site with the order of its listings: the slugs of its stories as
/// the home page lists them and as each tag's pages list them, and the ids
/// of its people as the people index lists them.
pub struct Listings<'a> {
    site: &'a Site,
    home: Vec<&'a str>,
    tags: BTreeMap<String, Vec<&'a str>>,
    people: Vec<&'a str>,
}

impl<'a> Listings<'a> {
    /// The listings of `site`, in the order its pages show them.
    pub fn of(site: &'a Site) -> Listings<'a> {
        let slugs =
            |stories: Vec<&'a Story>| stories.iter().map(|story| story.slug.as_str()).collect();
        Listings {
            site,
            home: site
                .stories
                .iter()
                .map(|story| story.slug.as_str())
                .collect(),
            tags: tags_of(site)
                .into_iter()
                .map(|(slug, (_, stories))| (slug, slugs(stories)))
                .collect(),
            people: people_in_order(site)
                .into_iter()
                .map(|person| person.id.as_str())
                .collect(),
        }
    }

    fn per_page(&self) -> usize {
        self.site.config.paginate_by
    }

    /// How many parts the site's sitemap is split into (none for one file).
    fn sitemap_parts(&self) -> usize {
        let tags = self.tags.values().map(Vec::len);
        sitemap_parts(sitemap_length(
            self.home.len(),
            self.people.len(),
            tags,
            self.per_page(),
        ))
    }

    fn tag(&self, slug: &str) -> &[&'a str] {
        self.tags.get(slug).map_or(&[], Vec::as_slice)
    }

    /// Whether `page` is part of the site (a page that is not must be removed).
    pub fn exists(&self, page: &PageId) -> bool {
        let site = self.site;
        let per_page = self.per_page();
        match page {
            PageId::Index(number) => *number <= page_count(site.stories.len(), per_page),
            PageId::People(number) => *number <= page_count(site.people.len(), per_page),
            PageId::Story(slug) | PageId::Embed(slug) => {
                site.stories.iter().any(|story| &story.slug == slug)
            }
            PageId::Person(id) => site.people.contains_key(id),
            PageId::Tag(slug, number) => match self.tag(slug).len() {
                0 => false,
                size => *number <= page_count(size, per_page),
            },
            _ => true,
        }
    }
}

/// Every page that depends on one of `stories` (each as it was and as it
/// is), in either of `sites` (the site before the change and after it): a
/// listing's pages are those of both, since a story added or removed moves
/// every card after it and may add or drop a page.
pub fn affected<'a>(
    stories: impl IntoIterator<Item = &'a Story>,
    sites: &[Listings],
) -> BTreeSet<PageId> {
    let stories: Vec<&Story> = stories.into_iter().collect();
    let slugs: Vec<&str> = stories.iter().map(|story| story.slug.as_str()).collect();
    let mut pages: BTreeSet<PageId> = SITE_WIDE.into_iter().collect();
    let sitemap_parts = sites.iter().map(Listings::sitemap_parts).max();
    pages.extend((1..=sitemap_parts.unwrap_or(0)).map(PageId::SitemapPart));
    let all_pages = |listed: &dyn Fn(&Listings) -> usize| {
        let most = sites
            .iter()
            .map(|site| page_count(listed(site), site.per_page()));
        1..=most.max().unwrap_or(1)
    };
    let home = |site: &Listings| site.home.len();
    match pages_holding(&slugs, sites, |site| &site.home) {
        Some(holding) => pages.extend(holding.into_iter().map(PageId::Index)),
        None => pages.extend(all_pages(&home).map(PageId::Index)),
    }
    let ids: BTreeSet<&str> = stories
        .iter()
        .flat_map(|story| story.people.keys().map(String::as_str))
        .collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    let people = |site: &Listings| site.people.len();
    match pages_holding(&ids, sites, |site| &site.people) {
        Some(holding) => pages.extend(holding.into_iter().map(PageId::People)),
        None => pages.extend(all_pages(&people).map(PageId::People)),
    }
    let mut tags = BTreeSet::new();
    for story in &stories {
        pages.extend(PageId::of_story(&story.slug));
        pages.extend(story.people.keys().cloned().map(PageId::Person));
        tags.extend(story.tags.iter().map(|tag| tag_slug(tag)));
    }
    for slug in tags {
        let numbers: Vec<usize> = match pages_holding(&slugs, sites, |site| site.tag(&slug)) {
            Some(holding) => holding.into_iter().collect(),
            None => all_pages(&|site| site.tag(&slug).len()).collect(),
        };
        pages.extend(
            numbers
                .into_iter()
                .map(|number| PageId::Tag(slug.clone(), number)),
        );
    }
    pages
}

/// The pages of one paged listing that show `items` (story slugs or person
/// ids), when the change left every item of it in its place (the same
/// number of items, each of `items` at the same position, before and
/// after): then no other page of the listing changed. `None` when items
/// moved or one joined or left it.
fn pages_holding<'s>(
    items: &[&str],
    sites: &'s [Listings],
    listing: impl Fn(&'s Listings) -> &'s [&'s str],
) -> Option<BTreeSet<usize>> {
    let [before, after] = sites else {
        return None;
    };
    let (listed_before, listed_after) = (listing(before), listing(after));
    if listed_before.len() != listed_after.len() || before.per_page() != after.per_page() {
        return None;
    }
    let mut holding = BTreeSet::new();
    for item in items {
        let place = |listed: &[&str]| listed.iter().position(|listed| listed == item);
        match (place(listed_before), place(listed_after)) {
            (Some(was), Some(is)) if was == is => {
                holding.insert(is / after.per_page() + 1);
            }
            (None, None) => {}
            _ => return None,
        }
    }
    Some(holding)
}
