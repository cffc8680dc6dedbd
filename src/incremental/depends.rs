//! Which pages a changed story touches. This is the dependency graph that
//! lets `serve --watch` re-render one story's worth of pages instead of the
//! whole site, written out so it can be read and tested:
//!
//! - a story's own page depends only on that story (and the site settings);
//! - the home page, the feed, the sitemap, the JSON export and the people
//!   and tag indexes list every story, so any story change touches them;
//! - a person's page lists what they said in every story, so it depends on
//!   each story that quotes or declares them;
//! - a tag's page lists the stories with that tag.
//!
//! A change affects the pages of the story both before and after it: a story
//! that drops a tag or is renamed changes the page it leaves, too.

use std::collections::BTreeSet;

use crate::model::{Site, Story};
use crate::urls::{PageId, tag_slug};

/// Pages that list every story.
const SITE_WIDE: [PageId; 6] = [
    PageId::Index,
    PageId::Atom,
    PageId::Sitemap,
    PageId::Json,
    PageId::People,
    PageId::Tags,
];

/// Every page that depends on one of `stories` (each as it was and as it is).
pub fn affected<'a>(stories: impl IntoIterator<Item = &'a Story>) -> BTreeSet<PageId> {
    let mut pages: BTreeSet<PageId> = SITE_WIDE.into_iter().collect();
    for story in stories {
        pages.insert(PageId::Story(story.slug.clone()));
        pages.extend(story.people.keys().cloned().map(PageId::Person));
        pages.extend(story.tags.iter().map(|tag| PageId::Tag(tag_slug(tag))));
    }
    pages
}

/// Whether `page` is part of `site` (a page that is not must be removed).
pub fn exists(site: &Site, page: &PageId) -> bool {
    match page {
        PageId::Story(slug) => site.stories.iter().any(|story| &story.slug == slug),
        PageId::Person(id) => site.people.contains_key(id),
        PageId::Tag(slug) => site
            .stories
            .iter()
            // A slug is its own slug: the cheap comparison settles most tags.
            .any(|story| {
                story
                    .tags
                    .iter()
                    .any(|tag| tag == slug || &tag_slug(tag) == slug)
            }),
        _ => true,
    }
}
