//! The review draft's outputs: fetching what `domain::review::compose` needs
//! ([`compose_for`]), the document as semantic HTML for the page and for printing
//! ([`render_html`] with [`PRINT_CSS`], served as a static file since the CSP forbids
//! inline styles), and as a Word file ([`render_docx`]). Both renderers lay out the same
//! [`ReviewDocument`], so the page, the print-out and the .docx say the same thing.

use std::io::Cursor;

use domain::dates;
use domain::report::{self, Grouping};
use domain::review::{self, Figure, Paragraph, ReviewDocument, ReviewDraft, Span};
use domain::ward::names_on;
use maud::{html, Markup};
use store::{Store, WardId};

/// Everything `compose` reads, through the one report path ([`crate::reports::build`]).
///
/// The by-period report starts at the earliest named review period that begins on or
/// before the draft's range (or at the range itself), so that the draft's last period can
/// be compared with the previous ones and the appendix shows them side by side; the body's
/// figures all come from the total report over exactly the draft's range.
pub async fn compose_for(
    store: &Store,
    ward: WardId,
    draft: &ReviewDraft,
) -> anyhow::Result<ReviewDocument> {
    let w = store.ward(ward).await?;
    let names = store.ward_names(ward).await?;
    let total = crate::reports::build(
        store,
        ward,
        Some(draft.from),
        Some(draft.to),
        Grouping::Total,
    )
    .await?;
    let start = store
        .review_periods(ward)
        .await?
        .iter()
        .map(|p| p.start)
        .filter(|s| *s <= draft.from)
        .min()
        .unwrap_or(draft.from);
    let by_period =
        crate::reports::build(store, ward, Some(start), Some(draft.to), Grouping::Period).await?;
    let estimated = store
        .estimated_counts(ward, &report::query_grid(&[], draft.from, draft.to))
        .await?;
    Ok(review::compose(
        draft,
        &w,
        names_on(&names, draft.date),
        &total,
        &by_period,
        &estimated,
    ))
}

// ---------------------------------------------------------------- HTML

/// The print stylesheet for the document (served as a static file, e.g.
/// `/static/review.css`). A4 with the margins of Party documents (top 20, right 15,
/// bottom 20, left 30 mm), Times New Roman 14 pt; everything but the document is hidden
/// when printing.
pub const PRINT_CSS: &str = r#"/* QCDC review draft: the document, on screen and on A4 paper. */
.review-doc {
  font-family: "Times New Roman", Times, serif;
  font-size: 14pt;
  line-height: 1.4;
  color: #000;
  background: #fff;
  max-width: 165mm;
  margin: 0 auto;
  padding: 20mm 15mm 20mm 30mm;
  box-sizing: content-box;
}
.review-doc p { margin: 0 0 6pt; text-align: justify; text-indent: 1cm; }
.review-doc .doc-header { width: 100%; border-collapse: collapse; margin-bottom: 12pt; }
.review-doc .doc-header td { vertical-align: top; text-align: center; padding: 0; border: 0; }
.review-doc .doc-header .left { width: 42%; font-size: 13pt; }
.review-doc .doc-header .right { width: 58%; }
.review-doc .doc-header p { text-align: center; text-indent: 0; margin: 0; }
.review-doc .doc-header .issuer, .review-doc .doc-header .party { font-weight: bold; }
.review-doc .doc-header .party { text-decoration: underline; }
.review-doc .doc-header .number { font-size: 14pt; }
.review-doc .doc-header .place-date { font-style: italic; margin-top: 8pt; }
.review-doc h1 { font-size: 14pt; font-weight: bold; text-align: center; margin: 12pt 0 0; text-transform: uppercase; }
.review-doc .doc-subtitle { text-align: center; text-indent: 0; font-style: italic; }
.review-doc .doc-subtitle::after { content: ""; display: block; width: 5em; margin: 4pt auto 0; border-bottom: 1px solid #000; }
.review-doc h2 { font-size: 14pt; font-weight: bold; margin: 10pt 0 4pt; text-indent: 1cm; }
.review-doc h3 { font-size: 14pt; font-weight: bold; font-style: italic; margin: 6pt 0 4pt; text-indent: 1cm; }
.review-doc a.figure { color: inherit; text-decoration: none; border-bottom: 1px dotted #1a4f8b; }
.review-doc a.figure:hover { background: #eef4fb; }
.review-doc .placeholder { color: #777; font-style: italic; }
.review-doc sup a { color: inherit; text-decoration: none; }
.review-doc .doc-end { width: 100%; border-collapse: collapse; margin-top: 12pt; page-break-inside: avoid; }
.review-doc .doc-end td { vertical-align: top; border: 0; padding: 0; }
.review-doc .doc-end .recipients { width: 45%; font-size: 12pt; }
.review-doc .doc-end .recipients p { text-indent: 0; margin: 0; text-align: left; }
.review-doc .doc-end .recipients .label { font-weight: bold; font-style: italic; }
.review-doc .doc-end .signer { width: 55%; text-align: center; }
.review-doc .doc-end .signer p { text-align: center; text-indent: 0; margin: 0; font-weight: bold; }
.review-doc .doc-end .signer .space { height: 25mm; }
.review-doc .footnotes { font-size: 11pt; margin-top: 12pt; border-top: 1px solid #000; width: 40%; }
.review-doc .footnotes ol { margin: 4pt 0 0; padding-left: 1.5em; width: 250%; }
.review-doc .appendix { page-break-before: always; break-before: page; margin-top: 24pt; }
.review-doc .appendix h2 { text-align: center; text-indent: 0; }
.review-doc .doc-appendix { width: 100%; border-collapse: collapse; font-size: 12pt; }
.review-doc .doc-appendix th, .review-doc .doc-appendix td { border: 1px solid #000; padding: 2pt 4pt; }
.review-doc .doc-appendix th { text-align: center; }
.review-doc .doc-appendix td.num { text-align: right; white-space: nowrap; }
.review-doc .doc-appendix td.tt { text-align: center; }

@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
@media print {
  /* The app's chrome (navigation, forms, buttons, flash messages) never prints. */
  body > header, body > nav, body > footer, nav, form, button, .no-print, .flash { display: none !important; }
  body { margin: 0; background: #fff; }
  .review-doc { max-width: none; margin: 0; padding: 0; }
  .review-doc a.figure { border-bottom: 0; }
  .review-doc .placeholder { color: #000; }
}
"#;

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The list of records behind a figure (`/conferences?from=…&to=…`), per the routes of
/// DESIGN §4; `None` for figures without one (a rate).
pub fn figure_href(f: &Figure) -> Option<String> {
    let (kind, query) = f.indicator.drilldown(&f.period)?;
    let path = kind.code().replace('_', "-");
    let q: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    Some(format!("/{path}?{}", q.join("&")))
}

fn spans(p: &Paragraph) -> Markup {
    html! {
        @for s in &p.spans {
            @match s {
                Span::Text(t) => (t),
                Span::Figure(f) => @match figure_href(f) {
                    Some(href) => a.figure href=(href) data-indicator=(f.indicator.code)
                        data-period=(f.period.label) title=(f.indicator.name) { (f.text) },
                    None => span.figure data-indicator=(f.indicator.code) title=(f.indicator.name) { (f.text) },
                },
                Span::Note(n) => sup { a href={ "#fn-" (n) } id={ "fnref-" (n) } { (n) } },
                Span::Placeholder(t) => em.placeholder { (t) },
            }
        }
    }
}

/// The document as semantic HTML, to be placed in the app's layout and styled by
/// [`PRINT_CSS`]. Figures link to their records.
pub fn render_html(doc: &ReviewDocument) -> Markup {
    let h = &doc.header;
    html! {
        article.review-doc lang="vi" {
            table.doc-header role="presentation" {
                tr {
                    td.left {
                        @if let Some(s) = &h.superior_body { p.superior { (s) } }
                        p.issuer { (h.issuer) }
                        p.star { "*" }
                        p.number { (h.number) }
                    }
                    td.right {
                        p.party { (h.party) }
                        p.place-date { em { (h.place_date) } }
                    }
                }
            }
            h1.doc-title { (doc.title) }
            p.doc-subtitle { (doc.subtitle) }
            @for p in &doc.intro { p { (spans(p)) } }
            @for s in &doc.sections {
                @if s.level <= 1 { h2 { (s.heading) } } @else { h3 { (s.heading) } }
                @for p in &s.paragraphs { p { (spans(p)) } }
            }
            @for p in &doc.closing { p { (spans(p)) } }
            table.doc-end role="presentation" {
                tr {
                    td.recipients {
                        p.label { "Nơi nhận:" }
                        @for r in &doc.recipients { p { "- " (r) } }
                    }
                    td.signer {
                        p { (doc.signature.on_behalf) }
                        p { (doc.signature.title) }
                        div.space {}
                        p { (doc.signature.name) }
                    }
                }
            }
            @if !doc.footnotes.is_empty() {
                section.footnotes {
                    ol {
                        @for (i, n) in doc.footnotes.iter().enumerate() {
                            li id={ "fn-" (i + 1) } { (n) " " a href={ "#fnref-" (i + 1) } aria-label="Quay lại" { "↩" } }
                        }
                    }
                }
            }
            section.appendix {
                h2 { (doc.appendix.title) }
                table.doc-appendix {
                    thead {
                        tr {
                            th scope="col" { "TT" }
                            th scope="col" { "Chỉ tiêu" }
                            th scope="col" { "Đơn vị tính" }
                            @for c in &doc.appendix.columns { th scope="col" { (c) } }
                        }
                    }
                    tbody {
                        @for r in &doc.appendix.rows {
                            tr {
                                td.tt { (r.number) }
                                th scope="row" { (r.name) }
                                td { (r.unit) }
                                @for c in &r.cells {
                                    td.num {
                                        @match figure_href(c) {
                                            Some(href) => a.figure href=(href) data-indicator=(c.indicator.code) data-period=(c.period.label) { (c.text) },
                                            None => (c.text),
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Fields typed as free text (a textarea) rather than one line.
const LONG_FIELDS: &[&str] = &[
    "limitations",
    "causes",
    "lessons",
    "directions",
    "recommendations",
    "recipients",
];

/// The draft's edit form as a fragment (the layout, the submit route and `hidden`
/// fields such as the anti-forgery token are the caller's): every field of `domain::review::FIELDS` with its value from `input` and
/// its Vietnamese error from `errors`. Posting it gives the `Input` that
/// `ReviewDraft::parse` reads. For a new draft pass `ReviewDraft::suggested(..).to_input()`.
pub fn render_form(
    action: &str,
    hidden: Markup,
    input: &domain::Input,
    errors: &domain::FieldErrors,
) -> Markup {
    html! {
        form.review-form method="post" action=(action) novalidate {
            (hidden)
            @if !errors.is_empty() {
                p.form-error role="alert" { "Vui lòng sửa các ô được đánh dấu bên dưới." }
            }
            @for (name, label) in review::FIELDS {
                @let id = format!("review-{name}");
                @let err = errors.get(name);
                div.field.has-error[err.is_some()] {
                    label for=(id) { (label) }
                    @if LONG_FIELDS.contains(name) {
                        textarea id=(id) name=(name) rows="6"
                            aria-invalid=[err.map(|_| "true")]
                            aria-describedby=[err.map(|_| format!("{id}-error"))] { (input.get(name)) }
                    } @else {
                        input id=(id) name=(name) type="text" value=(input.get(name))
                            placeholder=[matches!(*name, "date" | "from" | "to").then_some("dd/mm/yyyy")]
                            aria-invalid=[err.map(|_| "true")]
                            aria-describedby=[err.map(|_| format!("{id}-error"))];
                    }
                    @if let Some(m) = err { p.error id={ (id) "-error" } { (m) } }
                }
            }
            button type="submit" { "Lưu bản dự thảo" }
        }
    }
}

// ---------------------------------------------------------------- .docx

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
/// footnotes for the estimate notes, the appendix as a bordered table on its own page.
pub fn render_docx(doc: &ReviewDocument) -> anyhow::Result<Vec<u8>> {
    use docx_rs::{AlignmentType, BreakType, Docx, PageMargin, Table, TableRow};

    // A4 is 210 × 297 mm; the text block is what the margins leave.
    let text_width = (mm(210.0) - mm(30.0) - mm(15.0)) as usize;
    let mut d = Docx::new()
        .page_size(mm(210.0) as u32, mm(297.0) as u32)
        .page_margin(
            PageMargin::new()
                .top(mm(20.0))
                .right(mm(15.0))
                .bottom(mm(20.0))
                .left(mm(30.0))
                .header(mm(10.0))
                .footer(mm(10.0)),
        )
        .default_fonts(fonts())
        .default_size(BODY);

    let h = &doc.header;
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
    d = d.add_table(
        Table::without_borders(vec![TableRow::new(vec![
            cell(left, left_w),
            cell(right, right_w),
        ])])
        .set_grid(vec![left_w, right_w])
        .width(text_width, docx_rs::WidthType::Dxa),
    );

    d = d
        .add_paragraph(
            centred(run(&doc.title).size(BODY).bold())
                .line_spacing(docx_rs::LineSpacing::new().before(240)),
        )
        .add_paragraph(
            centred(run(&doc.subtitle).size(BODY).italic())
                .line_spacing(docx_rs::LineSpacing::new().after(240)),
        );

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

    for p in &doc.intro {
        d = d.add_paragraph(body_paragraph(p, &notes, BODY, true));
    }
    for s in &doc.sections {
        let mut r = run(&s.heading).size(BODY).bold();
        if s.level > 1 {
            r = r.italic();
        }
        d = d.add_paragraph(
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
        for p in &s.paragraphs {
            d = d.add_paragraph(body_paragraph(p, &notes, BODY, true));
        }
    }
    for p in &doc.closing {
        d = d.add_paragraph(body_paragraph(p, &notes, BODY, true));
    }

    // Signature block: "Nơi nhận" on the left, the signer on the right.
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
    d = d.add_table(
        Table::without_borders(vec![TableRow::new(vec![
            cell(recipients, rw),
            cell(signer, text_width - rw),
        ])
        .cant_split()])
        .set_grid(vec![rw, text_width - rw])
        .width(text_width, docx_rs::WidthType::Dxa),
    );

    // The appendix starts a new page.
    d = d.add_paragraph(
        centred(
            run(&doc.appendix.title)
                .size(BODY)
                .bold()
                .add_break(BreakType::Page),
        )
        .line_spacing(docx_rs::LineSpacing::new().after(120)),
    );
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
    d = d.add_table(
        Table::new(rows)
            .set_grid(grid)
            .width(text_width, docx_rs::WidthType::Dxa),
    );

    let mut out = Cursor::new(Vec::new());
    d.build().pack(&mut out)?;
    Ok(out.into_inner())
}

/// The suggested draft's fields for a range, as form pairs (for tests and scripts).
pub fn suggested_pairs(from: &str, to: &str) -> Vec<(String, String)> {
    match (dates::parse_date(from), dates::parse_date(to)) {
        (Ok(f), Ok(t)) => ReviewDraft::suggested(f, t, t)
            .to_input()
            .0
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
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

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("2018-06-27"), "2018-06-27");
        assert_eq!(encode("a b&c"), "a%20b%26c");
        assert_eq!(encode("đ"), "%C4%91");
    }

    #[test]
    fn the_form_shows_values_and_errors() {
        let input = review::ReviewDraft::suggested(
            chrono::NaiveDate::from_ymd_opt(2014, 1, 1).expect("date"),
            chrono::NaiveDate::from_ymd_opt(2018, 6, 27).expect("date"),
            chrono::NaiveDate::from_ymd_opt(2018, 6, 27).expect("date"),
        )
        .to_input()
        .with("signer_title", "");
        let errors = review::ReviewDraft::parse(&input).expect_err("no signer");
        let html = render_form("/reports/review", maud::html! {}, &input, &errors).into_string();
        assert!(html.contains(r#"action="/reports/review""#));
        assert!(html.contains(r#"name="from" type="text" value="2014-01-01""#));
        assert!(html.contains("BÁO CÁO TỔNG KẾT 20 NĂM"));
        assert!(html.contains(r#"id="review-signer_title-error""#));
        assert!(html.contains(domain::error::msg::REQUIRED));
        assert!(html.contains(r#"<textarea id="review-lessons" name="lessons""#));
        assert!(!html.contains("style="));
    }

    #[test]
    fn the_stylesheet_sets_the_page() {
        assert!(PRINT_CSS.contains("@page { size: A4; margin: 20mm 15mm 20mm 30mm; }"));
        assert!(PRINT_CSS.contains("Times New Roman"));
        assert!(PRINT_CSS.contains("@media print"));
    }
}
