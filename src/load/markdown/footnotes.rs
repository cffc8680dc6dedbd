//! Footnotes gathered at the end of a story body. pulldown-cmark leaves
//! each definition where it was written, as a lone number with the label as
//! its id (`id="1"`) and no way back to the text; this pass numbers the
//! references in reading order, links each to its note and each note back,
//! and moves the notes into one "Notes" list after the text.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// `events` with footnote references linked and definitions moved to a
/// notes section at the end.
pub(crate) fn gather(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events
        .iter()
        .any(|event| matches!(event, Event::FootnoteReference(_)))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    // Label → (number, references so far).
    let mut numbers: HashMap<CowStr, (usize, usize)> = HashMap::new();
    let mut order: Vec<CowStr> = Vec::new();
    let mut notes: HashMap<CowStr, Vec<Event>> = HashMap::new();
    let mut note: Option<(CowStr, Vec<Event>)> = None;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => note = Some((label, Vec::new())),
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, body)) = note.take() {
                    notes.entry(label).or_insert(body);
                }
            }
            Event::FootnoteReference(label) => {
                let next = numbers.len() + 1;
                let (number, seen) = numbers.entry(label.clone()).or_insert_with(|| {
                    order.push(label.clone());
                    (next, 0)
                });
                *seen += 1;
                let html = format!(
                    r##"<sup class="fn-ref"><a id="{}" href="#fn-{number}" aria-label="Note {number}">{number}</a></sup>"##,
                    reference_id(*number, *seen),
                );
                match &mut note {
                    Some((_, body)) => body.push(Event::InlineHtml(html.into())),
                    None => out.push(Event::InlineHtml(html.into())),
                }
            }
            other => match &mut note {
                Some((_, body)) => body.push(other),
                None => out.push(other),
            },
        }
    }
    out.push(Event::Html(
        r#"<section class="footnotes" aria-labelledby="footnotes-heading"><h2 id="footnotes-heading">Notes</h2><ol>"#
            .into(),
    ));
    for label in order {
        let (number, seen) = numbers[&label];
        out.push(Event::Html(format!(r#"<li id="fn-{number}">"#).into()));
        let mut body = notes.remove(&label).unwrap_or_else(|| {
            vec![Event::Text(
                format!("(No note is written for [^{label}].)").into(),
            )]
        });
        let back: String = (1..=seen)
            .map(|n| {
                format!(
                    r##" <a class="fn-back" href="#{}" aria-label="Back to the text of note {number}">↩</a>"##,
                    reference_id(number, n)
                )
            })
            .collect();
        // The way back goes at the end of the note's last paragraph.
        match body.last() {
            Some(Event::End(TagEnd::Paragraph)) => {
                body.insert(body.len() - 1, Event::InlineHtml(back.into()));
            }
            _ => body.push(Event::Html(back.into())),
        }
        out.extend(body);
        out.push(Event::Html("</li>".into()));
    }
    out.push(Event::Html("</ol></section>".into()));
    out
}

/// The id of the `seen`th reference to note `number`: `fnref-1`, `fnref-1-2`.
fn reference_id(number: usize, seen: usize) -> String {
    match seen {
        1 => format!("fnref-{number}"),
        _ => format!("fnref-{number}-{seen}"),
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    fn html(markdown: &str) -> String {
        let events = Parser::new_ext(markdown, Options::ENABLE_FOOTNOTES | Options::ENABLE_GFM);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, super::gather(events.collect()).into_iter());
        out
    }

    #[test]
    fn notes_are_numbered_in_reading_order_and_link_both_ways() {
        let out =
            html("B[^b] then A[^a] and B again[^b].\n\n[^a]: Note A.\n\n[^b]: Note B.\n\nAfter.\n");
        assert!(
            out.contains(r##"<a id="fnref-1" href="#fn-1" aria-label="Note 1">1</a>"##),
            "{out}"
        );
        assert!(
            out.contains(r##"<a id="fnref-2" href="#fn-2" aria-label="Note 2">2</a>"##),
            "{out}"
        );
        assert!(out.contains(r##"<a id="fnref-1-2" href="#fn-1""##), "{out}");
        let notes = out
            .find("<section class=\"footnotes\"")
            .expect("a notes section");
        assert!(
            out.find("After.").expect("text") < notes,
            "notes come after the text: {out}"
        );
        let position = |text: &str| out.find(text).unwrap_or_else(|| panic!("{text} in {out}"));
        // Note B, cited first, is note 1.
        assert!(position(r#"<li id="fn-1">"#) < position("Note B."));
        assert!(position("Note B.") < position(r#"<li id="fn-2">"#));
        assert!(position(r#"<li id="fn-2">"#) < position("Note A."));
        assert!(
            out.contains(r##"<a class="fn-back" href="#fnref-1-2""##),
            "{out}"
        );
        assert!(
            !out.contains(r#"id="a""#) && !out.contains(r#"id="b""#),
            "{out}"
        );
    }

    #[test]
    fn a_body_without_references_is_left_alone() {
        assert_eq!(html("Plain.\n"), "<p>Plain.</p>\n");
    }
}
