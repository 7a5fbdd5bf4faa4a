//! The review document as semantic HTML for the page and for printing
//! ([`render_html`] with [`PRINT_CSS`], served as a static file since the CSP forbids
//! inline styles), and the draft's edit form.

use domain::review::{self, Figure, Paragraph, ReviewDocument, Span};
use maud::{html, Markup};

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

/* On a phone the A4 margins give way to the screen's width. */
@media screen and (max-width: 48rem) {
  .review-doc { max-width: 100%; padding: 1rem .75rem; box-sizing: border-box; font-size: 12pt; }
  .review-doc p { text-align: left; text-indent: 0; }
  .review-doc .doc-header .left, .review-doc .doc-header .number { font-size: 11pt; }
}
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
@media print {
  /* The app's chrome (navigation, forms, buttons, flash messages) never prints. */
  body > header, body > nav, body > footer, nav, form, button, .no-print, .flash { display: none !important; }
  body { margin: 0; background: #fff; }
  /* Only the document: not the page's own heading above the Party letterhead. */
  main:has(.review-doc) { padding: 0; max-width: none; }
  main:has(.review-doc) > h1, .skip { display: none !important; }
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
/// `docs/ARCHITECTURE.md`; `None` for figures without one (a rate).
pub fn figure_href(f: &Figure) -> Option<String> {
    let (kind, filter) = f.indicator.drilldown(&f.period)?;
    let path = kind.code().replace('_', "-");
    let q: Vec<String> = filter
        .to_query()
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

/// The review kind, chosen before a draft is saved: a plain GET form (no script) that
/// loads the suggested draft of that kind.
pub fn kind_chooser(current: domain::ReviewKind) -> Markup {
    use domain::Code;
    html! {
        form.review-kind method="get" action="/reports/review" {
            label for="review-kind-choice" { "Loại báo cáo" }
            " "
            select #review-kind-choice name="kind" {
                @for k in domain::ReviewKind::ALL {
                    option value=(k.code()) selected[*k == current] { (k.label()) }
                }
            }
            " "
            button type="submit" { "Chọn" }
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
    // After a failed submit the cursor lands on the first field in error.
    let first = review::FIELDS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| errors.get(name).is_some());
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
                    @if *name == "kind" {
                        select id=(id) name=(name) autofocus[first == Some(*name)]
                            aria-invalid=[err.map(|_| "true")]
                            aria-describedby=[err.map(|_| format!("{id}-error"))] {
                            @for k in <domain::ReviewKind as domain::Code>::ALL {
                                @let code = domain::Code::code(*k);
                                option value=(code) selected[input.get(name) == code] { (domain::Code::label(*k)) }
                            }
                        }
                    } @else if LONG_FIELDS.contains(name) {
                        textarea id=(id) name=(name) rows="6" autofocus[first == Some(*name)]
                            aria-invalid=[err.map(|_| "true")]
                            aria-describedby=[err.map(|_| format!("{id}-error"))] { (input.get(name)) }
                    } @else {
                        input id=(id) name=(name) type="text" value=(input.get(name)) autofocus[first == Some(*name)]
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

#[cfg(test)]
mod tests {
    use super::*;

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
