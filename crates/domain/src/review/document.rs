//! The structured review document that renderers (HTML, .docx) lay out: paragraphs of
//! text and figures, sections, the header, the signature and the appendix table.

use crate::report::{Indicator, Period, Value};

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
