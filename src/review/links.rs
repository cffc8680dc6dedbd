//! Every link and fragment in the pages a build would write, followed in
//! memory: each `href` and `src` written without a scheme (`/people/x/`,
//! `../`, `#entry-x`) must name a page or file the build makes, and each
//! `#fragment` an `id` on that page. Links with a scheme are the web's,
//! for `--external`. A broken
//! link is reported where it was written: in the story's Markdown when the
//! link is found there, otherwise on the built page (a template made it).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use html5gum::emitters::default::DefaultEmitter;
use html5gum::{Token, Tokenizer};
use percent_encoding::percent_decode_str;
use url::Url;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::model::Site;
use crate::urls::PageId;

/// What following the links found.
#[derive(Debug, Default)]
pub(crate) struct Followed {
    /// HTML pages read.
    pub pages: usize,
    /// Links that stay on the site, followed.
    pub links: usize,
    /// Each broken link, once per place it is written.
    pub problems: Vec<Diagnostic>,
}

/// One HTML page's anchors and links.
struct Page {
    ids: HashSet<String>,
    links: Vec<(String, Range<usize>)>,
}

impl Page {
    fn read(html: &str) -> Page {
        let mut page = Page {
            ids: HashSet::new(),
            links: Vec::new(),
        };
        let tokens = Tokenizer::new_with_emitter(html, DefaultEmitter::<usize>::new_with_span());
        for token in tokens.flatten() {
            let Token::StartTag(tag) = token else {
                continue;
            };
            for (name, value) in &tag.attributes {
                let text = String::from_utf8_lossy(&value.value).into_owned();
                match &name[..] {
                    b"id" => {
                        page.ids.insert(text);
                    }
                    b"name" if &tag.name[..] == b"a" => {
                        page.ids.insert(text);
                    }
                    b"href" | b"src" => page.links.push((text, value.span.start..value.span.end)),
                    _ => {}
                }
            }
        }
        page
    }
}

/// Follows every link of `pages` (output path → bytes, as a build would
/// write them) of `site`; `stories` are the story files, for locations.
pub(crate) fn check(
    pages: &[(String, Vec<u8>)],
    site: &Site,
    stories: &[Arc<SourceFile>],
) -> Followed {
    let mut followed = Followed::default();
    let Ok(base) = Url::parse(&site.config.base_url) else {
        return followed;
    };
    let files: HashSet<&str> = pages.iter().map(|(path, _)| path.as_str()).collect();
    let html: BTreeMap<&str, (&str, Page)> = pages
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .filter_map(|(path, bytes)| {
            let text = std::str::from_utf8(bytes).ok()?;
            Some((path.as_str(), (text, Page::read(text))))
        })
        .collect();
    followed.pages = html.len();
    let sources: HashMap<&str, &PathBuf> = site
        .stories
        .iter()
        .map(|story| (story.slug.as_str(), &story.file))
        .collect();
    // Each broken link (where the story writes it, or what a template
    // makes) → its diagnostic and how many pages show it.
    let mut broken: BTreeMap<(String, usize), (Diagnostic, usize)> = BTreeMap::new();
    for (path, (text, page)) in &html {
        let here = page_url(&base, path);
        for (link, span) in &page.links {
            let Some(problem) = follow(&base, &here, link, &files, &html, &mut followed.links)
            else {
                continue;
            };
            let story = story_of(path, &sources)
                .and_then(|file| stories.iter().find(|source| &source.path == file));
            let (key, diagnostic) = match story.and_then(|file| written_at(file, link)) {
                Some((file, at)) => (
                    (file.path.display().to_string(), at.start),
                    Diagnostic::new(&file, at, problem),
                ),
                None => (
                    (problem.clone(), 0),
                    Diagnostic::new(
                        &SourceFile::new(format!("(built page) {path}"), *text),
                        span.clone(),
                        problem,
                    )
                    .with_help("a template makes this link: look for it under templates/"),
                ),
            };
            broken.entry(key).or_insert((diagnostic, 0)).1 += 1;
        }
    }
    followed.problems = broken
        .into_values()
        .map(|(mut diagnostic, count)| {
            if count > 1 {
                diagnostic.message = format!("{} (on {count} pages)", diagnostic.message).into();
            }
            diagnostic
        })
        .collect();
    followed
}

/// Where the page at output `path` is served.
fn page_url(base: &Url, path: &str) -> Url {
    let folder = path.strip_suffix("index.html").unwrap_or(path);
    base.join(folder).unwrap_or_else(|_| base.clone())
}

/// What is wrong with `link` on the page at `here`, if it stays on the site.
fn follow(
    base: &Url,
    here: &Url,
    link: &str,
    files: &HashSet<&str>,
    html: &BTreeMap<&str, (&str, Page)>,
    followed: &mut usize,
) -> Option<String> {
    // A link written with its scheme is the web's, even to this site's
    // host: the site may share it with pages backtrack does not make.
    if Url::parse(link).is_ok() {
        return None;
    }
    let target = here.join(link).ok()?;
    if !matches!(target.scheme(), "http" | "https")
        || target.host() != base.host()
        || target.port() != base.port()
    {
        return None;
    }
    *followed += 1;
    let Some(under) = target.path().strip_prefix(base.path()) else {
        return Some(format!(
            "`{link}` leads outside the site ({} is not under {})",
            target.path(),
            base.path()
        ));
    };
    let under = percent_decode_str(under).decode_utf8_lossy();
    let file = if under.is_empty() || under.ends_with('/') {
        format!("{under}index.html")
    } else if files.contains(under.as_ref()) {
        under.into_owned()
    } else {
        format!("{under}/index.html")
    };
    if !files.contains(file.as_str()) {
        return Some(format!("`{link}` leads to no page of this site"));
    }
    let fragment = target.fragment().filter(|fragment| !fragment.is_empty())?;
    let fragment = percent_decode_str(fragment).decode_utf8_lossy();
    let (_, page) = html.get(file.as_str())?;
    (!page.ids.contains(fragment.as_ref()))
        .then(|| format!("`{link}`: the page {} has no `#{fragment}`", target.path()))
}

/// The story file whose page is at output `path`.
fn story_of<'a>(path: &str, sources: &HashMap<&str, &'a PathBuf>) -> Option<&'a PathBuf> {
    let slug = path.strip_suffix("/index.html")?;
    let file = sources.get(slug)?;
    (PageId::Story(slug.to_owned()).output_path() == path).then_some(*file)
}

/// Where `link` is written in the story's text: as a Markdown destination
/// (`](link`) or, failing that, anywhere.
fn written_at(file: &Arc<SourceFile>, link: &str) -> Option<(Arc<SourceFile>, Range<usize>)> {
    let text = &file.text();
    let at = text
        .find(&format!("]({link}"))
        .map(|at| at + 2)
        .or_else(|| text.find(link))?;
    Some((Arc::clone(file), at..at + link.len()))
}
