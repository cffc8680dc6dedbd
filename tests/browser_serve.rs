//! Live reload in a real browser: a story page open in headless Chromium shows
//! an edit made on disk within a second, with no action in the browser.

mod support;

use std::fs;
use std::time::{Duration, Instant};

use support::server::Server;

#[path = "support/chrome.rs"]
mod chrome;

#[test]
fn an_open_page_shows_a_saved_edit_within_a_second() {
    let Some(chromium) = chrome::chromium_or_skip("browser_serve") else {
        return;
    };
    let server = Server::start("explainer");
    let profile = tempfile::tempdir().expect("profile dir");
    let browser = chrome::launch(&chromium, profile.path());
    let tab = browser.new_tab().expect("a tab");
    let url = format!("http://127.0.0.1:{}/flip-flops/", server.port);
    tab.navigate_to(&url)
        .expect("navigates")
        .wait_until_navigated()
        .expect("loads");
    let holds = |script: &str| {
        tab.evaluate(script, false)
            .ok()
            .and_then(|result| result.value)
            .and_then(|value| value.as_bool())
            .unwrap_or(false)
    };
    let shows = |text: &str| holds(&format!("document.body.innerText.includes({text:?})"));
    let listening = || holds("document.documentElement.dataset.backtrackReload === 'listening'");
    assert!(shows("Hours: no."), "the page loaded");
    let opened = Instant::now();
    while !listening() && opened.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(listening(), "the page's event stream connected");

    let story = server.root.join("content/flip-flops.md");
    let text = fs::read_to_string(&story).expect("story");
    let saved = Instant::now();
    fs::write(&story, text.replace("Hours: no.", "Hours: never, ever.")).expect("edited");
    while !shows("Hours: never, ever.") && saved.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = saved.elapsed();
    assert!(shows("Hours: never, ever."), "the edit never showed");
    eprintln!(
        "save to visible change in the browser: {} ms",
        elapsed.as_millis()
    );
    assert!(
        elapsed < Duration::from_secs(1),
        "took {} ms",
        elapsed.as_millis()
    );
}
