//! The `qcdc period` contract through the real binary (docs/CLI.md, "Submitted
//! periods"): submit, list as CSV, show = the report's long CSV byte for byte, a locked
//! import refused as a whole (exit 1, nothing written), reopen with a reason, and the
//! import then written. (Beside `cli.rs`, which is at the 800-line limit.)

use support::{init_db, p, qcdc, qcdc_ok, text, totals, write};

#[test]
fn a_submitted_period_stays_put_until_reopened() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    let first = write(
        dir.path(),
        "c1.csv",
        "date,kind,title,attendees\n2024-03-01,dissemination,Một,40\n2024-11-02,review,Hai,60\n"
            .as_bytes(),
    );
    qcdc_ok(&["import", "--db", p(&db), "conferences", p(&first)]);
    let range = ["--from", "2024-01-01", "--to", "2024-12-31"];
    let report = || {
        let mut args = vec!["report", "--db", p(&db)];
        args.extend(range);
        args.extend(["--by", "year", "--shape", "long"]);
        qcdc_ok(&args).stdout
    };
    let before = report();

    let mut submit = vec!["period", "submit", "--db", p(&db)];
    submit.extend(range);
    let out = qcdc(&submit);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("số 1"), "{}", text(&out.stdout));

    // The list: the contract's header, dates ISO, status code.
    let list = text(&qcdc_ok(&["period", "list", "--db", p(&db)]).stdout);
    let mut lines = list.lines();
    assert_eq!(
        lines.next(),
        Some("id,from,to,submitted_at,submitted_by,status")
    );
    let row: Vec<&str> = lines.next().expect("one submission").split(',').collect();
    assert_eq!(
        (row[0], row[1], row[2], row[4], row[5]),
        ("1", "2024-01-01", "2024-12-31", "cli", "submitted")
    );
    assert!(row[3].ends_with('Z') && row[3].len() == 20, "{}", row[3]);

    // show = the report as it was printed, byte for byte.
    let shown = qcdc_ok(&["period", "show", "--db", p(&db), "1"]).stdout;
    assert_eq!(shown, before);
    assert!(text(&shown).starts_with("indicator,name,unit,period,value\r\n"));

    // An overlapping range is refused while the period is submitted.
    let overlap = qcdc(&[
        "period",
        "submit",
        "--db",
        p(&db),
        "--from",
        "2024-12-01",
        "--to",
        "2025-01-31",
    ]);
    assert_eq!(overlap.status.code(), Some(1));
    assert!(text(&overlap.stderr).contains("(số 1, người nộp cli)"));

    // An import with one row inside the period: refused whole, the row named.
    let second = write(
        dir.path(),
        "c2.csv",
        "date,kind,title,attendees\n2025-01-10,dissemination,Ba,30\n2024-06-15,review,Bốn,50\n"
            .as_bytes(),
    );
    let refused = qcdc(&["import", "--db", p(&db), "conferences", p(&second)]);
    assert_eq!(refused.status.code(), Some(1));
    let err = text(&refused.stderr);
    assert!(
        err.lines().any(|l| l
            .starts_with("row 2, column date: Kỳ 01/01/2024–31/12/2024 đã nộp báo cáo ngày")
            && l.ends_with(
                "không thể thêm, sửa hay xóa bản ghi ngày 15/06/2024. Cần mở lại kỳ này trước."
            )),
        "{err}"
    );
    assert!(!err.contains("row 1,"), "{err}");
    assert_eq!(
        totals(&db, None)["conferences.count"],
        "2",
        "nothing written"
    );

    // Reopen with a reason; the import then goes through.
    let reopen = qcdc(&[
        "period",
        "reopen",
        "--db",
        p(&db),
        "1",
        "--reason",
        "Bổ sung hội nghị tháng 6",
    ]);
    assert!(reopen.status.success(), "{}", text(&reopen.stderr));
    let again = qcdc(&["period", "reopen", "--db", p(&db), "1", "--reason", "x"]);
    assert_eq!(again.status.code(), Some(1));
    let blank = qcdc(&["period", "reopen", "--db", p(&db), "1", "--reason", " "]);
    assert_eq!(blank.status.code(), Some(1));
    let missing = qcdc(&["period", "show", "--db", p(&db), "99"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("không có kỳ đã nộp số 99"));
    let list = text(&qcdc_ok(&["period", "list", "--db", p(&db)]).stdout);
    assert!(
        list.lines()
            .nth(1)
            .is_some_and(|l| l.ends_with(",reopened")),
        "{list}"
    );

    let imported = qcdc(&["import", "--db", p(&db), "conferences", p(&second)]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert_eq!(totals(&db, None)["conferences.count"], "4");
    // The snapshot stays as it was sent; the report has moved on.
    assert_eq!(
        qcdc_ok(&["period", "show", "--db", p(&db), "1"]).stdout,
        before
    );
    assert_ne!(report(), before);
    // And the same range may be submitted again.
    let resubmit = qcdc(&submit);
    assert!(resubmit.status.success(), "{}", text(&resubmit.stderr));
    assert_eq!(
        qcdc_ok(&["period", "show", "--db", p(&db), "2"]).stdout,
        report()
    );
}
