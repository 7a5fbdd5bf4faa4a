//! A list of records of one kind: the filters form, the table of its short columns
//! (driven by `domain::Kind::columns()`) and the pager.

use domain::{Column, ColumnType, Kind, Standing};
use maud::{html, Markup};
use store::{ActiveTotals, Page, RecordFilter};

use crate::perms::Perm;
use crate::records_view::Row;
use crate::views::forms;
use crate::views::layout::{num, Ctx};

/// The unit of a kind's summed measure, for "tổng 15.135 lượt người".
pub fn sum_unit(kind: Kind) -> &'static str {
    match kind {
        Kind::Conferences => "lượt người",
        Kind::Publicity => "lượt",
        Kind::Dialogues => "người tham dự",
        Kind::ResidentialGroups => "nhân khẩu",
        Kind::PartyCells => "đảng viên",
        Kind::CommitteeMembers
        | Kind::Opinions
        | Kind::Documents
        | Kind::Inspections
        | Kind::Commendations
        | Kind::HotSpots
        | Kind::CommunityDecisions
        | Kind::InspectionBoardTerms
        | Kind::InspectionBoardActivities
        | Kind::SupervisionActivities => "",
        Kind::Consultations => "ý kiến nhận được",
        Kind::SupervisionBoards => "thành viên",
    }
}

/// How a register whose entries start and end speaks of them: the unit of its count,
/// its entries' standing, and the units of its measures (by input field).
pub struct RegisterWords {
    pub unit: &'static str,
    pub not_yet: &'static str,
    pub ended: &'static str,
    pub measures: &'static [(&'static str, &'static str)],
}

pub fn register_words(kind: Kind) -> Option<RegisterWords> {
    match kind {
        Kind::ResidentialGroups => Some(RegisterWords {
            unit: "tổ",
            not_yet: "Chưa thành lập",
            ended: "Đã giải thể",
            measures: &[("households", "hộ"), ("residents", "nhân khẩu")],
        }),
        Kind::PartyCells => Some(RegisterWords {
            unit: "chi bộ",
            not_yet: "Chưa hoạt động",
            ended: "Ngừng hoạt động",
            measures: &[("members", "đảng viên")],
        }),
        Kind::CommitteeMembers
        | Kind::Conferences
        | Kind::Publicity
        | Kind::Dialogues
        | Kind::Opinions
        | Kind::Documents
        | Kind::Inspections
        | Kind::Commendations
        | Kind::HotSpots
        | Kind::CommunityDecisions
        | Kind::Consultations
        | Kind::InspectionBoardTerms
        | Kind::InspectionBoardActivities
        | Kind::SupervisionBoards
        | Kind::SupervisionActivities => None,
    }
}

/// "Đang hoạt động: 37 tổ, 5.000 hộ, 20.000 nhân khẩu (ngày 29/11/2026; …)": what a
/// register counts today, leaving out the entries dissolved or not yet started.
fn active_line(kind: Kind, a: &ActiveTotals) -> Markup {
    let Some(w) = register_words(kind) else {
        return html! {};
    };
    let mut parts = vec![format!("{} {}", num(a.count as i64), w.unit)];
    for (field, sum) in &a.sums {
        if let Some((_, unit)) = w.measures.iter().find(|(f, _)| f == field) {
            parts.push(format!("{} {unit}", num(*sum)));
        }
    }
    html! {
        p.count.active-totals {
            strong { "Đang hoạt động: " (parts.join(", ")) }
            " (tính ngày " (domain::dates::vn(a.day)) "; không tính " (w.unit) " "
            (w.ended.to_lowercase()) " hoặc " (w.not_yet.to_lowercase()) ")"
        }
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

/// Lists filter by residential group the groups themselves and what names a group.
pub fn has_group_filter(kind: Kind) -> bool {
    kind.is_or_refers_to(Kind::ResidentialGroups)
}

/// What fills a list's filters: the years with records, the residential groups.
pub struct FilterChoices<'a> {
    pub years: &'a [i32],
    pub groups: &'a [(u32, String)],
}

/// The list's filter form, and the filters it has no field for (a drill-down's range,
/// codes, indicator) as removable chips that the form carries along.
fn filters(kind: Kind, pairs: &[(String, String)], choices: &FilterChoices) -> Markup {
    let (years, groups) = (choices.years, choices.groups);
    let get = |k: &str| param(pairs, k);
    let kind_col = kind.kind_column().and_then(|c| kind.column(c));
    let own = [
        "year",
        "group",
        "q",
        "deleted",
        "page",
        kind_col.map(|c| c.name).unwrap_or("year"),
    ];
    let extra: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(k, v)| !v.trim().is_empty() && !own.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    html! {
        form.filters method="get" action={"/" (kind.slug())} role="search" {
            @if kind.is_dated() {
                div {
                    label for="year" { "Năm" }
                    select #year name="year" {
                        option value="" { "Tất cả" }
                        @for y in years { @let ys = y.to_string(); option value=(ys) selected[ys == get("year")] { (ys) } }
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
                        @for (n, _) in groups { @let s = n.to_string(); option value=(s) selected[s == get("group")] { "Tổ " (s) } }
                    }
                }
            }
            div { label for="q" { "Tìm" } input #q type="text" name="q" value=(get("q")); }
            div { label { input type="checkbox" name="deleted" value="1" checked[get("deleted") == "1"]; " Đã xóa" } }
            // Filters the form has no field for (a drill-down's range, topic…) go along.
            @for (k, v) in &extra { input type="hidden" name=(k) value=(v); }
            div { button type="submit" { "Lọc" } " " a href={"/" (kind.slug())} { "Bỏ lọc" } }
        }
        @if !extra.is_empty() {
            p.active-filters {
                "Đang lọc theo: "
                @for (i, (k, v)) in extra.iter().enumerate() {
                    @if i > 0 { " · " }
                    span.chip {
                        (filter_text(kind, k, v))
                        " "
                        a href=(without(kind, pairs, k, v)) title="Bỏ điều kiện này" aria-label={"Bỏ điều kiện: " (filter_text(kind, k, v))} { "×" }
                    }
                }
            }
        }
    }
}

/// The body of a list page: what the query `pairs` asked (`filter`) and found (`page`),
/// with the filters' `choices`; a register whose entries start and end shows each
/// one's standing and what it counts on the day of `active`.
pub fn list(
    ctx: &Ctx,
    kind: Kind,
    pairs: &[(String, String)],
    filter: &RecordFilter,
    page: &Page<Row>,
    choices: &FilterChoices,
    active: Option<&ActiveTotals>,
) -> Markup {
    let cols = list_columns(kind);
    // A record whose first field is long text (an opinion's content), left out of the
    // columns: lead with its summary.
    let lead_summary = forms::form_columns(kind.columns())
        .next()
        .is_some_and(|c| matches!(c.ty, ColumnType::LongText));
    let unit = sum_unit(kind);
    // A register's standing on the day it counts from.
    let words = register_words(kind);
    let standing = |r: &Row| -> Option<(&'static str, bool)> {
        let (w, a) = (words.as_ref()?, active?);
        Some(match r.lifespan?.standing(a.day) {
            Standing::Active => ("Đang hoạt động", true),
            Standing::NotYet => (w.not_yet, false),
            Standing::Ended => (w.ended, false),
        })
    };
    let status_col = words.is_some() && active.is_some();
    // Kinds whose figures the application judges (a community decision's outcome).
    let assessed = kind.spec().assess.is_some();
    html! {
        @if ctx.can(Perm::Write) && !kind.has_parent() {
            p { a.button href={"/" (kind.slug()) "/new"} { "Thêm " (kind.noun()) } }
        }
        (filters(kind, pairs, choices))
        p.count {
            "Tìm thấy " (num(page.total as i64)) " bản ghi"
            // A register's sum would count its dissolved entries: its active line says.
            @if let (Some(sum), false) = (page.sum, status_col) { @if !unit.is_empty() { ", tổng " (num(sum)) " " (unit) } }
            @if filter.deleted { " đã xóa" }
            @if ctx.can(Perm::Export) { " · " a href={"/" (kind.slug()) ".csv"} { "Tải toàn bộ (CSV)" } }
        }
        @if let (Some(a), false) = (active, filter.deleted) { (active_line(kind, a)) }
        @if !page.items.is_empty() {
            // Scrolls sideways inside its own box on a phone; focusable for the keyboard.
            div.table-wrap role="region" aria-label=(kind.label()) tabindex="0" {
                table {
                    thead { tr {
                        @if lead_summary { th scope="col" { "Nội dung" } }
                        @for c in &cols { th scope="col" { (c.label) } }
                        @if status_col { th scope="col" { "Tình trạng" } }
                        @if assessed { th scope="col" { "Kết quả" } }
                        th scope="col" { span.visually-hidden { "Thao tác" } }
                    } }
                    tbody {
                        @for r in &page.items {
                            @let standing = standing(r);
                            tr.deleted[r.deleted()].ended[standing.is_some_and(|(_, active)| !active)] {
                                @if lead_summary {
                                    td { a href={"/" (kind.slug()) "/" (r.id)} { (r.summary) } (former_mark(r)) }
                                }
                                @for (i, c) in cols.iter().enumerate() {
                                    @let v = forms::display(c, r.input.get(c.name));
                                    @if i == 0 && !lead_summary {
                                        td { a href={"/" (kind.slug()) "/" (r.id)} { @if v.is_empty() { "#" (r.id) } @else { (v) } } (former_mark(r)) }
                                    } @else if matches!(c.ty, ColumnType::Whole) {
                                        td.num { (v) }
                                    } @else {
                                        td { (v) }
                                    }
                                }
                                @if status_col {
                                    td {
                                        @if let Some((label, active)) = standing {
                                            span.badge.active[active].ended[!active] { (label) }
                                        }
                                    }
                                }
                                @if assessed {
                                    @match kind.assess(&r.input) {
                                        Some(a) => td title=(a.reason) { (a.verdict) },
                                        None => td {},
                                    }
                                }
                                td {
                                    @if r.deleted() && ctx.can(Perm::Write) && r.former.is_none() {
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
        }
        (pager(kind, pairs, page))
    }
}

/// A filter of a list as a person reads it: "Từ ngày 01/01/2014", "Chủ đề: Pháp lệnh 34".
fn filter_text(kind: Kind, k: &str, v: &str) -> String {
    let day = |v: &str| {
        domain::dates::parse_date(v)
            .map(domain::dates::vn)
            .unwrap_or_else(|_| v.to_string())
    };
    match k {
        "from" => format!("từ ngày {}", day(v)),
        "to" => format!("đến ngày {}", day(v)),
        "resolved_from" => format!("giải quyết xong từ ngày {}", day(v)),
        "resolved_by" => format!("giải quyết xong đến ngày {}", day(v)),
        "open_at" => format!("chưa giải quyết xong ngày {}", day(v)),
        "active_on" => format!("đang hoạt động ngày {}", day(v)),
        "estimated" => "số liệu ước tính".to_string(),
        "passed" => "được thông qua (trên một nửa tổng số hộ tán thành)".to_string(),
        "party_cell" => format!("chi bộ: {v}"),
        "dialogue" => format!("buổi đối thoại số {v}"),
        "indicator" => match domain::report::indicator_by_code(v) {
            Some(i) => format!("chỉ tiêu: {}", i.name),
            None => format!("chỉ tiêu: {v}"),
        },
        name => match kind.column(name) {
            Some(col) => {
                let label = col
                    .ty
                    .options()
                    .and_then(|opts| opts.into_iter().find(|(c, _)| *c == v))
                    .map_or_else(|| v.to_string(), |(_, l)| l.to_string());
                format!("{}: {label}", col.label.to_lowercase())
            }
            None => format!("{name}: {v}"),
        },
    }
}

/// The list's address without one of its filters (and back to its first page).
fn without(kind: Kind, pairs: &[(String, String)], k: &str, v: &str) -> String {
    let rest: Vec<(String, String)> = pairs
        .iter()
        .filter(|(a, b)| !(a == k && b == v) && a != "page")
        .cloned()
        .collect();
    if rest.is_empty() {
        format!("/{}", kind.slug())
    } else {
        format!(
            "/{}?{}",
            kind.slug(),
            serde_urlencoded::to_string(&rest).unwrap_or_default()
        )
    }
}

/// The value of query parameter `k` ("" when absent).
pub fn param<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The address of page `n` of a list at `path` filtered by `pairs`.
pub fn page_link(path: &str, pairs: &[(String, String)], n: u32) -> String {
    let mut p: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "page").cloned().collect();
    p.push(("page".into(), n.to_string()));
    format!(
        "{path}?{}",
        serde_urlencoded::to_string(&p).unwrap_or_default()
    )
}

pub fn pager(kind: Kind, pairs: &[(String, String)], page: &Page<Row>) -> Markup {
    let pages = page.pages();
    let path = format!("/{}", kind.slug());
    let link = |n: u32| page_link(&path, pairs, n);
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

/// A record of a former ward in its successor's list says whose it is.
fn former_mark(r: &Row) -> Markup {
    html! {
        @if let Some(name) = &r.former {
            " " span.badge.former { "Phường cũ: " (name) }
        }
    }
}
