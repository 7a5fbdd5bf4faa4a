//! Registers over time on a real database (SQLite, and PostgreSQL when
//! `QCDC_TEST_POSTGRES` names a server): a record naming a party cell or a
//! residential group on a day it did not exist is refused, and a register's totals
//! count the entries active on a day.

use chrono::NaiveDate;
use domain::{Conference, Input, Kind, PartyCell, Record, ResidentialGroup};
use store::imports::{ImportFailure, ImportRow};
use store::testing::TestDb;
use store::{Actor, Engine, RecordFilter, Store, StoreError, WardId};

store::on_both_engines!(
    a_record_is_refused_for_a_party_cell_not_active_on_its_date,
    register_totals_count_the_entries_active_on_the_day,
);

/// A new database with one ward on `engine`; `None` when the engine is not available.
async fn store(engine: Engine) -> Option<(TestDb, Store, WardId)> {
    store::testing::store_with_ward(engine).await
}

fn parse<T: Record>(pairs: &[(&str, &str)]) -> T {
    let input: Input = pairs.iter().map(|(k, v)| (*k, *v)).collect();
    T::parse(&input).expect("valid test record")
}

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).expect("date")
}

fn conf(date: &str, group: &str, cell: &str) -> Conference {
    parse(&[
        ("date", date),
        ("kind", "review"),
        ("title", "Hội nghị chi bộ"),
        ("attendees", "30"),
        ("residential_group", group),
        ("party_cell", cell),
    ])
}

const CELL: &str = "Chi bộ khu dân cư số 5";

/// Groups 1 (since 2010), 2 (dissolved 1/1/2017), 3 (established 2030); cells «số 5»
/// (1/1/2015–31/12/2019), «số 6» (from 2016) and «số 7» (no dates).
async fn registers(s: &Store, w: WardId) {
    let me = Actor::new("thuky");
    for g in [
        [
            ("number", "1"),
            ("name", "Tổ 1"),
            ("households", "100"),
            ("residents", "400"),
            ("established", "2010-01-01"),
            ("dissolved", ""),
        ],
        [
            ("number", "2"),
            ("name", "Tổ 2"),
            ("households", "50"),
            ("residents", "200"),
            ("established", "2010-01-01"),
            ("dissolved", "2017-01-01"),
        ],
        [
            ("number", "3"),
            ("name", "Tổ 3"),
            ("households", "7"),
            ("residents", ""),
            ("established", "2030-01-01"),
            ("dissolved", ""),
        ],
    ] {
        s.create(w, &me, &parse::<ResidentialGroup>(&g))
            .await
            .expect("group");
    }
    for c in [
        [
            ("name", CELL),
            ("members", "40"),
            ("active_from", "2015-01-01"),
            ("active_until", "2019-12-31"),
        ],
        [
            ("name", "Chi bộ khu dân cư số 6"),
            ("members", "25"),
            ("active_from", "2016-01-01"),
            ("active_until", ""),
        ],
        [
            ("name", "Chi bộ khu dân cư số 7"),
            ("members", ""),
            ("active_from", ""),
            ("active_until", ""),
        ],
    ] {
        let mut pairs = c.to_vec();
        pairs.push(("kind", "residential"));
        s.create(w, &me, &parse::<PartyCell>(&pairs))
            .await
            .expect("cell");
    }
}

fn refusal(r: Result<impl std::fmt::Debug, StoreError>, field: &str) -> String {
    match r {
        Err(StoreError::Invalid(e)) => e.get(field).expect("the field's message").to_string(),
        other => panic!("{other:?}"),
    }
}

async fn a_record_is_refused_for_a_party_cell_not_active_on_its_date(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    registers(&s, w).await;
    let me = Actor::new("thuky");
    let before = refusal(
        s.create(w, &me, &conf("2014-12-31", "", CELL)).await,
        "party_cell",
    );
    assert!(
        before.contains("bắt đầu hoạt động ngày 01/01/2015"),
        "{before}"
    );
    let after = refusal(
        s.create(w, &me, &conf("2020-01-01", "", CELL)).await,
        "party_cell",
    );
    assert!(
        after.contains("ngừng hoạt động sau ngày 31/12/2019"),
        "{after}"
    );
    let first = s.create(w, &me, &conf("2015-01-01", "", CELL)).await;
    let last = s.create(w, &me, &conf("2019-12-31", "", CELL)).await;
    let last = last.expect("the last active day counts");
    first.expect("the first active day counts");
    // An edit moving the record out of the cell's life is refused too, and changes nothing.
    let moved = s.update(w, &me, last, &conf("2020-01-01", "", CELL)).await;
    refusal(moved, "party_cell");
    let kept: store::Stored<Conference> = s.get(w, last).await.expect("kept");
    assert_eq!(kept.record.date, d(2019, 12, 31));
    // A group and a cell both out of their lives: both fields say so.
    match s.create(w, &me, &conf("2020-06-01", "2", CELL)).await {
        Err(StoreError::Invalid(e)) => {
            assert!(e.get("residential_group").is_some(), "{e:?}");
            assert!(e.get("party_cell").is_some(), "{e:?}");
        }
        other => panic!("{other:?}"),
    }
    // Cells without dates are always active.
    s.create(w, &me, &conf("1990-01-01", "", "Chi bộ khu dân cư số 7"))
        .await
        .expect("a cell without dates");
    // An import with one row out of the cell's life is refused whole, naming the row.
    let row = |date: &str| ImportRow {
        input: conf(date, "", CELL).to_input(),
        dialogue_ref: None,
    };
    match s
        .import(
            w,
            &me,
            Kind::Conferences,
            Some("f.csv"),
            None,
            &[row("2016-01-01"), row("2020-02-01")],
        )
        .await
    {
        Err(ImportFailure::Rows(rows)) => {
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].row, 2);
            assert!(rows[0].errors.get("party_cell").is_some());
        }
        other => panic!("{other:?}"),
    }
    let all = s
        .list::<Conference>(w, &RecordFilter::default())
        .await
        .expect("list");
    assert_eq!(all.total, 3, "nothing of the refused import was written");
    // The pick-list knows the cell's last day.
    let endings = s.cell_endings(w).await.expect("endings");
    assert_eq!(endings, vec![(CELL.to_string(), d(2019, 12, 31))]);
}

async fn register_totals_count_the_entries_active_on_the_day(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    registers(&s, w).await;
    let all = RecordFilter::default();
    let groups = s
        .active_totals(w, Kind::ResidentialGroups, &all, d(2018, 6, 1))
        .await
        .expect("totals")
        .expect("groups start and end");
    assert_eq!(groups.count, 1);
    assert_eq!(groups.sums, vec![("households", 100), ("residents", 400)]);
    // On the day before group 2's dissolution it still counts.
    let eve = s
        .active_totals(w, Kind::ResidentialGroups, &all, d(2016, 12, 31))
        .await
        .expect("totals")
        .expect("groups");
    assert_eq!(
        (eve.count, eve.sums.clone()),
        (2, vec![("households", 150), ("residents", 600)])
    );
    // The list still shows every group; the totals agree with the domain's rule.
    let listed = s.list::<ResidentialGroup>(w, &all).await.expect("list");
    assert_eq!(listed.total, 3);
    for day in [d(2016, 12, 31), d(2017, 1, 1), d(2030, 1, 1)] {
        let t = s
            .active_totals(w, Kind::ResidentialGroups, &all, day)
            .await
            .expect("totals")
            .expect("groups");
        let active = listed
            .items
            .iter()
            .filter(|g| g.record.active_on(day))
            .count();
        assert_eq!(t.count, active as u64, "{day}");
    }
    let cells = |day| s.active_totals(w, Kind::PartyCells, &all, day);
    let on_last = cells(d(2019, 12, 31))
        .await
        .expect("totals")
        .expect("cells");
    assert_eq!(
        (on_last.count, on_last.sums.clone()),
        (3, vec![("members", 65)])
    );
    let after = cells(d(2020, 1, 1)).await.expect("totals").expect("cells");
    assert_eq!(
        (after.count, after.sums.clone()),
        (2, vec![("members", 25)])
    );
    let early = cells(d(2015, 1, 1)).await.expect("totals").expect("cells");
    assert_eq!(
        (early.count, early.sums.clone()),
        (2, vec![("members", 40)])
    );
    // The list's own filters apply: the active cells whose name matches.
    let named = RecordFilter {
        q: Some("số 6".into()),
        ..RecordFilter::default()
    };
    let one = s
        .active_totals(w, Kind::PartyCells, &named, d(2020, 1, 1))
        .await
        .expect("totals")
        .expect("cells");
    assert_eq!(one.count, 1);
    // The active-on filter now lists party cells too, as the totals count them.
    let active = RecordFilter {
        active_on: Some(d(2020, 1, 1)),
        ..RecordFilter::default()
    };
    let listed = s.list::<PartyCell>(w, &active).await.expect("list");
    assert_eq!(listed.total, 2);
    // Kinds whose entries do not start and end have no such totals.
    assert!(s
        .active_totals(w, Kind::Conferences, &all, d(2020, 1, 1))
        .await
        .expect("totals")
        .is_none());
}
