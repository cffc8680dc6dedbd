//! `backtrack build --watch`: keeps an output folder current while the
//! author edits, for those who serve `public/` themselves. The first build
//! is a whole one, swapped in as `build` does; after that each change is
//! rebuilt by an [`incremental::Session`] and only the files it changed are
//! replaced, each whole, through the same staging and journal as `build`
//! ([`Staging::keep_unmentioned`]): a rebuild killed at any moment leaves
//! each file old or new, and the next build finishes it. A failed rebuild
//! leaves the folder as the last good build left it.

use std::sync::mpsc;

use anyhow::{Result, bail};
use rayon::prelude::*;

use crate::incremental::{self, Dirty, Rebuild};
use crate::pipeline::{BuildError, Options, plural};
use crate::social_cards::SocialCards;
use crate::terminal::Terminal;
use crate::watch::{self, Change};
use crate::write::Staging;

/// Builds `options.output`, then rebuilds it on every change until the
/// process is stopped.
pub fn run(options: &Options, terminal: Terminal) -> Result<()> {
    let (changes_tx, changes) = mpsc::channel::<Change>();
    let _handle = watch::watch(&options.root, &options.output, changes_tx)?;
    let mut session = incremental::Session::new(options.clone());
    let cards = SocialCards::new(&options.root)?;
    let mut dirty = Dirty::Everything;
    terminal.say(format_args!(
        "Watching {} for changes (press Ctrl-C to stop)",
        crate::serve::the_site(&options.root)
    ));
    loop {
        let started = std::time::Instant::now();
        match session.rebuild(&dirty) {
            Ok(rebuild) => match apply(options, &rebuild, &cards) {
                Ok(()) => terminal.say(format_args!(
                    "{} {} ({}) in {} ms -> {}/",
                    if rebuild.full { "Built" } else { "Rebuilt" },
                    plural(rebuild.stories, "story"),
                    plural(
                        rebuild.changed.len() + rebuild.cards.len() + rebuild.removed.len(),
                        "file"
                    ),
                    started.elapsed().as_millis(),
                    options.output.display()
                )),
                Err(error) => eprintln!("error: {error:#}"),
            },
            Err(BuildError::Usage(error)) => bail!(error),
            Err(BuildError::Content(diagnostics)) => {
                eprint!("{}", diagnostics.render(terminal.color));
                eprintln!(
                    "The build failed; {} is left as the last good build wrote it",
                    options.output.display()
                );
            }
            Err(error) => eprintln!("error: {error}"),
        }
        let Ok(mut change) = changes.recv() else {
            return Ok(());
        };
        while let Ok(more) = changes.try_recv() {
            change.dirty = change.dirty.merge(more.dirty);
        }
        dirty = change.dirty;
    }
}

/// Writes what `rebuild` made: a whole site, or a few pages replaced and
/// removed with the rest of the output kept; its social cards drawn by
/// `cards` (or taken from the site's cache of them).
fn apply(options: &Options, rebuild: &Rebuild, cards: &SocialCards) -> Result<()> {
    let mut staging = Staging::begin(&options.output)?;
    if !rebuild.full {
        staging.keep_unmentioned()?;
        for path in &rebuild.removed {
            staging.remove(path);
        }
    }
    for (path, bytes) in &rebuild.changed {
        staging.write(path, bytes)?;
    }
    rebuild
        .cards
        .par_iter()
        .try_for_each(|(path, card)| cards.stage(path, card, &staging).map(drop))?;
    staging.commit()
}
