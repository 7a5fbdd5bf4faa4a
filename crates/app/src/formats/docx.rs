//! The review document as a Word file.

use std::io::Cursor;

use chrono::{DateTime, Utc};
use domain::review::{DocHeader, Paragraph, ReviewDocument, Span};

/// The file's core properties (File › Info in Word): who wrote it and when. The title
/// is the document's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Properties {
    /// The ward, e.g. `Phường Ngọc Thụy`: Word's "Author" and "Last modified by".
    pub author: String,
    /// When the file was made (Word shows it in local time).
    pub created: DateTime<Utc>,
}

/// Text for XML character data and attribute values.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and line feed are not allowed in XML 1.0.
            c if c.is_control() && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// `docProps/core.xml`: title, author, creation and modification time. docx-rs writes
/// only the dates, so the part is written here.
fn core_xml(title: &str, p: &Properties) -> Vec<u8> {
    let when = p.created.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let author = xml_escape(&p.author);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            r#"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"#,
            r#"<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision><dc:language>vi-VN</dc:language>"#,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>"#,
            r#"</cp:coreProperties>"#
        ),
        title = xml_escape(title),
        author = author,
        when = when,
    )
    .into_bytes()
}

/// Twentieths of a point per millimetre: Word measures pages in twips.
fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

const FONT: &str = "Times New Roman";
/// Half-points: 14 pt for the body, 13 pt for the header's left column, 12 pt tables.
const BODY: usize = 28;
const SMALL: usize = 26;
const TABLE: usize = 24;

fn fonts() -> docx_rs::RunFonts {
    docx_rs::RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

fn run(text: &str) -> docx_rs::Run {
    docx_rs::Run::new().add_text(text).fonts(fonts())
}

fn centred(r: docx_rs::Run) -> docx_rs::Paragraph {
    docx_rs::Paragraph::new()
        .add_run(r)
        .align(docx_rs::AlignmentType::Center)
}

fn body_paragraph(
    p: &Paragraph,
    notes: &[docx_rs::Footnote],
    size: usize,
    indent: bool,
) -> docx_rs::Paragraph {
    use docx_rs::{AlignmentType, LineSpacing, SpecialIndentType};
    let mut out = docx_rs::Paragraph::new()
        .align(AlignmentType::Both)
        .line_spacing(LineSpacing::new().after(120));
    if indent {
        out = out.indent(
            None,
            Some(SpecialIndentType::FirstLine(mm(10.0))),
            None,
            None,
        );
    }
    for s in &p.spans {
        out = match s {
            Span::Text(t) => out.add_run(run(t).size(size)),
            Span::Figure(f) => out.add_run(run(&f.text).size(size)),
            Span::Placeholder(t) => out.add_run(run(t).size(size).italic()),
            Span::Note(n) => match notes.get(n.saturating_sub(1)) {
                Some(fnote) => {
                    let mut r = docx_rs::Run::new().add_footnote_reference(fnote.clone());
                    // The reference style may be missing from the package's styles, so
                    // the mark is raised explicitly.
                    r.run_property = r
                        .run_property
                        .vert_align(docx_rs::VertAlignType::SuperScript)
                        .fonts(fonts());
                    out.add_run(r)
                }
                None => out.add_run(run(&format!("[{n}]")).size(size)),
            },
        };
    }
    out
}

fn cell(paragraphs: Vec<docx_rs::Paragraph>, width: usize) -> docx_rs::TableCell {
    let mut c = docx_rs::TableCell::new().width(width, docx_rs::WidthType::Dxa);
    for p in paragraphs {
        c = c.add_paragraph(p);
    }
    c
}

/// The same document as a Word file: A4, margins 20/15/20/30 mm, Times New Roman 14 pt,
/// the header as a borderless two-column table, the title centred in bold, Word
/// footnotes for the estimate notes, the appendix as a bordered table on its own page;
/// its properties name the document's title, the ward as author and `props.created`.
pub fn render_docx(doc: &ReviewDocument, props: &Properties) -> anyhow::Result<Vec<u8>> {
    // A4 is 210 × 297 mm; the text block is what the margins leave.
    let text_width = (mm(210.0) - mm(30.0) - mm(15.0)) as usize;
    let mut d = page()
        .add_table(header_table(&doc.header, text_width))
        .add_paragraph(
            centred(run(&doc.title).size(BODY).bold())
                .line_spacing(docx_rs::LineSpacing::new().before(240)),
        )
        .add_paragraph(
            centred(run(&doc.subtitle).size(BODY).italic())
                .line_spacing(docx_rs::LineSpacing::new().after(240)),
        );
    for p in body(doc) {
        d = d.add_paragraph(p);
    }
    d = d
        .add_table(signature_table(doc, text_width))
        // The appendix starts a new page.
        .add_paragraph(
            centred(
                run(&doc.appendix.title)
                    .size(BODY)
                    .bold()
                    .add_break(docx_rs::BreakType::Page),
            )
            .line_spacing(docx_rs::LineSpacing::new().after(120)),
        )
        .add_table(appendix_table(doc, text_width));

    let mut xml = d.build();
    xml.doc_props.core = core_xml(&doc.title, props);
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)?;
    Ok(out.into_inner())
}

/// An empty A4 document with the Party document margins and fonts.
fn page() -> docx_rs::Docx {
    docx_rs::Docx::new()
        .page_size(mm(210.0) as u32, mm(297.0) as u32)
        .page_margin(
            docx_rs::PageMargin::new()
                .top(mm(20.0))
                .right(mm(15.0))
                .bottom(mm(20.0))
                .left(mm(30.0))
                .header(mm(10.0))
                .footer(mm(10.0)),
        )
        .default_fonts(fonts())
        .default_size(BODY)
}

/// The document header: issuer and number on the left, the Party motto and the place
/// and date on the right, as a borderless table.
fn header_table(h: &DocHeader, text_width: usize) -> docx_rs::Table {
    let left_w = text_width * 42 / 100;
    let right_w = text_width - left_w;
    let mut left = Vec::new();
    if let Some(s) = &h.superior_body {
        left.push(centred(run(s).size(SMALL)));
    }
    left.push(centred(run(&h.issuer).size(SMALL).bold()));
    left.push(centred(run("*").size(SMALL)));
    left.push(centred(run(&h.number).size(BODY)));
    let right = vec![
        centred(run(&h.party).size(BODY).bold().underline("single")),
        centred(run(""))
            .line_spacing(docx_rs::LineSpacing::new().after(0))
            .size(SMALL),
        centred(run(&h.place_date).size(BODY).italic()),
    ];
    docx_rs::Table::without_borders(vec![docx_rs::TableRow::new(vec![
        cell(left, left_w),
        cell(right, right_w),
    ])])
    .set_grid(vec![left_w, right_w])
    .width(text_width, docx_rs::WidthType::Dxa)
}

/// The introduction, the sections with their headings, and the closing paragraphs.
fn body(doc: &ReviewDocument) -> Vec<docx_rs::Paragraph> {
    // Ids set here rather than by docx-rs's process-wide counter, so that the same
    // document always gives the same file.
    let notes: Vec<docx_rs::Footnote> = doc
        .footnotes
        .iter()
        .enumerate()
        .map(|(i, text)| docx_rs::Footnote {
            id: i + 1,
            content: vec![docx_rs::Paragraph::new().add_run(run(text).size(TABLE))],
        })
        .collect();
    let para = |p| body_paragraph(p, &notes, BODY, true);
    let mut out: Vec<docx_rs::Paragraph> = doc.intro.iter().map(para).collect();
    for s in &doc.sections {
        let mut r = run(&s.heading).size(BODY).bold();
        if s.level > 1 {
            r = r.italic();
        }
        out.push(
            docx_rs::Paragraph::new()
                .add_run(r)
                .keep_next(true)
                .indent(
                    None,
                    Some(docx_rs::SpecialIndentType::FirstLine(mm(10.0))),
                    None,
                    None,
                )
                .line_spacing(docx_rs::LineSpacing::new().before(120).after(60)),
        );
        out.extend(s.paragraphs.iter().map(para));
    }
    out.extend(doc.closing.iter().map(para));
    out
}

/// Signature block: "Nơi nhận" on the left, the signer on the right.
fn signature_table(doc: &ReviewDocument, text_width: usize) -> docx_rs::Table {
    let mut recipients =
        vec![docx_rs::Paragraph::new().add_run(run("Nơi nhận:").size(TABLE).bold().italic())];
    recipients.extend(
        doc.recipients
            .iter()
            .map(|r| docx_rs::Paragraph::new().add_run(run(&format!("- {r}")).size(TABLE))),
    );
    let signer = vec![
        centred(run(&doc.signature.on_behalf).size(BODY).bold()),
        centred(run(&doc.signature.title).size(BODY).bold()),
        docx_rs::Paragraph::new().line_spacing(docx_rs::LineSpacing::new().before(1200)),
        centred(run(&doc.signature.name).size(BODY).bold()),
    ];
    let rw = text_width * 45 / 100;
    docx_rs::Table::without_borders(vec![docx_rs::TableRow::new(vec![
        cell(recipients, rw),
        cell(signer, text_width - rw),
    ])
    .cant_split()])
    .set_grid(vec![rw, text_width - rw])
    .width(text_width, docx_rs::WidthType::Dxa)
}

/// The appendix: number, indicator, unit, then one column per period.
fn appendix_table(doc: &ReviewDocument, text_width: usize) -> docx_rs::Table {
    use docx_rs::{AlignmentType, TableRow};
    let n = doc.appendix.columns.len();
    let fixed = [
        text_width * 6 / 100,
        text_width * 40 / 100,
        text_width * 14 / 100,
    ];
    let rest = text_width.saturating_sub(fixed.iter().sum::<usize>());
    let col_w = rest.checked_div(n).unwrap_or(rest);
    let mut grid = fixed.to_vec();
    grid.extend(std::iter::repeat_n(col_w, n));
    let head = |t: &str, w: usize| cell(vec![centred(run(t).size(TABLE).bold())], w);
    let mut header_cells = vec![
        head("TT", fixed[0]),
        head("Chỉ tiêu", fixed[1]),
        head("Đơn vị tính", fixed[2]),
    ];
    header_cells.extend(doc.appendix.columns.iter().map(|c| head(c, col_w)));
    let mut rows = vec![TableRow::new(header_cells)];
    for r in &doc.appendix.rows {
        let mut cells = vec![
            cell(
                vec![centred(run(&r.number.to_string()).size(TABLE))],
                fixed[0],
            ),
            cell(
                vec![docx_rs::Paragraph::new().add_run(run(&r.name).size(TABLE))],
                fixed[1],
            ),
            cell(vec![centred(run(&r.unit).size(TABLE))], fixed[2]),
        ];
        cells.extend(r.cells.iter().map(|c| {
            cell(
                vec![docx_rs::Paragraph::new()
                    .add_run(run(&c.text).size(TABLE))
                    .align(AlignmentType::Right)],
                col_w,
            )
        }));
        rows.push(TableRow::new(cells));
    }
    docx_rs::Table::new(rows)
        .set_grid(grid)
        .width(text_width, docx_rs::WidthType::Dxa)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millimetres_to_twips() {
        assert_eq!(mm(20.0), 1134);
        assert_eq!(mm(30.0), 1701);
        assert_eq!(mm(15.0), 850);
        assert_eq!(mm(210.0), 11906);
        assert_eq!(mm(297.0), 16838);
    }
}
