//! The record kinds and their columns: one description shared by the CSV importer and
//! exporter (column names and order), the web forms (labels, input types) and the list
//! pages. Column names are the contract of DESIGN §4.

use crate::codes::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    ResidentialGroups,
    PartyCells,
    CommitteeMembers,
    Conferences,
    Publicity,
    Dialogues,
    Opinions,
    Documents,
    Inspections,
    Commendations,
    HotSpots,
}

/// How a column is typed, which decides its parsing and its form input.
#[derive(Debug, Clone, Copy)]
pub enum ColumnType {
    Text,
    LongText,
    Date,
    Whole,
    /// One code of an enumeration: (code, label) pairs.
    Code(fn() -> Vec<(&'static str, &'static str)>),
    /// Several codes separated by `;`.
    Codes(fn() -> Vec<(&'static str, &'static str)>),
    /// A residential group, by its number.
    Group,
    /// Residential group numbers separated by `;`.
    Groups,
    /// A party cell, by its name.
    PartyCell,
    /// The `ref` of a dialogue in the same import (opinions only; not a form field).
    DialogueRef,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub ty: ColumnType,
}

pub fn options<T: Code>() -> Vec<(&'static str, &'static str)> {
    T::ALL.iter().map(|v| (v.code(), v.label())).collect()
}

const fn req(name: &'static str, label: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        label,
        required: true,
        ty,
    }
}
const fn opt(name: &'static str, label: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        label,
        required: false,
        ty,
    }
}

use ColumnType as T;

const SOURCE: Column = opt("source", "Nguồn số liệu", T::Text);

static RESIDENTIAL_GROUPS: &[Column] = &[
    req("number", "Số tổ", T::Whole),
    req("name", "Tên tổ dân phố", T::Text),
    opt("leader", "Tổ trưởng", T::Text),
    opt("deputy", "Tổ phó", T::Text),
    opt("front_head", "Trưởng ban công tác Mặt trận", T::Text),
    opt("households", "Số hộ", T::Whole),
    opt("residents", "Số nhân khẩu", T::Whole),
    opt("established", "Ngày thành lập", T::Date),
    opt("dissolved", "Ngày giải thể, sáp nhập", T::Date),
];

static PARTY_CELLS: &[Column] = &[
    req("name", "Tên chi bộ", T::Text),
    req("kind", "Loại chi bộ", T::Code(options::<PartyCellKind>)),
    opt("secretary", "Bí thư chi bộ", T::Text),
    opt("members", "Số đảng viên", T::Whole),
    opt("residential_groups", "Các tổ dân phố phụ trách", T::Groups),
    opt("active_from", "Hoạt động từ ngày", T::Date),
    opt("active_until", "Hoạt động đến ngày", T::Date),
];

static COMMITTEE_MEMBERS: &[Column] = &[
    req("decision_date", "Ngày quyết định", T::Date),
    req("decision_number", "Số quyết định", T::Text),
    req("name", "Họ và tên", T::Text),
    req(
        "position",
        "Chức danh trong BCĐ",
        T::Code(options::<CommitteePosition>),
    ),
    opt("office", "Chức vụ công tác", T::Text),
];

static CONFERENCES: &[Column] = &[
    req("date", "Ngày", T::Date),
    req("kind", "Loại hội nghị", T::Code(options::<ConferenceKind>)),
    req("title", "Tên hội nghị", T::Text),
    req("attendees", "Số lượt người dự", T::Whole),
    opt("organiser", "Đơn vị tổ chức", T::Code(options::<Organiser>)),
    opt("topics", "Chủ đề", T::Codes(options::<Topic>)),
    opt("residential_group", "Tổ dân phố", T::Group),
    opt("party_cell", "Chi bộ", T::PartyCell),
    opt("notes", "Ghi chú", T::LongText),
    SOURCE,
];

static PUBLICITY: &[Column] = &[
    req("date", "Ngày", T::Date),
    req("channel", "Hình thức", T::Code(options::<Channel>)),
    req("topic", "Nội dung", T::Code(options::<Topic>)),
    opt("title", "Tiêu đề", T::Text),
    opt("count", "Số lượt", T::Whole),
    opt("posted_from", "Niêm yết từ ngày", T::Date),
    opt("posted_until", "Niêm yết đến ngày", T::Date),
    opt("residential_group", "Tổ dân phố", T::Group),
    opt("notes", "Ghi chú", T::LongText),
    SOURCE,
];

static DIALOGUES: &[Column] = &[
    opt("ref", "Mã tham chiếu", T::Text),
    req("date", "Ngày", T::Date),
    req("host", "Chủ trì", T::Code(options::<DialogueHost>)),
    req(
        "counterpart",
        "Đối tượng tiếp xúc",
        T::Code(options::<Counterpart>),
    ),
    req("participants", "Số người tham dự", T::Whole),
    opt("residential_group", "Tổ dân phố", T::Group),
    opt("notes", "Ghi chú", T::LongText),
    SOURCE,
];

static OPINIONS: &[Column] = &[
    req("dialogue_ref", "Mã buổi đối thoại", T::DialogueRef),
    req("content", "Nội dung ý kiến, kiến nghị", T::LongText),
    opt("field", "Lĩnh vực", T::Text),
    req(
        "response",
        "Hình thức trả lời",
        T::Code(options::<OpinionResponse>),
    ),
    req("status", "Tình trạng", T::Code(options::<OpinionStatus>)),
    opt("resolved_on", "Ngày giải quyết xong", T::Date),
    opt("answer", "Kết quả trả lời, giải quyết", T::LongText),
];

static DOCUMENTS: &[Column] = &[
    req("date", "Ngày ban hành", T::Date),
    req("number", "Số hiệu", T::Text),
    req(
        "issuer",
        "Cơ quan ban hành",
        T::Code(options::<DocumentIssuer>),
    ),
    req("kind", "Loại văn bản", T::Code(options::<DocumentKind>)),
    req("title", "Trích yếu", T::Text),
    SOURCE,
];

static INSPECTIONS: &[Column] = &[
    req("date", "Ngày", T::Date),
    req("kind", "Hình thức", T::Code(options::<InspectionKind>)),
    req(
        "target_kind",
        "Loại đối tượng",
        T::Code(options::<TargetKind>),
    ),
    req("target", "Đối tượng", T::Text),
    req("by", "Chủ thể thực hiện", T::Code(options::<Inspector>)),
    opt("findings", "Kết luận", T::LongText),
    SOURCE,
];

static COMMENDATIONS: &[Column] = &[
    req("date", "Ngày", T::Date),
    opt("decision_number", "Số quyết định", T::Text),
    req(
        "level",
        "Cấp khen thưởng",
        T::Code(options::<CommendationLevel>),
    ),
    req(
        "recipient_kind",
        "Loại đối tượng",
        T::Code(options::<RecipientKind>),
    ),
    req("recipient", "Đối tượng được khen", T::Text),
    opt("reason", "Thành tích", T::LongText),
    SOURCE,
];

static HOT_SPOTS: &[Column] = &[
    req("opened", "Ngày phát sinh", T::Date),
    req("place", "Địa điểm", T::Text),
    req("description", "Nội dung", T::LongText),
    opt("residential_group", "Tổ dân phố", T::Group),
    req("status", "Tình trạng", T::Code(options::<HotSpotStatus>)),
    opt("resolved_on", "Ngày giải quyết xong", T::Date),
    opt("notes", "Ghi chú", T::LongText),
];

impl Kind {
    /// In import dependency order: registers before the records that name them.
    pub const ALL: &'static [Kind] = &[
        Kind::ResidentialGroups,
        Kind::PartyCells,
        Kind::CommitteeMembers,
        Kind::Conferences,
        Kind::Publicity,
        Kind::Dialogues,
        Kind::Opinions,
        Kind::Documents,
        Kind::Inspections,
        Kind::Commendations,
        Kind::HotSpots,
    ];

    /// The import KIND of DESIGN §4 (`residential_groups`).
    pub fn code(self) -> &'static str {
        match self {
            Kind::ResidentialGroups => "residential_groups",
            Kind::PartyCells => "party_cells",
            Kind::CommitteeMembers => "committee_members",
            Kind::Conferences => "conferences",
            Kind::Publicity => "publicity",
            Kind::Dialogues => "dialogues",
            Kind::Opinions => "opinions",
            Kind::Documents => "documents",
            Kind::Inspections => "inspections",
            Kind::Commendations => "commendations",
            Kind::HotSpots => "hot_spots",
        }
    }

    /// The URL segment (`residential-groups`).
    pub fn slug(self) -> &'static str {
        match self {
            Kind::ResidentialGroups => "residential-groups",
            Kind::PartyCells => "party-cells",
            Kind::CommitteeMembers => "committee-members",
            Kind::HotSpots => "hot-spots",
            other => other.code(),
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim().replace('-', "_");
        Kind::ALL.iter().copied().find(|k| k.code() == s)
    }

    pub fn from_slug(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.slug() == s)
    }

    /// Plural Vietnamese name, for page titles and menus.
    pub fn label(self) -> &'static str {
        match self {
            Kind::ResidentialGroups => "Tổ dân phố",
            Kind::PartyCells => "Chi bộ",
            Kind::CommitteeMembers => "Thành viên Ban chỉ đạo",
            Kind::Conferences => "Hội nghị",
            Kind::Publicity => "Tin bài, thông báo, công khai",
            Kind::Dialogues => "Tiếp xúc, đối thoại",
            Kind::Opinions => "Ý kiến, kiến nghị",
            Kind::Documents => "Văn bản",
            Kind::Inspections => "Kiểm tra, giám sát",
            Kind::Commendations => "Khen thưởng",
            Kind::HotSpots => "Điểm nóng",
        }
    }

    /// Singular, lower case, for sentences ("Thêm hội nghị").
    pub fn noun(self) -> &'static str {
        match self {
            Kind::ResidentialGroups => "tổ dân phố",
            Kind::PartyCells => "chi bộ",
            Kind::CommitteeMembers => "thành viên BCĐ",
            Kind::Conferences => "hội nghị",
            Kind::Publicity => "tin bài, thông báo",
            Kind::Dialogues => "buổi tiếp xúc, đối thoại",
            Kind::Opinions => "ý kiến",
            Kind::Documents => "văn bản",
            Kind::Inspections => "cuộc kiểm tra, giám sát",
            Kind::Commendations => "khen thưởng",
            Kind::HotSpots => "điểm nóng",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::ResidentialGroups => RESIDENTIAL_GROUPS,
            Kind::PartyCells => PARTY_CELLS,
            Kind::CommitteeMembers => COMMITTEE_MEMBERS,
            Kind::Conferences => CONFERENCES,
            Kind::Publicity => PUBLICITY,
            Kind::Dialogues => DIALOGUES,
            Kind::Opinions => OPINIONS,
            Kind::Documents => DOCUMENTS,
            Kind::Inspections => INSPECTIONS,
            Kind::Commendations => COMMENDATIONS,
            Kind::HotSpots => HOT_SPOTS,
        }
    }

    pub fn column(self, name: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.name == name)
    }

    /// The column that dates a record, used for year filters and ordering.
    pub fn date_column(self) -> Option<&'static str> {
        match self {
            Kind::ResidentialGroups | Kind::PartyCells | Kind::Opinions => None,
            Kind::CommitteeMembers => Some("decision_date"),
            Kind::HotSpots => Some("opened"),
            _ => Some("date"),
        }
    }

    /// The enumeration a list page filters by as "kind", if any.
    pub fn kind_column(self) -> Option<&'static str> {
        match self {
            Kind::PartyCells | Kind::Conferences | Kind::Documents | Kind::Inspections => {
                Some("kind")
            }
            Kind::Publicity => Some("channel"),
            Kind::Dialogues => Some("host"),
            Kind::Commendations => Some("level"),
            Kind::HotSpots | Kind::Opinions => Some("status"),
            Kind::CommitteeMembers => Some("position"),
            Kind::ResidentialGroups => None,
        }
    }

    /// Activity records (dated, with an optional `source`), as opposed to registers.
    pub fn is_activity(self) -> bool {
        !matches!(
            self,
            Kind::ResidentialGroups | Kind::PartyCells | Kind::CommitteeMembers
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_columns_come_first_in_design_order() {
        let names = |k: Kind| k.columns().iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(
            names(Kind::Conferences)[..9],
            [
                "date",
                "kind",
                "title",
                "attendees",
                "organiser",
                "topics",
                "residential_group",
                "party_cell",
                "notes"
            ]
        );
        assert_eq!(
            names(Kind::Publicity)[..9],
            [
                "date",
                "channel",
                "topic",
                "title",
                "count",
                "posted_from",
                "posted_until",
                "residential_group",
                "notes"
            ]
        );
        assert_eq!(
            names(Kind::Opinions)[..6],
            [
                "dialogue_ref",
                "content",
                "field",
                "response",
                "status",
                "resolved_on"
            ]
        );
        assert_eq!(
            names(Kind::Commendations)[..6],
            [
                "date",
                "decision_number",
                "level",
                "recipient_kind",
                "recipient",
                "reason"
            ]
        );
    }

    #[test]
    fn codes_and_slugs_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.code()), Some(*k));
            assert_eq!(Kind::from_slug(k.slug()), Some(*k));
            assert_eq!(k.slug().replace('-', "_"), k.code());
        }
    }
}
