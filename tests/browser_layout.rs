//! The sample story page in a real browser: the timeline and the reactions
//! sidebar are visible and laid out, the sidebar beside the story at 1280 px
//! and below it at 375 px; the timeline graphic, there and on the story's
//! embed page, fits the width without scrolling sideways, its text legible.
//! Screenshots go to `target/screenshots/` for review.

mod support;

#[path = "support/chrome.rs"]
mod chrome;

use std::path::Path;

use headless_chrome::protocol::cdp::Page;
use serde_json::Value;
use support::server::Server;

const STORY: &str = "trump-putin-cyber-unit/";

/// The boxes of the story column, the timeline and the sidebar at one width.
fn layout_at(tab: &headless_chrome::Tab, width: u32, url: &str, shot: &Path) -> Value {
    chrome::set_viewport(tab, width, 900);
    tab.navigate_to(url)
        .expect("navigates")
        .wait_until_navigated()
        .expect("loads");
    let measure = r#"(() => {
        const boxes = {};
        for (const [name, selector] of [["main", ".story-main"], ["timeline", "ol.timeline"], ["aside", "aside.reactions"], ["page", "body"]]) {
            const element = document.querySelector(selector);
            if (!element) { boxes[name] = null; continue; }
            const box = element.getBoundingClientRect();
            const style = getComputedStyle(element);
            boxes[name] = {left: box.left, right: box.right, top: box.top + scrollY, bottom: box.bottom + scrollY,
                           width: box.width, height: box.height,
                           visible: style.display !== "none" && style.visibility !== "hidden"};
        }
        boxes.scrollWidth = document.documentElement.scrollWidth;
        // The graphic: its box's overflow, and the drawing shown (one of two).
        const box = document.querySelector(".graphic-scroll");
        const shown = Array.from(document.querySelectorAll("svg.tl-graphic"))
            .filter(svg => getComputedStyle(svg).display !== "none");
        boxes.graphic = box && {overflow: box.scrollWidth - box.clientWidth,
            shown: shown.map(svg => svg.dataset.layout),
            // The 12-unit label font as drawn, in CSS pixels.
            font: shown.length ? 12 * shown[0].getBoundingClientRect().width / shown[0].viewBox.baseVal.width : 0};
        return JSON.stringify(boxes);
    })()"#;
    let result = tab.evaluate(measure, false).expect("layout measured");
    let text = result
        .value
        .and_then(|value| value.as_str().map(str::to_owned))
        .expect("a JSON string");
    let png = tab
        .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("screenshot");
    std::fs::write(shot, png).expect("screenshot saved");
    serde_json::from_str(&text).expect("layout JSON")
}

/// Asserts the graphic in `layout` shows one drawing (`expected`) that fits
/// its box, its labels drawn at 10 px or more.
fn assert_graphic_fits(layout: &Value, expected: &str, width: u32) {
    let graphic = &layout["graphic"];
    assert_eq!(
        graphic["shown"],
        serde_json::json!([expected]),
        "at {width} px: {layout}"
    );
    assert!(
        graphic["overflow"].as_f64().unwrap_or(f64::MAX) <= 0.0,
        "at {width} px the graphic does not scroll sideways: {layout}"
    );
    let font = graphic["font"].as_f64().unwrap_or(0.0);
    assert!(
        (10.0..=17.0).contains(&font),
        "at {width} px the graphic's labels are legible ({font:.1} px): {layout}"
    );
    assert!(
        layout["scrollWidth"].as_f64().unwrap_or(f64::MAX) <= f64::from(width) + 1.0,
        "nothing overflows a {width} px screen sideways: {layout}"
    );
}

fn number(layout: &Value, element: &str, field: &str) -> f64 {
    layout[element][field]
        .as_f64()
        .unwrap_or_else(|| panic!("{element}.{field} missing in {layout}"))
}

#[test]
fn the_story_page_and_its_embed_are_laid_out_for_a_phone_and_a_desktop() {
    let Some(chromium) = chrome::chromium_or_skip("browser_layout") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shots = root.join("target/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let server = Server::start_copy(root, 60);
    let profile = tempfile::tempdir().expect("profile dir");
    let browser = chrome::launch(&chromium, profile.path());
    let tab = browser.new_tab().expect("a tab");
    let url = format!("http://127.0.0.1:{}/{STORY}", server.port);

    let desktop = layout_at(&tab, 1280, &url, &shots.join("story-1280.png"));
    assert_graphic_fits(&desktop, "wide", 1280);
    for element in ["main", "timeline", "aside"] {
        assert_eq!(
            desktop[element]["visible"], true,
            "{element} hidden at 1280: {desktop}"
        );
        assert!(
            number(&desktop, element, "height") > 50.0,
            "{element} collapsed: {desktop}"
        );
    }
    assert!(
        number(&desktop, "aside", "left") >= number(&desktop, "main", "right") - 1.0,
        "at 1280 px the sidebar is beside the story: {desktop}"
    );
    assert!(
        number(&desktop, "aside", "top") < number(&desktop, "main", "bottom"),
        "at 1280 px the sidebar starts level with the story: {desktop}"
    );

    let phone = layout_at(&tab, 375, &url, &shots.join("story-375.png"));
    assert!(
        number(&phone, "aside", "top") >= number(&phone, "main", "bottom") - 1.0,
        "at 375 px the sidebar follows the story: {phone}"
    );
    assert_graphic_fits(&phone, "narrow", 375);

    // The embed page, as an <iframe> on another site may show it.
    let url = format!("http://127.0.0.1:{}/embed/{STORY}", server.port);
    for (width, drawing) in [(320, "narrow"), (375, "narrow"), (1280, "wide")] {
        let shot = shots.join(format!("embed-{width}.png"));
        let layout = layout_at(&tab, width, &url, &shot);
        assert_graphic_fits(&layout, drawing, width);
    }
}
