//! Test helpers that read like a sentence:
//! `SiteTest::fixture("explainer").build().page("flip-flops/index.html").contains("13 hours later")`.
//! Each test copies a fixture site into a temporary folder and runs the real
//! `backtrack` binary on it.

#![allow(dead_code)]

pub mod server;

#[path = "../../examples/corpus/generate.rs"]
mod generate;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The folder holding the fixture sites.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies every file under `from` into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture readable");
        let target = to.join(entry.path().strip_prefix(from).expect("under the fixture"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("folder created");
        } else {
            fs::copy(entry.path(), &target).expect("file copied");
        }
    }
}

/// Copies the site at `source` (its settings, people, content, templates
/// and static files; not its output or anything else) into `to`.
pub fn copy_site(source: &Path, to: &Path) {
    fs::create_dir_all(to).expect("site folder created");
    for part in ["site.toml", "people.toml", "content", "templates", "static"] {
        let from = source.join(part);
        if from.is_dir() {
            copy_tree(&from, &to.join(part));
        } else if from.is_file() {
            fs::copy(&from, to.join(part)).expect("file copied");
        }
    }
}

/// The repository's own site: the sample stories and the built-in theme.
pub fn sample_site() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The generated benchmark corpus of `stories` stories (`examples/corpus`,
/// `--flavor backtrack --seed 42`), made once under `target/bench/` and kept
/// there.
pub fn corpus(stories: usize) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Named apart from the corpora of the Python generator this one replaced.
    let dir = root.join(format!("target/bench/corpus-{stories}"));
    if !dir.join(".complete").exists() {
        let _ = fs::remove_dir_all(&dir);
        generate::write(&dir, stories, 42, generate::Flavor::Backtrack)
            .expect("the corpus is written");
        fs::write(dir.join(".complete"), "").expect("mark the corpus complete");
    }
    dir
}

/// Every file under `dir`, by relative path, with its bytes.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .to_owned();
            (relative, fs::read(entry.path()).expect("readable"))
        })
        .collect()
}

/// The hidden files and folders beside the output other than its lock:
/// staging folders and journals a build left behind.
pub fn leftovers(output: &Path) -> Vec<String> {
    let parent = output.parent().expect("output has a parent");
    let mut names: Vec<String> = fs::read_dir(parent)
        .expect("readable")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with('.') && !name.ends_with("backtrack-lock"))
        .collect();
    names.sort();
    names
}

/// A site in a temporary folder, and what building it did.
pub struct SiteTest {
    _temp: tempfile::TempDir,
    /// The site's folder.
    pub root: PathBuf,
    /// Where builds write.
    pub output: PathBuf,
    output_of_last: Option<Output>,
}

impl SiteTest {
    /// `backtrack build --watch` on this site, started: its stdout piped
    /// (one line a build), its stderr dropped.
    pub fn build_watch(&self) -> std::process::Child {
        Command::new(env!("CARGO_BIN_EXE_backtrack"))
            .args(["build", "--watch", "--root"])
            .arg(&self.root)
            .arg("--output")
            .arg(&self.output)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("backtrack build --watch starts")
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        SiteTest::copied(|copy| copy_tree(&fixtures().join(name), copy))
    }

    /// A copy of the site at `root`.
    pub fn copy_of(root: &Path) -> SiteTest {
        SiteTest::copied(|copy| copy_tree(root, copy))
    }

    /// A copy of the repository's sample site.
    pub fn sample() -> SiteTest {
        SiteTest::copied(|root| copy_site(&sample_site(), root))
    }

    /// A site in a new temporary folder, its files put there by `copy`.
    fn copied(copy: impl FnOnce(&Path)) -> SiteTest {
        let temp = tempfile::tempdir().expect("temp dir");
        let root = temp.path().join("site");
        copy(&root);
        let output = temp.path().join("out");
        SiteTest {
            _temp: temp,
            root,
            output,
            output_of_last: None,
        }
    }

    /// Replaces the site's files with those of another fixture.
    pub fn replace_with(self, name: &str) -> SiteTest {
        for dir in ["content", "templates", "static"] {
            let _ = fs::remove_dir_all(self.root.join(dir));
        }
        copy_tree(&fixtures().join(name), &self.root);
        self
    }

    /// Runs `backtrack build` with extra arguments.
    pub fn build_with(mut self, args: &[&str]) -> SiteTest {
        let output = Command::new(env!("CARGO_BIN_EXE_backtrack"))
            .arg("build")
            .arg("--root")
            .arg(&self.root)
            .arg("--output")
            .arg(&self.output)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("backtrack runs");
        self.output_of_last = Some(output);
        self
    }

    /// Runs `backtrack build`.
    pub fn build(self) -> SiteTest {
        self.build_with(&[])
    }

    fn last(&self) -> &Output {
        self.output_of_last.as_ref().expect("built first")
    }

    /// The exit code of the last build.
    pub fn exit_code(&self) -> i32 {
        self.last().status.code().unwrap_or(-1)
    }

    /// What the last build printed on stderr.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.last().stderr).into_owned()
    }

    /// What the last build printed on stdout.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.last().stdout).into_owned()
    }

    /// Asserts the last build succeeded.
    pub fn succeeded(self) -> SiteTest {
        assert_eq!(self.exit_code(), 0, "build failed:\n{}", self.stderr());
        self
    }

    /// One output file, as text.
    pub fn page(&self, path: &str) -> Page {
        let full = self.output.join(path);
        let text = fs::read_to_string(&full).unwrap_or_else(|error| {
            panic!(
                "{} not readable: {error}\n{}",
                full.display(),
                self.stderr()
            )
        });
        Page {
            path: path.to_owned(),
            text,
        }
    }

    /// Whether an output file exists.
    pub fn has(&self, path: &str) -> bool {
        self.output.join(path).exists()
    }
}

/// One built file.
pub struct Page {
    /// Its path in the output.
    pub path: String,
    /// Its text.
    pub text: String,
}

impl Page {
    /// Asserts the page contains `needle`.
    pub fn contains(&self, needle: &str) -> &Page {
        assert!(
            self.text.contains(needle),
            "{} lacks {needle:?}:\n{}",
            self.path,
            self.text
        );
        self
    }

    /// Asserts the page does not contain `needle`.
    pub fn lacks(&self, needle: &str) -> &Page {
        assert!(
            !self.text.contains(needle),
            "{} has {needle:?}:\n{}",
            self.path,
            self.text
        );
        self
    }

    /// Asserts `first` appears before `second`.
    pub fn in_order(&self, first: &str, second: &str) -> &Page {
        let a = self
            .text
            .find(first)
            .unwrap_or_else(|| panic!("{} lacks {first:?}", self.path));
        let b = self
            .text
            .find(second)
            .unwrap_or_else(|| panic!("{} lacks {second:?}", self.path));
        assert!(a < b, "{} has {second:?} before {first:?}", self.path);
        self
    }
}

/// A CSS selector, for reading built pages with scraper.
pub fn select(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).expect("valid selector")
}

/// An element's text, its white space folded to single spaces.
pub fn text_of(element: scraper::ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
