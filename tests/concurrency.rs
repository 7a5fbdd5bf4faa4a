//! Many writers and readers at once against the real `qcdc serve`, with a `qcdc import`
//! in another process writing to the same file: no 5xx, no "database is locked", and
//! every write accounted for.

use std::path::PathBuf;
use std::thread::JoinHandle;

use support::{
    p, qcdc_command, text, totals, username, ward_with_accounts, Client, Resp, Server, PASSWORD,
    ROLES,
};

const WRITERS: usize = 6;
const READERS: usize = 6;
const ROUNDS: usize = 20;
const IMPORTED: usize = 1500;

fn check(what: &str, r: &Resp) {
    assert!(r.status < 500, "{what}: {} {}", r.status, r.body);
    assert!(
        !r.body.to_lowercase().contains("database is locked") && !r.body.contains("Lỗi hệ thống"),
        "{what}: {}",
        r.body
    );
}

fn conference<'a>(date: &'a str, title: &'a str, attendees: &'a str) -> [(&'a str, &'a str); 5] {
    [
        ("date", date),
        ("kind", "dissemination"),
        ("title", title),
        ("attendees", attendees),
        ("organiser", "steering_committee"),
    ]
}

/// A client of the server at `base` logged in as `role`.
fn logged_in(base: &str, role: &str) -> Client {
    let c = Client::new(base);
    let r = c.login(username(role), PASSWORD);
    assert_eq!(r.status, 303, "login as {role}: {}", r.body);
    c
}

fn writer(base: String, w: usize) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let c = logged_in(&base, "secretary");
        let token = c.csrf();
        for i in 0..ROUNDS {
            let title = format!("Hội nghị w{w} số {i}");
            let mut f = conference("2018-06-28", &title, "10").to_vec();
            f.push(("csrf", &token));
            let r = c.post_form("/conferences", &f);
            check("create", &r);
            assert_eq!(r.status, 303, "{}", r.body);
            // and change it straight away
            let loc = r.location().to_string();
            let title = format!("Hội nghị w{w} số {i} (sửa)");
            let mut f = conference("2018-06-29", &title, "11").to_vec();
            f.push(("csrf", &token));
            let r = c.post_form(&loc, &f);
            check("update", &r);
            assert_eq!(r.status, 303, "{}", r.body);
        }
    })
}

fn reader(base: String, rd: usize) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let role = ["deputy", "viewer", "admin"][rd % 3];
        let c = logged_in(&base, role);
        for i in 0..ROUNDS {
            let page = [
                "/",
                "/conferences",
                "/reports/summary?by=year",
                "/conferences?q=s%E1%BB%91",
                "/opinions/open",
            ][(i + rd) % 5];
            let r = c.get(page);
            check(page, &r);
            assert_eq!(r.status, 200, "{page}");
        }
    })
}

#[test]
fn writers_and_readers_together_never_see_a_locked_database() {
    let dir = tempfile::tempdir().expect("dir");
    let db = ward_with_accounts(dir.path(), &ROLES);
    let server = Server::start(&db);

    // Another process writing the same file: the CLI import, all rows in one transaction.
    let mut rows = String::from("date,kind,title,attendees\n");
    for i in 0..IMPORTED {
        rows.push_str(&format!("2017-01-01,review,Nhập {i},{i}\n"));
    }
    let file: PathBuf = dir.path().join("c.csv");
    std::fs::write(&file, rows).expect("write csv");
    let import = qcdc_command()
        .args(["import", "--db", p(&db), "conferences", p(&file)])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn qcdc import");

    let mut threads: Vec<JoinHandle<()>> =
        (0..WRITERS).map(|w| writer(server.base_url(), w)).collect();
    threads.extend((0..READERS).map(|rd| reader(server.base_url(), rd)));
    for t in threads {
        t.join().expect("a client failed");
    }
    let import = import.wait_with_output().expect("run qcdc import");
    assert!(import.status.success(), "{}", text(&import.stderr));
    server.kill();

    let count: usize = totals(&db, None)["conferences.count"]
        .parse()
        .expect("a count");
    assert_eq!(count, WRITERS * ROUNDS + IMPORTED);
}

/// A page view must not write the session back: every write goes through the one
/// writer connection with an fsync, so a write per GET caps page views at the disk's
/// fsync rate (found by scripts/load.sh: ~450 pages/s instead of thousands).
#[test]
fn page_views_do_not_rewrite_the_session() {
    let dir = tempfile::tempdir().expect("dir");
    let db = ward_with_accounts(dir.path(), &["secretary"]);
    let server = Server::start(&db);
    let c = server.logged_in(username("secretary"));
    // The first page after a POST shows (and consumes) the flash: that one is a write.
    let r = c.post("/conferences", &conference("2018-06-28", "Hội nghị", "10"));
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = c.get(r.location());
    assert!(shown.body.contains("Đã thêm hội nghị."));
    for page in ["/", "/conferences", r.location(), "/reports/summary"] {
        let r = c.get(page);
        assert_eq!(r.status, 200, "{page}");
        assert!(!r.sets_cookie(), "{page} saved the session");
        assert!(
            !r.body.contains("Đã thêm hội nghị."),
            "the flash shows once"
        );
    }
}
