//! The 2022 law's registers: the majority rule at its boundaries, impossible figures,
//! the size rules of the boards, round trips.

use super::*;
use crate::error::msg;

fn input(pairs: &[(&str, &str)]) -> Input {
    pairs.iter().map(|(k, v)| (*k, *v)).collect()
}

fn decision(form: &str, households: u32, represented: u32, in_favour: u32) -> Input {
    input(&[
        ("date", "15/03/2024"),
        ("residential_group", "12"),
        ("matter", "contribution"),
        ("form", form),
    ])
    .with("households", households.to_string())
    .with("represented", represented.to_string())
    .with("in_favour", in_favour.to_string())
}

fn parsed(form: &str, h: u32, r: u32, f: u32) -> CommunityDecision {
    CommunityDecision::parse(&decision(form, h, r, f)).expect("valid")
}

#[test]
fn more_than_half_is_strict() {
    assert!(!more_than_half(50, 100));
    assert!(more_than_half(51, 100));
    assert!(!more_than_half(2, 5));
    assert!(more_than_half(3, 5));
    assert!(!more_than_half(0, 0));
    assert!(more_than_half(1, 1));
    assert!(more_than_half(u32::MAX, u32::MAX));
    assert_eq!(smallest_majority(100), 51);
    assert_eq!(smallest_majority(5), 3);
    assert_eq!(smallest_majority(1), 1);
}

#[test]
fn a_meeting_with_exactly_half_the_households_is_not_valid() {
    let d = parsed("meeting", 100, 50, 50);
    assert!(!d.meeting_valid());
    assert_eq!(d.outcome(), DecisionOutcome::MeetingNotValid);
    assert!(!d.passed());
    assert!(d.reason().contains("50/100 hộ dự họp"), "{}", d.reason());
    assert!(d.reason().contains("cần ít nhất 51 hộ"), "{}", d.reason());
    assert!(d.reason().contains("bằng phiếu"), "{}", d.reason());
    let valid = parsed("meeting", 100, 51, 0);
    assert!(valid.meeting_valid());
    assert_eq!(valid.outcome(), DecisionOutcome::NotPassed);
}

#[test]
fn a_decision_needs_more_than_half_of_all_households_not_of_those_present() {
    // 50 of 100 in favour: all of the 60 present minus ten, but exactly half of all.
    let half = parsed("meeting", 100, 60, 50);
    assert_eq!(half.outcome(), DecisionOutcome::NotPassed);
    assert!(half.reason().contains("Cuộc họp hợp lệ: 60/100 hộ dự họp"));
    assert!(half
        .reason()
        .contains("50/100 hộ tán thành, chưa quá một nửa"));
    let passed = parsed("meeting", 100, 60, 51);
    assert_eq!(passed.outcome(), DecisionOutcome::Passed);
    assert!(passed
        .reason()
        .contains("51/100 hộ tán thành, trên một nửa"));
    // Odd numbers of households: 3 of 5 pass, 2 of 5 do not.
    assert!(parsed("meeting", 5, 3, 3).passed());
    assert!(!parsed("meeting", 5, 5, 2).passed());
}

#[test]
fn ballots_are_counted_against_all_households_without_a_quorum() {
    let few = parsed("ballot", 120, 61, 61);
    assert!(few.meeting_valid());
    assert_eq!(few.outcome(), DecisionOutcome::Passed);
    let half = parsed("ballot", 120, 100, 60);
    assert_eq!(half.outcome(), DecisionOutcome::NotPassed);
    assert!(half
        .reason()
        .starts_with("Phát phiếu lấy ý kiến hộ gia đình: 100/120 phiếu thu về."));
    assert!(half.reason().contains("cần ít nhất 61 hộ"));
    let online = parsed("online", 1_200, 700, 601);
    assert!(online.passed());
    assert!(online.reason().contains("700/1.200 hộ tham gia biểu quyết"));
    assert!(online.reason().contains("601/1.200 hộ tán thành"));
}

#[test]
fn passed_is_exactly_more_than_half_in_favour_whatever_the_form() {
    // The store counts passed decisions as 2 × in_favour > households: the same as
    // the outcome for every possible figure.
    for form in ["meeting", "ballot", "online"] {
        for h in 1..=9 {
            for r in 0..=h {
                for f in 0..=r {
                    let d = parsed(form, h, r, f);
                    assert_eq!(d.passed(), 2 * f > h, "{form} {h} {r} {f}");
                }
            }
        }
    }
}

#[test]
fn impossible_figures_are_refused_with_field_messages() {
    let e = CommunityDecision::parse(&decision("meeting", 100, 101, 20)).expect_err("r > h");
    assert_eq!(
        e.get("represented"),
        Some("Số hộ dự họp (101) không thể lớn hơn số hộ gia đình của tổ (100).")
    );
    assert_eq!(e.0.len(), 1);
    let e = CommunityDecision::parse(&decision("ballot", 100, 60, 61)).expect_err("f > r");
    assert_eq!(
        e.get("in_favour"),
        Some("Số hộ tán thành (61) không thể lớn hơn số phiếu thu về (60).")
    );
    // Both at once, each on its field; equal figures are possible.
    let e = CommunityDecision::parse(&decision("meeting", 10, 11, 12)).expect_err("both");
    assert!(e.get("represented").is_some() && e.get("in_favour").is_some());
    assert!(CommunityDecision::parse(&decision("meeting", 10, 10, 10)).is_ok());
    // A group has at least one household; a bad number is reported once, as such.
    let e = CommunityDecision::parse(&decision("meeting", 0, 0, 0)).expect_err("h = 0");
    assert_eq!(e.get("households"), Some(msg::at_least(1).as_str()));
    let e = CommunityDecision::parse(&decision("meeting", 10, 5, 3).with("represented", "năm"))
        .expect_err("bad");
    assert_eq!(e.get("represented"), Some(msg::BAD_WHOLE));
    assert_eq!(e.0.len(), 1);
}

#[test]
fn a_decision_names_its_group_and_round_trips() {
    let e = CommunityDecision::parse(&decision("meeting", 10, 6, 6).with("residential_group", ""))
        .expect_err("group required");
    assert_eq!(e.get("residential_group"), Some(msg::REQUIRED));
    let d = CommunityDecision::parse(
        &decision("Họp cộng đồng dân cư", 98, 70, 66)
            .with("matter", "Quy ước, hương ước")
            .with("title", "Sửa đổi quy ước tổ dân phố số 12"),
    )
    .expect("labels are accepted");
    assert_eq!(d.form, DecisionForm::Meeting);
    assert_eq!(d.matter, DecisionMatter::Convention);
    assert_eq!(CommunityDecision::parse(&d.to_input()), Ok(d.clone()));
    assert_eq!(d.to_input().get("residential_group"), "12");
    let a = Kind::CommunityDecisions
        .assess(&d.to_input())
        .expect("assessed");
    assert_eq!(a.verdict, "Được thông qua");
    assert!(a.positive);
    assert_eq!(a.label, "Kết quả");
    assert!(Kind::Conferences.assess(&Input::new()).is_none());
    let names: Vec<_> = Kind::CommunityDecisions
        .columns()
        .iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(
        names,
        [
            "date",
            "residential_group",
            "matter",
            "form",
            "households",
            "represented",
            "in_favour",
            "title",
            "notes",
            "source"
        ]
    );
    let required: Vec<_> = Kind::CommunityDecisions
        .columns()
        .iter()
        .filter(|c| c.required)
        .map(|c| c.name)
        .collect();
    assert_eq!(required, names[..7]);
}

fn consultation() -> Input {
    input(&[
        ("consulted_from", "2024-05-02"),
        ("consulted_until", "2024-05-31"),
        ("subject", "land_use_plan"),
        ("form", "meeting"),
        ("title", "Kế hoạch sử dụng đất năm 2025"),
        ("responses", "120"),
        ("taken_up", "45"),
    ])
}

#[test]
fn consultations_take_up_no_more_than_they_received() {
    let c = Consultation::parse(&consultation()).expect("valid");
    assert_eq!(Consultation::parse(&c.to_input()), Ok(c));
    assert!(Consultation::parse(&consultation().with("taken_up", "120")).is_ok());
    let e = Consultation::parse(&consultation().with("taken_up", "121")).expect_err("121");
    assert!(e.get("taken_up").is_some_and(|m| m.contains("120")));
    let e = Consultation::parse(&consultation().with("consulted_until", "2024-05-01"))
        .expect_err("ends before it starts");
    assert!(e.get("consulted_until").is_some());
    assert!(Consultation::parse(&consultation().with("consulted_until", "2024-05-02")).is_ok());
    let e = Consultation::parse(&consultation().with("result_published_on", "2024-06-05"))
        .expect_err("how was it published");
    assert!(e.get("result_channel").is_some());
    assert!(Consultation::parse(
        &consultation()
            .with("result_published_on", "2024-06-05")
            .with("result_channel", "posting")
    )
    .is_ok());
}

fn board_term(members: u32) -> Input {
    input(&[
        ("recognised_on", "2024-07-10"),
        ("decision_number", "05/QĐ-MTTQ"),
        ("term", "2024-2026"),
        ("head", "Nguyễn Văn An"),
    ])
    .with("members", members.to_string())
}

#[test]
fn the_inspection_board_has_five_to_eleven_members() {
    for n in [4, 12] {
        let e = InspectionBoardTerm::parse(&board_term(n)).expect_err("outside 5–11");
        assert_eq!(
            e.get("members"),
            Some("Ban Thanh tra nhân dân có từ 5 đến 11 thành viên.")
        );
    }
    for n in [5, 11] {
        assert!(InspectionBoardTerm::parse(&board_term(n)).is_ok(), "{n}");
    }
    let names = "A; B; C; D; E";
    let t = InspectionBoardTerm::parse(&board_term(5).with("member_names", names)).expect("5");
    assert_eq!(t.names().len(), 5);
    let e = InspectionBoardTerm::parse(&board_term(7).with("until", "2024-07-10"))
        .expect_err("ends on its first day");
    assert!(e.get("until").is_some());
}

#[test]
fn supervision_boards_have_at_least_five_members_and_end_after_they_start() {
    let b = input(&[
        ("established", "2024-03-01"),
        ("project", "Cải tạo ngõ 245 Ngọc Thụy"),
    ]);
    let e = SupervisionBoard::parse(&b.clone().with("members", "4")).expect_err("4");
    assert!(e.get("members").is_some_and(|m| m.contains("ít nhất 5")));
    let ok = SupervisionBoard::parse(&b.clone().with("members", "5")).expect("5");
    assert!(ok.active_on(ok.established));
    let e = SupervisionBoard::parse(
        &b.clone()
            .with("members", "5")
            .with("dissolved", "2024-03-01"),
    )
    .expect_err("dissolved the day it began");
    assert!(e.get("dissolved").is_some());
    let done = SupervisionBoard::parse(&b.with("members", "5").with("dissolved", "2024-12-31"))
        .expect("ended");
    let d = |s| crate::dates::parse_date(s).expect("date");
    assert!(done.active_on(d("2024-12-30")) && !done.active_on(d("2024-12-31")));
}

#[test]
fn follow_up_needs_recommendations() {
    let a = input(&[
        ("date", "2024-09-12"),
        ("kind", "supervision"),
        ("subject", "Thu chi quỹ tổ dân phố số 5"),
        ("follow_up", "acted_on"),
    ]);
    let e = InspectionBoardActivity::parse(&a).expect_err("no recommendation");
    assert!(e.get("follow_up").is_some());
    let ok = InspectionBoardActivity::parse(&a.with("recommendations", "Công khai sổ thu chi"))
        .expect("valid");
    assert_eq!(ok.follow_up, Some(FollowUp::ActedOn));
    let s = input(&[
        ("date", "2024-09-12"),
        ("project", "Cải tạo ngõ 245"),
        ("content", "Giám sát khối lượng"),
        ("follow_up", "pending"),
    ]);
    assert!(SupervisionActivity::parse(&s).is_err());
}

#[test]
fn broadcasts_the_law_asks_for_go_out_on_enough_days() {
    let item = |date: &str, channel: &str, topic: &str, count: &str| -> PublicityItem {
        PublicityItem::parse(&input(&[
            ("date", date),
            ("channel", channel),
            ("topic", topic),
            ("count", count),
        ]))
        .expect("valid")
    };
    assert!(item("2023-07-01", "radio", "site_clearance", "2").broadcast_too_short(3));
    assert!(!item("2023-07-01", "radio", "site_clearance", "3").broadcast_too_short(3));
    // before the law, on another channel, or on a topic it does not name: no flag
    assert!(!item("2023-06-30", "radio", "site_clearance", "1").broadcast_too_short(3));
    assert!(!item("2024-01-01", "posting", "site_clearance", "1").broadcast_too_short(3));
    assert!(!item("2024-01-01", "radio", "qcdc", "1").broadcast_too_short(3));
    let m = crate::ward::PublicityMinimums::default();
    assert_eq!((m.posting_days, m.broadcast_days), (30, 3));
    let e = crate::ward::PublicityMinimums::parse(&input(&[
        ("posting_days", "0"),
        ("broadcast_days", "31"),
    ]))
    .expect_err("out of range");
    assert!(e.get("posting_days").is_some() && e.get("broadcast_days").is_some());
    let ok = crate::ward::PublicityMinimums::parse(&input(&[
        ("posting_days", "45"),
        ("broadcast_days", "1"),
    ]))
    .expect("valid");
    assert_eq!(
        crate::ward::PublicityMinimums::parse(&ok.to_input()),
        Ok(ok)
    );
}
