//! What the cross-crate tests share, so that no test file carries its own copy:
//!
//! - this module: the real `qcdc` binary (built by cargo once per test process), running
//!   it, and preparing databases with it (a ward with accounts, the demo ward);
//! - [`server`]: `qcdc serve` on a free loopback port, ready once `/healthz` answers;
//! - [`http`]: an HTTP client (reqwest, with cookies and without following redirects)
//!   that logs in and scrapes the form token as a browser would.

pub mod http;
pub mod server;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub use http::{extract_csrf, Client, Resp};
pub use server::{free_port, Server};

/// The password of every account made by [`ward_with_accounts`].
pub const PASSWORD: &str = "mat-khau-dai-du-1";

/// The roles of the tracker, each with the username [`ward_with_accounts`] gives it.
pub const ROLES: [&str; 4] = ["admin", "secretary", "deputy", "viewer"];

/// The username of the account [`ward_with_accounts`] makes for `role`.
pub fn username(role: &str) -> &'static str {
    match role {
        "admin" => "quantri",
        "secretary" => "thuky",
        "deputy" => "phobithu",
        "viewer" => "nguoixem",
        other => panic!("no such role: {other}"),
    }
}

/// The `qcdc` binary of this workspace, up to date.
///
/// The binary lives in another package, so `CARGO_BIN_EXE_qcdc` is not set for these
/// tests, and `cargo test --workspace` builds only its test harness. So the first call
/// in a test process runs `cargo build -p qcdc --bin qcdc` (a no-op when nothing
/// changed) and takes the executable's path from cargo's own report of the artifact.
/// `QCDC_BIN=/path/to/qcdc` uses that binary instead.
pub fn qcdc_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("QCDC_BIN") {
            return PathBuf::from(bin);
        }
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["build", "-p", "qcdc", "--bin", "qcdc"])
            .arg("--message-format=json-render-diagnostics")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if !cfg!(debug_assertions) {
            cargo.arg("--release");
        }
        let mut child = cargo.spawn().expect("run cargo build -p qcdc");
        let stdout = child.stdout.take().expect("cargo's stdout");
        let mut bin = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("read cargo's output");
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "qcdc" {
                if let Some(exe) = msg["executable"].as_str() {
                    bin = Some(PathBuf::from(exe));
                }
            }
        }
        let status = child.wait().expect("wait for cargo build");
        assert!(status.success(), "cargo build -p qcdc failed");
        bin.expect("cargo reported no qcdc executable")
    })
}

/// A `Command` for the binary.
pub fn qcdc_command() -> Command {
    Command::new(qcdc_bin())
}

/// Runs `qcdc ARGS` with no input; whatever the outcome.
pub fn qcdc(args: &[&str]) -> Output {
    qcdc_command()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run qcdc")
}

/// Runs `qcdc ARGS` with `stdin` as its standard input; whatever the outcome.
pub fn qcdc_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = qcdc_command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn qcdc");
    child
        .stdin
        .take()
        .expect("qcdc's stdin")
        .write_all(stdin.as_bytes())
        .expect("write qcdc's stdin");
    child.wait_with_output().expect("wait for qcdc")
}

/// Runs `qcdc ARGS` and fails the test, with its error output, unless it succeeds.
pub fn qcdc_ok(args: &[&str]) -> Output {
    let out = qcdc(args);
    assert!(out.status.success(), "qcdc {args:?}: {}", text(&out.stderr));
    out
}

/// Output bytes as text, for messages and `contains`.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A path as a command-line argument.
pub fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Writes `content` to `dir/name`.
pub fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let f = dir.join(name);
    std::fs::write(&f, content).expect("write file");
    f
}

/// `qcdc init`: `dir/x.db` for the Ngọc Thụy ward, without accounts.
pub fn init_db(dir: &Path) -> PathBuf {
    let db = dir.join("x.db");
    qcdc_ok(&[
        "init",
        "--db",
        p(&db),
        "--ward",
        "Phường Ngọc Thụy",
        "--district",
        "Quận Long Biên",
        "--province",
        "Hà Nội",
    ]);
    db
}

/// `qcdc user add`: an account for `role` (see [`username`]) with [`PASSWORD`].
pub fn add_account(db: &Path, role: &str) {
    let out = qcdc_stdin(
        &[
            "user",
            "add",
            "--db",
            p(db),
            "--username",
            username(role),
            "--role",
            role,
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "user add: {}", text(&out.stderr));
}

/// A fresh ward ([`init_db`]) with an account for each of `roles`.
pub fn ward_with_accounts(dir: &Path, roles: &[&str]) -> PathBuf {
    let db = init_db(dir);
    for role in roles {
        add_account(&db, role);
    }
    db
}

/// `qcdc demo`: `dir/demo.db`, the demo ward (Ngọc Thụy, 1998–2018) with its accounts.
pub fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("demo.db");
    qcdc_ok(&["demo", "--db", p(&db)]);
    db
}

/// `qcdc report --by total --shape long`, over `period` (from, to) or the whole
/// history, as CSV text.
pub fn report_totals(db: &Path, period: Option<(&str, &str)>) -> String {
    let mut args = vec!["report", "--db", p(db)];
    if let Some((from, to)) = period {
        args.extend(["--from", from, "--to", to]);
    }
    args.extend(["--by", "total", "--shape", "long"]);
    String::from_utf8(qcdc_ok(&args).stdout).expect("utf-8 report")
}

/// [`report_totals`] as indicator → value.
pub fn totals(db: &Path, period: Option<(&str, &str)>) -> HashMap<String, String> {
    let csv = report_totals(db, period);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    r.records()
        .map(|rec| rec.expect("a report line"))
        .filter(|rec| &rec[3] == "total")
        .map(|rec| (rec[0].to_string(), rec[4].to_string()))
        .collect()
}
