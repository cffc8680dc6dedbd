//! One test per rule a build enforces (FORMAT.md): each broken fixture under
//! `tests/fixtures/<rule>/` lists in its `EXPECT` file the `path:line:column`
//! and message each problem must be reported with. Every test first builds a
//! good site, then breaks it and builds again into the same output: the build
//! must exit 1, report every expected problem, and leave the previous output
//! byte for byte as it was, with no staging folder behind.

mod support;

use std::fs;

use support::{SiteTest, fixtures, snapshot_tree};

fn rejects(rule: &str) {
    let site = SiteTest::fixture("explainer").build().succeeded();
    let before = snapshot_tree(&site.output);
    let site = site.replace_with(rule).build();
    assert_eq!(site.exit_code(), 1, "{rule}: exit code\n{}", site.stderr());
    let stderr = site.stderr();
    let expected = fs::read_to_string(fixtures().join(rule).join("EXPECT")).expect("EXPECT file");
    for line in expected.lines().filter(|line| !line.trim().is_empty()) {
        let (location, message) = match line.split_once(' ') {
            Some((location, message)) if location.contains(':') => (location, message),
            _ => ("", line),
        };
        assert!(
            stderr.contains(location),
            "{rule}: no {location} in\n{stderr}"
        );
        assert!(
            stderr.contains(message),
            "{rule}: no {message:?} in\n{stderr}"
        );
    }
    assert!(stderr.contains("nothing was written"), "{rule}:\n{stderr}");
    assert_eq!(
        snapshot_tree(&site.output),
        before,
        "{rule}: the last good output changed"
    );
    let siblings: Vec<String> = fs::read_dir(site.output.parent().expect("has a parent"))
        .expect("readable")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(
        // The lock file stays (as Hugo's `.hugo_build.lock` does); nothing else.
        siblings
            .iter()
            .all(|name| !name.contains("backtrack-") || name.ends_with(".backtrack-lock")),
        "{rule}: staging left behind: {siblings:?}"
    );
}

macro_rules! rule {
    ($($test:ident => $fixture:literal,)*) => {
        $(#[test] fn $test() { rejects($fixture); })*
    };
}

rule! {
    front_matter_must_be_present => "missing-front-matter",
    front_matter_must_be_closed => "unclosed-front-matter",
    front_matter_must_be_valid_toml => "invalid-toml",
    title_is_required => "missing-title",
    unknown_story_keys_are_refused => "unknown-story-key",
    unknown_person_keys_are_refused => "unknown-person-key",
    unknown_timeline_keys_are_refused => "unknown-timeline-key",
    unknown_reaction_keys_are_refused => "unknown-reaction-key",
    ids_are_unique_within_a_story => "duplicate-id",
    by_names_a_person => "unknown-by",
    reverses_names_an_entry => "unknown-reverses",
    responds_to_names_an_entry => "unknown-responds-to",
    annotations_name_an_entry_or_reaction => "unknown-annotation",
    a_reversal_is_later_than_what_it_reverses => "reversal-not-later",
    reversal_chains_have_no_cycles => "reversal-cycle",
    stance_takes_only_known_values => "bad-stance",
    flip_takes_only_half_or_full => "bad-flip",
    dates_are_real => "impossible-date",
    local_times_need_a_timezone => "local-time-without-timezone",
    a_local_time_in_the_spring_forward_gap_is_refused => "dst-gap",
    a_local_time_in_the_fall_back_hour_is_refused => "dst-fold",
    ids_keep_to_the_slug_alphabet => "hostile-id",
    sources_are_http => "non-http-source",
    person_urls_are_http => "non-http-url",
    two_stories_never_claim_one_path => "duplicate-output-path",
    a_person_id_has_one_name_across_files => "person-name-conflict",
    files_are_utf8 => "non-utf8",
    unknown_site_keys_are_refused => "unknown-site-key",
    time_zones_are_iana_names => "unknown-timezone",
    templates_that_do_not_parse_are_reported => "bad-template",
    templates_name_only_what_exists => "template-unknown-names",
    a_template_extends_only_what_exists => "template-missing-parent",
    templates_use_only_fields_that_exist => "template-render-error",
    every_problem_is_reported_in_one_run => "many-errors",
}
