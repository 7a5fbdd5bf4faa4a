//! Faults against the real binary: `qcdc serve` killed with SIGKILL while four clients
//! write keeps every acknowledged write, whole; a backup taken while clients write
//! restores (by the procedure of docs/CLI.md) to exactly a consistent snapshot.
//!
//! The clients speak plain HTTP/1.1 over `std::net::TcpStream` (one request per
//! connection), which is all a form-posting browser needs and keeps the test free of
//! an HTTP client dependency.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use domain::Conference;
use store::audit::AuditFilter;
use store::{RecordFilter, Store};

const PASSWORD: &str = "mat-khau-dai-du-1";
const CLIENTS: usize = 4;
const PER_CLIENT: usize = 100;

fn qcdc(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = support::qcdc_command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn qcdc");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).expect("write stdin");
    }
    drop(input);
    let out = child.wait_with_output().expect("wait qcdc");
    assert!(
        out.status.success(),
        "qcdc {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// A database with a ward and a secretary account.
fn prepare(dir: &Path) -> PathBuf {
    let db = dir.join("qcdc.db");
    qcdc(
        &["init", "--db", p(&db), "--ward", "Phường Ngọc Thụy"],
        None,
    );
    qcdc(
        &[
            "user",
            "add",
            "--db",
            p(&db),
            "--username",
            "thuky",
            "--role",
            "secretary",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    db
}

/// `qcdc serve` on a free loopback port; the address is read from its first line.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(db: &Path) -> Server {
        let mut child = support::qcdc_command()
            .args(["serve", "--db", p(db), "--addr", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn qcdc serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("serve exited before listening")
                .expect("read stdout");
            if line.starts_with("QCDC") {
                if let Some(rest) = line.split("http://").nth(1) {
                    break rest.split('/').next().unwrap_or("").to_string();
                }
            }
        };
        // Keep draining stdout so that the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr }
    }

    /// SIGKILL: no shutdown code runs, no checkpoint, no flush.
    fn kill(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reap");
    }
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(pos) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..pos])
                .split(';')
                .next()
                .unwrap_or("")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = pos + 2;
        let end = (start + size).min(b.len());
        out.extend_from_slice(&b[start..end]);
        b = &b[(end + 2).min(b.len())..];
    }
    out
}

/// One request on its own connection; `Err` when the server is gone.
fn request(
    addr: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&[(&str, &str)]>,
) -> std::io::Result<Resp> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = form
        .map(|f| serde_urlencoded::to_string(f).expect("encode"))
        .unwrap_or_default();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(c) = cookie {
        req.push_str(&format!("Cookie: {c}\r\n"));
    }
    if form.is_some() {
        req.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Ok(Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn csrf(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let at = html.find(key).expect("a csrf field") + key.len();
    html[at..].split('"').next().expect("token").to_string()
}

fn session_cookie(r: &Resp) -> Option<String> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find(|c| c.starts_with("qcdc_session="))
        .map(str::to_string)
}

/// Logs in as the secretary; returns the session cookie and the form token.
fn login(addr: &str) -> (String, String) {
    let page = request(addr, "GET", "/login", None, None).expect("login page");
    let cookie = session_cookie(&page).expect("anonymous session");
    let token = csrf(&page.body);
    let r = request(
        addr,
        "POST",
        "/login",
        Some(&cookie),
        Some(&[
            ("username", "thuky"),
            ("password", PASSWORD),
            ("csrf", &token),
        ]),
    )
    .expect("login");
    assert_eq!(r.status, 303, "login: {}", r.body);
    let cookie = session_cookie(&r).unwrap_or(cookie);
    let form = request(addr, "GET", "/conferences/new", Some(&cookie), None).expect("form");
    assert_eq!(form.status, 200);
    (cookie, csrf(&form.body))
}

/// Acknowledged writes: id → title, as the server confirmed them (303 to the record).
type Acked = Arc<Mutex<BTreeMap<i64, String>>>;

/// `CLIENTS` writers creating conferences until done or the server goes away. Any
/// answer other than the redirect (a 5xx, "database is locked") fails the test.
fn writers(
    addr: &str,
    acked: &Acked,
    count: &Arc<AtomicUsize>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..CLIENTS)
        .map(|c| {
            let addr = addr.to_string();
            let acked = acked.clone();
            let count = count.clone();
            std::thread::spawn(move || {
                let (cookie, token) = login(&addr);
                for i in 0..PER_CLIENT {
                    let title = format!("Hội nghị c{c} số {i}");
                    let r = request(
                        &addr,
                        "POST",
                        "/conferences",
                        Some(&cookie),
                        Some(&[
                            ("date", "28/06/2018"),
                            ("kind", "dissemination"),
                            ("title", &title),
                            ("attendees", "10"),
                            ("csrf", &token),
                        ]),
                    );
                    let Ok(r) = r else { return }; // killed mid-request
                    assert!(
                        !r.body.contains("locked"),
                        "client {c}: {} {}",
                        r.status,
                        r.body
                    );
                    assert_eq!(r.status, 303, "client {c}: {}", r.body);
                    let loc = r.header("location").expect("location");
                    let id: i64 = loc
                        .strip_prefix("/conferences/")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or_else(|| panic!("redirect to {loc}"));
                    acked.lock().expect("lock").insert(id, title);
                    count.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect()
}

fn wait_for(count: &AtomicUsize, n: usize, limit: Duration) {
    let start = Instant::now();
    while count.load(Ordering::SeqCst) < n && start.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Every live conference (id → title), and how many audit 'create' entries they have.
async fn conferences(store: &Store) -> (BTreeMap<i64, String>, HashMap<i64, usize>) {
    let ward = store.default_ward().await.expect("ward").expect("a ward");
    let list = store
        .list::<Conference>(
            ward,
            &RecordFilter {
                per_page: 0,
                ..RecordFilter::default()
            },
        )
        .await
        .expect("list");
    let all = list
        .items
        .into_iter()
        .map(|s| (s.id, s.record.title))
        .collect();
    let audit = store
        .audit(
            ward,
            &AuditFilter {
                entity: Some("conferences".into()),
                per_page: 10_000,
                ..AuditFilter::default()
            },
        )
        .await
        .expect("audit");
    let mut creates = HashMap::new();
    for e in audit.items.iter().filter(|e| e.action == "create") {
        *creates.entry(e.entity_id.expect("id")).or_insert(0) += 1;
    }
    (all, creates)
}

#[test]
fn kill_9_mid_write_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().expect("dir");
    let db = prepare(dir.path());
    let server = Server::start(&db);
    let acked: Acked = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let handles = writers(&server.addr, &acked, &count);
    // Kill once a good part of the writes is acknowledged, with the rest in flight.
    wait_for(&count, CLIENTS * PER_CLIENT / 3, Duration::from_secs(20));
    server.kill();
    for h in handles {
        h.join().expect("a writer failed");
    }
    let acked = acked.lock().expect("lock").clone();
    assert!(
        !acked.is_empty() && acked.len() < CLIENTS * PER_CLIENT,
        "killed mid-stream: {} acknowledged",
        acked.len()
    );

    // The restarted server serves every acknowledged record.
    let server = Server::start(&db);
    let (cookie, _) = login(&server.addr);
    for (id, title) in acked.iter().step_by(7) {
        let r = request(
            &server.addr,
            "GET",
            &format!("/conferences/{id}"),
            Some(&cookie),
            None,
        )
        .expect("record page");
        assert_eq!(r.status, 200, "conference {id}");
        assert!(r.body.contains(title.as_str()), "conference {id}");
    }
    server.kill();

    runtime().block_on(async {
        let store = Store::open_existing(&db).await.expect("open");
        assert_eq!(store.integrity_check().await.expect("check"), "ok");
        let (all, creates) = conferences(&store).await;
        for (id, title) in &acked {
            assert_eq!(
                all.get(id),
                Some(title),
                "acknowledged conference {id} lost"
            );
        }
        // Unacknowledged writes may or may not have committed, but never in halves.
        assert!(all.len() >= acked.len() && all.len() <= acked.len() + CLIENTS);
        eprintln!(
            "acknowledged {} of {}, stored {}",
            acked.len(),
            CLIENTS * PER_CLIENT,
            all.len()
        );
        for id in all.keys() {
            assert_eq!(
                creates.get(id),
                Some(&1),
                "conference {id} without its audit entry"
            );
        }
        assert_eq!(
            creates.len(),
            all.len(),
            "audit entries without a conference"
        );
        store.close().await;
    });
}

#[test]
fn a_backup_taken_during_writes_restores_to_a_consistent_snapshot() {
    let dir = tempfile::tempdir().expect("dir");
    let db = prepare(dir.path());
    let server = Server::start(&db);
    let acked: Acked = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let handles = writers(&server.addr, &acked, &count);
    wait_for(&count, 60, Duration::from_secs(20));
    let before: BTreeSet<i64> = acked.lock().expect("lock").keys().copied().collect();
    let backup = dir.path().join("backup.db");
    qcdc(&["backup", "--db", p(&db), p(&backup)], None);
    let after: BTreeSet<i64> = acked.lock().expect("lock").keys().copied().collect();
    for h in handles {
        h.join().expect("a writer failed");
    }
    assert!(
        after.len() < CLIENTS * PER_CLIENT,
        "the backup was taken while writes went on"
    );

    // Restore as docs/CLI.md says: stop the server, move the database (and its -wal and
    // -shm) aside, copy the backup in its place, start again.
    server.kill();
    let source_report = report(&db);
    let aside = dir.path().join("aside");
    std::fs::create_dir(&aside).expect("mkdir");
    for suffix in ["", "-wal", "-shm"] {
        let f = PathBuf::from(format!("{}{suffix}", db.display()));
        if f.exists() {
            std::fs::rename(&f, aside.join(format!("qcdc.db{suffix}"))).expect("move aside");
        }
    }
    std::fs::copy(&backup, &db).expect("copy backup in place");
    let server = Server::start(&db);
    let r = request(&server.addr, "GET", "/healthz", None, None).expect("healthz");
    assert_eq!(r.status, 200);
    let (cookie, _) = login(&server.addr);
    let list = request(&server.addr, "GET", "/conferences", Some(&cookie), None).expect("list");
    assert_eq!(list.status, 200);
    server.kill();

    assert_eq!(report(&db), report(&backup), "restored = backup");
    assert_ne!(
        report(&db),
        source_report,
        "the source went on after the backup"
    );
    runtime().block_on(async {
        let store = Store::open_existing(&db).await.expect("open");
        assert_eq!(store.integrity_check().await.expect("check"), "ok");
        let (all, creates) = conferences(&store).await;
        let ids: BTreeSet<i64> = all.keys().copied().collect();
        assert!(
            before.is_subset(&ids),
            "everything acknowledged before the backup is in it"
        );
        let extra = ids.difference(&after).count();
        eprintln!(
            "acknowledged before the backup {}, after {}, in the backup {}",
            before.len(),
            after.len(),
            ids.len()
        );
        assert!(
            extra <= CLIENTS,
            "only writes in flight at the end of the backup may be in it unacknowledged ({extra})"
        );
        assert_eq!(creates.len(), all.len());
        let counted: usize = report_total(&report(&db), "conferences.count");
        assert_eq!(counted, all.len(), "the report counts the restored records");
        store.close().await;
    });
}

/// `qcdc report --by total --shape long` of the whole history.
fn report(db: &Path) -> String {
    let out = qcdc(
        &["report", "--db", p(db), "--by", "total", "--shape", "long"],
        None,
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn report_total(csv: &str, indicator: &str) -> usize {
    csv.lines()
        .find(|l| l.starts_with(&format!("{indicator},")) && l.contains(",total,"))
        .and_then(|l| l.rsplit(',').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {indicator} in {csv}"))
}
