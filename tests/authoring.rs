//! The commands an author reaches for around the build: `init` (with
//! `--templates` and `--force`) and `new`, run as the real binary in
//! temporary folders, their output then built.

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `backtrack` with `args` (colour off) and returns what it did.
fn backtrack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backtrack"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("backtrack runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Builds the site at `root` into `root/public`, asserting it succeeds.
fn builds(root: &Path) {
    let root = root.to_str().expect("utf-8 path");
    let out = backtrack(&["build", "--root", root]);
    assert!(
        out.status.success(),
        "build failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn init_then_build_in_an_empty_folder() {
    let temp = tempfile::tempdir().expect("temp dir");
    let root = temp.path().join("site");
    let out = backtrack(&["init", root.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("wrote"), "{}", text(&out.stdout));
    assert!(
        !root.join("templates").exists(),
        "templates only on request"
    );
    builds(&root);
    let page = fs::read_to_string(root.join("public/first-story/index.html")).expect("page");
    assert!(page.contains("Two days is a short life for a promise."));
}

#[test]
fn init_refuses_a_folder_with_files_unless_forced_and_then_keeps_them() {
    let temp = tempfile::tempdir().expect("temp dir");
    let root = temp.path();
    fs::write(root.join("site.toml"), "# mine\n").expect("write");
    let out = backtrack(&["init", root.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("is not empty"),
        "{}",
        text(&out.stderr)
    );
    assert!(!root.join("content").exists(), "nothing written");

    let out = backtrack(&["init", "--force", root.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("site.toml (already there)"), "{said}");
    assert!(said.contains("wrote"), "{said}");
    assert_eq!(
        fs::read_to_string(root.join("site.toml")).expect("read"),
        "# mine\n"
    );
    assert!(root.join("content/first-story.md").is_file());
}

#[test]
fn init_templates_copies_the_theme_and_an_edit_to_it_shows_on_the_page() {
    let temp = tempfile::tempdir().expect("temp dir");
    let root = temp.path().join("site");
    let out = backtrack(&["init", "--templates", root.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for name in ["base.html", "story.html", "index.html", "atom.xml"] {
        let copied = fs::read_to_string(root.join("templates").join(name)).expect("copied");
        let original = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("templates")
                .join(name),
        )
        .expect("built-in");
        assert_eq!(copied, original, "{name}");
    }
    assert!(root.join("static/style.css").is_file());
    builds(&root);

    let story = root.join("templates/story.html");
    let template = fs::read_to_string(&story).expect("read");
    let edited = template.replacen("{{ story.title }}", "{{ story.title }} [edited theme]", 1);
    assert_ne!(edited, template, "story.html shows the title");
    fs::write(&story, edited).expect("write");
    builds(&root);
    let page = fs::read_to_string(root.join("public/first-story/index.html")).expect("page");
    assert!(page.contains("[edited theme]"), "{page}");
}

/// A site from `init` with `timezone` set, for `new` to write into.
fn site_in(zone: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = backtrack(&["init", temp.path().to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let settings = temp.path().join("site.toml");
    let toml = fs::read_to_string(&settings).expect("read");
    fs::write(&settings, format!("{toml}timezone = \"{zone}\"\n")).expect("write");
    temp
}

#[test]
fn new_writes_a_story_that_builds_and_never_overwrites_it() {
    let temp = site_in("Asia/Kolkata");
    let root = temp.path().to_str().expect("utf-8");
    let out = backtrack(&["new", "The Mayor's \"Toll\": Gone?", "--root", root]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let path = Path::new(printed.trim());
    assert!(
        path.ends_with("content/the-mayor-s-toll-gone.md"),
        "{printed}"
    );
    let story = fs::read_to_string(path).expect("written where it says");
    assert!(
        story.contains(r#"title = """The Mayor's "Toll": Gone?""""#),
        "the title quoted for TOML:\n{story}"
    );
    let published = story
        .lines()
        .find_map(|line| line.strip_prefix("published = "))
        .expect("published set");
    assert!(
        published.ends_with("+05:30"),
        "now in the site's zone: {published}"
    );
    assert!(
        story.contains("# [[timeline]]"),
        "the format shown, commented"
    );
    builds(temp.path());
    let page = fs::read_to_string(temp.path().join("public/the-mayor-s-toll-gone/index.html"))
        .expect("page");
    assert!(
        page.contains("<h1>The Mayor&#39;s &quot;Toll&quot;: Gone?</h1>"),
        "{page}"
    );

    fs::write(path, "mine").expect("write");
    let again = backtrack(&["new", "The mayor's toll: gone?", "--root", root]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("already exists"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(fs::read_to_string(path).expect("read"), "mine");
}

#[test]
fn new_puts_a_story_in_a_section_and_refuses_one_outside_content() {
    let temp = site_in("UTC");
    let root = temp.path().to_str().expect("utf-8");
    let out = backtrack(&[
        "new",
        "Budget vote",
        "--section",
        "2026/city",
        "--root",
        root,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        temp.path()
            .join("content/2026/city/budget-vote.md")
            .is_file()
    );
    let out = backtrack(&[
        "new",
        "Budget vote",
        "--section",
        "../elsewhere",
        "--root",
        root,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not a folder under content/"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn completions_are_written_for_each_shell_and_know_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = backtrack(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        for word in ["check", "new", "deny-warnings", "templates", "quiet"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    assert_eq!(backtrack(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn quiet_says_only_what_the_command_is_for_and_verbose_says_more() {
    let temp = tempfile::tempdir().expect("temp dir");
    let root = temp.path().join("site");
    let root = root.to_str().expect("utf-8");
    let out = backtrack(&["init", root, "--quiet"]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "", "init --quiet");
    let out = backtrack(&["--verbose", "build", "--root", root]);
    let said = text(&out.stdout);
    assert!(said.contains(" files written from "), "{said}");
    assert!(said.contains("Built 1 story"), "{said}");
    let out = backtrack(&["build", "--root", root, "-q"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "", "build --quiet");
    let out = backtrack(&["new", "Quiet story", "--root", root, "--quiet"]);
    assert!(
        text(&out.stdout).trim().ends_with("content/quiet-story.md"),
        "new prints its path even when quiet"
    );
    let out = backtrack(&["check", "--root", root, "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "", "no summary when quiet");
    assert!(
        text(&out.stderr).contains("warning: this story has no timeline"),
        "warnings still show"
    );
    assert_eq!(
        backtrack(&["build", "--quiet", "--verbose"]).status.code(),
        Some(2)
    );
}
