//! backtrack turns annotated news stories into explainer pages.
//!
//! An author writes Markdown stories whose TOML front matter lists the people
//! involved, their statements with timestamps, and others' reactions. The
//! pipeline is a short list of plain steps over one model:
//!
//! - [`config`]: `site.toml` → `Config`
//! - [`front_matter`], [`story`], [`people`]: files → validated `Story` values
//! - [`markdown`]: a story body → HTML, `@id` annotations resolved in one pass
//! - [`timeline`]: pure enrichment: order, reversals, durations, tallies
//! - [`view`], [`render`]: Tera over view structs → pages as values
//! - [`output`]: pages → an output directory, swapped in atomically
//! - [`site`]: the pipeline that ties them together
//! - [`serve`], [`watch`]: the live-reloading preview server
//!
//! Content problems are [`diagnostics::Diagnostic`] values, collected across the
//! whole site and reported together.

pub mod config;
pub mod depends;
pub mod diagnostics;
pub mod front_matter;
pub mod init;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod people;
pub mod render;
pub mod serve;
pub mod site;
pub mod story;
pub mod timeline;
pub mod times;
pub mod view;
pub mod watch;
