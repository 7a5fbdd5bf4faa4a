//! The 2022 law's review: its sections follow the law's pillars and state the figures
//! of the law's registers over the draft's range.

use chrono::NaiveDate;

use super::*;
use crate::codes::*;
use crate::input::Input;
use crate::report::{
    assemble, ConsultationFact, CountFact, DecisionFact, Facts, Grouping, KindFact,
};
use crate::ward::Ward;

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).expect("date")
}

fn law_draft() -> ReviewDraft {
    let (from, to) = law_review_range();
    assert_eq!((from, to), (d(2023, 7, 1), d(2026, 6, 30)));
    let mut i = ReviewDraft::suggested_for(ReviewKind::Law2022, from, to, to).to_input();
    i.set("number", "40-BC/ĐU");
    let draft = ReviewDraft::parse(&i).expect("valid");
    assert_eq!(draft.kind, ReviewKind::Law2022);
    assert_eq!(draft.title, LAW_TITLE);
    draft
}

#[test]
fn a_draft_without_a_kind_is_directive_30s_and_the_kind_round_trips() {
    let old: Input = [
        ("title", "Báo cáo"),
        ("date", "2018-06-27"),
        ("from", "2014-01-01"),
        ("to", "2018-06-27"),
        ("signer_title", "Bí thư"),
    ]
    .into_iter()
    .collect();
    let d30 = ReviewDraft::parse(&old).expect("valid");
    assert_eq!(d30.kind, ReviewKind::Directive30);
    assert_eq!(d30.to_input().get("kind"), "directive30");
    let e = ReviewDraft::parse(&old.with("kind", "nghị quyết")).expect_err("unknown kind");
    assert!(e.get("kind").is_some());
    let law = law_draft();
    assert_eq!(ReviewDraft::parse(&law.to_input()), Ok(law));
}

#[test]
fn the_laws_review_follows_its_pillars_with_the_registers_figures() {
    let draft = law_draft();
    let total = draft.to_owned();
    let n = 0; // the Total grouping has no periods: index 0 is the total
    let mut f = Facts::default();
    f.law.decisions = vec![
        DecisionFact {
            period: n,
            form: DecisionForm::Meeting,
            count: 60,
            passed: 55,
        },
        DecisionFact {
            period: n,
            form: DecisionForm::Ballot,
            count: 5,
            passed: 5,
        },
    ];
    f.law.consultations = vec![ConsultationFact {
        period: n,
        count: 10,
        responses: 10_568,
        taken_up: 385,
    }];
    f.law.inspection_board = vec![
        KindFact {
            period: n,
            kind: InspectionKind::Inspection,
            count: 4,
        },
        KindFact {
            period: n,
            kind: InspectionKind::Supervision,
            count: 8,
        },
    ];
    f.law.supervision_boards = vec![CountFact {
        period: n,
        count: 5,
    }];
    f.law.supervision_activities = vec![CountFact {
        period: n,
        count: 7,
    }];
    f.groups_active = vec![(n, 38)];
    let report = assemble(Grouping::Total, total.from, total.to, Vec::new(), &f);
    let ward = Ward {
        name: "Phường Ngọc Thụy".into(),
        district: None,
        province: Some("Hà Nội".into()),
    };
    let doc = compose(&draft, &ward, None, &report, &report, &[]);
    assert_eq!(doc.title, LAW_TITLE);
    assert_eq!(doc.subtitle, "(Từ ngày 01/07/2023 đến ngày 30/06/2026)");
    let headings: Vec<&str> = doc.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings[..7],
        [
            "I. KẾT QUẢ THI HÀNH LUẬT",
            "1. Công tác lãnh đạo, chỉ đạo, tuyên truyền, phổ biến Luật",
            "2. Nhân dân được biết",
            "3. Nhân dân bàn và quyết định",
            "4. Nhân dân tham gia ý kiến",
            "5. Nhân dân kiểm tra, giám sát",
            "6. Tiếp xúc, đối thoại; Nhân dân thụ hưởng",
        ]
    );
    assert!(headings.contains(&"II. HẠN CHẾ VÀ NGUYÊN NHÂN"));
    let text = |h: &str| {
        doc.sections
            .iter()
            .find(|s| s.heading == h)
            .map(|s| {
                s.paragraphs
                    .iter()
                    .map(|p| p.text())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    };
    assert_eq!(
        text("3. Nhân dân bàn và quyết định"),
        "Các hộ gia đình ở tổ dân phố đã bàn và biểu quyết 65 nội dung (60 nội dung tại cuộc họp cộng đồng dân cư, 5 nội dung bằng phát phiếu lấy ý kiến hộ gia đình); 60 nội dung được thông qua với trên một nửa tổng số hộ gia đình của tổ tán thành, theo quy định của Luật."
    );
    assert!(text("4. Nhân dân tham gia ý kiến").contains("Tổ chức 10 đợt lấy ý kiến"));
    assert!(text("4. Nhân dân tham gia ý kiến")
        .contains("nhận được 10.568 ý kiến, tiếp thu 385 ý kiến"));
    let supervise = text("5. Nhân dân kiểm tra, giám sát");
    assert!(supervise.contains("Ban Thanh tra nhân dân tiến hành 12 cuộc kiểm tra, giám sát (4 cuộc kiểm tra, 8 cuộc giám sát)."), "{supervise}");
    assert!(supervise.contains("Thành lập 5 Ban Giám sát đầu tư của cộng đồng"));
    assert!(supervise.contains("tiến hành 7 cuộc giám sát"));
    assert!(doc.intro[0]
        .text()
        .contains("Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15"));
    assert!(doc.intro[0].text().contains("với 38 tổ dân phố"));
    assert!(doc.closing[0]
        .text()
        .starts_with("Trên đây là báo cáo sơ kết thi hành Luật"));
    // the appendix: the law's figures over the range, in one column
    assert_eq!(
        doc.appendix.columns,
        ["Từ ngày 01/07/2023 đến ngày 30/06/2026"]
    );
    assert_eq!(
        doc.appendix.rows[0].name,
        "Nội dung Nhân dân bàn và quyết định"
    );
    assert_eq!(doc.appendix.rows[0].cells[0].text, "65");
    assert_eq!(doc.appendix.rows[1].cells[0].text, "60");
    // every figure is read from the report
    for fig in doc.figures() {
        assert_eq!(
            report.row(fig.indicator.id).map(|r| r.total),
            Some(fig.value)
        );
    }
}
