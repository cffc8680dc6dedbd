//! Social cards: each story's `<slug>/card.png` and the meta tags that name
//! it, drawn once and then taken from the site's cache, on fixture sites
//! built by the real binary (and served by it).

mod support;

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::process::Command;

use support::server::Server;
use support::{SiteTest, select};

const CARD: &str = "cyber-unit/card.png";
const CACHE: &str = ".backtrack-cache/cards";

/// The width and height a PNG says it has, after decoding it whole.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
    reader
        .next_frame(&mut pixels)
        .expect("the whole image decodes");
    let info = reader.info();
    (info.width, info.height)
}

/// The files of the site's card cache, each with its inode and mtime.
fn cache_files(root: &Path) -> Vec<(String, u64, i64, i64)> {
    let mut files: Vec<_> = fs::read_dir(root.join(CACHE))
        .expect("the cache exists")
        .map(|entry| {
            let entry = entry.expect("entry");
            let meta = entry.metadata().expect("metadata");
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, meta.ino(), meta.mtime(), meta.mtime_nsec())
        })
        .collect();
    files.sort();
    files
}

fn meta<'a>(page: &'a scraper::Html, property: &str) -> Option<&'a str> {
    let css = format!(r#"meta[property="{property}"], meta[name="{property}"]"#);
    page.select(&select(&css))
        .next()
        .and_then(|element| element.value().attr("content"))
}

fn edit(site: &SiteTest, story: &str, from: &str, to: &str) {
    let path = site.root.join("content").join(story);
    let text = fs::read_to_string(&path).expect("story");
    assert!(text.contains(from), "{story} has {from:?}");
    fs::write(&path, text.replace(from, to)).expect("edited");
}

#[test]
fn each_story_gets_a_1200_by_630_png_card() {
    let site = SiteTest::fixture("cards").build().succeeded();
    for slug in ["cyber-unit", "no-reversal", "hostile"] {
        let bytes = fs::read(site.output.join(slug).join("card.png")).expect("a card");
        assert_eq!(png_size(&bytes), (1200, 630), "{slug}");
    }
}

#[test]
fn the_story_page_names_its_card_with_absolute_urls_and_an_escaped_alt() {
    let site = SiteTest::fixture("cards").build().succeeded();
    let raw = site.page("cyber-unit/index.html");
    let page = scraper::Html::parse_document(&raw.text);
    let url = "https://example.org/news/cyber-unit/card.png";
    assert_eq!(meta(&page, "og:image"), Some(url));
    assert_eq!(meta(&page, "og:image:width"), Some("1200"));
    assert_eq!(meta(&page, "og:image:height"), Some("630"));
    assert_eq!(meta(&page, "twitter:card"), Some("summary_large_image"));
    assert_eq!(meta(&page, "twitter:image"), Some(url));
    let alt = meta(&page, "og:image:alt").expect("an alt");
    assert!(
        alt.starts_with(r#"Cards & "Quotes" <Weekly> card: “Trump takes a big step back"#),
        "{alt}"
    );
    assert!(
        alt.contains("Donald Trump said “impenetrable Cyber Security unit"),
        "{alt}"
    );
    assert!(
        alt.contains("(July 9, 2017, 7:50 a.m. EDT) and walked it back 13 hours later: “The fact"),
        "{alt}"
    );
    // The alt is escaped in the HTML: the site's title has `&`, `"` and `<`.
    raw.contains(r#"content="Cards &amp; &quot;Quotes&quot; &lt;Weekly&gt; card:"#);

    let hostile = site.page("hostile/index.html");
    let page = scraper::Html::parse_document(&hostile.text);
    let alt = meta(&page, "og:image:alt").expect("an alt");
    assert!(alt.contains("</text><script>alert(1)</script>"), "{alt}");
    hostile.lacks("<script>alert(1)");
    let page = scraper::Html::parse_document(&site.page("no-reversal/index.html").text);
    assert_eq!(
        meta(&page, "og:image:alt"),
        Some(
            r#"Cards & "Quotes" <Weekly> card: “The library keeps its Sunday hours”. Nobody changed their mind this week."#
        )
    );
}

#[test]
fn an_unchanged_story_is_not_drawn_again_and_a_new_headline_is() {
    let site = SiteTest::fixture("cards").build().succeeded();
    let first = cache_files(&site.root);
    assert_eq!(first.len(), 3, "{first:?}");
    let card = |site: &SiteTest, slug: &str| {
        let path = site.output.join(slug).join("card.png");
        (
            fs::read(&path).expect("card"),
            fs::metadata(&path).expect("meta").ino(),
        )
    };
    let (before, inode) = card(&site, "cyber-unit");
    let (unchanged, unchanged_inode) = card(&site, "no-reversal");
    assert!(
        first.iter().any(|(_, cached, ..)| *cached == inode),
        "the output's card is a hard link to the cached one"
    );

    edit(&site, "cyber-unit.md", "big step back", "giant step back");
    let site = site.build().succeeded();
    let second = cache_files(&site.root);
    assert_eq!(second.len(), 3, "the old headline's card went: {second:?}");
    let kept: Vec<_> = first.iter().filter(|file| second.contains(file)).collect();
    assert_eq!(kept.len(), 2, "two cards untouched, same inode and mtime");
    let (after, _) = card(&site, "cyber-unit");
    assert_ne!(before, after, "a new headline is a new card");
    assert_eq!(png_size(&after), (1200, 630));
    assert_eq!(
        card(&site, "no-reversal"),
        (unchanged, unchanged_inode),
        "the output's unchanged card was left as it was"
    );

    // A fresh output is made from the cache alone: no card is drawn.
    fs::remove_dir_all(&site.output).expect("output removed");
    let site = site.build().succeeded();
    assert_eq!(cache_files(&site.root), second);
    assert_eq!(card(&site, "cyber-unit").0, after);
}

#[test]
fn social_cards_false_writes_no_card_and_no_image_tags() {
    let site = SiteTest::fixture("cards");
    let settings = site.root.join("site.toml");
    let text = fs::read_to_string(&settings).expect("settings");
    fs::write(&settings, format!("{text}social_cards = false\n")).expect("written");
    let site = site.build().succeeded();
    assert!(!site.has(CARD));
    assert!(!site.root.join(CACHE).exists(), "nothing drawn");
    site.page("cyber-unit/index.html")
        .lacks("og:image")
        .lacks("twitter:card")
        .contains(r#"<meta property="og:title""#);
}

#[test]
fn a_card_in_static_replaces_the_drawn_one() {
    let site = SiteTest::fixture("cards");
    let own = site.root.join("static/cyber-unit/card.png");
    fs::create_dir_all(own.parent().expect("folder")).expect("folder made");
    fs::write(&own, b"the author's own card").expect("written");
    let site = site.build().succeeded();
    assert_eq!(site.page(CARD).text, "the author's own card");
    assert!(site.has("no-reversal/card.png"));
}

#[test]
fn init_keeps_the_card_cache_out_of_git() {
    let temp = tempfile::tempdir().expect("temp dir");
    let status = Command::new(env!("CARGO_BIN_EXE_backtrack"))
        .arg("init")
        .arg(temp.path().join("site"))
        .status()
        .expect("init runs");
    assert!(status.success());
    let ignored = fs::read_to_string(temp.path().join("site/.gitignore")).expect(".gitignore");
    assert!(
        ignored.lines().any(|line| line == "/.backtrack-cache/"),
        "{ignored}"
    );
}

#[test]
fn serve_draws_a_card_when_asked_and_a_new_one_after_the_headline_changes() {
    let server = Server::start("cards");
    let first = server.get("/news/cyber-unit/card.png");
    assert_eq!(first.status, 200);
    assert!(
        first.headers.contains("content-type: image/png"),
        "{}",
        first.headers
    );
    let story = server.root.join("content/cyber-unit.md");
    let text = fs::read_to_string(&story).expect("story");
    fs::write(&story, text.replace("big step back", "giant step back")).expect("edited");
    let second = server.wait_for_page(
        "/news/cyber-unit/card.png",
        |reply| reply.status == 200 && reply.body != first.body,
        10,
    );
    assert_ne!(second.body, first.body, "the card shows the new headline");
    assert_eq!(server.get("/news/no-reversal/card.png").status, 200);
    fs::remove_file(&story).expect("removed");
    let gone = server.wait_for_page("/news/cyber-unit/card.png", |reply| reply.status == 404, 10);
    assert_eq!(gone.status, 404, "a removed story's card goes with it");
}

/// The sample's cyber-unit story has an earlier reversal between two
/// events (Donald Trump Jr.'s account of a meeting): its card shows the
/// reversal between quotes, which the headline is about.
#[test]
fn a_card_prefers_a_reversal_between_quotes_and_never_quotes_an_event() {
    let site = SiteTest::sample().build().succeeded();
    let alt = |slug: &str| {
        let page = scraper::Html::parse_document(&site.page(&format!("{slug}/index.html")).text);
        meta(&page, "og:image:alt").expect("an alt").to_owned()
    };
    let cyber = alt("trump-putin-cyber-unit");
    assert!(
        cyber.contains("Donald Trump said “impenetrable Cyber Security unit"),
        "{cyber}"
    );
    assert!(
        cyber.contains("walked it back 13 hours later: “The fact that"),
        "{cyber}"
    );
    assert!(!cyber.contains("Trump Jr."), "{cyber}");
    let events = alt("trump-jr-russian-lawyer");
    assert!(
        events.contains(
            ". He tells The New York Times the meeting was about the adoption of Russian \
             children by Amer… (July 8, 2017); partly walked back the next day: He says"
        ),
        "{events}"
    );
    assert!(!events.contains("“He"), "events are not quoted: {events}");
}

#[test]
fn build_watch_draws_the_new_card_after_a_headline_edit() {
    let site = SiteTest::fixture("cards").build().succeeded();
    let card = site.output.join(CARD);
    let before = fs::read(&card).expect("a card");
    let mut watcher = site.build_watch();
    let stdout = watcher.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    assert!(
        lines.any(|line| line.starts_with("Built")),
        "the first build"
    );
    edit(&site, "cyber-unit.md", "big step back", "giant step back");
    assert!(
        lines.any(|line| line.starts_with("Rebuilt")),
        "the edit is rebuilt"
    );
    watcher.kill().expect("stopped");
    watcher.wait().expect("reaped");
    let after = fs::read(&card).expect("a card");
    assert_ne!(before, after, "the card shows the new headline");
    assert_eq!(png_size(&after), (1200, 630));
}
