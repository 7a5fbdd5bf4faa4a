//! Wards across the 2025 reorganisation through the real `qcdc` binary: a merger is
//! recorded (`qcdc ward merge`), the successor's report counts its whole former wards'
//! records up to their last day (part ones with `--include-part`, noted in the CSV),
//! a former ward takes no record after its end, and the city demo's `phuong-moi`.

use support::{p, qcdc, qcdc_ok, text, write};

fn ok(args: &[&str]) -> String {
    text(&qcdc_ok(args).stdout)
}

/// The value of `indicator` in a long report for `period` (with or without the note
/// column: read by the header's names).
fn value(report: &str, indicator: &str, period: &str) -> i64 {
    let mut r = csv::Reader::from_reader(report.as_bytes());
    let headers = r.headers().expect("a header").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in\n{report}"))
    };
    let (ind, per, val) = (col("indicator"), col("period"), col("value"));
    r.records()
        .map(|rec| rec.expect("a report line"))
        .find(|rec| &rec[ind] == indicator && &rec[per] == period)
        .and_then(|rec| rec[val].parse().ok())
        .unwrap_or_else(|| panic!("{indicator} {period} not in\n{report}"))
}

fn conferences(db: &str, ward: &str, extra: &[&str]) -> String {
    let mut a = vec!["report", "--db", db, "--ward", ward, "--by", "year"];
    a.extend(extra);
    ok(&a)
}

#[test]
fn a_merger_counts_former_wards_up_to_their_last_day() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("m.db");
    let db = p(&db);
    ok(&[
        "init",
        "--db",
        db,
        "--ward",
        "Phường Cũ Một",
        "--code",
        "cu-mot",
    ]);
    ok(&[
        "ward",
        "add",
        "--db",
        db,
        "--code",
        "cu-hai",
        "--name",
        "Phường Cũ Hai",
    ]);
    ok(&[
        "ward",
        "add",
        "--db",
        db,
        "--code",
        "cu-ba",
        "--name",
        "Phường Cũ Ba",
    ]);
    let before = write(
        dir.path(),
        "a.csv",
        "date,kind,title,attendees\n2024-03-01,dissemination,A,100\n2025-06-30,review,B,50\n"
            .as_bytes(),
    );
    let late = write(
        dir.path(),
        "late.csv",
        "date,kind,title,attendees\n2025-07-01,dissemination,C,10\n".as_bytes(),
    );
    for w in ["cu-mot", "cu-hai", "cu-ba"] {
        ok(&["import", "--db", db, "--ward", w, "conferences", p(&before)]);
    }
    ok(&[
        "import",
        "--db",
        db,
        "--ward",
        "cu-ba",
        "conferences",
        p(&late),
    ]);

    // a former ward with records from the day of the merger is refused, nothing written
    let refused = qcdc(&[
        "ward",
        "merge",
        "--db",
        db,
        "--into",
        "moi",
        "--name",
        "Phường Mới",
        "--on",
        "2025-07-01",
        "--from",
        "cu-mot,cu-ba",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("Phường Cũ Ba còn 1 bản ghi từ ngày 01/07/2025"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(ok(&["ward", "list", "--db", db]).lines().count(), 4);

    // a new ward needs its name
    let nameless = qcdc(&[
        "ward",
        "merge",
        "--db",
        db,
        "--into",
        "moi",
        "--on",
        "2025-07-01",
        "--from",
        "cu-mot",
    ]);
    assert!(
        text(&nameless.stderr).contains("--name"),
        "{}",
        text(&nameless.stderr)
    );

    ok(&[
        "ward",
        "merge",
        "--db",
        db,
        "--into",
        "moi",
        "--name",
        "Phường Mới",
        "--on",
        "01/07/2025",
        "--from",
        "cu-mot,cu-hai:part",
    ]);
    assert_eq!(
        ok(&["ward", "list", "--db", db]),
        "code,name,from,until,successor,share\n\
         cu-ba,Phường Cũ Ba,,,,\n\
         cu-hai,Phường Cũ Hai,,2025-06-30,moi,part\n\
         cu-mot,Phường Cũ Một,,2025-06-30,moi,whole\n\
         moi,Phường Mới,2025-07-01,,,\n"
    );
    // the same ward cannot pass wholly again
    let again = qcdc(&[
        "ward",
        "merge",
        "--db",
        db,
        "--into",
        "cu-ba",
        "--on",
        "2026-01-01",
        "--from",
        "cu-mot",
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("đã sáp nhập vào Phường Mới từ ngày 01/07/2025"),
        "{}",
        text(&again.stderr)
    );

    // after the merger the former ward takes no record, naming its successor
    let after = qcdc(&[
        "import",
        "--db",
        db,
        "--ward",
        "cu-mot",
        "conferences",
        p(&late),
    ]);
    assert_eq!(after.status.code(), Some(1));
    let err = text(&after.stderr);
    assert!(
        err.contains("row 1, column date") && err.contains("Phường Mới"),
        "{err}"
    );
    // its last day still takes one
    let last = write(
        dir.path(),
        "last.csv",
        "date,kind,title,attendees\n2025-06-30,other,D,5\n".as_bytes(),
    );
    ok(&[
        "import",
        "--db",
        db,
        "--ward",
        "cu-mot",
        "conferences",
        p(&last),
    ]);
    ok(&[
        "import",
        "--db",
        db,
        "--ward",
        "moi",
        "conferences",
        p(&late),
    ]);

    // the successor: its own record in 2025, the whole former ward's before
    let r = conferences(db, "moi", &[]);
    assert_eq!(value(&r, "conferences.count", "2024"), 1);
    assert_eq!(value(&r, "conferences.count", "2025"), 3); // 30/6 ×2 from cu-mot, 1/7 own
    assert_eq!(
        value(&r, "conferences.attendees", "total"),
        100 + 50 + 5 + 10
    );
    assert!(!r.lines().next().unwrap_or("").contains("note"));
    // part former wards only when asked, and then noted on every row
    let with_part = conferences(db, "moi", &["--include-part"]);
    assert!(
        with_part.starts_with("indicator,name,unit,period,value,note\r\n"),
        "{with_part}"
    );
    assert!(with_part.contains("Phường Cũ Hai (đến 30/06/2025)"));
    assert_eq!(value(&with_part, "conferences.count", "total"), 3 + 1 + 2);
    // dates after the merger alone: no former ward counts
    let late_only = conferences(
        db,
        "moi",
        &[
            "--from",
            "2025-07-01",
            "--to",
            "2025-12-31",
            "--include-part",
        ],
    );
    assert_eq!(value(&late_only, "conferences.count", "total"), 1);
    // the former wards' own reports are unchanged
    assert_eq!(
        value(
            &conferences(db, "cu-mot", &[]),
            "conferences.count",
            "total"
        ),
        3
    );
    // the city roll-up counts each record once
    let city = ok(&["report", "--db", db, "--wards", "all", "--by", "total"]);
    assert!(
        city.lines()
            .any(|l| l == "moi,conferences.count,Hội nghị đã tổ chức,hội nghị,total,4"),
        "{city}"
    );
    assert!(
        city.lines()
            .any(|l| l == "total,conferences.count,Hội nghị đã tổ chức,hội nghị,total,9"),
        "{city}"
    );
}

#[test]
fn the_city_demo_has_phuong_moi_with_ngoc_thuy_and_its_other_former_wards() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("city.db");
    let db = p(&db);
    let out = ok(&["demo", "--city", "--db", db]);
    assert!(out.contains("thuky-phuong-moi"), "{out}");
    let list = ok(&["ward", "list", "--db", db]);
    assert!(
        list.contains("ngoc-thuy,Phường Ngọc Thụy,,2025-06-30,phuong-moi,whole\n"),
        "{list}"
    );
    assert!(
        list.contains("phuong-moi,Phường Sông Xanh,2025-07-01,,,\n"),
        "{list}"
    );
    assert!(
        list.contains(",2025-06-30,phuong-moi;cau-moi,part;part\n"),
        "{list}"
    );
    let range = [
        "--from",
        "2014-01-01",
        "--to",
        "2018-06-27",
        "--by",
        "total",
    ];
    let of = |ward: &str, extra: &[&str]| {
        let mut a = vec!["report", "--db", db, "--ward", ward];
        a.extend(range);
        a.extend(extra);
        ok(&a)
    };
    let ngoc_thuy = of("ngoc-thuy", &[]);
    assert_eq!(value(&ngoc_thuy, "conferences.count", "total"), 142);
    assert_eq!(value(&ngoc_thuy, "conferences.attendees", "total"), 15135);
    let bai_boi = of("bai-boi", &[]);
    let lang_hoa = of("lang-hoa", &[]);
    let moi = of("phuong-moi", &[]);
    for indicator in [
        "conferences.count",
        "conferences.attendees",
        "publicity.total",
        "dialogues.count",
    ] {
        assert_eq!(
            value(&moi, indicator, "total"),
            value(&ngoc_thuy, indicator, "total") + value(&bai_boi, indicator, "total"),
            "{indicator}"
        );
    }
    let with_part = of("phuong-moi", &["--include-part"]);
    assert_eq!(
        value(&with_part, "conferences.count", "total"),
        value(&moi, "conferences.count", "total") + value(&lang_hoa, "conferences.count", "total")
    );
    // records of 2025–2026 of its own (Ngọc Thụy's fixture records from 1/7/2025 on are its)
    let own = ok(&[
        "report",
        "--db",
        db,
        "--ward",
        "phuong-moi",
        "--from",
        "2025-07-01",
        "--to",
        "2026-06-30",
        "--by",
        "total",
    ]);
    assert!(value(&own, "conferences.count", "total") > 0);
    assert!(value(&own, "community_decisions.count", "total") > 0);
    let nt_late = ok(&[
        "report",
        "--db",
        db,
        "--ward",
        "ngoc-thuy",
        "--from",
        "2025-07-01",
        "--to",
        "2026-06-30",
        "--by",
        "total",
    ]);
    assert_eq!(value(&nt_late, "community_decisions.count", "total"), 0);
}
