//! Each story's embed page, `/embed/<slug>/`: its graphic and reversals worded
//! as on the story page, every link opening the story in the top window, no
//! masthead, `noindex` and out of the sitemap; and the `<iframe>` snippet the
//! story page offers, its URL absolute and every attribute escaped.

mod support;

use scraper::Html;
use support::{SiteTest, select, text_of};

const STORY: &str = "trump-putin-cyber-unit";

fn texts(page: &Html, css: &str) -> Vec<String> {
    page.select(&select(css)).map(text_of).collect()
}

fn attrs(page: &Html, css: &str, attr: &str) -> Vec<String> {
    page.select(&select(css))
        .filter_map(|element| element.value().attr(attr))
        .map(str::to_owned)
        .collect()
}

/// The `<iframe>` the story page's snippet holds, parsed as the page it is
/// pasted into would parse it: (its `src`, its `title`, how many elements the
/// snippet makes).
fn snippet_of(story_page: &str) -> (String, String, usize) {
    let page = Html::parse_document(story_page);
    let snippet = texts(&page, "textarea#embed-code");
    assert_eq!(snippet.len(), 1, "one snippet on the story page");
    assert_eq!(
        attrs(&page, r#"label[for="embed-code"]"#, "for").len(),
        1,
        "the snippet has a label"
    );
    let pasted = Html::parse_fragment(&snippet[0]);
    let elements = pasted.select(&select("body *, iframe")).count();
    let frame = pasted
        .select(&select("iframe"))
        .next()
        .unwrap_or_else(|| panic!("the snippet is an iframe: {}", snippet[0]));
    for (attr, value) in [
        ("width", "100%"),
        ("loading", "lazy"),
        ("style", "border:0"),
    ] {
        assert_eq!(frame.value().attr(attr), Some(value), "{}", snippet[0]);
    }
    let height: u32 = frame
        .value()
        .attr("height")
        .and_then(|height| height.parse().ok())
        .expect("a height in pixels");
    assert!((300..3000).contains(&height), "height {height}");
    let attr = |name| frame.value().attr(name).unwrap_or_default().to_owned();
    (attr("src"), attr("title"), elements)
}

#[test]
fn the_embed_page_shows_the_graphic_and_each_reversal_as_the_story_page_words_it() {
    let site = SiteTest::sample().build().succeeded();
    let story = Html::parse_document(&site.page(&format!("{STORY}/index.html")).text);
    let embed = Html::parse_document(&site.page(&format!("embed/{STORY}/index.html")).text);

    // The graphic, both drawings, each mark leading to the story page.
    assert_eq!(
        attrs(&embed, "svg.tl-graphic", "data-layout"),
        ["wide", "narrow"]
    );
    let marks = attrs(&embed, "a.tl-mark", "href");
    assert!(!marks.is_empty());
    for href in &marks {
        assert!(href.starts_with(&format!("/{STORY}/#entry-")), "{href}");
    }
    assert_eq!(
        marks,
        attrs(&story, "a.tl-mark", "href")
            .iter()
            .map(|href| format!("/{STORY}/{href}"))
            .collect::<Vec<_>>(),
        "the same marks as on the story page"
    );

    // One item per reversal, each walk-back line word for word the story
    // page's, at the same time, its links leading to the story page.
    let on_story: Vec<String> = texts(&story, "li.entry .walks-back");
    assert_eq!(on_story.len(), 2, "the sample story has two reversals");
    assert_eq!(texts(&embed, "li.entry .walks-back"), on_story);
    // In time order: an event walked back (never quoted), then a statement.
    assert!(on_story[0].starts_with("↩ Half reversal, the next day: walks back Donald Trump Jr."));
    assert!(on_story[1].starts_with("↩ Full reversal, 13 hours later: walks back “impenetrable"));
    assert_eq!(embed.select(&select("ol.timeline > li")).count(), 2);
    for item in embed.select(&select("ol.timeline > li")) {
        let walk_back = item
            .select(&select("a"))
            .filter_map(|link| link.value().attr("href"))
            .find(|href| href.contains("#entry-") && !href.contains("people"))
            .expect("a link to the walked-back entry");
        assert!(walk_back.starts_with(&format!("/{STORY}/#entry-")));
        let own = item
            .select(&select("p.links a"))
            .next()
            .and_then(|link| link.value().attr("href"))
            .expect("a link to the entry in the story");
        let anchor = own.rsplit_once('#').expect("an anchor").1;
        let on_story_page = story
            .select(&select(&format!("li#{anchor} .when time")))
            .next()
            .and_then(|time| time.value().attr("datetime"))
            .expect("the entry on the story page");
        let here = item
            .select(&select(".when time"))
            .next()
            .and_then(|time| time.value().attr("datetime"));
        assert_eq!(here, Some(on_story_page), "{anchor}: the same time");
    }

    // The headline links to the story; every link opens in the top window.
    let headline = embed
        .select(&select("h1 a"))
        .next()
        .expect("the headline links");
    assert_eq!(headline.value().attr("href"), Some(&*format!("/{STORY}/")));
    assert_eq!(text_of(headline), texts(&story, "h1")[0]);
    assert_eq!(attrs(&embed, "head base", "target"), ["_top"]);
    assert!(attrs(&embed, "base", "href").is_empty());
    assert_eq!(
        attrs(&embed, r#"meta[name="robots"]"#, "content"),
        ["noindex"]
    );
    // A credit line with the site's title; no masthead or navigation.
    assert_eq!(texts(&embed, "footer a")[0], "Backtrack");
    for absent in ["nav", ".masthead", ".skip", "textarea"] {
        assert_eq!(embed.select(&select(absent)).count(), 0, "{absent}");
    }
}

#[test]
fn the_story_page_offers_an_absolute_snippet_and_the_sitemap_leaves_the_embed_out() {
    let site = SiteTest::sample().build().succeeded();
    let story_page = site.page(&format!("{STORY}/index.html"));
    let (src, title, elements) = snippet_of(&story_page.text);
    assert_eq!(src, format!("https://example.org/embed/{STORY}/"));
    assert_eq!(
        title,
        "Trump takes a big step back from his 'cyber security unit' with Putin: the timeline and its reversals"
    );
    assert_eq!(elements, 1);
    // The Copy button waits for the script; the snippet is there without it.
    story_page.contains(r#"<button type="button" data-copy="embed-code" hidden>Copy</button>"#);
    site.page("sitemap.xml")
        .contains(&format!("/{STORY}/</loc>"))
        .lacks("/embed/");
    // Every story has one, drafts left out with their stories.
    assert!(site.has("embed/millbrook-bridge-toll/index.html"));
    assert!(!site.has("embed/millbrook-library-hours/index.html"));
}

/// Regression: a title made of markup and quotes stays text in the snippet
/// (escaped once for the snippet's attribute, again for the page showing
/// it), and on the embed page.
#[test]
fn a_hostile_title_stays_text_in_the_snippet_and_the_embed() {
    let site = SiteTest::fixture("hostile").build().succeeded();
    let export: serde_json::Value =
        serde_json::from_str(&site.page("stories.json").text).expect("export");
    let story = &export["stories"][0];
    let (slug, title) = (
        story["slug"].as_str().expect("slug"),
        story["title"].as_str().expect("title"),
    );
    assert!(title.contains('<') && title.contains('"'), "{title}");
    let (src, frame_title, elements) = snippet_of(&site.page(&format!("{slug}/index.html")).text);
    assert_eq!(src, format!("https://example.org/embed/{slug}/"));
    assert_eq!(
        frame_title,
        format!("{title}: the timeline and its reversals")
    );
    assert_eq!(elements, 1, "the snippet makes one element, the iframe");
    let embed = Html::parse_document(&site.page(&format!("embed/{slug}/index.html")).text);
    assert_eq!(texts(&embed, "h1"), [title]);
}

#[test]
fn under_a_subpath_the_snippet_and_the_embed_links_keep_the_path() {
    let site = SiteTest::fixture("subpath").build().succeeded();
    let export: serde_json::Value =
        serde_json::from_str(&site.page("stories.json").text).expect("export");
    let slug = export["stories"][0]["slug"].as_str().expect("slug");
    let (src, _, _) = snippet_of(&site.page(&format!("{slug}/index.html")).text);
    assert_eq!(src, format!("https://example.org/news/embed/{slug}/"));
    let embed = Html::parse_document(&site.page(&format!("embed/{slug}/index.html")).text);
    assert_eq!(attrs(&embed, "h1 a", "href"), [format!("/news/{slug}/")]);
    for href in attrs(&embed, "a.tl-mark", "href") {
        assert!(href.starts_with(&format!("/news/{slug}/#entry-")), "{href}");
    }
}

#[test]
fn embed_is_a_url_no_story_may_take() {
    let site = SiteTest::fixture("graphic");
    std::fs::write(
        site.root.join("content/taken.md"),
        "+++\ntitle = \"Taken\"\npublished = 2024-01-01\nslug = \"embed/x\"\n+++\n",
    )
    .expect("story written");
    let site = site.build();
    assert_eq!(site.exit_code(), 1, "{}", site.stderr());
    assert!(
        site.stderr()
            .contains("this story's URL /embed/x is taken by the stories' embeddable graphics"),
        "{}",
        site.stderr()
    );
}
