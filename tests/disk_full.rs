//! A full disk (issue 10, point 1), on a real tmpfs mounted for the test (the test runs
//! as root, as CI does): the server refuses writes with a Vietnamese page (507) and
//! acknowledges none it did not store; `/healthz` says the writer is failing; writes
//! succeed again as soon as space is back, without a restart; a SIGTERM then closes
//! cleanly and every acknowledged record is there after a restart. The CLI import on a
//! full disk says so in Vietnamese, writes nothing and leaves no grown WAL behind.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::{p, qcdc, text, totals, username, ward_with_accounts, Client, Server};

/// A small tmpfs, unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Tmpfs {
        let dir = tempfile::tempdir().expect("mount point");
        let status = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "tmpfs",
                p(dir.path()),
            ])
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "mounting a tmpfs needs root (CI runs as root)"
        );
        Tmpfs { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Fills the file system holding `dir` with a filler file; returns its path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("FILLER");
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .expect("filler");
    let chunk = vec![0u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    // Top off what a 64 KB chunk could not take.
    let small = [0u8; 512];
    while f.write_all(&small).is_ok() {}
    let _ = f.sync_all();
    path
}

fn post_conference(c: &Client, token: &str, title: &str) -> support::Resp {
    c.post_form(
        "/conferences",
        &[
            ("date", "28/06/2018"),
            ("kind", "dissemination"),
            ("title", title),
            ("attendees", "10"),
            ("csrf", token),
        ],
    )
}

fn conference_count(db: &Path) -> u64 {
    totals(db, None)["conferences.count"]
        .parse()
        .expect("a count")
}

#[test]
fn a_full_disk_refuses_writes_in_vietnamese_and_recovers_without_a_restart() {
    let fs = Tmpfs::mount("6m");
    let db = ward_with_accounts(fs.path(), &["secretary"]);
    // The server's log lives off the full disk, to be read after it stops.
    let log_file = std::env::temp_dir().join(format!("qcdc-disk-full-{}.log", std::process::id()));
    let log = std::fs::File::create(&log_file).expect("log file");
    let server = Server::start_with_log(&db, log);
    let c = server.logged_in(username("secretary"));
    let token = c.csrf();
    let mut acked = Vec::new();
    let r = post_conference(&c, &token, "Trước khi đầy");
    assert_eq!(r.status, 303, "{}", r.body);
    acked.push(r.location().to_string());

    let filler = fill(fs.path());
    // Writes may still fit in space SQLite already holds; keep writing until refused.
    let mut refused = 0;
    for i in 0..500 {
        let r = post_conference(&c, &token, &format!("Khi đầy {i}"));
        match r.status {
            303 => {
                // Acknowledged: it must really be there.
                assert_eq!(
                    c.get(r.location()).status,
                    200,
                    "acknowledged {}",
                    r.location()
                );
                acked.push(r.location().to_string());
            }
            507 => {
                assert!(r.body.contains("Ổ đĩa đã đầy"), "{}", r.body);
                assert!(r.body.contains("chưa có gì được lưu"), "{}", r.body);
                refused += 1;
                if refused >= 3 {
                    break;
                }
            }
            other => panic!("answer {other} on a full disk: {}", r.body),
        }
    }
    assert!(refused >= 3, "the disk never filled up");
    let health = c.get("/healthz");
    assert_eq!(health.status, 503, "{}", health.body);

    // Space back: writes work again, at once, with no restart.
    std::fs::remove_file(&filler).expect("remove filler");
    let health = c.get("/healthz");
    assert_eq!(health.status, 200, "{}", health.body);
    for i in 0..3 {
        let r = post_conference(&c, &token, &format!("Sau khi có chỗ {i}"));
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(c.get(r.location()).status, 200);
        acked.push(r.location().to_string());
    }
    // Logging in works again too.
    let again = server.client();
    assert_eq!(
        again.login(username("secretary"), support::PASSWORD).status,
        303
    );

    assert!(server.terminate(), "qcdc serve exits cleanly on SIGTERM");
    let log = std::fs::read_to_string(&log_file).unwrap_or_default();
    let _ = std::fs::remove_file(&log_file);
    assert!(!log.contains("checkpoint at close failed"), "{log}");

    // Everything acknowledged is there after a restart, and nothing else.
    assert_eq!(conference_count(&db) as usize, acked.len());
    let server = Server::start(&db);
    let c = server.logged_in(username("secretary"));
    for loc in &acked {
        assert_eq!(c.get(loc).status, 200, "{loc} after restart");
    }
}

#[test]
fn the_cli_import_on_a_full_disk_says_so_and_writes_nothing() {
    let fs = Tmpfs::mount("6m");
    let db = ward_with_accounts(fs.path(), &["secretary"]);
    let before = conference_count(&db);
    let mut csv = String::from("date,kind,title,attendees\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "2018-03-01,dissemination,Hội nghị phổ biến số {i} với một tiêu đề khá dài để chiếm chỗ,40\n"
        ));
    }
    let file = std::env::temp_dir().join(format!("qcdc-full-{}.csv", std::process::id()));
    std::fs::write(&file, csv).expect("csv");
    let wal = db.with_extension("db-wal");
    // Disk space taken by the WAL: its length may reach into the last block it has
    // already (a torn frame SQLite ignores), but it must not take more of the disk.
    let wal_blocks = || {
        std::fs::metadata(&wal)
            .map(|m| std::os::unix::fs::MetadataExt::blocks(&m))
            .unwrap_or(0)
    };
    let wal_before = wal_blocks();
    let filler = fill(fs.path());
    let out = qcdc(&["import", "--db", p(&db), "conferences", p(&file)]);
    let _ = std::fs::remove_file(&file);
    assert!(!out.status.success(), "the import must fail");
    let err = text(&out.stderr);
    assert!(err.contains("Ổ đĩa đã đầy"), "{err}");
    assert!(err.contains("chưa có gì được lưu"), "{err}");
    let wal_after = wal_blocks();
    assert!(
        wal_after <= wal_before,
        "WAL grew from {wal_before} to {wal_after} blocks"
    );
    std::fs::remove_file(&filler).expect("remove filler");
    assert_eq!(conference_count(&db), before, "nothing imported");
}
