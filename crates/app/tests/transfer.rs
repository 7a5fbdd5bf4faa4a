//! Moving a ward between databases (`Store::transfer_from`), on both engines: the demo
//! ward, with a deleted record and a review draft, copied SQLite → SQLite always, and
//! SQLite → PostgreSQL → SQLite when `QCDC_TEST_POSTGRES` names a server. The copy
//! must give the same report, the same exports, the same rows in every table, working
//! accounts; a second copy and a clashing account name are refused, writing nothing.

use domain::report::Grouping;
use domain::review::ReviewDraft;
use domain::ward::{Ward, WardCode};
use domain::{Conference, Input, Kind, RecordFilter, Role};
use store::audit::AuditFilter;
use store::testing::TestDb;
use store::transfer::Transferred;
use store::{Actor, Engine, Store, StoreError, WardId};

/// What must be equal in the source and the copy: the summary report as CSV (by year
/// and by term), every kind's export, the ward's details.
#[derive(Debug, PartialEq)]
struct Seen {
    report: Vec<String>,
    exports: Vec<String>,
    details: String,
}

async fn seen(store: &Store, ward: WardId) -> Seen {
    let mut report = Vec::new();
    for grouping in [Grouping::Year, Grouping::Term, Grouping::Total] {
        let r = app::report::build(store, ward, None, None, grouping)
            .await
            .expect("report");
        let mut out = Vec::new();
        app::formats::csv::write_summary(
            &mut out,
            &r,
            app::formats::csv::Shape::Long,
            app::formats::csv::Headers::Codes,
            false,
        )
        .expect("csv");
        report.push(String::from_utf8(out).expect("utf-8"));
    }
    let mut exports = Vec::new();
    for kind in Kind::ALL {
        let mut out = Vec::new();
        app::export::write_records(store, ward, *kind, &mut out, false)
            .await
            .expect("export");
        exports.push(String::from_utf8(out).expect("utf-8"));
    }
    let details = format!(
        "{:?} {:?} {:?} {:?} {}",
        store.ward(ward).await.expect("ward"),
        store.ward_names(ward).await.expect("names"),
        store.terms(ward).await.expect("terms"),
        store.review_periods(ward).await.expect("periods"),
        store.posting_days(ward).await.expect("posting days"),
    );
    Seen {
        report,
        exports,
        details,
    }
}

fn draft() -> ReviewDraft {
    let input: Input = [
        (
            "title",
            "Báo cáo tổng kết 20 năm thực hiện Chỉ thị 30-CT/TW",
        ),
        ("number", "25-BC/ĐU"),
        ("date", "2018-06-27"),
        ("from", "2014-01-01"),
        ("to", "2018-06-27"),
        ("signer_title", "PHÓ BÍ THƯ THƯỜNG TRỰC"),
    ]
    .into_iter()
    .collect();
    ReviewDraft::parse(&input).expect("valid draft")
}

/// The demo ward on `engine`, with one conference deleted and a review draft.
async fn demo(engine: Engine) -> Option<(TestDb, Store, WardId, i64)> {
    let db = TestDb::new(engine).await?;
    app::demo::build(&db.location).await.expect("demo");
    let store = Store::open(&db.location).await.expect("open");
    let ward = store.default_ward().await.expect("ward").expect("a ward");
    let first = store
        .list::<Conference>(
            ward,
            &RecordFilter {
                per_page: 1,
                ..Default::default()
            },
        )
        .await
        .expect("list");
    let deleted = first.items[0].id;
    store
        .delete::<Conference>(ward, &Actor::new("thuky"), deleted)
        .await
        .expect("delete");
    store
        .create_review_draft(ward, &Actor::new("phobithu"), &draft())
        .await
        .expect("draft");
    Some((db, store, ward, deleted))
}

async fn empty(engine: Engine) -> Option<(TestDb, Store)> {
    let db = TestDb::new(engine).await?;
    let store = Store::open(&db.location).await.expect("open");
    Some((db, store))
}

fn code() -> WardCode {
    WardCode::parse("ngoc-thuy").expect("code")
}

/// Everything the target holds, counted: wards, accounts, audit entries.
async fn totals(store: &Store) -> (usize, i64, u64) {
    let wards = store.wards().await.expect("wards");
    let audit = match wards.first() {
        Some(w) => {
            store
                .audit(w.id, &AuditFilter::default())
                .await
                .expect("audit")
                .total
        }
        None => 0,
    };
    (wards.len(), store.user_count().await.expect("users"), audit)
}

/// Copies the demo from `from` to `to` and back to a third database on `from`'s engine.
async fn transfer_between(from: Engine, to: Engine) {
    let Some((_src_db, src, src_ward, deleted)) = demo(from).await else {
        return;
    };
    let Some((_dst_db, dst)) = empty(to).await else {
        return;
    };
    let started = std::time::Instant::now();
    let done = dst
        .transfer_from(&src, &[], &Actor::new("cli"))
        .await
        .expect("transfer");
    eprintln!("{from:?} → {to:?}: {:?}", started.elapsed());
    assert_eq!(done.len(), 1);
    let copied: &Transferred = &done[0];
    assert_eq!(copied.code, code());
    assert_eq!(copied.users(), 4);
    let ward = dst
        .ward_by_code(&code())
        .await
        .expect("code")
        .expect("ward");
    assert_eq!(ward, copied.id);

    // The same figures, records, details.
    assert_eq!(seen(&dst, ward).await, seen(&src, src_ward).await);

    // The same rows in every table: copied back out of the target, each table gives as
    // many rows as went in (the audit log one more: the transfer's own entry).
    let Some((_back_db, back)) = empty(from).await else {
        return;
    };
    let again = back
        .transfer_from(&dst, &[code()], &Actor::new("cli"))
        .await
        .expect("transfer back");
    for ((table, n), (table2, m)) in copied.rows.iter().zip(&again[0].rows) {
        assert_eq!(table, table2);
        let expected = if *table == "audit_log" { n + 1 } else { *n };
        assert_eq!(*m, expected, "{table}");
    }
    for table in ["ward_names", "ward_terms", "review_periods", "imports"] {
        assert!(copied.rows_of(table) > 0, "{table}");
    }
    assert_eq!(copied.rows_of("review_drafts"), 1);
    assert!(copied.rows_of("party_cell_groups") > 0);
    assert_eq!(seen(&back, again[0].id).await, seen(&src, src_ward).await);

    // The deleted conference is deleted in the copy, and its audit entry names its new id.
    let gone = dst
        .list::<Conference>(
            ward,
            &RecordFilter {
                deleted: true,
                ..Default::default()
            },
        )
        .await
        .expect("deleted list");
    assert_eq!(gone.items.len(), 1);
    assert_eq!(gone.items[0].meta.deleted_by.as_deref(), Some("thuky"));
    let src_conf = src
        .get::<Conference>(src_ward, deleted)
        .await
        .expect("source conference");
    assert_eq!(gone.items[0].record, src_conf.record);
    assert_eq!(gone.items[0].meta.created_at, src_conf.meta.created_at);
    assert_eq!(
        gone.items[0].meta.import_id.is_some(),
        src_conf.meta.import_id.is_some()
    );
    let audit = dst
        .audit(
            ward,
            &AuditFilter {
                entity: Some("conferences".into()),
                entity_id: Some(gone.items[0].id),
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    assert_eq!(audit.items.len(), 1);
    assert_eq!(audit.items[0].action, "delete");
    let drafts = dst.review_drafts(ward).await.expect("drafts");
    let draft_audit = dst
        .audit(
            ward,
            &AuditFilter {
                entity: Some("review_drafts".into()),
                entity_id: Some(drafts[0].id),
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    assert_eq!(draft_audit.items.len(), 1);
    let transfer = dst
        .audit(
            ward,
            &AuditFilter {
                entity: Some("ward".into()),
                entity_id: Some(ward.0),
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    assert!(transfer.items.iter().any(|e| e.action == "transfer"));

    // The accounts log in with their passwords.
    for (username, role, password) in app::demo::ACCOUNTS {
        let c = dst
            .credentials(username)
            .await
            .expect("credentials")
            .expect("account copied");
        assert_eq!(c.user.role, *role);
        assert!(
            app::passwords::verify(password, &c.password_hash),
            "{username}"
        );
    }

    // A second copy of the same code is refused, and writes nothing.
    let before = totals(&dst).await;
    let refused = dst.transfer_from(&src, &[], &Actor::new("cli")).await;
    match refused {
        Err(StoreError::Conflict(m)) => assert!(m.contains("ngoc-thuy"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(totals(&dst).await, before);
    src.close().await;
    dst.close().await;
    back.close().await;
}

/// An account name the target has (whatever its case) refuses the copy, writing nothing.
async fn a_username_clash_writes_nothing(from: Engine, to: Engine) {
    let Some((_src_db, src, _, _)) = demo(from).await else {
        return;
    };
    let Some((_dst_db, dst)) = empty(to).await else {
        return;
    };
    let other = WardCode::parse("khac").expect("code");
    let ward = dst
        .add_ward(
            &Actor::system(),
            &other,
            &Ward {
                name: "Phường Khác".into(),
                district: None,
                province: None,
            },
        )
        .await
        .expect("ward");
    dst.create_user_in(
        &Actor::system(),
        Some(ward),
        "ThuKy",
        None,
        Role::Secretary,
        "hash",
    )
    .await
    .expect("user");
    let before = totals(&dst).await;
    match dst.transfer_from(&src, &[], &Actor::new("cli")).await {
        Err(StoreError::Conflict(m)) => assert!(m.contains("thuky"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(totals(&dst).await, before);
    assert_eq!(dst.wards().await.expect("wards").len(), 1);
    // A code the source does not have is refused too.
    let missing = WardCode::parse("khong-co").expect("code");
    assert!(matches!(
        dst.transfer_from(&src, &[missing], &Actor::new("cli"))
            .await,
        Err(StoreError::Conflict(_))
    ));
    src.close().await;
    dst.close().await;
}

#[tokio::test]
async fn sqlite_to_sqlite() {
    transfer_between(Engine::Sqlite, Engine::Sqlite).await
}

#[tokio::test]
async fn sqlite_to_postgres_and_back() {
    transfer_between(Engine::Sqlite, Engine::Postgres).await
}

#[tokio::test]
async fn postgres_to_sqlite_and_back() {
    transfer_between(Engine::Postgres, Engine::Sqlite).await
}

#[tokio::test]
async fn username_clash_sqlite() {
    a_username_clash_writes_nothing(Engine::Sqlite, Engine::Sqlite).await
}

#[tokio::test]
async fn username_clash_postgres() {
    a_username_clash_writes_nothing(Engine::Sqlite, Engine::Postgres).await
}
