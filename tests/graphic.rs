//! The timeline graphic on built story pages: its SVG parsed and its
//! structure checked for each shape of story it must cope with (one entry,
//! two a minute apart, four years, date-only entries, twenty speakers) and
//! for hostile text; and the theme's favicon and script.

mod support;

use roxmltree::{Document, Node};
use support::SiteTest;

/// The page's graphic, as SVG markup.
fn graphic_of(page: &str) -> String {
    let start = page
        .find(r#"<svg class="tl-graphic""#)
        .expect("the page has the graphic");
    let end = start + page[start..].find("</svg>").expect("the graphic ends") + "</svg>".len();
    page[start..end].to_owned()
}

/// Elements under `root` whose class list holds `class`.
fn with_class<'a, 'input>(root: Node<'a, 'input>, class: &str) -> Vec<Node<'a, 'input>> {
    root.descendants()
        .filter(|node| {
            node.attribute("class")
                .is_some_and(|classes| classes.split(' ').any(|c| c == class))
        })
        .collect()
}

/// All the text under `node`.
fn text_of(node: Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// What a test checks of one story's graphic.
struct Graphic {
    page: String,
    svg: String,
}

impl Graphic {
    fn of(site: &SiteTest, slug: &str) -> Graphic {
        let page = site.page(&format!("{slug}/index.html")).text.clone();
        let svg = graphic_of(&page);
        Graphic { page, svg }
    }

    fn check(&self, check: impl FnOnce(Node)) {
        let doc = Document::parse(&self.svg).unwrap_or_else(|e| panic!("{e}: {}", self.svg));
        check(doc.root_element());
    }

    /// Lane names, top to bottom (the full names, from their titles).
    fn lanes(&self) -> Vec<String> {
        let mut lanes = Vec::new();
        self.check(|svg| {
            lanes = with_class(svg, "tl-lane")
                .into_iter()
                .map(|lane| {
                    let title = lane
                        .descendants()
                        .find(|n| n.has_tag_name("title"))
                        .expect("a lane names its speaker in full");
                    text_of(title)
                })
                .collect();
        });
        lanes
    }

    /// Each arc's label.
    fn arcs(&self) -> Vec<String> {
        let mut arcs = Vec::new();
        self.check(|svg| {
            arcs = with_class(svg, "tl-arc")
                .into_iter()
                .map(|arc| {
                    with_class(arc, "tl-arc-label")
                        .first()
                        .map(|label| text_of(*label))
                        .unwrap_or_default()
                })
                .collect();
        });
        arcs
    }

    /// The drawing's height, from its viewBox.
    fn height(&self) -> f64 {
        let mut height = 0.0;
        self.check(|svg| {
            let view_box = svg.attribute("viewBox").expect("a viewBox");
            height = view_box
                .split(' ')
                .nth(3)
                .and_then(|h| h.parse().ok())
                .expect("a height");
        });
        height
    }

    /// Each mark's link target, checked to be an entry on the page.
    fn marks(&self) -> Vec<String> {
        let mut marks = Vec::new();
        self.check(|svg| {
            marks = with_class(svg, "tl-mark")
                .into_iter()
                .map(|mark| {
                    let href = mark.attribute("href").expect("a mark is a link");
                    assert!(mark.attribute("aria-label").is_some(), "a mark has a name");
                    let id = href.strip_prefix('#').expect("an in-page link");
                    assert!(
                        self.page.contains(&format!(r#"id="{id}""#)),
                        "{href} points at an entry of the page"
                    );
                    id.to_owned()
                })
                .collect();
        });
        marks
    }

    fn count(&self, class: &str) -> usize {
        let mut count = 0;
        self.check(|svg| count = with_class(svg, class).len());
        count
    }

    /// The x of a mark's shape (its circle's centre or its diamond's top).
    fn mark_x(&self, id: &str) -> f64 {
        let mut x = None;
        self.check(|svg| {
            let mark = with_class(svg, "tl-mark")
                .into_iter()
                .find(|mark| mark.attribute("href") == Some(&format!("#{id}")))
                .expect("the mark");
            let shape = with_class(mark, "tl-shape")[0];
            x = shape
                .attribute("cx")
                .or_else(|| shape.attribute("d").and_then(|d| d[1..].split(' ').next()))
                .and_then(|v| v.parse().ok());
        });
        x.expect("a mark has a position")
    }

    fn description(&self) -> String {
        let mut desc = String::new();
        self.check(|svg| {
            let node = svg
                .descendants()
                .find(|n| n.has_tag_name("desc"))
                .expect("a text alternative");
            desc = text_of(node);
        });
        desc
    }
}

fn built() -> SiteTest {
    SiteTest::fixture("graphic").build().succeeded()
}

#[test]
fn one_entry_is_one_lane_one_mark_and_no_arc() {
    let site = built();
    let graphic = Graphic::of(&site, "one-entry");
    assert_eq!(graphic.lanes(), ["Ann Example"]);
    assert_eq!(graphic.marks(), ["entry-only"]);
    assert!(graphic.arcs().is_empty());
    assert!(
        graphic
            .description()
            .starts_with("1 entry from March 1, 2021, 9:00 a.m. UTC")
    );
    // The key and the caption come with the graphic.
    assert!(graphic.page.contains(r#"<ul class="graphic-key""#));
}

#[test]
fn entries_a_minute_apart_are_two_marks_joined_by_a_labelled_arc() {
    let site = built();
    let graphic = Graphic::of(&site, "a-minute-apart");
    assert_eq!(graphic.lanes(), ["Ann Example"]);
    assert_eq!(graphic.marks(), ["entry-yes", "entry-no"]);
    assert_eq!(graphic.arcs(), ["Full reversal, a minute later"]);
    assert_eq!(graphic.count("tl-arc-full"), 1);
    assert!(graphic.mark_x("entry-no") - graphic.mark_x("entry-yes") > 100.0);
    assert!(graphic.description().contains(
        "Full reversal, a minute later: a statement by Ann Example (March 1, 2021, 9:01 a.m. UTC) walks back a statement by Ann Example (March 1, 2021, 9:00 a.m. UTC)."
    ));
}

#[test]
fn four_years_break_the_axis_and_half_and_full_differ_in_shape() {
    let site = built();
    let graphic = Graphic::of(&site, "four-years");
    assert_eq!(graphic.lanes(), ["Ann Example", "Bob Example", "Events"]);
    assert_eq!(graphic.marks().len(), 5);
    assert_eq!(
        graphic.arcs(),
        [
            "Full reversal, 4 years later",
            "Half reversal, 24 hours later"
        ]
    );
    // One break, labelled, between the first day and four years on.
    assert_eq!(graphic.count("tl-break"), 1);
    assert!(graphic.svg.contains(">4 years later</text>"));
    // The hours of the first day are not squeezed to a point by the years.
    assert!(graphic.mark_x("entry-vote") - graphic.mark_x("entry-promise") > 50.0);
    // Half and full are told apart by pattern and shape, not colour alone.
    assert_eq!(graphic.count("tl-arc-half"), 1);
    assert_eq!(graphic.count("tl-arc-full"), 1);
    assert_eq!(graphic.count("tl-half-fill"), 1);
    assert_eq!(graphic.count("tl-event"), 1);
    assert!(site.page("style.css").text.contains("stroke-dasharray"));
}

#[test]
fn date_only_entries_span_their_day_and_label_the_axis_by_date() {
    let site = built();
    let graphic = Graphic::of(&site, "date-only");
    assert_eq!(graphic.lanes(), ["Ann Example", "Events"]);
    assert_eq!(graphic.count("tl-day"), 3);
    assert_eq!(graphic.arcs(), ["Half reversal, 7 days later"]);
    assert!(graphic.svg.contains(">May 2, 2022</text>"));
    assert!(graphic.svg.contains(">May 9, 2022</text>"));
    assert_eq!(graphic.count("tl-by-half"), 1, "walked back by half: amber");
}

#[test]
fn twenty_speakers_get_twenty_lanes() {
    let site = built();
    let graphic = Graphic::of(&site, "twenty-speakers");
    let lanes = graphic.lanes();
    assert_eq!(lanes.len(), 20);
    assert!(lanes.iter().all(|lane| lane.ends_with("With A Long Name")));
    assert_eq!(graphic.marks().len(), 23);
    assert_eq!(graphic.arcs().len(), 3);
    assert!(
        graphic
            .arcs()
            .iter()
            .all(|arc| arc.starts_with("Full reversal, "))
    );
}

#[test]
fn crowded_reversals_stack_to_a_bounded_height_and_keep_every_arc() {
    let site = built();
    let graphic = Graphic::of(&site, "crowded");
    assert_eq!(graphic.marks().len(), 40);
    let arcs = graphic.arcs();
    assert_eq!(arcs.len(), 39, "an arc per reversal");
    // Twelve levels of labels at most; an arc that finds none free is drawn
    // unlabelled (the description and the timeline below name every one).
    let labelled: Vec<&String> = arcs.iter().filter(|label| !label.is_empty()).collect();
    assert!(
        (12..39).contains(&labelled.len()),
        "{} labelled",
        labelled.len()
    );
    assert!(
        labelled
            .iter()
            .all(|label| *label == "Full reversal, a minute later")
    );
    assert!(graphic.height() < 400.0, "height {}", graphic.height());
    assert_eq!(
        graphic
            .description()
            .matches("Full reversal, a minute later")
            .count(),
        39
    );
}

#[test]
fn hostile_text_in_the_graphic_is_escaped() {
    let site = SiteTest::fixture("hostile").build().succeeded();
    let graphic = Graphic::of(&site, "hostile");
    assert!(!graphic.svg.contains("<script"));
    assert!(!graphic.svg.contains("<img"));
    let name = r#"Name <script>alert(1)</script>"><img src=x onerror=alert(1)>"#;
    assert_eq!(graphic.lanes(), [name, "Events"]);
}

#[test]
fn the_theme_has_a_favicon_and_a_script_every_page_links() {
    let site = SiteTest::fixture("subpath").build().succeeded();
    assert!(site.has("favicon.svg") && site.has("backtrack.js"));
    site.page("index.html")
        .contains(r#"<link rel="icon" href="/news/favicon.svg" type="image/svg+xml">"#)
        .contains(r#"<script src="/news/backtrack.js" defer></script>"#);
}
