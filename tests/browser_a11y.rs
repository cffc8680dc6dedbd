//! Every page kind in headless Chromium, checked by axe-core against the
//! WCAG 2.2 AA rules, light and dark, at 375 and 1280 px: zero violations.
//! The sample site and the fixture with hostile content are checked; the sample story's and its embed's screenshots in each mode, and its social card, go to
//! `target/screenshots/` for review. Then what axe cannot see: the story
//! page's annotations, graphic marks and entries are reachable with Tab, an
//! entry targeted by its `#id` is highlighted, and printing keeps the
//! graphic and the reactions.

mod support;

#[path = "support/chrome.rs"]
mod chrome;

use std::path::Path;

use headless_chrome::Tab;
use headless_chrome::protocol::cdp::Page;
use support::server::Server;

/// The WCAG 2.0, 2.1 and 2.2 A and AA rule sets.
const RULES: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']";

/// A link to one page of each kind, found from the home page and its first
/// story: home, story, embed (from the story's snippet: its path, on this
/// server), people, person, tags, tag, not found.
const PAGE_KINDS: &str = r#"(async () => {
    const parse = text => new DOMParser().parseFromString(text, "text/html");
    const get = async url => parse(await (await fetch(url)).text());
    const home = document;
    const story = home.querySelector(".card h2 a").href;
    const storyPage = await get(story);
    const first = (doc, selector) => { const a = doc.querySelector(selector); return a ? new URL(a.getAttribute("href"), story).href : null; };
    const snippet = parse(storyPage.querySelector("textarea.embed-code").value).querySelector("iframe");
    const embed = new URL(new URL(snippet.getAttribute("src")).pathname, location.href).href;
    return JSON.stringify([location.href, story, embed, first(home, ".masthead nav a[href$='/people/']"),
        first(storyPage, ".cast a"), first(home, ".masthead nav a[href$='/tags/']"),
        first(storyPage, ".kicker a") || first(home, ".card a.tag"), new URL("404.html", location.href).href].filter(Boolean));
})()"#;

/// Runs axe on the open page; the violations as readable lines.
fn violations(tab: &Tab, axe: &str) -> Vec<String> {
    tab.evaluate(axe, false).expect("axe loads");
    let script = format!(
        r#"axe.run(document, {{runOnly: {{type: "tag", values: {RULES}}}}}).then(result => JSON.stringify(
            result.violations.flatMap(v => v.nodes.map(n => `${{v.id}} (${{v.impact}}): ${{n.target.join(" ")}}: ${{n.failureSummary.replace(/\s+/g, " ")}}`))))"#
    );
    serde_json::from_str(&chrome::eval_string(tab, &script)).expect("axe's report")
}

/// Opens `url` and waits for it.
fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url)
        .expect("navigates")
        .wait_until_navigated()
        .expect("loads");
}

/// Checks every page kind of the site `server` serves in every mode; the
/// problems found, one line each.
fn check_site(tab: &Tab, server: &Server, axe: &str, shots: Option<&Path>) -> Vec<String> {
    let home = format!("http://127.0.0.1:{}/", server.port);
    chrome::set_media(tab, "", "light");
    chrome::set_viewport(tab, 1280, 900);
    open(tab, &home);
    let pages: Vec<String> =
        serde_json::from_str(&chrome::eval_string(tab, PAGE_KINDS)).expect("page links");
    assert_eq!(pages.len(), 8, "a page of each kind: {pages:?}");
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        chrome::set_media(tab, "", scheme);
        for width in [375, 1280] {
            chrome::set_viewport(tab, width, 900);
            for (kind, url) in pages.iter().enumerate() {
                open(tab, url);
                for line in violations(tab, axe) {
                    problems.push(format!("{url} ({scheme}, {width} px): {line}"));
                }
                if let (Some(shots), 1 | 2) = (shots, kind) {
                    let name = if kind == 1 { "story" } else { "embed" };
                    screenshot(
                        tab,
                        width,
                        &shots.join(format!("{name}-{width}-{scheme}.png")),
                    );
                }
            }
        }
    }
    problems
}

/// The whole page, `width` wide, as a PNG at `path`.
fn screenshot(tab: &Tab, width: u32, path: &Path) {
    let height: u32 = chrome::eval_string(tab, "String(document.documentElement.scrollHeight)")
        .parse()
        .expect("page height");
    chrome::set_viewport(tab, width, height.min(8000));
    let png = tab
        .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("screenshot");
    std::fs::write(path, png).expect("screenshot saved");
    chrome::set_viewport(tab, width, 900);
}

/// Saves, as Chromium shows it, the social card of the first story on the
/// home page `server` serves: 1200 by 630 pixels.
fn save_card(tab: &Tab, server: &Server, path: &Path) {
    open(tab, &format!("http://127.0.0.1:{}/", server.port));
    let story = chrome::eval_string(tab, r#"document.querySelector(".card h2 a").href"#);
    chrome::set_viewport(tab, 1200, 630);
    open(tab, &format!("{story}card.png"));
    let size = chrome::eval_string(
        tab,
        r#"(() => { const img = document.querySelector("img");
            return img.naturalWidth + "x" + img.naturalHeight; })()"#,
    );
    assert_eq!(size, "1200x630", "the story's card.png");
    chrome::eval_string(tab, r#"document.body.style.margin = "0"; """#);
    let png = tab
        .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("screenshot");
    std::fs::write(path, png).expect("card saved");
    chrome::set_viewport(tab, 1280, 900);
}

/// The axe violations of every page kind of the site `server` serves, in
/// every mode, in a browser of its own; screenshots (and the first story's
/// card) go to `shots` if given.
fn axe_violations(server: &Server, shots: Option<&Path>) -> Option<Vec<String>> {
    let chromium = chrome::chromium_or_skip("browser_a11y")?;
    let axe = chrome::axe_or_skip("browser_a11y")?;
    let profile = tempfile::tempdir().expect("profile dir");
    let browser = chrome::launch(&chromium, profile.path());
    let tab = browser.new_tab().expect("a tab");
    let problems = check_site(&tab, server, &axe, shots);
    if let Some(shots) = shots {
        save_card(&tab, server, &shots.join("story-card.png"));
    }
    Some(problems)
}

fn assert_none(problems: Option<Vec<String>>) {
    let problems = problems.unwrap_or_default();
    assert!(
        problems.is_empty(),
        "{} accessibility violations:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// The two sites are two tests, so that they run at once (one browser each).

#[test]
fn every_page_kind_of_the_sample_site_passes_axe_in_light_and_dark_at_375_and_1280() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shots = root.join("target/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    assert_none(axe_violations(&Server::start_copy(root, 20), Some(&shots)));
}

#[test]
fn every_page_kind_with_hostile_content_passes_axe_in_light_and_dark_at_375_and_1280() {
    assert_none(axe_violations(&Server::start("hostile"), None));
}

#[test]
fn the_story_page_works_by_keyboard_highlights_its_target_and_prints_whole() {
    let Some(chromium) = chrome::chromium_or_skip("browser_a11y") else {
        return;
    };
    let server = Server::start("explainer");
    let profile = tempfile::tempdir().expect("profile dir");
    let browser = chrome::launch(&chromium, profile.path());
    let tab = browser.new_tab().expect("a tab");
    let story = format!("http://127.0.0.1:{}/flip-flops/", server.port);
    open(&tab, &story);

    // Tab through the page, noting what kinds of thing take the focus.
    let mut reached = std::collections::BTreeSet::new();
    for _ in 0..200 {
        tab.press_key("Tab").expect("Tab pressed");
        let kind = chrome::eval_string(
            &tab,
            r#"(() => { const a = document.activeElement;
                if (a.matches(".tl-mark")) return "graphic mark";
                if (a.matches("a.annotation")) return "annotation";
                if (a.closest("li.entry")) return "timeline entry";
                if (a.closest("li.reaction")) return "reaction";
                return a === document.body ? "end" : "other"; })()"#,
        );
        if kind == "end" {
            break;
        }
        reached.insert(kind);
    }
    for kind in ["graphic mark", "annotation", "timeline entry", "reaction"] {
        assert!(
            reached.contains(kind),
            "Tab never reaches a {kind}: {reached:?}"
        );
    }

    // An entry named in the address is outlined.
    // (A jump within the page: no navigation to wait for.)
    chrome::eval_string(&tab, r#"location.hash = "entry-hours-b""#);
    let outline = chrome::eval_string(
        &tab,
        r#"getComputedStyle(document.getElementById("entry-hours-b")).outlineStyle"#,
    );
    assert_ne!(outline, "none", "the targeted entry is highlighted");

    // Focusing an annotation highlights its entry and its mark (backtrack.js).
    let linked = chrome::eval_string(
        &tab,
        r##"(() => { document.querySelector('a.annotation[href="#entry-hours-a"]').focus();
            return [document.getElementById("entry-hours-a"), document.querySelector('a.tl-mark[href="#entry-hours-a"]')]
                .every(e => e.classList.contains("is-linked")); })()"##,
    );
    assert_eq!(
        linked, "true",
        "the entry and its mark light up with the annotation"
    );

    // Printed: the graphic, the timeline and the reactions, without the site's navigation.
    chrome::set_media(&tab, "print", "light");
    let printed = chrome::eval_string(
        &tab,
        r#"JSON.stringify(["figure.graphic", "ol.timeline", "aside.reactions", ".masthead nav"].map(s => getComputedStyle(document.querySelector(s)).display))"#,
    );
    let shown: Vec<String> = serde_json::from_str(&printed).expect("display values");
    assert_ne!(shown[0], "none", "the graphic prints: {shown:?}");
    assert_ne!(shown[1], "none", "the timeline prints: {shown:?}");
    assert_ne!(shown[2], "none", "the reactions print: {shown:?}");
    assert_eq!(shown[3], "none", "the site navigation does not: {shown:?}");
    chrome::set_media(&tab, "", "light");
}
