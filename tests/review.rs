//! `backtrack check` on fixture sites: each lint found where it is written,
//! broken internal links and fragments reported, the build's errors (two
//! new ones among them) reported without writing anything, the exit codes,
//! and `--external` against a local HTTP server.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output};

use support::SiteTest;
use support::server::free_port;

/// Runs `backtrack check` on the site with extra arguments.
fn check(site: &SiteTest, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backtrack"))
        .arg("check")
        .arg("--root")
        .arg(&site.root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("backtrack runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts `text` reports `message` at `location` (a `path:line:column`).
fn reports(text: &str, severity: &str, message: &str, location: &str) {
    let at = text
        .find(&format!("{severity}: {message}"))
        .unwrap_or_else(|| panic!("no {severity} {message:?} in\n{text}"));
    let next = text[at..].lines().nth(1).unwrap_or_default();
    assert!(
        next.ends_with(location),
        "{message:?} is reported at {next:?}, not {location}\n{text}"
    );
}

#[test]
fn lints_are_warnings_where_they_are_written_and_exit_zero_unless_denied() {
    let site = SiteTest::fixture("check-warnings");
    let out = check(&site, &[]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for (severity, message, location) in [
        (
            "warning",
            "possible unmarked reversal: `mayor` goes from \"For the toll\" to \"Against the toll\" with no `reverses`",
            "content/reversal.md:22:12",
        ),
        (
            "warning",
            "this reaction has no `source`",
            "content/reversal.md:25:6",
        ),
        (
            "warning",
            "this story has no timeline",
            "content/bare.md:2:9",
        ),
    ] {
        reports(&text, severity, message, location);
    }
    assert!(!text.contains("error"), "{text}");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("0 errors, 3 warnings"), "{summary}");
    assert!(!site.root.join("public").exists(), "check writes nothing");

    let denied = check(&site, &["--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1), "{}", stderr(&denied));
}

#[test]
fn broken_internal_links_and_fragments_are_errors_in_the_story() {
    let site = SiteTest::fixture("check-links");
    let out = check(&site, &[]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for (severity, message, location) in [
        (
            "error",
            "`/news/no-such-page/` leads to no page of this site",
            "content/links.md:19:36",
        ),
        (
            "error",
            "`/news/links/#entry-nope`: the page /news/links/ has no `#entry-nope`",
            "content/links.md:20:30",
        ),
        (
            "error",
            "`/elsewhere/` leads outside the site (/elsewhere/ is not under /news/)",
            "content/links.md:21:20",
        ),
        (
            "error",
            "`/news/tags/streets/` leads to no page of this site",
            "content/links.md:21:46",
        ),
    ] {
        reports(&text, severity, message, location);
    }
    assert_eq!(
        text.matches("error:").count(),
        4,
        "the good links pass:\n{text}"
    );
}

#[test]
fn build_errors_come_with_their_fixes_and_later_slips_as_warnings() {
    let site = SiteTest::fixture("check-errors");
    let out = check(&site, &[]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    reports(
        &text,
        "error",
        "invalid type: string \"2024-03-05\", expected a TOML datetime",
        "content/typed.md:3:13",
    );
    assert!(
        text.contains("help: a date is written without quotes: 2024-03-05"),
        "{text}"
    );
    for (severity, message, location) in [
        (
            "warning",
            "`at` is a date written as a string",
            "content/typed.md:11:6",
        ),
        (
            "error",
            "string values must be quoted, expected literal string",
            "content/curly.md:2:9",
        ),
    ] {
        reports(&text, severity, message, location);
    }
    assert!(
        text.contains("help: curly quotes are not TOML quotes"),
        "{text}"
    );
    for (severity, message, location) in [
        (
            "warning",
            "`“` used as a TOML quote",
            "content/curly.md:4:9",
        ),
        (
            "error",
            "an image cannot show the entry `@said`",
            "content/markdown.md:15:27",
        ),
        (
            "error",
            "this annotation has no text to show",
            "content/markdown.md:15:73",
        ),
    ] {
        reports(&text, severity, message, location);
    }
    assert!(
        !text.contains("curly.md:2:9\n  = help: TOML strings"),
        "one report per place:\n{text}"
    );
}

/// A local server: `/live` answers 200, `/dead` 404, `/moved` moves for
/// good to `/live`, `/for-now` moves for now to `/live`.
fn serve_fixed_answers() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).map_or(true, |read| read == 0) || header == "\r\n"
                {
                    break;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let head = match path {
                "/live" => "200 OK\r\nContent-Length: 2".to_owned(),
                "/moved" => format!(
                    "301 Moved Permanently\r\nLocation: http://{address}/live\r\nContent-Length: 0"
                ),
                "/for-now" => "302 Found\r\nLocation: /live\r\nContent-Length: 0".to_owned(),
                _ => "404 Not Found\r\nContent-Length: 2".to_owned(),
            };
            let body = if head.ends_with('2') { "ok" } else { "" };
            let _ = write!(stream, "HTTP/1.1 {head}\r\nConnection: close\r\n\r\n{body}");
        }
    });
    format!("http://{address}")
}

#[test]
fn external_links_dead_moved_and_unreachable_are_reported_and_live_ones_pass() {
    let server = serve_fixed_answers();
    let nobody = format!("http://127.0.0.1:{}", free_port());
    let site = SiteTest::fixture("check-warnings");
    let story = format!(
        r#"+++
title = "Sources"
published = 2024-03-05T09:00:00Z
[people.mayor]
name = "Mae Mayor"
[[timeline]]
id = "a"
by = "mayor"
at = 2024-03-01T10:00:00Z
said = "One."
source = "{server}/live"
[[timeline]]
id = "b"
by = "mayor"
at = 2024-03-02T10:00:00Z
said = "Two."
source = "{server}/dead"
+++

[Moved]({server}/moved), [for now]({server}/for-now), [nobody]({nobody}/x), [live again]({server}/live).
"#
    );
    std::fs::write(site.root.join("content/sources.md"), story).expect("write");
    let out = check(&site, &["--external"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for (severity, message, location) in [
        (
            "error",
            "dead link: HTTP 404 Not Found",
            "content/sources.md:17:10",
        ),
        (
            "warning",
            &format!("this link has moved for good to {server}/live"),
            "content/sources.md:20:9",
        ),
    ] {
        reports(&text, severity, message, location);
    }
    assert!(
        text.lines()
            .any(|line| line.starts_with("error: dead link: cannot fetch it")),
        "the port nobody listens on:\n{text}"
    );
    assert_eq!(text.matches("error: dead link").count(), 2, "{text}");
    assert_eq!(
        text.matches("┌─ content/sources.md").count(),
        3,
        "the live link and the temporary redirect pass:\n{text}"
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains(", 6 external"), "{summary}");
}
