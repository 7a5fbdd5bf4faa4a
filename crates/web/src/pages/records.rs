//! Generic pages for every record kind, driven by `domain::Kind::columns()`: list with
//! filters and pagination, new, show, edit, soft delete and restore. A small table of
//! trait objects (`ops`) dispatches each kind to the store's typed calls.

use std::marker::PhantomData;

use async_trait::async_trait;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use domain::{
    Column, ColumnType, Commendation, CommitteeMember, Conference, Dialogue, Document, FieldErrors,
    HotSpot, Input, Inspection, Kind, Opinion, PartyCell, PublicityItem, Record, ResidentialGroup,
};
use maud::{html, Markup};
use store::{Actor, Meta, Page, RecordFilter};
use tower_sessions::Session;

use crate::auth::{flash, CurrentUser};
use crate::perms::Perm;
use crate::views::audit::audit_table;
use crate::views::forms::{self, Choices};
use crate::views::layout::{self, num, Ctx};
use crate::{dialogues, AppError, AppState, Result, Routes};

pub const PER_PAGE: u32 = 25;

/// A stored record of any kind, as pages show it: its canonical fields.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub input: Input,
    pub summary: String,
    pub date: Option<NaiveDate>,
    pub meta: Meta,
}

impl Row {
    pub fn deleted(&self) -> bool {
        self.meta.deleted_at.is_some()
    }
}

fn row<T: Record>(s: store::Stored<T>) -> Row {
    Row {
        id: s.id,
        parent_id: s.parent_id,
        input: s.record.to_input(),
        summary: s.record.summary(),
        date: s.record.date(),
        meta: s.meta,
    }
}

/// What a page can do with a kind without knowing its Rust type.
#[async_trait]
pub trait Ops: Send + Sync {
    async fn list(&self, st: &AppState, f: &RecordFilter) -> store::Result<Page<Row>>;
    async fn get(&self, st: &AppState, id: i64) -> store::Result<Row>;
    async fn create(&self, st: &AppState, actor: &Actor, input: &Input) -> store::Result<i64>;
    async fn update(
        &self,
        st: &AppState,
        actor: &Actor,
        id: i64,
        input: &Input,
    ) -> store::Result<()>;
    async fn delete(&self, st: &AppState, actor: &Actor, id: i64) -> store::Result<()>;
    async fn restore(&self, st: &AppState, actor: &Actor, id: i64) -> store::Result<()>;
}

struct Typed<T>(PhantomData<fn() -> T>);

#[async_trait]
impl<T: Record> Ops for Typed<T> {
    async fn list(&self, st: &AppState, f: &RecordFilter) -> store::Result<Page<Row>> {
        let p = st.store.list::<T>(st.ward, f).await?;
        Ok(Page {
            items: p.items.into_iter().map(row).collect(),
            total: p.total,
            sum: p.sum,
            page: p.page,
            per_page: p.per_page,
        })
    }
    async fn get(&self, st: &AppState, id: i64) -> store::Result<Row> {
        Ok(row(st.store.get::<T>(st.ward, id).await?))
    }
    async fn create(&self, st: &AppState, actor: &Actor, input: &Input) -> store::Result<i64> {
        let rec = T::parse(input).map_err(store::StoreError::Invalid)?;
        st.store.create(st.ward, actor, &rec).await
    }
    async fn update(
        &self,
        st: &AppState,
        actor: &Actor,
        id: i64,
        input: &Input,
    ) -> store::Result<()> {
        let rec = T::parse(input).map_err(store::StoreError::Invalid)?;
        st.store.update(st.ward, actor, id, &rec).await
    }
    async fn delete(&self, st: &AppState, actor: &Actor, id: i64) -> store::Result<()> {
        st.store.delete::<T>(st.ward, actor, id).await
    }
    async fn restore(&self, st: &AppState, actor: &Actor, id: i64) -> store::Result<()> {
        st.store.restore::<T>(st.ward, actor, id).await
    }
}

/// The dispatch table over the eleven kinds.
pub fn ops(kind: Kind) -> &'static dyn Ops {
    match kind {
        Kind::ResidentialGroups => &Typed::<ResidentialGroup>(PhantomData),
        Kind::PartyCells => &Typed::<PartyCell>(PhantomData),
        Kind::CommitteeMembers => &Typed::<CommitteeMember>(PhantomData),
        Kind::Conferences => &Typed::<Conference>(PhantomData),
        Kind::Publicity => &Typed::<PublicityItem>(PhantomData),
        Kind::Dialogues => &Typed::<Dialogue>(PhantomData),
        Kind::Opinions => &Typed::<Opinion>(PhantomData),
        Kind::Documents => &Typed::<Document>(PhantomData),
        Kind::Inspections => &Typed::<Inspection>(PhantomData),
        Kind::Commendations => &Typed::<Commendation>(PhantomData),
        Kind::HotSpots => &Typed::<HotSpot>(PhantomData),
    }
}

/// The unit of a kind's summed measure, for "tổng 15.135 lượt người".
pub fn sum_unit(kind: Kind) -> &'static str {
    match kind {
        Kind::Conferences => "lượt người",
        Kind::Publicity => "lượt",
        Kind::Dialogues => "người tham dự",
        Kind::ResidentialGroups => "nhân khẩu",
        Kind::PartyCells => "đảng viên",
        _ => "",
    }
}

pub fn add_routes(mut r: Routes) -> Routes {
    for &kind in Kind::ALL {
        let s = kind.slug();
        r = r
            .get(
                &format!("/{s}"),
                move |ctx: Ctx, State(st): State<AppState>, RawQuery(q): RawQuery| {
                    list(kind, ctx, st, q)
                },
            )
            .post(
                &format!("/{s}"),
                move |ctx: Ctx,
                      st: State<AppState>,
                      user: CurrentUser,
                      session: Session,
                      Form(f): Form<Vec<(String, String)>>| {
                    create(kind, ctx, st.0, user, session, f)
                },
            )
            .get(
                &format!("/{s}/new"),
                move |ctx: Ctx, State(st): State<AppState>| new_form(kind, ctx, st),
            )
            .get(
                &format!("/{s}/{{id}}"),
                move |ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>| async move {
                    show(kind, ctx, st, id, None).await
                },
            )
            .post(
                &format!("/{s}/{{id}}"),
                move |ctx: Ctx,
                      st: State<AppState>,
                      user: CurrentUser,
                      session: Session,
                      Path(id): Path<i64>,
                      Form(f): Form<Vec<(String, String)>>| {
                    update(kind, ctx, st.0, user, session, id, f)
                },
            )
            .get(
                &format!("/{s}/{{id}}/edit"),
                move |ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>| {
                    edit_form(kind, ctx, st, id)
                },
            )
            .get(
                &format!("/{s}/{{id}}/delete"),
                move |ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>| {
                    delete_confirm(kind, ctx, st, id)
                },
            )
            .post(
                &format!("/{s}/{{id}}/delete"),
                move |st: State<AppState>,
                      user: CurrentUser,
                      session: Session,
                      Path(id): Path<i64>| {
                    delete(kind, st.0, user, session, id)
                },
            )
            .post(
                &format!("/{s}/{{id}}/restore"),
                move |st: State<AppState>,
                      user: CurrentUser,
                      session: Session,
                      Path(id): Path<i64>| {
                    restore(kind, st.0, user, session, id)
                },
            );
    }
    r
}

// ------------------------------------------------------------------ filters

/// Query parameters → [`RecordFilter`] (`RecordFilter::from_query`, the contract the
/// report drill-down links rely on), a page of [`PER_PAGE`] rows unless asked otherwise.
/// Unknown names and bad values are refused with a Vietnamese message (→ 400).
pub fn list_filter(
    kind: Kind,
    pairs: &[(String, String)],
) -> std::result::Result<RecordFilter, String> {
    let mut f = RecordFilter::from_query(kind, pairs)?;
    if f.per_page == 0 {
        f.per_page = PER_PAGE;
    }
    Ok(f)
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

/// Columns a list shows: the short ones, in the kind's order.
pub fn list_columns(kind: Kind) -> Vec<&'static Column> {
    kind.columns()
        .iter()
        .filter(|c| !matches!(c.ty, ColumnType::LongText | ColumnType::DialogueRef))
        .filter(|c| !matches!(c.name, "source" | "ref"))
        .take(9)
        .collect()
}

async fn choices(st: &AppState) -> Result<Choices> {
    Ok(Choices {
        groups: st.store.group_numbers(st.ward).await?,
        cells: st.store.party_cell_names(st.ward).await?,
    })
}

fn has_group_filter(kind: Kind) -> bool {
    kind.column("residential_group").is_some()
        || matches!(kind, Kind::ResidentialGroups | Kind::PartyCells)
}

// ------------------------------------------------------------------ list

async fn list(kind: Kind, ctx: Ctx, st: AppState, q: Option<String>) -> Result<Response> {
    let pairs = parse_query(q.as_deref())?;
    let mut filter = list_filter(kind, &pairs).map_err(AppError::BadRequest)?;
    // Registers are short: show them whole, in natural order.
    let register = matches!(kind, Kind::PartyCells | Kind::ResidentialGroups);
    if register && !pairs.iter().any(|(k, _)| k == "page" || k == "per_page") {
        filter.per_page = 0;
    }
    let mut page = ops(kind).list(&st, &filter).await.map_err(filter_error)?;
    if kind == Kind::PartyCells {
        page.items
            .sort_by_key(|r| forms::natural_key(r.input.get("name")));
    }
    let years = st.store.years(st.ward, kind).await?;
    let groups = if has_group_filter(kind) {
        st.store.group_numbers(st.ward).await?
    } else {
        Vec::new()
    };
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let cols = list_columns(kind);
    // An opinion's content is long text, left out of the columns: lead with its summary.
    let lead_summary = kind == Kind::Opinions;
    let kind_col = kind.kind_column().and_then(|c| kind.column(c));
    let unit = sum_unit(kind);
    let body = html! {
        @if ctx.can(Perm::Write) && kind != Kind::Opinions {
            p { a.button href={"/" (kind.slug()) "/new"} { "Thêm " (kind.noun()) } }
        }
        form.filters method="get" action={"/" (kind.slug())} role="search" {
            @if kind.date_column().is_some() || kind == Kind::Opinions {
                div {
                    label for="year" { "Năm" }
                    select #year name="year" {
                        option value="" { "Tất cả" }
                        @for y in &years { @let ys = y.to_string(); option value=(ys) selected[ys == get("year")] { (ys) } }
                    }
                }
            }
            @if let Some(col) = kind_col {
                @if let ColumnType::Code(opts) = col.ty {
                    div {
                        label for="kindf" { (col.label) }
                        select #kindf name=(col.name) {
                            option value="" { "Tất cả" }
                            @for (c, l) in opts() { option value=(c) selected[c == get(col.name)] { (l) } }
                        }
                    }
                }
            }
            @if !groups.is_empty() {
                div {
                    label for="group" { "Tổ dân phố" }
                    select #group name="group" {
                        option value="" { "Tất cả" }
                        @for (n, _) in &groups { @let s = n.to_string(); option value=(s) selected[s == get("group")] { "Tổ " (s) } }
                    }
                }
            }
            div { label for="q" { "Tìm" } input #q type="text" name="q" value=(get("q")); }
            div { label { input type="checkbox" name="deleted" value="1" checked[get("deleted") == "1"]; " Đã xóa" } }
            div { button type="submit" { "Lọc" } " " a href={"/" (kind.slug())} { "Bỏ lọc" } }
        }
        p.count {
            "Tìm thấy " (num(page.total as i64)) " bản ghi"
            @if let Some(sum) = page.sum { @if !unit.is_empty() { ", tổng " (num(sum)) " " (unit) } }
            @if filter.deleted { " đã xóa" }
            @if ctx.can(Perm::Export) { " · " a href={"/" (kind.slug()) ".csv"} { "Tải toàn bộ (CSV)" } }
        }
        @if !page.items.is_empty() {
            table {
                thead { tr {
                    @if lead_summary { th scope="col" { "Nội dung" } }
                    @for c in &cols { th scope="col" { (c.label) } }
                    th scope="col" { span.visually-hidden { "Thao tác" } }
                } }
                tbody {
                    @for r in &page.items {
                        tr.deleted[r.deleted()] {
                            @if lead_summary {
                                td { a href={"/" (kind.slug()) "/" (r.id)} { (r.summary) } }
                            }
                            @for (i, c) in cols.iter().enumerate() {
                                @let v = forms::display(c, r.input.get(c.name));
                                @if i == 0 && !lead_summary {
                                    td { a href={"/" (kind.slug()) "/" (r.id)} { @if v.is_empty() { "#" (r.id) } @else { (v) } } }
                                } @else if matches!(c.ty, ColumnType::Whole) {
                                    td.num { (v) }
                                } @else {
                                    td { (v) }
                                }
                            }
                            td {
                                @if r.deleted() && ctx.can(Perm::Write) {
                                    form method="post" action={"/" (kind.slug()) "/" (r.id) "/restore"} {
                                        (ctx.csrf_field())
                                        button type="submit" { "Khôi phục" }
                                    }
                                } @else {
                                    a href={"/" (kind.slug()) "/" (r.id)} aria-label={"Xem " (r.summary)} { "Xem" }
                                }
                            }
                        }
                    }
                }
            }
        }
        (pager(kind, &pairs, &page))
    };
    Ok(layout::page(&ctx, kind.label(), body).into_response())
}

fn pager(kind: Kind, pairs: &[(String, String)], page: &Page<Row>) -> Markup {
    let pages = page.pages();
    let link = |n: u32| {
        let mut p: Vec<(String, String)> =
            pairs.iter().filter(|(k, _)| k != "page").cloned().collect();
        p.push(("page".into(), n.to_string()));
        format!(
            "/{}?{}",
            kind.slug(),
            serde_urlencoded::to_string(&p).unwrap_or_default()
        )
    };
    html! {
        @if pages > 1 {
            nav.pager aria-label="Phân trang" {
                @if page.page > 1 { a href=(link(page.page - 1)) rel="prev" { "← Trang trước" } " " }
                "Trang " (num(page.page)) " / " (num(pages))
                @if page.page < pages { " " a href=(link(page.page + 1)) rel="next" { "Trang sau →" } }
            }
        }
    }
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
    if kind == Kind::Opinions {
        return Err(AppError::BadRequest(
            "Ý kiến, kiến nghị được thêm từ trang của buổi tiếp xúc, đối thoại (mục Đối thoại)."
                .into(),
        ));
    }
    let mut input = Input::new();
    if kind == Kind::Publicity {
        input.set("count", "1");
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
    if kind == Kind::Opinions {
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

// ------------------------------------------------------------------ show, delete

/// The record's page; dialogues add their opinions (and the form state of a failed
/// opinion, if any).
pub async fn show(
    kind: Kind,
    ctx: Ctx,
    st: AppState,
    id: i64,
    opinion_form: Option<(Input, FieldErrors)>,
) -> Result<Response> {
    let r = ops(kind).get(&st, id).await?;
    let extra = match kind {
        Kind::Dialogues => {
            dialogues::opinions_section(&ctx, &st, &r, opinion_form.as_ref()).await?
        }
        _ => html! {},
    };
    let history = if ctx.can(Perm::History) {
        let entries = st
            .store
            .audit(
                st.ward,
                &store::audit::AuditFilter {
                    entity: Some(kind.code().to_string()),
                    entity_id: Some(id),
                    page: 1,
                    per_page: 50,
                    ..Default::default()
                },
            )
            .await?;
        html! {
            section aria-labelledby="history" {
                h2 #history { "Lịch sử thay đổi" }
                (audit_table(&entries.items, false))
                @if ctx.can(Perm::Audit) {
                    p { a href={"/admin/audit?entity=" (kind.code()) "&id=" (id)} { "Xem trong nhật ký thay đổi" } }
                }
            }
        }
    } else {
        html! {}
    };
    let m = &r.meta;
    let body = html! {
        @if r.deleted() {
            p.alert role="status" { "Bản ghi này đã bị xóa (" (layout::timestamp(m.deleted_at.as_deref().unwrap_or(""))) ", " (m.deleted_by.as_deref().unwrap_or("")) "). Nó không được tính trong danh sách và báo cáo." }
        }
        table.record {
            tbody {
                @for c in forms::form_columns(kind.columns()) {
                    tr {
                        th scope="row" { (c.label) }
                        td { (forms::display(c, r.input.get(c.name))) }
                    }
                }
                @if let Some(p) = r.parent_id {
                    tr { th scope="row" { "Buổi tiếp xúc, đối thoại" } td { a href={"/dialogues/" (p)} { "Xem buổi đối thoại" } } }
                }
            }
        }
        p.meta {
            "Tạo bởi " (m.created_by) " lúc " (layout::timestamp(&m.created_at))
            "; sửa lần cuối bởi " (m.updated_by) " lúc " (layout::timestamp(&m.updated_at)) " (giờ UTC)."
        }
        @if ctx.can(Perm::Write) {
            div.actions {
                @if r.deleted() {
                    form method="post" action={"/" (kind.slug()) "/" (id) "/restore"} {
                        (ctx.csrf_field())
                        button type="submit" { "Khôi phục" }
                    }
                } @else {
                    a href={"/" (kind.slug()) "/" (id) "/edit"} { "Sửa" }
                    a href={"/" (kind.slug()) "/" (id) "/delete"} { "Xóa" }
                }
            }
        }
        (extra)
        p { a href={"/" (kind.slug())} { "← " (kind.label()) } }
        (history)
    };
    let title = format!("{}: {}", capitalise(kind.noun()), r.summary);
    Ok(layout::page(&ctx, &title, body).into_response())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
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
    use super::*;
    use domain::dates;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn query_parameters_become_a_list_filter() {
        let f = list_filter(
            Kind::Publicity,
            &pairs(&[
                ("from", "01/01/2014"),
                ("to", "2018-06-28"),
                ("topic", "land_certificate"),
                ("topic", "site_clearance"),
                ("channel", "radio"),
                ("deleted", "1"),
                ("page", "2"),
                ("q", ""),
            ]),
        )
        .expect("valid");
        assert_eq!(f.from, dates::ymd(2014, 1, 1));
        assert_eq!(f.to, dates::ymd(2018, 6, 28));
        assert_eq!(f.eq, vec![("channel".to_string(), "radio".to_string())]);
        assert_eq!(
            f.any_of,
            vec![(
                "topic".to_string(),
                vec!["land_certificate".to_string(), "site_clearance".to_string()]
            )]
        );
        assert!(f.deleted);
        assert_eq!(f.page, 2);
        assert_eq!(f.q, None);
    }

    #[test]
    fn unknown_names_and_bad_values_are_refused() {
        assert!(list_filter(Kind::Conferences, &pairs(&[("colour", "red")])).is_err());
        assert!(list_filter(Kind::Conferences, &pairs(&[("year", "abc")])).is_err());
        assert!(list_filter(Kind::Conferences, &pairs(&[("from", "31/02/2018")])).is_err());
        assert!(list_filter(Kind::Conferences, &pairs(&[("kind", "party")])).is_err());
        assert!(list_filter(Kind::Conferences, &pairs(&[("attendees", "5")])).is_err());
        assert!(list_filter(Kind::Conferences, &pairs(&[("page", "0")])).is_err());
    }
}
