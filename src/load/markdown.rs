//! A story body → HTML, in one pass over pulldown-cmark's events. The same
//! pass resolves `[text](@id)` annotations into links to timeline entries or
//! reactions (reporting unknown ids with their line and column), gives
//! headings anchors, escapes raw HTML unless the site opts in, and neutralises
//! `javascript:`, `vbscript:` and `data:` link targets.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

mod footnotes;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::urls;

/// What an `@id` can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A `[[timeline]]` entry: anchor `#entry-<id>`.
    Entry,
    /// A `[[reactions]]` entry: anchor `#reaction-<id>`.
    Reaction,
}

impl Target {
    /// The page anchor of the entry or reaction with this id.
    pub fn anchor(self, id: &str) -> String {
        match self {
            Target::Entry => urls::entry_anchor(id),
            Target::Reaction => urls::reaction_anchor(id),
        }
    }
}

/// A rendered body.
#[derive(Debug, Default)]
pub struct Body {
    /// The HTML.
    pub html: String,
    /// The first paragraph as plain text, cut to about 300 characters.
    pub summary: String,
    /// The ids of the entries and reactions the text annotates, sorted.
    pub annotated: Vec<String>,
    /// Unknown `@id`s.
    pub problems: Vec<Diagnostic>,
}

const SUMMARY_CHARS: usize = 300;

/// Renders `text` (which starts at byte `offset` of `file`) to HTML.
pub fn render(
    text: &str,
    offset: usize,
    file: &Arc<SourceFile>,
    ids: &HashMap<String, Target>,
    unsafe_html: bool,
) -> Body {
    let mut body = Body::default();
    let mut pass = Pass {
        file,
        ids,
        unsafe_html,
        in_annotation: false,
        empty_annotation: None,
        annotation_counts: HashMap::new(),
        heading_ids: HashMap::new(),
        heading: None,
        summary_done: false,
    };
    // About one event per 16 bytes of Markdown: growing the list would copy it.
    let mut events = Vec::with_capacity(text.len() / 16);
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let span = range.start + offset..range.end + offset;
        pass.collect_summary(&event, &mut body.summary);
        match pass.transform(event, &span, text, offset, &mut body) {
            Transformed::Emit(event) => events.push(event),
            Transformed::Held => {}
            Transformed::Heading(held) => events.extend(held),
        }
    }
    // Bodies are kept until every page is rendered: size them to fit.
    body.html.reserve(text.len() + text.len() / 4);
    pulldown_cmark::html::push_html(&mut body.html, footnotes::gather(events).into_iter());
    body.html.shrink_to_fit();
    body.summary = cut(body.summary.trim(), SUMMARY_CHARS);
    body.annotated = pass.annotation_counts.into_keys().collect();
    body.annotated.sort_unstable();
    body
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
}

enum Transformed<'a> {
    Emit(Event<'a>),
    Held,
    Heading(Vec<Event<'a>>),
}

struct Pass<'i, 'a> {
    file: &'i Arc<SourceFile>,
    ids: &'i HashMap<String, Target>,
    unsafe_html: bool,
    in_annotation: bool,
    /// Where the open annotation starts, until text inside it is seen.
    empty_annotation: Option<Range<usize>>,
    annotation_counts: HashMap<String, usize>,
    heading_ids: HashMap<String, usize>,
    /// Events of the heading being read, held until its text gives its anchor.
    heading: Option<Vec<Event<'a>>>,
    summary_done: bool,
}

impl<'a> Pass<'_, 'a> {
    fn transform(
        &mut self,
        event: Event<'a>,
        span: &Range<usize>,
        text: &str,
        offset: usize,
        body: &mut Body,
    ) -> Transformed<'a> {
        if self.in_annotation && !is_blank(&event) && event != Event::End(TagEnd::Link) {
            self.empty_annotation = None;
        }
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match dest_url.strip_prefix('@') {
                Some(target) => {
                    let opened = self.open_annotation(target, span, text, offset, body);
                    self.empty_annotation = self.in_annotation.then(|| span.clone());
                    opened
                }
                None => Event::Start(Tag::Link {
                    link_type,
                    dest_url: neutralise(dest_url),
                    title,
                    id,
                }),
            },
            Event::End(TagEnd::Link) if self.in_annotation => {
                self.in_annotation = false;
                if let Some(span) = self.empty_annotation.take() {
                    body.problems.push(
                        Diagnostic::new(self.file, span, "this annotation has no text to show")
                            .with_help("put the words it annotates between the brackets: [what was said](@id)"),
                    );
                }
                Event::Html("</a>".into())
            }
            Event::Start(Tag::Image { dest_url, .. }) if dest_url.starts_with('@') => {
                body.problems.push(
                    Diagnostic::new(
                        self.file,
                        find_destination(text, span, offset, &dest_url[1..]),
                        format!("an image cannot show the entry `{dest_url}`"),
                    )
                    .with_help(
                        "to annotate text, drop the `!`: [text](@id); an image needs a file or URL",
                    ),
                );
                Event::Start(Tag::Image {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url: "".into(),
                    title: "".into(),
                    id: "".into(),
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: neutralise(dest_url),
                title,
                id,
            }),
            Event::Html(html) | Event::InlineHtml(html) if !self.unsafe_html => Event::Text(html),
            other => other,
        };
        self.hold_heading(event)
    }

    fn open_annotation(
        &mut self,
        target: &str,
        span: &Range<usize>,
        text: &str,
        offset: usize,
        body: &mut Body,
    ) -> Event<'a> {
        let Some(kind) = self.ids.get(target) else {
            let help =
                did_you_mean(target, self.ids.keys().map(String::as_str)).unwrap_or_else(|| {
                    "`[text](@id)` links text to the entry or reaction with that id".to_owned()
                });
            body.problems.push(
                Diagnostic::new(
                    self.file,
                    find_destination(text, span, offset, target),
                    format!("no timeline entry or reaction `{target}` for this annotation"),
                )
                .with_help(help),
            );
            return Event::Html("".into());
        };
        self.in_annotation = true;
        let count = self.annotation_counts.entry(target.to_owned()).or_default();
        *count += 1;
        let anchor = urls::annotation_anchor(target, *count);
        // Ids keep to a slug-safe alphabet (the story's checks refuse any
        // other), and both attributes are escaped all the same.
        let mut html = String::from("<a class=\"annotation\" id=\"");
        push_attribute(&mut html, &anchor);
        html.push_str("\" href=\"#");
        push_attribute(&mut html, &kind.anchor(target));
        html.push_str("\">");
        Event::Html(html.into())
    }

    fn hold_heading(&mut self, event: Event<'a>) -> Transformed<'a> {
        match (&mut self.heading, event) {
            (None, Event::Start(tag @ Tag::Heading { .. })) => {
                self.heading = Some(vec![Event::Start(tag)]);
                Transformed::Held
            }
            (Some(held), Event::End(TagEnd::Heading(level))) => {
                held.push(Event::End(TagEnd::Heading(level)));
                let mut held = self.heading.take().unwrap_or_default();
                self.anchor_heading(&mut held);
                Transformed::Heading(held)
            }
            (Some(held), event) => {
                held.push(event);
                Transformed::Held
            }
            (None, event) => Transformed::Emit(event),
        }
    }

    fn anchor_heading(&mut self, held: &mut [Event<'a>]) {
        let words: String = held
            .iter()
            .filter_map(|event| match event {
                Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
                _ => None,
            })
            .collect();
        if let Some(Event::Start(Tag::Heading { id, .. })) = held.first_mut() {
            if id.is_some() {
                return;
            }
            let base = match slug::slugify(&words) {
                slug if slug.is_empty() => "section".to_owned(),
                slug => slug,
            };
            let seen = self.heading_ids.entry(base.clone()).or_default();
            *seen += 1;
            let anchor = if *seen == 1 {
                base
            } else {
                format!("{base}-{seen}")
            };
            *id = Some(anchor.into());
        }
    }

    fn collect_summary(&mut self, event: &Event, summary: &mut String) {
        if self.summary_done {
            return;
        }
        match event {
            Event::Text(text) | Event::Code(text) if self.heading.is_none() => {
                summary.push_str(text)
            }
            Event::SoftBreak | Event::HardBreak => summary.push(' '),
            Event::End(TagEnd::Paragraph) if !summary.trim().is_empty() => self.summary_done = true,
            _ => {}
        }
    }
}

/// Appends `value` escaped for a double-quoted HTML attribute.
fn push_attribute(html: &mut String, value: &str) {
    pulldown_cmark_escape::escape_html(&mut *html, value).expect("writing to a String cannot fail");
}

/// Whitespace, which does not make an annotation visible.
fn is_blank(event: &Event) -> bool {
    matches!(event, Event::Text(text) if text.trim().is_empty())
        || matches!(event, Event::SoftBreak | Event::HardBreak)
}

/// The byte span of `@target` inside the link at `span`, for a precise caret.
fn find_destination(text: &str, span: &Range<usize>, offset: usize, target: &str) -> Range<usize> {
    let local = span.start - offset..span.end - offset;
    let needle = format!("@{target}");
    text.get(local.clone())
        .and_then(|link| link.rfind(&needle))
        .map_or(span.clone(), |at| {
            let start = span.start + at;
            start..start + needle.len()
        })
}

/// Link targets that run script or smuggle content become `#`.
fn neutralise(url: CowStr<'_>) -> CowStr<'_> {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|c| *c != ':')
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let has_scheme = url.contains(':');
    if has_scheme && matches!(scheme.as_str(), "javascript" | "vbscript" | "data") {
        "#".into()
    } else {
        url
    }
}

fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text.to_owned(),
        Some((at, _)) => {
            let head = &text[..at];
            let head = head.rfind(' ').map_or(head, |space| &head[..space]);
            // Sized to fit: a site keeps every story's summary.
            [head.trim_end_matches([',', ';', ':', ' ']), "…"].concat()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Body {
        let file = SourceFile::new("content/a.md", format!("+++\n+++\n{text}"));
        let ids = HashMap::from([
            ("pledge".to_owned(), Target::Entry),
            ("reaction-1".to_owned(), Target::Reaction),
        ]);
        render(text, 8, &file, &ids, false)
    }

    #[test]
    fn annotations_link_both_ways() {
        let out =
            body("He [promised](@pledge), then [again](@pledge); [critics](@reaction-1) scoffed.");
        assert!(
            out.html.contains(
                r##"<a class="annotation" id="ann-pledge" href="#entry-pledge">promised</a>"##
            ),
            "{}",
            out.html
        );
        assert!(out.html.contains(r##"id="ann-pledge-2""##));
        assert!(out.html.contains(r##"href="#reaction-reaction-1""##));
        assert_eq!(out.annotated, ["pledge", "reaction-1"]);
        assert!(out.problems.is_empty());
    }

    #[test]
    fn unknown_annotations_point_at_the_id_with_a_suggestion() {
        let out = body("Intro.\n\nHe [promised](@plege).");
        assert_eq!(out.problems.len(), 1);
        let problem = &out.problems[0];
        assert_eq!(problem.location(), "content/a.md:5:15");
        assert_eq!(problem.help.as_deref(), Some("did you mean `pledge`?"));
    }

    #[test]
    fn raw_html_and_script_links_are_defused() {
        let out = body(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1)) ![i](data:image/png;base64,AA)",
        );
        assert!(!out.html.contains("<script>"), "{}", out.html);
        assert!(out.html.contains("&lt;script&gt;"));
        assert!(
            !out.html.to_lowercase().contains("javascript:"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("data:"), "{}", out.html);
    }

    #[test]
    fn headings_get_unique_anchors_and_tables_strikethrough_footnotes_render() {
        let out = body(
            "## What he said\n\n## What he said\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~no~~ [^1]\n\n[^1]: note",
        );
        assert!(
            out.html.contains(r#"<h2 id="what-he-said">"#),
            "{}",
            out.html
        );
        assert!(out.html.contains(r#"<h2 id="what-he-said-2">"#));
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>no</del>"));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn an_image_of_an_id_and_an_annotation_without_text_are_errors() {
        let out = body("A ![photo](@pledge) and [](@pledge) and [ ](@reaction-1).");
        let found: Vec<(String, &str)> = out
            .problems
            .iter()
            .map(|problem| (problem.location(), problem.message.as_ref()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "content/a.md:3:12".to_owned(),
                    "an image cannot show the entry `@pledge`"
                ),
                (
                    "content/a.md:3:25".to_owned(),
                    "this annotation has no text to show"
                ),
                (
                    "content/a.md:3:41".to_owned(),
                    "this annotation has no text to show"
                ),
            ]
        );
        assert!(!out.html.contains("@pledge"), "{}", out.html);
    }

    #[test]
    fn summary_is_the_first_paragraph() {
        let out = body("## Head\n\nFirst *para* here.\n\nSecond.");
        assert_eq!(out.summary, "First para here.");
    }
}
