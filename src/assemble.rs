//! Step 3 of a build: the checked stories and people become the
//! [`Site`] every page is rendered from: stories newest first (ties broken
//! by slug, so the order never depends on the file system), and the people
//! who appear in a built story.

use std::sync::Arc;

use ahash::AHashSet;

use crate::check::Checked;
use crate::config::Config;
use crate::model::{Site, Story};

/// The site of `checked` stories, with these settings.
pub fn site(config: &Config, checked: Checked) -> Site {
    // Sort compact keys, not the stories: comparing through each story's
    // pointer costs a cache miss per comparison at archive sizes.
    let mut order: Vec<(jiff::Timestamp, &str, &Arc<Story>)> = checked
        .stories
        .iter()
        .map(|parsed| {
            let story = &parsed.story;
            (story.published.instant, story.slug.as_str(), story)
        })
        .collect();
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let stories: Vec<Arc<Story>> = order
        .into_iter()
        .map(|(_, _, story)| Arc::clone(story))
        .collect();
    let quoted: AHashSet<&str> = stories
        .iter()
        .flat_map(|story| story.people.keys().map(String::as_str))
        .collect();
    let people = checked
        .declared
        .into_iter()
        .filter(|(id, _)| quoted.contains(id.as_str()))
        .collect();
    Site {
        config: config.clone(),
        stories,
        people,
    }
}
