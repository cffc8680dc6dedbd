//! Which pages a changed story touches. This is the dependency graph that
//! lets `serve --watch` re-render one story's worth of pages instead of the
//! whole site, written out so it can be read and tested:
//!
//! - a story's own page and its embed depend only on that story (and the
//!   site settings);
//! - the home page (each of its pages), the feed, the sitemap, the JSON
//!   export and the people and tag indexes list every story, so any story
//!   change touches them;
//! - a person's page lists what they said in every story, so it depends on
//!   each story that quotes or declares them;
//! - a tag's pages list the stories with that tag.
//!
//! A change affects the pages of the story both before and after it: a story
//! that drops a tag or is renamed changes the page it leaves, too.

use std::collections::BTreeSet;

use crate::model::{Site, Story};
use crate::urls::{PageId, page_count, tag_slug};

/// Pages that list every story, but for the paged listings (the home page
/// and the people index, all of whose pages are listed from the site).
const SITE_WIDE: [PageId; 4] = [PageId::Tags, PageId::Atom, PageId::Sitemap, PageId::Json];

/// Every page that depends on one of `stories` (each as it was and as it
/// is), in either of `sites` (the site before the change and after it): a
/// listing's pages are those of both, since a story added or removed moves
/// every card after it and may add or drop a page.
pub fn affected<'a>(
    stories: impl IntoIterator<Item = &'a Story>,
    sites: &[&Site],
) -> BTreeSet<PageId> {
    let stories: Vec<&Story> = stories.into_iter().collect();
    let mut pages: BTreeSet<PageId> = SITE_WIDE.into_iter().collect();
    let pages_of = |count: fn(&Site) -> usize| {
        let most = sites
            .iter()
            .map(|site| page_count(count(site), site.config.paginate_by));
        1..=most.max().unwrap_or(1)
    };
    match home_pages_holding(&stories, sites) {
        Some(holding) => pages.extend(holding.into_iter().map(PageId::Index)),
        None => pages.extend(pages_of(|site| site.stories.len()).map(PageId::Index)),
    }
    pages.extend(pages_of(|site| site.people.len()).map(PageId::People));
    let mut tags = BTreeSet::new();
    for story in stories {
        pages.extend(PageId::of_story(&story.slug));
        pages.extend(story.people.keys().cloned().map(PageId::Person));
        tags.extend(story.tags.iter().map(|tag| tag_slug(tag)));
    }
    for slug in tags {
        let most = sites
            .iter()
            .map(|site| page_count(tag_size(site, &slug), site.config.paginate_by))
            .max()
            .unwrap_or(1);
        pages.extend((1..=most).map(|number| PageId::Tag(slug.clone(), number)));
    }
    pages
}

/// The home pages that show `stories`, when the change left every story in
/// its place (the same stories, in the same order, on both `sites`): then
/// no other home page changed. `None` when cards moved.
fn home_pages_holding(stories: &[&Story], sites: &[&Site]) -> Option<BTreeSet<usize>> {
    let [before, after] = sites else {
        return None;
    };
    let same_places = before.stories.len() == after.stories.len()
        && before.config.paginate_by == after.config.paginate_by;
    let mut holding = BTreeSet::new();
    for story in stories {
        let place = |site: &Site| {
            site.stories
                .iter()
                .position(|other| other.slug == story.slug)
        };
        match (place(before), place(after)) {
            (Some(was), Some(is)) if same_places && was == is => {
                holding.insert(is / after.config.paginate_by + 1);
            }
            _ => return None,
        }
    }
    Some(holding)
}

/// Whether `page` is part of `site` (a page that is not must be removed).
pub fn exists(site: &Site, page: &PageId) -> bool {
    let per_page = site.config.paginate_by;
    match page {
        PageId::Index(number) => *number <= page_count(site.stories.len(), per_page),
        PageId::People(number) => *number <= page_count(site.people.len(), per_page),
        PageId::Story(slug) | PageId::Embed(slug) => {
            site.stories.iter().any(|story| &story.slug == slug)
        }
        PageId::Person(id) => site.people.contains_key(id),
        PageId::Tag(slug, number) => match tag_size(site, slug) {
            0 => false,
            size => *number <= page_count(size, per_page),
        },
        _ => true,
    }
}

/// How many stories of `site` have a tag with this slug.
fn tag_size(site: &Site, slug: &str) -> usize {
    site.stories
        .iter()
        // A slug is its own slug: the cheap comparison settles most tags.
        .filter(|story| {
            story
                .tags
                .iter()
                .any(|tag| tag == slug || tag_slug(tag) == slug)
        })
        .count()
}
