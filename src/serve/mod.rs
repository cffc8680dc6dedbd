//! `backtrack serve`: the site from memory over HTTP on localhost, rebuilt
//! on every save with `--watch`, and the open pages reloaded. A serve session
//! never writes the deployable output. A failed rebuild keeps the last good
//! site and shows its diagnostics over every page until a good save. Social
//! cards are drawn when a browser asks for one (through the site's cache of
//! drawn cards), so starting costs no drawing and the site's PNGs are not
//! all held in memory.

mod inject;
mod messages;
pub mod paths;

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use anyhow::{Context as _, Result};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::{Notify, broadcast};
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

use crate::incremental::{Dirty, Rebuild, Session};
use crate::pipeline::{BuildError, Options, plural};
use crate::social_cards::{Card, SocialCards};
use crate::terminal::Terminal;
use crate::watch::{self, Change};

pub use inject::EVENTS_PATH;
pub(crate) use messages::the_site;

/// How `serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site to build (its `output` is never written by `serve`).
    pub site: Options,
    /// The address to listen on (127.0.0.1 by default).
    pub interface: IpAddr,
    /// The port to listen on.
    pub port: u16,
    /// Rebuild on every change.
    pub watch: bool,
    /// Open the site in the default browser.
    pub open: bool,
    /// Colour, and how much to say.
    pub terminal: Terminal,
}

/// What open pages are told after a rebuild.
#[derive(Debug, Clone, Copy)]
enum Reload {
    Page,
    Css,
}

/// The served site, shared by the HTTP handlers and the rebuild thread.
struct SiteState {
    pages: RwLock<HashMap<String, Bytes>>,
    base_path: RwLock<String>,
    problems: RwLock<Option<String>>,
    /// Pages a rebuild has yet to render: requests for them wait for `settled`.
    deferred: RwLock<HashSet<String>>,
    settled: Notify,
    /// Social cards by output path: what each shows, drawn when asked for.
    cards: RwLock<HashMap<String, Arc<Card>>>,
    painter: Arc<SocialCards>,
    reload: broadcast::Sender<Reload>,
    hosts: Vec<String>,
}

impl SiteState {
    fn apply(&self, rebuild: Rebuild) {
        {
            let mut cards = write(&self.cards);
            if rebuild.full {
                cards.clear();
            }
            for path in &rebuild.removed {
                cards.remove(path);
            }
            for (path, card) in rebuild.cards {
                cards.insert(path, Arc::new(card));
            }
        }
        let mut pages = write(&self.pages);
        if rebuild.full {
            pages.clear();
        }
        for path in rebuild.removed {
            pages.remove(&path);
        }
        for (path, bytes) in rebuild.changed {
            pages.insert(path, Bytes::from(bytes));
        }
        *write(&self.base_path) = rebuild.base_path;
        *write(&self.problems) = None;
        *write(&self.deferred) = rebuild.deferred.into_iter().collect();
    }

    /// Puts in the deferred pages (none if their rendering failed) and lets
    /// the requests waiting for them go.
    fn settle(&self, rendered: Vec<(String, Vec<u8>)>) {
        {
            let mut pages = write(&self.pages);
            for (path, bytes) in rendered {
                pages.insert(path, Bytes::from(bytes));
            }
        }
        write(&self.deferred).clear();
        self.settled.notify_waiters();
    }

    /// Waits while `key` (a file, or a folder's index) is still to be rendered.
    async fn wait_until_rendered(&self, key: &str) {
        let index = format!("{key}/index.html");
        loop {
            let notified = self.settled.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            {
                let deferred = read(&self.deferred);
                if !deferred.contains(key) && !deferred.contains(&index) {
                    return;
                }
            }
            notified.await;
        }
    }

    fn fail(&self, problems: String) {
        *write(&self.problems) = Some(problems);
    }
}

/// A poisoned lock only means a handler panicked mid-read; the data is whole.
fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Builds the site, serves it until Ctrl-C, and rebuilds on change with `--watch`.
pub fn run(options: ServeOptions) -> Result<()> {
    let mut session = Session::new(options.site.clone());
    let (reload, _) = broadcast::channel(16);
    let state = Arc::new(SiteState {
        pages: RwLock::new(HashMap::new()),
        base_path: RwLock::new("/".to_owned()),
        problems: RwLock::new(None),
        deferred: RwLock::new(HashSet::new()),
        settled: Notify::new(),
        cards: RwLock::new(HashMap::new()),
        painter: Arc::new(SocialCards::new(&options.site.root)?),
        reload,
        hosts: allowed_hosts(options.interface),
    });
    let started = Instant::now();
    match session.rebuild(&Dirty::Everything) {
        Ok(rebuild) => {
            let stories = rebuild.stories;
            state.apply(rebuild);
            options.terminal.say(format_args!(
                "Built {} in {} ms",
                plural(stories, "story"),
                started.elapsed().as_millis()
            ));
        }
        Err(BuildError::Usage(error)) => return Err(error),
        Err(error) => report_failure(&state, &error, options.terminal.color),
    }
    let address = SocketAddr::new(options.interface, options.port);
    let listener = std::net::TcpListener::bind(address).map_err(|error| match error.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "port {} is already in use on {}; choose another with --port",
            options.port,
            options.interface
        ),
        _ => anyhow::Error::new(error).context(format!("listening on {address}")),
    })?;
    listener
        .set_nonblocking(true)
        .context("configuring the listener")?;
    if !options.interface.is_loopback() {
        eprintln!(
            "warning: serving on {}, which other machines can reach; the preview server is meant for localhost",
            options.interface
        );
    }
    // The watcher is running before the address is printed: a save made
    // after that line is seen.
    let _watcher = if options.watch {
        Some(start_rebuilding(session, &options, Arc::clone(&state))?)
    } else {
        None
    };
    let url = format!("http://{address}{}", read(&state.base_path));
    options
        .terminal
        .say(format_args!("{}", messages::serving(&options, &url)));
    if options.open
        && let Err(error) = open::that(&url)
    {
        eprintln!("warning: could not open a browser: {error}");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new()
            .route(EVENTS_PATH, get(events))
            .fallback(page)
            .with_state(state);
        tokio::select! {
            served = axum::serve(listener, app) => served,
            () = stop_requested() => Ok(()),
        }
    });
    runtime.shutdown_background();
    result.context("serving")?;
    options.terminal.say("Stopped.");
    Ok(())
}

/// Resolves on Ctrl-C, or on SIGTERM (what `kill`, systemd and container
/// runtimes send; a process that is PID 1 in a container would ignore it
/// without a handler).
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn start_rebuilding(
    mut session: Session,
    options: &ServeOptions,
    state: Arc<SiteState>,
) -> Result<watch::WatchHandle> {
    let (changes_tx, changes) = mpsc::channel::<Change>();
    let handle = watch::watch(&options.site.root, &options.site.output, changes_tx)?;
    let terminal = options.terminal;
    std::thread::Builder::new()
        .name("backtrack-rebuild".to_owned())
        .spawn(move || {
            while let Ok(mut change) = changes.recv() {
                while let Ok(more) = changes.try_recv() {
                    change = Change {
                        css_only: change.css_only && more.css_only,
                        dirty: change.dirty.merge(more.dirty),
                    };
                }
                rebuild(&mut session, &state, &change, terminal);
            }
        })
        .context("starting the rebuild thread")?;
    Ok(handle)
}

/// Rebuilds after `change`: the edited stories' pages first, then (once open
/// tabs are told to reload) the pages that list them.
fn rebuild(session: &mut Session, state: &SiteState, change: &Change, terminal: Terminal) {
    let started = Instant::now();
    match session.rebuild_edited_first(&change.dirty) {
        Ok(rebuild) => {
            let (stories, deferred, full) = (rebuild.stories, rebuild.deferred.len(), rebuild.full);
            for (path, _) in &rebuild.changed {
                terminal.detail(format_args!("  rendered {path}"));
            }
            state.apply(rebuild);
            let _ = state.reload.send(if change.css_only {
                Reload::Css
            } else {
                Reload::Page
            });
            let edited = started.elapsed();
            let finished = session.finish();
            let listed = started.elapsed() - edited;
            match finished {
                Ok(pages) => state.settle(pages),
                Err(error) => {
                    // The errors go up before the waiting requests are let go
                    // to the last good version of their pages.
                    report_failure(state, &error, terminal.color);
                    state.settle(Vec::new());
                    let _ = state.reload.send(Reload::Page);
                    return;
                }
            }
            terminal.say(format_args!(
                "{}",
                messages::rebuilt(
                    &messages::What {
                        change,
                        full,
                        stories,
                        listing: deferred,
                    },
                    edited,
                    listed
                )
            ));
        }
        Err(error) => {
            report_failure(state, &error, terminal.color);
            let _ = state.reload.send(Reload::Page);
        }
    }
}

fn report_failure(state: &SiteState, error: &BuildError, color: bool) {
    match error {
        BuildError::Content(diagnostics) => {
            eprint!("{}", diagnostics.render(color));
            state.fail(diagnostics.render(false));
        }
        other => state.fail(other.to_string()),
    }
    eprintln!("Build failed: {error}; serving the last good version");
}

/// Host names a browser on this machine uses for the server.
fn allowed_hosts(interface: IpAddr) -> Vec<String> {
    let mut hosts = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "[::1]".to_owned(),
    ];
    hosts.push(match interface {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    });
    hosts
}

/// Refuses requests whose Host names another server (DNS rebinding).
fn host_allowed(state: &SiteState, request: &Request) -> bool {
    let Some(host) = request
        .headers()
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
    else {
        return false;
    };
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') && port.chars().all(|c| c.is_ascii_digit()) => {
            name
        }
        _ => host,
    };
    state
        .hosts
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(name))
}

async fn events(State(state): State<Arc<SiteState>>, request: Request) -> Response {
    if !host_allowed(&state, &request) {
        return refuse(StatusCode::FORBIDDEN, "unknown host");
    }
    let stream = BroadcastStream::new(state.reload.subscribe()).filter_map(|message| {
        let name = match message.ok()? {
            Reload::Page => "reload",
            Reload::Css => "css",
        };
        Some(Ok::<Event, Infallible>(
            Event::default().event(name).data(name),
        ))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn page(State(state): State<Arc<SiteState>>, request: Request) -> Response {
    if !host_allowed(&state, &request) {
        return refuse(StatusCode::FORBIDDEN, "unknown host");
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return refuse(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let base_path = read(&state.base_path).clone();
    let path = request.uri().path();
    match paths::resolve(path, &base_path) {
        Err(paths::Refused::BadPath) => refuse(StatusCode::BAD_REQUEST, "bad path"),
        Err(paths::Refused::Outside) => not_found(&state),
        Ok(paths::Resolved::Redirect(location)) => redirect(&location),
        Ok(paths::Resolved::Page(key)) => {
            state.wait_until_rendered(&key).await;
            let card = {
                let pages = read(&state.pages);
                if let Some(bytes) = pages.get(&key) {
                    return respond(&state, StatusCode::OK, &key, bytes.clone());
                }
                if pages.contains_key(&format!("{key}/index.html")) {
                    drop(pages);
                    return redirect(&format!("{path}/"));
                }
                read(&state.cards).get(&key).cloned()
            };
            match card {
                Some(card) => social_card(&state, &key, card).await,
                None => not_found(&state),
            }
        }
    }
}

/// A story's social card, from the site's cache of them or drawn now (off
/// the server's threads: drawing takes milliseconds).
async fn social_card(state: &SiteState, key: &str, card: Arc<Card>) -> Response {
    let painter = Arc::clone(&state.painter);
    match tokio::task::spawn_blocking(move || painter.png(&card)).await {
        Ok(Ok(png)) => respond(state, StatusCode::OK, key, Bytes::from(png)),
        Ok(Err(error)) => {
            eprintln!("error: drawing {key}: {error:#}");
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the card could not be drawn",
            )
        }
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the card could not be drawn",
        ),
    }
}

fn not_found(state: &SiteState) -> Response {
    let page = read(&state.pages).get("404.html").cloned();
    let page = page.unwrap_or_else(|| {
        Bytes::from_static(
            b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>",
        )
    });
    respond(state, StatusCode::NOT_FOUND, "404.html", page)
}

fn respond(state: &SiteState, status: StatusCode, key: &str, bytes: Bytes) -> Response {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        Body::from(inject::inject(&bytes, read(&state.problems).as_deref()))
    } else {
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn content_type(key: &str) -> String {
    if key.ends_with("atom.xml") {
        return "application/atom+xml; charset=utf-8".to_owned();
    }
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if mime.subtype() == "json"
            || mime.subtype() == "xml"
            || mime.subtype() == "javascript" =>
        {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    }
}

/// A temporary redirect: the preview's layout moves with `site.toml`'s
/// `base_url`, so a browser must not remember it as it would a 301.
fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::FOUND, [(header::LOCATION, value)]).into_response(),
        Err(_) => refuse(StatusCode::BAD_REQUEST, "bad path"),
    }
}

fn refuse(status: StatusCode, why: &'static str) -> Response {
    (status, why).into_response()
}
