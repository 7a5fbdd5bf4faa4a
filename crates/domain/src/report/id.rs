//! Indicator identifiers checked by the compiler. Code that cites an indicator (the
//! review draft, the dashboard, the chart) names an [`IndicatorId`]; a misspelt one does
//! not compile. The string codes of the CSV contract are derived from it in one place,
//! [`IndicatorId::code`].

use crate::codes::*;

/// One indicator of [`super::indicators`]. Breakdowns carry the code they break down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndicatorId {
    ConferencesCount,
    ConferencesAttendees,
    PublicityRadioQcdc,
    PublicityLandSiteClearance,
    PublicityOrdinance34,
    PublicityTotal,
    DialoguesCount,
    DialoguesParticipants,
    OpinionsCount,
    OpinionsResolved,
    OpinionsResolvedInPeriod,
    OpinionsOpenAtEnd,
    OpinionsResolutionRate,
    /// `documents.count`.
    DocumentsCount,
    /// Documents of one kind: `documents.consolidate_committee` and
    /// `documents.committee_regulation` (main indicators), `documents.kind.<code>`.
    Document(DocumentKind),
    InspectionsCount,
    CommendationsPartyCells,
    CommendationsDistrictProposals,
    CommendationsCount,
    ResidentialGroupsCount,
    ConferenceKind(ConferenceKind),
    PublicityChannel(Channel),
    PublicityTopic(Topic),
    InspectionKind(InspectionKind),
    CommendationLevel(CommendationLevel),
    /// District proposals for one kind of recipient.
    DistrictProposals(RecipientKind),
    HotSpotsOpened,
    HotSpotsOpenAtEnd,
    /// The 2022 law's registers.
    CommunityDecisionsCount,
    CommunityDecisionsPassed,
    /// Community decisions taken in one form: `community_decisions.by_meeting`,
    /// `.by_ballot`, `.by_online`.
    CommunityDecisionsForm(DecisionForm),
    ConsultationsCount,
    ConsultationsResponses,
    ConsultationsTakenUp,
    InspectionBoardActivities,
    InspectionBoardKind(InspectionKind),
    SupervisionBoardsCount,
    SupervisionBoardsActivities,
    /// Postings shorter than the ward's minimum, broadcasts on fewer days.
    PublicityPostingsShort,
    PublicityBroadcastsShort,
}

impl IndicatorId {
    /// The stable code, the contract with CSV consumers (`conferences.count`).
    pub fn code(self) -> String {
        use IndicatorId as I;
        let fixed = match self {
            I::ConferencesCount => "conferences.count",
            I::ConferencesAttendees => "conferences.attendees",
            I::PublicityRadioQcdc => "publicity.radio_qcdc",
            I::PublicityLandSiteClearance => "publicity.land_site_clearance",
            I::PublicityOrdinance34 => "publicity.ordinance34",
            I::PublicityTotal => "publicity.total",
            I::DialoguesCount => "dialogues.count",
            I::DialoguesParticipants => "dialogues.participants",
            I::OpinionsCount => "opinions.count",
            I::OpinionsResolved => "opinions.resolved",
            I::OpinionsResolvedInPeriod => "opinions.resolved_in_period",
            I::OpinionsOpenAtEnd => "opinions.open_at_end",
            I::OpinionsResolutionRate => "opinions.resolution_rate",
            I::DocumentsCount => "documents.count",
            I::Document(DocumentKind::ConsolidateCommittee) => "documents.consolidate_committee",
            I::Document(DocumentKind::CommitteeRegulation) => "documents.committee_regulation",
            I::Document(k) => return format!("documents.kind.{}", k.code()),
            I::InspectionsCount => "inspections.count",
            I::CommendationsPartyCells => "commendations.party_cells",
            I::CommendationsDistrictProposals => "commendations.district_proposals",
            I::CommendationsCount => "commendations.count",
            I::ResidentialGroupsCount => "residential_groups.count",
            I::ConferenceKind(k) => return format!("conferences.kind.{}", k.code()),
            I::PublicityChannel(c) => return format!("publicity.channel.{}", c.code()),
            I::PublicityTopic(t) => return format!("publicity.topic.{}", t.code()),
            I::InspectionKind(k) => return format!("inspections.kind.{}", k.code()),
            I::CommendationLevel(l) => return format!("commendations.level.{}", l.code()),
            I::DistrictProposals(r) => {
                return format!("commendations.district_proposals.{}", r.code())
            }
            I::HotSpotsOpened => "hot_spots.opened",
            I::HotSpotsOpenAtEnd => "hot_spots.open_at_end",
            I::CommunityDecisionsCount => "community_decisions.count",
            I::CommunityDecisionsPassed => "community_decisions.passed",
            I::CommunityDecisionsForm(f) => return format!("community_decisions.by_{}", f.code()),
            I::ConsultationsCount => "consultations.count",
            I::ConsultationsResponses => "consultations.responses",
            I::ConsultationsTakenUp => "consultations.taken_up",
            I::InspectionBoardActivities => "inspection_board.activities",
            I::InspectionBoardKind(k) => return format!("inspection_board.kind.{}", k.code()),
            I::SupervisionBoardsCount => "supervision_boards.count",
            I::SupervisionBoardsActivities => "supervision_boards.activities",
            I::PublicityPostingsShort => "publicity.postings_short",
            I::PublicityBroadcastsShort => "publicity.broadcasts_short",
        };
        fixed.to_string()
    }

    /// The identifier of a code, for codes read from outside (a file, a query).
    pub fn parse(code: &str) -> Option<IndicatorId> {
        super::indicator_by_code(code).map(|i| i.id)
    }
}

impl std::fmt::Display for IndicatorId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}
