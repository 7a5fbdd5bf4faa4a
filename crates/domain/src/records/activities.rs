//! The activities: dated records that the report counts (conferences, publicity,
//! dialogues and their opinions, documents, inspections, commendations, hot spots).

use chrono::NaiveDate;

use super::*;
use crate::dates;
use crate::input::{Parser, LONG, SHORT};
use crate::kinds::{Column, ColumnType, Dating, Key};

record_kind! {
    pub struct Conference for Conferences {
        code: "conferences",
        label: "Hội nghị",
        noun: "hội nghị",
        dating: Column(date),
        filter_by: Some("kind"),
        key: None,
        summary: |r| format!("{} ({})", r.title, dates::vn(r.date)),
    }
    {
        date: NaiveDate = date "Ngày",
        kind: ConferenceKind = code "Loại hội nghị",
        title: String = text(SHORT) "Tên hội nghị",
        /// Attendances (lượt người): occurrences, not distinct people.
        attendees: u32 = whole(0, MAX_PEOPLE) "Số lượt người dự",
        organiser: Option<Organiser> = opt_code "Đơn vị tổ chức",
        topics: Vec<Topic> = codes "Chủ đề",
        residential_group: Option<u32> = group "Tổ dân phố",
        party_cell: Option<String> = cell "Chi bộ",
        notes: Option<String> = opt_long "Ghi chú",
        source: Option<String> = opt_text(SHORT) "Nguồn số liệu",
    }
}

record_kind! {
    /// A news item, notice or posting. `count` is how many times it went out (lượt).
    pub struct PublicityItem for Publicity {
        code: "publicity",
        label: "Tin bài, thông báo, công khai",
        noun: "tin bài, thông báo",
        dating: Column(date),
        filter_by: Some("channel"),
        key: None,
        summary: |r| {
            let what = r.title.clone().unwrap_or_else(|| r.topic.label().to_string());
            format!("{} — {} ({})", r.channel.label(), what, dates::vn(r.date))
        },
        validate: Self::check_posting_period, after "posted_until",
    }
    {
        date: NaiveDate = date "Ngày",
        channel: Channel = code "Hình thức",
        topic: Topic = code "Nội dung",
        title: Option<String> = opt_text(SHORT) "Tiêu đề",
        count: u32 = count(1, MAX_COUNT, 1) "Số lượt",
        posted_from: Option<NaiveDate> = opt_date "Niêm yết từ ngày",
        posted_until: Option<NaiveDate> = opt_date "Niêm yết đến ngày",
        residential_group: Option<u32> = group "Tổ dân phố",
        notes: Option<String> = opt_long "Ghi chú",
        source: Option<String> = opt_text(SHORT) "Nguồn số liệu",
    }
}

/// The day Law 10/2022/QH15 on Implementing Grassroots Democracy came into force.
pub const LAW_IN_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2023, 7, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

impl Topic {
    /// Topics the 2022 law asks the ward to broadcast on its loudspeakers on several
    /// consecutive days (what most concerns households' land and money).
    pub fn broadcast_required(self) -> bool {
        matches!(
            self,
            Topic::SiteClearance | Topic::LandCertificate | Topic::Planning | Topic::Budget
        )
    }
}

/// Postings must stay up at least this many days (long-standing rule).
pub const DEFAULT_POSTING_DAYS: i64 = 30;

impl PublicityItem {
    /// Days a posting stays up, both ends included.
    pub fn posting_days(&self) -> Option<i64> {
        match (self.posted_from, self.posted_until) {
            (Some(f), Some(u)) => Some((u - f).num_days() + 1),
            _ => None,
        }
    }
    /// A posting shorter than the required period.
    pub fn posting_too_short(&self, required_days: i64) -> bool {
        self.channel == Channel::Posting && self.posting_days().is_some_and(|d| d < required_days)
    }

    /// An item the 2022 law asks to broadcast on consecutive days (from 1/7/2023: site
    /// clearance, land, planning, the budget — [`Topic::broadcast_required`]) that went
    /// out fewer times than the required days: `count` on the loudspeakers is one
    /// broadcast a day.
    pub fn broadcast_too_short(&self, required_days: u32) -> bool {
        self.channel == Channel::Radio
            && self.topic.broadcast_required()
            && self.date >= LAW_IN_FORCE
            && self.count < required_days
    }

    fn check_posting_period(&self, p: &mut Parser) {
        p.not_before(
            "posted_until",
            self.posted_until,
            self.posted_from,
            "ngày bắt đầu niêm yết",
        );
        if self.posted_until.is_some() && self.posted_from.is_none() {
            p.error("posted_from", "Nhập ngày bắt đầu niêm yết.");
        }
    }
}

record_kind! {
    pub struct Dialogue for Dialogues {
        code: "dialogues",
        label: "Tiếp xúc, đối thoại",
        noun: "buổi tiếp xúc, đối thoại",
        dating: Column(date),
        filter_by: Some("host"),
        key: Some(Key {
            column: "ref",
            what: |v| format!("mã «{v}»"),
            taken: "Mã tham chiếu này đã được dùng.",
        }),
        summary: |r| format!("{} với {} ({})", r.host.label(), r.counterpart.label(), dates::vn(r.date)),
    }
    {
        /// The importer's own key (`ref`), which opinions rows point to.
        reference as "ref": Option<String> = opt_text(60) "Mã tham chiếu",
        date: NaiveDate = date "Ngày",
        host: DialogueHost = code "Chủ trì",
        counterpart: Counterpart = code "Đối tượng tiếp xúc",
        participants: u32 = whole(0, MAX_PEOPLE) "Số người tham dự",
        residential_group: Option<u32> = group "Tổ dân phố",
        notes: Option<String> = opt_long "Ghi chú",
        source: Option<String> = opt_text(SHORT) "Nguồn số liệu",
    }
}

record_kind! {
    /// An opinion or petition raised in a dialogue session, tracked until resolved. It
    /// belongs to its dialogue and counts in the dialogue's period.
    pub struct Opinion for Opinions {
        code: "opinions",
        label: "Ý kiến, kiến nghị",
        noun: "ý kiến",
        dating: Parent,
        filter_by: Some("status"),
        key: None,
        parent: "dialogue_ref" "Mã buổi đối thoại", check: Self::check_against,
        summary: |r| {
            let mut s: String = r.content.chars().take(80).collect();
            if r.content.chars().count() > 80 {
                s.push('…');
            }
            s
        },
        validate: Self::check_resolution,
    }
    {
        content: String = long "Nội dung ý kiến, kiến nghị",
        field: Option<String> = opt_text(SHORT) "Lĩnh vực",
        response: OpinionResponse = code "Hình thức trả lời",
        status: OpinionStatus = code "Tình trạng",
        resolved_on: Option<NaiveDate> = opt_date "Ngày giải quyết xong",
        answer: Option<String> = opt_long "Kết quả trả lời, giải quyết",
    }
}

impl Opinion {
    /// Checks what depends on the dialogue: nothing resolved before it was raised.
    pub fn check_against(&self, dialogue_date: NaiveDate) -> Result<(), FieldErrors> {
        match self.resolved_on {
            Some(r) if r < dialogue_date => Err(FieldErrors::single(
                "resolved_on",
                format!(
                    "Không được trước ngày đối thoại ({}).",
                    dates::vn(dialogue_date)
                ),
            )),
            _ => Ok(()),
        }
    }
    /// Days open as of `today` (to the resolution date once resolved).
    pub fn age_days(&self, raised: NaiveDate, today: NaiveDate) -> i64 {
        (self.resolved_on.unwrap_or(today) - raised).num_days()
    }

    fn check_resolution(&self, p: &mut Parser) {
        match (self.status, self.resolved_on) {
            (OpinionStatus::Resolved, None) if p.errors.get("resolved_on").is_none() => {
                p.error("resolved_on", "Nhập ngày giải quyết xong.")
            }
            (OpinionStatus::Open, Some(_)) => p.error(
                "resolved_on",
                "Ý kiến đang giải quyết thì chưa có ngày giải quyết xong.",
            ),
            _ => {}
        }
    }
}

record_kind! {
    pub struct Document for Documents {
        code: "documents",
        label: "Văn bản",
        noun: "văn bản",
        dating: Column(date),
        filter_by: Some("kind"),
        key: None,
        summary: |r| format!("{} ngày {} — {}", r.number, dates::vn(r.date), r.title),
    }
    {
        date: NaiveDate = date "Ngày ban hành",
        number: String = text(60) "Số hiệu",
        issuer: DocumentIssuer = code "Cơ quan ban hành",
        kind: DocumentKind = code "Loại văn bản",
        title: String = text(500) "Trích yếu",
        source: Option<String> = opt_text(SHORT) "Nguồn số liệu",
    }
}

record_kind! {
    pub struct Inspection for Inspections {
        code: "inspections",
        label: "Kiểm tra, giám sát",
        noun: "cuộc kiểm tra, giám sát",
        dating: Column(date),
        filter_by: Some("kind"),
        key: None,
        summary: |r| format!("{} {} ({})", r.kind.label(), r.target, dates::vn(r.date)),
    }
    {
        date: NaiveDate = date "Ngày",
        kind: InspectionKind = code "Hình thức",
        target_kind: TargetKind = code "Loại đối tượng",
        target: String = text(SHORT) "Đối tượng",
        by: Inspector = code "Chủ thể thực hiện",
        findings: Option<String> = opt_long "Kết luận",
        source: Option<String> = opt_text(SHORT) "Nguồn số liệu",
    }
}

record_kind! {
    pub struct Commendation for Commendations {
        code: "commendations",
        label: "Khen thưởng",
        noun: "khen thưởng",
        dating: Column(date),
        filter_by: Some("level"),
        key: None,
        summary: |r| format!("{} — {} ({})", r.recipient, r.level.label(), dates::vn(r.date)),
    }
    {
        date: NaiveDate = date "Ngày",
        decision_number: Option<String> = opt_text(60) "Số quyết định",
        level: CommendationLevel = code "Cấp khen thưởng",
        recipient_kind: RecipientKind = code "Loại đối tượng",
        recipient: String = text(SHORT) "Đối tượng được khen",
        reason: Option<String> = opt_long "Thành tích",
        source: Option<String> = opt_text(SHORT) "Nguồn số liệu",
    }
}

record_kind! {
    /// A place where residents do not yet agree with the authorities (điểm nóng).
    pub struct HotSpot for HotSpots {
        code: "hot_spots",
        label: "Điểm nóng",
        noun: "điểm nóng",
        dating: Column(opened),
        filter_by: Some("status"),
        key: None,
        summary: |r| format!("{} ({})", r.place, dates::vn(r.opened)),
        validate: Self::check_resolution,
    }
    {
        opened: NaiveDate = date "Ngày phát sinh",
        place: String = text(SHORT) "Địa điểm",
        description: String = long "Nội dung",
        residential_group: Option<u32> = group "Tổ dân phố",
        status: HotSpotStatus = code "Tình trạng",
        resolved_on: Option<NaiveDate> = opt_date "Ngày giải quyết xong",
        notes: Option<String> = opt_long "Ghi chú",
    }
}

impl HotSpot {
    fn check_resolution(&self, p: &mut Parser) {
        p.not_before(
            "resolved_on",
            self.resolved_on,
            Some(self.opened),
            "ngày phát sinh",
        );
        match (self.status, self.resolved_on) {
            (HotSpotStatus::Resolved, None) if p.errors.get("resolved_on").is_none() => {
                p.error("resolved_on", "Nhập ngày giải quyết xong.")
            }
            (HotSpotStatus::Open, Some(_)) => p.error(
                "resolved_on",
                "Điểm nóng chưa giải quyết thì chưa có ngày giải quyết xong.",
            ),
            _ => {}
        }
    }
}
