//! The counts behind completeness at a glance, on both engines, against figures worked
//! out by hand: records per group, year and activity (only groups active in a year);
//! back-filled records with and without a source; a city's wards × months, late and
//! empty wards first.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use domain::completeness::{self as c, Activity};
use domain::{Conference, Input, PublicityItem, Record, ResidentialGroup};
use store::testing::TestDb;
use store::{Actor, Engine, Store, WardId};

store::on_both_engines!(groups_and_sources_by_hand, city_months_and_late_wards);

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

async fn conference(s: &Store, w: WardId, date: &str, group: &str, source: &str) {
    let c: Conference = parse(&[
        ("date", date),
        ("kind", "review"),
        ("title", "Hội nghị"),
        ("attendees", "40"),
        ("residential_group", group),
        ("source", source),
    ]);
    s.create(w, &Actor::system(), &c).await.expect("conference");
}

async fn publicity(s: &Store, w: WardId, date: &str, group: &str) {
    let p: PublicityItem = parse(&[
        ("date", date),
        ("channel", "radio"),
        ("topic", "qcdc"),
        ("count", "3"),
        ("residential_group", group),
    ]);
    s.create(w, &Actor::system(), &p).await.expect("publicity");
}

async fn groups(s: &Store, w: WardId) {
    for (n, est, dis) in [
        ("1", "", ""),
        ("2", "2025-03-01", ""),
        ("3", "", "2025-01-01"),
    ] {
        let g: ResidentialGroup = parse(&[
            ("number", n),
            ("name", &format!("Tổ {n}")),
            ("established", est),
            ("dissolved", dis),
        ]);
        s.create(w, &Actor::system(), &g).await.expect("group");
    }
}

async fn groups_and_sources_by_hand(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    groups(&s, w).await;
    conference(&s, w, "2024-02-01", "1", "Báo cáo số 12-BC/ĐU").await;
    conference(&s, w, "2024-09-01", "1", "").await;
    conference(&s, w, "2024-10-01", "3", "").await;
    conference(&s, w, "2025-04-01", "2", "Sổ ghi chép").await;
    conference(&s, w, "2025-05-01", "", "").await; // no group
    publicity(&s, w, "2025-06-01", "1").await;
    // Entered this very year: not back-filled.
    let this_year = chrono::Utc::now().year();
    conference(&s, w, &format!("{this_year}-01-01"), "1", "").await;

    let (from, to) = (d(2024, 1, 1), d(2025, 12, 31));
    let groups = s.groups_for_completeness(w).await.expect("groups");
    let counts = s.group_activity(w, from, to).await.expect("counts");
    let id = |n: u32| groups.iter().find(|g| g.number == n).expect("g").id;
    let expected: HashMap<(i64, i32, Activity), i64> = [
        ((id(1), 2024, Activity::Conferences), 2),
        ((id(3), 2024, Activity::Conferences), 1),
        ((id(2), 2025, Activity::Conferences), 1),
        ((id(1), 2025, Activity::Publicity), 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts, expected);
    let grid = c::group_grid(&groups, &[2024, 2025], &counts);
    // Group 1: 2024 [2, 0], 2025 [0, 1]; group 2 (from 1/3/2025): 2025 [1, 0];
    // group 3 (dissolved 1/1/2025): 2024 [1, 0].
    let cells: Vec<_> = grid.rows.iter().map(|r| r.cells.clone()).collect();
    assert_eq!(
        cells,
        [
            vec![[Some(2), Some(0)], [Some(0), Some(1)]],
            vec![[None, None], [Some(1), Some(0)]],
            vec![[Some(1), Some(0)], [None, None]],
        ]
    );
    assert_eq!(grid.gaps(), 4);

    // Back-filled (all but this year's record): 2024 three conferences, one with a
    // source; 2025 two conferences, one with a source, and one publicity item without.
    let shares = s
        .source_shares(w, d(2024, 1, 1), d(2100, 12, 31))
        .await
        .expect("shares");
    let got: Vec<(domain::Kind, i32, i64, i64)> = shares
        .iter()
        .map(|x| (x.kind, x.year, x.backfilled, x.documented))
        .collect();
    assert_eq!(
        got,
        [
            (domain::Kind::Conferences, 2024, 3, 1),
            (domain::Kind::Conferences, 2025, 2, 1),
            (domain::Kind::Publicity, 2025, 1, 0),
        ]
    );
    assert_eq!(shares[0].share_tenths(), Some(333));
}

async fn city_months_and_late_wards(engine: Engine) {
    let Some((_d, s, w)) = store(engine).await else {
        return;
    };
    let me = Actor::system();
    let empty = s.add_test_ward("bo-de", "Phường Bồ Đề").await;
    groups(&s, w).await;
    conference(&s, w, "2024-02-01", "1", "").await;
    publicity(&s, w, "2025-06-01", "1").await;
    let today = domain::submission::vietnam_day(&chrono::Utc::now().to_rfc3339()).expect("today");
    let [(ly_from, ly_to), _] = c::last_finished(today);
    let id = s
        .begin_submission(w, ly_from, ly_to)
        .await
        .expect("begin")
        .finish(&me, "x")
        .await
        .expect("submit");
    let other = s
        .begin_submission(w, d(2010, 1, 1), d(2010, 12, 31))
        .await
        .expect("begin")
        .finish(&me, "x")
        .await
        .expect("submit");
    s.reopen_submission(w, &me, other, "sửa")
        .await
        .expect("reopen");

    let months = c::months_of(today.year(), today);
    let counts = s.city_months(&months).await.expect("months");
    let now = months.len() - 1;
    // This month: 3 groups + 1 conference + 1 publicity item entered, two submissions
    // made and one reopened; nothing for the second ward, nothing in other months.
    let mine = counts.get(&(w, now)).copied().expect("this month");
    assert_eq!((mine.entered, mine.submitted, mine.reopened), (5, 2, 1));
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert!(!counts.contains_key(&(empty, now)));

    let subs = s.all_submissions().await.expect("subs");
    let of = |ward: WardId| -> Vec<_> {
        subs.iter()
            .filter(|(x, _)| *x == ward)
            .map(|(_, s)| s.clone())
            .collect()
    };
    assert!(!c::is_late(&of(w), today));
    assert!(c::is_late(&of(empty), today));
    s.reopen_submission(w, &me, id, "sửa")
        .await
        .expect("reopen");
    let subs = s.all_submissions().await.expect("subs");
    let mine: Vec<_> = subs
        .iter()
        .filter(|(x, _)| *x == w)
        .map(|(_, s)| s.clone())
        .collect();
    assert!(
        c::is_late(&mine, today),
        "a reopened period is not in force"
    );
}
