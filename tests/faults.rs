//! Faults: whatever happens to a build (killed at a random point, also
//! while `build --watch` rebuilds after an edit; the disk
//! full, an unreadable or looping input, a link out of the site, a second
//! build at the same time), the output holds each file whole, the old
//! version or the new, and the next build makes what a clean build makes.
//!
//! The disk-full test mounts a small tmpfs, so it needs root; it skips
//! (saying so) otherwise, unless `BACKTRACK_REQUIRE_ROOT=1` (set by `.ci/run`).

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::hash::{BuildHasher as _, RandomState};
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{SiteTest, corpus, snapshot_tree};

type Tree = BTreeMap<PathBuf, Vec<u8>>;

/// Stories in the site the kill tests build: enough that a build takes a
/// while, few enough that the test stays quick.
const STORIES: usize = 300;

/// Kills per scenario.
const KILLS: usize = 4;

/// A random number below `bound`, different each run (printed by callers
/// so a failure can be read back).
fn random_below(bound: u64) -> u64 {
    RandomState::new().hash_one(Instant::now()) % bound.max(1)
}

fn backtrack(root: &Path, output: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_backtrack"));
    command
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output)
        .env("NO_COLOR", "1");
    command
}

fn without_marker(mut tree: Tree) -> Tree {
    tree.remove(Path::new(".backtrack"));
    tree
}

/// The output of a clean build of the site at `root`, and how long it took.
fn clean_build(root: &Path) -> (Tree, Duration) {
    let started = Instant::now();
    let fresh = SiteTest::copy_of(root).build().succeeded();
    let took = started.elapsed();
    (without_marker(snapshot_tree(&fresh.output)), took)
}

/// Asserts every file in `output` is whole: byte for byte the `old` or the
/// `new` version of that file.
fn assert_whole(output: &Path, old: &Tree, new: &Tree, what: &str) {
    for (path, bytes) in without_marker(snapshot_tree(output)) {
        assert!(
            old.get(&path) == Some(&bytes) || new.get(&path) == Some(&bytes),
            "{what}: {} is neither its old nor its new version ({} bytes)",
            path.display(),
            bytes.len()
        );
    }
}

/// Builds the site, changes it with `change`, then starts builds of the
/// changed site and kills each (SIGKILL) after a random delay; after each
/// kill every output file is whole, and a last build, left to finish, makes
/// exactly what a clean build of the changed site makes.
fn kill_builds_after(change: impl FnOnce(&Path), first_build: bool) {
    let site = SiteTest::copy_of(&corpus(STORIES));
    let site = if first_build {
        site
    } else {
        site.build().succeeded()
    };
    let old = without_marker(snapshot_tree(&site.output));
    change(&site.root);
    let (new, took) = clean_build(&site.root);
    let longest = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
    for kill in 0..KILLS {
        let delay = Duration::from_millis(random_below(longest));
        let mut child = backtrack(&site.root, &site.output)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("backtrack starts");
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL sent");
        child.wait().expect("reaped");
        let what = format!("kill {kill} after {} ms", delay.as_millis());
        assert_whole(&site.output, &old, &new, &what);
    }
    let site = site.build().succeeded();
    assert!(
        without_marker(snapshot_tree(&site.output)) == new,
        "the build after the kills differs from a clean build"
    );
    assert_eq!(support::leftovers(&site.output), Vec::<String>::new());
}

fn story_files(root: &Path) -> Vec<PathBuf> {
    let mut stories: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(|entry| entry.expect("readable").into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    stories.sort();
    stories
}

/// Edits ten stories' titles, adds five stories and removes five.
fn edit_add_remove(root: &Path) {
    let stories = story_files(root);
    for path in &stories[..10] {
        let text = fs::read_to_string(path).expect("story");
        fs::write(path, text.replacen("title = \"", "title = \"Edited: ", 1)).expect("edit");
    }
    for (index, path) in stories[10..15].iter().enumerate() {
        let text = fs::read_to_string(path).expect("story");
        let copy = path.with_file_name(format!("added-{index}.md"));
        fs::write(copy, text.replacen("title = \"", "title = \"Added: ", 1)).expect("add");
    }
    for path in &stories[stories.len() - 5..] {
        fs::remove_file(path).expect("remove");
    }
}

#[test]
fn a_killed_first_build_leaves_no_output_or_a_whole_one() {
    kill_builds_after(|_| {}, true);
}

#[test]
fn a_killed_build_with_nothing_changed_leaves_the_output_whole() {
    kill_builds_after(|_| {}, false);
}

#[test]
fn a_killed_build_after_edits_additions_and_removals_leaves_every_file_whole() {
    kill_builds_after(edit_add_remove, false);
}

/// `build --watch` killed at a random moment after an edit (before, while
/// or after it rebuilds): every file is whole, the version before the edit
/// or after it, and the next `build` makes what a clean build makes.
#[test]
fn a_build_watch_killed_while_it_rebuilds_leaves_every_file_whole() {
    let site = SiteTest::copy_of(&corpus(STORIES)).build().succeeded();
    let stories = story_files(&site.root);
    for (kill, story) in stories.iter().take(KILLS).enumerate() {
        let old = without_marker(snapshot_tree(&site.output));
        let mut watcher = site.build_watch();
        let stdout = watcher.stdout.take().expect("piped");
        let built = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.starts_with("Built"));
        assert!(built, "the watcher's first build finished");
        let text = fs::read_to_string(story).expect("story");
        fs::write(
            story,
            text.replacen("title = \"", &format!("title = \"Edit {kill}: "), 1),
        )
        .expect("edit");
        // The watcher waits a few tens of milliseconds for quiet, then
        // rebuilds in tens more: kills land before, during and after.
        let delay = Duration::from_millis(random_below(300));
        std::thread::sleep(delay);
        watcher.kill().expect("SIGKILL sent");
        watcher.wait().expect("reaped");
        let (new, _) = clean_build(&site.root);
        let what = format!("watcher killed {} ms after edit {kill}", delay.as_millis());
        assert_whole(&site.output, &old, &new, &what);
        let status = backtrack(&site.root, &site.output)
            .stdout(Stdio::null())
            .status()
            .expect("backtrack runs");
        assert!(status.success(), "{what}: the next build failed");
        assert!(
            without_marker(snapshot_tree(&site.output)) == new,
            "{what}: the next build differs from a clean build"
        );
    }
    assert_eq!(support::leftovers(&site.output), Vec::<String>::new());
}

#[test]
fn two_builds_of_one_output_at_once_never_mix() {
    let one = SiteTest::copy_of(&corpus(STORIES));
    let other = SiteTest::copy_of(&corpus(STORIES));
    edit_add_remove(&other.root);
    let (first, _) = clean_build(&one.root);
    let (second, _) = clean_build(&other.root);
    let output = one.output.clone();
    let builds: Vec<_> = [&one.root, &other.root]
        .into_iter()
        .map(|root| {
            backtrack(root, &output)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("backtrack starts")
        })
        .collect();
    for build in builds {
        let finished = build.wait_with_output().expect("finished");
        assert!(
            finished.status.success(),
            "{}",
            String::from_utf8_lossy(&finished.stderr)
        );
    }
    let made = without_marker(snapshot_tree(&output));
    assert!(
        made == first || made == second,
        "the output is a mix of two builds"
    );
    assert_eq!(support::leftovers(&output), Vec::<String>::new());
}

/// A tmpfs of `size` mounted on a fresh folder, unmounted when dropped.
struct SmallDisk {
    _temp: tempfile::TempDir,
    mount: PathBuf,
}

impl SmallDisk {
    /// `None` (and why, printed) when not root, unless root is required.
    fn mount(size: &str) -> Option<SmallDisk> {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| out.stdout.starts_with(b"0\n"));
        if !root {
            assert!(
                std::env::var_os("BACKTRACK_REQUIRE_ROOT").is_none_or(|value| value != "1"),
                "BACKTRACK_REQUIRE_ROOT=1 but not running as root"
            );
            eprintln!("skipped: mounting a small tmpfs to fill needs root");
            return None;
        }
        let temp = tempfile::tempdir().expect("temp dir");
        let mount = temp.path().join("disk");
        fs::create_dir(&mount).expect("mount point");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&mount)
            .status()
            .expect("mount runs");
        assert!(status.success(), "mounting a tmpfs failed");
        Some(SmallDisk { _temp: temp, mount })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.mount).status();
    }
}

#[test]
fn a_full_disk_fails_the_build_clearly_and_keeps_the_last_good_output() {
    let Some(disk) = SmallDisk::mount("2m") else {
        return;
    };
    let mut site = SiteTest::fixture("explainer");
    site.output = disk.mount.join("public");
    let site = site.build().succeeded();
    let good = snapshot_tree(&site.output);
    // Random bytes do not compress: 4 MB cannot fit in 2.
    let noise: Vec<u8> = (0..4 * 1024 * 1024 / 8)
        .flat_map(|_| random_below(u64::MAX).to_le_bytes())
        .collect();
    fs::create_dir_all(site.root.join("static")).expect("static folder");
    fs::write(site.root.join("static/video.bin"), noise).expect("a large file");
    let site = site.build();
    assert_ne!(site.exit_code(), 0, "the build cannot fit");
    assert!(
        site.stderr().contains("No space left on device"),
        "{}",
        site.stderr()
    );
    assert!(site.stderr().contains("video.bin"), "{}", site.stderr());
    assert!(
        snapshot_tree(&site.output) == good,
        "the last good output changed"
    );
    assert_eq!(support::leftovers(&site.output), Vec::<String>::new());
}

#[test]
fn an_unreadable_story_is_named_and_the_output_kept() {
    let site = SiteTest::fixture("explainer").build().succeeded();
    let good = snapshot_tree(&site.output);
    let story = site.root.join("content/locked.md");
    fs::write(&story, "+++\ntitle = \"Locked\"\n+++\nBody.\n").expect("story");
    if Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.starts_with(b"0\n"))
    {
        // Root reads a file whatever its mode (chmod 000 stops nobody), so
        // as root the story that cannot be read is a link to nothing.
        fs::remove_file(&story).expect("removed");
        std::os::unix::fs::symlink("nowhere.md", &story).expect("symlink");
    } else {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&story, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    }
    let site = site.build();
    assert_ne!(site.exit_code(), 0);
    assert!(site.stderr().contains("locked.md"), "{}", site.stderr());
    assert!(
        snapshot_tree(&site.output) == good,
        "the last good output changed"
    );
}

#[test]
fn a_symlink_loop_in_content_is_reported_not_followed_forever() {
    let site = SiteTest::fixture("explainer").build().succeeded();
    let good = snapshot_tree(&site.output);
    std::os::unix::fs::symlink("..", site.root.join("content/loop")).expect("symlink");
    let site = site.build();
    assert_ne!(site.exit_code(), 0);
    assert!(site.stderr().contains("loop"), "{}", site.stderr());
    assert!(
        snapshot_tree(&site.output) == good,
        "the last good output changed"
    );
}

#[test]
fn a_symlink_in_static_pointing_outside_the_site_is_refused() {
    let site = SiteTest::fixture("explainer");
    let secret = site.root.parent().expect("temp").join("secret.txt");
    fs::write(&secret, "private key").expect("secret");
    fs::create_dir_all(site.root.join("static")).expect("static");
    std::os::unix::fs::symlink(&secret, site.root.join("static/leak.txt")).expect("symlink");
    let site = site.build();
    assert_ne!(site.exit_code(), 0);
    assert!(
        site.stderr().contains("static/leak.txt") && site.stderr().contains("symbolic link"),
        "{}",
        site.stderr()
    );
    assert!(!site.has("leak.txt"));
}
