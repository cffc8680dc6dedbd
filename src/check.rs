//! Step 2 of a build: the rules that span stories. Each story was checked on
//! its own as it was read; here the problems of every story are gathered,
//! and the site-wide rules are checked over the stories that will be built:
//! no two stories claim one URL (nor one of the site's own pages), and a
//! person id names one person, with one name, across every file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use ahash::AHashMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::people::{self, Registry};
use crate::load::story::{Outcome, Parsed};
use crate::model::Person;
use crate::urls::RESERVED_SLUGS;

/// What passed every check: the stories to build and everyone declared.
#[derive(Debug)]
pub struct Checked<'a> {
    /// The stories to build (drafts only when asked for), in path order.
    pub stories: Vec<&'a Parsed>,
    /// Every person declared in `people.toml` or a built story, by id.
    pub declared: BTreeMap<String, Arc<Person>>,
}

/// Checks the parsed `stories` (drafts built only with `drafts`) against
/// the shared `registry` and each other; every problem in the site at once.
pub fn site<'a>(
    registry: &Registry,
    stories: &'a BTreeMap<PathBuf, Outcome>,
    drafts: bool,
) -> Result<Checked<'a>, Diagnostics> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut built: Vec<&Parsed> = Vec::with_capacity(stories.len());
    for outcome in stories.values() {
        match outcome {
            Ok(story) if drafts || !story.story.draft => built.push(story),
            Ok(_) => {}
            Err(story_problems) => problems.extend(story_problems.iter().cloned()),
        }
    }
    claim_output_paths(&built, &mut problems);
    let declarations = registry
        .values()
        .chain(built.iter().flat_map(|story| story.declared.iter()));
    let declared = people::merge(declarations, &mut problems);
    if problems.is_empty() {
        Ok(Checked {
            stories: built,
            declared,
        })
    } else {
        let mut problems = Diagnostics(problems);
        problems.sort();
        Err(problems)
    }
}

/// Each story's URL is its own and none of the site's pages'.
fn claim_output_paths(built: &[&Parsed], problems: &mut Vec<Diagnostic>) {
    let mut claims: AHashMap<&str, &Parsed> = AHashMap::with_capacity(built.len());
    for story in built {
        let slug = story.story.slug.as_str();
        let first_segment = slug.split('/').next().unwrap_or(slug);
        if let Some((_, page)) = RESERVED_SLUGS.iter().find(|(reserved, _)| {
            *reserved == slug || (!reserved.is_empty() && *reserved == first_segment)
        }) {
            problems.push(
                Diagnostic::new(
                    &story.file,
                    story.slug_span.clone(),
                    format!("this story's URL /{slug} is taken by {page}"),
                )
                .with_help("give the story another `slug`"),
            );
        } else if let Some(first) = claims.get(slug) {
            problems.push(
                Diagnostic::new(
                    &story.file,
                    story.slug_span.clone(),
                    format!(
                        "this story and {} both claim the URL /{slug}/",
                        first.file.path.display()
                    ),
                )
                .with_related(&first.file, first.slug_span.clone(), "the other story")
                .with_help("give one of them a different `slug`"),
            );
        } else {
            claims.insert(slug, story);
        }
    }
}
