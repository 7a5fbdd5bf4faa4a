//! The city roll-up for the city accounts: every ward's figures for a range side by
//! side with the city's total (additive figures summed, rates recomputed from the
//! summed parts), and its CSV (`app::report::build_city`, as `qcdc report --wards all`).

use axum::extract::Query;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use domain::dates;
use domain::report::Grouping;
use maud::html;
use serde::Deserialize;

use crate::extract::{parse, ReportQuery};
use crate::views::layout::{self, Ctx};
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
            a href={"/reports/city.csv?" (query) "&by=year"} { "Tải CSV theo năm" } " · "
            a href={"/reports/city.csv?" (query) "&by=total&shape=wide"} { "Tải CSV bảng ngang" }
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
                            @for (_, r) in &city.wards {
                                td.num { (r.rows.get(i).map(|x| x.total.vn()).unwrap_or_default()) }
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
        "bao-cao-toan-thanh-pho_{}_{}{}.csv",
        dates::iso(city.total.from),
        dates::iso(city.total.to),
        if shape == Shape::Wide {
            "_bang-ngang"
        } else {
            "_dang-dong"
        }
    );
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        out,
    )
        .into_response())
}
