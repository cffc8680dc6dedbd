//! Progress of a long build on the terminal: a spinner while the stories are
//! read and their pages written, then a bar over the site's other pages
//! (listings, people, tags, feeds) as they are rendered and written. It appears only once a build has run for about a second (a quick
//! build prints its one summary line and nothing else), only when stderr is
//! a terminal, and never under `--quiet`; it is erased before the summary.

use std::io::IsTerminal as _;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its progress is shown.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A build's progress display; dropping it erases it.
pub struct Progress {
    bar: ProgressBar,
    /// Dropped when the build ends, which tells `shower` not to show the bar.
    done: Option<mpsc::Sender<()>>,
    /// Waits [`SHOW_AFTER`], then points the bar at stderr.
    shower: Option<JoinHandle<()>>,
}

impl Progress {
    /// Nothing shown (tests, `serve`, output that is not a terminal).
    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
            done: None,
            shower: None,
        }
    }

    /// Shown on stderr after about a second, if stderr is a terminal and
    /// not `quiet`.
    pub fn on_stderr(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::hidden();
        let (done, wait) = mpsc::channel::<()>();
        let shown = bar.clone();
        let shower = std::thread::spawn(move || {
            if wait.recv_timeout(SHOW_AFTER) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(100));
            }
        });
        let progress = Progress {
            bar,
            done: Some(done),
            shower: Some(shower),
        };
        progress.reading();
        progress
    }

    /// The first step: stories read and their pages written (no count known yet).
    fn reading(&self) {
        self.bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("a valid template"),
        );
        self.bar.set_message("Reading stories, writing their pages");
    }

    /// The site's other pages are rendered and written: `pages` of them.
    pub fn pages(&self, pages: usize) {
        self.bar.set_style(
            ProgressStyle::with_template(
                "{spinner} Writing pages [{bar:30}] {pos}/{len} {elapsed}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        self.bar.set_length(pages as u64);
        self.bar.set_position(0);
    }

    /// One more page rendered and written (called from any thread).
    pub fn page_done(&self) {
        self.bar.inc(1);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(shower) = self.shower.take() {
            let _ = shower.join();
        }
        self.bar.finish_and_clear();
    }
}
