//! `backtrack serve` on a copy of a fixture, spoken to over raw HTTP/1.1 so
//! tests can send what a browser would never normalise (`/../`, `%00`, a
//! foreign Host).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running preview server and the lines it printed.
pub struct Server {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    /// The site's folder (a temporary copy).
    pub root: PathBuf,
    lines: Arc<Mutex<Vec<String>>>,
    _temp: tempfile::TempDir,
}

/// An HTTP response.
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Raw header block.
    pub headers: String,
    /// Body as text.
    pub body: String,
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

impl Server {
    /// Serves a copy of `tests/fixtures/<fixture>` with `serve --watch`.
    pub fn start(fixture: &str) -> Server {
        let temp = tempfile::tempdir().expect("temp dir");
        let root = temp.path().join("site");
        super::copy_tree(&super::fixtures().join(fixture), &root);
        Server::spawn(temp, root, 20)
    }

    /// Serves a copy of the site at `source` (its settings, people, content,
    /// templates and static files), waiting up to `startup_secs` for the first build.
    pub fn start_copy(source: &Path, startup_secs: u64) -> Server {
        let temp = tempfile::tempdir().expect("temp dir");
        let root = temp.path().join("site");
        super::copy_site(source, &root);
        Server::spawn(temp, root, startup_secs)
    }

    fn spawn(temp: tempfile::TempDir, root: PathBuf, startup_secs: u64) -> Server {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_backtrack"))
            .args(["serve", "--watch", "--port", &port.to_string(), "--root"])
            .arg(&root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("backtrack serve starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().expect("lines").push(line);
                }
            });
        }
        let server = Server {
            child,
            port,
            root,
            lines,
            _temp: temp,
        };
        // The server prints its address once the watcher runs: a save made
        // from now on is seen.
        assert!(
            server.wait_for(|line| line.starts_with("Serving"), startup_secs),
            "never served: {:?}",
            server.lines()
        );
        server
    }

    /// Everything printed so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("lines").clone()
    }

    /// How many "Rebuilt" lines were printed.
    pub fn rebuilds(&self) -> usize {
        self.lines()
            .iter()
            .filter(|line| line.starts_with("Rebuilt"))
            .count()
    }

    /// Waits up to `seconds` for a printed line matching `test`.
    pub fn wait_for(&self, test: impl Fn(&str) -> bool, seconds: u64) -> bool {
        self.wait_for_count(test, 1, seconds)
    }

    /// Waits up to `seconds` until `count` printed lines match `test`.
    pub fn wait_for_count(&self, test: impl Fn(&str) -> bool, count: usize, seconds: u64) -> bool {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        while Instant::now() < deadline {
            if self.lines().iter().filter(|line| test(line)).count() >= count {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    /// Waits up to `seconds` until `path` answers with a body for which `test` holds.
    pub fn wait_for_page(&self, path: &str, test: impl Fn(&Reply) -> bool, seconds: u64) -> Reply {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            let reply = self.get(path);
            if test(&reply) || Instant::now() > deadline {
                return reply;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Saves `site.toml` again and waits for the whole-site rebuild that
    /// follows. The watcher delivers events in order and the rebuilds print
    /// in order, so once this returns every rebuild due to earlier saves is
    /// counted in [`Server::rebuilds`] (this one too).
    pub fn save_the_settings_again(&self) {
        let whole = |line: &str| line.starts_with("Rebuilt the whole site");
        let before = self.lines().iter().filter(|line| whole(line)).count();
        let settings = self.root.join("site.toml");
        let text = std::fs::read(&settings).expect("site.toml readable");
        std::fs::write(&settings, text).expect("site.toml written");
        assert!(
            self.wait_for_count(whole, before + 1, 10),
            "the settings were rebuilt: {:?}",
            self.lines()
        );
    }

    /// Sends SIGTERM, as `kill`, systemd and container runtimes do to stop a process.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits up to `seconds` for the process to end, and returns how it ended.
    pub fn wait_for_exit(&mut self, seconds: u64) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// GET `path` with the right Host.
    pub fn get(&self, path: &str) -> Reply {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ))
    }

    /// Sends a raw request and reads the whole reply.
    pub fn raw(&self, request: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout set");
        stream.write_all(request.as_bytes()).expect("request sent");
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = headers
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            headers: headers.to_owned(),
            body: body.to_owned(),
        }
    }

    /// Opens the reload event stream; the returned reader yields its lines.
    pub fn events(&self) -> BufReader<TcpStream> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout set");
        let request = format!(
            "GET /__backtrack/events HTTP/1.1\r\nHost: localhost:{}\r\nAccept: text/event-stream\r\n\r\n",
            self.port
        );
        stream.write_all(request.as_bytes()).expect("request sent");
        BufReader::new(stream)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
