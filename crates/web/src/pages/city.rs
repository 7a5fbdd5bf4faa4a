//! The city roll-up for the city accounts: every ward's figures for a range side by
//! side with the city's total (additive figures summed, rates recomputed from the
//! summed parts), each ward's figure a link into that ward's records behind it
//! (`/reports/city/open` switches the viewed ward, then opens the filtered list), and
//! its CSV (`app::report::build_city`, as `qcdc report --wards all`).

use axum::extract::Query;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use domain::dates;
use domain::report::{Grouping, ReportRow};
use domain::ward::WardCode;
use maud::{html, Markup};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::{safe_next, WARD_KEY};
use crate::extract::{parse, ReportQuery};
use crate::views::layout::{self, Ctx};
use crate::views::report::drill_href;
use crate::{AppError, Result, St};
use app::formats::csv::{Headers, Shape};

#[derive(Debug, Default, Deserialize)]
pub struct CityQuery {
    pub headers: Option<String>,
}

async fn build(st: &St, q: &ReportQuery) -> Result<app::report::CityReport> {
    let p = parse(q).map_err(AppError::Invalid)?;
    let by = match p.by {
        Grouping::Total => Grouping::Total,
        _ => Grouping::Year,
    };
    let wards = st.store.wards().await?;
    app::report::build_city(&st.store, wards, p.from, p.to, by)
        .await
        .map_err(|e| match e {
            app::report::ReportError::Invalid(f) => AppError::Invalid(f),
            other => AppError::Internal(other.into()),
        })
}

/// `GET /reports/city`: wards × indicators over the range, the city's total last.
pub async fn page(ctx: Ctx, st: St, Query(q): Query<ReportQuery>) -> Result<Response> {
    let city = build(&st, &q).await?;
    let (from, to) = (city.total.from, city.total.to);
    let query = format!("from={}&to={}", dates::iso(from), dates::iso(to));
    let body = html! {
        form.range method="get" action="/reports/city" {
            div.field { label for="f-from" { "Từ ngày" } input #f-from name="from" value=(dates::vn(from)) inputmode="numeric"; }
            div.field { label for="f-to" { "Đến ngày" } input #f-to name="to" value=(dates::vn(to)) inputmode="numeric"; }
            button type="submit" { "Xem" }
        }
        p {
            "Số liệu từ " (dates::vn(from)) " đến " (dates::vn(to)) " của " (city.wards.len()) " phường. "
            "Cột «Toàn thành phố» cộng các phường; các tỷ lệ được tính lại từ tổng các phường. "
            "Bấm vào số liệu của một phường để xem các bản ghi tạo nên số liệu đó (trang sẽ chuyển sang xem phường ấy). "
        }
        p.actions {
            "Tải về: "
            a href={"/reports/city.csv?" (query) "&by=year"} { "CSV theo năm" } " · "
            a href={"/reports/city.csv?" (query) "&by=total&shape=wide"} { "CSV bảng ngang" } " · "
            a href={"/reports/city.csv?" (query) "&by=year&headers=codes"} { "CSV tiêu đề mã (cho chương trình)" } " · "
            a href={"/reports/city.xlsx?" (query) "&by=year"} { "Excel (.xlsx)" }
        }
        div.table-wrap {
            table {
                thead {
                    tr {
                        th scope="col" { "Chỉ tiêu" }
                        @for (w, _) in &city.wards { th scope="col" { (w.ward.name) } }
                        th scope="col" { "Toàn thành phố" }
                    }
                }
                tbody {
                    @for (i, row) in city.total.rows.iter().enumerate() {
                        tr {
                            th scope="row" { (row.indicator.name) " " small { "(" (row.indicator.unit) ")" } }
                            @for (w, r) in &city.wards {
                                (ward_cell(&w.code, r, r.rows.get(i)))
                            }
                            td.num { strong { (row.total.vn()) } }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&ctx, "Báo cáo tổng hợp toàn thành phố", body).into_response())
}

/// A ward's figure over the whole range, linked (when it is a figure) through
/// `/reports/city/open` to that ward's records behind it.
fn ward_cell(code: &WardCode, r: &domain::report::Report, row: Option<&ReportRow>) -> Markup {
    let Some(row) = row else {
        return html! { td.num {} };
    };
    let href = drill_href(row.indicator, &r.total_period())
        .filter(|_| row.total.as_f64().is_some())
        .and_then(|next| open_href(code, &next));
    html! {
        td.num {
            @match href {
                Some(h) => a href=(h) title="Xem các bản ghi của phường này" { (row.total.vn()) },
                None => (row.total.vn()),
            }
        }
    }
}

/// `/reports/city/open?ward=CODE&next=/kind?filter…`
pub fn open_href(code: &WardCode, next: &str) -> Option<String> {
    let q = serde_urlencoded::to_string([("ward", code.as_str()), ("next", next)]).ok()?;
    Some(format!("/reports/city/open?{q}"))
}

#[derive(Debug, Default, Deserialize)]
pub struct OpenQuery {
    #[serde(default)]
    pub ward: String,
    #[serde(default)]
    pub next: String,
}

/// `GET /reports/city/open?ward=CODE&next=PATH`: a city account's drill-down from the
/// roll-up. Switches the session's viewed ward (as `/wards/choose` does) and goes to
/// `next`, which must be a path of this site (anything else is refused: no open
/// redirect); an unknown ward is not found.
pub async fn open(St(st): St, session: Session, Query(q): Query<OpenQuery>) -> Result<Response> {
    let code = WardCode::parse(q.ward.trim()).map_err(|_| AppError::NotFound)?;
    let ward = st
        .store
        .wards()
        .await?
        .into_iter()
        .find(|w| w.code == code)
        .ok_or(AppError::NotFound)?;
    if q.next.is_empty() || safe_next(&q.next) != q.next {
        return Err(AppError::BadRequest(
            "Địa chỉ chuyển tới phải là một trang của ứng dụng này.".into(),
        ));
    }
    if session.get::<i64>(WARD_KEY).await? != Some(ward.id.0) {
        session.insert(WARD_KEY, ward.id.0).await?;
    }
    Ok(Redirect::to(&q.next).into_response())
}

/// `GET /reports/city.xlsx`: the roll-up as a workbook, each ward's rows then the city's
/// total, numbers as number cells (`app::formats::xlsx::city_xlsx`).
pub async fn xlsx(st: St, Query(q): Query<ReportQuery>) -> Result<Response> {
    let city = build(&st, &q).await?;
    let bytes = app::formats::xlsx::city_xlsx(&city).map_err(AppError::Internal)?;
    let name = format!(
        "bao-cao-toan-thanh-pho_{}_{}.xlsx",
        dates::iso(city.total.from),
        dates::iso(city.total.to)
    );
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        bytes,
    ))
}

fn download(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /reports/city.csv`: Vietnamese headers by default (`headers=codes`: the code
/// form of `qcdc report --wards all`), with the BOM Excel needs.
pub async fn csv(
    st: St,
    Query(q): Query<ReportQuery>,
    Query(h): Query<CityQuery>,
) -> Result<Response> {
    let headers = match h.headers.as_deref() {
        None | Some("") | Some("vi") => Headers::Vi,
        Some("codes") => Headers::Codes,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "Tiêu đề cột «{other}» không có; dùng vi hoặc codes."
            )))
        }
    };
    let shape = parse(&q).map_err(AppError::Invalid)?.shape;
    let city = build(&st, &q).await?;
    let mut out = Vec::with_capacity(64 * 1024);
    app::formats::csv::write_city_summary(&mut out, &city, shape, headers, true)
        .map_err(|e| AppError::Internal(e.into()))?;
    let name = format!(
        "bao-cao-toan-thanh-pho_{}_{}{}{}.csv",
        dates::iso(city.total.from),
        dates::iso(city.total.to),
        if shape == Shape::Wide {
            "_bang-ngang"
        } else {
            "_dang-dong"
        },
        if headers == Headers::Codes { "_ma" } else { "" }
    );
    Ok(download("text/csv; charset=utf-8", &name, out))
}
