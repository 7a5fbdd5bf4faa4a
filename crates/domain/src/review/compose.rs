//! Composition: one function per section of the document, each returning its value;
//! [`compose`] puts them in order. Every figure is cited by its [`IndicatorId`].

use chrono::NaiveDate;

use crate::codes::*;
use crate::dates;
use crate::kinds::Kind;
use crate::report::{IndicatorId as I, Report};
use crate::ward::{NameFrom, Ward};

use super::compare::{appendix, comparison};
use super::document::{Paragraph, ReviewDocument, Section, Signature, Span};
use super::draft::ReviewDraft;
use super::wording::{
    body_place, capitalise, channel_phrase, conference_phrase, district_committee, document_phrase,
    header, prose, recipient_phrase, topic_phrase, ward_in_text,
};
use super::writer::Writer;

/// What the sections say of the ward and the range, worked out once.
pub(super) struct Context {
    /// `phường Ngọc Thụy`.
    pub(super) ward_text: String,
    /// `Quận ủy`, as named in text.
    committee: String,
    /// `Quận ủy Long Biên`, when the district is known.
    committee_full: Option<String>,
    /// `từ ngày 01/01/2014 đến ngày 27/06/2018`.
    pub(super) range: String,
    /// The range's last day.
    to: NaiveDate,
}

/// Composes the review document.
///
/// - `names`: the ward's names valid on the draft's date (`ward::names_on(history,
///   draft.date)`), so that a report about 2018 prints the 2018 district and superior body;
/// - `total`: the report over the draft's range with `Grouping::Total` — every figure in
///   the body comes from it;
/// - `by_period`: a report with `Grouping::Period` whose last period ends with the draft's
///   range (it may start earlier, to reach the previous periods): the comparison between
///   the last two periods and the appendix columns come from it;
/// - `estimated`: `(family, grid index, count)` of records marked as estimated over the
///   draft's range (`store::Store::estimated_counts` over the total grid); counts are
///   added up per family.
pub fn compose(
    draft: &ReviewDraft,
    ward: &Ward,
    names: Option<&NameFrom>,
    total: &Report,
    by_period: &Report,
    estimated: &[(Kind, usize, i64)],
) -> ReviewDocument {
    let mut w = Writer::new(total, by_period, estimated);
    let district = names
        .and_then(|n| n.district.as_deref())
        .or(ward.district.as_deref());
    let body = body_place(names.and_then(|n| n.superior_body.as_deref()));
    let (committee, committee_full) = district_committee(district.or(body.as_deref()));
    let cx = Context {
        ward_text: ward_in_text(ward),
        committee,
        committee_full,
        range: format!(
            "từ ngày {} đến ngày {}",
            dates::vn(total.from),
            dates::vn(total.to)
        ),
        to: total.to,
    };

    let (intro, mut sections, closing, appendix) = match draft.kind {
        ReviewKind::Directive30 => {
            let intro = intro(&mut w, &cx);
            let mut sections = vec![Section {
                level: 1,
                heading: "I. KẾT QUẢ THỰC HIỆN".into(),
                paragraphs: Vec::new(),
            }];
            sections.push(leadership(&mut w));
            sections.push(dissemination(&mut w, &cx));
            sections.push(publicity(&mut w));
            sections.push(dialogues(&mut w, &cx));
            sections.push(inspections(&mut w));
            sections.push(commendations(&mut w, &cx));
            sections.extend(comparison(&mut w));
            (intro, sections, closing(&cx), appendix(&w))
        }
        // The law's pillars; its figures only over the draft's range.
        ReviewKind::Law2022 => {
            let intro = super::law::intro(&mut w, &cx);
            let sections = super::law::results(&mut w);
            let appendix = super::law::appendix(&w, &cx);
            (intro, sections, super::law::closing(&cx), appendix)
        }
    };
    sections.extend(written_sections(draft));

    ReviewDocument {
        header: header(draft, ward, names),
        title: draft.title.to_uppercase(),
        subtitle: format!("({})", capitalise(&cx.range)),
        intro,
        sections,
        closing,
        signature: Signature {
            on_behalf: draft.on_behalf.to_uppercase(),
            title: draft.signer_title.to_uppercase(),
            name: draft.signer_name.clone().unwrap_or_default(),
        },
        recipients: recipients(draft, &cx),
        appendix,
        footnotes: w.footnotes,
    }
}

fn intro(w: &mut Writer<'_>, cx: &Context) -> Vec<Paragraph> {
    vec![w.para()
        .t("Thực hiện Chỉ thị số 30-CT/TW, ngày 18/02/1998 của Bộ Chính trị (khóa VIII) về xây dựng và thực hiện Quy chế dân chủ ở cơ sở (QCDC), Đảng ủy ")
        .t(&cx.ward_text)
        .t(" báo cáo kết quả lãnh đạo, chỉ đạo thực hiện QCDC trên địa bàn phường với ")
        .f(I::ResidentialGroupsCount)
        .t(" tổ dân phố, ")
        .t(&cx.range)
        .t(", như sau:")
        .done()]
}

/// 1. Leadership and direction.
fn leadership(w: &mut Writer<'_>) -> Section {
    let mut docs: Vec<(I, String)> = [
        DocumentKind::ConsolidateCommittee,
        DocumentKind::CommitteeRegulation,
        DocumentKind::EstablishCommittee,
        DocumentKind::Plan,
        DocumentKind::Guidance,
        DocumentKind::Report,
        DocumentKind::Other,
    ]
    .iter()
    .map(|k| (I::Document(*k), document_phrase(*k).to_string()))
    .collect();
    docs.retain(|(c, _)| w.total(*c) > 0);
    let mut paragraphs = Vec::new();
    paragraphs.push(
        w.para()
            .t("Đảng ủy xác định xây dựng và thực hiện QCDC là nhiệm vụ thường xuyên của cả hệ thống chính trị; Ban chỉ đạo thực hiện QCDC của phường được kiện toàn kịp thời mỗi khi có sự thay đổi về nhân sự, phân công nhiệm vụ cụ thể cho từng thành viên.")
            .done(),
    );
    paragraphs.push(if w.total(I::DocumentsCount) > 0 {
        w.para()
            .t("Đảng ủy, chính quyền và Ban chỉ đạo đã ban hành ")
            .f(I::DocumentsCount)
            .t(" văn bản lãnh đạo, chỉ đạo thực hiện QCDC, trong đó có ")
            .list(&docs, ", ")
            .t(".")
            .done()
    } else {
        w.para()
            .t("Trong kỳ chưa ghi nhận văn bản lãnh đạo, chỉ đạo nào về thực hiện QCDC.")
            .done()
    });
    Section {
        level: 2,
        heading: "1. Công tác lãnh đạo, chỉ đạo".into(),
        paragraphs,
    }
}

/// 2. Dissemination: the article's sentence, clause by clause.
fn dissemination(w: &mut Writer<'_>, cx: &Context) -> Section {
    let headline = headline(w, cx);
    let mut paragraphs = vec![
        w.para()
            .t("Đảng ủy chỉ đạo các chi bộ, Mặt trận Tổ quốc và các đoàn thể tuyên truyền, phổ biến sâu rộng Chỉ thị 30-CT/TW và các văn bản pháp luật về thực hiện dân chủ ở cơ sở đến cán bộ, đảng viên và nhân dân bằng nhiều hình thức phù hợp: qua hội nghị, hệ thống Đài truyền thanh, niêm yết công khai và thông qua tổ trưởng dân phố.")
            .done(),
        headline,
    ];
    let kinds: Vec<(I, String)> = ConferenceKind::ALL
        .iter()
        .map(|k| (I::ConferenceKind(*k), conference_phrase(*k).to_string()))
        .collect();
    if w.total(I::ConferencesCount) > 0 {
        paragraphs.push(
            w.para()
                .t("Trong số các hội nghị có ")
                .list(&kinds, "; ")
                .t(".")
                .done(),
        );
    }
    Section {
        level: 2,
        heading: "2. Công tác tuyên truyền, phổ biến".into(),
        paragraphs,
    }
}

/// The source article's sentence on conferences and publicity over the range.
fn headline(w: &mut Writer<'_>, cx: &Context) -> Paragraph {
    let mut headline = w.para().t(&capitalise(&cx.range)).t(", ");
    let mut clauses = 0;
    if headline.w.total(I::ConferencesCount) > 0 {
        headline = headline
            .t("đã tổ chức ")
            .f(I::ConferencesCount)
            .t(" lượt Hội nghị với ")
            .f(I::ConferencesAttendees)
            .t(" lượt người tham dự");
        clauses += 1;
    }
    for (id, before, after) in [
        (
            I::PublicityRadioQcdc,
            "tuyên truyền trên hệ thống Đài truyền thanh được ",
            " lượt tin, bài về thực hiện QCDC",
        ),
        (
            I::PublicityLandSiteClearance,
            "",
            " lượt thông báo về cấp giấy chứng nhận QSDĐ, về công khai công tác GPMB",
        ),
        (
            I::PublicityOrdinance34,
            "",
            " lượt tuyên truyền về Pháp lệnh 34",
        ),
    ] {
        if headline.w.total(id) == 0 {
            continue;
        }
        if clauses > 0 {
            headline = headline.t(", ");
        }
        // "tuyên truyền ... được" opens the publicity clauses when radio items exist;
        // otherwise the first clause carries the verb.
        let before = if before.is_empty() && clauses == 0 {
            "đã tuyên truyền "
        } else {
            before
        };
        headline = headline.t(before).f(id).t(after);
        clauses += 1;
    }
    if clauses == 0 {
        headline
            .t("chưa ghi nhận hội nghị hay tin, bài tuyên truyền nào.")
            .done()
    } else {
        headline.t(".").done()
    }
}

/// 3. Publicity by channel and topic.
fn publicity(w: &mut Writer<'_>) -> Section {
    let channels: Vec<(I, String)> = Channel::ALL
        .iter()
        .map(|c| {
            (
                I::PublicityChannel(*c),
                format!("lượt {}", channel_phrase(*c)),
            )
        })
        .collect();
    let topics: Vec<(I, String)> = Topic::ALL
        .iter()
        .map(|t| (I::PublicityTopic(*t), format!("lượt {}", topic_phrase(*t))))
        .collect();
    let paragraphs = if w.total(I::PublicityTotal) > 0 {
        vec![
            w.para()
                .t("Việc công khai các nội dung nhân dân được biết theo Pháp lệnh 34 được thực hiện thường xuyên, tổng số ")
                .f(I::PublicityTotal)
                .t(" lượt tin, bài, thông báo, công khai.")
                .done(),
            w.para()
                .t("Theo hình thức: ")
                .list(&channels, "; ")
                .t(".")
                .done(),
            w.para()
                .t("Theo nội dung: ")
                .list(&topics, "; ")
                .t(".")
                .done(),
        ]
    } else {
        vec![w
            .para()
            .t("Trong kỳ chưa ghi nhận tin, bài, thông báo công khai nào.")
            .done()]
    };
    Section {
        level: 2,
        heading: "3. Thực hiện công khai để nhân dân biết".into(),
        paragraphs,
    }
}

/// 4. Dialogues, the opinions raised in them, and hot spots.
fn dialogues(w: &mut Writer<'_>, cx: &Context) -> Section {
    let mut paragraphs = Vec::new();
    if w.total(I::DialoguesCount) > 0 {
        paragraphs.push(
            w.para()
                .t("Thực hiện kế hoạch tiếp xúc, đối thoại trực tiếp giữa người đứng đầu cấp ủy, chính quyền với Mặt trận Tổ quốc, các đoàn thể chính trị – xã hội và nhân dân, đã tổ chức ")
                .f(I::DialoguesCount)
                .t(" buổi tiếp xúc, đối thoại với ")
                .f(I::DialoguesParticipants)
                .t(" lượt người tham dự.")
                .done(),
        );
        paragraphs.push(opinions(w, cx));
    } else {
        paragraphs.push(
            w.para()
                .t("Trong kỳ chưa ghi nhận buổi tiếp xúc, đối thoại trực tiếp nào.")
                .done(),
        );
    }
    if w.total(I::HotSpotsOpened) > 0 || w.total(I::HotSpotsOpenAtEnd) > 0 {
        paragraphs.push(
            w.para()
                .t("Trong kỳ phát sinh ")
                .f(I::HotSpotsOpened)
                .t(" điểm nóng về an ninh, trật tự hoặc khiếu kiện đông người; đến ngày ")
                .t(&dates::vn(cx.to))
                .t(" còn ")
                .f(I::HotSpotsOpenAtEnd)
                .t(" điểm chưa giải quyết dứt điểm.")
                .done(),
        );
    }
    Section {
        level: 2,
        heading: "4. Tiếp xúc, đối thoại và giải quyết ý kiến, kiến nghị của nhân dân".into(),
        paragraphs,
    }
}

/// The opinions raised in the dialogues and how many were resolved.
fn opinions(w: &mut Writer<'_>, cx: &Context) -> Paragraph {
    if w.total(I::OpinionsCount) == 0 {
        return w
            .para()
            .t("Các buổi đối thoại không phát sinh ý kiến, kiến nghị cần giải quyết.")
            .done();
    }
    let p = w
        .para()
        .t("Tại các buổi đối thoại, nhân dân đã nêu ")
        .f(I::OpinionsCount)
        .t(" ý kiến, kiến nghị; đến ngày ")
        .t(&dates::vn(cx.to))
        .t(" đã giải quyết ")
        .f(I::OpinionsResolved)
        .t(" ý kiến, đạt ")
        .f(I::OpinionsResolutionRate);
    if p.w.total(I::OpinionsOpenAtEnd) > 0 {
        p.t(", còn ")
            .f(I::OpinionsOpenAtEnd)
            .t(" ý kiến đang tiếp tục được theo dõi, giải quyết.")
            .done()
    } else {
        p.t("; không còn ý kiến tồn đọng.").done()
    }
}

/// 5. Inspection and supervision.
fn inspections(w: &mut Writer<'_>) -> Section {
    let kinds: Vec<(I, String)> = InspectionKind::ALL
        .iter()
        .map(|k| {
            (
                I::InspectionKind(*k),
                format!("cuộc {}", k.label().to_lowercase()),
            )
        })
        .collect();
    let paragraph = if w.total(I::InspectionsCount) > 0 {
        let p = w
            .para()
            .t("Đảng ủy, Ủy ban Kiểm tra Đảng ủy, Ban chỉ đạo, Mặt trận Tổ quốc và Ban Thanh tra nhân dân đã tiến hành ")
            .f(I::InspectionsCount)
            .t(" cuộc kiểm tra, giám sát việc thực hiện QCDC tại các chi bộ, cơ quan, trường học và tổ dân phố");
        // The split only says something when both kinds took place.
        let held = kinds.iter().filter(|(c, _)| p.w.total(*c) > 0).count();
        if held > 1 {
            p.t(" (").list(&kinds, ", ").t(").").done()
        } else {
            p.t(".").done()
        }
    } else {
        w.para()
            .t("Trong kỳ chưa ghi nhận cuộc kiểm tra, giám sát nào về thực hiện QCDC.")
            .done()
    };
    Section {
        level: 2,
        heading: "5. Công tác kiểm tra, giám sát".into(),
        paragraphs: vec![paragraph],
    }
}

/// 6. Commendations.
fn commendations(w: &mut Writer<'_>, cx: &Context) -> Section {
    let paragraphs = if w.total(I::CommendationsCount) > 0 {
        vec![
            commendation_parts(w, cx),
            w.para()
                .t("Tổng số ")
                .f(I::CommendationsCount)
                .t(" lượt tập thể, cá nhân được biểu dương, khen thưởng các cấp.")
                .done(),
        ]
    } else {
        vec![w
            .para()
            .t("Trong kỳ chưa ghi nhận lượt khen thưởng, biểu dương nào.")
            .done()]
    };
    Section {
        level: 2,
        heading: "6. Công tác thi đua, khen thưởng".into(),
        paragraphs,
    }
}

/// Commendations by level: the ward's, the district proposals by recipient, the
/// district's and the city's.
fn commendation_parts(w: &mut Writer<'_>, cx: &Context) -> Paragraph {
    let mut p = w.para().t(
        "Hằng năm, Đảng ủy đánh giá, biểu dương, khen thưởng các tập thể, cá nhân có thành tích trong thực hiện QCDC",
    );
    let mut parts = 0;
    if p.w.total(I::CommendationsPartyCells) > 0 {
        p = p
            .t(": ")
            .f(I::CommendationsPartyCells)
            .t(" lượt chi bộ được biểu dương, khen thưởng");
        parts += 1;
    }
    if p.w.total(I::CommendationsDistrictProposals) > 0 {
        let split: Vec<(I, String)> = [
            RecipientKind::Individual,
            RecipientKind::PartyCell,
            RecipientKind::Collective,
        ]
        .iter()
        .map(|r| (I::DistrictProposals(*r), recipient_phrase(*r).to_string()))
        .collect();
        p = p
            .t(if parts > 0 { "; " } else { ": " })
            .t("đề nghị ")
            .t(&cx.committee)
            .t(" khen thưởng ")
            .list(&split, ", ");
        parts += 1;
    }
    for (id, phrase) in [
        (
            I::CommendationLevel(CommendationLevel::District),
            " lượt được cấp quận khen thưởng",
        ),
        (
            I::CommendationLevel(CommendationLevel::City),
            " lượt được cấp thành phố khen thưởng",
        ),
    ] {
        if p.w.total(id) > 0 {
            p = p.t(if parts > 0 { "; " } else { ": " }).f(id).t(phrase);
            parts += 1;
        }
    }
    p.t(".").done()
}

/// The parts the committee writes, with a hint where it has not yet.
fn written_sections(draft: &ReviewDraft) -> Vec<Section> {
    let written = |heading: &str, level: u8, text: &Option<String>, hint: &str| Section {
        level,
        heading: heading.into(),
        paragraphs: match text.as_deref().map(prose) {
            Some(p) if !p.is_empty() => p,
            _ => vec![Paragraph {
                spans: vec![Span::Placeholder(hint.into())],
            }],
        },
    };
    vec![
        Section {
            level: 1,
            heading: "II. HẠN CHẾ VÀ NGUYÊN NHÂN".into(),
            paragraphs: Vec::new(),
        },
        written(
            "1. Hạn chế",
            2,
            &draft.limitations,
            "(Đảng ủy bổ sung những hạn chế, tồn tại.)",
        ),
        written(
            "2. Nguyên nhân",
            2,
            &draft.causes,
            "(Đảng ủy bổ sung nguyên nhân khách quan, chủ quan.)",
        ),
        written(
            "III. BÀI HỌC KINH NGHIỆM",
            1,
            &draft.lessons,
            "(Đảng ủy bổ sung bài học kinh nghiệm.)",
        ),
        written(
            "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
            1,
            &draft.directions,
            "(Đảng ủy bổ sung phương hướng, nhiệm vụ.)",
        ),
        written(
            "V. KIẾN NGHỊ, ĐỀ XUẤT",
            1,
            &draft.recommendations,
            "(Đảng ủy bổ sung kiến nghị, đề xuất.)",
        ),
    ]
}

fn closing(cx: &Context) -> Vec<Paragraph> {
    vec![Paragraph {
        spans: vec![Span::Text(format!(
            "Trên đây là báo cáo tổng kết công tác xây dựng và thực hiện Quy chế dân chủ ở cơ sở của Đảng ủy {} {}.",
            cx.ward_text, cx.range
        ))],
    }]
}

/// "Nơi nhận": the draft's lines, or the usual list from the ward's names.
fn recipients(draft: &ReviewDraft, cx: &Context) -> Vec<String> {
    match draft.recipients.as_deref() {
        Some(r) => r
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '–']).trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        None => vec![
            match &cx.committee_full {
                Some(c) => format!("Ban Thường vụ {c} (để báo cáo),"),
                None => "Cấp ủy cấp trên (để báo cáo),".to_string(),
            },
            "Các đồng chí Đảng ủy viên,".into(),
            "Các chi bộ trực thuộc,".into(),
            "Lưu Văn phòng Đảng ủy.".into(),
        ],
    }
}
