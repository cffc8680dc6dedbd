//! backtrack turns annotated news stories into explainer pages.
//!
//! An author writes Markdown stories whose TOML front matter lists the people
//! involved, their statements with timestamps, and others' reactions.
//! `backtrack build` is a chain of plain steps, each a function from one
//! value to the next ([`pipeline::build`] runs them in order):
//!
//! 1. [`load`]: the site's files → [`load::Sources`]: `site.toml`
//!    ([`config`]), `people.toml` and every story parsed and checked on its
//!    own ([`load::story`], with its body rendered by [`load::markdown`]).
//! 2. [`check`]: the site-wide rules (no two stories claim one URL, a person
//!    has one name) → the stories to build and everyone on the site.
//! 3. [`assemble`]: → the [`model::Site`] that pages are made from, stories
//!    newest first.
//! 4. [`render`]: the Tera theme over view structs ([`render::view`],
//!    enriched by [`timeline`]) → one page's bytes at a time, one renderer
//!    per page kind, links laid out by [`urls`].
//!    Each story's [`social_cards`] picture for link previews is drawn
//!    beside its page (or read from the site's cache of drawn cards).
//! 5. [`write`]: pages → the output folder, swapped in whole or not at all.
//!
//! `serve --watch` and `build --watch` keep one build's steps in an
//! [`incremental::Session`] and redo only what a change touches; [`serve`]
//! holds the site in memory and [`watch`] turns file events into changes.
//! [`init`] starts a site and [`new`] a story; [`review`] is `backtrack
//! check` (links, lints, external links) and [`schema`] the editors' JSON
//! Schemas; [`progress`] shows a long build on the terminal. Times are
//! [`times::Moment`]s; content problems are [`diagnostics::Diagnostic`]
//! values, collected across the whole site and reported together.

pub mod assemble;
pub mod build_watch;
pub mod check;
pub mod config;
pub mod diagnostics;
pub mod incremental;
pub mod init;
pub mod load;
pub(crate) mod model;
pub mod new;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod review;
pub mod schema;
pub mod serve;
pub mod social_cards;
pub mod terminal;
pub mod timeline;
pub(crate) mod times;
pub(crate) mod urls;
pub(crate) mod watch;
pub(crate) mod write;
