//! The CLI contracts of docs/CLI.md and docs/CSV.md, through the real `qcdc` binary.

use support::{
    demo_db, init_db, p, qcdc, qcdc_ok, qcdc_stdin, text, totals, username, ward_with_accounts,
    write, Server,
};

#[test]
fn init_refuses_an_existing_file_and_bad_input() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    let before = std::fs::read(&db).expect("read");
    let again = qcdc(&["init", "--db", p(&db), "--ward", "Khác"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("đã có"));
    assert_eq!(std::fs::read(&db).expect("read"), before, "unchanged");
    let blank = qcdc(&["init", "--db", p(&dir.path().join("y.db")), "--ward", "  "]);
    assert_eq!(blank.status.code(), Some(1));
    assert!(
        text(&blank.stderr).contains("name"),
        "names the field: {}",
        text(&blank.stderr)
    );
    assert!(!dir.path().join("y.db").exists(), "nothing written");
}

#[test]
fn user_add_reads_the_password_from_stdin() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    let ok = qcdc_stdin(
        &[
            "user",
            "add",
            "--db",
            p(&db),
            "--username",
            "thuky",
            "--role",
            "secretary",
        ],
        "mot-mat-khau-dai\n",
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let short = qcdc_stdin(
        &[
            "user",
            "add",
            "--db",
            p(&db),
            "--username",
            "thuky2",
            "--role",
            "secretary",
        ],
        "ngan\n",
    );
    assert_eq!(short.status.code(), Some(1));
    assert!(text(&short.stderr).contains("mật khẩu"));
    let role = qcdc_stdin(
        &[
            "user",
            "add",
            "--db",
            p(&db),
            "--username",
            "x3",
            "--role",
            "boss",
        ],
        "mot-mat-khau-dai\n",
    );
    assert!(text(&role.stderr).contains("--role"));
    let dup = qcdc_stdin(
        &[
            "user",
            "add",
            "--db",
            p(&db),
            "--username",
            "THUKY",
            "--role",
            "viewer",
        ],
        "mot-mat-khau-dai\n",
    );
    assert_eq!(dup.status.code(), Some(1), "usernames are case-insensitive");
}

/// Both forms of the web's record exports — for people (`/{kind}.csv`: field labels,
/// Vietnamese labels for codes, dd/mm/yyyy) and for scripts (`?headers=codes`) — import
/// back unchanged through `qcdc import`, for every kind: the fresh ward's `qcdc export`
/// equals the demo's.
#[test]
fn web_exports_in_both_forms_import_back_unchanged() {
    let dir = tempfile::tempdir().expect("dir");
    let demo = demo_db(dir.path());
    let server = support::server::Server::start(&demo);
    let web = server.client();
    // the demo's own deputy account (crates/app/src/demo.rs)
    assert_eq!(web.login("phobithu", "ngocthuy-2018-pbt").status, 303);
    for (form, query) in [("people", ""), ("codes", "?headers=codes")] {
        let fresh_dir = dir.path().join(form);
        std::fs::create_dir_all(&fresh_dir).expect("dir");
        let fresh = init_db(&fresh_dir);
        for kind in KINDS {
            let slug = kind.replace('_', "-");
            let r = web.get(&format!("/{slug}.csv{query}"));
            assert_eq!(r.status, 200, "{kind}");
            let f = write(&fresh_dir, &format!("{kind}.csv"), r.body.as_bytes());
            let imp = qcdc(&["import", "--db", p(&fresh), kind, p(&f)]);
            assert!(imp.status.success(), "{form} {kind}: {}", text(&imp.stderr));
        }
        for kind in KINDS {
            let a = qcdc(&["export", "--db", p(&demo), kind]);
            let b = qcdc(&["export", "--db", p(&fresh), kind]);
            assert!(a.status.success() && b.status.success(), "{kind}");
            assert!(
                text(&a.stdout).lines().count() > 1,
                "{kind}: the demo has records"
            );
            assert_eq!(text(&a.stdout), text(&b.stdout), "{form} {kind}");
        }
    }
    assert!(server.terminate());
}

const KINDS: [&str; 11] = [
    "residential_groups",
    "party_cells",
    "committee_members",
    "conferences",
    "publicity",
    "dialogues",
    "opinions",
    "documents",
    "inspections",
    "commendations",
    "hot_spots",
];

/// A file as secretaries have it: Vietnamese headers in any case, with or without
/// diacritics, labels for codes, dd/mm/yyyy; errors keep `row N, column C` and quote
/// the value.
#[test]
fn import_takes_vietnamese_headers_and_labels() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    let f = write(
        dir.path(),
        "c.csv",
        " NGÀY ,loai hoi nghi,Tên hội nghị,So luot nguoi du,Chủ đề\n\
         27/06/2018,Hội nghị nhân dân,Hội nghị A,\"1.200\",Thực hiện QCDC;phap lenh 34\n"
            .as_bytes(),
    );
    let out = qcdc(&["import", "--db", p(&db), "conferences", p(&f)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let export = text(&qcdc(&["export", "--db", p(&db), "conferences"]).stdout);
    assert!(export.starts_with("date,kind,title,attendees,"), "{export}");
    assert!(
        export.contains("2018-06-27,residents_meeting,Hội nghị A,1200,,qcdc;ordinance34"),
        "{export}"
    );
    let bad = write(
        dir.path(),
        "b.csv",
        "Ngày,Loại hội nghị,Tên hội nghị,Số lượt người dự\n2018-06-27,Hội nghị to,B,5\n".as_bytes(),
    );
    let out = qcdc(&["import", "--db", p(&db), "conferences", p(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("row 1, column kind: "), "{err}");
    assert!(
        err.contains("«Hội nghị to»") && err.contains("«Hội nghị nhân dân»"),
        "{err}"
    );
}

#[test]
fn import_errors_are_located_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    let groups = write(
        dir.path(),
        "g.csv",
        "number,name\n1,Tổ dân phố số 1\n2,Tổ dân phố số 2\n".as_bytes(),
    );
    assert!(
        qcdc(&["import", "--db", p(&db), "residential_groups", p(&groups)])
            .status
            .success()
    );

    let bad = write(
        dir.path(),
        "d.csv",
        "ref,date,host,counterpart,participants,residential_group\n\
         DT-1,2018-01-10,both,residents,40,1\n\
         DT-2,2018-02-30,both,residents,40,1\n\
         DT-3,2018-03-01,boss,residents,40,\n\
         DT-4,2018-03-02,both,residents,-4,\n\
         DT-5,2018-03-03,both,residents,40,9\n\
         DT-1,2018-03-04,both,residents,40,2\n\
         DT-6,05/03/2018,Bí thư Đảng ủy,Nhân dân,40,2\n"
            .as_bytes(),
    );
    let out = qcdc(&["import", "--db", p(&db), "dialogues", p(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    for line in [
        "row 2, column date:",
        "row 3, column host:",
        "row 4, column participants:",
        "row 5, column residential_group:",
        "row 6, column ref:",
    ] {
        assert!(
            err.lines().any(|l| l.starts_with(line)),
            "missing {line:?} in:\n{err}"
        );
    }
    assert!(
        !err.contains("row 1,") && !err.contains("row 7,"),
        "good rows are not reported:\n{err}"
    );
    assert_eq!(
        totals(&db, Some(("2018-01-01", "2018-12-31")))["dialogues.count"],
        "0",
        "nothing written"
    );

    // the good rows alone: --dry-run writes nothing, then the real import writes all
    let good = write(dir.path(), "ok.csv", "ref,date,host,counterpart,participants\nDT-1,2018-01-10,both,residents,40\nDT-6,05/03/2018,Bí thư Đảng ủy,Nhân dân,45\n".as_bytes());
    let dry = qcdc(&["import", "--db", p(&db), "dialogues", p(&good), "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(text(&dry.stdout).contains("Sẽ nhập 2"));
    assert_eq!(
        totals(&db, Some(("2018-01-01", "2018-12-31")))["dialogues.count"],
        "0"
    );
    assert!(qcdc(&["import", "--db", p(&db), "dialogues", p(&good)])
        .status
        .success());
    let t = totals(&db, Some(("2018-01-01", "2018-12-31")));
    assert_eq!(
        (
            t["dialogues.count"].as_str(),
            t["dialogues.participants"].as_str()
        ),
        ("2", "85")
    );
    // importing the same refs again is refused
    let again = qcdc(&["import", "--db", p(&db), "dialogues", p(&good)]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("row 1, column ref:"));
}

#[test]
fn unknown_columns_and_kinds_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    let f = write(
        dir.path(),
        "x.csv",
        b"date,number,issuer,kind,title,colour\n",
    );
    let out = qcdc(&["import", "--db", p(&db), "documents", p(&f)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("row 0, column colour:"));
    let out = qcdc(&["import", "--db", p(&db), "meetings", p(&f)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("không có loại dữ liệu"));
}

#[test]
fn non_utf8_files_are_refused_with_the_encoding() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    // "Phường Ngọc Thụy" as typed with the TCVN3 (ABC) font encoding
    let f = write(
        dir.path(),
        "old.csv",
        b"number,name\n1,T\xe9 d\xa9n ph\xe8 Ph\xad\xeang Ng\xe4c Th\xf9y\n",
    );
    let out = qcdc(&["import", "--db", p(&db), "residential_groups", p(&f)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("UTF-8") && err.contains("TCVN3"), "{err}");
}

#[test]
fn report_arguments_are_checked() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    let out = qcdc(&["report", "--db", p(&db), "--from", "2018-02-30"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--from"));
    let out = qcdc(&[
        "report",
        "--db",
        p(&db),
        "--from",
        "2018-02-01",
        "--to",
        "2018-01-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let out = qcdc(&["report", "--db", p(&db), "--by", "month"]);
    assert!(text(&out.stderr).contains("--by"));
    let out = qcdc(&["report", "--db", p(&dir.path().join("missing.db"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !dir.path().join("missing.db").exists(),
        "report never creates a database"
    );
    // wide shape has the periods as columns and no BOM
    let out = qcdc(&[
        "report",
        "--db",
        p(&db),
        "--from",
        "2017-07-01",
        "--to",
        "2018-06-30",
        "--by",
        "year",
        "--shape",
        "wide",
    ]);
    assert!(out.status.success());
    assert!(
        out.stdout
            .starts_with(b"indicator,name,unit,2017,2018,total\r\n"),
        "{}",
        text(&out.stdout[..80.min(out.stdout.len())])
    );
}

/// The demo ward reproduces the figures of the article it is built from (fixtures/).
#[test]
fn demo_reproduces_the_article() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.db");
    let out = qcdc(&["demo", "--db", p(&db)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("thuky"), "prints the accounts");
    assert_eq!(
        qcdc(&["demo", "--db", p(&db)]).status.code(),
        Some(1),
        "refuses to overwrite"
    );

    let t = totals(&db, Some(("2014-01-01", "27/06/2018")));
    for (code, want) in [
        ("documents.consolidate_committee", "9"),
        ("documents.committee_regulation", "1"),
        ("conferences.count", "142"),
        ("conferences.attendees", "15135"),
        ("publicity.radio_qcdc", "338"),
        ("publicity.land_site_clearance", "502"),
        ("publicity.ordinance34", "42"),
        ("commendations.party_cells", "30"),
        ("commendations.district_proposals", "2"),
        ("residential_groups.count", "38"),
    ] {
        assert_eq!(t[code], want, "{code}");
    }
    let day = totals(&db, Some(("2018-06-28", "2018-06-28")));
    assert_eq!(day["commendations.party_cells"], "17");
    assert_eq!(day["opinions.count"], "4");
    assert_eq!(day["conferences.count"], "1");
}

/// Records exported per kind and imported into a fresh database give the same report.
#[test]
fn export_import_round_trip() {
    let dir = tempfile::tempdir().expect("dir");
    let demo = demo_db(dir.path());
    let fresh = init_db(dir.path());
    for kind in [
        "residential_groups",
        "party_cells",
        "committee_members",
        "conferences",
        "publicity",
        "dialogues",
        "opinions",
        "documents",
        "inspections",
        "commendations",
        "hot_spots",
    ] {
        let out = qcdc(&["export", "--db", p(&demo), kind]);
        assert!(out.status.success(), "{kind}: {}", text(&out.stderr));
        let f = write(dir.path(), &format!("{kind}.csv"), &out.stdout);
        let imp = qcdc(&["import", "--db", p(&fresh), kind, p(&f)]);
        assert!(imp.status.success(), "{kind}: {}", text(&imp.stderr));
    }
    for by in ["year", "total"] {
        let a = qcdc(&[
            "report",
            "--db",
            p(&demo),
            "--from",
            "1998-01-01",
            "--to",
            "2018-12-31",
            "--by",
            by,
        ]);
        let b = qcdc(&[
            "report",
            "--db",
            p(&fresh),
            "--from",
            "1998-01-01",
            "--to",
            "2018-12-31",
            "--by",
            by,
        ]);
        assert!(a.status.success() && b.status.success());
        assert_eq!(text(&a.stdout), text(&b.stdout), "by {by}");
    }
}

/// `qcdc transfer` copies the demo ward into a new file with the same report; a second
/// copy of the same ward, and an unknown ward, are refused, changing nothing.
#[test]
fn transfer_copies_a_ward_into_a_new_file() {
    let dir = tempfile::tempdir().expect("dir");
    let demo = demo_db(dir.path());
    let copy = dir.path().join("city").join("copy.db");
    let out = qcdc_ok(&["transfer", "--from", p(&demo), "--to", p(&copy)]);
    let said = text(&out.stdout);
    assert!(
        said.contains("ngoc-thuy") && said.contains("4 tài khoản"),
        "{said}"
    );
    let report = |db: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["report", "--db", p(db)];
        args.extend(extra);
        text(&qcdc_ok(&args).stdout)
    };
    for extra in [
        &[][..],
        &["--by", "term", "--shape", "wide", "--headers", "vi"],
    ] {
        assert_eq!(report(&copy, extra), report(&demo, extra), "{extra:?}");
    }
    let before = report(&copy, &["--by", "total"]);

    let again = qcdc(&["transfer", "--from", p(&demo), "--to", p(&copy)]);
    assert!(!again.status.success());
    let err = text(&again.stderr);
    assert!(
        err.starts_with("lỗi:") && err.contains("ngoc-thuy"),
        "{err}"
    );
    assert_eq!(report(&copy, &["--by", "total"]), before);

    let missing = dir.path().join("none.db");
    let unknown = qcdc(&[
        "transfer",
        "--from",
        p(&demo),
        "--to",
        p(&missing),
        "--ward",
        "khong-co",
    ]);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("khong-co"));
    assert!(!missing.exists(), "a failed transfer leaves no new file");
}

#[test]
fn backup_while_another_process_writes() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    let groups = write(dir.path(), "g.csv", b"number,name\n1,T1\n");
    assert!(
        qcdc(&["import", "--db", p(&db), "residential_groups", p(&groups)])
            .status
            .success()
    );
    let mut rows = String::from("date,kind,title,attendees\n");
    for i in 0..2000 {
        rows.push_str(&format!("2018-01-01,review,Hội nghị {i},{i}\n"));
    }
    // several imports in a row from another process while backups are taken
    let file = write(dir.path(), "c.csv", rows.as_bytes());
    let writer = {
        let db = db.clone();
        std::thread::spawn(move || {
            for _ in 0..5 {
                let out = qcdc(&["import", "--db", p(&db), "conferences", p(&file), "--again"]);
                assert!(out.status.success(), "{}", text(&out.stderr));
            }
        })
    };
    let mut seen = Vec::new();
    for i in 0..3 {
        let out_db = dir.path().join(format!("copy{i}.db"));
        let out = qcdc(&["backup", "--db", p(&db), p(&out_db)]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains("kiểm tra toàn vẹn: ok"));
        let n: u64 = totals(&out_db, Some(("2018-01-01", "2018-12-31")))["conferences.count"]
            .parse()
            .expect("number");
        assert_eq!(n % 2000, 0, "a backup holds whole imports only");
        seen.push(n);
    }
    writer.join().expect("writer");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn the_same_file_twice_needs_again_and_imports_can_be_undone() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    let file = write(
        dir.path(),
        "c.csv",
        "date,kind,title,attendees\n2018-03-01,dissemination,Một,40\n2018-03-02,dissemination,Hai,40\n"
            .as_bytes(),
    );
    let count = || totals(&db, None)["conferences.count"].clone();
    let first = qcdc(&["import", "--db", p(&db), "conferences", p(&file)]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert_eq!(count(), "2");
    // The dry run tells what is repeated, and writes nothing.
    let dry = qcdc(&[
        "import",
        "--db",
        p(&db),
        "conferences",
        p(&file),
        "--dry-run",
    ]);
    assert!(dry.status.success());
    let notes = text(&dry.stderr);
    assert!(notes.contains("tệp này đã được nhập"), "{notes}");
    assert!(
        notes.contains("2 dòng giống hệt bản ghi đã có: dòng 1–2"),
        "{notes}"
    );
    // Again without --again: refused, exit 1, nothing doubled.
    let second = qcdc(&["import", "--db", p(&db), "conferences", p(&file)]);
    assert!(!second.status.success());
    assert!(text(&second.stderr).contains("--again"));
    assert_eq!(count(), "2");
    let third = qcdc(&["import", "--db", p(&db), "conferences", p(&file), "--again"]);
    assert!(third.status.success(), "{}", text(&third.stderr));
    assert_eq!(count(), "4");
    // History as CSV; undo the last import.
    let history = qcdc(&["import", "history", "--db", p(&db)]);
    let csv = text(&history.stdout);
    assert!(
        csv.starts_with("id,kind,file_name,rows,live,at,actor,undone_at,undone_by\r\n"),
        "{csv}"
    );
    let last_id = csv
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').next())
        .expect("an import");
    let undo = qcdc(&["import", "undo", "--db", p(&db), last_id]);
    assert!(undo.status.success(), "{}", text(&undo.stderr));
    assert_eq!(count(), "2");
    let twice = qcdc(&["import", "undo", "--db", p(&db), last_id]);
    assert!(!twice.status.success());
    assert!(text(&twice.stderr).contains("đã được hoàn tác"));
}

#[test]
fn serve_says_in_vietnamese_when_its_port_is_taken_before_building_a_demo() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = taken.local_addr().expect("address").to_string();
    let start = std::time::Instant::now();
    let child = support::qcdc_command()
        .args(["serve", "--demo", "--addr", &addr])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id();
    let out = child.wait_with_output().expect("run");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("đang được một chương trình khác dùng"),
        "{err}"
    );
    assert!(err.contains("--addr 127.0.0.1:8081"), "{err}");
    // Refused before the demo was built: nothing printed about it, no file left.
    assert!(!text(&out.stdout).contains("mẫu"), "{}", text(&out.stdout));
    let demo = std::env::temp_dir().join(format!("qcdc-demo-{pid}.db"));
    assert!(!demo.exists(), "{}", demo.display());
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    let bad = qcdc(&["serve", "--db", "x.db", "--addr", "khong-phai-dia-chi"]);
    assert!(
        text(&bad.stderr).contains("không hợp lệ"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn a_report_without_an_end_runs_to_the_last_record_not_to_today() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_db(dir.path());
    let out = qcdc(&["report", "--db", p(&db), "--shape", "wide"]);
    let header = text(&out.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(header.ends_with(",2018,total"), "{header}");
    assert!(!header.contains("2019"), "{header}");
}

/// `qcdc report --headers vi` prints exactly the web download without its BOM; the
/// default stays the code form. 10 of 32 opinions resolved (31,25%) is 31.3 in the CSV
/// and 31,3% on the page and in the review draft: one rounding rule, half up.
#[test]
fn report_headers_vi_is_the_web_download_and_rates_round_half_up() {
    let dir = tempfile::tempdir().expect("dir");
    let db = ward_with_accounts(dir.path(), &["deputy"]);
    let dialogues = write(
        dir.path(),
        "dialogues.csv",
        "ref,date,host,counterpart,participants,residential_group,notes\nDT-1,10/10/2017,both,residential_group,40,,\n".as_bytes(),
    );
    let mut opinions = String::from("dialogue_ref,content,field,response,status,resolved_on\n");
    for n in 0..32 {
        if n < 10 {
            opinions.push_str(&format!(
                "DT-1,Ý kiến {n},land,answered,resolved,20/12/2017\n"
            ));
        } else {
            opinions.push_str(&format!("DT-1,Ý kiến {n},land,answered,open,\n"));
        }
    }
    let opinions = write(dir.path(), "opinions.csv", opinions.as_bytes());
    qcdc_ok(&["import", "--db", p(&db), "dialogues", p(&dialogues)]);
    qcdc_ok(&["import", "--db", p(&db), "opinions", p(&opinions)]);

    let range = ["--from", "2017-01-01", "--to", "2017-12-31", "--by", "year"];
    let cli = |extra: &[&str]| {
        let mut args = vec!["report", "--db", p(&db)];
        args.extend(range);
        args.extend(extra);
        text(&qcdc_ok(&args).stdout)
    };
    let codes = cli(&["--shape", "long"]);
    assert!(
        codes.starts_with("indicator,name,unit,period,value\r\n"),
        "{codes}"
    );
    assert!(
        codes.contains("opinions.resolution_rate,Tỷ lệ ý kiến nêu trong kỳ đã giải quyết đến cuối kỳ,%,total,31.3\r\n"),
        "{codes}"
    );
    assert_eq!(cli(&["--shape", "long", "--headers", "codes"]), codes);
    let bad = qcdc(&["report", "--db", p(&db), "--headers", "en"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("--headers"));

    let server = Server::start(&db);
    let c = server.logged_in(username("deputy"));
    for shape in ["long", "wide"] {
        let vi = cli(&["--shape", shape, "--headers", "vi"]);
        assert!(vi.starts_with("Mã chỉ tiêu,Chỉ tiêu,Đơn vị,"), "{vi}");
        let web = c.get(&format!(
            "/reports/summary.csv?from=2017-01-01&to=2017-12-31&by=year&shape={shape}"
        ));
        assert_eq!(web.status, 200);
        assert_eq!(
            web.body.strip_prefix('\u{feff}'),
            Some(vi.as_str()),
            "{shape}"
        );
        let web_codes = c.get(&format!(
            "/reports/summary.csv?from=2017-01-01&to=2017-12-31&by=year&shape={shape}&headers=codes"
        ));
        assert_eq!(
            web_codes.body.strip_prefix('\u{feff}'),
            Some(cli(&["--shape", shape]).as_str())
        );
    }
    assert!(cli(&["--shape", "long", "--headers", "vi"])
        .contains("opinions.resolution_rate,Tỷ lệ ý kiến nêu trong kỳ đã giải quyết đến cuối kỳ,%,Tổng cộng,31.3\r\n"));
    let page = c.get("/reports/summary?from=2017-01-01&to=2017-12-31&by=year");
    assert!(
        page.body.contains("31,3%"),
        "the page rounds as the files do"
    );
    assert!(!page.body.contains("31,2%"));
    let review = c.get("/reports/review?from=2017-01-01&to=2017-12-31");
    assert_eq!(review.status, 200);
    assert!(
        review.body.contains("31,3%"),
        "the review text rounds as the files do"
    );
    assert!(!review.body.contains("31,2%"));
}

#[test]
fn community_decisions_import_row_by_row_and_count_by_the_laws_rule() {
    let dir = tempfile::tempdir().expect("dir");
    let db = init_db(dir.path());
    let groups = write(
        dir.path(),
        "g.csv",
        "number,name,households\n1,Tổ dân phố số 1,100\n2,Tổ dân phố số 2,80\n".as_bytes(),
    );
    qcdc_ok(&["import", "--db", p(&db), "residential_groups", p(&groups)]);
    let header =
        "date,residential_group,matter,form,households,represented,in_favour,title,notes,source\n";
    let bad = write(
        dir.path(),
        "bad.csv",
        format!(
            "{header}2024-03-15,1,contribution,meeting,100,60,51,,,\n\
             2024-03-16,1,contribution,meeting,100,101,51,,,\n\
             2024-03-17,2,convention,ballot,80,40,41,,,\n\
             2024-03-18,3,convention,meeting,80,60,50,,,\n"
        )
        .as_bytes(),
    );
    let out = qcdc(&["import", "--db", p(&db), "community_decisions", p(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    for line in [
        "row 2, column represented: Số hộ dự họp (101) không thể lớn hơn số hộ gia đình của tổ (100).",
        "row 3, column in_favour: Số hộ tán thành (41) không thể lớn hơn số phiếu thu về (40).",
        "row 4, column residential_group:",
    ] {
        assert!(err.lines().any(|l| l.starts_with(line)), "missing {line:?} in:\n{err}");
    }
    assert!(!err.contains("row 1,"), "{err}");
    let range = [
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--by",
        "total",
    ];
    let totals = |db: &std::path::Path| {
        let mut args = vec!["report", "--db", p(db)];
        args.extend(range);
        text(&qcdc_ok(&args).stdout)
    };
    assert!(totals(&db).contains(
        "community_decisions.count,Nội dung Nhân dân bàn và quyết định,nội dung,total,0\r\n"
    ));
    // the same matters, possible now: exactly half in favour does not pass
    let good = write(
        dir.path(),
        "ok.csv",
        format!(
            "{header}2024-03-15,1,contribution,meeting,100,60,51,,,\n\
             16/03/2024,1,Quy ước, hương ước,meeting,100,100,50,,,\n\
             2024-03-17,2,convention,Phát phiếu lấy ý kiến hộ gia đình,80,70,41,,,\n"
        )
        .replace("Quy ước, hương ước", "\"Quy ước, hương ước\"")
        .as_bytes(),
    );
    qcdc_ok(&["import", "--db", p(&db), "community_decisions", p(&good)]);
    let report = totals(&db);
    for line in [
        "community_decisions.count,Nội dung Nhân dân bàn và quyết định,nội dung,total,3\r\n",
        "community_decisions.passed,Nội dung Nhân dân quyết định được thông qua,nội dung,total,2\r\n",
        "community_decisions.by_meeting,Nội dung quyết định tại cuộc họp cộng đồng dân cư,nội dung,total,2\r\n",
        "community_decisions.by_ballot,Nội dung quyết định bằng phiếu lấy ý kiến hộ gia đình,nội dung,total,1\r\n",
    ] {
        assert!(report.contains(line), "missing {line:?} in:\n{report}");
    }
    // exported in the code form, it imports back unchanged into another ward
    let export = qcdc_ok(&["export", "--db", p(&db), "community_decisions"]);
    let exported = text(&export.stdout);
    assert!(exported.starts_with(header.trim_end()), "{exported}");
    let fresh = init_db(&dir.path().join("fresh"));
    qcdc_ok(&[
        "import",
        "--db",
        p(&fresh),
        "residential_groups",
        p(&groups),
    ]);
    let f = write(dir.path(), "export.csv", exported.as_bytes());
    qcdc_ok(&["import", "--db", p(&fresh), "community_decisions", p(&f)]);
    assert_eq!(totals(&fresh), report);
}
