//! Faults against the real binary: `qcdc serve` killed with SIGKILL while four clients
//! write keeps every acknowledged write, whole; a backup taken while clients write
//! restores (by the procedure of docs/CLI.md) to exactly a consistent snapshot.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use domain::Conference;
use store::audit::AuditFilter;
use store::{RecordFilter, Store};
use support::{
    p, qcdc_ok, report_totals, totals, username, ward_with_accounts, Client, Server, PASSWORD,
};

const CLIENTS: usize = 4;
const PER_CLIENT: usize = 100;

/// A database with a ward and a secretary account.
fn prepare(dir: &Path) -> PathBuf {
    ward_with_accounts(dir, &["secretary"])
}

/// Logs in to the server at `base` as the secretary; returns the client and the form
/// token of its session.
fn login(base: &str) -> (Client, String) {
    let c = Client::new(base);
    let r = c.login(username("secretary"), PASSWORD);
    assert_eq!(r.status, 303, "login: {}", r.body);
    let form = c.get("/conferences/new");
    assert_eq!(form.status, 200);
    let token = support::extract_csrf(&form.body).expect("a csrf field");
    (c, token)
}

/// Acknowledged writes: id → title, as the server confirmed them (303 to the record).
type Acked = Arc<Mutex<BTreeMap<i64, String>>>;

/// `CLIENTS` writers creating conferences until done or the server goes away. Any
/// answer other than the redirect (a 5xx, "database is locked") fails the test.
fn writers(
    server: &Server,
    acked: &Acked,
    count: &Arc<AtomicUsize>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..CLIENTS)
        .map(|c| {
            let base = server.base_url();
            let acked = acked.clone();
            let count = count.clone();
            std::thread::spawn(move || {
                let (client, token) = login(&base);
                for i in 0..PER_CLIENT {
                    let title = format!("Hội nghị c{c} số {i}");
                    let r = client.try_post_form(
                        "/conferences",
                        &[
                            ("date", "28/06/2018"),
                            ("kind", "dissemination"),
                            ("title", &title),
                            ("attendees", "10"),
                            ("csrf", &token),
                        ],
                    );
                    let Ok(r) = r else { return }; // killed mid-request
                    assert!(
                        !r.body.contains("locked"),
                        "client {c}: {} {}",
                        r.status,
                        r.body
                    );
                    assert_eq!(r.status, 303, "client {c}: {}", r.body);
                    let loc = r.location();
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
    let handles = writers(&server, &acked, &count);
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
    let client = server.logged_in(username("secretary"));
    for (id, title) in acked.iter().step_by(7) {
        let r = client.get(&format!("/conferences/{id}"));
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
    let handles = writers(&server, &acked, &count);
    wait_for(&count, 60, Duration::from_secs(20));
    let before: BTreeSet<i64> = acked.lock().expect("lock").keys().copied().collect();
    let backup = dir.path().join("backup.db");
    qcdc_ok(&["backup", "--db", p(&db), p(&backup)]);
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
    let source_report = report_totals(&db, None);
    let aside = dir.path().join("aside");
    std::fs::create_dir(&aside).expect("mkdir");
    for suffix in ["", "-wal", "-shm"] {
        let f = PathBuf::from(format!("{}{suffix}", db.display()));
        if f.exists() {
            std::fs::rename(&f, aside.join(format!("x.db{suffix}"))).expect("move aside");
        }
    }
    std::fs::copy(&backup, &db).expect("copy backup in place");
    let server = Server::start(&db); // up once /healthz answers
    let client = server.logged_in(username("secretary"));
    let list = client.get("/conferences");
    assert_eq!(list.status, 200);
    server.kill();

    assert_eq!(
        report_totals(&db, None),
        report_totals(&backup, None),
        "restored = backup"
    );
    assert_ne!(
        report_totals(&db, None),
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
        let counted: usize = totals(&db, None)["conferences.count"]
            .parse()
            .expect("a count");
        assert_eq!(counted, all.len(), "the report counts the restored records");
        store.close().await;
    });
}
