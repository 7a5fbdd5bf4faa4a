//! Parsing, validation and round trips of every record kind.

use super::*;
use crate::error::msg;

fn input(pairs: &[(&str, &str)]) -> Input {
    pairs.iter().map(|(k, v)| (*k, *v)).collect()
}

fn conference() -> Input {
    input(&[
        ("date", "28/06/2018"),
        ("kind", "review"),
        ("title", "Hội nghị tổng kết"),
        ("attendees", "150"),
        ("topics", "qcdc;ordinance34"),
    ])
}

#[test]
fn conference_parses_and_round_trips() {
    let c = Conference::parse(&conference()).expect("valid");
    assert_eq!(c.attendees, 150);
    assert_eq!(c.topics, vec![Topic::Qcdc, Topic::Ordinance34]);
    assert_eq!(Conference::parse(&c.to_input()), Ok(c.clone()));
    assert_eq!(c.to_input().get("date"), "2018-06-28");
}

#[test]
fn conference_reports_every_bad_field() {
    let i = input(&[
        ("date", "31/02/2018"),
        ("kind", "party"),
        ("title", " "),
        ("attendees", "-3"),
        ("residential_group", "0"),
    ]);
    let e = Conference::parse(&i).expect_err("invalid");
    assert_eq!(e.get("date"), Some(msg::BAD_DATE));
    assert!(e.get("kind").is_some_and(|m| m.contains("party")));
    assert_eq!(e.get("title"), Some(msg::REQUIRED));
    assert_eq!(e.get("attendees"), Some(msg::BAD_WHOLE));
    assert!(e.get("residential_group").is_some());
    assert_eq!(e.0.len(), 5);
}

#[test]
fn attendances_may_be_zero_but_not_fractional() {
    let ok = Conference::parse(&conference().with("attendees", "0")).expect("zero ok");
    assert_eq!(ok.attendees, 0);
    assert!(Conference::parse(&conference().with("attendees", "1,5")).is_err());
    assert!(Conference::parse(&conference().with("attendees", "100001")).is_err());
    assert!(Conference::parse(&conference().with("attendees", "100000")).is_ok());
}

#[test]
fn publicity_count_defaults_to_one_and_posting_period_is_ordered() {
    let base = input(&[
        ("date", "2018-01-02"),
        ("channel", "Niêm yết"),
        ("topic", "land_certificate"),
    ]);
    let p = PublicityItem::parse(&base).expect("valid");
    assert_eq!(p.count, 1);
    assert_eq!(p.channel, Channel::Posting);
    let e = PublicityItem::parse(&base.clone().with("count", "0")).expect_err("zero count");
    assert_eq!(e.get("count"), Some(msg::at_least(1).as_str()));
    let e = PublicityItem::parse(
        &base
            .clone()
            .with("posted_from", "2018-01-10")
            .with("posted_until", "2018-01-09"),
    )
    .expect_err("order");
    assert!(e.get("posted_until").is_some());
    let same_day = PublicityItem::parse(
        &base
            .clone()
            .with("posted_from", "2018-01-10")
            .with("posted_until", "2018-01-10"),
    )
    .expect("same day");
    assert_eq!(same_day.posting_days(), Some(1));
    let short = PublicityItem::parse(
        &base
            .with("posted_from", "2018-01-01")
            .with("posted_until", "2018-01-29"),
    )
    .expect("valid");
    assert!(short.posting_too_short(DEFAULT_POSTING_DAYS));
}

#[test]
fn opinion_status_and_dates_agree() {
    let base = input(&[
        ("content", "Đề nghị sửa đường"),
        ("response", "answered"),
        ("status", "resolved"),
    ]);
    assert!(Opinion::parse(&base)
        .expect_err("needs date")
        .get("resolved_on")
        .is_some());
    let o = Opinion::parse(&base.clone().with("resolved_on", "2018-07-01")).expect("valid");
    assert!(o
        .check_against(NaiveDate::from_ymd_opt(2018, 7, 1).expect("date"))
        .is_ok());
    assert!(o
        .check_against(NaiveDate::from_ymd_opt(2018, 7, 2).expect("date"))
        .is_err());
    let open = base
        .with("status", "open")
        .with("resolved_on", "2018-07-01");
    assert!(Opinion::parse(&open).is_err());
}

#[test]
fn group_dissolution_after_establishment() {
    let base = input(&[
        ("number", "12"),
        ("name", "Tổ dân phố số 12"),
        ("established", "2010-01-01"),
    ]);
    let g = ResidentialGroup::parse(&base).expect("valid");
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    assert!(!g.active_on(day(2009, 12, 31)));
    assert!(g.active_on(day(2010, 1, 1)));
    assert!(ResidentialGroup::parse(&base.clone().with("dissolved", "2010-01-01")).is_err());
    let g = ResidentialGroup::parse(&base.with("dissolved", "2015-06-30")).expect("valid");
    assert!(g.active_on(day(2015, 6, 29)));
    assert!(!g.active_on(day(2015, 6, 30)));
}

#[test]
fn every_kind_round_trips_through_input() {
    let d = Document::parse(&input(&[
        ("date", "2015-03-02"),
        ("number", "125-QĐ/ĐU"),
        ("issuer", "party_committee"),
        ("kind", "Kiện toàn BCĐ"),
        ("title", "Kiện toàn BCĐ"),
    ]))
    .expect("doc");
    assert_eq!(Document::parse(&d.to_input()), Ok(d));
    let i = Inspection::parse(&input(&[
        ("date", "2015-03-02"),
        ("kind", "supervision"),
        ("target_kind", "school"),
        ("target", "Trường THCS"),
        ("by", "front"),
    ]))
    .expect("insp");
    assert_eq!(Inspection::parse(&i.to_input()), Ok(i));
    let c = Commendation::parse(&input(&[
        ("date", "2018-06-28"),
        ("level", "ward"),
        ("recipient_kind", "party_cell"),
        ("recipient", "Chi bộ số 1"),
    ]))
    .expect("comm");
    assert_eq!(Commendation::parse(&c.to_input()), Ok(c));
    let h = HotSpot::parse(&input(&[
        ("opened", "2016-01-01"),
        ("place", "Ngõ 5"),
        ("description", "Tranh chấp"),
        ("status", "open"),
    ]))
    .expect("hot");
    assert_eq!(HotSpot::parse(&h.to_input()), Ok(h));
    let dl = Dialogue::parse(&input(&[
        ("ref", "DT-1"),
        ("date", "2016-01-01"),
        ("host", "both"),
        ("counterpart", "residents"),
        ("participants", "80"),
    ]))
    .expect("dlg");
    assert_eq!(Dialogue::parse(&dl.to_input()), Ok(dl));
    let pc = PartyCell::parse(&input(&[
        ("name", "Chi bộ 1"),
        ("kind", "residential"),
        ("residential_groups", "3;1"),
    ]))
    .expect("cell");
    assert_eq!(pc.residential_groups, vec![1, 3]);
    assert_eq!(PartyCell::parse(&pc.to_input()), Ok(pc));
    let m = CommitteeMember::parse(&input(&[
        ("decision_date", "2015-01-01"),
        ("decision_number", "9-QĐ/ĐU"),
        ("name", "Nguyễn Văn A"),
        ("position", "head"),
    ]))
    .expect("member");
    assert_eq!(CommitteeMember::parse(&m.to_input()), Ok(m));
}

#[test]
fn a_group_exists_from_its_establishment_until_the_day_before_its_dissolution() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
    let (e, x) = (Some(d(2015, 1, 1)), Some(d(2017, 1, 1)));
    assert!(group_exists_on(9, e, x, d(2015, 1, 1)).is_ok());
    assert!(group_exists_on(9, e, x, d(2016, 12, 31)).is_ok());
    assert!(group_exists_on(9, e, x, d(2014, 12, 31))
        .expect_err("refused")
        .contains("thành lập ngày 01/01/2015"));
    assert!(group_exists_on(9, e, x, d(2017, 1, 1))
        .expect_err("refused")
        .contains("đã giải thể ngày 01/01/2017"));
    assert!(group_exists_on(9, None, None, d(1990, 1, 1)).is_ok());
}

#[test]
fn a_cell_is_active_from_its_first_day_to_its_last_both_included() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
    let (f, u) = (Some(d(2015, 1, 1)), Some(d(2019, 12, 31)));
    let name = "Chi bộ khu dân cư số 5";
    assert!(cell_exists_on(name, f, u, d(2015, 1, 1)).is_ok());
    assert!(cell_exists_on(name, f, u, d(2019, 12, 31)).is_ok());
    assert_eq!(
        cell_exists_on(name, f, u, d(2014, 12, 31)),
        Err(
            "Chi bộ «Chi bộ khu dân cư số 5» bắt đầu hoạt động ngày 01/01/2015, sau ngày 31/12/2014 của bản ghi."
                .into()
        )
    );
    assert_eq!(
        cell_exists_on(name, f, u, d(2020, 1, 1)),
        Err(
            "Chi bộ «Chi bộ khu dân cư số 5» ngừng hoạt động sau ngày 31/12/2019, trước ngày 01/01/2020 của bản ghi."
                .into()
        )
    );
    assert!(cell_exists_on(name, None, None, d(1990, 1, 1)).is_ok());
    assert!(cell_exists_on(name, None, u, d(1990, 1, 1)).is_ok());
    assert!(cell_exists_on(name, f, None, d(2090, 1, 1)).is_ok());
}

#[test]
fn registers_stand_on_a_day_as_they_count_it() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
    let cell = PartyCell::parse(&input(&[
        ("name", "Chi bộ khu dân cư số 5"),
        ("kind", "residential"),
        ("active_from", "2015-01-01"),
        ("active_until", "2019-12-31"),
    ]))
    .expect("valid");
    let span = cell.lifespan().expect("a register entry starts and ends");
    assert_eq!(span.standing(d(2014, 12, 31)), Standing::NotYet);
    assert_eq!(span.standing(d(2015, 1, 1)), Standing::Active);
    assert_eq!(span.standing(d(2019, 12, 31)), Standing::Active);
    assert_eq!(span.standing(d(2020, 1, 1)), Standing::Ended);
    assert!(cell.active_on(d(2019, 12, 31)) && !cell.active_on(d(2020, 1, 1)));
    // A group's dissolution day is its first day gone: its last day is the day before.
    let group = ResidentialGroup::parse(&input(&[
        ("number", "9"),
        ("name", "Tổ dân phố số 9"),
        ("established", "2015-01-01"),
        ("dissolved", "2017-01-01"),
    ]))
    .expect("valid");
    let span = group.lifespan().expect("a register entry starts and ends");
    assert_eq!(span.last, Some(d(2016, 12, 31)));
    assert_eq!(span.standing(d(2016, 12, 31)), Standing::Active);
    assert_eq!(span.standing(d(2017, 1, 1)), Standing::Ended);
    for day in [
        d(2014, 12, 31),
        d(2015, 1, 1),
        d(2016, 12, 31),
        d(2017, 1, 1),
    ] {
        assert_eq!(
            group.active_on(day),
            group_exists_on(9, group.established, group.dissolved, day).is_ok()
        );
    }
    // Activities do not start and end.
    let c = Conference::parse(&conference()).expect("valid");
    assert_eq!(c.lifespan(), None);
}
