use chrono::NaiveDate;

use super::wording::short_decimal;
use super::*;
use crate::codes::*;
use crate::input::Input;
use crate::kinds::Kind;
use crate::report::Report;
use crate::report::{
    assemble, period_grid, CommendationFact, ConferenceFact, DialogueFact, Facts, Grouping,
    KindFact, OpinionFact, PublicityFact,
};
use crate::ward::{names_on, ReviewPeriod};
use crate::ward::{NameFrom, Ward};

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).expect("date")
}

fn draft_input() -> Input {
    [
        ("title", DEFAULT_TITLE),
        ("number", "25-BC/ĐU"),
        ("date", "27/06/2018"),
        ("from", "2014-01-01"),
        ("to", "2018-06-27"),
        ("signer_title", "Phó Bí thư thường trực"),
        ("signer_name", "Nguyễn Văn A"),
        (
            "limitations",
            "Một số chi bộ chưa thường xuyên.\n\nHạn chế thứ hai.",
        ),
    ]
    .into_iter()
    .collect()
}

fn ward() -> Ward {
    Ward {
        name: "Phường Ngọc Thụy".into(),
        district: Some("Quận Long Biên".into()),
        province: Some("Hà Nội".into()),
    }
}

fn history() -> Vec<NameFrom> {
    vec![
        NameFrom {
            from: d(1998, 1, 1),
            district: Some("Huyện Gia Lâm".into()),
            superior_body: Some("ĐẢNG BỘ HUYỆN GIA LÂM".into()),
        },
        NameFrom {
            from: d(2004, 1, 1),
            district: Some("Quận Long Biên".into()),
            superior_body: Some("ĐẢNG BỘ QUẬN LONG BIÊN".into()),
        },
    ]
}

/// Facts at one grid index, shaped like the source article's figures.
fn article_facts(i: usize, scale: i64, f: &mut Facts) {
    f.conferences.push(ConferenceFact {
        period: i,
        kind: ConferenceKind::Dissemination,
        count: 100 * scale,
        attendees: 10_000 * scale,
    });
    f.conferences.push(ConferenceFact {
        period: i,
        kind: ConferenceKind::ResidentsMeeting,
        count: 42 * scale,
        attendees: 5_135 * scale,
    });
    for (channel, topic, count) in [
        (Channel::Radio, Topic::Qcdc, 338),
        (Channel::Posting, Topic::LandCertificate, 300),
        (Channel::Radio, Topic::SiteClearance, 202),
        (Channel::Radio, Topic::Ordinance34, 42),
    ] {
        f.publicity.push(PublicityFact {
            period: i,
            channel,
            topic,
            count: count * scale,
        });
    }
    f.dialogues.push(DialogueFact {
        period: i,
        count: 24 * scale,
        participants: 2408 * scale,
    });
    f.opinions.push(OpinionFact {
        period: i,
        raised: 1000 * scale,
        resolved_by_end: 991 * scale,
    });
    f.documents.push(KindFact {
        period: i,
        kind: DocumentKind::ConsolidateCommittee,
        count: 9 * scale,
    });
    f.documents.push(KindFact {
        period: i,
        kind: DocumentKind::CommitteeRegulation,
        count: scale,
    });
    f.inspections.push(KindFact {
        period: i,
        kind: InspectionKind::Supervision,
        count: 32 * scale,
    });
    for (level, recipient, count) in [
        (CommendationLevel::Ward, RecipientKind::PartyCell, 30),
        (
            CommendationLevel::DistrictProposal,
            RecipientKind::Individual,
            1,
        ),
        (
            CommendationLevel::DistrictProposal,
            RecipientKind::PartyCell,
            1,
        ),
    ] {
        f.commendations.push(CommendationFact {
            period: i,
            level,
            recipient,
            count: count * scale,
        });
    }
    f.groups_active.push((i, 38));
}

fn reports() -> (Report, Report) {
    let (from, to) = (d(2014, 1, 1), d(2018, 6, 27));
    let mut total_facts = Facts::default();
    article_facts(0, 1, &mut total_facts);
    let total = assemble(Grouping::Total, from, to, Vec::new(), &total_facts);
    let periods = [
        ReviewPeriod {
            name: "2008-2013".into(),
            start: d(2008, 1, 1),
            end: d(2013, 12, 31),
        },
        ReviewPeriod {
            name: "2014-nay".into(),
            start: from,
            end: to,
        },
    ];
    let grid = period_grid(Grouping::Period, d(2008, 1, 1), to, &[], &periods);
    // 2014-nay has the article's figures; 2008-2013 the same but for the
    // dissemination conferences; the last index is the grid's total.
    let mut f = Facts::default();
    article_facts(0, 1, &mut f);
    article_facts(1, 1, &mut f);
    article_facts(2, 2, &mut f);
    f.conferences
        .retain(|c| c.period == 1 || c.kind != ConferenceKind::Dissemination);
    let by_period = assemble(Grouping::Period, d(2008, 1, 1), to, grid, &f);
    (total, by_period)
}

fn doc(estimated: &[(Kind, usize, i64)]) -> ReviewDocument {
    let draft = ReviewDraft::parse(&draft_input()).expect("valid draft");
    let h = history();
    let (total, by_period) = reports();
    compose(
        &draft,
        &ward(),
        names_on(&h, draft.date),
        &total,
        &by_period,
        estimated,
    )
}

#[test]
fn parse_checks_fields_and_range() {
    let d0 = ReviewDraft::parse(&draft_input()).expect("valid");
    assert_eq!(d0.number.as_deref(), Some("25-BC/ĐU"));
    assert_eq!(d0.on_behalf, DEFAULT_ON_BEHALF);
    assert_eq!(ReviewDraft::parse(&d0.to_input()), Ok(d0.clone()));
    let with_so = draft_input().with("number", "Số 25-BC/ĐU");
    assert_eq!(
        ReviewDraft::parse(&with_so).expect("valid").number,
        d0.number
    );

    let e = ReviewDraft::parse(&Input::new()).expect_err("empty");
    for f in ["title", "date", "from", "to", "signer_title"] {
        assert!(e.get(f).is_some(), "{f}");
    }
    let e = ReviewDraft::parse(&draft_input().with("to", "2013-12-31")).expect_err("order");
    assert!(e.get("to").is_some_and(|m| m.contains("01/01/2014")));
    let e = ReviewDraft::parse(&draft_input().with("to", "2018-06-28")).expect_err("after");
    assert!(e.get("to").is_some_and(|m| m.contains("ngày báo cáo")));
    let e = ReviewDraft::parse(&draft_input().with("title", "A".repeat(TITLE_MAX + 1)))
        .expect_err("long");
    assert!(e.get("title").is_some());
    let e = ReviewDraft::parse(&draft_input().with("lessons", "x".repeat(SECTION_MAX + 1)))
        .expect_err("long");
    assert!(e.get("lessons").is_some());
    let e = ReviewDraft::parse(&draft_input().with("signer_name", "a\nb")).expect_err("ctl");
    assert!(e.get("signer_name").is_some());
}

#[test]
fn the_text_states_the_figures_as_the_article_does() {
    let text = doc(&[]).plain_text();
    for phrase in [
        "đã tổ chức 142 lượt Hội nghị với 15.135 lượt người tham dự, tuyên truyền trên hệ thống Đài truyền thanh được 338 lượt tin, bài về thực hiện QCDC, 502 lượt thông báo về cấp giấy chứng nhận QSDĐ, về công khai công tác GPMB, 42 lượt tuyên truyền về Pháp lệnh 34",
        "9 Quyết định kiện toàn Ban chỉ đạo, 1 Quyết định sửa đổi Quy chế hoạt động",
        "30 lượt chi bộ được biểu dương, khen thưởng",
        "đề nghị Quận ủy khen thưởng 1 cá nhân, 1 chi bộ",
        "38 tổ dân phố",
        "2.408 lượt người tham dự",
        "đã giải quyết 991 ý kiến, đạt 99,1%, còn 9 ý kiến",
        "32 cuộc kiểm tra, giám sát",
        "42 hội nghị nhân dân ở tổ dân phố",
    ] {
        assert!(text.contains(phrase), "missing «{phrase}» in\n{text}");
    }
}

#[test]
fn header_follows_the_report_date() {
    let dd = doc(&[]);
    assert_eq!(
        dd.header.superior_body.as_deref(),
        Some("ĐẢNG BỘ QUẬN LONG BIÊN")
    );
    assert_eq!(dd.header.issuer, "ĐẢNG ỦY PHƯỜNG NGỌC THỤY");
    assert_eq!(dd.header.number, "Số 25-BC/ĐU");
    assert_eq!(dd.header.party, "ĐẢNG CỘNG SẢN VIỆT NAM");
    assert_eq!(dd.header.place_date, "Ngọc Thụy, ngày 27 tháng 6 năm 2018");
    assert_eq!(dd.signature.on_behalf, "T/M ĐẢNG ỦY");
    assert_eq!(dd.signature.title, "PHÓ BÍ THƯ THƯỜNG TRỰC");
    assert!(dd.title.starts_with("BÁO CÁO TỔNG KẾT 20 NĂM"));
    assert_eq!(
        dd.recipients[0],
        "Ban Thường vụ Quận ủy Long Biên (để báo cáo),"
    );

    // A report dated 2003 prints the names of 2003.
    let mut draft = ReviewDraft::parse(&draft_input()).expect("valid");
    draft.date = d(2003, 2, 5);
    draft.from = d(2002, 1, 1);
    draft.to = d(2002, 12, 31);
    let h = history();
    let (total, by_period) = reports();
    let old = compose(
        &draft,
        &ward(),
        names_on(&h, draft.date),
        &total,
        &by_period,
        &[],
    );
    assert_eq!(
        old.header.superior_body.as_deref(),
        Some("ĐẢNG BỘ HUYỆN GIA LÂM")
    );
    assert_eq!(
        old.header.place_date,
        "Ngọc Thụy, ngày 05 tháng 02 năm 2003"
    );
    assert!(old.plain_text().contains("đề nghị Huyện ủy khen thưởng"));
    assert_eq!(
        old.recipients[0],
        "Ban Thường vụ Huyện ủy Gia Lâm (để báo cáo),"
    );
}

#[test]
fn periods_are_compared_by_yearly_average() {
    let text = doc(&[]).plain_text();
    // 2008-2013: 42 conferences over 2192 days (6,00 years) → 7,0 a year; 2014-nay:
    // 142 over 1639 days (4,49 years) → 31,6 a year, i.e. +352,2%.
    assert!(
        text.contains("So với giai đoạn 2008-2013 (01/01/2008 – 31/12/2013), trong giai đoạn 2014-nay (01/01/2014 – 27/06/2018), tính bình quân mỗi năm:"),
        "{text}"
    );
    assert!(
        text.contains("- số hội nghị: 142 hội nghị (bình quân 31,6 hội nghị/năm), tăng 352,2% so với giai đoạn trước (42 hội nghị, bình quân 7,0 hội nghị/năm);"),
        "{text}"
    );
    // 24 dialogues in each: 4,0 a year before, 5,3 after.
    assert!(text.contains("- số buổi tiếp xúc, đối thoại: 24 buổi (bình quân 5,3 buổi/năm), tăng 33,7% so với giai đoạn trước (24 buổi, bình quân 4,0 buổi/năm);"), "{text}");
    assert!(text.contains("so với giai đoạn trước (30 lượt, bình quân 5,0 lượt/năm)."));
    assert_eq!(short_decimal(23.0), "23");
    assert_eq!(short_decimal(5.25), "5,3");
}

#[test]
fn figures_are_read_from_the_reports() {
    let dd = doc(&[]);
    let (total, by_period) = reports();
    let figures = dd.figures();
    assert!(figures.len() > 40);
    for f in figures {
        let (r, value) = if f.from_total {
            (&total, total.row(f.indicator.id).map(|r| r.total))
        } else {
            let i = by_period
                .periods
                .iter()
                .position(|p| *p == f.period)
                .expect("period of the report");
            (
                &by_period,
                by_period.row(f.indicator.id).map(|r| r.values[i]),
            )
        };
        assert_eq!(
            Some(f.value),
            value,
            "{} in {:?}",
            f.indicator.code,
            r.grouping
        );
        assert_eq!(f.text, f.value.vn());
    }
    // the appendix: one column per period (the last one is the draft's range)
    assert_eq!(
        dd.appendix.columns,
        ["Giai đoạn 2008-2013", "Giai đoạn 2014-nay"]
    );
    // 17 main indicators, and opinions resolved in the period (whenever raised)
    assert_eq!(dd.appendix.rows.len(), 18);
    assert_eq!(dd.appendix.rows[1].cells[0].text, "5.135");
    assert_eq!(dd.appendix.rows[1].cells[1].text, "15.135");
    assert!(dd.appendix.rows.iter().any(|r| r.cells[1].text == "99,1%"));
}

#[test]
fn estimated_families_get_one_footnote_each() {
    let dd = doc(&[(Kind::Conferences, 0, 3), (Kind::Documents, 0, 1)]);
    assert_eq!(
        dd.footnotes,
        [
            "Số liệu về văn bản có 1 bản ghi ước tính (không có văn bản gốc).",
            "Số liệu về hội nghị có 3 bản ghi ước tính (không có văn bản gốc).",
        ]
    );
    let notes: Vec<usize> = dd
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .flat_map(|p| &p.spans)
        .filter_map(|s| match s {
            Span::Note(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(notes, [1, 2]);
    assert!(dd.plain_text().contains("142[2] lượt Hội nghị"));
    assert!(doc(&[]).footnotes.is_empty());
}

#[test]
fn written_sections_and_placeholders() {
    let dd = doc(&[]);
    let limits = dd
        .sections
        .iter()
        .find(|s| s.heading == "1. Hạn chế")
        .expect("section");
    assert_eq!(limits.paragraphs.len(), 2);
    let lessons = dd
        .sections
        .iter()
        .find(|s| s.heading == "III. BÀI HỌC KINH NGHIỆM")
        .expect("section");
    assert!(matches!(
        lessons.paragraphs[0].spans[0],
        Span::Placeholder(_)
    ));
}

#[test]
fn empty_reports_read_naturally() {
    let draft = ReviewDraft::parse(&draft_input()).expect("valid");
    let empty = assemble(
        Grouping::Total,
        draft.from,
        draft.to,
        Vec::new(),
        &Facts::default(),
    );
    let dd = compose(&draft, &ward(), None, &empty, &empty, &[]);
    let text = dd.plain_text();
    assert!(text.contains("chưa ghi nhận hội nghị hay tin, bài tuyên truyền nào."));
    assert!(text.contains("chưa ghi nhận buổi tiếp xúc, đối thoại trực tiếp nào."));
    // without a names history, the ward's district stands in
    assert_eq!(
        dd.header.superior_body.as_deref(),
        Some("ĐẢNG BỘ QUẬN LONG BIÊN")
    );
    assert_eq!(dd.appendix.columns.len(), 1);
    assert!(!text.contains("So với giai đoạn"));
}

#[test]
fn a_ward_formed_in_2025_is_headed_by_the_city() {
    // a ward made on 1/7/2025, directly under the city, with no district
    let ward = Ward {
        name: "Phường Sông Xanh".into(),
        district: None,
        province: Some("Thành phố Hà Nội".into()),
    };
    let names = [NameFrom {
        from: d(2025, 7, 1),
        district: None,
        superior_body: Some("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI".into()),
    }];
    let mut draft = ReviewDraft::parse(&draft_input()).expect("valid");
    draft.date = d(2026, 6, 30);
    let (total, by_period) = reports();
    let doc = compose(
        &draft,
        &ward,
        names_on(&names, draft.date),
        &total,
        &by_period,
        &[],
    );
    assert_eq!(
        doc.header.superior_body.as_deref(),
        Some("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI")
    );
    assert_eq!(doc.header.issuer, "ĐẢNG ỦY PHƯỜNG SÔNG XANH");
    assert_eq!(
        doc.recipients[0],
        "Ban Thường vụ Thành ủy Hà Nội (để báo cáo),"
    );
    // before it existed there were no names of its own: none printed
    assert_eq!(names_on(&names, d(2018, 6, 27)), None);
}

#[test]
fn the_former_wards_are_named_with_their_figures() {
    use super::lineage::{former_wards_paragraph, FormerWard};
    let (total, _) = reports();
    assert!(former_wards_paragraph(&[], &[]).is_none());
    let p = former_wards_paragraph(
        &[FormerWard {
            name: "Phường Ngọc Thụy",
            share: Share::Whole,
            last_day: d(2025, 6, 30),
            report: &total,
        }],
        &["Số liệu gồm cả bản ghi của phường cũ chỉ sáp nhập một phần: Phường Làng Hoa (đến 30/06/2025).".into()],
    )
    .expect("paragraph")
    .text();
    assert!(
        p.starts_with("Số liệu trong báo cáo cho thời gian trước ngày 01/07/2025 gồm bản ghi của các phường cũ đã sáp nhập vào phường: Phường Ngọc Thụy (toàn bộ, đến ngày 30/06/2025: 142 hội nghị, 15.135 lượt người dự;"),
        "{p}"
    );
    assert!(p.ends_with("Phường Làng Hoa (đến 30/06/2025)."), "{p}");
}
