//! The 2022 law's review ("Báo cáo sơ kết 3 năm thi hành Luật Thực hiện dân chủ ở cơ
//! sở"): its results section by the law's pillars — dân biết, dân bàn và quyết định,
//! dân tham gia ý kiến, dân kiểm tra và giám sát, dân thụ hưởng as far as the records
//! speak — and its appendix of the law's figures. The header, the written sections, the
//! signature and the recipients are the same Party format as Directive 30's review.

use crate::codes::*;
use crate::report::IndicatorId as I;

use super::compose::Context;
use super::document::{Appendix, AppendixRow, Paragraph, Section, Span};
use super::writer::Writer;

pub(super) fn intro(w: &mut Writer<'_>, cx: &Context) -> Vec<Paragraph> {
    vec![w
        .para()
        .t("Thực hiện Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15, ngày 10/11/2022 của Quốc hội (có hiệu lực từ ngày 01/7/2023), Nghị định số 59/2023/NĐ-CP và Nghị định số 61/2023/NĐ-CP của Chính phủ, Đảng ủy ")
        .t(&cx.ward_text)
        .t(" báo cáo kết quả sơ kết thi hành Luật trên địa bàn phường với ")
        .f(I::ResidentialGroupsCount)
        .t(" tổ dân phố, ")
        .t(&cx.range)
        .t(", như sau:")
        .done()]
}

/// Part I, by the law's pillars.
pub(super) fn results(w: &mut Writer<'_>) -> Vec<Section> {
    vec![
        Section {
            level: 1,
            heading: "I. KẾT QUẢ THI HÀNH LUẬT".into(),
            paragraphs: Vec::new(),
        },
        leadership(w),
        know(w),
        decide(w),
        consulted(w),
        supervise(w),
        benefit(w),
    ]
}

fn section(heading: &str, paragraphs: Vec<Paragraph>) -> Section {
    Section {
        level: 2,
        heading: heading.into(),
        paragraphs,
    }
}

/// 1. Leadership and dissemination of the law.
fn leadership(w: &mut Writer<'_>) -> Section {
    let held = w.total(I::DocumentsCount) + w.total(I::ConferencesCount);
    let mut paragraphs = vec![if held > 0 {
        w.para()
            .t("Đảng ủy ban hành ")
            .f(I::DocumentsCount)
            .t(" văn bản lãnh đạo, chỉ đạo thực hiện dân chủ ở cơ sở; tổ chức ")
            .f(I::ConferencesCount)
            .t(" hội nghị với ")
            .f(I::ConferencesAttendees)
            .t(" lượt người dự.")
            .done()
    } else {
        w.para()
            .t("Trong kỳ, hồ sơ chưa ghi nhận văn bản lãnh đạo, chỉ đạo hay hội nghị nào về thực hiện dân chủ ở cơ sở.")
            .done()
    }];
    if w.total(I::PublicityTopic(Topic::Law2022)) > 0 {
        paragraphs.push(
            w.para()
                .t("Tuyên truyền, phổ biến Luật Thực hiện dân chủ ở cơ sở ")
                .f(I::PublicityTopic(Topic::Law2022))
                .t(" lượt trên các phương tiện thông tin của phường.")
                .done(),
        );
    }
    section(
        "1. Công tác lãnh đạo, chỉ đạo, tuyên truyền, phổ biến Luật",
        paragraphs,
    )
}

/// 2. What the people were told (công khai).
fn know(w: &mut Writer<'_>) -> Section {
    let channels: Vec<(I, String)> = [Channel::Radio, Channel::Posting, Channel::Portal]
        .iter()
        .map(|c| {
            (
                I::PublicityChannel(*c),
                format!("lượt qua {}", c.label().to_lowercase()),
            )
        })
        .collect();
    let p = if w.total(I::PublicityTotal) > 0 {
        let p = w
            .para()
            .t("Công khai thông tin để Nhân dân biết: ")
            .f(I::PublicityTotal)
            .t(" lượt tin, bài, thông báo, niêm yết");
        let any = channels.iter().any(|(c, _)| p.w.total(*c) > 0);
        if any {
            p.t(", trong đó ").list(&channels, ", ").t(".").done()
        } else {
            p.t(".").done()
        }
    } else {
        w.para()
            .t("Trong kỳ chưa ghi nhận tin, bài, thông báo công khai nào.")
            .done()
    };
    section("2. Nhân dân được biết", vec![p])
}

/// 3. What the households discussed and decided, by the law's majority rule.
fn decide(w: &mut Writer<'_>) -> Section {
    let forms: Vec<(I, String)> = vec![
        (
            I::CommunityDecisionsForm(DecisionForm::Meeting),
            "nội dung tại cuộc họp cộng đồng dân cư".into(),
        ),
        (
            I::CommunityDecisionsForm(DecisionForm::Ballot),
            "nội dung bằng phát phiếu lấy ý kiến hộ gia đình".into(),
        ),
        (
            I::CommunityDecisionsForm(DecisionForm::Online),
            "nội dung bằng biểu quyết trực tuyến".into(),
        ),
    ];
    let p = if w.total(I::CommunityDecisionsCount) > 0 {
        w.para()
            .t("Các hộ gia đình ở tổ dân phố đã bàn và biểu quyết ")
            .f(I::CommunityDecisionsCount)
            .t(" nội dung (")
            .list(&forms, ", ")
            .t("); ")
            .f(I::CommunityDecisionsPassed)
            .t(" nội dung được thông qua với trên một nửa tổng số hộ gia đình của tổ tán thành, theo quy định của Luật.")
            .done()
    } else {
        w.para()
            .t("Trong kỳ chưa ghi nhận nội dung nào do Nhân dân bàn và quyết định.")
            .done()
    };
    section("3. Nhân dân bàn và quyết định", vec![p])
}

/// 4. What the people were consulted on.
fn consulted(w: &mut Writer<'_>) -> Section {
    let p = if w.total(I::ConsultationsCount) > 0 {
        w.para()
            .t("Tổ chức ")
            .f(I::ConsultationsCount)
            .t(" đợt lấy ý kiến Nhân dân về dự thảo kế hoạch, quy hoạch, phương án bồi thường, tái định cư và sắp xếp địa giới; nhận được ")
            .f(I::ConsultationsResponses)
            .t(" ý kiến, tiếp thu ")
            .f(I::ConsultationsTakenUp)
            .t(" ý kiến và công khai kết quả tiếp thu.")
            .done()
    } else {
        w.para()
            .t("Trong kỳ chưa ghi nhận đợt lấy ý kiến Nhân dân nào.")
            .done()
    };
    section("4. Nhân dân tham gia ý kiến", vec![p])
}

/// 5. The People's Inspection Board and the supervision boards.
fn supervise(w: &mut Writer<'_>) -> Section {
    let kinds: Vec<(I, String)> = InspectionKind::ALL
        .iter()
        .map(|k| {
            (
                I::InspectionBoardKind(*k),
                format!("cuộc {}", k.label().to_lowercase()),
            )
        })
        .collect();
    let board = if w.total(I::InspectionBoardActivities) > 0 {
        w.para()
            .t("Ban Thanh tra nhân dân tiến hành ")
            .f(I::InspectionBoardActivities)
            .t(" cuộc kiểm tra, giám sát (")
            .list(&kinds, ", ")
            .t(").")
            .done()
    } else {
        w.para()
            .t("Trong kỳ chưa ghi nhận cuộc kiểm tra, giám sát nào của Ban Thanh tra nhân dân.")
            .done()
    };
    let investment = if w.total(I::SupervisionBoardsCount) > 0 {
        w.para()
            .t("Thành lập ")
            .f(I::SupervisionBoardsCount)
            .t(" Ban Giám sát đầu tư của cộng đồng đối với các công trình, dự án trên địa bàn; các Ban tiến hành ")
            .f(I::SupervisionBoardsActivities)
            .t(" cuộc giám sát.")
            .done()
    } else {
        w.para()
            .t("Trong kỳ chưa thành lập Ban Giám sát đầu tư của cộng đồng nào.")
            .done()
    };
    let mut paragraphs = vec![board, investment];
    if w.total(I::InspectionsCount) > 0 {
        paragraphs.push(
            w.para()
                .t("Đảng ủy, Ủy ban Kiểm tra, Mặt trận Tổ quốc tiến hành ")
                .f(I::InspectionsCount)
                .t(" cuộc kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở.")
                .done(),
        );
    }
    section("5. Nhân dân kiểm tra, giám sát", paragraphs)
}

/// 6. Dialogue and what residents raised, followed to its resolution.
fn benefit(w: &mut Writer<'_>) -> Section {
    let p = if w.total(I::DialoguesCount) > 0 {
        w.para()
            .t("Người đứng đầu cấp ủy, chính quyền tổ chức ")
            .f(I::DialoguesCount)
            .t(" buổi tiếp xúc, đối thoại trực tiếp với ")
            .f(I::DialoguesParticipants)
            .t(" lượt người dự; tiếp nhận ")
            .f(I::OpinionsCount)
            .t(" ý kiến, kiến nghị, đã giải quyết xong ")
            .f(I::OpinionsResolved)
            .t(" ý kiến.")
            .done()
    } else {
        w.para()
            .t("Trong kỳ, hồ sơ chưa ghi nhận buổi tiếp xúc, đối thoại nào.")
            .done()
    };
    let passed = w
        .para()
        .t("Nhân dân được thụ hưởng kết quả của ")
        .f(I::CommunityDecisionsPassed)
        .t(" nội dung do chính Nhân dân quyết định và các công trình được giám sát; phần đánh giá đời sống, an sinh do Đảng ủy bổ sung.")
        .done();
    section(
        "6. Tiếp xúc, đối thoại; Nhân dân thụ hưởng",
        vec![p, passed],
    )
}

/// The indicators of the appendix, in its order.
const APPENDIX: &[I] = &[
    I::CommunityDecisionsCount,
    I::CommunityDecisionsPassed,
    I::CommunityDecisionsForm(DecisionForm::Meeting),
    I::CommunityDecisionsForm(DecisionForm::Ballot),
    I::CommunityDecisionsForm(DecisionForm::Online),
    I::ConsultationsCount,
    I::ConsultationsResponses,
    I::ConsultationsTakenUp,
    I::InspectionBoardActivities,
    I::SupervisionBoardsCount,
    I::SupervisionBoardsActivities,
    I::PublicityTotal,
    I::ConferencesCount,
    I::ConferencesAttendees,
    I::DialoguesCount,
    I::OpinionsCount,
    I::OpinionsResolved,
    I::InspectionsCount,
    I::ResidentialGroupsCount,
];

/// One column: the draft's range.
pub(super) fn appendix(w: &Writer<'_>, cx: &Context) -> Appendix {
    let rows = APPENDIX
        .iter()
        .filter_map(|id| w.figure(*id, None))
        .enumerate()
        .map(|(n, f)| AppendixRow {
            number: n + 1,
            name: f.indicator.name.clone(),
            unit: f.indicator.unit.to_string(),
            cells: vec![f],
        })
        .collect();
    Appendix {
        title: "PHỤ LỤC: SỐ LIỆU THI HÀNH LUẬT THỰC HIỆN DÂN CHỦ Ở CƠ SỞ".into(),
        columns: vec![super::wording::capitalise(&cx.range)],
        rows,
    }
}

pub(super) fn closing(cx: &Context) -> Vec<Paragraph> {
    vec![Paragraph {
        spans: vec![Span::Text(format!(
            "Trên đây là báo cáo sơ kết thi hành Luật Thực hiện dân chủ ở cơ sở của Đảng ủy {} {}.",
            cx.ward_text, cx.range
        ))],
    }]
}
