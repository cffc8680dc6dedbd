//! `backtrack serve --watch` over real HTTP: pages, 404s, hostile paths and
//! hosts, live rebuilds, the error overlay and incremental correctness.

mod support;

use std::fs;
use std::io::BufRead;
use std::time::{Duration, Instant};

use support::server::{Server, free_port};

const STORY: &str = "/flip-flops/";

#[test]
fn pages_are_served_with_their_types_and_missing_ones_get_the_404_page() {
    let server = Server::start("explainer");
    let page = server.get(STORY);
    assert_eq!(page.status, 200);
    assert!(
        page.headers
            .contains("content-type: text/html; charset=utf-8"),
        "{}",
        page.headers
    );
    assert!(page.body.contains("13 hours later"));
    assert!(
        page.body.contains("/__backtrack/events"),
        "reload script injected"
    );
    let css = server.get("/style.css");
    assert!(
        css.headers.contains("content-type: text/css"),
        "{}",
        css.headers
    );
    assert!(
        server
            .get("/atom.xml")
            .headers
            .contains("application/atom+xml")
    );
    assert!(
        server
            .get("/stories.json")
            .headers
            .contains("application/json")
    );
    let missing = server.get("/no-such-story/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Not found"));
    let redirect = server.get("/flip-flops");
    assert_eq!(redirect.status, 302);
    assert!(
        redirect.headers.contains("location: /flip-flops/"),
        "{}",
        redirect.headers
    );
    assert!(
        !page
            .headers
            .to_lowercase()
            .contains("access-control-allow-origin")
    );
}

#[test]
fn paths_that_try_to_leave_the_site_are_refused_and_the_server_lives_on() {
    let mut server = Server::start("explainer");
    let long = format!("/{}", "a".repeat(10 * 1024));
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "//etc/passwd",
        "/%00",
        "/flip-flops/%00index.html",
        "/%ff",
        "/a\\..\\b",
        long.as_str(),
    ] {
        let reply = server.get(path);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path}: {}",
            reply.status
        );
        assert!(!reply.body.contains("root:x:0:0"), "{path} leaked a file");
    }
    assert!(server.alive(), "the server survived");
    assert_eq!(server.get(STORY).status, 200);
}

#[test]
fn the_server_listens_on_the_loopback_address_only() {
    let server = Server::start("explainer");
    let port = format!(":{:04X} ", server.port);
    let mut listening = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        // Columns: sl, local address (hex IP:port), remote address, state (0A = LISTEN).
        for line in text.lines().skip(1) {
            let columns: Vec<&str> = line.split_whitespace().collect();
            if columns.len() > 3
                && columns[3] == "0A"
                && format!("{} ", columns[1]).ends_with(&port)
            {
                listening.push(columns[1].to_owned());
            }
        }
    }
    assert!(
        !listening.is_empty(),
        "nothing listens on port {}",
        server.port
    );
    for address in listening {
        assert!(
            address.starts_with("0100007F:"),
            "listening on {address}, not 127.0.0.1"
        );
    }
}

#[test]
fn a_foreign_host_is_refused() {
    let server = Server::start("explainer");
    let reply = server.raw(&format!(
        "GET {STORY} HTTP/1.1\r\nHost: attacker.example:{}\r\nConnection: close\r\n\r\n",
        server.port
    ));
    assert_eq!(reply.status, 403);
    let ok = server.raw(&format!(
        "GET {STORY} HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        server.port
    ));
    assert_eq!(ok.status, 200);
}

#[test]
fn an_edit_sends_a_reload_event_and_serves_the_new_page() {
    let server = Server::start("explainer");
    let mut events = server.events();
    let story = server.root.join("content/flip-flops.md");
    let text = fs::read_to_string(&story).expect("story");
    fs::write(&story, text.replace("Hours: no.", "Hours: absolutely not.")).expect("edited");
    let mut line = String::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !line.contains("event: reload") && Instant::now() < deadline {
        line.clear();
        if events.read_line(&mut line).is_err() {
            break;
        }
    }
    assert!(
        line.contains("event: reload"),
        "no reload event; last line {line:?}"
    );
    assert!(server.get(STORY).body.contains("Hours: absolutely not."));
    assert!(
        server
            .get("/people/mayor/")
            .body
            .contains("Hours: absolutely not."),
        "a page listing the story is current as soon as the reload is announced"
    );
}

#[test]
fn a_burst_of_500_files_is_one_rebuild() {
    let server = Server::start("explainer");
    let content = server.root.join("content/burst");
    fs::create_dir_all(&content).expect("folder");
    // What a `git checkout` does: many files written as fast as the disk takes them.
    for n in 0..500 {
        fs::write(
            content.join(format!("story-{n:03}.md")),
            format!("+++\ntitle = \"Burst {n}\"\npublished = 2021-01-01\n+++\nStory {n}.\n"),
        )
        .expect("story written");
    }
    let last = server.wait_for_page("/burst/story-499/", |reply| reply.status == 200, 20);
    assert_eq!(last.status, 200, "{:?}", server.lines());
    assert!(server.get("/burst/story-000/").body.contains("Story 0."));
    // Any late part of the burst would be rebuilt before a later save is.
    server.save_the_settings_again();
    assert_eq!(server.rebuilds(), 2, "{:?}", server.lines());
}

#[test]
fn a_broken_save_keeps_the_last_good_page_with_the_errors_over_it() {
    let server = Server::start("explainer");
    let story = server.root.join("content/flip-flops.md");
    let good = fs::read_to_string(&story).expect("story");
    fs::write(
        &story,
        good.replace("stance = \"critical\"", "stance = \"critcal\""),
    )
    .expect("broken");
    let broken = server.wait_for_page(STORY, |reply| reply.body.contains("backtrack-errors"), 5);
    assert!(broken.body.contains("backtrack-errors"), "overlay shown");
    assert!(
        broken.body.contains("content/flip-flops.md:"),
        "location shown"
    );
    assert!(broken.body.contains("did you mean `critical`?"));
    assert!(
        broken.body.contains("13 hours later"),
        "the last good page is still served"
    );
    assert!(
        server.get("/").body.contains("backtrack-errors"),
        "on every page"
    );
    fs::write(&story, &good).expect("fixed");
    let fixed = server.wait_for_page(STORY, |reply| !reply.body.contains("backtrack-errors"), 5);
    assert!(!fixed.body.contains("backtrack-errors"), "overlay cleared");
}

#[test]
fn an_atomic_rename_save_is_exactly_one_rebuild() {
    let server = Server::start("explainer");
    let story = server.root.join("content/flip-flops.md");
    let temp = server.root.join("content/.flip-flops.md.swp");
    let text = fs::read_to_string(&story).expect("story");
    fs::write(&temp, text.replace("Days: no.", "Days: saved atomically.")).expect("temp written");
    fs::rename(&temp, &story).expect("renamed over");
    let page = server.wait_for_page(STORY, |reply| reply.body.contains("saved atomically"), 5);
    assert!(page.body.contains("saved atomically"));
    server.save_the_settings_again();
    assert_eq!(server.rebuilds(), 2, "{:?}", server.lines());
}

#[test]
fn a_deleted_story_answers_404_at_once() {
    let server = Server::start("explainer");
    fs::remove_file(server.root.join("content/flip-flops.md")).expect("deleted");
    let gone = server.wait_for_page(STORY, |reply| reply.status == 404, 5);
    assert_eq!(gone.status, 404);
    assert!(!server.get("/").body.contains("Flip-flops, timed"));
}

#[test]
fn a_taken_port_is_a_clear_error_naming_the_flag() {
    let port = free_port();
    let _holder = std::net::TcpListener::bind(("127.0.0.1", port)).expect("port held");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_backtrack"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(support::fixtures().join("explainer"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
fn a_site_under_a_path_is_reached_from_the_server_root() {
    let server = Server::start("subpath");
    let address = format!("at http://127.0.0.1:{}/news/,", server.port);
    assert!(
        server
            .lines()
            .iter()
            .any(|line| line.starts_with("Serving") && line.contains(&address)),
        "the printed address is the site's: {:?}",
        server.lines()
    );
    let root = server.get("/");
    assert_eq!(root.status, 302, "{}", root.headers);
    assert!(
        root.headers.contains("location: /news/"),
        "{}",
        root.headers
    );
    assert_eq!(server.get("/news/").status, 200);
    assert_eq!(server.get("/elsewhere/").status, 404);
}

#[test]
fn sigterm_stops_the_server_as_ctrl_c_does() {
    let mut server = Server::start("explainer");
    server.terminate();
    let status = server
        .wait_for_exit(5)
        .expect("stopped within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
    assert!(
        server.wait_for(|line| line == "Stopped.", 5),
        "{:?}",
        server.lines()
    );
}

#[test]
fn a_stylesheet_edit_is_announced_as_such_not_as_0_stories_rebuilt() {
    // This fixture has a static/ folder, which the watcher watches from the start.
    let server = Server::start("templates-override");
    fs::write(server.root.join("static/style.css"), "body { color: red }").expect("css");
    assert!(
        server.wait_for(|line| line.starts_with("Updated the stylesheet in "), 5),
        "{:?}",
        server.lines()
    );
    assert!(
        server.get("/style.css").body.contains("color: red"),
        "the new stylesheet is served"
    );
    assert!(
        !server.lines().iter().any(|line| line.contains("0 stories")),
        "{:?}",
        server.lines()
    );
}
