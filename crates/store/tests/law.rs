//! The 2022 law's registers in the store: create, audit, soft delete, the `passed`
//! filter, and their report figures checked against hand-computed ones on a real
//! database (SQLite, and PostgreSQL when `QCDC_TEST_POSTGRES` names a server).

use chrono::NaiveDate;
use domain::report::{self, Grouping, Value};
use domain::{
    CommunityDecision, Consultation, Input, InspectionBoardActivity, Record, ResidentialGroup,
    SupervisionActivity, SupervisionBoard,
};
use store::testing::TestDb;
use store::{Actor, Engine, RecordFilter, Store, StoreError, WardId};

store::on_both_engines!(
    a_decision_names_a_living_group_and_is_audited_and_soft_deleted,
    law_registers_are_counted_by_the_laws_rule,
    short_postings_and_broadcasts_are_counted_against_the_wards_minimums,
);

/// A new database with one ward on `engine`; `None` when the engine is not available.
async fn store(engine: Engine) -> Option<(TestDb, Store, WardId)> {
    store::testing::store_with_ward(engine).await
}

fn parse<T: Record>(pairs: &[(&str, &str)]) -> T {
    let i: Input = pairs.iter().map(|(k, v)| (*k, *v)).collect();
    T::parse(&i).expect("valid test record")
}

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).expect("date")
}

fn decision(date: &str, group: &str, form: &str, h: &str, r: &str, f: &str) -> CommunityDecision {
    parse(&[
        ("date", date),
        ("residential_group", group),
        ("matter", "contribution"),
        ("form", form),
        ("households", h),
        ("represented", r),
        ("in_favour", f),
    ])
}

async fn groups(s: &Store, w: WardId) {
    let me = Actor::system();
    for (n, established) in [("1", ""), ("2", ""), ("3", "2024-01-01")] {
        s.create(
            w,
            &me,
            &parse::<ResidentialGroup>(&[
                ("number", n),
                ("name", &format!("Tổ {n}")),
                ("established", established),
            ]),
        )
        .await
        .expect("group");
    }
}

async fn a_decision_names_a_living_group_and_is_audited_and_soft_deleted(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    groups(&s, w).await;
    let me = Actor::new("thuky");
    let missing = s
        .create(
            w,
            &me,
            &decision("2024-03-01", "9", "meeting", "100", "60", "51"),
        )
        .await;
    assert!(
        matches!(&missing, Err(StoreError::Invalid(e)) if e.get("residential_group").is_some_and(|m| m.contains("số 9"))),
        "{missing:?}"
    );
    let early = s
        .create(
            w,
            &me,
            &decision("2023-12-31", "3", "meeting", "100", "60", "51"),
        )
        .await;
    assert!(
        matches!(&early, Err(StoreError::Invalid(e)) if e.get("residential_group").is_some()),
        "{early:?}"
    );
    let id = s
        .create(
            w,
            &me,
            &decision("2024-03-01", "1", "meeting", "100", "60", "51"),
        )
        .await
        .expect("create");
    let got = s.get::<CommunityDecision>(w, id).await.expect("get");
    assert!(got.record.passed());
    assert_eq!(got.record.residential_group, 1);
    s.delete::<CommunityDecision>(w, &me, id)
        .await
        .expect("delete");
    let live = s
        .list::<CommunityDecision>(w, &RecordFilter::default())
        .await
        .expect("list");
    assert_eq!(live.total, 0);
    let audit = s
        .audit(
            w,
            &store::audit::AuditFilter {
                entity: Some("community_decisions".into()),
                entity_id: Some(id),
                page: 1,
                per_page: 10,
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    assert_eq!(audit.items.len(), 2, "create and delete");
}

async fn law_registers_are_counted_by_the_laws_rule(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    groups(&s, w).await;
    let me = Actor::system();
    // Range 1/7/2023 – 30/6/2025 by year: 2023 (from 1 July), 2024, 2025 (to 30 June).
    let decisions = [
        // before the range: not counted
        ("2023-06-30", "1", "meeting", "100", "90", "90"),
        // 2023: exactly half in favour (not passed); a meeting of exactly half the
        // households (not valid); 51 of 100 (passed)
        ("2023-07-01", "1", "meeting", "100", "80", "50"),
        ("2023-09-10", "2", "meeting", "100", "50", "50"),
        ("2023-12-31", "2", "ballot", "100", "70", "51"),
        // 2024: 3 of 5 (passed), 2 of 5 (not), online 61 of 120 (passed)
        ("2024-01-01", "3", "meeting", "5", "5", "3"),
        ("2024-06-15", "3", "ballot", "5", "5", "2"),
        ("2024-11-20", "1", "online", "120", "90", "61"),
        // 2025: last day of the range, passed
        ("2025-06-30", "2", "meeting", "98", "60", "50"),
        // after the range
        ("2025-07-01", "2", "meeting", "98", "98", "98"),
    ];
    for (date, g, form, h, r, f) in decisions {
        s.create(w, &me, &decision(date, g, form, h, r, f))
            .await
            .expect(date);
    }
    let gone = s
        .create(
            w,
            &me,
            &decision("2024-02-02", "1", "meeting", "10", "10", "10"),
        )
        .await
        .expect("to delete");
    s.delete::<CommunityDecision>(w, &me, gone)
        .await
        .expect("deleted ones count nowhere");

    let consult = |from: &str, until: &str, responses: &str, taken: &str| -> Consultation {
        parse(&[
            ("consulted_from", from),
            ("consulted_until", until),
            ("subject", "land_use_plan"),
            ("form", "meeting"),
            ("title", "Kế hoạch sử dụng đất"),
            ("responses", responses),
            ("taken_up", taken),
        ])
    };
    for c in [
        consult("2023-10-02", "2023-10-31", "120", "30"),
        consult("2024-05-02", "2024-06-30", "45", "45"),
        consult("2025-06-30", "2025-07-15", "1", "0"),
    ] {
        s.create(w, &me, &c).await.expect("consultation");
    }
    let activity = |date: &str, kind: &str| -> InspectionBoardActivity {
        parse(&[("date", date), ("kind", kind), ("subject", "Thu chi quỹ")])
    };
    for a in [
        activity("2023-08-01", "supervision"),
        activity("2024-03-01", "inspection"),
        activity("2024-09-01", "supervision"),
    ] {
        s.create(w, &me, &a).await.expect("activity");
    }
    let board = |established: &str, project: &str| -> SupervisionBoard {
        parse(&[
            ("established", established),
            ("project", project),
            ("members", "5"),
        ])
    };
    s.create(w, &me, &board("2024-03-01", "Ngõ 245"))
        .await
        .expect("board");
    s.create(w, &me, &board("2025-01-10", "Nhà văn hóa tổ 3"))
        .await
        .expect("board");
    s.create(
        w,
        &me,
        &parse::<SupervisionActivity>(&[
            ("date", "2024-05-05"),
            ("project", "Ngõ 245"),
            ("content", "Giám sát khối lượng"),
        ]),
    )
    .await
    .expect("supervision");

    let (from, to) = (d(2023, 7, 1), d(2025, 6, 30));
    let grid = report::period_grid(Grouping::Year, from, to, &[], &[]);
    let qgrid = report::query_grid(&grid, from, to);
    // Queried over every period and the total, and with the total derived from the
    // years: the same report.
    let mut derived = s.report_facts(w, &qgrid, grid.len()).await.expect("facts");
    derived.derive_additive_totals(grid.len());
    let queried = s
        .report_facts(w, &qgrid, grid.len() + 1)
        .await
        .expect("facts");
    let r = report::assemble(Grouping::Year, from, to, grid.clone(), &queried);
    assert_eq!(
        r,
        report::assemble(Grouping::Year, from, to, grid, &derived)
    );
    let row = |c: &str| {
        let row = r.row_by_code(c).expect(c);
        let mut v: Vec<Value> = row.values.clone();
        v.push(row.total);
        v
    };
    let n = |a: i64, b: i64, c: i64, t: i64| {
        vec![
            Value::Count(a),
            Value::Count(b),
            Value::Count(c),
            Value::Count(t),
        ]
    };
    assert_eq!(row("community_decisions.count"), n(3, 3, 1, 7));
    assert_eq!(row("community_decisions.passed"), n(1, 2, 1, 4));
    assert_eq!(row("community_decisions.by_meeting"), n(2, 1, 1, 4));
    assert_eq!(row("community_decisions.by_ballot"), n(1, 1, 0, 2));
    assert_eq!(row("community_decisions.by_online"), n(0, 1, 0, 1));
    assert_eq!(row("consultations.count"), n(1, 1, 1, 3));
    assert_eq!(row("consultations.responses"), n(120, 45, 1, 166));
    assert_eq!(row("consultations.taken_up"), n(30, 45, 0, 75));
    assert_eq!(row("inspection_board.activities"), n(1, 2, 0, 3));
    assert_eq!(row("inspection_board.kind.supervision"), n(1, 1, 0, 2));
    assert_eq!(row("supervision_boards.count"), n(0, 1, 1, 2));
    assert_eq!(row("supervision_boards.activities"), n(0, 1, 0, 1));

    // The drill-down of `passed` lists exactly the passed decisions, as the domain
    // judges them.
    let passed = s
        .list::<CommunityDecision>(
            w,
            &RecordFilter {
                passed: true,
                ..RecordFilter::range(from, to)
            },
        )
        .await
        .expect("list");
    assert_eq!(passed.total, 4);
    assert!(passed.items.iter().all(|d| d.record.passed()));
    let all = s
        .list::<CommunityDecision>(w, &RecordFilter::default())
        .await
        .expect("list");
    let judged = all.items.iter().filter(|d| d.record.passed()).count();
    let listed = s
        .list::<CommunityDecision>(
            w,
            &RecordFilter {
                passed: true,
                ..RecordFilter::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(listed.total as usize, judged);
    // Other kinds cannot be filtered by outcome.
    let refused = s
        .list::<Consultation>(
            w,
            &RecordFilter {
                passed: true,
                ..RecordFilter::default()
            },
        )
        .await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))));
}

async fn short_postings_and_broadcasts_are_counted_against_the_wards_minimums(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::system();
    assert_eq!(
        s.publicity_minimums(w).await.expect("minimums"),
        domain::ward::PublicityMinimums::default()
    );
    let item = |pairs: &[(&str, &str)]| -> domain::PublicityItem { parse(pairs) };
    for p in [
        // 30 days, both ends included: enough; 29: short
        item(&[
            ("date", "2024-01-02"),
            ("channel", "posting"),
            ("topic", "budget"),
            ("posted_from", "2024-01-02"),
            ("posted_until", "2024-01-31"),
        ]),
        item(&[
            ("date", "2024-02-01"),
            ("channel", "posting"),
            ("topic", "budget"),
            ("posted_from", "2024-02-01"),
            ("posted_until", "2024-02-29"),
        ]),
        // a posting without its period is not judged
        item(&[
            ("date", "2024-03-01"),
            ("channel", "posting"),
            ("topic", "budget"),
        ]),
        // broadcasts the law asks for: 2 days short of 3, 3 enough; before the law none
        item(&[
            ("date", "2024-04-01"),
            ("channel", "radio"),
            ("topic", "site_clearance"),
            ("count", "2"),
        ]),
        item(&[
            ("date", "2024-04-10"),
            ("channel", "radio"),
            ("topic", "site_clearance"),
            ("count", "3"),
        ]),
        item(&[
            ("date", "2023-06-30"),
            ("channel", "radio"),
            ("topic", "site_clearance"),
            ("count", "1"),
        ]),
        item(&[
            ("date", "2024-04-11"),
            ("channel", "radio"),
            ("topic", "qcdc"),
            ("count", "1"),
        ]),
    ] {
        s.create(w, &me, &p).await.expect("publicity");
    }
    let figures = |s: Store| async move {
        let (from, to) = (d(2023, 1, 1), d(2024, 12, 31));
        // By year, the total added up from the years (as `app::report::build` does).
        let grid = report::period_grid(Grouping::Year, from, to, &[], &[]);
        let mut facts = s
            .report_facts(w, &report::query_grid(&grid, from, to), grid.len())
            .await
            .expect("facts");
        facts.derive_additive_totals(grid.len());
        let r = report::assemble(Grouping::Year, from, to, grid, &facts);
        (
            r.total_of(domain::report::IndicatorId::PublicityPostingsShort),
            r.total_of(domain::report::IndicatorId::PublicityBroadcastsShort),
        )
    };
    assert_eq!(figures(s.clone()).await, (1, 1));
    s.set_publicity_minimums(
        w,
        &me,
        &domain::ward::PublicityMinimums {
            posting_days: 31,
            broadcast_days: 4,
        },
    )
    .await
    .expect("set");
    assert_eq!(figures(s.clone()).await, (2, 2));
    assert_eq!(s.posting_days(w).await.expect("days"), 31);
}
