//! The site's URL layout, in one place: where each page lives in the output
//! (and so under the base URL), and the anchors that link a story's text,
//! timeline and reactions. Everything that makes a link or a path asks here.

/// The people index and each person's page live under this folder.
pub const PEOPLE: &str = "people/";
/// The tag index and each tag's page live under this folder.
pub const TAGS: &str = "tags/";
/// The Atom feed.
pub const FEED: &str = "atom.xml";
/// The built-in stylesheet.
pub const STYLESHEET: &str = "style.css";
/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// The JSON export.
pub const EXPORT: &str = "stories.json";
/// The page served for a missing path.
pub const NOT_FOUND: &str = "404.html";
/// A story's social card, in its page's folder.
pub const CARD: &str = "card.png";
/// Each story's embeddable graphic lives under this folder.
pub const EMBEDS: &str = "embed/";

/// Top-level folders the site's own pages take, with what takes them: a
/// story's slug must not start with one of these.
pub const RESERVED_SLUGS: [(&str, &str); 5] = [
    ("", "the home page"),
    ("people", "the people index"),
    ("tags", "the tag index"),
    ("page", "the home page's later pages"),
    ("embed", "the stories' embeddable graphics"),
];

/// The folder a listing's later pages live under (`/page/2/`, `/tags/x/page/2/`).
pub const PAGES: &str = "page/";

/// One page (or file) a site has. Listings (the home page, the people index,
/// a tag's page) come in numbered pages, from 1; page 1 is at the listing's
/// own URL, page `n` under `page/<n>/` there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageId {
    /// `/`, `/page/<n>/`.
    Index(usize),
    /// `/<slug>/`.
    Story(String),
    /// `/embed/<slug>/`: the story's graphic and reversals, to show in an
    /// `<iframe>` on another site.
    Embed(String),
    /// `/people/`, `/people/page/<n>/`.
    People(usize),
    /// `/people/<id>/`.
    Person(String),
    /// `/tags/`.
    Tags,
    /// `/tags/<slug>/`, `/tags/<slug>/page/<n>/`.
    Tag(String, usize),
    /// `/atom.xml`.
    Atom,
    /// `/sitemap.xml`: the sitemap, or where a site has more URLs than one
    /// sitemap lists, the sitemap index.
    Sitemap,
    /// `/sitemap-<n>.xml`: part `n` (from 1) of a sitemap too long for one
    /// file.
    SitemapPart(usize),
    /// `/404.html`.
    NotFound,
    /// `/stories.json`.
    Json,
}

impl PageId {
    /// Whether the page lists stories by their cards.
    pub fn lists_stories(&self) -> bool {
        matches!(
            self,
            PageId::Index(_) | PageId::Person(_) | PageId::Tag(..) | PageId::Atom
        )
    }

    /// The pages a story has of its own, made from it and the settings
    /// alone: its page and its embed.
    pub fn of_story(slug: &str) -> [PageId; 2] {
        [
            PageId::Story(slug.to_owned()),
            PageId::Embed(slug.to_owned()),
        ]
    }

    /// Whether the page is one of a story's own ([`PageId::of_story`]).
    pub fn is_story_own(&self) -> bool {
        matches!(self, PageId::Story(_) | PageId::Embed(_))
    }

    /// The page's path under the site root (`people/x/`), to join after the
    /// base URL or its path; empty for the home page.
    pub fn path(&self) -> String {
        match self {
            PageId::Index(number) => paged(String::new(), *number),
            PageId::Story(slug) => story(slug).concat(),
            PageId::Embed(slug) => embed(slug).concat(),
            PageId::People(number) => paged(PEOPLE.to_owned(), *number),
            PageId::Person(id) => person(id).concat(),
            PageId::Tags => TAGS.to_owned(),
            PageId::Tag(slug, number) => paged(tag(slug).concat(), *number),
            PageId::Atom => FEED.to_owned(),
            PageId::Sitemap => SITEMAP.to_owned(),
            PageId::SitemapPart(number) => format!("sitemap-{number}.xml"),
            PageId::NotFound => NOT_FOUND.to_owned(),
            PageId::Json => EXPORT.to_owned(),
        }
    }

    /// Where the page is written, relative to the output root: its path,
    /// with `index.html` for a folder.
    pub fn output_path(&self) -> String {
        let mut path = self.path();
        if path.is_empty() || path.ends_with('/') {
            path.push_str("index.html");
        }
        path
    }
}

/// How many pages a listing of `items` items makes at `per_page` a page (at
/// least one: an empty listing still has its first page).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The path of page `number` of the listing at `first` (page 1).
fn paged(mut first: String, number: usize) -> String {
    if number > 1 {
        first.push_str(PAGES);
        first.push_str(&number.to_string());
        first.push('/');
    }
    first
}

/// A story page's path parts (see [`PageId::path`]).
pub fn story(slug: &str) -> [&str; 2] {
    [slug, "/"]
}

/// A story's social card's path parts (a file, not a page: no PageId).
pub fn card(slug: &str) -> [&str; 3] {
    [slug, "/", CARD]
}

/// A story's embed page's path parts.
pub fn embed(slug: &str) -> [&str; 3] {
    [EMBEDS, slug, "/"]
}

/// A person page's path parts.
pub fn person(id: &str) -> [&str; 3] {
    [PEOPLE, id, "/"]
}

/// A tag page's path parts (`slug` from [`tag_slug`]).
pub fn tag(slug: &str) -> [&str; 3] {
    [TAGS, slug, "/"]
}

/// A tag's URL slug: `Election security` → `election-security`.
pub fn tag_slug(tag: &str) -> String {
    match slug::slugify(tag) {
        slug if slug.is_empty() => "tag".to_owned(),
        slug => slug,
    }
}

/// The anchor of a timeline entry on its story page.
pub fn entry_anchor(id: &str) -> String {
    ["entry-", id].concat()
}

/// The anchor of a reaction on its story page.
pub fn reaction_anchor(id: &str) -> String {
    ["reaction-", id].concat()
}

/// The anchor of the `count`th annotation (from 1) of the entry or reaction
/// `id` in a story's text.
pub fn annotation_anchor(id: &str, count: usize) -> String {
    if count == 1 {
        ["ann-", id].concat()
    } else {
        format!("ann-{id}-{count}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_folders_with_an_index_and_files_at_the_root() {
        assert_eq!(PageId::Index(1).output_path(), "index.html");
        assert_eq!(PageId::Index(2).output_path(), "page/2/index.html");
        assert_eq!(
            PageId::Tag("x".into(), 3).output_path(),
            "tags/x/page/3/index.html"
        );
        assert_eq!(PageId::Story("a/b".into()).output_path(), "a/b/index.html");
        assert_eq!(
            PageId::Embed("a/b".into()).output_path(),
            "embed/a/b/index.html"
        );
        assert_eq!(
            PageId::Person("x".into()).output_path(),
            "people/x/index.html"
        );
        assert_eq!(PageId::Tags.output_path(), "tags/index.html");
        assert_eq!(PageId::Json.output_path(), "stories.json");
    }
}
