//! `qcdc serve` as a child process on a free loopback port.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::http::Client;

/// A port nobody listens on right now (for a helper such as chromedriver that must be
/// told its port; the server itself binds port 0 and says which it got).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running `qcdc serve --db DB`. Killed (SIGKILL) when dropped.
pub struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// Starts the server on `127.0.0.1:0`, reads the address it got from the first
    /// line of its output that shows one, and waits until `/healthz` answers 200.
    pub fn start(db: &Path) -> Server {
        Server::start_with_log(db, Stdio::inherit())
    }

    /// As [`Server::start`], with the server's log (stderr) sent to `log`.
    pub fn start_with_log(db: &Path, log: impl Into<Stdio>) -> Server {
        let mut child = crate::qcdc_command()
            .args(["serve", "--db", crate::p(db), "--addr", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log.into())
            .spawn()
            .expect("spawn qcdc serve");
        let stdout = child.stdout.take().expect("qcdc serve's stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("qcdc serve exited before listening")
                .expect("read qcdc serve's output");
            if let Some(rest) = line.split("http://").nth(1) {
                break rest.split('/').next().unwrap_or_default().to_string();
            }
        };
        // Keep draining the output so that the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let mut server = Server { child, addr };
        server.wait_healthy(Duration::from_secs(30));
        server
    }

    fn wait_healthy(&mut self, limit: Duration) {
        let client = self.client();
        let start = Instant::now();
        loop {
            if let Ok(r) = client.try_get("/healthz") {
                if r.status == 200 {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("qcdc serve exited ({status}) before /healthz answered");
            }
            assert!(
                start.elapsed() < limit,
                "/healthz did not answer within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `host:port`.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// `http://host:port`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A new client of this server, with its own cookies.
    pub fn client(&self) -> Client {
        Client::new(&self.base_url())
    }

    /// A new client logged in as `username` with [`crate::PASSWORD`].
    pub fn logged_in(&self, username: &str) -> Client {
        let c = self.client();
        let r = c.login(username, crate::PASSWORD);
        assert_eq!(r.status, 303, "login as {username}: {}", r.body);
        c
    }

    /// SIGTERM, as a service manager stops it; waits for the exit and returns whether
    /// it exited successfully.
    pub fn terminate(mut self) -> bool {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {pid}");
        self.child.wait().expect("reap qcdc serve").success()
    }

    /// SIGKILL: no shutdown code runs, no checkpoint, no flush.
    pub fn kill(mut self) {
        self.child.kill().expect("kill -9 qcdc serve");
        self.child.wait().expect("reap qcdc serve");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
