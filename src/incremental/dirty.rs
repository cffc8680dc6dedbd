//! What changed since the last build, as the watcher reports it.

use std::collections::BTreeSet;
use std::path::PathBuf;

/// What changed since the last refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dirty {
    /// Re-read everything (first build, site.toml or people.toml changed,
    /// the watcher lost track).
    Everything,
    /// Only these files changed: story paths relative to the root, and
    /// whether templates did.
    Some {
        /// Story files created, modified or removed (relative to the root).
        stories: BTreeSet<PathBuf>,
        /// Any file under `templates/` changed.
        templates: bool,
        /// Any file under `static/` changed.
        statics: bool,
    },
}

impl Dirty {
    /// Both changes at once.
    pub fn merge(self, other: Dirty) -> Dirty {
        match (self, other) {
            (
                Dirty::Some {
                    mut stories,
                    templates,
                    statics,
                },
                Dirty::Some {
                    stories: more,
                    templates: more_templates,
                    statics: more_statics,
                },
            ) => {
                stories.extend(more);
                Dirty::Some {
                    stories,
                    templates: templates || more_templates,
                    statics: statics || more_statics,
                }
            }
            _ => Dirty::Everything,
        }
    }
}
