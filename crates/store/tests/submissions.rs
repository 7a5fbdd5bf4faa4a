//! Submitted periods on both engines: a submission with its snapshot, an overlapping
//! range refused, the lock on every write of a dated record (create, update by its old
//! and its new date, delete, restore, import, opinions by their dialogue, import undo),
//! registers left free, and a reopening that lifts the lock, audited with its reason.

use chrono::NaiveDate;
use domain::submission::Status;
use domain::{Conference, Dialogue, Input, Opinion, Record, ResidentialGroup};
use store::audit::AuditFilter;
use store::imports::{ImportFailure, ImportRow};
use store::testing::TestDb;
use store::{Actor, Engine, Store, StoreError, WardId};

store::on_both_engines!(
    submit_list_show_and_refuse_an_overlap,
    the_lock_covers_every_write_of_a_dated_record,
    imports_and_their_undo_are_locked_as_a_whole,
    reopening_lifts_the_lock_and_is_audited,
);

async fn store(engine: Engine) -> Option<(TestDb, Store, WardId)> {
    store::testing::store_with_ward(engine).await
}

fn input(pairs: &[(&str, &str)]) -> Input {
    pairs.iter().map(|(k, v)| (*k, *v)).collect()
}

fn parse<T: Record>(pairs: &[(&str, &str)]) -> T {
    T::parse(&input(pairs)).expect("valid test record")
}

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).expect("date")
}

fn conf(date: &str) -> Conference {
    parse(&[
        ("date", date),
        ("kind", "review"),
        ("title", "Hội nghị"),
        ("attendees", "40"),
    ])
}

async fn submit(s: &Store, w: WardId, who: &str, from: NaiveDate, to: NaiveDate) -> i64 {
    let pending = s.begin_submission(w, from, to).await.expect("begin");
    pending
        .finish(&Actor::new(who), "indicator,name,unit,period,value\r\n")
        .await
        .expect("submit")
}

/// The field error of a refused write, with its message.
fn locked_field(r: Result<impl std::fmt::Debug, StoreError>) -> (String, String) {
    match r {
        Err(StoreError::Invalid(e)) => {
            let e = e.iter().next().expect("one error").clone();
            (e.field, e.message)
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn conflict(r: Result<impl std::fmt::Debug, StoreError>) -> String {
    match r {
        Err(StoreError::Conflict(m)) => m,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

async fn submit_list_show_and_refuse_an_overlap(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let id = submit(&s, w, "pho-bt", d(2024, 1, 1), d(2024, 12, 31)).await;
    let (sub, snapshot) = s.submission(w, id).await.expect("show");
    assert_eq!(snapshot, "indicator,name,unit,period,value\r\n");
    assert_eq!((sub.from, sub.to), (d(2024, 1, 1), d(2024, 12, 31)));
    assert_eq!(sub.submitted_by, "pho-bt");
    assert_eq!(sub.status, Status::Submitted);
    assert!(sub.submitted_at.ends_with('Z'), "{}", sub.submitted_at);
    // Overlapping on one day at either end is refused, naming the submission.
    for (from, to) in [
        (d(2024, 12, 31), d(2025, 6, 30)),
        (d(2023, 1, 1), d(2024, 1, 1)),
        (d(2024, 3, 1), d(2024, 3, 31)),
    ] {
        let m = conflict(s.begin_submission(w, from, to).await.map(|_| ()));
        assert!(
            m.starts_with(&format!(
                "Kỳ 01/01/2024–31/12/2024 đã nộp báo cáo ngày {} (số {id}, người nộp pho-bt)",
                domain::dates::vn(domain::submission::vietnam_day(&sub.submitted_at).expect("day"))
            )),
            "{m}"
        );
    }
    let next = submit(&s, w, "pho-bt", d(2025, 1, 1), d(2025, 12, 31)).await;
    let all = s.submissions(w).await.expect("list");
    assert_eq!(all.iter().map(|s| s.id).collect::<Vec<_>>(), [next, id]);
    assert_eq!(s.submission_ward(id).await.expect("ward"), w);
    assert!(matches!(
        s.submission(w, 9999).await,
        Err(StoreError::NotFound)
    ));
    // The submission is audited.
    let log = s
        .audit(
            w,
            &AuditFilter {
                entity: Some("submissions".into()),
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    assert_eq!(log.items.len(), 2);
    assert!(log.items.iter().all(|e| e.action == "submit"));
}

async fn the_lock_covers_every_write_of_a_dated_record(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::new("thu-ky");
    let inside = s.create(w, &me, &conf("2024-03-12")).await.expect("inside");
    let outside = s
        .create(w, &me, &conf("2025-02-01"))
        .await
        .expect("outside");
    let deleted = s
        .create(w, &me, &conf("2024-05-01"))
        .await
        .expect("deleted");
    s.delete::<Conference>(w, &me, deleted)
        .await
        .expect("delete");
    let dialogue: Dialogue = parse(&[
        ("date", "2024-06-01"),
        ("host", "both"),
        ("counterpart", "residents"),
        ("participants", "80"),
    ]);
    let did = s.create(w, &me, &dialogue).await.expect("dialogue");
    let opinion: Opinion = parse(&[
        ("content", "Đề nghị sửa đường"),
        ("response", "referred"),
        ("status", "open"),
    ]);
    let oid = s
        .create_opinion(w, &me, did, &opinion)
        .await
        .expect("opinion");
    let id = submit(&s, w, "pho-bt", d(2024, 1, 1), d(2024, 12, 31)).await;

    // Create inside: refused on the date field with the message naming the submission.
    let (field, message) = locked_field(s.create(w, &me, &conf("2024-12-31")).await);
    assert_eq!(field, "date");
    assert!(
        message.contains(&format!("(số {id}, người nộp pho-bt)")),
        "{message}"
    );
    assert!(
        message.ends_with(
            "không thể thêm, sửa hay xóa bản ghi ngày 31/12/2024. Cần mở lại kỳ này trước."
        ),
        "{message}"
    );
    // Update: the old date inside (moving out) and the new date inside (moving in).
    let (field, message) = locked_field(s.update(w, &me, inside, &conf("2025-03-01")).await);
    assert_eq!(field, "date");
    assert!(message.contains("bản ghi ngày 12/03/2024"), "{message}");
    let (_, message) = locked_field(s.update(w, &me, outside, &conf("2024-07-01")).await);
    assert!(message.contains("bản ghi ngày 01/07/2024"), "{message}");
    // Delete and restore are refused as a whole.
    conflict(s.delete::<Conference>(w, &me, inside).await);
    conflict(s.restore::<Conference>(w, &me, deleted).await);
    // Opinions count on their dialogue's date.
    let (field, _) = locked_field(s.create_opinion(w, &me, did, &opinion).await);
    assert_eq!(field, "dialogue_ref");
    let resolved: Opinion = parse(&[
        ("content", "Đề nghị sửa đường"),
        ("response", "referred"),
        ("status", "resolved"),
        ("resolved_on", "2025-01-10"),
    ]);
    locked_field(s.update(w, &me, oid, &resolved).await);
    conflict(s.delete::<Opinion>(w, &me, oid).await);
    // Outside the range, and registers, are free.
    s.update(w, &me, outside, &conf("2025-03-01"))
        .await
        .expect("outside stays free");
    s.create(w, &me, &conf("2023-12-31")).await.expect("before");
    let group: ResidentialGroup = parse(&[("number", "7"), ("name", "Tổ 7")]);
    s.create(w, &me, &group)
        .await
        .expect("registers are not locked");
    // Nothing of the refused writes was written.
    let got = s.get::<Conference>(w, inside).await.expect("get");
    assert_eq!(got.record.date, d(2024, 3, 12));
    assert!(got.meta.deleted_at.is_none());
}

fn row(pairs: &[(&str, &str)]) -> ImportRow {
    ImportRow {
        input: input(pairs),
        dialogue_ref: None,
    }
}

async fn imports_and_their_undo_are_locked_as_a_whole(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::new("thu-ky");
    let conference = |date: &'static str| {
        row(&[
            ("date", date),
            ("kind", "review"),
            ("title", "Hội nghị"),
            ("attendees", "40"),
        ])
    };
    let before = s
        .import(
            w,
            &me,
            domain::Kind::Conferences,
            None,
            None,
            &[conference("2024-02-01")],
        )
        .await
        .expect("import before the submission");
    submit(&s, w, "pho-bt", d(2024, 1, 1), d(2024, 12, 31)).await;
    let rows = [
        conference("2025-01-05"),
        conference("2024-08-19"),
        conference("2023-04-04"),
    ];
    match s
        .import(w, &me, domain::Kind::Conferences, None, None, &rows)
        .await
    {
        Err(ImportFailure::Rows(failures)) => {
            assert_eq!(failures.len(), 1);
            assert_eq!(failures[0].row, 2);
            let e = failures[0].errors.iter().next().expect("error");
            assert_eq!(e.field, "date");
            assert!(
                e.message.contains("bản ghi ngày 19/08/2024"),
                "{}",
                e.message
            );
        }
        other => panic!("expected the row refused, got {other:?}"),
    }
    // Nothing written: the one conference of the first import only.
    let all = s
        .list::<Conference>(w, &domain::RecordFilter::default())
        .await
        .expect("list");
    assert_eq!(all.total, 1);
    // Undoing the import of a locked record is refused, nothing deleted.
    conflict(s.undo_import(w, &me, before).await);
    assert_eq!(
        s.list::<Conference>(w, &domain::RecordFilter::default())
            .await
            .expect("list")
            .total,
        1
    );
    // Opinions imported into a locked dialogue are refused on their dialogue_ref.
    let dialogue: Dialogue = parse(&[
        ("date", "2024-06-01"),
        ("host", "both"),
        ("counterpart", "residents"),
        ("participants", "80"),
        ("ref", "DT-1"),
    ]);
    s.import(
        w,
        &me,
        domain::Kind::Dialogues,
        None,
        None,
        &[ImportRow {
            input: dialogue.to_input(),
            dialogue_ref: None,
        }],
    )
    .await
    .expect_err("the dialogue itself is dated inside");
}

async fn reopening_lifts_the_lock_and_is_audited(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::new("thu-ky");
    let dialogue: Dialogue = parse(&[
        ("date", "2024-06-01"),
        ("host", "both"),
        ("counterpart", "residents"),
        ("participants", "80"),
        ("ref", "DT-1"),
    ]);
    s.create(w, &me, &dialogue).await.expect("dialogue");
    let id = submit(&s, w, "pho-bt", d(2024, 1, 1), d(2024, 12, 31)).await;
    let opinion = ImportRow {
        input: input(&[
            ("content", "Đề nghị sửa đường"),
            ("response", "referred"),
            ("status", "open"),
        ]),
        dialogue_ref: Some("DT-1".into()),
    };
    match s
        .import(
            w,
            &me,
            domain::Kind::Opinions,
            None,
            None,
            std::slice::from_ref(&opinion),
        )
        .await
    {
        Err(ImportFailure::Rows(f)) => {
            assert_eq!(f[0].row, 1);
            assert_eq!(f[0].errors.iter().next().expect("e").field, "dialogue_ref");
        }
        other => panic!("expected the opinion refused, got {other:?}"),
    }
    let admin = Actor::new("qtv-tp");
    s.reopen_submission(w, &admin, id, "Bổ sung hội nghị tháng 8")
        .await
        .expect("reopen");
    conflict(
        s.reopen_submission(w, &admin, id, "lần nữa")
            .await
            .map(|_| ()),
    );
    let (sub, _) = s.submission(w, id).await.expect("show");
    assert_eq!(sub.status, Status::Reopened);
    assert_eq!(sub.reopened_by.as_deref(), Some("qtv-tp"));
    assert_eq!(
        sub.reopen_reason.as_deref(),
        Some("Bổ sung hội nghị tháng 8")
    );
    assert_eq!(
        sub.status_vn(),
        "Đã mở lại (lý do: Bổ sung hội nghị tháng 8)"
    );
    // Changes are allowed again.
    s.create(w, &me, &conf("2024-08-19")).await.expect("create");
    s.import(w, &me, domain::Kind::Opinions, None, None, &[opinion])
        .await
        .expect("import");
    // The same range may be submitted again, as a new submission.
    let again = submit(&s, w, "pho-bt", d(2024, 1, 1), d(2024, 12, 31)).await;
    assert!(again > id);
    let log = s
        .audit(
            w,
            &AuditFilter {
                entity: Some("submissions".into()),
                entity_id: Some(id),
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    let reopen = log
        .items
        .iter()
        .find(|e| e.action == "reopen")
        .expect("reopen audited");
    assert_eq!(reopen.actor, "qtv-tp");
    assert_eq!(
        reopen.note.as_deref(),
        Some(format!("mở lại kỳ đã nộp số {id}: Bổ sung hội nghị tháng 8").as_str())
    );
}
