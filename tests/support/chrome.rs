//! Headless Chromium for browser tests. A machine without Chromium skips
//! these tests, saying so, unless `BACKTRACK_REQUIRE_BROWSER=1` (set by
//! `.ci/run`), under which a missing browser is a failure.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use headless_chrome::{Browser, LaunchOptions};

/// Where Debian's package puts Chromium.
const CHROMIUM: &str = "/usr/bin/chromium";

/// Chromium, or `None` when it is missing and the run allows skipping.
pub fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from);
    if path.exists() {
        return Some(path);
    }
    skip(
        test,
        &format!(
            "Chromium not installed at {} (apt-get install chromium)",
            path.display()
        ),
    );
    None
}

/// axe-core's script, or `None` when it is not installed and the run
/// allows skipping (`.ci/run` installs it with npm).
pub fn axe_or_skip(test: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(AXE);
    if let Ok(script) = std::fs::read_to_string(&path) {
        return Some(script);
    }
    skip(
        test,
        &format!(
            "axe-core not installed at {} (npm ci --prefix tests/browser)",
            path.display()
        ),
    );
    None
}

/// Where npm puts axe-core for the browser tests.
const AXE: &str = "tests/browser/node_modules/axe-core/axe.min.js";

/// Says a test is skipped because `missing`, or fails it under
/// `BACKTRACK_REQUIRE_BROWSER=1`.
fn skip(test: &str, missing: &str) {
    let required = std::env::var("BACKTRACK_REQUIRE_BROWSER").is_ok_and(|value| value == "1");
    assert!(
        !required,
        "{test}: required (BACKTRACK_REQUIRE_BROWSER=1) but {missing}"
    );
    // Straight to the stream, not eprintln!: the test harness would swallow it.
    let _ = writeln!(std::io::stderr(), "skipped {test}: {missing}");
}

/// Starts headless Chromium with the flags this machine's closed network needs.
pub fn launch(chromium: &Path, profile: &Path) -> Browser {
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(chromium.to_owned()),
        user_data_dir: Some(profile.to_owned()),
        window_size: Some((1280, 900)),
        args,
        idle_browser_timeout: std::time::Duration::from_secs(60),
        ..LaunchOptions::default()
    };
    Browser::new(options).expect("headless Chromium starts")
}

/// Sets the viewport to `width` x `height` CSS pixels (a phone's below 600).
pub fn set_viewport(tab: &headless_chrome::Tab, width: u32, height: u32) {
    use headless_chrome::protocol::cdp::Emulation;
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("viewport set");
}

/// Emulates a media type (`"print"`, or `""` for the screen) and a colour
/// scheme (`"light"` or `"dark"`).
pub fn set_media(tab: &headless_chrome::Tab, media: &str, scheme: &str) {
    use headless_chrome::protocol::cdp::Emulation;
    tab.call_method(Emulation::SetEmulatedMedia {
        media: Some(media.to_owned()),
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".to_owned(),
            value: scheme.to_owned(),
        }]),
    })
    .expect("media emulated");
}

/// Runs `script` in the page and returns its value as a string (the
/// script's result is awaited if it is a promise).
pub fn eval_string(tab: &headless_chrome::Tab, script: &str) -> String {
    let result = tab.evaluate(script, true).expect("script runs");
    match result.value {
        Some(serde_json::Value::String(text)) => text,
        Some(other) => other.to_string(),
        None => String::new(),
    }
}
