//! The review draft (báo cáo tổng kết) written from the data: the meta and free-text
//! sections the committee edits ([`ReviewDraft`]), and [`compose`], which turns a draft
//! and the figures of two [`Report`]s into a structured document in the Party document
//! format (Guidance 36-HD/VPTW, DOMAIN §5). Renderers (HTML, .docx) only lay out a
//! [`ReviewDocument`]; every sentence and figure is decided here.
//!
//! Every figure in the text is a [`Figure`] that carries the indicator, the period and
//! the [`Value`] it was read from, so that a page can link it to its records and a test
//! can check it against the CSV export. No figure is computed any other way: derived
//! numbers (yearly averages, changes between periods) are computed from those values.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::codes::*;
use crate::dates;
use crate::error::FieldErrors;
use crate::fmt;
use crate::input::{Input, Parser, SHORT};
use crate::kinds::Kind;
use crate::report::{self, Indicator, Period, Report, Value};
use crate::ward::{NameFrom, Ward};

/// Upper bounds: one title, and each free-text section (several pages of prose).
pub const TITLE_MAX: usize = 500;
pub const SECTION_MAX: usize = 20_000;

// ---------------------------------------------------------------- the draft

/// What the committee saves and edits: the document's meta and the sections it writes
/// itself. Field names are those of the form and of the `review_drafts` table.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewDraft {
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
pub const DEFAULT_ON_BEHALF: &str = "T/M ĐẢNG ỦY";
pub const DEFAULT_SIGNER_TITLE: &str = "PHÓ BÍ THƯ THƯỜNG TRỰC";

impl ReviewDraft {
    pub fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
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
        ReviewDraft {
            title: DEFAULT_TITLE.to_string(),
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

// ---------------------------------------------------------------- the document

/// One figure read from a report: what it is, for which period, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub indicator: &'static Indicator,
    /// The report's whole range (labelled `total`) or one of its periods.
    pub period: Period,
    /// From the total report (the draft's range) rather than the by-period report.
    pub from_total: bool,
    pub value: Value,
    /// As printed: `15.135`, `78,4%`.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Text(String),
    Figure(Figure),
    /// A reference to footnote `n` (1-based) of [`ReviewDocument::footnotes`].
    Note(usize),
    /// Text the committee still has to write; shown as a hint, not as content.
    Placeholder(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paragraph {
    pub spans: Vec<Span>,
}

impl Paragraph {
    /// The text as read, footnote references as `[n]`.
    pub fn text(&self) -> String {
        self.spans
            .iter()
            .map(|s| match s {
                Span::Text(t) | Span::Placeholder(t) => t.clone(),
                Span::Figure(f) => f.text.clone(),
                Span::Note(n) => format!("[{n}]"),
            })
            .collect()
    }
}

/// A heading and its paragraphs. Level 1 is a part (`I. KẾT QUẢ ...`), level 2 an item
/// within it (`1. Công tác ...`).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub level: u8,
    pub heading: String,
    pub paragraphs: Vec<Paragraph>,
}

/// The first page's header (DOMAIN §5): two columns.
#[derive(Debug, Clone, PartialEq)]
pub struct DocHeader {
    /// `ĐẢNG BỘ QUẬN LONG BIÊN`, the superior body on the report date.
    pub superior_body: Option<String>,
    /// `ĐẢNG ỦY PHƯỜNG NGỌC THỤY` (bold, then `*`).
    pub issuer: String,
    /// `Số 25-BC/ĐU`.
    pub number: String,
    /// `ĐẢNG CỘNG SẢN VIỆT NAM` (bold, underlined).
    pub party: String,
    /// `Ngọc Thụy, ngày 27 tháng 6 năm 2018` (italic).
    pub place_date: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// `T/M ĐẢNG ỦY`.
    pub on_behalf: String,
    /// `PHÓ BÍ THƯ THƯỜNG TRỰC`.
    pub title: String,
    /// Empty when not yet known; the space for the signature stays.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppendixRow {
    pub number: usize,
    pub name: String,
    pub unit: String,
    /// One per column of [`Appendix::columns`].
    pub cells: Vec<Figure>,
}

/// The table of indicators × periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Appendix {
    pub title: String,
    /// The period columns (after `TT`, `Chỉ tiêu`, `Đơn vị tính`).
    pub columns: Vec<String>,
    pub rows: Vec<AppendixRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewDocument {
    pub header: DocHeader,
    pub title: String,
    /// The range under the title: `(Từ ngày 01/01/2014 đến ngày 27/06/2018)`.
    pub subtitle: String,
    pub intro: Vec<Paragraph>,
    pub sections: Vec<Section>,
    pub closing: Vec<Paragraph>,
    pub signature: Signature,
    /// "Nơi nhận" lines, without the leading dash.
    pub recipients: Vec<String>,
    pub appendix: Appendix,
    /// Numbered from 1 in order of first reference.
    pub footnotes: Vec<String>,
}

impl ReviewDocument {
    /// Every figure, in the text and in the appendix.
    pub fn figures(&self) -> Vec<&Figure> {
        let paragraphs = self
            .intro
            .iter()
            .chain(self.sections.iter().flat_map(|s| &s.paragraphs))
            .chain(&self.closing);
        let mut out: Vec<&Figure> = paragraphs
            .flat_map(|p| &p.spans)
            .filter_map(|s| match s {
                Span::Figure(f) => Some(f),
                _ => None,
            })
            .collect();
        out.extend(self.appendix.rows.iter().flat_map(|r| &r.cells));
        out
    }

    /// The whole document as plain lines (tests, search, a text export).
    pub fn plain_text(&self) -> String {
        let h = &self.header;
        let mut lines = Vec::new();
        lines.extend(h.superior_body.clone());
        lines.push(h.issuer.clone());
        lines.push("*".into());
        lines.push(h.number.clone());
        lines.push(h.party.clone());
        lines.push(h.place_date.clone());
        lines.push(self.title.clone());
        lines.push(self.subtitle.clone());
        lines.extend(self.intro.iter().map(Paragraph::text));
        for s in &self.sections {
            lines.push(s.heading.clone());
            lines.extend(s.paragraphs.iter().map(Paragraph::text));
        }
        lines.extend(self.closing.iter().map(Paragraph::text));
        lines.push(self.signature.on_behalf.clone());
        lines.push(self.signature.title.clone());
        lines.push(self.signature.name.clone());
        lines.push("Nơi nhận:".into());
        lines.extend(self.recipients.iter().map(|r| format!("- {r}")));
        lines.push(self.appendix.title.clone());
        for r in &self.appendix.rows {
            let cells: Vec<&str> = r.cells.iter().map(|c| c.text.as_str()).collect();
            lines.push(format!(
                "{}. {} ({}): {}",
                r.number,
                r.name,
                r.unit,
                cells.join(" | ")
            ));
        }
        for (i, n) in self.footnotes.iter().enumerate() {
            lines.push(format!("[{}] {n}", i + 1));
        }
        lines.join("\n")
    }
}

// ---------------------------------------------------------------- names

/// `Phường Ngọc Thụy` → `phường Ngọc Thụy`, as the name reads inside a sentence.
fn ward_in_text(ward: &Ward) -> String {
    for prefix in ["Phường ", "Xã ", "Thị trấn "] {
        if let Some(rest) = ward.name.strip_prefix(prefix) {
            return format!("{}{rest}", prefix.to_lowercase());
        }
    }
    ward.name.clone()
}

/// The district's Party committee as named in text: `Quận Long Biên` → `Quận ủy`, with
/// its full name `Quận ủy Long Biên`.
fn district_committee(district: Option<&str>) -> (String, Option<String>) {
    let Some(d) = district.map(str::trim).filter(|d| !d.is_empty()) else {
        return ("cấp ủy cấp trên".into(), None);
    };
    for (prefix, committee) in [
        ("Quận ", "Quận ủy"),
        ("Huyện ", "Huyện ủy"),
        ("Thị xã ", "Thị ủy"),
        ("Thành phố ", "Thành ủy"),
    ] {
        if let Some(rest) = d.strip_prefix(prefix) {
            return (committee.into(), Some(format!("{committee} {rest}")));
        }
    }
    ("cấp ủy cấp trên".into(), Some(format!("Cấp ủy {d}")))
}

fn header(draft: &ReviewDraft, ward: &Ward, names: Option<&NameFrom>) -> DocHeader {
    let district = names
        .and_then(|n| n.district.as_deref())
        .or(ward.district.as_deref());
    let superior_body = names
        .and_then(|n| n.superior_body.clone())
        .or_else(|| district.map(|d| format!("ĐẢNG BỘ {}", d.to_uppercase())));
    let place = draft
        .place
        .clone()
        .unwrap_or_else(|| ward.place_name().to_string());
    let number = match &draft.number {
        Some(n) => format!("Số {n}"),
        // A draft awaiting its number leaves room for it, as typed drafts do.
        None => "Số \u{a0}\u{a0}\u{a0}\u{a0}\u{a0}-BC/ĐU".to_string(),
    };
    DocHeader {
        superior_body,
        issuer: format!("ĐẢNG ỦY {}", ward.name.to_uppercase()),
        number,
        party: "ĐẢNG CỘNG SẢN VIỆT NAM".into(),
        place_date: format!("{place}, {}", dates::formal(draft.date)),
    }
}

// ---------------------------------------------------------------- wording

/// How channels read after "được N lượt …".
fn channel_phrase(c: Channel) -> &'static str {
    match c {
        Channel::Radio => "trên hệ thống Đài truyền thanh",
        Channel::Posting => "niêm yết công khai",
        Channel::Portal => "trên Cổng thông tin điện tử",
        Channel::Meeting => "thông qua hội nghị",
        Channel::GroupLeader => "thông qua tổ trưởng dân phố",
        Channel::Written => "bằng văn bản",
    }
}

fn topic_phrase(t: Topic) -> &'static str {
    match t {
        Topic::Qcdc => "về thực hiện QCDC",
        Topic::LandCertificate => "về cấp giấy chứng nhận QSDĐ",
        Topic::SiteClearance => "về bồi thường, GPMB",
        Topic::Ordinance34 => "về Pháp lệnh 34",
        Topic::Decree04 => "về Nghị định 04/2015/NĐ-CP",
        Topic::Law2022 => "về Luật Thực hiện dân chủ ở cơ sở năm 2022",
        Topic::Budget => "về dự toán, quyết toán ngân sách phường",
        Topic::GroupFinance => "về thu, chi quỹ tổ dân phố",
        Topic::FundDrive => "về vận động các loại quỹ",
        Topic::AdminProcedure => "về thủ tục hành chính tại bộ phận một cửa",
        Topic::Election => "về bầu cử tổ trưởng, tổ phó tổ dân phố",
        Topic::Convention => "về quy ước tổ dân phố",
        Topic::Planning => "về quy hoạch",
        Topic::Other => "về các nội dung khác",
    }
}

fn conference_phrase(k: ConferenceKind) -> &'static str {
    match k {
        ConferenceKind::Dissemination => "hội nghị phổ biến, tuyên truyền",
        ConferenceKind::Training => "hội nghị tập huấn, bồi dưỡng",
        ConferenceKind::Review => "hội nghị sơ kết, tổng kết",
        ConferenceKind::ResidentsMeeting => "hội nghị nhân dân ở tổ dân phố",
        ConferenceKind::Briefing => "hội nghị giao ban",
        ConferenceKind::Other => "hội nghị khác",
    }
}

fn document_phrase(k: DocumentKind) -> &'static str {
    match k {
        DocumentKind::EstablishCommittee => "Quyết định thành lập Ban chỉ đạo",
        DocumentKind::ConsolidateCommittee => "Quyết định kiện toàn Ban chỉ đạo",
        // The indicator counts issuing and amending; reviews name the amendments.
        DocumentKind::CommitteeRegulation => "Quyết định sửa đổi Quy chế hoạt động",
        DocumentKind::Plan => "kế hoạch",
        DocumentKind::Guidance => "hướng dẫn",
        DocumentKind::Report => "báo cáo",
        DocumentKind::Other => "văn bản khác",
    }
}

fn recipient_phrase(r: RecipientKind) -> &'static str {
    match r {
        RecipientKind::Individual => "cá nhân",
        RecipientKind::PartyCell => "chi bộ",
        RecipientKind::Collective => "tập thể",
    }
}

/// The family an estimate footnote speaks of. Opinions have no source of their own:
/// they are as documented as the dialogue they were raised in.
fn estimate_family(i: &Indicator) -> Option<(Kind, &'static str)> {
    match i.family() {
        Kind::Conferences => Some((Kind::Conferences, "về hội nghị")),
        Kind::Publicity => Some((Kind::Publicity, "về tin, bài, thông báo")),
        Kind::Dialogues | Kind::Opinions => Some((Kind::Dialogues, "về tiếp xúc, đối thoại")),
        Kind::Documents => Some((Kind::Documents, "về văn bản")),
        Kind::Inspections => Some((Kind::Inspections, "về kiểm tra, giám sát")),
        Kind::Commendations => Some((Kind::Commendations, "về khen thưởng")),
        _ => None,
    }
}

/// `23` or `5,3`: one decimal, none when it is zero, as reports print changes.
fn short_decimal(x: f64) -> String {
    let s = fmt::decimal(x, 1);
    s.strip_suffix(",0").map(str::to_string).unwrap_or(s)
}

/// Free text split into paragraphs at line breaks, blank lines dropped.
fn prose(text: &str) -> Vec<Paragraph> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| Paragraph {
            spans: vec![Span::Text(l.to_string())],
        })
        .collect()
}

// ---------------------------------------------------------------- composition

/// Reads figures out of the two reports and attaches estimate footnotes.
struct Writer<'a> {
    total: &'a Report,
    by_period: &'a Report,
    /// Estimated records over the draft's range, per family.
    estimated: BTreeMap<Kind, i64>,
    /// Family → footnote number, once referenced.
    noted: BTreeMap<Kind, usize>,
    footnotes: Vec<String>,
}

impl<'a> Writer<'a> {
    fn figure(&self, code: &str, period: Option<usize>) -> Option<Figure> {
        let (report, from_total) = match period {
            None => (self.total, true),
            Some(_) => (self.by_period, false),
        };
        let row = report.row(code)?;
        let (value, period) = match period {
            None => (row.total, report.total_period()),
            Some(i) => (*row.values.get(i)?, report.periods.get(i)?.clone()),
        };
        Some(Figure {
            indicator: row.indicator,
            period,
            from_total,
            value,
            text: value.vn(),
        })
    }

    /// The total of `code` over the draft's range (0 when unknown).
    fn total(&self, code: &str) -> i64 {
        self.total.total_of(code)
    }

    /// A figure of the draft's range, followed by the estimate footnote of its family
    /// the first time that family is cited.
    fn cite(&mut self, p: &mut Paragraph, code: &str) {
        let Some(f) = self.figure(code, None) else {
            p.spans.push(Span::Text("—".into()));
            return;
        };
        let family = estimate_family(f.indicator);
        p.spans.push(Span::Figure(f));
        let Some((kind, about)) = family else { return };
        let n = self.estimated.get(&kind).copied().unwrap_or(0);
        if n > 0 && !self.noted.contains_key(&kind) {
            self.footnotes.push(format!(
                "Số liệu {about} có {} bản ghi ước tính (không có văn bản gốc).",
                fmt::thousands(n)
            ));
            self.noted.insert(kind, self.footnotes.len());
            p.spans.push(Span::Note(self.footnotes.len()));
        }
    }
}

/// Builds a paragraph from text and cited figures.
struct Para<'w, 'a> {
    w: &'w mut Writer<'a>,
    p: Paragraph,
}

impl<'w, 'a> Para<'w, 'a> {
    fn new(w: &'w mut Writer<'a>) -> Self {
        Para {
            w,
            p: Paragraph::default(),
        }
    }
    fn t(mut self, s: &str) -> Self {
        // Adjacent text is merged, so renderers see whole phrases.
        if let Some(Span::Text(last)) = self.p.spans.last_mut() {
            last.push_str(s);
        } else {
            self.p.spans.push(Span::Text(s.to_string()));
        }
        self
    }
    fn f(mut self, code: &str) -> Self {
        self.w.cite(&mut self.p, code);
        self
    }
    /// `N phrase` items with a non-zero figure, joined with `sep`.
    fn list(mut self, items: &[(String, String)], sep: &str) -> Self {
        let mut first = true;
        for (code, phrase) in items {
            if self.w.total(code) == 0 {
                continue;
            }
            if !first {
                self = self.t(sep);
            }
            first = false;
            self = self.f(code).t(" ").t(phrase);
        }
        self
    }
    fn done(self) -> Paragraph {
        self.p
    }
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
    let mut est = BTreeMap::new();
    for (k, _, n) in estimated {
        *est.entry(*k).or_insert(0) += n;
    }
    let mut w = Writer {
        total,
        by_period,
        estimated: est,
        noted: BTreeMap::new(),
        footnotes: Vec::new(),
    };
    let district = names
        .and_then(|n| n.district.as_deref())
        .or(ward.district.as_deref());
    let (committee, committee_full) = district_committee(district);
    let ward_text = ward_in_text(ward);
    let range = format!(
        "từ ngày {} đến ngày {}",
        dates::vn(total.from),
        dates::vn(total.to)
    );

    let intro = vec![Para::new(&mut w)
        .t("Thực hiện Chỉ thị số 30-CT/TW, ngày 18/02/1998 của Bộ Chính trị (khóa VIII) về xây dựng và thực hiện Quy chế dân chủ ở cơ sở (QCDC), Đảng ủy ")
        .t(&ward_text)
        .t(" báo cáo kết quả lãnh đạo, chỉ đạo thực hiện QCDC trên địa bàn phường với ")
        .f("residential_groups.count")
        .t(" tổ dân phố, ")
        .t(&range)
        .t(", như sau:")
        .done()];

    let mut sections = vec![Section {
        level: 1,
        heading: "I. KẾT QUẢ THỰC HIỆN".into(),
        paragraphs: Vec::new(),
    }];

    // 1. Leadership and direction.
    let mut docs: Vec<(String, String)> = [
        DocumentKind::ConsolidateCommittee,
        DocumentKind::CommitteeRegulation,
        DocumentKind::EstablishCommittee,
        DocumentKind::Plan,
        DocumentKind::Guidance,
        DocumentKind::Report,
        DocumentKind::Other,
    ]
    .iter()
    .map(|k| (document_code(*k), document_phrase(*k).to_string()))
    .collect();
    docs.retain(|(c, _)| w.total(c) > 0);
    let mut leadership = Vec::new();
    leadership.push(
        Para::new(&mut w)
            .t("Đảng ủy xác định xây dựng và thực hiện QCDC là nhiệm vụ thường xuyên của cả hệ thống chính trị; Ban chỉ đạo thực hiện QCDC của phường được kiện toàn kịp thời mỗi khi có sự thay đổi về nhân sự, phân công nhiệm vụ cụ thể cho từng thành viên.")
            .done(),
    );
    leadership.push(if w.total("documents.count") > 0 {
        Para::new(&mut w)
            .t("Đảng ủy, chính quyền và Ban chỉ đạo đã ban hành ")
            .f("documents.count")
            .t(" văn bản lãnh đạo, chỉ đạo thực hiện QCDC, trong đó có ")
            .list(&docs, ", ")
            .t(".")
            .done()
    } else {
        Para::new(&mut w)
            .t("Trong kỳ chưa ghi nhận văn bản lãnh đạo, chỉ đạo nào về thực hiện QCDC.")
            .done()
    });
    sections.push(Section {
        level: 2,
        heading: "1. Công tác lãnh đạo, chỉ đạo".into(),
        paragraphs: leadership,
    });

    // 2. Dissemination: the article's sentence, clause by clause.
    let mut headline = Para::new(&mut w).t(&capitalise(&range)).t(", ");
    let mut clauses = 0;
    if headline.w.total("conferences.count") > 0 {
        headline = headline
            .t("đã tổ chức ")
            .f("conferences.count")
            .t(" lượt Hội nghị với ")
            .f("conferences.attendees")
            .t(" lượt người tham dự");
        clauses += 1;
    }
    for (code, before, after) in [
        (
            "publicity.radio_qcdc",
            "tuyên truyền trên hệ thống Đài truyền thanh được ",
            " lượt tin, bài về thực hiện QCDC",
        ),
        (
            "publicity.land_site_clearance",
            "",
            " lượt thông báo về cấp giấy chứng nhận QSDĐ, về công khai công tác GPMB",
        ),
        (
            "publicity.ordinance34",
            "",
            " lượt tuyên truyền về Pháp lệnh 34",
        ),
    ] {
        if headline.w.total(code) == 0 {
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
        headline = headline.t(before).f(code).t(after);
        clauses += 1;
    }
    let headline = if clauses == 0 {
        headline
            .t("chưa ghi nhận hội nghị hay tin, bài tuyên truyền nào.")
            .done()
    } else {
        headline.t(".").done()
    };
    let mut dissemination = vec![
        Para::new(&mut w)
            .t("Đảng ủy chỉ đạo các chi bộ, Mặt trận Tổ quốc và các đoàn thể tuyên truyền, phổ biến sâu rộng Chỉ thị 30-CT/TW và các văn bản pháp luật về thực hiện dân chủ ở cơ sở đến cán bộ, đảng viên và nhân dân bằng nhiều hình thức phù hợp: qua hội nghị, hệ thống Đài truyền thanh, niêm yết công khai và thông qua tổ trưởng dân phố.")
            .done(),
        headline,
    ];
    let kinds: Vec<(String, String)> = ConferenceKind::ALL
        .iter()
        .map(|k| {
            (
                format!("conferences.kind.{}", k.code()),
                conference_phrase(*k).to_string(),
            )
        })
        .collect();
    if w.total("conferences.count") > 0 {
        dissemination.push(
            Para::new(&mut w)
                .t("Trong số các hội nghị có ")
                .list(&kinds, "; ")
                .t(".")
                .done(),
        );
    }
    sections.push(Section {
        level: 2,
        heading: "2. Công tác tuyên truyền, phổ biến".into(),
        paragraphs: dissemination,
    });

    // 3. Publicity by channel and topic.
    let channels: Vec<(String, String)> = Channel::ALL
        .iter()
        .map(|c| {
            (
                format!("publicity.channel.{}", c.code()),
                format!("lượt {}", channel_phrase(*c)),
            )
        })
        .collect();
    let topics: Vec<(String, String)> = Topic::ALL
        .iter()
        .map(|t| {
            (
                format!("publicity.topic.{}", t.code()),
                format!("lượt {}", topic_phrase(*t)),
            )
        })
        .collect();
    let publicity = if w.total("publicity.total") > 0 {
        vec![
            Para::new(&mut w)
                .t("Việc công khai các nội dung nhân dân được biết theo Pháp lệnh 34 được thực hiện thường xuyên, tổng số ")
                .f("publicity.total")
                .t(" lượt tin, bài, thông báo, công khai.")
                .done(),
            Para::new(&mut w)
                .t("Theo hình thức: ")
                .list(&channels, "; ")
                .t(".")
                .done(),
            Para::new(&mut w)
                .t("Theo nội dung: ")
                .list(&topics, "; ")
                .t(".")
                .done(),
        ]
    } else {
        vec![Para::new(&mut w)
            .t("Trong kỳ chưa ghi nhận tin, bài, thông báo công khai nào.")
            .done()]
    };
    sections.push(Section {
        level: 2,
        heading: "3. Thực hiện công khai để nhân dân biết".into(),
        paragraphs: publicity,
    });

    // 4. Dialogues and the opinions raised in them.
    let mut dialogue = Vec::new();
    if w.total("dialogues.count") > 0 {
        dialogue.push(
            Para::new(&mut w)
                .t("Thực hiện kế hoạch tiếp xúc, đối thoại trực tiếp giữa người đứng đầu cấp ủy, chính quyền với Mặt trận Tổ quốc, các đoàn thể chính trị – xã hội và nhân dân, đã tổ chức ")
                .f("dialogues.count")
                .t(" buổi tiếp xúc, đối thoại với ")
                .f("dialogues.participants")
                .t(" lượt người tham dự.")
                .done(),
        );
        let opinions = if w.total("opinions.count") == 0 {
            Para::new(&mut w)
                .t("Các buổi đối thoại không phát sinh ý kiến, kiến nghị cần giải quyết.")
                .done()
        } else {
            let p = Para::new(&mut w)
                .t("Tại các buổi đối thoại, nhân dân đã nêu ")
                .f("opinions.count")
                .t(" ý kiến, kiến nghị; đến ngày ")
                .t(&dates::vn(total.to))
                .t(" đã giải quyết ")
                .f("opinions.resolved")
                .t(" ý kiến, đạt ")
                .f("opinions.resolution_rate");
            if p.w.total("opinions.open_at_end") > 0 {
                p.t(", còn ")
                    .f("opinions.open_at_end")
                    .t(" ý kiến đang tiếp tục được theo dõi, giải quyết.")
                    .done()
            } else {
                p.t("; không còn ý kiến tồn đọng.").done()
            }
        };
        dialogue.push(opinions);
    } else {
        dialogue.push(
            Para::new(&mut w)
                .t("Trong kỳ chưa ghi nhận buổi tiếp xúc, đối thoại trực tiếp nào.")
                .done(),
        );
    }
    if w.total("hot_spots.opened") > 0 || w.total("hot_spots.open_at_end") > 0 {
        dialogue.push(
            Para::new(&mut w)
                .t("Trong kỳ phát sinh ")
                .f("hot_spots.opened")
                .t(" điểm nóng về an ninh, trật tự hoặc khiếu kiện đông người; đến ngày ")
                .t(&dates::vn(total.to))
                .t(" còn ")
                .f("hot_spots.open_at_end")
                .t(" điểm chưa giải quyết dứt điểm.")
                .done(),
        );
    }
    sections.push(Section {
        level: 2,
        heading: "4. Tiếp xúc, đối thoại và giải quyết ý kiến, kiến nghị của nhân dân".into(),
        paragraphs: dialogue,
    });

    // 5. Inspection and supervision.
    let inspection_kinds: Vec<(String, String)> = InspectionKind::ALL
        .iter()
        .map(|k| {
            (
                format!("inspections.kind.{}", k.code()),
                format!("cuộc {}", k.label().to_lowercase()),
            )
        })
        .collect();
    let inspections = if w.total("inspections.count") > 0 {
        let p = Para::new(&mut w)
            .t("Đảng ủy, Ủy ban Kiểm tra Đảng ủy, Ban chỉ đạo, Mặt trận Tổ quốc và Ban Thanh tra nhân dân đã tiến hành ")
            .f("inspections.count")
            .t(" cuộc kiểm tra, giám sát việc thực hiện QCDC tại các chi bộ, cơ quan, trường học và tổ dân phố");
        // The split only says something when both kinds took place.
        let kinds = inspection_kinds
            .iter()
            .filter(|(c, _)| p.w.total(c) > 0)
            .count();
        if kinds > 1 {
            p.t(" (").list(&inspection_kinds, ", ").t(").").done()
        } else {
            p.t(".").done()
        }
    } else {
        Para::new(&mut w)
            .t("Trong kỳ chưa ghi nhận cuộc kiểm tra, giám sát nào về thực hiện QCDC.")
            .done()
    };
    sections.push(Section {
        level: 2,
        heading: "5. Công tác kiểm tra, giám sát".into(),
        paragraphs: vec![inspections],
    });

    // 6. Commendations.
    let mut commendation = Vec::new();
    if w.total("commendations.count") > 0 {
        let mut p = Para::new(&mut w).t(
            "Hằng năm, Đảng ủy đánh giá, biểu dương, khen thưởng các tập thể, cá nhân có thành tích trong thực hiện QCDC",
        );
        let mut parts = 0;
        if p.w.total("commendations.party_cells") > 0 {
            p = p
                .t(": ")
                .f("commendations.party_cells")
                .t(" lượt chi bộ được biểu dương, khen thưởng");
            parts += 1;
        }
        if p.w.total("commendations.district_proposals") > 0 {
            let split: Vec<(String, String)> = [
                RecipientKind::Individual,
                RecipientKind::PartyCell,
                RecipientKind::Collective,
            ]
            .iter()
            .map(|r| {
                (
                    format!("commendations.district_proposals.{}", r.code()),
                    recipient_phrase(*r).to_string(),
                )
            })
            .collect();
            p = p
                .t(if parts > 0 { "; " } else { ": " })
                .t("đề nghị ")
                .t(&committee)
                .t(" khen thưởng ")
                .list(&split, ", ");
            parts += 1;
        }
        for (code, phrase) in [
            (
                "commendations.level.district",
                " lượt được cấp quận khen thưởng",
            ),
            (
                "commendations.level.city",
                " lượt được cấp thành phố khen thưởng",
            ),
        ] {
            if p.w.total(code) > 0 {
                p = p.t(if parts > 0 { "; " } else { ": " }).f(code).t(phrase);
                parts += 1;
            }
        }
        commendation.push(p.t(".").done());
        commendation.push(
            Para::new(&mut w)
                .t("Tổng số ")
                .f("commendations.count")
                .t(" lượt tập thể, cá nhân được biểu dương, khen thưởng các cấp.")
                .done(),
        );
    } else {
        commendation.push(
            Para::new(&mut w)
                .t("Trong kỳ chưa ghi nhận lượt khen thưởng, biểu dương nào.")
                .done(),
        );
    }
    sections.push(Section {
        level: 2,
        heading: "6. Công tác thi đua, khen thưởng".into(),
        paragraphs: commendation,
    });

    // 7. The last named period against the one before it.
    if let Some(paragraphs) = comparison(&mut w) {
        sections.push(Section {
            level: 2,
            heading: "7. So sánh với giai đoạn trước".into(),
            paragraphs,
        });
    }

    // The parts the committee writes.
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
    sections.push(Section {
        level: 1,
        heading: "II. HẠN CHẾ VÀ NGUYÊN NHÂN".into(),
        paragraphs: Vec::new(),
    });
    sections.push(written(
        "1. Hạn chế",
        2,
        &draft.limitations,
        "(Đảng ủy bổ sung những hạn chế, tồn tại.)",
    ));
    sections.push(written(
        "2. Nguyên nhân",
        2,
        &draft.causes,
        "(Đảng ủy bổ sung nguyên nhân khách quan, chủ quan.)",
    ));
    sections.push(written(
        "III. BÀI HỌC KINH NGHIỆM",
        1,
        &draft.lessons,
        "(Đảng ủy bổ sung bài học kinh nghiệm.)",
    ));
    sections.push(written(
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        1,
        &draft.directions,
        "(Đảng ủy bổ sung phương hướng, nhiệm vụ.)",
    ));
    sections.push(written(
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
        1,
        &draft.recommendations,
        "(Đảng ủy bổ sung kiến nghị, đề xuất.)",
    ));

    let closing = vec![Paragraph {
        spans: vec![Span::Text(format!(
            "Trên đây là báo cáo tổng kết công tác xây dựng và thực hiện Quy chế dân chủ ở cơ sở của Đảng ủy {ward_text} {range}."
        ))],
    }];

    let recipients = match draft.recipients.as_deref() {
        Some(r) => r
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '–']).trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        None => {
            let mut v = Vec::new();
            v.push(match &committee_full {
                Some(c) => format!("Ban Thường vụ {c} (để báo cáo),"),
                None => "Cấp ủy cấp trên (để báo cáo),".to_string(),
            });
            v.push("Các đồng chí Đảng ủy viên,".into());
            v.push("Các chi bộ trực thuộc,".into());
            v.push("Lưu Văn phòng Đảng ủy.".into());
            v
        }
    };

    let appendix = appendix(&w);
    ReviewDocument {
        header: header(draft, ward, names),
        title: draft.title.to_uppercase(),
        subtitle: format!("({})", capitalise(&range)),
        intro,
        sections,
        closing,
        signature: Signature {
            on_behalf: draft.on_behalf.to_uppercase(),
            title: draft.signer_title.to_uppercase(),
            name: draft.signer_name.clone().unwrap_or_default(),
        },
        recipients,
        appendix,
        footnotes: w.footnotes,
    }
}

fn document_code(k: DocumentKind) -> String {
    match k {
        DocumentKind::ConsolidateCommittee => "documents.consolidate_committee".into(),
        DocumentKind::CommitteeRegulation => "documents.committee_regulation".into(),
        other => format!("documents.kind.{}", other.code()),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Length of a period in years (365.25 days), for yearly averages.
fn years(p: &Period) -> f64 {
    ((p.end - p.start).num_days() + 1) as f64 / 365.25
}

/// The last period of the by-period report against the one before it. Periods of
/// unequal length (a 6-year and a 4½-year period) are compared by their yearly average,
/// which is what the comparison means; equal ones by their totals.
fn comparison(w: &mut Writer<'_>) -> Option<Vec<Paragraph>> {
    let n = w.by_period.periods.len();
    if n < 2 {
        return None;
    }
    let (prev, last) = (n - 2, n - 1);
    let (pp, lp) = (
        w.by_period.periods[prev].clone(),
        w.by_period.periods[last].clone(),
    );
    let (yp, yl) = (years(&pp), years(&lp));
    let equal = (pp.end - pp.start) == (lp.end - lp.start);
    let mut out = vec![Paragraph {
        spans: vec![Span::Text(format!(
            "So với giai đoạn {} ({} – {}), trong giai đoạn {} ({} – {}){}:",
            pp.label,
            dates::vn(pp.start),
            dates::vn(pp.end),
            lp.label,
            dates::vn(lp.start),
            dates::vn(lp.end),
            if equal {
                ""
            } else {
                ", tính bình quân mỗi năm"
            }
        ))],
    }];
    for (code, what, unit) in [
        ("conferences.count", "số hội nghị", "hội nghị"),
        (
            "conferences.attendees",
            "số lượt người dự hội nghị",
            "lượt người",
        ),
        (
            "publicity.total",
            "số lượt tin, bài, thông báo, công khai",
            "lượt",
        ),
        ("dialogues.count", "số buổi tiếp xúc, đối thoại", "buổi"),
        ("opinions.count", "số ý kiến, kiến nghị được nêu", "ý kiến"),
        ("inspections.count", "số cuộc kiểm tra, giám sát", "cuộc"),
        (
            "commendations.party_cells",
            "số lượt chi bộ được biểu dương, khen thưởng",
            "lượt",
        ),
    ] {
        let (Some(a), Some(b)) = (w.figure(code, Some(prev)), w.figure(code, Some(last))) else {
            continue;
        };
        let (va, vb) = (a.value.count(), b.value.count());
        let (ra, rb) = if equal {
            (va as f64, vb as f64)
        } else {
            (va as f64 / yp, vb as f64 / yl)
        };
        let change = match report::rate_change_percent(ra, rb) {
            None if rb == 0.0 => "không thay đổi".to_string(),
            None => "phát sinh mới".to_string(),
            Some(c) if c.abs() < 0.05 => "tương đương".to_string(),
            Some(c) if c > 0.0 => format!("tăng {}%", short_decimal(c)),
            Some(c) => format!("giảm {}%", short_decimal(-c)),
        };
        let mut p = Paragraph {
            spans: vec![Span::Text(format!("- {what}: "))],
        };
        p.spans.push(Span::Figure(b));
        if equal {
            p.spans.push(Span::Text(format!(
                " {unit}, {change} so với giai đoạn trước ("
            )));
            p.spans.push(Span::Figure(a));
            p.spans.push(Span::Text(format!(" {unit});")));
        } else {
            p.spans.push(Span::Text(format!(
                " {unit} (bình quân {} {unit}/năm), {change} so với giai đoạn trước (",
                fmt::decimal(rb, 1)
            )));
            p.spans.push(Span::Figure(a));
            p.spans.push(Span::Text(format!(
                " {unit}, bình quân {} {unit}/năm);",
                fmt::decimal(ra, 1)
            )));
        }
        out.push(p);
    }
    // The last item ends the list.
    if let Some(Span::Text(t)) = out.last_mut().and_then(|p| p.spans.last_mut()) {
        if let Some(s) = t.strip_suffix(';') {
            *t = format!("{s}.");
        }
    }
    Some(out)
}

/// Indicators × periods: the design's main indicators and the resolution rate, one
/// column per period of the by-period report, and the draft's range unless one of those
/// periods is exactly it.
fn appendix(w: &Writer<'_>) -> Appendix {
    let range = w.total.total_period();
    let same = w
        .by_period
        .periods
        .iter()
        .any(|p| p.start == range.start && p.end == range.end);
    let mut columns: Vec<String> = w
        .by_period
        .periods
        .iter()
        .map(|p| format!("Giai đoạn {}", p.label))
        .collect();
    if !same {
        columns.push(format!(
            "Từ {} đến {}",
            dates::vn(range.start),
            dates::vn(range.end)
        ));
    }
    let codes = report::indicators()
        .iter()
        .filter(|i| i.main || i.code == "opinions.resolution_rate");
    let rows = codes
        .enumerate()
        .map(|(n, i)| {
            let mut cells: Vec<Figure> = (0..w.by_period.periods.len())
                .filter_map(|p| w.figure(&i.code, Some(p)))
                .collect();
            if !same {
                cells.extend(w.figure(&i.code, None));
            }
            AppendixRow {
                number: n + 1,
                name: i.name.clone(),
                unit: i.unit.to_string(),
                cells,
            }
        })
        .collect();
    Appendix {
        title: "PHỤ LỤC: SỐ LIỆU THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ QUA CÁC GIAI ĐOẠN".into(),
        columns,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{
        assemble, period_grid, CommendationFact, ConferenceFact, DialogueFact, Facts, Grouping,
        KindFact, OpinionFact, PublicityFact,
    };
    use crate::ward::{names_on, ReviewPeriod};

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
        assert_eq!(short_decimal(5.25), "5,2");
    }

    #[test]
    fn figures_are_read_from_the_reports() {
        let dd = doc(&[]);
        let (total, by_period) = reports();
        let figures = dd.figures();
        assert!(figures.len() > 40);
        for f in figures {
            let (r, value) = if f.from_total {
                (&total, total.row(&f.indicator.code).map(|r| r.total))
            } else {
                let i = by_period
                    .periods
                    .iter()
                    .position(|p| *p == f.period)
                    .expect("period of the report");
                (
                    &by_period,
                    by_period.row(&f.indicator.code).map(|r| r.values[i]),
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
        assert_eq!(dd.appendix.rows.len(), 17);
        assert_eq!(dd.appendix.rows[1].cells[0].text, "5.135");
        assert_eq!(dd.appendix.rows[1].cells[1].text, "15.135");
        assert_eq!(dd.appendix.rows[16].cells[1].text, "99,1%");
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
}
