//! The audit log as a table (the history page and the dashboard's latest changes):
//! entity and action labels, and each entry's changes side by side.

use domain::{Input, Kind};
use maud::{html, Markup};
use store::audit::AuditEntry;

use crate::views::forms;
use crate::views::layout;

pub fn entity_label(entity: &str) -> String {
    match Kind::parse(entity) {
        Some(k) => k.label().to_string(),
        None => match entity {
            "user" => "Tài khoản".into(),
            "ward" => "Thông tin phường".into(),
            "ward_names" => "Tên gọi theo thời gian".into(),
            "ward_terms" => "Nhiệm kỳ".into(),
            "review_periods" => "Giai đoạn".into(),
            "import" => "Nhập dữ liệu".into(),
            "submissions" => "Kỳ đã nộp báo cáo".into(),
            other => other.into(),
        },
    }
}

pub fn action_label(action: &str) -> &str {
    match action {
        "create" => "Thêm",
        "update" => "Sửa",
        "delete" => "Xóa",
        "restore" => "Khôi phục",
        "import" => "Nhập",
        "undo_import" => "Hoàn tác lần nhập",
        "login" => "Đăng nhập",
        "password" => "Đặt lại mật khẩu",
        "disable" => "Khóa",
        "enable" => "Mở khóa",
        "role" => "Đổi vai trò",
        "set" => "Cập nhật",
        "transfer" => "Chuyển từ cơ sở dữ liệu khác",
        "submit" => "Nộp báo cáo",
        "reopen" => "Mở lại kỳ đã nộp",
        other => other,
    }
}

fn field_label(entity: &str, field: &str) -> String {
    Kind::parse(entity)
        .and_then(|k| k.column(field))
        .map(|c| c.label.to_string())
        .unwrap_or_else(|| field.to_string())
}

fn shown(entity: &str, field: &str, v: &str) -> String {
    match Kind::parse(entity).and_then(|k| k.column(field)) {
        Some(c) => forms::display(c, v),
        None if field == "role" => layout::role_label(v).to_string(),
        None => v.to_string(),
    }
}

/// Before and after side by side; for an update only the fields that changed.
fn changes(e: &AuditEntry) -> Markup {
    let empty = Input::new();
    let before = e.before.as_ref().unwrap_or(&empty);
    let after = e.after.as_ref().unwrap_or(&empty);
    let mut fields: Vec<&String> = before.0.keys().chain(after.0.keys()).collect();
    fields.sort();
    fields.dedup();
    let both = e.before.is_some() && e.after.is_some();
    let rows: Vec<&String> = fields
        .into_iter()
        .filter(|f| !both || before.get(f) != after.get(f))
        .filter(|f| !before.get(f).is_empty() || !after.get(f).is_empty())
        .collect();
    html! {
        @if let Some(n) = &e.note { p { (n) } }
        @if !rows.is_empty() {
            table.cmp {
                thead { tr { th { "Trường" } @if e.before.is_some() { th { "Trước" } } @if e.after.is_some() { th { "Sau" } } } }
                tbody {
                    @for f in rows {
                        tr.changed[both] {
                            th scope="row" { (field_label(&e.entity, f)) }
                            @if e.before.is_some() { td { (shown(&e.entity, f, before.get(f))) } }
                            @if e.after.is_some() { td { (shown(&e.entity, f, after.get(f))) } }
                        }
                    }
                }
            }
        }
    }
}

/// The audit entries as a table; `with_entity` adds the record columns.
pub fn audit_table(entries: &[AuditEntry], with_entity: bool) -> Markup {
    html! {
        @if entries.is_empty() { p { "Chưa có thay đổi nào." } } @else {
            table.audit {
                thead { tr {
                    th { "Thời điểm" } th { "Người thực hiện" } th { "Thao tác" }
                    @if with_entity { th { "Loại" } th { "Bản ghi" } }
                    th { "Thay đổi" }
                } }
                tbody {
                    @for e in entries {
                        tr {
                            td { (layout::timestamp(&e.at)) }
                            td { (e.actor) }
                            td { (action_label(&e.action)) }
                            @if with_entity {
                                td { (entity_label(&e.entity)) }
                                td {
                                    @if let Some(id) = e.entity_id {
                                        @if let Some(k) = Kind::parse(&e.entity) {
                                            a href={"/" (k.slug()) "/" (id)} { "#" (id) }
                                        } @else { "#" (id) }
                                    }
                                }
                            }
                            td { (changes(e)) }
                        }
                    }
                }
            }
        }
    }
}
