//! `site.toml` → [`Config`]. Unknown keys are errors (a typo must not pass
//! silently) except under `[extra]`, which is handed to templates untouched.

use std::sync::Arc;

use jiff::tz::TimeZone;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use url::Url;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::load::front_matter::toml_error;

/// Site-wide settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site name.
    pub title: String,
    /// Absolute URL the site is deployed at, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/news/`): every in-site link starts with it.
    pub base_path: String,
    /// One-line description for the home page, feeds and meta tags.
    pub description: Option<String>,
    /// BCP 47 language tag (default "en").
    pub language: String,
    /// The zone times are shown in and local times are read in, if set.
    pub timezone: Option<TimeZone>,
    /// The `timezone` name as written.
    pub timezone_name: Option<String>,
    /// Whether raw HTML in story bodies is passed through (default: escaped).
    pub unsafe_html: bool,
    /// How many items a page of a listing (home, tag, people index) shows.
    pub paginate_by: usize,
    /// Whether each story gets a social card (`<slug>/card.png`) and the
    /// meta tags that show it in link previews (default: yes).
    pub social_cards: bool,
    /// Free-form `[extra]`.
    pub extra: serde_json::Value,
}

/// Items per listing page when `site.toml` does not say: a home page of 20
/// cards stays small at any archive size.
pub const DEFAULT_PAGINATE_BY: usize = 20;

/// `site.toml` as written. Its doc comments are the descriptions
/// `backtrack schema site` gives editors.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "backtrack site.toml",
    description = "The site's settings: `title` and `base_url` are required."
)]
pub(crate) struct RawConfig {
    /// The site's name.
    title: String,
    /// The absolute URL the site is deployed at, subpath included
    /// ("https://example.org/news/").
    #[schemars(with = "String")]
    base_url: Spanned<String>,
    /// One line for the home page, the feed and meta tags.
    description: Option<String>,
    /// A BCP 47 language tag (default "en").
    language: Option<String>,
    /// An IANA time zone ("America/New_York"): times are shown in it, and local times read in it.
    #[schemars(with = "Option<String>")]
    timezone: Option<Spanned<String>>,
    /// Pass raw HTML in story bodies through instead of escaping it.
    #[serde(default)]
    unsafe_html: bool,
    /// How many items a page of a listing (home, tag, people index) shows (default 20).
    #[schemars(with = "Option<i64>")]
    paginate_by: Option<Spanned<i64>>,
    /// Draw a social card for each story (`<slug>/card.png`, shown in link previews through `og:image`); `false` leaves out the cards and their meta tags (default true).
    social_cards: Option<bool>,
    /// Free-form data handed to templates as `site.extra`.
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    extra: Option<toml::Table>,
}

impl Config {
    /// Parses `site.toml`'s text; `base_url_override` is `--base-url`.
    pub fn parse(
        file: &Arc<SourceFile>,
        base_url_override: Option<&str>,
    ) -> Result<Config, Diagnostics> {
        let raw: RawConfig =
            toml::from_str(file.text()).map_err(|error| toml_error(file, 0, &error))?;
        let mut problems = Vec::new();
        let base_url = base_url_override.unwrap_or(raw.base_url.get_ref());
        let base_url = match normalize_base_url(base_url) {
            Ok(url) => Some(url),
            Err(message) => {
                problems.push(
                    Diagnostic::new(file, raw.base_url.span(), message).with_help(
                        "write it in full, e.g. base_url = \"https://example.org/news/\"",
                    ),
                );
                None
            }
        };
        let timezone = raw.timezone.as_ref().and_then(|name| {
            let zone = crate::times::time_zone(name.get_ref());
            if zone.is_none() {
                problems.push(
                    Diagnostic::new(
                        file,
                        name.span(),
                        format!("unknown time zone `{}`", name.get_ref()),
                    )
                    .with_help(
                        "use an IANA name such as \"America/New_York\" or \"Europe/Berlin\"",
                    ),
                );
            }
            zone
        });
        let paginate_by = match &raw.paginate_by {
            None => DEFAULT_PAGINATE_BY,
            Some(count) => usize::try_from(*count.get_ref())
                .ok()
                .filter(|count| *count > 0)
                .unwrap_or_else(|| {
                    problems.push(
                        Diagnostic::new(file, count.span(), "`paginate_by` is how many items a listing page shows")
                            .with_help(format!("write a whole number of at least 1 (the default is {DEFAULT_PAGINATE_BY})")),
                    );
                    DEFAULT_PAGINATE_BY
                }),
        };
        let Some(base_url) = base_url.filter(|_| problems.is_empty()) else {
            return Err(Diagnostics(problems));
        };
        Ok(Config {
            title: raw.title,
            base_path: base_url.path().to_owned(),
            base_url: base_url.into(),
            description: raw.description,
            language: raw.language.unwrap_or_else(|| "en".to_owned()),
            timezone,
            timezone_name: raw.timezone.map(Spanned::into_inner),
            unsafe_html: raw.unsafe_html,
            paginate_by,
            social_cards: raw.social_cards.unwrap_or(true),
            extra: serde_json::to_value(raw.extra.unwrap_or_default())
                .unwrap_or(serde_json::Value::Null),
        })
    }

    /// The in-site path for a page path given in parts, such as
    /// `["people/", id, "/"]` (no leading slash).
    pub fn path_to(&self, page: &[&str]) -> String {
        joined(&self.base_path, page)
    }

    /// The absolute URL for a page path given in parts, such as
    /// `["people/", id, "/"]`.
    pub fn url_to(&self, page: &[&str]) -> String {
        joined(&self.base_url, page)
    }
}

/// `base` followed by `parts`: pages make thousands of links, and joining
/// strings is several times quicker than `format!`.
fn joined(base: &str, parts: &[&str]) -> String {
    let length = base.len() + parts.iter().map(|part| part.len()).sum::<usize>();
    let mut out = String::with_capacity(length);
    out.push_str(base);
    for part in parts {
        out.push_str(part);
    }
    out
}

/// The absolute http(s) URL of the site's root, with the trailing `/` that
/// makes its path a folder.
fn normalize_base_url(text: &str) -> Result<Url, String> {
    let mut url = Url::parse(text)
        .map_err(|error| format!("base_url `{text}` is not an absolute URL: {error}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("base_url `{text}` is not an http(s) URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("base_url `{text}` has a query or a fragment"));
    }
    if !url.path().ends_with('/') {
        let folder = format!("{}/", url.path());
        url.set_path(&folder);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        Config::parse(&SourceFile::new("site.toml", text), None)
    }

    #[test]
    fn base_url_subpath_becomes_the_link_prefix() {
        let config = parse("title = \"T\"\nbase_url = \"https://example.org/news\"\n")
            .expect("valid config");
        assert_eq!(config.base_url, "https://example.org/news/");
        assert_eq!(
            config.path_to(&["people/", "rubio", "/"]),
            "/news/people/rubio/"
        );
    }

    #[test]
    fn base_urls_are_read_as_urls() {
        let base = |url: &str| {
            parse(&format!("title = \"T\"\nbase_url = \"{url}\"\n"))
                .map(|config| (config.base_url, config.base_path))
                .map_err(|error| error.render(false))
        };
        assert_eq!(
            base("https://Example.org"),
            Ok(("https://example.org/".into(), "/".into()))
        );
        assert_eq!(
            base("http://example.org:8080/a/b"),
            Ok(("http://example.org:8080/a/b/".into(), "/a/b/".into()))
        );
        for refused in [
            "ftp://example.org/",
            "https://example.org/?page=2",
            "example.org/news/",
        ] {
            assert!(base(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn unknown_keys_name_the_key_and_line() {
        let error = parse("title = \"T\"\nbase_url = \"https://e.org/\"\ntimezon = \"UTC\"\n")
            .expect_err("typo");
        let text = error.render(false);
        assert!(text.contains("timezon"), "{text}");
        assert!(text.contains("site.toml:3:1"), "{text}");
    }

    #[test]
    fn relative_base_urls_and_unknown_zones_are_refused_together() {
        let error = parse("title = \"T\"\nbase_url = \"/news/\"\ntimezone = \"Mars/Olympus\"\n")
            .expect_err("two problems");
        assert_eq!(error.len(), 2);
    }
}
