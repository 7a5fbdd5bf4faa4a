//! What the record pages and the dialogue pages share, kept out of `pages/` so that
//! handlers never call each other: a stored record of any kind as pages show it
//! ([`Row`]), the table dispatching a kind to the store's typed calls ([`ops`]), the
//! list filter read from a query ([`list_filter`]) and a record's page ([`show_page`]),
//! with the opinions of a dialogue.

use std::marker::PhantomData;

use async_trait::async_trait;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use domain::{
    dates, Commendation, CommitteeMember, CommunityDecision, Conference, Consultation, Dialogue,
    Document, FieldErrors, HotSpot, Input, Inspection, InspectionBoardActivity,
    InspectionBoardTerm, Kind, Lifespan, Opinion, PartyCell, PublicityItem, Record,
    ResidentialGroup, SupervisionActivity, SupervisionBoard,
};
use maud::{html, Markup};
use store::{Actor, Meta, Page, RecordFilter};

use crate::perms::Perm;
use crate::views::forms::{self, Choices};
use crate::views::layout::{self, num, Ctx};
use crate::{AppState, Result};

pub const PER_PAGE: u32 = 25;

/// A stored record of any kind, as pages show it: its canonical fields.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub input: Input,
    pub summary: String,
    pub date: Option<NaiveDate>,
    /// When a register entry exists (a residential group, a party cell).
    pub lifespan: Option<Lifespan>,
    pub meta: Meta,
    /// The former ward the record belongs to, in a successor's lists (its name).
    pub former: Option<String>,
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
        lifespan: s.record.lifespan(),
        meta: s.meta,
        former: None,
    }
}

/// The record's former ward's name when it is not the request's ward.
async fn mark_former(st: &AppState, rows: &mut [(store::WardId, Row)]) -> store::Result<()> {
    if rows.iter().all(|(w, _)| *w == st.ward) {
        return Ok(());
    }
    let wards = st.store.wards().await?;
    for (w, r) in rows.iter_mut().filter(|(w, _)| *w != st.ward) {
        r.former = wards
            .iter()
            .find(|e| e.id == *w)
            .map(|e| e.ward.name.clone());
    }
    Ok(())
}

/// The wards a list of `kind` shows: the request's, and for dated kinds its former
/// wards up to their last days (whole ones; part ones when the filter asks).
async fn scope(
    st: &AppState,
    kind: Kind,
    f: &RecordFilter,
) -> store::Result<Vec<(store::WardId, Option<NaiveDate>)>> {
    if !kind.is_dated() {
        return Ok(vec![(st.ward, None)]);
    }
    app::report::list_scope(&st.store, st.ward, f.include_part).await
}

/// What a page can do with a kind without knowing its Rust type.
#[async_trait]
pub trait Ops: Send + Sync {
    async fn list(&self, st: &AppState, f: &RecordFilter) -> store::Result<Page<Row>>;
    async fn get(&self, st: &AppState, id: i64) -> store::Result<Row>;
    /// [`Ops::get`], or a record of one of the ward's former wards (read only: its
    /// `former` says whose).
    async fn get_in(&self, st: &AppState, id: i64) -> store::Result<Row>;
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
        let scope = scope(st, T::KIND, f).await?;
        let p = st.store.list_in::<T>(&scope, f).await?;
        let mut items: Vec<(store::WardId, Row)> =
            p.items.into_iter().map(|s| (s.ward, row(s))).collect();
        mark_former(st, &mut items).await?;
        Ok(Page {
            items: items.into_iter().map(|(_, r)| r).collect(),
            total: p.total,
            sum: p.sum,
            page: p.page,
            per_page: p.per_page,
        })
    }
    async fn get(&self, st: &AppState, id: i64) -> store::Result<Row> {
        Ok(row(st.store.get::<T>(st.ward, id).await?))
    }
    async fn get_in(&self, st: &AppState, id: i64) -> store::Result<Row> {
        match st.store.get::<T>(st.ward, id).await {
            Err(store::StoreError::NotFound) => {}
            other => return other.map(row),
        }
        let f = RecordFilter {
            include_part: true,
            ..RecordFilter::default()
        };
        for (w, last) in scope(st, T::KIND, &f).await?.into_iter().skip(1) {
            if let Ok(s) = st.store.get::<T>(w, id).await {
                let inside = match (s.record.date(), last) {
                    (Some(d), Some(last)) => d <= last,
                    _ => false,
                };
                if inside {
                    let mut rows = [(w, row(s))];
                    mark_former(st, &mut rows).await?;
                    let [(_, r)] = rows;
                    return Ok(r);
                }
            }
        }
        Err(store::StoreError::NotFound)
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

/// The dispatch table over the kinds.
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
        Kind::CommunityDecisions => &Typed::<CommunityDecision>(PhantomData),
        Kind::Consultations => &Typed::<Consultation>(PhantomData),
        Kind::InspectionBoardTerms => &Typed::<InspectionBoardTerm>(PhantomData),
        Kind::InspectionBoardActivities => &Typed::<InspectionBoardActivity>(PhantomData),
        Kind::SupervisionBoards => &Typed::<SupervisionBoard>(PhantomData),
        Kind::SupervisionActivities => &Typed::<SupervisionActivity>(PhantomData),
    }
}

// ------------------------------------------------------------------ filters

/// The query parameter by which a drill-down link names its indicator.
pub const INDICATOR_PARAM: &str = "indicator";

/// Query parameters → [`RecordFilter`] (`RecordFilter::from_query`, the contract the
/// report drill-down links rely on), a page of [`PER_PAGE`] rows unless asked otherwise.
/// Unknown names and bad values are refused with a Vietnamese message (→ 400). The
/// `indicator` a drill-down link names (for the page to show) does not filter.
pub fn list_filter(
    kind: Kind,
    pairs: &[(String, String)],
) -> std::result::Result<RecordFilter, String> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != INDICATOR_PARAM)
        .cloned()
        .collect();
    let mut f = RecordFilter::from_query(kind, &pairs)?;
    if f.per_page == 0 {
        f.per_page = PER_PAGE;
    }
    Ok(f)
}

// ------------------------------------------------------------------ show

/// The record's page; a record with children (a dialogue) adds them (its opinions, and
/// the form state of a failed opinion, if any).
pub async fn show_page(
    kind: Kind,
    ctx: Ctx,
    st: AppState,
    id: i64,
    opinion_form: Option<(Input, FieldErrors)>,
) -> Result<Response> {
    let r = ops(kind).get_in(&st, id).await?;
    let extra = if kind.has_children() && r.former.is_none() {
        opinions_section(&ctx, &st, &r, opinion_form.as_ref()).await?
    } else {
        html! {}
    };
    let history = if ctx.can(Perm::History) && r.former.is_none() {
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
                (crate::views::audit::audit_table(&entries.items, false))
                @if ctx.can(Perm::Audit) {
                    p { a href={"/admin/audit?entity=" (kind.code()) "&id=" (id)} { "Xem trong nhật ký thay đổi" } }
                }
            }
        }
    } else {
        html! {}
    };
    // A record under another (an opinion under its dialogue) shows which: its date and
    // title, not only a link.
    let parent_row = match (r.parent_id, kind.parent()) {
        (Some(p), Some(parent)) => Some((parent, ops(parent).get_in(&st, p).await?)),
        _ => None,
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
                @if let Some(a) = kind.assess(&r.input) {
                    tr.assessment {
                        th scope="row" { (a.label) }
                        td {
                            strong.verdict.passed[a.positive].failed[!a.positive] { (a.verdict) }
                            br;
                            span.reason { (a.reason) }
                        }
                    }
                }
                @if let Some((parent, p)) = &parent_row {
                    tr { th scope="row" { (capitalise(parent.noun())) } td {
                        a href={"/" (parent.slug()) "/" (p.id)} {
                            @if let Some(d) = p.date { (domain::dates::vn(d)) " — " }
                            (p.summary)
                        }
                    } }
                }
            }
        }
        p.meta {
            "Tạo bởi " (m.created_by) " lúc " (layout::timestamp(&m.created_at))
            "; sửa lần cuối bởi " (m.updated_by) " lúc " (layout::timestamp(&m.updated_at)) "."
        }
        @if let Some(former) = &r.former {
            p.alert role="status" { "Bản ghi của " (former) " (phường cũ, đã sáp nhập): được tính trong báo cáo của phường hiện tại cho thời gian trước khi sáp nhập; chỉ xem, không sửa ở đây." }
        }
        @if ctx.can(Perm::Write) && r.former.is_none() {
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

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The opinions of a dialogue and, for those who may write, the form to add one.
pub async fn opinions_section(
    ctx: &Ctx,
    st: &AppState,
    dialogue: &Row,
    form: Option<&(Input, FieldErrors)>,
) -> Result<Markup> {
    let page = st
        .store
        .list::<Opinion>(
            st.ward,
            &RecordFilter {
                parent: Some(dialogue.id),
                per_page: 0,
                ..Default::default()
            },
        )
        .await?;
    let cols = Kind::Opinions.columns();
    let empty = (
        Input::new()
            .with("status", "open")
            .with("response", "answered"),
        FieldErrors::new(),
    );
    let (input, errors) = form.unwrap_or(&empty);
    Ok(html! {
        section aria-labelledby="opinions" {
            h2 #opinions { "Ý kiến, kiến nghị (" (num(page.total as i64)) ")" }
            @if page.items.is_empty() { p { "Chưa có ý kiến nào." } } @else {
                table {
                    thead { tr { th { "Nội dung" } th { "Lĩnh vực" } th { "Hình thức trả lời" } th { "Tình trạng" } th { "Ngày giải quyết xong" } } }
                    tbody {
                        @for o in &page.items {
                            tr {
                                td { a href={"/opinions/" (o.id)} { (o.record.summary()) } }
                                td { (o.record.field.as_deref().unwrap_or("")) }
                                td { (o.record.response.to_string()) }
                                td { (o.record.status.to_string()) }
                                td { (o.record.resolved_on.map(dates::vn).unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
            @if ctx.can(Perm::Write) && !dialogue.deleted() {
                h3 { "Thêm ý kiến" }
                (forms::other_errors(cols, errors))
                form method="post" action={"/dialogues/" (dialogue.id) "/opinions"} novalidate {
                    (ctx.csrf_field())
                    (forms::fields(cols, input, errors, &Choices::default()))
                    button type="submit" { "Thêm ý kiến" }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The query-string contract itself is tested with `RecordFilter::from_query` in
    // `domain::filter`; here only what the list pages add to it.
    #[test]
    fn a_list_page_shows_a_page_of_rows_unless_asked_otherwise() {
        let f = list_filter(Kind::Conferences, &[]).expect("valid");
        assert_eq!(f.per_page, PER_PAGE);
        assert_eq!(f.page, 1);
        let f =
            list_filter(Kind::Conferences, &[("per_page".into(), "100".into())]).expect("valid");
        assert_eq!(f.per_page, 100);
        assert!(list_filter(Kind::Conferences, &[("nope".into(), "1".into())]).is_err());
    }
}
