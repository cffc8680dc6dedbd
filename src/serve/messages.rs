//! What `serve` and `build --watch` tell the author on the terminal: where
//! the site is served, and one sentence per rebuild saying what changed.

use std::path::Path;
use std::time::Duration;

use super::ServeOptions;
use crate::incremental::Dirty;
use crate::pipeline::plural;
use crate::watch::Change;

/// "Serving the site at http://127.0.0.1:1111/ (press Ctrl-C to stop)",
/// naming the site's folder when it is not the current one.
pub(super) fn serving(options: &ServeOptions, url: &str) -> String {
    let site = the_site(&options.site.root);
    let watching = if options.watch {
        ", rebuilding it on every save"
    } else {
        ""
    };
    format!("Serving {site} at {url}{watching} (press Ctrl-C to stop)")
}

/// "the site", or "the site in ../blog" when it is not in the current folder.
pub(crate) fn the_site(root: &Path) -> String {
    if root == Path::new(".") {
        "the site".to_owned()
    } else {
        format!("the site in {}", root.display())
    }
}

/// What one rebuild did, for its line on the terminal.
pub(super) struct What<'a> {
    /// What the watcher saw.
    pub(super) change: &'a Change,
    /// Every page was rendered anew.
    pub(super) full: bool,
    /// Story files re-read.
    pub(super) stories: usize,
    /// Pages listing the edited stories, rendered after them.
    pub(super) listing: usize,
}

/// One line per rebuild, saying what changed and what it cost:
/// "Rebuilt 1 story in 3 ms, then the 17 pages that list it in 180 ms".
pub(super) fn rebuilt(what: &What<'_>, edited: Duration, listed: Duration) -> String {
    let (edited, listed) = (edited.as_millis(), listed.as_millis());
    let templates = matches!(
        what.change.dirty,
        Dirty::Some {
            templates: true,
            ..
        }
    );
    if what.full {
        let why = if templates {
            " (a template changed)"
        } else {
            ""
        };
        return format!(
            "Rebuilt the whole site, {}{why}, in {edited} ms",
            plural(what.stories, "story")
        );
    }
    if what.stories == 0 {
        let what_changed = if what.change.css_only {
            "the stylesheet"
        } else {
            "the static files"
        };
        return format!("Updated {what_changed} in {} ms", edited + listed);
    }
    let them = if what.stories == 1 { "it" } else { "them" };
    let story = format!("Rebuilt {} in {edited} ms", plural(what.stories, "story"));
    match what.listing {
        0 => story,
        1 => format!("{story}, then the page that lists {them} in {listed} ms"),
        pages => format!("{story}, then the {pages} pages that list {them} in {listed} ms"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use super::*;

    fn line(change: &Change, full: bool, stories: usize, listing: usize) -> String {
        let what = What {
            change,
            full,
            stories,
            listing,
        };
        rebuilt(&what, Duration::from_millis(3), Duration::from_millis(180))
    }

    fn edited(stories: &[&str], statics: bool, css_only: bool) -> Change {
        Change {
            dirty: Dirty::Some {
                stories: stories.iter().map(PathBuf::from).collect(),
                templates: false,
                statics,
            },
            css_only,
        }
    }

    #[test]
    fn each_rebuild_is_one_sentence_about_what_changed() {
        let one = edited(&["content/a.md"], false, false);
        assert_eq!(
            line(&one, false, 1, 17),
            "Rebuilt 1 story in 3 ms, then the 17 pages that list it in 180 ms"
        );
        let two = edited(&["content/a.md", "content/b.md"], false, false);
        assert_eq!(
            line(&two, false, 2, 1),
            "Rebuilt 2 stories in 3 ms, then the page that lists them in 180 ms"
        );
        let css = edited(&[], true, true);
        assert_eq!(line(&css, false, 0, 6), "Updated the stylesheet in 183 ms");
        let image = edited(&[], true, false);
        assert_eq!(
            line(&image, false, 0, 6),
            "Updated the static files in 183 ms"
        );
        let template = Change {
            dirty: Dirty::Some {
                stories: BTreeSet::new(),
                templates: true,
                statics: false,
            },
            css_only: false,
        };
        assert_eq!(
            line(&template, true, 4, 0),
            "Rebuilt the whole site, 4 stories (a template changed), in 3 ms"
        );
    }
}
