//! `backtrack schema`: JSON Schemas of a story's front matter, `site.toml`
//! and `people.toml`, for TOML language servers (Taplo, and so VS Code's
//! "Even Better TOML") to complete keys and check values as an author types.
//! They are generated from the very types the parser reads (with schemars),
//! so they cannot drift from what a build accepts; the types' doc comments
//! are the descriptions an editor shows.

use std::collections::BTreeMap;

use schemars::SchemaGenerator;
use schemars::generate::SchemaSettings;

use crate::config::RawConfig;
use crate::load::people::RawPerson;
use crate::load::story::RawStory;

pub(crate) mod datetime;

/// The documents backtrack reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// A story's front matter (the TOML between the `+++` lines).
    Story,
    /// `site.toml`.
    Site,
    /// `people.toml`.
    People,
}

/// The JSON Schema of `document`, pretty-printed.
pub fn json(document: Document) -> String {
    // Draft 7: the newest Taplo's validator reads in full.
    let generator = SchemaGenerator::new(SchemaSettings::draft07());
    let schema = match document {
        Document::Story => generator.into_root_schema_for::<RawStory>(),
        Document::Site => generator.into_root_schema_for::<RawConfig>(),
        Document::People => {
            let mut schema = generator.into_root_schema_for::<BTreeMap<String, RawPerson>>();
            schema.insert("title".into(), "backtrack people.toml".into());
            schema.insert(
                "description".into(),
                "People quoted across the site, one table per person id ([trump], name = ...)"
                    .into(),
            );
            schema
        }
    };
    serde_json::to_string_pretty(&schema).unwrap_or_else(|_| unreachable!("JSON values print"))
}
