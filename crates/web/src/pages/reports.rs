//! The summary report pages: `/reports/summary` (form, chart, table with drill-down
//! links) and its CSV and XLSX exports. All three build the report through
//! `app::report::build`, so they show the same figures.

use axum::extract::Query;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::report::{Grouping, Report};
use domain::{dates, FieldErrors};
use maud::{html, Markup};

use crate::extract::{parse, Params, ReportQuery};
use crate::perms::Perm;
use crate::views::layout::{self, Ctx};
use crate::views::report as report_views;
use crate::St;
use crate::{AppError, AppState, Result};
use app::formats::csv::{self as report_csv, Headers, Shape};
use app::report as reports;

async fn build(st: &AppState, p: &Params) -> Result<Report> {
    Ok(built(st, p).await?.report)
}

async fn built(st: &AppState, p: &Params) -> Result<reports::Built> {
    Ok(reports::build_with(&st.store, st.ward, p.from, p.to, p.by, p.include_part).await?)
}

fn form(q: &ReportQuery, errors: &FieldErrors, has_part: bool) -> Markup {
    // The cursor lands on the first field in error, in the form's order.
    let first = ["from", "to", "by"]
        .into_iter()
        .find(|f| errors.get(f).is_some());
    let field = |name: &str, label: &str, value: &Option<String>| {
        let err = errors.get(name);
        let id = format!("r-{name}");
        html! {
            div.field {
                label for=(id) { (label) }
                input type="text" id=(id) name=(name) value=(value.clone().unwrap_or_default()) placeholder="dd/mm/yyyy"
                    autofocus[first == Some(name)]
                    aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-err"))];
                @if let Some(m) = err { p.error id=(format!("{id}-err")) { (m) } }
            }
        }
    };
    let by = q.by.clone().unwrap_or_else(|| "year".into());
    html! {
        form.filters method="get" action="/reports/summary" {
            (field("from", "Từ ngày", &q.from))
            (field("to", "Đến ngày", &q.to))
            div.field {
                label for="r-by" { "Cột" }
                select id="r-by" name="by" autofocus[first == Some("by")] {
                    @for g in Grouping::ALL { option value=(g.code()) selected[by == g.code()] { (g.label()) } }
                }
                @if let Some(m) = errors.get("by") { p.error { (m) } }
            }
            @if has_part {
                div.field.check {
                    input type="checkbox" id="r-include-part" name="include_part" value="1" checked[q.include_part.as_deref().is_some_and(|v| !v.is_empty() && v != "0")];
                    label for="r-include-part" { "Tính cả phường cũ sáp nhập một phần" }
                }
            }
            button type="submit" { "Xem báo cáo" }
        }
        p.hint { "Để trống ngày để xem toàn bộ lịch sử. Hai đầu khoảng thời gian đều được tính." }
    }
}

fn query_string(r: &Report, shape: Option<&str>) -> String {
    let mut pairs = vec![
        ("from", dates::iso(r.from)),
        ("to", dates::iso(r.to)),
        ("by", r.grouping.code().to_string()),
    ];
    if let Some(s) = shape {
        pairs.push(("shape", s.to_string()));
    }
    if r.include_part {
        pairs.push(("include_part", "1".to_string()));
    }
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

pub async fn summary(ctx: Ctx, St(st): St, Query(q): Query<ReportQuery>) -> Result<Response> {
    // the checkbox only where a former ward passed in part
    let has_part = reports::counted(&st.store, st.ward, true).await?.len()
        > reports::counted(&st.store, st.ward, false).await?.len();
    let params = match parse(&q) {
        Ok(p) => p,
        Err(errors) => {
            let body = html! { (form(&q, &errors, has_part)) };
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::page(&ctx, "Báo cáo tổng hợp", body),
            )
                .into_response());
        }
    };
    let b = built(&st, &params).await?;
    let r = &b.report;
    let ward = st.store.ward(st.ward).await?;
    // By year over exactly a submitted period's range: what differs from what was sent.
    let submitted = app::periods::differences_for(&st.store, st.ward, r).await?;
    let body = html! {
        (form(&q, &FieldErrors::new(), has_part))
        p {
            (ward.name) ", từ ngày " strong { (dates::vn(r.from)) } " đến ngày " strong { (dates::vn(r.to)) }
            " — " (r.grouping.label().to_lowercase()) "."
        }
        @if ctx.can(Perm::Export) {
            p.actions {
                "Tải về: "
                a href=(format!("/reports/summary.csv?{}", query_string(r, Some("wide")))) { "CSV (bảng ngang)" }
                a href=(format!("/reports/summary.csv?{}", query_string(r, Some("long")))) { "CSV (dạng dòng)" }
                a href=(format!("/reports/summary.xlsx?{}", query_string(r, None))) { "Excel (.xlsx)" }
                a href=(format!("/reports/review?{}", query_string(r, None))) { "Dự thảo báo cáo tổng kết" }
            }
        }
        @if ctx.can(Perm::Submit) && submitted.is_none() {
            p { a href=(format!("/reports/submit?{}", query_string(r, None))) { "Nộp báo cáo kỳ này" } }
        }
        @if let Some((s, diffs)) = &submitted {
            (report_views::submission_notice(s, diffs))
        }
        (report_views::chart(r))
        p.hint { "Bấm vào một số liệu để xem các bản ghi tạo nên số liệu đó." }
        (report_views::table_marked(r, submitted.as_ref().map(|(_, d)| d)))
        (report_views::by_former_ward(&ward.name, &b))
    };
    Ok(layout::page(&ctx, "Báo cáo tổng hợp", body).into_response())
}

/// `?headers=vi|codes` of the summary CSV: Vietnamese headers unless `codes` is asked.
#[derive(Debug, Default, serde::Deserialize)]
pub struct HeadersQuery {
    pub headers: Option<String>,
}

fn parse_headers(q: &HeadersQuery) -> Result<Headers> {
    match q
        .headers
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(Headers::Vi),
        Some(s) => Headers::parse(s).ok_or_else(|| {
            let mut e = FieldErrors::new();
            e.add(
                "headers",
                "Tiêu đề cột là vi (tiếng Việt) hoặc codes (mã, cho chương trình).",
            );
            AppError::Invalid(e)
        }),
    }
}

/// A name without diacritics for a download: `Theo năm` → `theo-nam`.
fn slug(s: &str) -> String {
    domain::text::fold(s)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The download's file name, distinct per range, grouping, shape and header form:
/// `bao-cao-tong-hop_2014-01-01_2018-06-27_theo-nam_bang-ngang.csv`, `…_dang-dong_ma.csv`
/// for the code form, `bao-cao-tong-hop_2014-01-01_2018-06-27_theo-nam.xlsx`.
fn file_name(r: &Report, table: Option<(Shape, Headers)>, ext: &str) -> String {
    let mut name = format!(
        "bao-cao-tong-hop_{}_{}_{}",
        dates::iso(r.from),
        dates::iso(r.to),
        slug(r.grouping.label())
    );
    if let Some((shape, headers)) = table {
        name.push_str(match shape {
            Shape::Wide => "_bang-ngang",
            Shape::Long => "_dang-dong",
        });
        if headers == Headers::Codes {
            name.push_str("_ma");
        }
    }
    format!("{name}.{ext}")
}

fn download(content_type: &'static str, name: String, rows: usize, bytes: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::HeaderName::from_static("x-row-count"),
                HeaderValue::from(rows),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `/reports/summary.csv`: Vietnamese headers by default (`?headers=codes`: the code
/// form), with a UTF-8 BOM for Excel; `qcdc report --headers …` prints the same without
/// the BOM.
pub async fn summary_csv(
    St(st): St,
    Query(q): Query<ReportQuery>,
    Query(h): Query<HeadersQuery>,
) -> Result<Response> {
    let p = parse(&q).map_err(AppError::Invalid)?;
    let headers = parse_headers(&h)?;
    let r = build(&st, &p).await?;
    let mut out = Vec::with_capacity(16 * 1024);
    let rows = report_csv::write_summary(&mut out, &r, p.shape, headers, true)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(
        "text/csv; charset=utf-8",
        file_name(&r, Some((p.shape, headers)), "csv"),
        rows,
        out,
    ))
}

/// `/reports/summary.xlsx`: numbers as number cells, a title row, a frozen header.
pub async fn summary_xlsx(St(st): St, Query(q): Query<ReportQuery>) -> Result<Response> {
    let p = parse(&q).map_err(AppError::Invalid)?;
    let r = build(&st, &p).await?;
    let ward = st.store.ward(st.ward).await?;
    let bytes = app::formats::xlsx::xlsx(&r, &ward.name)?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name(&r, None, "xlsx"),
        r.rows.len(),
        bytes,
    ))
}
