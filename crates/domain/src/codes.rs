//! Enumerations with their stable codes (DESIGN §4) and Vietnamese labels.
//! Codes are the contract with CSV files and other tools; labels are what users see.
//! Parsing accepts either, ignoring case and surrounding spaces.

/// What every enumeration offers: its code, its label, all its values.
pub trait Code: Copy + Eq + std::fmt::Debug + Send + Sync + 'static {
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;

    /// By code or by Vietnamese label.
    fn parse(s: &str) -> Option<Self> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        // A code as stored and written in files: no folding (the store reads codes
        // by the million in a city's roll-up).
        if let Some(v) = Self::ALL.iter().copied().find(|v| v.code() == t) {
            return Some(v);
        }
        let lower = t.to_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == lower || v.label().to_lowercase() == lower)
    }

    /// The codes, separated by `|`, for error messages.
    fn codes_list() -> String {
        Self::ALL
            .iter()
            .map(|v| v.code())
            .collect::<Vec<_>>()
            .join("|")
    }
}

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($var),+ }
        impl Code for $name {
            const ALL: &'static [$name] = &[$($name::$var),+];
            fn code(self) -> &'static str { match self { $($name::$var => $code),+ } }
            fn label(self) -> &'static str { match self { $($name::$var => $label),+ } }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label()) }
        }
    };
}
code_enum! {
    /// How much of a former ward passed into its successor (`domain::lineage`).
    Share {
        Whole => "whole", "toàn bộ";
        Part => "part", "một phần";
    }
}

code_enum! {
    /// Kind of party cell (chi bộ).
    PartyCellKind {
        Residential => "residential", "Khu dân cư";
        Agency => "agency", "Cơ quan";
        School => "school", "Trường học";
        Enterprise => "enterprise", "Doanh nghiệp";
        Police => "police", "Công an";
        Military => "military", "Quân sự";
        Other => "other", "Khác";
    }
}

code_enum! {
    /// Kind of conference (hội nghị).
    ConferenceKind {
        Dissemination => "dissemination", "Phổ biến, tuyên truyền";
        Training => "training", "Tập huấn, bồi dưỡng";
        Review => "review", "Sơ kết, tổng kết";
        ResidentsMeeting => "residents_meeting", "Hội nghị nhân dân";
        Briefing => "briefing", "Giao ban";
        Other => "other", "Khác";
    }
}

code_enum! {
    /// Who organised a conference.
    Organiser {
        PartyCommittee => "party_committee", "Đảng ủy";
        PeopleCommittee => "people_committee", "UBND phường";
        SteeringCommittee => "steering_committee", "Ban chỉ đạo QCDC";
        Front => "front", "Ủy ban MTTQ";
        MassOrganisation => "mass_organisation", "Đoàn thể";
        PartyCell => "party_cell", "Chi bộ";
        ResidentialGroup => "residential_group", "Tổ dân phố";
    }
}

code_enum! {
    /// Publicity channel.
    Channel {
        Radio => "radio", "Đài truyền thanh";
        Posting => "posting", "Niêm yết";
        Portal => "portal", "Cổng thông tin điện tử";
        Meeting => "meeting", "Qua hội nghị";
        GroupLeader => "group_leader", "Qua tổ trưởng dân phố";
        Written => "written", "Văn bản";
    }
}

code_enum! {
    /// Publicity or conference topic.
    Topic {
        Qcdc => "qcdc", "Thực hiện QCDC";
        LandCertificate => "land_certificate", "Cấp GCN QSDĐ";
        SiteClearance => "site_clearance", "Bồi thường, GPMB";
        Ordinance34 => "ordinance34", "Pháp lệnh 34";
        Decree04 => "decree04", "Nghị định 04/2015";
        Law2022 => "law2022", "Luật Thực hiện dân chủ ở cơ sở 2022";
        Budget => "budget", "Ngân sách phường";
        GroupFinance => "group_finance", "Thu chi tổ dân phố";
        FundDrive => "fund_drive", "Vận động quỹ";
        AdminProcedure => "admin_procedure", "Thủ tục hành chính";
        Election => "election", "Bầu cử";
        Convention => "convention", "Quy ước tổ dân phố";
        Planning => "planning", "Quy hoạch";
        Other => "other", "Khác";
    }
}

code_enum! {
    /// Who hosted a dialogue session.
    DialogueHost {
        PartySecretary => "party_secretary", "Bí thư Đảng ủy";
        CommitteeChair => "committee_chair", "Chủ tịch UBND phường";
        Both => "both", "Bí thư Đảng ủy và Chủ tịch UBND";
    }
}

code_enum! {
    /// Who the leaders met in a dialogue session.
    Counterpart {
        FrontAndMassOrgs => "front_and_mass_orgs", "MTTQ và các đoàn thể";
        Residents => "residents", "Nhân dân";
        ResidentialGroup => "residential_group", "Một tổ dân phố";
    }
}

code_enum! {
    /// How an opinion was answered.
    OpinionResponse {
        Answered => "answered", "Trả lời tại chỗ";
        Referred => "referred", "Chuyển cơ quan chức năng";
    }
}

code_enum! {
    /// Follow-up state of an opinion.
    OpinionStatus {
        Open => "open", "Đang giải quyết";
        Resolved => "resolved", "Đã giải quyết";
    }
}

code_enum! {
    /// Issuer of a document.
    DocumentIssuer {
        PartyCommittee => "party_committee", "Đảng ủy";
        PeopleCommittee => "people_committee", "UBND phường";
        SteeringCommittee => "steering_committee", "Ban chỉ đạo QCDC";
    }
}

code_enum! {
    /// Kind of document.
    DocumentKind {
        EstablishCommittee => "establish_committee", "Thành lập BCĐ";
        ConsolidateCommittee => "consolidate_committee", "Kiện toàn BCĐ";
        CommitteeRegulation => "committee_regulation", "Quy chế hoạt động BCĐ";
        Plan => "plan", "Kế hoạch";
        Guidance => "guidance", "Hướng dẫn";
        Report => "report", "Báo cáo";
        Other => "other", "Khác";
    }
}

code_enum! {
    /// Inspection or supervision.
    InspectionKind {
        Inspection => "inspection", "Kiểm tra";
        Supervision => "supervision", "Giám sát";
    }
}

code_enum! {
    /// What kind of body was inspected.
    TargetKind {
        PartyCell => "party_cell", "Chi bộ";
        Agency => "agency", "Cơ quan";
        School => "school", "Trường học";
        ResidentialGroup => "residential_group", "Tổ dân phố";
    }
}

code_enum! {
    /// Who performed an inspection or supervision.
    Inspector {
        PartyCommittee => "party_committee", "Đảng ủy";
        InspectionCommission => "inspection_commission", "Ủy ban Kiểm tra Đảng ủy";
        SteeringCommittee => "steering_committee", "Ban chỉ đạo QCDC";
        Front => "front", "Ủy ban MTTQ";
        PeopleInspectionBoard => "people_inspection_board", "Ban Thanh tra nhân dân";
    }
}

code_enum! {
    /// Level of a commendation.
    CommendationLevel {
        Ward => "ward", "Cấp phường";
        DistrictProposal => "district_proposal", "Đề nghị cấp quận khen thưởng";
        District => "district", "Cấp quận";
        City => "city", "Cấp thành phố";
    }
}

code_enum! {
    /// Who received a commendation.
    RecipientKind {
        PartyCell => "party_cell", "Chi bộ";
        Collective => "collective", "Tập thể";
        Individual => "individual", "Cá nhân";
    }
}

code_enum! {
    /// State of a hot spot.
    HotSpotStatus {
        Open => "open", "Chưa giải quyết";
        Resolved => "resolved", "Đã giải quyết";
    }
}

code_enum! {
    /// Position in the steering committee.
    CommitteePosition {
        Head => "head", "Trưởng ban";
        DeputyHead => "deputy_head", "Phó Trưởng ban";
        Member => "member", "Ủy viên";
        Secretary => "secretary", "Thư ký";
    }
}

code_enum! {
    /// What the households of a residential group discuss and decide (Law 10/2022/QH15).
    DecisionMatter {
        Contribution => "contribution", "Chủ trương, mức đóng góp xây dựng công trình";
        CommunityFund => "community_fund", "Quỹ do Nhân dân đóng góp";
        Convention => "convention", "Quy ước, hương ước";
        GroupLeader => "group_leader", "Bầu, cho thôi làm tổ trưởng dân phố";
        InspectionBoard => "inspection_board", "Bầu, cho thôi thành viên Ban Thanh tra nhân dân";
        SupervisionBoard => "supervision_board", "Bầu, cho thôi thành viên Ban Giám sát đầu tư cộng đồng";
        Other => "other", "Việc khác";
    }
}

code_enum! {
    /// How the households decided: at a meeting, by ballots to households (the
    /// fallback when a meeting is not valid), or by an online vote.
    DecisionForm {
        Meeting => "meeting", "Họp cộng đồng dân cư";
        Ballot => "ballot", "Phát phiếu lấy ý kiến hộ gia đình";
        Online => "online", "Biểu quyết trực tuyến";
    }
}

code_enum! {
    /// What residents were consulted on (tham gia ý kiến).
    ConsultationSubject {
        SocioEconomicPlan => "socio_economic_plan", "Dự thảo kế hoạch phát triển kinh tế - xã hội";
        LandUsePlan => "land_use_plan", "Quy hoạch, kế hoạch sử dụng đất";
        SiteClearance => "site_clearance", "Bồi thường, hỗ trợ, tái định cư, GPMB";
        BoundaryChange => "boundary_change", "Điều chỉnh địa giới hành chính";
        Other => "other", "Nội dung khác";
    }
}

code_enum! {
    /// How residents were consulted.
    ConsultationForm {
        Meeting => "meeting", "Hội nghị, cuộc họp";
        Ballot => "ballot", "Phát phiếu lấy ý kiến";
        SuggestionBox => "suggestion_box", "Hòm thư góp ý";
        Dialogue => "dialogue", "Hội nghị đối thoại";
        Portal => "portal", "Cổng thông tin điện tử";
    }
}

code_enum! {
    /// What became of a supervising body's recommendations.
    FollowUp {
        ActedOn => "acted_on", "Đã được tiếp thu, xử lý";
        Partly => "partly", "Được tiếp thu một phần";
        Pending => "pending", "Đang chờ xử lý";
        NotActed => "not_acted", "Không được tiếp thu";
    }
}

code_enum! {
    /// Which review a draft writes: Directive 30's (Ordinance 34's four pillars) or the
    /// 2022 law's (its six-part motto).
    ReviewKind {
        Directive30 => "directive30", "Tổng kết thực hiện Chỉ thị 30-CT/TW";
        Law2022 => "law2022", "Sơ kết thi hành Luật Thực hiện dân chủ ở cơ sở";
    }
}

code_enum! {
    /// An account's role.
    Role {
        Admin => "admin", "Quản trị hệ thống";
        Secretary => "secretary", "Thư ký BCĐ";
        Deputy => "deputy", "Phó Bí thư thường trực";
        Viewer => "viewer", "Chỉ xem";
        CityAdmin => "city_admin", "Quản trị cấp thành phố";
        CityViewer => "city_viewer", "Xem cấp thành phố";
    }
}

impl Role {
    /// A city role belongs to no ward: it sees every ward of the database (and the
    /// city administrator manages wards and every account).
    pub fn is_city(self) -> bool {
        matches!(self, Role::CityAdmin | Role::CityViewer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_parse() {
        assert_eq!(Topic::parse("ordinance34"), Some(Topic::Ordinance34));
        assert_eq!(Topic::parse(" Pháp lệnh 34 "), Some(Topic::Ordinance34));
        assert_eq!(Topic::parse("pháp lệnh 34"), Some(Topic::Ordinance34));
        assert_eq!(Channel::parse("RADIO"), Some(Channel::Radio));
        assert_eq!(Channel::parse("radioo"), None);
        assert_eq!(Channel::parse(""), None);
    }

    fn unique<T: Code>() {
        let mut codes: Vec<_> = T::ALL.iter().map(|v| v.code()).collect();
        let mut labels: Vec<_> = T::ALL.iter().map(|v| v.label().to_lowercase()).collect();
        codes.sort();
        codes.dedup();
        labels.sort();
        labels.dedup();
        assert_eq!(codes.len(), T::ALL.len());
        assert_eq!(labels.len(), T::ALL.len());
        for v in T::ALL {
            assert_eq!(T::parse(v.code()), Some(*v));
            assert_eq!(T::parse(v.label()), Some(*v));
        }
    }

    #[test]
    fn every_enumeration_round_trips() {
        unique::<PartyCellKind>();
        unique::<ConferenceKind>();
        unique::<Organiser>();
        unique::<Channel>();
        unique::<Topic>();
        unique::<DialogueHost>();
        unique::<Counterpart>();
        unique::<OpinionResponse>();
        unique::<OpinionStatus>();
        unique::<DocumentIssuer>();
        unique::<DocumentKind>();
        unique::<InspectionKind>();
        unique::<TargetKind>();
        unique::<Inspector>();
        unique::<CommendationLevel>();
        unique::<RecipientKind>();
        unique::<HotSpotStatus>();
        unique::<CommitteePosition>();
        unique::<Role>();
        unique::<DecisionMatter>();
        unique::<DecisionForm>();
        unique::<ConsultationSubject>();
        unique::<ConsultationForm>();
        unique::<FollowUp>();
        unique::<ReviewKind>();
    }
}
