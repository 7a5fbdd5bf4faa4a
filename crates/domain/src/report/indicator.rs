//! Indicator definitions: what each indicator measures ([`Measure`]), its name and
//! unit, the record list behind each figure, and the list of all indicators in report
//! order.

use std::sync::OnceLock;

use super::id::IndicatorId;
use super::period::Period;
use crate::codes::*;
use crate::filter::RecordFilter;
use crate::kinds::Kind;

/// What an indicator measures, in terms of the facts the store aggregates.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// Conferences held (of one kind), or their attendances.
    Conferences {
        kind: Option<ConferenceKind>,
        attendees: bool,
    },
    /// Sum of `count` (lượt) of publicity items on any of `channels` (all if empty)
    /// and any of `topics` (all if empty).
    Publicity {
        channels: Vec<Channel>,
        topics: Vec<Topic>,
    },
    Dialogues {
        participants: bool,
    },
    /// Opinions raised in dialogues held in the period.
    OpinionsRaised,
    /// Of those, resolved on or before the period's last day.
    OpinionsResolved,
    /// Resolved during the period, whenever raised.
    OpinionsResolvedDuring,
    /// Of those, not resolved by the period's last day.
    OpinionsOpenAtEnd,
    /// Resolved ÷ raised, in percent.
    OpinionsResolutionRate,
    Documents {
        kind: Option<DocumentKind>,
    },
    Inspections {
        kind: Option<InspectionKind>,
    },
    Commendations {
        level: Option<CommendationLevel>,
        recipient: Option<RecipientKind>,
    },
    /// Residential groups active on the period's last day.
    GroupsActive,
    HotSpotsOpened,
    /// Hot spots opened by the period's end and not resolved by then.
    HotSpotsOpenAtEnd,
    /// Community decisions (of one form), or those of them that passed by the law's
    /// majority rule.
    Decisions {
        form: Option<DecisionForm>,
        passed: bool,
    },
    /// Consultations held, or their responses, or the responses taken up.
    Consultations(ConsultationFigure),
    /// People's Inspection Board activities (of one kind).
    InspectionBoard {
        kind: Option<InspectionKind>,
    },
    /// Community investment supervision boards set up.
    SupervisionBoards,
    SupervisionActivities,
    /// Postings up for fewer days than the ward's minimum.
    ShortPostings,
    /// Broadcasts the law asks for that went out on fewer days than the minimum.
    ShortBroadcasts,
}

/// Which figure of the consultations an indicator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsultationFigure {
    Count,
    Responses,
    TakenUp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: IndicatorId,
    /// Stable code, the contract with CSV consumers: `id.code()`.
    pub code: String,
    pub name: String,
    pub unit: &'static str,
    /// One line shown on the report page.
    pub definition: String,
    pub measure: Measure,
    /// Shown in the main table and chart (the rest are breakdowns).
    pub main: bool,
}

impl Indicator {
    /// Whether the figures over disjoint periods add up to the figure over their union.
    pub fn additive(&self) -> bool {
        !matches!(
            self.measure,
            Measure::GroupsActive
                | Measure::OpinionsResolutionRate
                | Measure::OpinionsOpenAtEnd
                | Measure::HotSpotsOpenAtEnd
                | Measure::OpinionsResolved
        )
    }

    /// An indicator of the 2022 law's registers (shown in their own table).
    pub fn is_law(&self) -> bool {
        matches!(
            self.measure,
            Measure::Decisions { .. }
                | Measure::Consultations(_)
                | Measure::InspectionBoard { .. }
                | Measure::SupervisionBoards
                | Measure::SupervisionActivities
        )
    }

    /// The record list behind a figure: the kind and its filter. The list's count (or
    /// its sum) equals the figure.
    pub fn drilldown(&self, p: &Period) -> Option<(Kind, RecordFilter)> {
        let range = || RecordFilter::range(p.start, p.end);
        Some(match &self.measure {
            Measure::Conferences { kind, .. } => {
                (Kind::Conferences, range().with_code("kind", *kind))
            }
            Measure::Publicity { channels, topics } => (
                Kind::Publicity,
                range()
                    .with_codes("channel", channels)
                    .with_codes("topic", topics),
            ),
            Measure::Dialogues { .. } => (Kind::Dialogues, range()),
            Measure::OpinionsRaised => (Kind::Opinions, range()),
            Measure::OpinionsResolvedDuring => (
                Kind::Opinions,
                RecordFilter {
                    resolved_from: Some(p.start),
                    resolved_by: Some(p.end),
                    ..RecordFilter::default()
                },
            ),
            Measure::OpinionsResolved => (
                Kind::Opinions,
                RecordFilter {
                    resolved_by: Some(p.end),
                    ..range()
                },
            ),
            Measure::OpinionsOpenAtEnd => (
                Kind::Opinions,
                RecordFilter {
                    open_at: Some(p.end),
                    ..range()
                },
            ),
            Measure::OpinionsResolutionRate => return None,
            Measure::Documents { kind } => (Kind::Documents, range().with_code("kind", *kind)),
            Measure::Inspections { kind } => (Kind::Inspections, range().with_code("kind", *kind)),
            Measure::Commendations { level, recipient } => (
                Kind::Commendations,
                range()
                    .with_code("level", *level)
                    .with_code("recipient_kind", *recipient),
            ),
            Measure::GroupsActive => (
                Kind::ResidentialGroups,
                RecordFilter {
                    active_on: Some(p.end),
                    ..RecordFilter::default()
                },
            ),
            Measure::HotSpotsOpened => (Kind::HotSpots, range()),
            Measure::Decisions { form, passed } => (
                Kind::CommunityDecisions,
                RecordFilter {
                    passed: *passed,
                    ..range().with_code("form", *form)
                },
            ),
            // The list sums responses; the responses taken up are in each record.
            Measure::Consultations(ConsultationFigure::TakenUp) => return None,
            Measure::Consultations(_) => (Kind::Consultations, range()),
            Measure::InspectionBoard { kind } => (
                Kind::InspectionBoardActivities,
                range().with_code("kind", *kind),
            ),
            Measure::SupervisionBoards => (Kind::SupervisionBoards, range()),
            Measure::SupervisionActivities => (Kind::SupervisionActivities, range()),
            // The days between two dates are counted in the domain, not in a filter;
            // the dashboard lists these records.
            Measure::ShortPostings | Measure::ShortBroadcasts => return None,
            Measure::HotSpotsOpenAtEnd => (
                Kind::HotSpots,
                RecordFilter {
                    to: Some(p.end),
                    open_at: Some(p.end),
                    ..RecordFilter::default()
                },
            ),
        })
    }

    /// The family of records the figure comes from (for estimate footnotes).
    pub fn family(&self) -> Kind {
        match &self.measure {
            Measure::Conferences { .. } => Kind::Conferences,
            Measure::Publicity { .. } => Kind::Publicity,
            Measure::Dialogues { .. } => Kind::Dialogues,
            Measure::OpinionsRaised
            | Measure::OpinionsResolvedDuring
            | Measure::OpinionsResolved
            | Measure::OpinionsOpenAtEnd
            | Measure::OpinionsResolutionRate => Kind::Opinions,
            Measure::Documents { .. } => Kind::Documents,
            Measure::Inspections { .. } => Kind::Inspections,
            Measure::Commendations { .. } => Kind::Commendations,
            Measure::GroupsActive => Kind::ResidentialGroups,
            Measure::HotSpotsOpened | Measure::HotSpotsOpenAtEnd => Kind::HotSpots,
            Measure::Decisions { .. } => Kind::CommunityDecisions,
            Measure::Consultations(_) => Kind::Consultations,
            Measure::InspectionBoard { .. } => Kind::InspectionBoardActivities,
            Measure::SupervisionBoards => Kind::SupervisionBoards,
            Measure::SupervisionActivities => Kind::SupervisionActivities,
            Measure::ShortPostings | Measure::ShortBroadcasts => Kind::Publicity,
        }
    }
}

fn ind(
    id: IndicatorId,
    name: &str,
    unit: &'static str,
    definition: &str,
    measure: Measure,
    main: bool,
) -> Indicator {
    Indicator {
        id,
        code: id.code(),
        name: name.into(),
        unit,
        definition: definition.into(),
        measure,
        main,
    }
}

/// Every indicator, in report order. The first sixteen are the main ones of the design, with
/// exactly those meanings; breakdowns follow their family.
pub fn indicators() -> &'static [Indicator] {
    static ALL: OnceLock<Vec<Indicator>> = OnceLock::new();
    ALL.get_or_init(build_indicators)
}

/// The definition of an indicator.
pub fn indicator(id: IndicatorId) -> Option<&'static Indicator> {
    indicators().iter().find(|i| i.id == id)
}

/// The indicator with a stable code, for codes read from outside.
pub fn indicator_by_code(code: &str) -> Option<&'static Indicator> {
    indicators().iter().find(|i| i.code == code)
}

fn build_indicators() -> Vec<Indicator> {
    use IndicatorId as I;
    use Measure as M;
    let mut v = vec![
        ind(I::ConferencesCount, "Hội nghị đã tổ chức", "hội nghị", "Số hội nghị tổ chức trong kỳ (mọi loại).", M::Conferences { kind: None, attendees: false }, true),
        ind(I::ConferencesAttendees, "Lượt người dự hội nghị", "lượt người", "Tổng số lượt người dự các hội nghị trong kỳ.", M::Conferences { kind: None, attendees: true }, true),
        ind(I::PublicityRadioQcdc, "Tin, bài về QCDC trên Đài truyền thanh", "lượt", "Tổng số lượt tin, bài phát trên Đài truyền thanh với nội dung thực hiện QCDC.", M::Publicity { channels: vec![Channel::Radio], topics: vec![Topic::Qcdc] }, true),
        ind(I::PublicityLandSiteClearance, "Thông báo về cấp GCN QSDĐ, GPMB", "lượt", "Tổng số lượt thông báo về cấp giấy chứng nhận QSDĐ hoặc bồi thường, GPMB, mọi hình thức.", M::Publicity { channels: vec![], topics: vec![Topic::LandCertificate, Topic::SiteClearance] }, true),
        ind(I::PublicityOrdinance34, "Tuyên truyền về Pháp lệnh 34", "lượt", "Tổng số lượt tuyên truyền về Pháp lệnh 34/2007/PL-UBTVQH11, mọi hình thức.", M::Publicity { channels: vec![], topics: vec![Topic::Ordinance34] }, true),
        ind(I::PublicityTotal, "Tổng số lượt tin bài, thông báo, công khai", "lượt", "Tổng số lượt của mọi tin bài, thông báo, niêm yết trong kỳ.", M::Publicity { channels: vec![], topics: vec![] }, true),
        ind(I::DialoguesCount, "Buổi tiếp xúc, đối thoại trực tiếp", "buổi", "Số buổi tiếp xúc, đối thoại giữa người đứng đầu cấp ủy, chính quyền với nhân dân.", M::Dialogues { participants: false }, true),
        ind(I::DialoguesParticipants, "Lượt người dự tiếp xúc, đối thoại", "lượt người", "Tổng số người tham dự các buổi tiếp xúc, đối thoại.", M::Dialogues { participants: true }, true),
        ind(I::OpinionsCount, "Ý kiến, kiến nghị được nêu", "ý kiến", "Số ý kiến, kiến nghị nêu tại các buổi đối thoại tổ chức trong kỳ.", M::OpinionsRaised, true),
        ind(I::OpinionsResolved, "Ý kiến nêu trong kỳ đã giải quyết đến cuối kỳ", "ý kiến", "Trong số ý kiến, kiến nghị nêu trong kỳ, số đã giải quyết xong đến ngày cuối kỳ. Không cộng dồn: mỗi kỳ chỉ tính ý kiến nêu trong kỳ đó, nên tổng cả giai đoạn có thể lớn hơn tổng các năm.", M::OpinionsResolved, true),
        ind(I::Document(DocumentKind::ConsolidateCommittee), "Quyết định kiện toàn Ban chỉ đạo", "văn bản", "Số quyết định kiện toàn Ban chỉ đạo thực hiện QCDC.", M::Documents { kind: Some(DocumentKind::ConsolidateCommittee) }, true),
        ind(I::Document(DocumentKind::CommitteeRegulation), "Quyết định về Quy chế hoạt động của BCĐ", "văn bản", "Số quyết định ban hành, sửa đổi Quy chế hoạt động của Ban chỉ đạo.", M::Documents { kind: Some(DocumentKind::CommitteeRegulation) }, true),
        ind(I::InspectionsCount, "Cuộc kiểm tra, giám sát", "cuộc", "Số cuộc kiểm tra, giám sát việc thực hiện QCDC.", M::Inspections { kind: None }, true),
        ind(I::CommendationsPartyCells, "Lượt chi bộ được khen thưởng, biểu dương", "lượt", "Số lượt khen thưởng, biểu dương cấp phường cho chi bộ.", M::Commendations { level: Some(CommendationLevel::Ward), recipient: Some(RecipientKind::PartyCell) }, true),
        ind(I::CommendationsDistrictProposals, "Đề nghị cấp quận khen thưởng", "lượt", "Số lượt đề nghị Quận ủy khen thưởng (tập thể, cá nhân).", M::Commendations { level: Some(CommendationLevel::DistrictProposal), recipient: None }, true),
        ind(I::ResidentialGroupsCount, "Tổ dân phố", "tổ", "Số tổ dân phố đang hoạt động vào ngày cuối kỳ.", M::GroupsActive, true),
    ];
    v.push(ind(
        I::OpinionsOpenAtEnd,
        "Ý kiến còn đang giải quyết cuối kỳ",
        "ý kiến",
        "Ý kiến nêu trong kỳ chưa giải quyết xong đến ngày cuối kỳ.",
        M::OpinionsOpenAtEnd,
        false,
    ));
    v.push(ind(
        I::OpinionsResolutionRate,
        "Tỷ lệ ý kiến nêu trong kỳ đã giải quyết đến cuối kỳ",
        "%",
        "Ý kiến đã giải quyết đến cuối kỳ trên tổng số ý kiến nêu trong kỳ.",
        M::OpinionsResolutionRate,
        false,
    ));
    v.push(ind(
        I::OpinionsResolvedInPeriod,
        "Ý kiến, kiến nghị giải quyết xong trong kỳ",
        "ý kiến",
        "Số ý kiến, kiến nghị có ngày giải quyết xong trong kỳ, dù được nêu từ kỳ nào; cộng dồn được qua các kỳ (khác với chỉ tiêu «ý kiến nêu trong kỳ đã giải quyết đến cuối kỳ»).",
        M::OpinionsResolvedDuring,
        true,
    ));
    for k in ConferenceKind::ALL {
        v.push(ind(
            I::ConferenceKind(*k),
            &format!("Hội nghị: {}", k.label()),
            "hội nghị",
            &format!("Số hội nghị loại «{}».", k.label()),
            M::Conferences {
                kind: Some(*k),
                attendees: false,
            },
            false,
        ));
    }
    for c in Channel::ALL {
        v.push(ind(
            I::PublicityChannel(*c),
            &format!("Tin bài, thông báo qua {}", c.label().to_lowercase()),
            "lượt",
            &format!("Tổng số lượt qua hình thức «{}».", c.label()),
            M::Publicity {
                channels: vec![*c],
                topics: vec![],
            },
            false,
        ));
    }
    for t in Topic::ALL {
        v.push(ind(
            I::PublicityTopic(*t),
            &format!("Tin bài, thông báo về {}", t.label()),
            "lượt",
            &format!("Tổng số lượt có nội dung «{}», mọi hình thức.", t.label()),
            M::Publicity {
                channels: vec![],
                topics: vec![*t],
            },
            false,
        ));
    }
    v.push(ind(
        I::DocumentsCount,
        "Văn bản lãnh đạo, chỉ đạo",
        "văn bản",
        "Tổng số văn bản (mọi loại) về thực hiện QCDC.",
        M::Documents { kind: None },
        false,
    ));
    for k in DocumentKind::ALL.iter().filter(|k| {
        !matches!(
            k,
            DocumentKind::ConsolidateCommittee | DocumentKind::CommitteeRegulation
        )
    }) {
        v.push(ind(
            I::Document(*k),
            &format!("Văn bản: {}", k.label()),
            "văn bản",
            &format!("Số văn bản loại «{}».", k.label()),
            M::Documents { kind: Some(*k) },
            false,
        ));
    }
    for k in InspectionKind::ALL {
        v.push(ind(
            I::InspectionKind(*k),
            &format!("Số cuộc {}", k.label().to_lowercase()),
            "cuộc",
            &format!("Số cuộc «{}».", k.label()),
            M::Inspections { kind: Some(*k) },
            false,
        ));
    }
    v.push(ind(
        I::CommendationsCount,
        "Tổng số lượt khen thưởng, biểu dương",
        "lượt",
        "Mọi cấp, mọi đối tượng.",
        M::Commendations {
            level: None,
            recipient: None,
        },
        false,
    ));
    for l in CommendationLevel::ALL {
        v.push(ind(
            I::CommendationLevel(*l),
            &format!("Khen thưởng: {}", l.label()),
            "lượt",
            &format!("Số lượt khen thưởng «{}».", l.label()),
            M::Commendations {
                level: Some(*l),
                recipient: None,
            },
            false,
        ));
    }
    v.push(ind(
        I::HotSpotsOpened,
        "Điểm nóng phát sinh",
        "điểm",
        "Số điểm nóng phát sinh trong kỳ.",
        M::HotSpotsOpened,
        false,
    ));
    v.push(ind(
        I::HotSpotsOpenAtEnd,
        "Điểm nóng chưa giải quyết cuối kỳ",
        "điểm",
        "Số điểm nóng đã phát sinh mà chưa giải quyết xong vào ngày cuối kỳ.",
        M::HotSpotsOpenAtEnd,
        false,
    ));
    // Added after the existing codes, whose order CSV consumers may rely on: the district
    // proposals by recipient, for the review draft ("đề nghị Quận ủy khen thưởng 1 cá
    // nhân, 1 chi bộ").
    for r in RecipientKind::ALL {
        v.push(ind(
            I::DistrictProposals(*r),
            &format!("Đề nghị cấp quận khen thưởng: {}", r.label().to_lowercase()),
            "lượt",
            &format!(
                "Số lượt đề nghị Quận ủy khen thưởng, đối tượng «{}».",
                r.label()
            ),
            M::Commendations {
                level: Some(CommendationLevel::DistrictProposal),
                recipient: Some(*r),
            },
            false,
        ));
    }
    law_indicators(&mut v);
    v.push(ind(
        I::PublicityPostingsShort,
        "Niêm yết chưa đủ thời gian tối thiểu",
        "tin",
        "Số tin niêm yết (có ngày bắt đầu và kết thúc) niêm yết ít ngày hơn mức tối thiểu của phường (mặc định 30 ngày, cả hai ngày đầu, cuối).",
        M::ShortPostings,
        false,
    ));
    v.push(ind(
        I::PublicityBroadcastsShort,
        "Tin phát trên Đài truyền thanh chưa đủ số ngày liên tục",
        "tin",
        "Từ 01/07/2023, số tin về bồi thường, GPMB, đất đai, quy hoạch, ngân sách phát trên Đài truyền thanh ít lượt hơn số ngày liên tục tối thiểu của phường (mặc định 3 ngày).",
        M::ShortBroadcasts,
        false,
    ));
    v
}

/// The 2022 law's registers (Law 10/2022/QH15), after every older code. None is a main
/// indicator: the main ones are Directive 30's review appendix; the law's review reads
/// these by their ids.
fn law_indicators(v: &mut Vec<Indicator>) {
    use ConsultationFigure as C;
    use IndicatorId as I;
    use Measure as M;
    let decisions = |form, passed| M::Decisions { form, passed };
    v.push(ind(
        I::CommunityDecisionsCount,
        "Nội dung Nhân dân bàn và quyết định",
        "nội dung",
        "Số nội dung các hộ gia đình tổ dân phố bàn và biểu quyết trong kỳ (họp, phát phiếu hoặc trực tuyến), mọi kết quả.",
        decisions(None, false),
        false,
    ));
    v.push(ind(
        I::CommunityDecisionsPassed,
        "Nội dung Nhân dân quyết định được thông qua",
        "nội dung",
        "Trong đó, số nội dung được thông qua theo Luật Thực hiện dân chủ ở cơ sở: trên một nửa tổng số hộ gia đình của tổ tán thành (đúng một nửa là chưa đạt).",
        decisions(None, true),
        false,
    ));
    for f in DecisionForm::ALL {
        let (name, definition) = match f {
            DecisionForm::Meeting => (
                "Nội dung quyết định tại cuộc họp cộng đồng dân cư",
                "Số nội dung đưa ra biểu quyết tại cuộc họp cộng đồng dân cư, mọi kết quả (kể cả cuộc họp không đủ trên một nửa số hộ dự).",
            ),
            DecisionForm::Ballot => (
                "Nội dung quyết định bằng phiếu lấy ý kiến hộ gia đình",
                "Số nội dung quyết định bằng phát phiếu lấy ý kiến hộ gia đình, mọi kết quả.",
            ),
            DecisionForm::Online => (
                "Nội dung quyết định bằng biểu quyết trực tuyến",
                "Số nội dung quyết định bằng biểu quyết trực tuyến, mọi kết quả.",
            ),
        };
        v.push(ind(
            I::CommunityDecisionsForm(*f),
            name,
            "nội dung",
            definition,
            decisions(Some(*f), false),
            false,
        ));
    }
    v.push(ind(
        I::ConsultationsCount,
        "Đợt lấy ý kiến Nhân dân",
        "đợt",
        "Số đợt lấy ý kiến Nhân dân (dự thảo kế hoạch, quy hoạch, bồi thường, GPMB, địa giới…) bắt đầu trong kỳ.",
        M::Consultations(C::Count),
        false,
    ));
    v.push(ind(
        I::ConsultationsResponses,
        "Ý kiến Nhân dân tham gia",
        "ý kiến",
        "Tổng số ý kiến nhận được trong các đợt lấy ý kiến bắt đầu trong kỳ.",
        M::Consultations(C::Responses),
        false,
    ));
    v.push(ind(
        I::ConsultationsTakenUp,
        "Ý kiến Nhân dân được tiếp thu",
        "ý kiến",
        "Tổng số ý kiến được tiếp thu trong các đợt lấy ý kiến bắt đầu trong kỳ.",
        M::Consultations(C::TakenUp),
        false,
    ));
    v.push(ind(
        I::InspectionBoardActivities,
        "Cuộc kiểm tra, giám sát của Ban Thanh tra nhân dân",
        "cuộc",
        "Số cuộc kiểm tra, giám sát do Ban Thanh tra nhân dân thực hiện trong kỳ.",
        M::InspectionBoard { kind: None },
        false,
    ));
    for k in InspectionKind::ALL {
        v.push(ind(
            I::InspectionBoardKind(*k),
            &format!("Ban Thanh tra nhân dân: {}", k.label().to_lowercase()),
            "cuộc",
            &format!("Số cuộc «{}» của Ban Thanh tra nhân dân.", k.label()),
            M::InspectionBoard { kind: Some(*k) },
            false,
        ));
    }
    v.push(ind(
        I::SupervisionBoardsCount,
        "Ban Giám sát đầu tư của cộng đồng được thành lập",
        "ban",
        "Số Ban Giám sát đầu tư của cộng đồng thành lập trong kỳ (mỗi công trình, dự án một ban).",
        M::SupervisionBoards,
        false,
    ));
    v.push(ind(
        I::SupervisionBoardsActivities,
        "Cuộc giám sát đầu tư của cộng đồng",
        "cuộc",
        "Số cuộc giám sát của các Ban Giám sát đầu tư của cộng đồng trong kỳ.",
        M::SupervisionActivities,
        false,
    ));
}
