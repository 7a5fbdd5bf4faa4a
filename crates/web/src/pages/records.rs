//! Generic pages for every record kind, driven by `domain::Kind::columns()`: list with
//! filters and pagination, new, show, edit, soft delete and restore. The kind-erased
//! row, the dispatch to the store's typed calls, the list filter and the show page are
//! shared with the dialogue pages through `crate::records_view`; the list's markup is
//! `crate::views::lists`.

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::text::vn_cmp;
use domain::{FieldErrors, Input, Kind};
use maud::{html, Markup};
use tower_sessions::Session;

use crate::auth::{flash, CurrentUser};
use crate::views::forms::{self, Choices};
use crate::views::layout::{self, Ctx};
use crate::views::lists;
use crate::St;
use crate::{AppError, AppState, Result, Routes};

pub use crate::records_view::{list_filter, ops, show_page, Ops, Row, PER_PAGE};

pub fn add_routes(mut r: Routes) -> Routes {
    for &kind in Kind::ALL {
        let s = kind.slug();
        r = r
            .get(
                &format!("/{s}"),
                move |ctx: Ctx, St(st): St, RawQuery(q): RawQuery| list(kind, ctx, st, q),
            )
            .post(
                &format!("/{s}"),
                move |ctx: Ctx,
                      st: St,
                      user: CurrentUser,
                      session: Session,
                      Form(f): Form<Vec<(String, String)>>| {
                    create(kind, ctx, st.0, user, session, f)
                },
            )
            .get(&format!("/{s}/new"), move |ctx: Ctx, St(st): St| {
                new_form(kind, ctx, st)
            })
            .get(
                &format!("/{s}/{{id}}"),
                move |ctx: Ctx, St(st): St, Path(id): Path<i64>| async move {
                    show_page(kind, ctx, st, id, None).await
                },
            )
            .post(
                &format!("/{s}/{{id}}"),
                move |ctx: Ctx,
                      st: St,
                      user: CurrentUser,
                      session: Session,
                      Path(id): Path<i64>,
                      Form(f): Form<Vec<(String, String)>>| {
                    update(kind, ctx, st.0, user, session, id, f)
                },
            )
            .get(
                &format!("/{s}/{{id}}/edit"),
                move |ctx: Ctx, St(st): St, Path(id): Path<i64>| edit_form(kind, ctx, st, id),
            )
            .get(
                &format!("/{s}/{{id}}/delete"),
                move |ctx: Ctx, St(st): St, Path(id): Path<i64>| delete_confirm(kind, ctx, st, id),
            )
            .post(
                &format!("/{s}/{{id}}/delete"),
                move |st: St, user: CurrentUser, session: Session, Path(id): Path<i64>| {
                    delete(kind, st.0, user, session, id)
                },
            )
            .post(
                &format!("/{s}/{{id}}/restore"),
                move |st: St, user: CurrentUser, session: Session, Path(id): Path<i64>| {
                    restore(kind, st.0, user, session, id)
                },
            );
    }
    r
}

fn parse_query(q: Option<&str>) -> Result<Vec<(String, String)>> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(q.unwrap_or(""))
        .map_err(|_| AppError::BadRequest("Tham số trên địa chỉ không đọc được.".into()))
}

/// A store refusal of a filter (a field this kind cannot filter by) is the client's
/// mistake: 400, not 422.
fn filter_error(e: store::StoreError) -> AppError {
    match e {
        store::StoreError::Invalid(f) => AppError::BadRequest(
            f.iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        other => other.into(),
    }
}

/// The pick-lists of a form. A dissolved residential group or a party cell that stopped
/// stays (old records are back-filled) but says since when, and a record dated after it
/// is refused.
async fn choices(st: &AppState) -> Result<Choices> {
    let dissolved = st.store.group_dissolutions(st.ward).await?;
    let groups = st
        .store
        .group_numbers(st.ward)
        .await?
        .into_iter()
        .map(|(n, name)| match dissolved.iter().find(|(d, _)| *d == n) {
            Some((_, day)) => (
                n,
                format!("{name} (đã giải thể {})", domain::dates::vn(*day)),
            ),
            None => (n, name),
        })
        .collect();
    let ended = st.store.cell_endings(st.ward).await?;
    let cells = st
        .store
        .party_cell_names(st.ward)
        .await?
        .into_iter()
        .map(|name| match ended.iter().find(|(c, _)| *c == name) {
            Some((_, last)) => {
                let shown = format!(
                    "{name} (ngừng hoạt động sau ngày {})",
                    domain::dates::vn(*last)
                );
                (name, shown)
            }
            None => (name.clone(), name),
        })
        .collect();
    Ok(Choices { groups, cells })
}

// ------------------------------------------------------------------ list

async fn list(kind: Kind, ctx: Ctx, st: AppState, q: Option<String>) -> Result<Response> {
    let pairs = parse_query(q.as_deref())?;
    let mut filter = list_filter(kind, &pairs).map_err(AppError::BadRequest)?;
    // Registers are short: show them whole, in natural order of their key.
    if kind.is_register() && !pairs.iter().any(|(k, _)| k == "page" || k == "per_page") {
        filter.per_page = 0;
    }
    let mut page = ops(kind).list(&st, &filter).await.map_err(filter_error)?;
    if let (true, Some(key)) = (kind.is_register(), kind.key()) {
        page.items
            .sort_by(|a, b| vn_cmp(a.input.get(key.column), b.input.get(key.column)));
    }
    if let Some(order) = kind.people_order() {
        people_in_name_order(&mut page.items, order);
    }
    let years = st.store.years(st.ward, kind).await?;
    let groups = if lists::has_group_filter(kind) {
        st.store.group_numbers(st.ward).await?
    } else {
        Vec::new()
    };
    // A register counts today the entries active today (dissolved ones stay listed).
    let active = st
        .store
        .active_totals(st.ward, kind, &filter, crate::clock::today())
        .await
        .map_err(filter_error)?;
    let choices = lists::FilterChoices {
        years: &years,
        groups: &groups,
    };
    let body = lists::list(
        &ctx,
        kind,
        &pairs,
        &filter,
        &page,
        &choices,
        active.as_ref(),
    );
    Ok(layout::page(&ctx, kind.label(), body).into_response())
}

/// People (e.g. the members of one decision with one position: rows the store gives
/// together, in the order of its list) in Vietnamese name order within each run: by
/// given name (the last word), then by the whole name, as Vietnamese lists are read.
fn people_in_name_order(rows: &mut [Row], order: domain::PeopleOrder) {
    let run = |r: &Row| -> Vec<String> {
        order
            .within
            .iter()
            .map(|f| r.input.get(f).to_string())
            .collect()
    };
    let mut start = 0;
    while start < rows.len() {
        let first = run(&rows[start]);
        let end = rows[start..]
            .iter()
            .position(|r| run(r) != first)
            .map_or(rows.len(), |n| start + n);
        rows[start..end]
            .sort_by(|a, b| person_cmp(a.input.get(order.name), b.input.get(order.name)));
        start = end;
    }
}

/// Vietnamese order of people's names: given name (the last word) first.
fn person_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let given = |s: &str| s.split_whitespace().last().unwrap_or("").to_string();
    vn_cmp(&given(a), &given(b)).then_with(|| vn_cmp(a, b))
}

// ------------------------------------------------------------------ forms

/// Renders the create or edit form for a kind.
pub async fn form_page(
    kind: Kind,
    ctx: &Ctx,
    st: &AppState,
    action: &str,
    title: &str,
    input: &Input,
    errors: &FieldErrors,
) -> Result<Markup> {
    let choices = choices(st).await?;
    let cols = kind.columns();
    Ok(layout::page(
        ctx,
        title,
        html! {
            (forms::other_errors(cols, errors))
            form method="post" action=(action) novalidate {
                (ctx.csrf_field())
                (forms::fields(cols, input, errors, &choices))
                p.hint { "Ô có dấu * là bắt buộc. Ngày nhập theo dạng dd/mm/yyyy." }
                div.actions {
                    button type="submit" { "Lưu" }
                    a href={"/" (kind.slug())} { "Hủy" }
                }
            }
        },
    ))
}

async fn new_form(kind: Kind, ctx: Ctx, st: AppState) -> Result<Response> {
    if kind.has_parent() {
        return Err(AppError::BadRequest(
            "Ý kiến, kiến nghị được thêm từ trang của buổi tiếp xúc, đối thoại (mục Đối thoại)."
                .into(),
        ));
    }
    let mut input = Input::new();
    for c in kind.columns() {
        if let Some(v) = c.default {
            input.set(c.name, v);
        }
    }
    let title = format!("Thêm {}", kind.noun());
    let action = format!("/{}", kind.slug());
    Ok(form_page(
        kind,
        &ctx,
        &st,
        &action,
        &title,
        &input,
        &FieldErrors::new(),
    )
    .await?
    .into_response())
}

async fn create(
    kind: Kind,
    ctx: Ctx,
    st: AppState,
    user: CurrentUser,
    session: Session,
    pairs: Vec<(String, String)>,
) -> Result<Response> {
    if kind.has_parent() {
        return Err(AppError::BadRequest(
            "Ý kiến, kiến nghị được thêm từ trang của buổi tiếp xúc, đối thoại.".into(),
        ));
    }
    let input = forms::input_from_pairs(&pairs);
    match ops(kind).create(&st, &user.actor(), &input).await {
        Ok(id) => {
            flash(&session, &format!("Đã thêm {}.", kind.noun())).await?;
            Ok(Redirect::to(&format!("/{}/{id}", kind.slug())).into_response())
        }
        Err(store::StoreError::Invalid(errors)) => {
            let title = format!("Thêm {}", kind.noun());
            let action = format!("/{}", kind.slug());
            let page = form_page(kind, &ctx, &st, &action, &title, &input, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(kind: Kind, ctx: Ctx, st: AppState, id: i64) -> Result<Response> {
    let r = ops(kind).get(&st, id).await?;
    if r.deleted() {
        return Err(AppError::Conflict(
            "Bản ghi đã bị xóa; khôi phục trước khi sửa.".into(),
        ));
    }
    let title = format!("Sửa {}", kind.noun());
    let action = format!("/{}/{id}", kind.slug());
    Ok(form_page(
        kind,
        &ctx,
        &st,
        &action,
        &title,
        &r.input,
        &FieldErrors::new(),
    )
    .await?
    .into_response())
}

async fn update(
    kind: Kind,
    ctx: Ctx,
    st: AppState,
    user: CurrentUser,
    session: Session,
    id: i64,
    pairs: Vec<(String, String)>,
) -> Result<Response> {
    let input = forms::input_from_pairs(&pairs);
    match ops(kind).update(&st, &user.actor(), id, &input).await {
        Ok(()) => {
            flash(&session, "Đã lưu thay đổi.").await?;
            Ok(Redirect::to(&format!("/{}/{id}", kind.slug())).into_response())
        }
        Err(store::StoreError::Invalid(errors)) => {
            let title = format!("Sửa {}", kind.noun());
            let action = format!("/{}/{id}", kind.slug());
            let page = form_page(kind, &ctx, &st, &action, &title, &input, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete_confirm(kind: Kind, ctx: Ctx, st: AppState, id: i64) -> Result<Response> {
    let r = ops(kind).get(&st, id).await?;
    if r.deleted() {
        return Err(AppError::Conflict("Bản ghi đã bị xóa trước đó.".into()));
    }
    let body = html! {
        p { "Xóa " (kind.noun()) " «" (r.summary) "»? Bản ghi sẽ không còn được tính trong danh sách và báo cáo, nhưng vẫn được lưu lại và có thể khôi phục." }
        form method="post" action={"/" (kind.slug()) "/" (id) "/delete"} {
            (ctx.csrf_field())
            div.actions {
                button type="submit" { "Xóa" }
                a href={"/" (kind.slug()) "/" (id)} { "Hủy" }
            }
        }
    };
    Ok(layout::page(&ctx, &format!("Xóa {}", kind.noun()), body).into_response())
}

async fn delete(
    kind: Kind,
    st: AppState,
    user: CurrentUser,
    session: Session,
    id: i64,
) -> Result<Response> {
    ops(kind).delete(&st, &user.actor(), id).await?;
    flash(
        &session,
        &format!(
            "Đã xóa {}. Có thể khôi phục trong mục «Đã xóa».",
            kind.noun()
        ),
    )
    .await?;
    Ok(Redirect::to(&format!("/{}", kind.slug())).into_response())
}

async fn restore(
    kind: Kind,
    st: AppState,
    user: CurrentUser,
    session: Session,
    id: i64,
) -> Result<Response> {
    ops(kind).restore(&st, &user.actor(), id).await?;
    flash(&session, &format!("Đã khôi phục {}.", kind.noun())).await?;
    Ok(Redirect::to(&format!("/{}/{id}", kind.slug())).into_response())
}

#[cfg(test)]
mod tests {
    use super::person_cmp;

    #[test]
    fn people_sort_by_given_name_in_vietnamese_order() {
        let mut v = vec![
            "Vũ Thị Đào",
            "Nguyễn Văn Bình",
            "Lê Văn An",
            "Phạm Thị Ánh",
            "Đỗ Văn Dũng",
            "Trần Thị Đào",
        ];
        v.sort_by(|a, b| person_cmp(a, b));
        assert_eq!(
            v,
            [
                "Lê Văn An",
                "Phạm Thị Ánh",
                "Nguyễn Văn Bình",
                "Đỗ Văn Dũng",
                "Trần Thị Đào",
                "Vũ Thị Đào",
            ]
        );
    }
}
