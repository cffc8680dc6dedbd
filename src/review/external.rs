//! `check --external`: every `source` and body link of the stories asked
//! over HTTP(S) whether it is still there. Each address is asked once (a
//! GET, redirects followed by hand so a permanent move can be told apart),
//! by a few threads at a time and at most a couple per host, each request
//! with a time limit. A dead link (an HTTP error, a name that does not
//! resolve, no answer in time) is an error at every place it is written; a
//! permanent redirect is a warning naming the new address.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ops::Range;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use pulldown_cmark::{Event, Parser, Tag};
use toml::de::{DeTable, DeValue};
use url::Url;

use super::lints::{spanned, tables};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::load::front_matter::split;
use crate::terminal::Terminal;

/// How hard `--external` may press on the network.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests in flight to one host at once.
    pub per_host: usize,
    /// How long one request may take, connecting included.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            concurrency: 8,
            per_host: 2,
            timeout: Duration::from_secs(10),
        }
    }
}

/// Redirects followed before a link counts as dead.
const MAX_HOPS: usize = 5;

/// An external address as a story writes it.
pub(crate) struct Written {
    url: String,
    file: Arc<SourceFile>,
    span: Range<usize>,
}

/// Every http(s) `source` and body link in `stories`.
pub(crate) fn written_links(stories: &[Arc<SourceFile>]) -> Vec<Written> {
    let mut found = Vec::new();
    for file in stories {
        let Ok(parts) = split(file) else { continue };
        let (front, _) = DeTable::parse_recoverable(parts.front);
        let front = front.get_ref();
        for table in tables(front, "timeline")
            .into_iter()
            .chain(tables(front, "reactions"))
        {
            if let Some(source) = spanned(table, "source")
                && let DeValue::String(url) = source.get_ref()
            {
                let span = source.span();
                found.push(Written {
                    url: url.to_string(),
                    file: Arc::clone(file),
                    span: span.start + parts.front_offset..span.end + parts.front_offset,
                });
            }
        }
        for (event, range) in Parser::new(parts.body).into_offset_iter() {
            if let Event::Start(Tag::Link { dest_url, .. }) = event
                && (dest_url.starts_with("http://") || dest_url.starts_with("https://"))
            {
                let at = parts.body[range.clone()]
                    .rfind(dest_url.as_ref())
                    .map_or(range.start, |at| range.start + at);
                let start = parts.body_offset + at;
                found.push(Written {
                    url: dest_url.to_string(),
                    file: Arc::clone(file),
                    span: start..start + dest_url.len(),
                });
            }
        }
    }
    found
}

/// What asking an address found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Live,
    Moved(String),
    Dead(String),
}

/// Asks every address of `written` once and reports the dead and the moved.
pub(crate) fn check(written: Vec<Written>, limits: &Limits, terminal: Terminal) -> Vec<Diagnostic> {
    let mut places: BTreeMap<String, Vec<Written>> = BTreeMap::new();
    for link in written {
        places.entry(link.url.clone()).or_default().push(link);
    }
    let outcomes = ask_all(places.keys().cloned().collect(), limits);
    let mut problems = Vec::new();
    for (url, outcome) in outcomes {
        terminal.detail(format_args!("  {url}: {outcome:?}"));
        for place in places.get(&url).into_iter().flatten() {
            match &outcome {
                Outcome::Live => {}
                Outcome::Dead(why) => problems.push(
                    Diagnostic::new(&place.file, place.span.clone(), format!("dead link: {why}"))
                        .with_help(
                            "link to where the words can still be read, such as an archived copy",
                        ),
                ),
                Outcome::Moved(to) => problems.push(
                    Diagnostic::new(
                        &place.file,
                        place.span.clone(),
                        format!("this link has moved for good to {to}"),
                    )
                    .with_help("link to the new address")
                    .warning(),
                ),
            }
        }
    }
    problems
}

/// The addresses waiting, and how many requests each host has in flight.
struct Queue {
    waiting: VecDeque<String>,
    busy: HashMap<String, usize>,
}

/// Asks `urls` with at most `limits.concurrency` requests at once and
/// `limits.per_host` to any one host.
fn ask_all(urls: Vec<String>, limits: &Limits) -> Vec<(String, Outcome)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("backtrack-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let queue = Mutex::new(Queue {
        waiting: urls.into(),
        busy: HashMap::new(),
    });
    let freed = Condvar::new();
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..limits.concurrency.max(1) {
            scope.spawn(|| {
                while let Some((url, host)) = next(&queue, &freed, limits.per_host.max(1)) {
                    let outcome = ask(&agent, &url);
                    results
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push((url, outcome));
                    let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
                    if let Some(count) = queue.busy.get_mut(&host) {
                        *count -= 1;
                    }
                    freed.notify_all();
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(PoisonError::into_inner);
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
}

/// The next address whose host has room, waiting while every host is
/// busy; `None` when nothing is left.
fn next(queue: &Mutex<Queue>, freed: &Condvar, per_host: usize) -> Option<(String, String)> {
    let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if queue.waiting.is_empty() {
            return None;
        }
        let ready = queue
            .waiting
            .iter()
            .position(|url| queue.busy.get(&host_of(url)).copied().unwrap_or(0) < per_host);
        if let Some(index) = ready {
            let url = queue.waiting.remove(index)?;
            let host = host_of(&url);
            *queue.busy.entry(host.clone()).or_default() += 1;
            return Some((url, host));
        }
        queue = freed.wait(queue).unwrap_or_else(PoisonError::into_inner);
    }
}

fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|url| {
            Some(format!(
                "{}:{}",
                url.host_str()?,
                url.port_or_known_default()?
            ))
        })
        .unwrap_or_default()
}

/// One address, its redirects followed.
fn ask(agent: &ureq::Agent, url: &str) -> Outcome {
    let mut current = url.to_owned();
    let mut moved = None;
    for _ in 0..MAX_HOPS {
        let response = match agent.get(&current).call() {
            Ok(response) => response,
            Err(error) => return Outcome::Dead(describe(&error)),
        };
        let status = response.status();
        if status.is_redirection() {
            let Some(next) = response
                .headers()
                .get("location")
                .and_then(|location| location.to_str().ok())
                .and_then(|location| Url::parse(&current).ok()?.join(location).ok())
            else {
                return Outcome::Dead(format!("HTTP {status} without a usable Location"));
            };
            if matches!(status.as_u16(), 301 | 308) && moved.is_none() {
                moved = Some(next.to_string());
            }
            current = next.into();
            continue;
        }
        if status.is_client_error() || status.is_server_error() {
            return Outcome::Dead(format!("HTTP {status}"));
        }
        return moved.map_or(Outcome::Live, Outcome::Moved);
    }
    Outcome::Dead(format!("more than {MAX_HOPS} redirects"))
}

fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::HostNotFound => "the host name does not resolve".to_owned(),
        ureq::Error::Timeout(_) => "no answer in time".to_owned(),
        other => format!("cannot fetch it: {other}"),
    }
}
