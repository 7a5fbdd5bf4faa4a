//! Mergers on a real database (SQLite, and PostgreSQL when `QCDC_TEST_POSTGRES` names a
//! server): recorded in one write with its audit, refused when they contradict the
//! recorded ones or would leave records counted nowhere, and a former ward takes no
//! record after its last day (create, update) while its last day still takes one.

use chrono::NaiveDate;
use domain::lineage::Share;
use domain::ward::{Ward, WardCode};
use domain::{Conference, Input, Record};
use store::lineage::MergeInto;
use store::testing::TestDb;
use store::{Actor, Engine, RecordFilter, Store, StoreError, WardId};

store::on_both_engines!(
    mergers_are_recorded_and_checked,
    a_former_ward_takes_no_record_after_its_end
);

async fn store(engine: Engine) -> Option<(TestDb, Store, WardId)> {
    store::testing::store_with_ward(engine).await
}

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).expect("date")
}

fn conference(date: &str) -> Conference {
    let input: Input = [
        ("date", date),
        ("kind", "dissemination"),
        ("title", "Hội nghị"),
        ("attendees", "10"),
    ]
    .into_iter()
    .collect();
    Conference::parse(&input).expect("valid")
}

fn new_ward(code: &str, name: &str) -> MergeInto {
    MergeInto::New {
        code: WardCode::parse(code).expect("code"),
        ward: Ward {
            name: name.into(),
            district: None,
            province: None,
        },
    }
}

async fn mergers_are_recorded_and_checked(engine: Engine) {
    let Some((_db, s, first)) = store(engine).await else {
        return;
    };
    let me = Actor::new("thanhpho-qt");
    let second = s.add_test_ward("hai", "Phường Hai").await;
    let on = d(2025, 7, 1);
    s.create(second, &me, &conference("2025-07-01"))
        .await
        .expect("late record");
    // a former ward with a record from the day of the merger: refused, nothing written
    let e = s
        .merge_wards(
            &me,
            &new_ward("moi", "Phường Mới"),
            on,
            &[(first, Share::Whole), (second, Share::Part)],
        )
        .await
        .expect_err("late record");
    assert!(
        matches!(&e, StoreError::Conflict(m) if m.contains("Phường Hai còn 1 bản ghi từ ngày 01/07/2025")),
        "{e:?}"
    );
    assert_eq!(s.wards().await.expect("wards").len(), 2);
    assert!(s.successions().await.expect("read").is_empty());

    let moi = s
        .merge_wards(
            &me,
            &new_ward("moi", "Phường Mới"),
            on,
            &[(first, Share::Whole)],
        )
        .await
        .expect("merged");
    let successions = s.successions().await.expect("read");
    assert_eq!(successions.len(), 1);
    assert_eq!(
        (successions[0].predecessor, successions[0].successor),
        (first, moi)
    );
    assert_eq!(successions[0].last_day(), d(2025, 6, 30));
    let lives = s.ward_lives().await.expect("lives");
    let life = |w: WardId| lives.iter().find(|l| l.ward == w).expect("life").clone();
    assert_eq!(life(moi).established, Some(on));
    assert_eq!(life(first).until, Some(d(2025, 6, 30)));
    assert_eq!(life(first).successors, vec![(moi, Share::Whole)]);
    // audited as a merger of the former ward, by its author
    let audit = s
        .audit(
            first,
            &store::audit::AuditFilter {
                page: 1,
                per_page: 10,
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    assert!(
        audit
            .items
            .iter()
            .any(|e| e.action == "merge" && e.actor == "thanhpho-qt"),
        "{:?}",
        audit.items
    );
    // a code taken, the ward again, a ward into itself, a cycle: refused
    let taken = s
        .merge_wards(&me, &new_ward("hai", "Khác"), on, &[(first, Share::Whole)])
        .await
        .expect_err("code taken");
    assert!(matches!(taken, StoreError::Conflict(_)));
    let again = s
        .merge_wards(
            &me,
            &MergeInto::Existing(second),
            d(2026, 1, 1),
            &[(first, Share::Whole)],
        )
        .await
        .expect_err("again");
    assert!(
        matches!(&again, StoreError::Conflict(m) if m.contains("đã sáp nhập vào Phường Mới")),
        "{again:?}"
    );
    let cycle = s
        .merge_wards(
            &me,
            &MergeInto::Existing(first),
            d(2026, 1, 1),
            &[(moi, Share::Whole)],
        )
        .await
        .expect_err("cycle");
    assert!(matches!(cycle, StoreError::Conflict(_)));
}

async fn a_former_ward_takes_no_record_after_its_end(engine: Engine) {
    let Some((_db, s, first)) = store(engine).await else {
        return;
    };
    let me = Actor::system();
    let kept = s
        .create(first, &me, &conference("2025-06-30"))
        .await
        .expect("before");
    s.merge_wards(
        &me,
        &new_ward("moi", "Phường Mới"),
        d(2025, 7, 1),
        &[(first, Share::Whole)],
    )
    .await
    .expect("merged");
    let e = s
        .create(first, &me, &conference("2025-07-01"))
        .await
        .expect_err("after");
    match e {
        StoreError::Invalid(errors) => {
            let m = errors.get("date").expect("on the date");
            assert!(m.contains("hãy ghi vào Phường Mới"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    // moving a record past the end is refused too; its last day still takes one
    assert!(s
        .update(first, &me, kept, &conference("2025-08-01"))
        .await
        .is_err());
    s.update(first, &me, kept, &conference("2025-06-29"))
        .await
        .expect("still inside");
    s.create(first, &me, &conference("2025-06-30"))
        .await
        .expect("last day");
    // a submission of the successor's report over those days locks them in the former
    // ward too (its report counts them)
    let moi = s
        .ward_by_code(&WardCode::parse("moi").expect("code"))
        .await
        .expect("read")
        .expect("moi");
    let pending = s
        .begin_submission(moi, d(2025, 1, 1), d(2025, 6, 30))
        .await
        .expect("begin");
    pending.finish(&me, "snapshot").await.expect("submitted");
    let locked = s
        .create(first, &me, &conference("2025-05-05"))
        .await
        .expect_err("locked");
    assert!(
        matches!(&locked, StoreError::Invalid(e) if e.get("date").is_some_and(|m| m.contains("đã nộp"))),
        "{locked:?}"
    );
    let listed = s
        .list::<Conference>(first, &RecordFilter::default())
        .await
        .expect("list");
    assert_eq!(listed.total, 2);
}
