//! The ward's own register: details, names over time, Party-committee terms and named
//! review periods.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::ward::{NameFrom, PublicityMinimums, ReviewPeriod, Term, Ward};
use domain::{dates, error::msg, FieldErrors, Input};
use maud::{html, Markup};
use tower_sessions::Session;

use crate::auth::{flash, CurrentUser};
use crate::perms::Perm;
use crate::views::forms;
use crate::views::layout::{self, Ctx};
use crate::St;
use crate::{AppState, Result};

/// Empty rows offered after the existing terms or periods.
const SPARE_ROWS: usize = 3;

/// Which form failed, with what was typed, to re-render it in place.
#[derive(Default)]
struct Failed {
    form: &'static str,
    input: Input,
    errors: FieldErrors,
}

fn text_field(name: &str, label: &str, value: &str, error: Option<&str>, required: bool) -> Markup {
    let id = format!("f-{name}");
    let eid = format!("e-{name}");
    // Only one form of the page fails at a time; its first field in error takes focus.
    let focus = error.is_some();
    html! {
        div.field {
            label for=(id) { (label) @if required { " " abbr title="bắt buộc" { "*" } } }
            input #(id) type="text" name=(name) value=(value) autofocus[focus] aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| eid.clone())];
            @if let Some(e) = error { p.error id=(eid) { (e) } }
        }
    }
}

fn cell(name: String, label: &str, value: &str, errors: &FieldErrors) -> Markup {
    let id = format!("f-{name}");
    let eid = format!("e-{name}");
    let error = errors.get(&name);
    // The first error of the failed form (in row order) takes focus.
    let focus = errors.iter().next().is_some_and(|e| e.field == name);
    html! {
        td {
            label.visually-hidden for=(id) { (label) }
            input #(id) type="text" name=(name) value=(value) aria-label=(label) autofocus[focus] aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| eid.clone())];
            @if let Some(e) = error { p.error id=(eid) { (e) } }
        }
    }
}

async fn render(ctx: &Ctx, st: &AppState, failed: &Failed) -> Result<Markup> {
    let ward = st.store.ward(st.ward).await?;
    let names = st.store.ward_names(st.ward).await?;
    let terms = st.store.terms(st.ward).await?;
    let periods = st.store.review_periods(st.ward).await?;
    let minimums = st.store.publicity_minimums(st.ward).await?;
    let write = ctx.can(Perm::Write);
    // The merger form (`/wards/merge`) for whoever may record one here: the city admin,
    // or the ward admin of a database without city accounts.
    let may_merge = match &ctx.user {
        Some(u) => app::wards::merge_scope(&st.store, u.role, st.ward)
            .await?
            .is_some(),
        None => false,
    };
    let mine = |form: &str| (failed.form == form).then_some(failed);
    // Values: what was typed if this form failed, else what is stored.
    let details = mine("details").map(|f| f.input.clone()).unwrap_or_else(|| {
        Input::new()
            .with("name", ward.name.clone())
            .with("district", ward.district.clone().unwrap_or_default())
            .with("province", ward.province.clone().unwrap_or_default())
    });
    let no_errors = FieldErrors::new();
    let errs = |form: &str| mine(form).map(|f| &f.errors).unwrap_or(&no_errors);
    let term_input = mine("terms").map(|f| f.input.clone()).unwrap_or_else(|| {
        let mut i = Input::new();
        for (n, t) in terms.iter().enumerate() {
            i.set(&format!("name_{}", n + 1), t.name.clone());
            i.set(&format!("start_{}", n + 1), dates::vn(t.start));
        }
        i
    });
    let period_input = mine("periods").map(|f| f.input.clone()).unwrap_or_else(|| {
        let mut i = Input::new();
        for (n, p) in periods.iter().enumerate() {
            i.set(&format!("name_{}", n + 1), p.name.clone());
            i.set(&format!("start_{}", n + 1), dates::vn(p.start));
            i.set(&format!("end_{}", n + 1), dates::vn(p.end));
        }
        i
    });
    let name_input = mine("names").map(|f| f.input.clone()).unwrap_or_default();
    let publicity_input = mine("publicity")
        .map(|f| f.input.clone())
        .unwrap_or_else(|| minimums.to_input());
    let term_rows = terms.len().max(row_count(&term_input)) + SPARE_ROWS;
    let period_rows = periods.len().max(row_count(&period_input)) + SPARE_ROWS;
    Ok(layout::page(
        ctx,
        &ward.name,
        html! {
            section aria-labelledby="details" {
                h2 #details { "Thông tin phường" }
                @if write {
                    form method="post" action="/ward" novalidate {
                        (ctx.csrf_field())
                        (text_field("name", "Tên phường", details.get("name"), errs("details").get("name"), true))
                        (text_field("district", "Quận, huyện", details.get("district"), errs("details").get("district"), false))
                        (text_field("province", "Tỉnh, thành phố", details.get("province"), errs("details").get("province"), false))
                        button type="submit" { "Lưu thông tin phường" }
                    }
                } @else {
                    p { (ward.name) ", " (ward.district.as_deref().unwrap_or("")) ", " (ward.province.as_deref().unwrap_or("")) }
                }
            }
            section aria-labelledby="names" {
                h2 #names { "Tên gọi theo thời gian" }
                p { "Quận và cấp ủy cấp trên đúng vào từng thời điểm, để báo cáo về năm cũ in đúng tên của năm đó." }
                @if names.is_empty() { p { "Chưa nhập." } } @else {
                    table {
                        thead { tr { th { "Từ ngày" } th { "Quận, huyện" } th { "Cấp ủy cấp trên" } } }
                        tbody { @for n in &names { tr { td { (dates::vn(n.from)) } td { (n.district.as_deref().unwrap_or("")) } td { (n.superior_body.as_deref().unwrap_or("")) } } } }
                    }
                }
                @if write {
                    form method="post" action="/ward/names" novalidate {
                        (ctx.csrf_field())
                        (text_field("from", "Từ ngày (dd/mm/yyyy)", name_input.get("from"), errs("names").get("from"), true))
                        (text_field("district", "Quận, huyện", name_input.get("district"), None, false))
                        (text_field("superior_body", "Cấp ủy cấp trên (ví dụ ĐẢNG BỘ QUẬN LONG BIÊN)", name_input.get("superior_body"), None, false))
                        button type="submit" { "Lưu tên gọi" }
                    }
                }
            }
            section aria-labelledby="terms" {
                h2 #terms { "Nhiệm kỳ Đảng ủy" }
                p { "Mỗi nhiệm kỳ bắt đầu từ ngày ghi và kéo dài đến khi nhiệm kỳ sau bắt đầu. Khi chưa nhập, dùng các nhiệm kỳ 5 năm mặc định." }
                @if write {
                    form method="post" action="/ward/terms" novalidate {
                        (ctx.csrf_field())
                        (forms::other_errors(&[], errs("terms")))
                        table {
                            thead { tr { th { "Tên nhiệm kỳ" } th { "Ngày bắt đầu" } } }
                            tbody {
                                @for i in 1..=term_rows {
                                    @let (n, s) = (format!("name_{i}"), format!("start_{i}"));
                                    tr {
                                        (cell(n.clone(), "Tên nhiệm kỳ", term_input.get(&n), errs("terms")))
                                        (cell(s.clone(), "Ngày bắt đầu", term_input.get(&s), errs("terms")))
                                    }
                                }
                            }
                        }
                        button type="submit" { "Lưu nhiệm kỳ" }
                    }
                } @else if terms.is_empty() {
                    p { "Chưa nhập." }
                } @else {
                    table {
                        thead { tr { th { "Tên nhiệm kỳ" } th { "Ngày bắt đầu" } } }
                        tbody { @for t in &terms { tr { td { (t.name) } td { (dates::vn(t.start)) } } } }
                    }
                }
            }
            section aria-labelledby="publicity" {
                h2 #publicity { "Thời gian công khai tối thiểu" }
                p { "Tin niêm yết ngắn hơn, và tin về bồi thường, GPMB, đất đai, quy hoạch, ngân sách phát trên Đài truyền thanh (từ 01/07/2023, theo Luật Thực hiện dân chủ ở cơ sở) ít ngày hơn mức này được đánh dấu ở trang Tổng quan và trong báo cáo." }
                @if write {
                    form method="post" action="/ward/publicity" novalidate {
                        (ctx.csrf_field())
                        @for (name, label) in PublicityMinimums::FIELDS {
                            (text_field(name, label, publicity_input.get(name), errs("publicity").get(name), true))
                        }
                        button type="submit" { "Lưu thời gian công khai" }
                    }
                } @else {
                    p { "Niêm yết: " (minimums.posting_days) " ngày; phát trên Đài truyền thanh: " (minimums.broadcast_days) " ngày liên tục." }
                }
            }
            section aria-labelledby="periods" {
                h2 #periods { "Giai đoạn sơ kết, tổng kết" }
                @if write {
                    form method="post" action="/ward/periods" novalidate {
                        (ctx.csrf_field())
                        (forms::other_errors(&[], errs("periods")))
                        table {
                            thead { tr { th { "Tên giai đoạn" } th { "Từ ngày" } th { "Đến ngày" } } }
                            tbody {
                                @for i in 1..=period_rows {
                                    @let (n, s, e) = (format!("name_{i}"), format!("start_{i}"), format!("end_{i}"));
                                    tr {
                                        (cell(n.clone(), "Tên giai đoạn", period_input.get(&n), errs("periods")))
                                        (cell(s.clone(), "Từ ngày", period_input.get(&s), errs("periods")))
                                        (cell(e.clone(), "Đến ngày", period_input.get(&e), errs("periods")))
                                    }
                                }
                            }
                        }
                        button type="submit" { "Lưu giai đoạn" }
                    }
                } @else if periods.is_empty() {
                    p { "Chưa nhập." }
                } @else {
                    table {
                        thead { tr { th { "Tên giai đoạn" } th { "Từ ngày" } th { "Đến ngày" } } }
                        tbody { @for p in &periods { tr { td { (p.name) } td { (dates::vn(p.start)) } td { (dates::vn(p.end)) } } } }
                    }
                }
            }
            @if may_merge {
                section aria-labelledby="merger" {
                    h2 #merger { "Sáp nhập phường" }
                    p { "Phường được thành lập từ các phường cũ (sắp xếp đơn vị hành chính): ghi nhận ngày sáp nhập và các phường cũ, để báo cáo của phường tính cả số liệu của các phường cũ đến ngày cuối cùng của chúng." }
                    p { a href="/wards/merge" { "Ghi nhận sáp nhập phường" } }
                }
            }
        },
    ))
}

/// The highest `_N` suffix in a multi-row input.
fn row_count(input: &Input) -> usize {
    input
        .0
        .keys()
        .filter_map(|k| {
            k.rsplit_once('_')
                .and_then(|(_, n)| n.parse::<usize>().ok())
        })
        .max()
        .unwrap_or(0)
}

pub async fn page(ctx: Ctx, St(st): St) -> Result<Response> {
    Ok(render(&ctx, &st, &Failed::default()).await?.into_response())
}

async fn failed(ctx: &Ctx, st: &AppState, f: Failed) -> Result<Response> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(ctx, st, &f).await?).into_response())
}

pub async fn save_details(
    ctx: Ctx,
    St(st): St,
    user: CurrentUser,
    session: Session,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let input = forms::input_from_pairs(&pairs);
    match Ward::parse(&input) {
        Ok(w) => {
            st.store.update_ward(st.ward, &user.actor(), &w).await?;
            flash(&session, "Đã lưu thông tin phường.").await?;
            Ok(Redirect::to("/ward").into_response())
        }
        Err(errors) => {
            failed(
                &ctx,
                &st,
                Failed {
                    form: "details",
                    input,
                    errors,
                },
            )
            .await
        }
    }
}

pub async fn save_name(
    ctx: Ctx,
    St(st): St,
    user: CurrentUser,
    session: Session,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let input = forms::input_from_pairs(&pairs);
    let opt = |k: &str| Some(input.get(k).trim().to_string()).filter(|s| !s.is_empty());
    let from = match input.get("from").trim() {
        "" => Err(msg::REQUIRED.to_string()),
        s => dates::parse_date(s).map_err(|_| msg::BAD_DATE.to_string()),
    };
    match from {
        Ok(from) => {
            let n = NameFrom {
                from,
                district: opt("district").map(|s| s.chars().take(200).collect()),
                superior_body: opt("superior_body").map(|s| s.chars().take(200).collect()),
            };
            st.store
                .set_ward_name_from(st.ward, &user.actor(), &n)
                .await?;
            flash(&session, "Đã lưu tên gọi.").await?;
            Ok(Redirect::to("/ward#names").into_response())
        }
        Err(m) => {
            let errors = FieldErrors::single("from", m);
            failed(
                &ctx,
                &st,
                Failed {
                    form: "names",
                    input,
                    errors,
                },
            )
            .await
        }
    }
}

/// Parses the filled rows of a multi-row form, renaming errors to the row's fields.
fn rows<T>(
    input: &Input,
    fields: &[&str],
    parse: impl Fn(&Input) -> std::result::Result<T, FieldErrors>,
) -> std::result::Result<Vec<T>, FieldErrors> {
    let mut out = Vec::new();
    let mut errors = FieldErrors::new();
    for i in 1..=row_count(input) {
        let row: Input = fields
            .iter()
            .map(|f| (f.to_string(), input.get(&format!("{f}_{i}")).to_string()))
            .collect();
        if fields.iter().all(|f| row.get(f).trim().is_empty()) {
            continue;
        }
        match parse(&row) {
            Ok(v) => out.push(v),
            Err(e) => {
                for err in e.iter() {
                    errors.add(&format!("{}_{i}", err.field), err.message.clone());
                }
            }
        }
    }
    errors.into_result().map(|_| out)
}

pub async fn save_terms(
    ctx: Ctx,
    St(st): St,
    user: CurrentUser,
    session: Session,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let input = forms::input_from_pairs(&pairs);
    let parsed: std::result::Result<Vec<Term>, FieldErrors> =
        rows(&input, &["name", "start"], Term::parse);
    let result = match parsed {
        Ok(terms) => st.store.set_terms(st.ward, &user.actor(), &terms).await,
        Err(e) => Err(store::StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => {
            flash(&session, "Đã lưu nhiệm kỳ.").await?;
            Ok(Redirect::to("/ward#terms").into_response())
        }
        Err(store::StoreError::Invalid(errors)) => {
            failed(
                &ctx,
                &st,
                Failed {
                    form: "terms",
                    input,
                    errors,
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn save_periods(
    ctx: Ctx,
    St(st): St,
    user: CurrentUser,
    session: Session,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let input = forms::input_from_pairs(&pairs);
    let parsed: std::result::Result<Vec<ReviewPeriod>, FieldErrors> =
        rows(&input, &["name", "start", "end"], ReviewPeriod::parse);
    let result = match parsed {
        Ok(periods) => {
            st.store
                .set_review_periods(st.ward, &user.actor(), &periods)
                .await
        }
        Err(e) => Err(store::StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => {
            flash(&session, "Đã lưu giai đoạn.").await?;
            Ok(Redirect::to("/ward#periods").into_response())
        }
        Err(store::StoreError::Invalid(errors)) => {
            failed(
                &ctx,
                &st,
                Failed {
                    form: "periods",
                    input,
                    errors,
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn save_publicity(
    ctx: Ctx,
    St(st): St,
    user: CurrentUser,
    session: Session,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let input = forms::input_from_pairs(&pairs);
    match PublicityMinimums::parse(&input) {
        Ok(m) => {
            st.store
                .set_publicity_minimums(st.ward, &user.actor(), &m)
                .await?;
            flash(&session, "Đã lưu thời gian công khai tối thiểu.").await?;
            Ok(Redirect::to("/ward#publicity").into_response())
        }
        Err(errors) => {
            failed(
                &ctx,
                &st,
                Failed {
                    form: "publicity",
                    input,
                    errors,
                },
            )
            .await
        }
    }
}
