//! A listing split into pages: which items page `n` shows, and `paginator`,
//! what its template needs to link the pages (numbers, `rel="prev"/"next"`).

use serde::Serialize;

use crate::config::Config;
use crate::urls::{PageId, page_count};

/// `paginator` in a listing's template context.
#[derive(Debug, Serialize)]
pub struct Paginator {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages the listing has.
    pub total: usize,
    /// Items on a full page (`paginate_by`).
    pub per_page: usize,
    /// How many items the whole listing has.
    pub items: usize,
    /// In-site path of the previous page; none on the first.
    pub prev_url: Option<String>,
    /// In-site path of the next page; none on the last.
    pub next_url: Option<String>,
    /// The pages for a row of numbers: the first, the last, and those
    /// within two of this one (a listing of hundreds of pages stays short).
    pub pages: Vec<PageLink>,
}

/// One page of a listing, in its row of numbers.
#[derive(Debug, Serialize)]
pub struct PageLink {
    /// Its number, from 1.
    pub number: usize,
    /// Its in-site path.
    pub url: String,
    /// Whether it is the page at hand.
    pub current: bool,
    /// Whether pages were skipped between the one before it in the row and it.
    pub gap_before: bool,
}

/// How many pages either side of the current one the row of numbers shows.
const NEAR: usize = 2;

impl Paginator {
    /// Page `number` of the listing whose pages `listing` names, which has
    /// `items` items.
    pub fn new(
        listing: impl Fn(usize) -> PageId,
        number: usize,
        items: usize,
        config: &Config,
    ) -> Paginator {
        let total = page_count(items, config.paginate_by);
        let url = |number: usize| config.path_to(&[&listing(number).path()]);
        Paginator {
            number,
            total,
            per_page: config.paginate_by,
            items,
            prev_url: (number > 1).then(|| url(number - 1)),
            next_url: (number < total).then(|| url(number + 1)),
            pages: (1..=total)
                .filter(|page| *page == 1 || *page == total || page.abs_diff(number) <= NEAR)
                .scan(0, |previous, page| {
                    let gap_before = page > *previous + 1 && *previous > 0;
                    *previous = page;
                    Some(PageLink {
                        number: page,
                        url: url(page),
                        current: page == number,
                        gap_before,
                    })
                })
                .collect(),
        }
    }

    /// The items of this page out of the whole listing (none past its end).
    pub fn slice<'s, T>(&self, items: &'s [T]) -> &'s [T] {
        let start = ((self.number - 1) * self.per_page).min(items.len());
        let end = (start + self.per_page).min(items.len());
        &items[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(paginate_by: usize) -> Config {
        let file = crate::diagnostics::SourceFile::new(
            "site.toml",
            format!(
                "title = \"T\"\nbase_url = \"https://example.org/news/\"\npaginate_by = {paginate_by}\n"
            ),
        );
        Config::parse(&file, None).expect("config")
    }

    #[test]
    fn a_middle_page_links_both_ways_and_shows_numbers_near_it() {
        let paginator = Paginator::new(PageId::Index, 5, 95, &config(10));
        assert_eq!(paginator.total, 10);
        assert_eq!(paginator.prev_url.as_deref(), Some("/news/page/4/"));
        assert_eq!(paginator.next_url.as_deref(), Some("/news/page/6/"));
        let numbers: Vec<(usize, bool)> = paginator
            .pages
            .iter()
            .map(|page| (page.number, page.gap_before))
            .collect();
        assert_eq!(
            numbers,
            [
                (1, false),
                (3, true),
                (4, false),
                (5, false),
                (6, false),
                (7, false),
                (10, true)
            ]
        );
        let items: Vec<usize> = (0..95).collect();
        assert_eq!(paginator.slice(&items), &items[40..50]);
    }

    #[test]
    fn the_first_and_last_pages_link_one_way() {
        let first = Paginator::new(PageId::People, 1, 21, &config(20));
        assert_eq!(
            (first.prev_url, first.next_url.as_deref()),
            (None, Some("/news/people/page/2/"))
        );
        let last = Paginator::new(PageId::People, 2, 21, &config(20));
        assert_eq!(
            (last.prev_url.as_deref(), last.next_url.as_deref()),
            (Some("/news/people/"), None)
        );
        assert_eq!(last.slice(&(0..21).collect::<Vec<_>>()), &[20]);
    }
}
