//! Many writers and readers at once, in-process on a multi-thread runtime, with a
//! `qcdc import` in another process writing to the same file: no 5xx, no "database is
//! locked", and every write accounted for.

#[allow(dead_code)]
#[path = "../crates/web/tests/web/helpers.rs"]
mod helpers;

use std::sync::Arc;

use axum::http::StatusCode;
use domain::Role;
use store::RecordFilter;

use helpers::*;

const WRITERS: usize = 6;
const READERS: usize = 6;
const ROUNDS: usize = 20;
const IMPORTED: usize = 1500;

fn check(what: &str, r: &Resp) {
    assert!(
        !r.status.is_server_error(),
        "{what}: {} {}",
        r.status,
        r.body
    );
    assert!(
        !r.body.to_lowercase().contains("database is locked") && !r.body.contains("Lỗi hệ thống"),
        "{what}: {}",
        r.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_and_readers_together_never_see_a_locked_database() {
    let app = Arc::new(spawn_app().await);
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let c = app.logged_in(Role::Secretary).await;
            let token = c.csrf().await;
            for i in 0..ROUNDS {
                let mut f = pairs(&as_refs(&conference(
                    "2018-06-28",
                    &format!("Hội nghị w{w} số {i}"),
                    "10",
                )));
                f.push(("csrf".into(), token.clone()));
                let r = c.post_raw("/conferences", &f).await;
                check("create", &r);
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
                // and change it straight away
                let loc = r.location().to_string();
                let mut f = pairs(&as_refs(&conference(
                    "2018-06-29",
                    &format!("Hội nghị w{w} số {i} (sửa)"),
                    "11",
                )));
                f.push(("csrf".into(), token.clone()));
                let r = c.post_raw(&loc, &f).await;
                check("update", &r);
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            }
        }));
    }
    for rd in 0..READERS {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let role = [Role::Deputy, Role::Viewer, Role::Admin][rd % 3];
            let c = app.logged_in(role).await;
            for i in 0..ROUNDS {
                let page = [
                    "/",
                    "/conferences",
                    "/reports/summary?by=year",
                    "/conferences?q=s%E1%BB%91",
                    "/opinions/open",
                ][(i + rd) % 5];
                let r = c.get(page).await;
                check(page, &r);
                assert_eq!(r.status, StatusCode::OK, "{page}");
            }
        }));
    }
    // Another process writing the same file: the CLI import, all rows in one transaction.
    let dir = tempfile::tempdir().expect("dir");
    let mut rows = String::from("date,kind,title,attendees\n");
    for i in 0..IMPORTED {
        rows.push_str(&format!("2017-01-01,review,Nhập {i},{i}\n"));
    }
    let file = dir.path().join("c.csv");
    std::fs::write(&file, rows).expect("write csv");
    let db = app.store.path().to_path_buf();
    let import = tokio::process::Command::new(support::qcdc_bin())
        .arg("import")
        .arg("--db")
        .arg(&db)
        .arg("conferences")
        .arg(&file)
        .output();
    let (import, results) = tokio::join!(import, futures_util::future::join_all(tasks));
    for r in results {
        r.expect("a task failed");
    }
    let import = import.expect("run qcdc import");
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let list = app
        .store
        .list::<domain::Conference>(app.ward, &RecordFilter::default())
        .await
        .expect("list");
    assert_eq!(list.total as usize, WRITERS * ROUNDS + IMPORTED);
}

/// A page view must not write the session back: every write goes through the one
/// writer connection with an fsync, so a write per GET caps page views at the disk's
/// fsync rate (found by scripts/load.sh: ~450 pages/s instead of thousands).
#[tokio::test]
async fn page_views_do_not_rewrite_the_session() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    // The first page after a POST shows (and consumes) the flash: that one is a write.
    let r = c
        .post(
            "/conferences",
            &as_refs(&conference("2018-06-28", "Hội nghị", "10")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let shown = c.get(r.location()).await;
    assert!(shown.body.contains("Đã thêm hội nghị."));
    for page in ["/", "/conferences", r.location(), "/reports/summary"] {
        let r = c.get(page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert!(
            r.headers.get(axum::http::header::SET_COOKIE).is_none(),
            "{page} saved the session"
        );
        assert!(
            !r.body.contains("Đã thêm hội nghị."),
            "the flash shows once"
        );
    }
}
