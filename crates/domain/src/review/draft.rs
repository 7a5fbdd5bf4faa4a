//! The draft the committee saves and edits: the document's meta and the sections it
//! writes itself.

use chrono::NaiveDate;

use crate::codes::ReviewKind;
use crate::dates;
use crate::error::FieldErrors;
use crate::input::{Input, Parser, SHORT};

/// Upper bounds: one title, and each free-text section (several pages of prose).
pub const TITLE_MAX: usize = 500;
pub const SECTION_MAX: usize = 20_000;

/// What the committee saves and edits: the document's meta and the sections it writes
/// itself. Field names are those of the form and of the `review_drafts` table.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewDraft {
    /// Directive 30's review or the 2022 law's: decides the sections.
    pub kind: ReviewKind,
    /// Printed in capitals, centred.
    pub title: String,
    /// `25-BC/ĐU`; absent while the document has no number yet (printed `Số   -BC/ĐU`).
    pub number: Option<String>,
    /// The report date, which also decides the names printed in the header.
    pub date: NaiveDate,
    /// The place in the date line; the ward's name without "Phường" when absent.
    pub place: Option<String>,
    /// `T/M ĐẢNG ỦY`.
    pub on_behalf: String,
    /// `PHÓ BÍ THƯ THƯỜNG TRỰC`.
    pub signer_title: String,
    pub signer_name: Option<String>,
    /// The range the figures cover, both days included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Hạn chế.
    pub limitations: Option<String>,
    /// Nguyên nhân.
    pub causes: Option<String>,
    /// Bài học kinh nghiệm.
    pub lessons: Option<String>,
    /// Phương hướng, nhiệm vụ.
    pub directions: Option<String>,
    /// Kiến nghị, đề xuất.
    pub recommendations: Option<String>,
    /// "Nơi nhận", one per line; a usual list from the ward's names when absent.
    pub recipients: Option<String>,
}

/// The form's fields, in form order.
pub const FIELDS: &[(&str, &str)] = &[
    ("kind", "Loại báo cáo"),
    ("title", "Tiêu đề báo cáo"),
    ("number", "Số văn bản (ví dụ 25-BC/ĐU)"),
    ("date", "Ngày báo cáo"),
    ("place", "Địa danh"),
    ("from", "Số liệu từ ngày"),
    ("to", "Số liệu đến ngày"),
    ("on_behalf", "Thẩm quyền ký (ví dụ T/M ĐẢNG ỦY)"),
    ("signer_title", "Chức vụ người ký"),
    ("signer_name", "Họ tên người ký"),
    ("limitations", "Hạn chế"),
    ("causes", "Nguyên nhân"),
    ("lessons", "Bài học kinh nghiệm"),
    ("directions", "Phương hướng, nhiệm vụ"),
    ("recommendations", "Kiến nghị, đề xuất"),
    ("recipients", "Nơi nhận (mỗi dòng một nơi)"),
];

pub const DEFAULT_TITLE: &str = "BÁO CÁO TỔNG KẾT 20 NĂM THỰC HIỆN CHỈ THỊ SỐ 30-CT/TW CỦA BỘ CHÍNH TRỊ (KHÓA VIII) VỀ XÂY DỰNG VÀ THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ";
/// The 2022 law's three-year review (1/7/2023–30/6/2026).
pub const LAW_TITLE: &str = "BÁO CÁO SƠ KẾT 3 NĂM THI HÀNH LUẬT THỰC HIỆN DÂN CHỦ Ở CƠ SỞ";
pub const DEFAULT_ON_BEHALF: &str = "T/M ĐẢNG ỦY";
pub const DEFAULT_SIGNER_TITLE: &str = "PHÓ BÍ THƯ THƯỜNG TRỰC";

impl ReviewDraft {
    pub fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        // Drafts saved before the law's review existed are Directive 30's.
        let kind = p.opt_code("kind").unwrap_or(ReviewKind::Directive30);
        let title = p.text("title", TITLE_MAX);
        let number = p.opt_text("number", 60).map(|n| {
            // People type the "Số" of the printed line; it is added when printing.
            let n = n.trim();
            n.strip_prefix("Số ")
                .or_else(|| n.strip_prefix("số "))
                .unwrap_or(n)
                .trim()
                .to_string()
        });
        let date = p.date("date");
        let place = p.opt_text("place", SHORT);
        let on_behalf = p
            .opt_text("on_behalf", SHORT)
            .unwrap_or_else(|| DEFAULT_ON_BEHALF.to_string());
        let signer_title = p.text("signer_title", SHORT);
        let signer_name = p.opt_text("signer_name", SHORT);
        let from = p.date("from");
        let to = p.date("to");
        let mut long = |field: &str| p.opt_text(field, SECTION_MAX);
        let limitations = long("limitations");
        let causes = long("causes");
        let lessons = long("lessons");
        let directions = long("directions");
        let recommendations = long("recommendations");
        let recipients = long("recipients");
        if p.errors.get("from").is_none() && p.errors.get("to").is_none() {
            if to < from {
                p.error(
                    "to",
                    format!("Không được trước ngày bắt đầu ({}).", dates::vn(from)),
                );
            } else if p.errors.get("date").is_none() && to > date {
                // A report cannot state figures for days after it is written.
                p.error(
                    "to",
                    format!("Không được sau ngày báo cáo ({}).", dates::vn(date)),
                );
            }
        }
        p.finish(ReviewDraft {
            kind,
            title,
            number,
            date,
            place,
            on_behalf,
            signer_title,
            signer_name,
            from,
            to,
            limitations,
            causes,
            lessons,
            directions,
            recommendations,
            recipients,
        })
    }

    /// Canonical text (ISO dates), for the store, the audit log and the edit form.
    pub fn to_input(&self) -> Input {
        let mut i = Input::new();
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        i.set("kind", crate::codes::Code::code(self.kind));
        i.set("title", self.title.clone());
        i.set("number", opt(&self.number));
        i.set("date", dates::iso(self.date));
        i.set("place", opt(&self.place));
        i.set("on_behalf", self.on_behalf.clone());
        i.set("signer_title", self.signer_title.clone());
        i.set("signer_name", opt(&self.signer_name));
        i.set("from", dates::iso(self.from));
        i.set("to", dates::iso(self.to));
        i.set("limitations", opt(&self.limitations));
        i.set("causes", opt(&self.causes));
        i.set("lessons", opt(&self.lessons));
        i.set("directions", opt(&self.directions));
        i.set("recommendations", opt(&self.recommendations));
        i.set("recipients", opt(&self.recipients));
        i
    }

    /// A new draft with the usual title and signer, for the form's first display.
    pub fn suggested(from: NaiveDate, to: NaiveDate, date: NaiveDate) -> Self {
        Self::suggested_for(ReviewKind::Directive30, from, to, date)
    }

    /// A new draft of `kind`, with its usual title.
    pub fn suggested_for(
        kind: ReviewKind,
        from: NaiveDate,
        to: NaiveDate,
        date: NaiveDate,
    ) -> Self {
        ReviewDraft {
            kind,
            title: match kind {
                ReviewKind::Directive30 => DEFAULT_TITLE,
                ReviewKind::Law2022 => LAW_TITLE,
            }
            .to_string(),
            number: None,
            date,
            place: None,
            on_behalf: DEFAULT_ON_BEHALF.to_string(),
            signer_title: DEFAULT_SIGNER_TITLE.to_string(),
            signer_name: None,
            from,
            to,
            limitations: None,
            causes: None,
            lessons: None,
            directions: None,
            recommendations: None,
            recipients: None,
        }
    }

    /// One line naming the draft, for lists and the audit log.
    pub fn summary(&self) -> String {
        let number = self.number.as_deref().unwrap_or("chưa có số");
        format!("{} ({number}, {})", self.title, dates::vn(self.date))
    }
}

/// The 2022 law's three-year review covers 1/7/2023–30/6/2026.
pub fn law_review_range() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(2023, 7, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default(),
    )
}
