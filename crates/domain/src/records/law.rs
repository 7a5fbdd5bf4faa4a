//! The other registers of the 2022 law (10/2022/QH15, Decrees 59/2023 and 61/2023):
//! what residents were consulted on (dân tham gia ý kiến), and how they supervised
//! (dân kiểm tra, giám sát) through the People's Inspection Board (Ban Thanh tra nhân
//! dân: 5–11 members per term, recognised by the ward Fatherland Front) and the
//! community investment supervision boards (Ban Giám sát đầu tư của cộng đồng: one per
//! public project, at least 5 members, dissolved when the project ends).

use chrono::NaiveDate;

use super::*;
use crate::dates;
use crate::input::{Parser, LONG, SHORT};
use crate::kinds::{Column, ColumnType, Dating};

/// The People's Inspection Board's size (Law 10/2022/QH15).
pub const INSPECTION_BOARD_MEMBERS: std::ops::RangeInclusive<u32> = 5..=11;
/// A community investment supervision board has at least this many members.
pub const SUPERVISION_BOARD_MIN_MEMBERS: u32 = 5;

record_kind! {
    /// One consultation of residents on a draft, a plan or a project.
    pub struct Consultation for Consultations {
        code: "consultations",
        label: "Nhân dân tham gia ý kiến",
        noun: "đợt lấy ý kiến Nhân dân",
        dating: Column(consulted_from),
        filter_by: Some("subject"),
        key: None,
        summary: |r| format!("{} ({})", r.title, dates::vn(r.consulted_from)),
        validate: Self::check,
    }
    {
        consulted_from: NaiveDate = date "Lấy ý kiến từ ngày",
        consulted_until: NaiveDate = date "Lấy ý kiến đến ngày",
        subject: ConsultationSubject = code "Nội dung lấy ý kiến",
        form: ConsultationForm = code "Hình thức lấy ý kiến",
        title: String = text(SHORT) "Tên dự thảo, đề án",
        responses: u32 = whole(0, MAX_PEOPLE) "Số ý kiến nhận được",
        taken_up: u32 = whole(0, MAX_PEOPLE) "Số ý kiến được tiếp thu",
        result_channel: Option<Channel> = opt_code "Hình thức công khai kết quả tiếp thu",
        result_published_on: Option<NaiveDate> = opt_date "Ngày công khai kết quả tiếp thu",
        residential_group: Option<u32> = group "Tổ dân phố",
        notes: Option<String> = opt_long "Ghi chú",
        source: Option<String> = opt_text(SHORT) "Nguồn số liệu",
    }
}

impl Consultation {
    fn check(&self, p: &mut Parser) {
        p.not_before(
            "consulted_until",
            Some(self.consulted_until),
            Some(self.consulted_from),
            "ngày bắt đầu lấy ý kiến",
        );
        if p.errors.get("responses").is_none()
            && p.errors.get("taken_up").is_none()
            && self.taken_up > self.responses
        {
            p.error(
                "taken_up",
                format!(
                    "Số ý kiến được tiếp thu ({}) không thể lớn hơn số ý kiến nhận được ({}).",
                    crate::fmt::thousands(i64::from(self.taken_up)),
                    crate::fmt::thousands(i64::from(self.responses))
                ),
            );
        }
        p.not_before(
            "result_published_on",
            self.result_published_on,
            Some(self.consulted_from),
            "ngày bắt đầu lấy ý kiến",
        );
        if self.result_published_on.is_some()
            && self.result_channel.is_none()
            && p.errors.get("result_channel").is_none()
        {
            p.error("result_channel", "Chọn hình thức công khai kết quả.");
        }
    }
}

record_kind! {
    /// One term of the People's Inspection Board: its size, its head and members, and
    /// the Fatherland Front's decision recognising it. The board's membership over time
    /// is the list of its terms.
    pub struct InspectionBoardTerm for InspectionBoardTerms {
        code: "inspection_board_terms",
        label: "Ban Thanh tra nhân dân",
        noun: "nhiệm kỳ Ban Thanh tra nhân dân",
        dating: Column(recognised_on),
        filter_by: None,
        key: None,
        summary: |r| format!("Ban TTND nhiệm kỳ {} ({} thành viên)", r.term, r.members),
        validate: Self::check,
    }
    {
        recognised_on: NaiveDate = date "Ngày quyết định công nhận",
        decision_number: String = text(60) "Số quyết định công nhận của UBMTTQ",
        term: String = text(60) "Nhiệm kỳ",
        members: u32 = whole(1, MAX_COUNT) "Số thành viên",
        head: String = text(SHORT) "Trưởng ban",
        /// Every member's name, the head included, separated by `;`.
        member_names: Option<String> = opt_long "Danh sách thành viên",
        until: Option<NaiveDate> = opt_date "Kết thúc nhiệm kỳ ngày",
        notes: Option<String> = opt_long "Ghi chú",
    }
}

impl InspectionBoardTerm {
    /// The members' names as listed (`;`-separated, blanks dropped).
    pub fn names(&self) -> Vec<&str> {
        self.member_names
            .as_deref()
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect()
    }

    fn check(&self, p: &mut Parser) {
        if p.errors.get("members").is_none() && !INSPECTION_BOARD_MEMBERS.contains(&self.members) {
            p.error(
                "members",
                format!(
                    "Ban Thanh tra nhân dân có từ {} đến {} thành viên.",
                    INSPECTION_BOARD_MEMBERS.start(),
                    INSPECTION_BOARD_MEMBERS.end()
                ),
            );
        }
        if self.until.is_some_and(|u| u <= self.recognised_on) {
            p.error(
                "until",
                format!(
                    "Phải sau ngày quyết định công nhận ({}).",
                    dates::vn(self.recognised_on)
                ),
            );
        }
    }
}

record_kind! {
    /// An inspection or supervision by the People's Inspection Board.
    pub struct InspectionBoardActivity for InspectionBoardActivities {
        code: "inspection_board_activities",
        label: "Hoạt động của Ban Thanh tra nhân dân",
        noun: "hoạt động của Ban TTND",
        dating: Column(date),
        filter_by: Some("kind"),
        key: None,
        summary: |r| format!("{} {} ({})", r.kind.label(), r.subject, dates::vn(r.date)),
        validate: Self::check,
    }
    {
        date: NaiveDate = date "Ngày",
        kind: InspectionKind = code "Hình thức",
        subject: String = text(SHORT) "Nội dung, đối tượng",
        findings: Option<String> = opt_long "Kết quả, phát hiện",
        recommendations: Option<String> = opt_long "Kiến nghị",
        follow_up: Option<FollowUp> = opt_code "Kết quả xử lý kiến nghị",
        residential_group: Option<u32> = group "Tổ dân phố",
        source: Option<String> = opt_text(SHORT) "Nguồn số liệu",
    }
}

impl InspectionBoardActivity {
    fn check(&self, p: &mut Parser) {
        check_follow_up(p, self.recommendations.as_deref(), self.follow_up);
    }
}

/// What became of recommendations needs recommendations.
fn check_follow_up(p: &mut Parser, recommendations: Option<&str>, follow_up: Option<FollowUp>) {
    if follow_up.is_some() && recommendations.is_none() && p.errors.get("recommendations").is_none()
    {
        p.error(
            "follow_up",
            "Chưa ghi kiến nghị thì chưa có kết quả xử lý kiến nghị.",
        );
    }
}

record_kind! {
    /// The community investment supervision board of one public project.
    pub struct SupervisionBoard for SupervisionBoards {
        code: "supervision_boards",
        label: "Ban Giám sát đầu tư của cộng đồng",
        noun: "Ban Giám sát đầu tư của cộng đồng",
        dating: Column(established),
        filter_by: None,
        key: None,
        summary: |r| format!("{} ({})", r.project, dates::vn(r.established)),
        validate: Self::check,
    }
    {
        established: NaiveDate = date "Ngày thành lập",
        project: String = text(SHORT) "Công trình, dự án",
        members: u32 = whole(1, MAX_COUNT) "Số thành viên",
        decision_number: Option<String> = opt_text(60) "Số quyết định công nhận",
        residential_group: Option<u32> = group "Tổ dân phố",
        dissolved: Option<NaiveDate> = opt_date "Ngày giải thể (công trình kết thúc)",
        notes: Option<String> = opt_long "Ghi chú",
    }
}

impl SupervisionBoard {
    /// Working on `day`: set up on or before it, not yet dissolved.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.established <= day && self.dissolved.is_none_or(|d| d > day)
    }

    fn check(&self, p: &mut Parser) {
        if p.errors.get("members").is_none() && self.members < SUPERVISION_BOARD_MIN_MEMBERS {
            p.error(
                "members",
                format!(
                    "Ban Giám sát đầu tư của cộng đồng có ít nhất {SUPERVISION_BOARD_MIN_MEMBERS} thành viên."
                ),
            );
        }
        if self.dissolved.is_some_and(|d| d <= self.established) {
            p.error(
                "dissolved",
                format!("Phải sau ngày thành lập ({}).", dates::vn(self.established)),
            );
        }
    }
}

record_kind! {
    /// A supervision by a community investment supervision board, of its project.
    pub struct SupervisionActivity for SupervisionActivities {
        code: "supervision_activities",
        label: "Hoạt động giám sát đầu tư của cộng đồng",
        noun: "hoạt động giám sát đầu tư",
        dating: Column(date),
        filter_by: Some("follow_up"),
        key: None,
        summary: |r| format!("{} ({})", r.project, dates::vn(r.date)),
        validate: Self::check,
    }
    {
        date: NaiveDate = date "Ngày",
        /// The project as the board register names it.
        project: String = text(SHORT) "Công trình, dự án được giám sát",
        content: String = long "Nội dung giám sát",
        findings: Option<String> = opt_long "Kết quả, phát hiện",
        recommendations: Option<String> = opt_long "Kiến nghị",
        follow_up: Option<FollowUp> = opt_code "Kết quả xử lý kiến nghị",
        source: Option<String> = opt_text(SHORT) "Nguồn số liệu",
    }
}

impl SupervisionActivity {
    fn check(&self, p: &mut Parser) {
        check_follow_up(p, self.recommendations.as_deref(), self.follow_up);
    }
}
