//! One test per rule a build enforces (docs/format.md): each broken fixture
//! under `tests/fixtures/<rule>/` lists in its `EXPECT` file, one line each,
//! the `path:line:column` and the text (message or help) each problem must be
//! reported with; a line without its place fails the test. Every test first builds a
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
    let reports = reports(&stderr);
    for line in expected.lines().filter(|line| !line.trim().is_empty()) {
        let (location, message) = line
            .split_once(' ')
            .filter(|(location, _)| is_location(location))
            .unwrap_or_else(|| {
                panic!("{rule}: EXPECT line without its path:line:column: {line:?}")
            });
        assert!(
            reports
                .iter()
                .any(|report| at(report, location) && report.contains(message)),
            "{rule}: no problem at {location} saying {message:?} in\n{stderr}"
        );
    }
    assert!(stderr.contains("nothing was written"), "{rule}:\n{stderr}");
    assert_eq!(
        snapshot_tree(&site.output),
        before,
        "{rule}: the last good output changed"
    );
    // The lock file stays (as Hugo's `.hugo_build.lock` does); nothing else.
    assert_eq!(
        support::leftovers(&site.output),
        Vec::<String>::new(),
        "{rule}: staging left behind"
    );
}

/// `path:line:column`, as EXPECT files and diagnostics write a place.
fn is_location(text: &str) -> bool {
    let mut parts = text.rsplitn(3, ':');
    let numbers = parts
        .by_ref()
        .take(2)
        .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()));
    numbers && parts.next().is_some_and(|path| !path.is_empty())
}

/// The problems a failed build printed, one text each (from its `error:` line
/// to the next), so that a message is checked against its own place.
fn reports(stderr: &str) -> Vec<String> {
    let mut reports: Vec<String> = Vec::new();
    for line in stderr.lines() {
        match reports.last_mut() {
            Some(report) if !line.starts_with("error") => {
                report.push_str(line);
                report.push('\n');
            }
            _ => reports.push(format!("{line}\n")),
        }
    }
    reports
}

/// Whether `report`'s primary place is `location` (exactly: `a.md:2:1` is not `a.md:2:10`).
fn at(report: &str, location: &str) -> bool {
    report
        .lines()
        .any(|line| line.trim_end().ends_with(&format!(" {location}")))
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
    typing_slips_images_of_ids_and_empty_annotations_are_refused => "check-errors",
}
