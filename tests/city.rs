//! A city's wards through the real `qcdc` binary: both engines give byte-identical
//! reports for the same data; wards are added and listed; commands name their ward
//! when the database holds several; the city roll-up sums the wards.

use support::{demo_db, p, qcdc, qcdc_ok, qcdc_stdin, text, write, Server, PASSWORD};

/// Stdout of a command that must succeed.
fn ok(args: &[&str]) -> String {
    text(&qcdc_ok(args).stdout)
}

/// A fresh PostgreSQL database on the test server (`QCDC_TEST_POSTGRES`), dropped with
/// the guard; `None`, saying so, without the variable.
struct PgDb {
    url: String,
    _db: store::testing::TestDb,
}

impl PgDb {
    fn new() -> Option<PgDb> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let db = rt.block_on(store::testing::TestDb::new(store::Engine::Postgres))?;
        let url = match &db.location {
            store::Location::Postgres(url) => url.clone(),
            store::Location::Sqlite(_) => unreachable!("a PostgreSQL test database"),
        };
        Some(PgDb { url, _db: db })
    }
}

#[test]
fn both_engines_give_byte_identical_reports_for_the_demo() {
    let Some(pg) = PgDb::new() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let file = demo_db(dir.path());
    ok(&["demo", "--db", &pg.url]);
    for args in [
        &["--from", "2014-01-01", "--to", "2018-06-27"][..],
        &["--by", "total", "--shape", "wide"][..],
        &["--by", "term", "--headers", "vi"][..],
    ] {
        let mut a = vec!["report", "--db", p(&file)];
        a.extend(args);
        let sqlite = ok(&a);
        let mut b = vec!["report", "--db", &pg.url];
        b.extend(args);
        let postgres = ok(&b);
        assert!(sqlite.contains("conferences.count") || sqlite.contains("Hội nghị"));
        assert_eq!(sqlite, postgres, "{args:?}");
    }
    let list = ok(&["ward", "list", "--db", &pg.url]);
    assert!(list.starts_with("code,name"), "{list}");
    assert!(list.contains("ngoc-thuy,Phường Ngọc Thụy"), "{list}");
}

#[test]
fn wards_are_named_when_there_are_several_and_the_city_adds_them_up() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_db(dir.path());
    let db = p(&db);
    let out = ok(&[
        "ward",
        "add",
        "--db",
        db,
        "--code",
        "bo-de",
        "--name",
        "Phường Bồ Đề",
    ]);
    assert!(out.contains("bo-de"), "{out}");
    let again = qcdc(&[
        "ward", "add", "--db", db, "--code", "bo-de", "--name", "Khác",
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("đã có"),
        "{}",
        text(&again.stderr)
    );
    let bad = qcdc(&[
        "ward",
        "add",
        "--db",
        db,
        "--code",
        "bồ đề",
        "--name",
        "Khác",
    ]);
    assert!(
        text(&bad.stderr).contains("--code"),
        "{}",
        text(&bad.stderr)
    );
    assert_eq!(
        ok(&["ward", "list", "--db", db]),
        "code,name,from,until,successor,share\nbo-de,Phường Bồ Đề,,,,\nngoc-thuy,Phường Ngọc Thụy,,,,\n"
    );

    // with two wards, a command must say which
    let csv = write(
        dir.path(),
        "c.csv",
        "date,kind,title,attendees\n2015-03-01,dissemination,Hội nghị A,100\n2016-05-02,review,Hội nghị B,50\n".as_bytes(),
    );
    let unnamed = qcdc(&["import", "--db", db, "conferences", p(&csv)]);
    assert_eq!(unnamed.status.code(), Some(1));
    let err = text(&unnamed.stderr);
    assert!(
        err.contains("--ward") && err.contains("bo-de, ngoc-thuy"),
        "{err}"
    );
    ok(&[
        "import",
        "--db",
        db,
        "--ward",
        "bo-de",
        "conferences",
        p(&csv),
    ]);
    let unknown = qcdc(&["report", "--db", db, "--ward", "nope"]);
    assert!(
        text(&unknown.stderr).contains("«nope»"),
        "{}",
        text(&unknown.stderr)
    );

    // each ward's own report is unchanged by the other
    let range = [
        "--from",
        "2014-01-01",
        "--to",
        "2018-06-27",
        "--by",
        "total",
    ];
    let ward = |code: &str| {
        let mut a = vec!["report", "--db", db, "--ward", code];
        a.extend(range);
        ok(&a)
    };
    let ngoc_thuy = ward("ngoc-thuy");
    assert!(ngoc_thuy.contains("conferences.count,Hội nghị đã tổ chức,hội nghị,total,142"));
    let bo_de = ward("bo-de");
    assert!(bo_de.contains("conferences.attendees,Lượt người dự hội nghị,lượt người,total,150"));

    // the city: each ward's rows as its own report gives them, then the total
    let mut a = vec!["report", "--db", db, "--wards", "all"];
    a.extend(range);
    let city = ok(&a);
    let mut lines = city.lines();
    assert_eq!(lines.next(), Some("ward,indicator,name,unit,period,value"));
    let rows: Vec<&str> = lines.collect();
    for (code, own) in [("bo-de", &bo_de), ("ngoc-thuy", &ngoc_thuy)] {
        let mine: Vec<String> = rows
            .iter()
            .filter_map(|r| r.strip_prefix(&format!("{code},")))
            .map(str::to_string)
            .collect();
        let theirs: Vec<String> = own.lines().skip(1).map(str::to_string).collect();
        assert_eq!(mine, theirs, "{code}");
    }
    for want in [
        "total,conferences.count,Hội nghị đã tổ chức,hội nghị,total,144",
        "total,conferences.attendees,Lượt người dự hội nghị,lượt người,total,15285",
        "total,residential_groups.count,Tổ dân phố,tổ,total,38",
    ] {
        assert!(rows.contains(&want), "{want}");
    }
    let some = qcdc(&["report", "--db", db, "--wards", "bo-de,nope"]);
    assert!(text(&some.stderr).contains("«nope»"));
    let by_term = qcdc(&["report", "--db", db, "--wards", "all", "--by", "term"]);
    assert_eq!(by_term.status.code(), Some(1));

    // the web's roll-up CSV with code headers is the CLI's, byte for byte, after the BOM
    let out = qcdc_stdin(
        &[
            "user",
            "add",
            "--db",
            db,
            "--username",
            "thanhpho",
            "--role",
            "city_viewer",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut by_year = vec!["report", "--db", db, "--wards", "all", "--by", "year"];
    by_year.extend(&range[..4]);
    let cli = ok(&by_year);
    let server = Server::start(std::path::Path::new(db));
    let c = server.logged_in("thanhpho");
    for (uri, want) in [
        (
            "/reports/city.csv?from=2014-01-01&to=2018-06-27&by=total&headers=codes",
            &city,
        ),
        (
            "/reports/city.csv?from=2014-01-01&to=2018-06-27&by=year&headers=codes",
            &cli,
        ),
    ] {
        let r = c.get(uri);
        assert_eq!(r.status, 200, "{uri}: {}", r.body);
        assert_eq!(
            r.body.strip_prefix('\u{feff}'),
            Some(want.as_str()),
            "{uri}"
        );
    }
    assert!(server.terminate());
}

#[test]
fn the_city_demo_holds_ngoc_thuy_unchanged_and_generated_wards() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("city.db");
    let out = ok(&["demo", "--city", "--db", p(&db)]);
    assert!(
        out.contains("thanhpho") && out.contains("city_viewer"),
        "{out}"
    );
    assert!(out.contains("thuky-hoa-sua"), "{out}");
    let list = ok(&["ward", "list", "--db", p(&db)]);
    assert_eq!(list.lines().count(), 9, "{list}");
    let ngoc_thuy = ok(&[
        "report",
        "--db",
        p(&db),
        "--ward",
        "ngoc-thuy",
        "--from",
        "2014-01-01",
        "--to",
        "2018-06-27",
        "--by",
        "total",
    ]);
    assert!(ngoc_thuy.contains("conferences.count,Hội nghị đã tổ chức,hội nghị,total,142"));
    assert!(
        ngoc_thuy.contains("conferences.attendees,Lượt người dự hội nghị,lượt người,total,15135")
    );
    let city = ok(&["report", "--db", p(&db), "--wards", "all", "--by", "total"]);
    assert!(city
        .lines()
        .any(|l| l.starts_with("total,conferences.count,")));
}
