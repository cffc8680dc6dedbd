//! Headless Chromium for browser tests. A machine without Chromium skips
//! these tests, saying so, unless `BACKTRACK_REQUIRE_BROWSER=1` (set by
//! `.ci/run`), under which a missing browser is a failure.

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
    let required = std::env::var("BACKTRACK_REQUIRE_BROWSER").is_ok_and(|value| value == "1");
    assert!(
        !required,
        "{test}: Chromium is required (BACKTRACK_REQUIRE_BROWSER=1) but {} is missing",
        path.display()
    );
    // Straight to the stream, not eprintln!: the test harness would swallow it.
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test}: Chromium not installed at {} (apt-get install chromium)",
        path.display()
    );
    None
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
