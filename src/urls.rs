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

/// Top-level folders the site's own pages take, with what takes them: a
/// story's slug must not be one of these.
pub const RESERVED_SLUGS: [(&str, &str); 3] = [
    ("", "the home page"),
    ("people", "the people index"),
    ("tags", "the tag index"),
];

/// One page (or file) a site has.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageId {
    /// `/`.
    Index,
    /// `/<slug>/`.
    Story(String),
    /// `/people/`.
    People,
    /// `/people/<id>/`.
    Person(String),
    /// `/tags/`.
    Tags,
    /// `/tags/<slug>/`.
    Tag(String),
    /// `/atom.xml`.
    Atom,
    /// `/sitemap.xml`.
    Sitemap,
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
            PageId::Index | PageId::Person(_) | PageId::Tag(_) | PageId::Atom
        )
    }

    /// The page's path under the site root, as parts to join after the base
    /// URL or its path: `["people/", id, "/"]`; empty for the home page.
    pub fn path(&self) -> Vec<&str> {
        match self {
            PageId::Index => vec![],
            PageId::Story(slug) => vec![slug, "/"],
            PageId::People => vec![PEOPLE],
            PageId::Person(id) => vec![PEOPLE, id, "/"],
            PageId::Tags => vec![TAGS],
            PageId::Tag(slug) => vec![TAGS, slug, "/"],
            PageId::Atom => vec![FEED],
            PageId::Sitemap => vec![SITEMAP],
            PageId::NotFound => vec![NOT_FOUND],
            PageId::Json => vec![EXPORT],
        }
    }

    /// Where the page is written, relative to the output root: its path,
    /// with `index.html` for a folder.
    pub fn output_path(&self) -> String {
        let mut path = self.path().concat();
        if path.is_empty() || path.ends_with('/') {
            path.push_str("index.html");
        }
        path
    }
}

/// A story page's path parts (see [`PageId::path`]).
pub fn story(slug: &str) -> [&str; 2] {
    [slug, "/"]
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
        assert_eq!(PageId::Index.output_path(), "index.html");
        assert_eq!(PageId::Story("a/b".into()).output_path(), "a/b/index.html");
        assert_eq!(
            PageId::Person("x".into()).output_path(),
            "people/x/index.html"
        );
        assert_eq!(PageId::Tags.output_path(), "tags/index.html");
        assert_eq!(PageId::Json.output_path(), "stories.json");
    }
}
