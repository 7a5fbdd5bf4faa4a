//! Store tests on a real database: a SQLite file in a temporary folder, and the same
//! tests on a fresh PostgreSQL database when `QCDC_TEST_POSTGRES` names a server.

use chrono::NaiveDate;
use domain::report::{self, Grouping, Value};
use domain::ward::Ward;
use domain::{
    Conference, Dialogue, Input, Kind, Opinion, PartyCell, PublicityItem, Record, ResidentialGroup,
};
use store::audit::AuditFilter;
use store::imports::{ImportFailure, ImportRow};
use store::testing::TestDb;
use store::{Actor, Engine, RecordFilter, SetupError, Store, StoreError, WardId};

store::on_both_engines!(
    init_refuses_a_second_ward,
    crud_with_audit_and_soft_delete,
    lists_filter_paginate_and_sum,
    search_ignores_diacritics_and_case,
    uniqueness_and_references_are_field_errors,
    opinions_follow_their_dialogue,
    import_is_all_or_nothing,
    report_facts_by_hand,
    reports_side_by_side_hold_one_connection_each,
    sessions_expire,
    wards_have_codes_and_accounts_belong_to_a_ward_or_the_city,
);

/// A new database with one ward on `engine`; `None` when the engine is not available.
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

fn conf(date: &str, kind: &str, attendees: &str) -> Conference {
    parse(&[
        ("date", date),
        ("kind", kind),
        ("title", "Hội nghị"),
        ("attendees", attendees),
    ])
}

async fn init_refuses_a_second_ward(engine: Engine) {
    let Some((_d, s, _)) = store(engine).await else {
        return;
    };
    let again = s
        .init_ward(
            &Actor::system(),
            &Ward {
                name: "X".into(),
                district: None,
                province: None,
            },
        )
        .await;
    assert!(matches!(
        again,
        Err(StoreError::Setup(SetupError::WardExists))
    ));
}

async fn crud_with_audit_and_soft_delete(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::new("thuky");
    // a reference to a group that does not exist is a field error, and nothing is written
    let mut c = conf("2018-03-01", "review", "120");
    c.residential_group = Some(5);
    match s.create(w, &me, &c).await {
        Err(StoreError::Invalid(e)) => {
            assert!(e.get("residential_group").is_some_and(|m| m.contains('5')))
        }
        other => panic!("expected a field error, got {other:?}"),
    }
    assert_eq!(
        s.list::<Conference>(w, &RecordFilter::default())
            .await
            .expect("list")
            .total,
        0
    );

    s.create(
        w,
        &me,
        &parse::<ResidentialGroup>(&[("number", "5"), ("name", "Tổ dân phố số 5")]),
    )
    .await
    .expect("group");
    let id = s.create(w, &me, &c).await.expect("create");
    let got = s.get::<Conference>(w, id).await.expect("get");
    assert_eq!(got.record, c);
    assert_eq!(got.meta.created_by, "thuky");

    let mut changed = c.clone();
    changed.attendees = 150;
    s.update(w, &Actor::new("phobithu"), id, &changed)
        .await
        .expect("update");
    let got = s.get::<Conference>(w, id).await.expect("get");
    assert_eq!(got.record.attendees, 150);
    assert_eq!(got.meta.updated_by, "phobithu");

    s.delete::<Conference>(w, &me, id).await.expect("delete");
    assert!(matches!(
        s.delete::<Conference>(w, &me, id).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.update(w, &me, id, &changed).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.list::<Conference>(w, &RecordFilter::default())
            .await
            .expect("list")
            .total,
        0
    );
    let deleted = s
        .list::<Conference>(
            w,
            &RecordFilter {
                deleted: true,
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(deleted.total, 1);
    s.restore::<Conference>(w, &me, id).await.expect("restore");
    assert_eq!(
        s.list::<Conference>(w, &RecordFilter::default())
            .await
            .expect("list")
            .total,
        1
    );

    let log = s
        .audit(
            w,
            &AuditFilter {
                entity: Some("conferences".into()),
                entity_id: Some(id),
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["restore", "delete", "update", "create"]);
    let update = &log.items[2];
    assert_eq!(update.actor, "phobithu");
    assert_eq!(
        update
            .before
            .as_ref()
            .map(|b| b.get("attendees").to_string()),
        Some("120".into())
    );
    assert_eq!(
        update
            .after
            .as_ref()
            .map(|a| a.get("attendees").to_string()),
        Some("150".into())
    );
}

async fn lists_filter_paginate_and_sum(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::system();
    for (date, kind, n) in [
        ("2017-12-31", "review", "10"),
        ("2018-01-01", "review", "20"),
        ("2018-06-30", "training", "30"),
        ("2018-12-31", "review", "40"),
    ] {
        s.create(w, &me, &conf(date, kind, n))
            .await
            .expect("create");
    }
    let f = |year, kind: Option<&str>| RecordFilter {
        year,
        eq: kind
            .map(|k| vec![("kind".to_string(), k.to_string())])
            .unwrap_or_default(),
        per_page: 2,
        page: 1,
        ..Default::default()
    };
    let p = s
        .list::<Conference>(w, &f(Some(2018), None))
        .await
        .expect("list");
    assert_eq!(
        (p.total, p.sum, p.items.len(), p.pages()),
        (3, Some(90), 2, 2)
    );
    assert_eq!(p.items[0].record.date, d(2018, 12, 31), "newest first");
    // The last page, a page past it (counted apart) and a filter matching nothing.
    for (page, rows) in [(2, 1), (3, 0)] {
        let p = s
            .list::<Conference>(
                w,
                &RecordFilter {
                    page,
                    ..f(Some(2018), None)
                },
            )
            .await
            .expect("list");
        assert_eq!(
            (p.total, p.sum, p.items.len()),
            (3, Some(90), rows),
            "page {page}"
        );
    }
    let p = s
        .list::<Conference>(w, &f(Some(2016), None))
        .await
        .expect("list");
    assert_eq!((p.total, p.sum, p.items.len()), (0, Some(0), 0));
    let p = s
        .list::<Conference>(w, &f(Some(2018), Some("review")))
        .await
        .expect("list");
    assert_eq!((p.total, p.sum), (2, Some(60)));
    let p = s
        .list::<Conference>(
            w,
            &RecordFilter {
                from: Some(d(2018, 1, 1)),
                to: Some(d(2018, 6, 30)),
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(p.total, 2);
    // a filter on a column the kind does not have is refused, not interpolated
    let bad = RecordFilter {
        eq: vec![("kind; DROP TABLE conferences".into(), "x".into())],
        ..Default::default()
    };
    assert!(matches!(
        s.list::<Conference>(w, &bad).await,
        Err(StoreError::Invalid(_))
    ));
    // free text with LIKE metacharacters is matched literally
    let p = s
        .list::<Conference>(
            w,
            &RecordFilter {
                q: Some("100%_".into()),
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(p.total, 0);
    assert_eq!(
        s.years(w, Kind::Conferences).await.expect("years"),
        vec![2018, 2017]
    );
    // years without a record between the first and the last are not offered; a deleted
    // record's year is not either
    let early: Conference = parse(&[
        ("date", "2014-06-01"),
        ("kind", "review"),
        ("title", "Sơ kết"),
        ("attendees", "10"),
    ]);
    let e = s.create(w, &Actor::system(), &early).await.expect("2014");
    assert_eq!(
        s.years(w, Kind::Conferences).await.expect("years"),
        vec![2018, 2017, 2014]
    );
    s.delete::<Conference>(w, &Actor::system(), e)
        .await
        .expect("delete");
    assert_eq!(
        s.years(w, Kind::Conferences).await.expect("years"),
        vec![2018, 2017]
    );
}

async fn search_ignores_diacritics_and_case(engine: Engine) {
    let Some((dir, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::system();
    let titled = |title: &str| -> Conference {
        parse(&[
            ("date", "2018-03-01"),
            ("kind", "review"),
            ("title", title),
            ("attendees", "10"),
        ])
    };
    let hoa_giai = s
        .create(w, &me, &titled("Triển khai Pháp lệnh Hòa giải ở cơ sở"))
        .await
        .expect("create");
    s.create(w, &me, &titled("Đối thoại với Đoàn thanh niên"))
        .await
        .expect("create");
    s.create(w, &me, &titled("Hóa đơn điện"))
        .await
        .expect("create");
    let found = |s: Store, q: &'static str| async move {
        let p = s
            .list::<Conference>(
                w,
                &RecordFilter {
                    q: Some(q.into()),
                    ..Default::default()
                },
            )
            .await
            .expect("list");
        let mut titles: Vec<String> = p.items.into_iter().map(|i| i.record.title).collect();
        titles.sort();
        titles
    };
    let hg = vec!["Triển khai Pháp lệnh Hòa giải ở cơ sở".to_string()];
    assert_eq!(found(s.clone(), "hoa giai").await, hg);
    assert_eq!(found(s.clone(), "hòa giải").await, hg);
    assert_eq!(found(s.clone(), "HOA GIAI").await, hg);
    assert_eq!(found(s.clone(), "phap lenh").await, hg);
    assert_eq!(found(s.clone(), "Pháp lệnh").await, hg);
    // đ and Đ are d
    assert_eq!(
        found(s.clone(), "doan thanh").await,
        vec!["Đối thoại với Đoàn thanh niên".to_string()]
    );
    assert_eq!(
        found(s.clone(), "Đ").await,
        vec![
            "Hóa đơn điện".to_string(),
            "Đối thoại với Đoàn thanh niên".to_string()
        ]
    );
    assert_eq!(
        found(s.clone(), "hoa don").await,
        vec!["Hóa đơn điện".to_string()]
    );
    // an update rewrites the search text
    s.update(w, &me, hoa_giai, &titled("Học tập nghị quyết"))
        .await
        .expect("update");
    assert!(found(s.clone(), "hoa giai").await.is_empty());
    assert_eq!(found(s.clone(), "hoc tap").await.len(), 1);

    // rows without search text (an older database) are filled when the store opens
    s.execute_for_tests("UPDATE conferences SET search_text = NULL")
        .await;
    s.close().await;
    let s = Store::open(&dir.location).await.expect("reopen");
    assert_eq!(found(s.clone(), "hoc tap").await.len(), 1);
    assert_eq!(found(s.clone(), "doi thoai").await.len(), 1);
    drop(dir);
}

async fn uniqueness_and_references_are_field_errors(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::system();
    let g: ResidentialGroup = parse(&[("number", "2"), ("name", "Tổ 2")]);
    s.create(w, &me, &g).await.expect("group");
    match s.create(w, &me, &g).await {
        Err(StoreError::Invalid(e)) => assert!(e.get("number").is_some()),
        other => panic!("{other:?}"),
    }
    let cell: PartyCell = parse(&[
        ("name", "Chi bộ 1"),
        ("kind", "residential"),
        ("residential_groups", "2;10"),
    ]);
    match s.create(w, &me, &cell).await {
        Err(StoreError::Invalid(e)) => assert!(e
            .get("residential_groups")
            .is_some_and(|m| m.contains("10"))),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        s.list::<PartyCell>(w, &RecordFilter::default())
            .await
            .expect("list")
            .total,
        0,
        "nothing half-written"
    );
    let ok: PartyCell = parse(&[
        ("name", "Chi bộ 1"),
        ("kind", "residential"),
        ("residential_groups", "2"),
    ]);
    let id = s.create(w, &me, &ok).await.expect("cell");
    assert_eq!(
        s.get::<PartyCell>(w, id)
            .await
            .expect("get")
            .record
            .residential_groups,
        vec![2]
    );
    // groups list in natural order
    s.create(
        w,
        &me,
        &parse::<ResidentialGroup>(&[("number", "10"), ("name", "Tổ 10")]),
    )
    .await
    .expect("g10");
    s.create(
        w,
        &me,
        &parse::<ResidentialGroup>(&[("number", "1"), ("name", "Tổ 1")]),
    )
    .await
    .expect("g1");
    let names: Vec<String> = s
        .list::<ResidentialGroup>(w, &RecordFilter::default())
        .await
        .expect("list")
        .items
        .into_iter()
        .map(|g| g.record.name)
        .collect();
    assert_eq!(names, ["Tổ 1", "Tổ 2", "Tổ 10"]);
}

async fn opinions_follow_their_dialogue(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::system();
    let dl: Dialogue = parse(&[
        ("date", "2018-05-10"),
        ("host", "both"),
        ("counterpart", "residents"),
        ("participants", "80"),
    ]);
    let did = s.create(w, &me, &dl).await.expect("dialogue");
    let early: Opinion = parse(&[
        ("content", "X"),
        ("response", "answered"),
        ("status", "resolved"),
        ("resolved_on", "2018-05-09"),
    ]);
    assert!(matches!(
        s.create_opinion(w, &me, did, &early).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.create_opinion(w, &me, 9999, &early).await,
        Err(StoreError::NotFound)
    ));
    let ok: Opinion = parse(&[
        ("content", "Đề nghị sửa đường"),
        ("response", "referred"),
        ("status", "open"),
    ]);
    let oid = s.create_opinion(w, &me, did, &ok).await.expect("opinion");
    let got = s.get::<Opinion>(w, oid).await.expect("get");
    assert_eq!(got.parent_id, Some(did));
    let list = s
        .list::<Opinion>(
            w,
            &RecordFilter {
                parent: Some(did),
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(list.total, 1);
    // an opinion's date is its dialogue's
    let list = s
        .list::<Opinion>(
            w,
            &RecordFilter {
                year: Some(2018),
                eq: vec![("status".into(), "open".into())],
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(list.total, 1);
    // deleting the dialogue takes its opinions out of lists
    s.delete::<Dialogue>(w, &me, did).await.expect("delete");
    assert_eq!(
        s.list::<Opinion>(w, &RecordFilter::default())
            .await
            .expect("list")
            .total,
        0
    );
}

async fn import_is_all_or_nothing(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::new("cli");
    let row = |group: &str| ImportRow {
        input: conf("2018-01-01", "review", "5")
            .to_input()
            .with("residential_group", group),
        dialogue_ref: None,
    };
    s.create(
        w,
        &me,
        &parse::<ResidentialGroup>(&[("number", "1"), ("name", "Tổ 1")]),
    )
    .await
    .expect("group");
    match s
        .import(
            w,
            &me,
            Kind::Conferences,
            Some("f.csv"),
            None,
            &[row("1"), row("7"), row("1")],
        )
        .await
    {
        Err(ImportFailure::Rows(rows)) => {
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].row, 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        s.list::<Conference>(w, &RecordFilter::default())
            .await
            .expect("list")
            .total,
        0
    );
    s.import(
        w,
        &me,
        Kind::Conferences,
        Some("f.csv"),
        None,
        &[row("1"), row("")],
    )
    .await
    .expect("import");
    assert_eq!(
        s.list::<Conference>(w, &RecordFilter::default())
            .await
            .expect("list")
            .total,
        2
    );
    let log = s
        .audit(
            w,
            &AuditFilter {
                entity: Some("conferences".into()),
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    assert_eq!(log.total, 1, "one audit entry per import");
    assert_eq!(log.items[0].action, "import");
}

/// Hand-computed report on a small dataset: boundaries, partial years, deletions,
/// opinions resolved after the period, publicity counts.
async fn report_facts_by_hand(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::system();
    // range 2017-07-01 .. 2018-06-30, by year: 2017 (clipped from 1 July), 2018 (to 30 June)
    s.create(w, &me, &conf("2017-06-30", "review", "1000"))
        .await
        .expect("outside, day before the range");
    s.create(w, &me, &conf("2017-07-01", "review", "10"))
        .await
        .expect("first day of range");
    s.create(w, &me, &conf("2017-12-31", "training", "20"))
        .await
        .expect("last day of a year");
    s.create(w, &me, &conf("2018-01-01", "review", "30"))
        .await
        .expect("first day of a year");
    s.create(w, &me, &conf("2018-06-30", "review", "40"))
        .await
        .expect("last day of range");
    s.create(w, &me, &conf("2018-07-01", "review", "2000"))
        .await
        .expect("outside, day after");
    let gone = s
        .create(w, &me, &conf("2018-03-03", "review", "500"))
        .await
        .expect("to delete");
    s.delete::<Conference>(w, &me, gone).await.expect("delete");

    let pubi = |date: &str, channel: &str, topic: &str, count: &str| -> PublicityItem {
        parse(&[
            ("date", date),
            ("channel", channel),
            ("topic", topic),
            ("count", count),
        ])
    };
    s.create(w, &me, &pubi("2017-08-01", "radio", "qcdc", "3"))
        .await
        .expect("p");
    s.create(w, &me, &pubi("2018-02-01", "radio", "qcdc", ""))
        .await
        .expect("p, count defaults to 1");
    s.create(
        w,
        &me,
        &pubi("2018-02-01", "posting", "land_certificate", "5"),
    )
    .await
    .expect("p");
    s.create(
        w,
        &me,
        &pubi("2018-02-02", "meeting", "site_clearance", "2"),
    )
    .await
    .expect("p");
    s.create(w, &me, &pubi("2018-02-02", "radio", "ordinance34", "4"))
        .await
        .expect("p");

    let dl = |date: &str| -> Dialogue {
        parse(&[
            ("date", date),
            ("host", "both"),
            ("counterpart", "residents"),
            ("participants", "50"),
        ])
    };
    let d1 = s.create(w, &me, &dl("2017-11-01")).await.expect("d1");
    let d2 = s.create(w, &me, &dl("2018-06-30")).await.expect("d2");
    let op = |status: &str, on: &str| -> Opinion {
        parse(&[
            ("content", "Ý kiến"),
            ("response", "answered"),
            ("status", status),
            ("resolved_on", on),
        ])
    };
    s.create_opinion(w, &me, d1, &op("resolved", "2017-12-31"))
        .await
        .expect("resolved in 2017");
    s.create_opinion(w, &me, d1, &op("resolved", "2018-01-05"))
        .await
        .expect("raised 2017, resolved after the year");
    s.create_opinion(w, &me, d1, &op("open", ""))
        .await
        .expect("open");
    s.create_opinion(w, &me, d2, &op("resolved", "2018-07-02"))
        .await
        .expect("resolved after the range");

    s.create(
        w,
        &me,
        &parse::<ResidentialGroup>(&[("number", "1"), ("name", "Tổ 1")]),
    )
    .await
    .expect("g");
    s.create(
        w,
        &me,
        &parse::<ResidentialGroup>(&[
            ("number", "2"),
            ("name", "Tổ 2"),
            ("established", "2018-01-01"),
        ]),
    )
    .await
    .expect("g");
    s.create(
        w,
        &me,
        &parse::<ResidentialGroup>(&[
            ("number", "3"),
            ("name", "Tổ 3"),
            ("dissolved", "2018-06-30"),
        ]),
    )
    .await
    .expect("g");

    let (from, to) = (d(2017, 7, 1), d(2018, 6, 30));
    let grid = report::period_grid(Grouping::Year, from, to, &[], &[]);
    let facts = s
        .report_facts(w, &report::query_grid(&grid, from, to), grid.len() + 1)
        .await
        .expect("facts");
    let r = report::assemble(Grouping::Year, from, to, grid, &facts);
    let row = |c: &str| {
        let row = r.row_by_code(c).expect("row");
        let mut v: Vec<Value> = row.values.clone();
        v.push(row.total);
        v
    };
    let n = |a: i64, b: i64, t: i64| vec![Value::Count(a), Value::Count(b), Value::Count(t)];
    assert_eq!(row("conferences.count"), n(2, 2, 4));
    assert_eq!(row("conferences.attendees"), n(30, 70, 100));
    assert_eq!(row("conferences.kind.training"), n(1, 0, 1));
    assert_eq!(row("publicity.radio_qcdc"), n(3, 1, 4));
    assert_eq!(row("publicity.land_site_clearance"), n(0, 7, 7));
    assert_eq!(row("publicity.ordinance34"), n(0, 4, 4));
    assert_eq!(row("publicity.total"), n(3, 12, 15));
    assert_eq!(row("dialogues.count"), n(1, 1, 2));
    assert_eq!(row("opinions.count"), n(3, 1, 4));
    // raised in 2017: one resolved by 31/12/2017; over the whole range both resolved
    // ones count; the one resolved on 2/7/2018 is after the range
    assert_eq!(row("opinions.resolved"), n(1, 0, 2));
    assert_eq!(row("opinions.open_at_end"), n(2, 1, 2));
    // group 2 from 2018; group 3 dissolved on the range's last day
    assert_eq!(row("residential_groups.count"), n(2, 2, 2));

    // the sum over the years equals the total for additive indicators
    for row in &r.rows {
        if row.indicator.additive() {
            let sum: i64 = row.values.iter().map(|v| v.count()).sum();
            assert_eq!(sum, row.total.count(), "{}", row.indicator.code);
        }
    }
}

#[tokio::test]
async fn backup_while_writing_is_consistent() {
    let Some((db, s, w)) = store(Engine::Sqlite).await else {
        return;
    };
    let dir = db.dir().expect("a folder");
    let writer = {
        let s = s.clone();
        tokio::spawn(async move {
            for i in 0..300 {
                s.create(
                    w,
                    &Actor::system(),
                    &conf("2018-01-01", "review", &i.to_string()),
                )
                .await
                .expect("write");
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let out = dir.join("backup").join("copy.db");
    s.backup(&out).await.expect("backup");
    writer.await.expect("writer");
    assert!(
        matches!(
            s.backup(&out).await,
            Err(StoreError::Setup(SetupError::FileExists(_)))
        ),
        "never overwrites"
    );
    let copy = Store::open_existing(&out).await.expect("open copy");
    assert_eq!(copy.integrity_check().await.expect("check"), "ok");
    let n = copy
        .list::<Conference>(w, &RecordFilter::default())
        .await
        .expect("list")
        .total;
    assert!(n <= 300);
    // every record in the copy has its audit entry: one snapshot of both tables
    let audited = copy
        .audit(
            w,
            &AuditFilter {
                entity: Some("conferences".into()),
                ..Default::default()
            },
        )
        .await
        .expect("audit")
        .total;
    assert_eq!(n, audited);
}

async fn sessions_expire(engine: Engine) {
    let Some((_d, s, _)) = store(engine).await else {
        return;
    };
    assert!(s.session_create("abc", b"data", 100).await.expect("create"));
    assert!(!s.session_create("abc", b"other", 100).await.expect("taken"));
    assert_eq!(
        s.session_load("abc", 50).await.expect("load"),
        Some(b"data".to_vec())
    );
    assert_eq!(s.session_load("abc", 100).await.expect("load"), None);
    assert_eq!(s.sessions_purge(101).await.expect("purge"), 1);
}

#[tokio::test]
async fn open_existing_refuses_a_missing_file() {
    let dir = tempfile::tempdir().expect("dir");
    assert!(matches!(
        Store::open_existing(&dir.path().join("none.db")).await,
        Err(StoreError::Setup(SetupError::NoDatabase(_)))
    ));
}

#[tokio::test]
async fn sqlite_connections_are_durable_check_references_and_wait_for_locks() {
    let Some((_d, s, _)) = store(Engine::Sqlite).await else {
        return;
    };
    assert_eq!(
        s.scalar_for_tests("PRAGMA synchronous").await,
        (2, 2),
        "FULL"
    );
    assert_eq!(s.scalar_for_tests("PRAGMA foreign_keys").await, (1, 1));
    assert_eq!(
        s.scalar_for_tests("PRAGMA busy_timeout").await,
        (10_000, 10_000)
    );
}

async fn wards_have_codes_and_accounts_belong_to_a_ward_or_the_city(engine: Engine) {
    use domain::ward::WardCode;
    let Some((db, s, first)) = store(engine).await else {
        return;
    };
    let me = Actor::system();
    let code = |c: &str| WardCode::parse(c).expect("code");
    let ward = |name: &str| Ward {
        name: name.into(),
        district: None,
        province: Some("Hà Nội".into()),
    };
    // the first ward's code is made from its name ("Phường Mẫu")
    assert_eq!(
        s.ward_by_code(&code("mau")).await.expect("by code"),
        Some(first)
    );
    let second = s
        .add_ward(&me, &code("00145"), &ward("Phường Bồ Đề"))
        .await
        .expect("add");
    assert!(matches!(
        s.add_ward(&me, &code("00145"), &ward("Phường khác")).await,
        Err(StoreError::Conflict(m)) if m.contains("00145")
    ));
    let listed: Vec<_> = s
        .wards()
        .await
        .expect("wards")
        .into_iter()
        .map(|w| (w.code.to_string(), w.id))
        .collect();
    assert_eq!(
        listed,
        vec![("00145".to_string(), second), ("mau".to_string(), first)]
    );
    // a ward made before codes existed gets one from its name when the store opens
    s.execute_for_tests("UPDATE wards SET code = NULL").await;
    s.close().await;
    let s = Store::open(&db.location).await.expect("reopen");
    let codes: Vec<_> = s
        .wards()
        .await
        .expect("wards")
        .into_iter()
        .map(|w| w.code.to_string())
        .collect();
    assert_eq!(codes, vec!["bo-de", "mau"]);
    // accounts: a ward role belongs to its ward, a city role to none
    let hash = "x";
    s.create_user_in(
        &me,
        Some(second),
        "thuky2",
        None,
        domain::Role::Secretary,
        hash,
    )
    .await
    .expect("ward account");
    s.create_user_in(&me, None, "thanhpho", None, domain::Role::CityViewer, hash)
        .await
        .expect("city account");
    assert!(s
        .create_user_in(&me, Some(first), "sai", None, domain::Role::CityAdmin, hash)
        .await
        .is_err());
    assert!(s
        .create_user_in(&me, None, "sai2", None, domain::Role::Viewer, hash)
        .await
        .is_err());
}

/// Many reports at once, three times as many as the read pool has connections (a city
/// roll-up runs its wards side by side; pages run reports under load): each holds one
/// connection at a time, so all finish, with the figures of a report run alone. A report
/// that took a second connection while holding one would wait for the pool's timeout
/// and fail here.
async fn reports_side_by_side_hold_one_connection_each(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::system();
    s.create(w, &me, &conf("2018-03-01", "review", "40"))
        .await
        .expect("conference");
    let (from, to) = (d(2014, 1, 1), d(2018, 12, 31));
    let grid = report::period_grid(Grouping::Year, from, to, &[], &[]);
    let qgrid = report::query_grid(&grid, from, to);
    let alone = s.report_facts(w, &qgrid, grid.len()).await.expect("alone");
    assert_eq!(alone.conferences.iter().map(|c| c.count).sum::<i64>(), 1);
    let many =
        futures_util::future::join_all((0..24).map(|_| s.report_facts(w, &qgrid, grid.len())))
            .await;
    for facts in many {
        assert_eq!(facts.expect("a report side by side"), alone);
    }
}
