//! The importer's check refuses rows dated inside a period still submitted, before the
//! store does: the preview and `--dry-run` name the row and its date column (an
//! opinion's dialogue_ref), with the message naming the submission.

use app::import::{check, ImportError};
use chrono::NaiveDate;
use domain::submission::{Locks, Status, Submission};
use domain::Kind;
use store::imports::Registers;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn reg() -> Registers {
    let mut r = Registers::default();
    r.groups.extend([1, 2]);
    r.dialogue_refs.insert("DT-1".into(), day(2024, 5, 1));
    r.dialogue_refs.insert("DT-2".into(), day(2025, 5, 1));
    r.locks = Locks::new([Submission {
        id: 3,
        from: day(2024, 1, 1),
        to: day(2024, 12, 31),
        submitted_at: "2025-01-05T02:00:00Z".into(),
        submitted_by: "pho-bt".into(),
        status: Status::Submitted,
        reopened_at: None,
        reopened_by: None,
        reopen_reason: None,
    }]);
    r
}

fn problems(kind: Kind, text: &str) -> Vec<String> {
    match check(kind, text, &reg()) {
        Err(ImportError::Rows(p)) => p.iter().map(|p| p.to_string()).collect(),
        Err(e) => vec![e.to_string()],
        Ok(_) => vec![],
    }
}

#[test]
fn rows_dated_inside_a_submitted_period_are_refused() {
    let p = problems(
        Kind::Conferences,
        "date,kind,title,attendees\n2025-01-01,review,A,10\n12/03/2024,review,B,10\n2023-12-31,review,C,10\n",
    );
    assert_eq!(
        p,
        ["row 2, column date: Kỳ 01/01/2024–31/12/2024 đã nộp báo cáo ngày 05/01/2025 (số 3, người nộp pho-bt): không thể thêm, sửa hay xóa bản ghi ngày 12/03/2024. Cần mở lại kỳ này trước."]
    );
    let p = problems(
        Kind::Opinions,
        "dialogue_ref,content,response,status\nDT-2,A,referred,open\nDT-1,B,referred,open\n",
    );
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("row 2, column dialogue_ref: Kỳ 01/01/2024–31/12/2024"));
    // Registers are not locked.
    assert!(problems(
        Kind::ResidentialGroups,
        "number,name,established\n7,Tổ 7,2024-03-01\n"
    )
    .is_empty());
}
