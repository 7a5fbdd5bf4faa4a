//! Review drafts on a real database (SQLite, and PostgreSQL when `QCDC_TEST_POSTGRES`
//! names a server): create, read, list, update, delete, each with its audit entry.

use domain::review::ReviewDraft;
use domain::ward::Ward;
use domain::Input;
use store::audit::{AuditFilter, Entity};
use store::testing::TestDb;
use store::{Actor, Engine, Store, StoreError, WardId};

async fn store(engine: Engine) -> Option<(TestDb, Store, WardId)> {
    let db = TestDb::new(engine).await?;
    let s = Store::open(&db.location).await.expect("open");
    let w = s
        .init_ward(
            &Actor::system(),
            &Ward {
                name: "Phường Ngọc Thụy".into(),
                district: Some("Quận Long Biên".into()),
                province: None,
            },
        )
        .await
        .expect("ward");
    Some((db, s, w))
}

fn draft(date: &str) -> ReviewDraft {
    let input: Input = [
        (
            "title",
            "Báo cáo tổng kết 20 năm thực hiện Chỉ thị 30-CT/TW",
        ),
        ("number", "25-BC/ĐU"),
        ("date", date),
        ("from", "2014-01-01"),
        ("to", "2018-06-27"),
        ("signer_title", "PHÓ BÍ THƯ THƯỜNG TRỰC"),
        ("limitations", "Dòng một.\nDòng hai có dấu ' và \"."),
    ]
    .into_iter()
    .collect();
    ReviewDraft::parse(&input).expect("valid draft")
}

#[tokio::test]
async fn drafts_round_trip_with_audit_on_sqlite() {
    drafts_round_trip_with_audit(Engine::Sqlite).await
}

#[tokio::test]
async fn drafts_round_trip_with_audit_on_postgres() {
    drafts_round_trip_with_audit(Engine::Postgres).await
}

async fn drafts_round_trip_with_audit(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::new("phobithu");
    let first = draft("2018-06-27");
    let id = s.create_review_draft(w, &me, &first).await.expect("create");
    let got = s.review_draft(w, id).await.expect("get");
    assert_eq!(got.record, first);
    assert_eq!(got.meta.created_by, "phobithu");
    assert!(got.meta.deleted_at.is_none());

    let later = s
        .create_review_draft(w, &me, &draft("2018-07-01"))
        .await
        .expect("create");
    let list = s.review_drafts(w).await.expect("list");
    assert_eq!(
        list.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![later, id]
    );

    let mut changed = first.clone();
    changed.number = None;
    changed.lessons = Some("Bài học.".into());
    s.update_review_draft(w, &Actor::new("thuky"), id, &changed)
        .await
        .expect("update");
    let got = s.review_draft(w, id).await.expect("get");
    assert_eq!(got.record, changed);
    assert_eq!(got.meta.updated_by, "thuky");

    assert!(matches!(
        s.update_review_draft(w, &me, 999, &changed).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.review_draft(w, 999).await,
        Err(StoreError::NotFound)
    ));
    // another ward's id is not found
    assert!(matches!(
        s.review_draft(WardId(w.0 + 1), id).await,
        Err(StoreError::NotFound)
    ));

    let log = s
        .audit(
            w,
            &AuditFilter {
                entity: Some(Entity::ReviewDrafts.code().into()),
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["update", "create", "create"]);
    let update = &log.items[0];
    assert_eq!(update.entity_id, Some(id));
    assert_eq!(update.actor, "thuky");
    assert_eq!(
        update.before.as_ref().map(|b| b.get("number").to_string()),
        Some("25-BC/ĐU".into())
    );
    assert_eq!(
        update.after.as_ref().map(|a| a.get("number").to_string()),
        Some(String::new())
    );
}
