//! Completeness at a glance: `/reports/completeness` (a ward's residential groups ×
//! years × activity, gaps highlighted, and the sources of its back-filled records) and
//! `/reports/city/completeness` (the city's wards × months, late and empty wards
//! first), each with its CSV. The work is `app::completeness`'.

use axum::extract::Query;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use domain::completeness::Activity;
use domain::{dates, fmt, FieldErrors};
use maud::{html, Markup};
use serde::Deserialize;

use crate::extract::{parse, ReportQuery};
use crate::perms::Perm;
use crate::views::layout::{self, Ctx};
use crate::{AppError, Result, St};
use app::completeness::{CityCompleteness, WardCompleteness};
use app::formats::csv::Headers;

#[derive(Debug, Default, Deserialize)]
pub struct CsvQuery {
    pub view: Option<String>,
    pub headers: Option<String>,
    pub year: Option<String>,
}

fn headers_of(q: &CsvQuery) -> Result<Headers> {
    match q.headers.as_deref().map(str::trim) {
        None | Some("") => Ok(Headers::Vi),
        Some(s) => Headers::parse(s).ok_or_else(|| {
            AppError::Invalid(FieldErrors::single(
                "headers",
                "Tiêu đề cột là vi (tiếng Việt) hoặc codes (mã, cho chương trình).",
            ))
        }),
    }
}

fn csv_response(name: String, bytes: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

async fn ward_data(st: &St, q: &ReportQuery) -> Result<WardCompleteness> {
    let p = parse(q).map_err(AppError::Invalid)?;
    Ok(app::completeness::ward(&st.store, st.ward, p.from, p.to).await?)
}

fn groups_table(w: &WardCompleteness) -> Markup {
    let g = &w.groups;
    html! {
        div.table-wrap {
            table.completeness {
                caption { "Hội nghị (HN) và tin bài, thông báo (TB) của từng tổ dân phố theo năm" }
                thead {
                    tr {
                        th scope="col" rowspan="2" { "Tổ dân phố" }
                        @for y in &g.years { th scope="colgroup" colspan="2" { (y) } }
                    }
                    tr {
                        @for _ in &g.years {
                            th scope="col" abbr="Hội nghị" { "HN" }
                            th scope="col" abbr="Tin bài, thông báo" { "TB" }
                        }
                    }
                }
                tbody {
                    @for r in &g.rows {
                        tr {
                            th scope="row" { (r.number) ". " (r.name) }
                            @for cells in &r.cells {
                                @for (a, n) in Activity::ALL.iter().zip(cells) {
                                    @match n {
                                        None => td.num.inactive title="Tổ chưa thành lập hoặc đã giải thể trong năm" { "·" },
                                        Some(0) => td.num.gap title=(format!("Không có {} nào", a.kind().noun())) { "0" span.visually-hidden { " (thiếu)" } },
                                        Some(n) => td.num { (n) },
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

fn sources_table(w: &WardCompleteness) -> Markup {
    html! {
        @if w.sources.is_empty() {
            p { "Không có bản ghi nào được nhập bổ sung trong khoảng thời gian này." }
        } @else {
            div.table-wrap {
                table {
                    caption { "Bản ghi nhập bổ sung có ghi nguồn số liệu" }
                    thead { tr {
                        th scope="col" { "Loại bản ghi" }
                        th scope="col" { "Năm" }
                        th scope="col" .num { "Nhập bổ sung" }
                        th scope="col" .num { "Có nguồn" }
                        th scope="col" .num { "Không có nguồn" }
                        th scope="col" .num { "Tỷ lệ có nguồn" }
                    } }
                    tbody {
                        @for s in &w.sources {
                            tr {
                                td { (s.kind.label()) }
                                td { (s.year) }
                                td.num { (layout::num(s.backfilled)) }
                                td.num { (layout::num(s.documented)) }
                                td.num.gap[s.undocumented() > 0] { (layout::num(s.undocumented())) }
                                td.num { (s.share_tenths().map(|t| format!("{}%", fmt::tenths(t, ','))).unwrap_or_else(|| "—".into())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /reports/completeness[?from=&to=]`.
pub async fn ward_page(ctx: Ctx, st: St, Query(q): Query<ReportQuery>) -> Result<Response> {
    let w = match ward_data(&st, &q).await {
        Ok(w) => w,
        Err(AppError::Invalid(e)) => {
            let page = layout::page(&ctx, "Mức đầy đủ của số liệu", range_form(&q, &e));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(e) => return Err(e),
    };
    let range = format!("from={}&to={}", dates::iso(w.from), dates::iso(w.to));
    let gaps = w.groups.gaps();
    let body = html! {
        (range_form(&q, &FieldErrors::new()))
        p { "Từ ngày " strong { (dates::vn(w.from)) } " đến ngày " strong { (dates::vn(w.to)) } "." }
        h2 { "Hoạt động ở các tổ dân phố" }
        p.hint {
            "Mỗi ô là số hội nghị (HN) hoặc tin bài, thông báo (TB) ghi cho tổ trong năm. "
            "Chỉ tính các tổ đang hoạt động trong năm đó (ô «·»: tổ chưa thành lập hoặc đã giải thể). "
            "Ô tô màu: tổ không có hoạt động nào của loại đó trong năm."
        }
        p { strong { (gaps) } " ô thiếu (tổ đang hoạt động mà không có hội nghị hoặc tin bài, thông báo trong năm)." }
        @if w.groups.rows.is_empty() { p { "Chưa có tổ dân phố nào hoạt động trong khoảng thời gian này." } }
        @else { (groups_table(&w)) }
        h2 { "Nguồn số liệu của bản ghi nhập bổ sung" }
        p.hint {
            "Bản ghi nhập bổ sung: bản ghi được nhập sau khi năm của nó đã kết thúc (theo giờ Việt Nam), "
            "tức là bổ sung lịch sử chứ không ghi ngay khi diễn ra. «Có nguồn»: đã ghi nguồn số liệu "
            "(ví dụ báo cáo lưu trữ mà số liệu lấy từ đó)."
        }
        (sources_table(&w))
        @if ctx.can(Perm::Export) {
            p.actions {
                "Tải về: "
                a href=(format!("/reports/completeness.csv?view=groups&{range}")) { "CSV tổ dân phố" }
                a href=(format!("/reports/completeness.csv?view=sources&{range}")) { "CSV nguồn số liệu" }
            }
        }
    };
    Ok(layout::page(&ctx, "Mức đầy đủ của số liệu", body).into_response())
}

fn range_form(q: &ReportQuery, errors: &FieldErrors) -> Markup {
    let field = |name: &str, label: &str, value: &Option<String>| {
        let err = errors.get(name);
        let id = format!("c-{name}");
        html! {
            div.field {
                label for=(id) { (label) }
                input type="text" id=(id) name=(name) value=(value.clone().unwrap_or_default()) placeholder="dd/mm/yyyy"
                    aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-err"))];
                @if let Some(m) = err { p.error id=(format!("{id}-err")) { (m) } }
            }
        }
    };
    html! {
        form.filters method="get" action="/reports/completeness" {
            (field("from", "Từ ngày", &q.from))
            (field("to", "Đến ngày", &q.to))
            button type="submit" { "Xem" }
        }
    }
}

/// `GET /reports/completeness.csv?view=groups|sources[&from=&to=][&headers=codes]`.
pub async fn ward_csv(
    st: St,
    Query(q): Query<ReportQuery>,
    Query(c): Query<CsvQuery>,
) -> Result<Response> {
    let headers = headers_of(&c)?;
    let w = ward_data(&st, &q).await?;
    let mut out = Vec::with_capacity(16 * 1024);
    let view = c.view.as_deref().unwrap_or("groups");
    let written = match view {
        "groups" => app::completeness::write_groups_csv(&mut out, &w, headers, true),
        "sources" => app::completeness::write_sources_csv(&mut out, &w, headers, true),
        other => {
            return Err(AppError::BadRequest(format!(
                "Bảng «{other}» không có; dùng view=groups hoặc view=sources."
            )))
        }
    };
    written.map_err(|e| AppError::Internal(e.into()))?;
    let name = format!(
        "muc-day-du_{view}_{}_{}{}.csv",
        dates::iso(w.from),
        dates::iso(w.to),
        if headers == Headers::Codes { "_ma" } else { "" }
    );
    Ok(csv_response(name, out))
}

/// The year a city page shows: `?year=`, or this year.
fn year_of(q: &CsvQuery) -> Result<i32> {
    let this = crate::clock::today().year();
    match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(this),
        Some(s) => match s.parse::<i32>() {
            Ok(y) if (1950..=this).contains(&y) => Ok(y),
            _ => Err(AppError::Invalid(FieldErrors::single(
                "year",
                format!("Năm từ 1950 đến {this}."),
            ))),
        },
    }
}

async fn city_data(q: &CsvQuery, st: &St) -> Result<CityCompleteness> {
    let year = year_of(q)?;
    Ok(app::completeness::city(&st.store, year, crate::clock::today()).await?)
}

/// `GET /reports/city/completeness[?year=]`.
pub async fn city_page(ctx: Ctx, st: St, Query(q): Query<CsvQuery>) -> Result<Response> {
    let city = city_data(&q, &st).await?;
    let [(yf, yt), (qf, qt)] = city.last_finished;
    let late = city.rows.iter().filter(|r| r.late).count();
    let empty = city.rows.iter().filter(|r| r.empty).count();
    let body = html! {
        form.filters method="get" action="/reports/city/completeness" {
            div.field { label for="c-year" { "Năm" } input type="text" id="c-year" name="year" value=(city.year) inputmode="numeric"; }
            button type="submit" { "Xem" }
        }
        p.hint {
            "Mỗi ô: số bản ghi nhập trong tháng (theo thời điểm nhập, giờ Việt Nam, kể cả bản ghi đã xóa sau đó) / "
            "số kỳ báo cáo nộp / số kỳ mở lại trong tháng."
        }
        p {
            strong { "Chậm nộp" } ": chưa có kỳ đã nộp (đang có hiệu lực, không tính kỳ đã mở lại) bao trùm năm vừa kết thúc ("
            (dates::vn(yf)) "–" (dates::vn(yt)) ") cũng như quý vừa kết thúc (" (dates::vn(qf)) "–" (dates::vn(qt)) "). "
            strong { "Không có dữ liệu" } ": không nhập bản ghi nào trong các tháng hiển thị. "
            "Các phường chậm nộp hoặc không có dữ liệu được xếp lên đầu."
        }
        p { (late) " phường chậm nộp, " (empty) " phường không có dữ liệu, trên " (city.rows.len()) " phường. "
            a href=(format!("/reports/city/completeness.csv?year={}", city.year)) { "Tải CSV" } }
        div.table-wrap {
            table.completeness {
                thead { tr {
                    th scope="col" { "Phường" }
                    th scope="col" { "Tình trạng" }
                    @for m in &city.months { th scope="col" .num { (m.label) } }
                } }
                tbody {
                    @for r in &city.rows {
                        tr {
                            th scope="row" { (r.ward.ward.name) br; small.code { (r.ward.code) } }
                            td {
                                @if r.late { span.badge.ended { "Chậm nộp" } " " }
                                @if r.empty { span.badge.ended { "Không có dữ liệu" } }
                                @if !r.late && !r.empty { span.badge.active { "Đủ" } }
                            }
                            @for n in &r.months {
                                td.num.gap[n.entered == 0] title="bản ghi nhập / kỳ nộp / kỳ mở lại" {
                                    (layout::num(n.entered)) " / " (n.submitted) " / " (n.reopened)
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&ctx, "Mức đầy đủ của số liệu các phường", body).into_response())
}

/// `GET /reports/city/completeness.csv[?year=][&headers=codes]`.
pub async fn city_csv(st: St, Query(q): Query<CsvQuery>) -> Result<Response> {
    let headers = headers_of(&q)?;
    let city = city_data(&q, &st).await?;
    let mut out = Vec::with_capacity(16 * 1024);
    app::completeness::write_city_csv(&mut out, &city, headers, true)
        .map_err(|e| AppError::Internal(e.into()))?;
    let name = format!(
        "muc-day-du-cac-phuong_{}{}.csv",
        city.year,
        if headers == Headers::Codes { "_ma" } else { "" }
    );
    Ok(csv_response(name, out))
}
