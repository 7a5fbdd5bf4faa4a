//! The generic repository: create, get, list with filters and pagination, update,
//! soft delete and restore for every record kind, each change written together with
//! its audit entry in one transaction. Reads are in `read`, changes in `write`; this
//! module holds the list filter.

use chrono::NaiveDate;
use domain::{dates, Kind};

use crate::bind::Bind;
use crate::error::{Result, StoreError};
use crate::tables::{Col, TableDef};
use crate::WardId;

mod read;
mod write;

pub(crate) use write::insert_row;

/// A list filter. Field names are those of the kind's columns; a name the kind does
/// not store is refused, never interpolated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    /// Inclusive date range on the kind's date (an opinion's is its dialogue's).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub year: Option<i32>,
    /// field = value, e.g. ("kind", "review").
    pub eq: Vec<(String, String)>,
    /// field IN (values), e.g. ("topic", ["land_certificate", "site_clearance"]).
    pub any_of: Vec<(String, Vec<String>)>,
    pub group: Option<u32>,
    pub party_cell: Option<String>,
    /// Free text, matched with LIKE on the kind's text columns.
    pub q: Option<String>,
    /// Show deleted records instead of live ones.
    pub deleted: bool,
    /// Opinions of one dialogue.
    pub parent: Option<i64>,
    /// Opinions resolved on or before this day.
    pub resolved_by: Option<NaiveDate>,
    /// Opinions or hot spots not yet resolved at the end of this day.
    pub open_at: Option<NaiveDate>,
    /// Residential groups active on this day.
    pub active_on: Option<NaiveDate>,
    /// Records whose `source` says they are estimated ("ước tính").
    pub estimated: bool,
    /// 1-based page; `per_page` 0 means all rows.
    pub page: u32,
    pub per_page: u32,
}

fn where_clause(d: &TableDef, ward: WardId, f: &ListFilter) -> Result<(String, Vec<Bind>)> {
    let mut w = vec!["t.ward_id = ?".to_string()];
    let mut b = vec![Bind::Int(ward.0)];
    w.push(
        if f.deleted {
            "t.deleted_at IS NOT NULL"
        } else {
            "t.deleted_at IS NULL"
        }
        .into(),
    );
    let date = d.date_expr;
    if let Some(expr) = date {
        if let Some(from) = f.from {
            w.push(format!("{expr} >= ?"));
            b.push(Bind::Text(dates::iso(from)));
        }
        if let Some(to) = f.to {
            w.push(format!("{expr} <= ?"));
            b.push(Bind::Text(dates::iso(to)));
        }
        if let Some(y) = f.year {
            let (s, e) = (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y, 12, 31),
            );
            if let (Some(s), Some(e)) = (s, e) {
                w.push(format!("{expr} BETWEEN ? AND ?"));
                b.push(Bind::Text(dates::iso(s)));
                b.push(Bind::Text(dates::iso(e)));
            }
        }
    } else if f.from.is_some() || f.to.is_some() || f.year.is_some() {
        return Err(StoreError::field(
            "year",
            "Danh sách này không lọc theo ngày.",
        ));
    }
    let column = |field: &str| -> Result<&'static str> {
        match d.column(field) {
            Some((c, Col::Text | Col::Int)) => Ok(c),
            _ => Err(StoreError::field(field, "Không lọc được theo trường này.")),
        }
    };
    for (field, value) in &f.eq {
        w.push(format!("t.{} = ?", column(field)?));
        b.push(Bind::Text(value.clone()));
    }
    for (field, values) in &f.any_of {
        let c = column(field)?;
        if values.is_empty() {
            w.push("0".into());
            continue;
        }
        w.push(format!("t.{c} IN ({})", vec!["?"; values.len()].join(", ")));
        b.extend(values.iter().cloned().map(Bind::Text));
    }
    if let Some(g) = f.group {
        match d.column("residential_group") {
            Some((c, Col::GroupRef)) => {
                w.push(format!(
                    "t.{c} IN (SELECT id FROM residential_groups WHERE ward_id = ? AND number = ?)"
                ));
                b.push(Bind::Int(ward.0));
                b.push(Bind::Int(g as i64));
            }
            _ if d.kind == Kind::ResidentialGroups => {
                w.push("t.number = ?".into());
                b.push(Bind::Int(g as i64));
            }
            _ if d.kind == Kind::PartyCells => {
                w.push("t.id IN (SELECT l.party_cell_id FROM party_cell_groups l JOIN residential_groups g ON g.id = l.residential_group_id WHERE g.number = ? AND g.ward_id = ?)".into());
                b.push(Bind::Int(g as i64));
                b.push(Bind::Int(ward.0));
            }
            _ => {
                return Err(StoreError::field(
                    "group",
                    "Danh sách này không lọc theo tổ dân phố.",
                ))
            }
        }
    }
    if let Some(cell) = &f.party_cell {
        match d.column("party_cell") {
            Some((c, Col::CellRef)) => {
                w.push(format!(
                    "t.{c} IN (SELECT id FROM party_cells WHERE ward_id = ? AND name = ?)"
                ));
                b.push(Bind::Int(ward.0));
                b.push(Bind::Text(cell.clone()));
            }
            _ => {
                return Err(StoreError::field(
                    "party_cell",
                    "Danh sách này không lọc theo chi bộ.",
                ))
            }
        }
    }
    if let Some(q) = f.q.as_ref().map(|q| q.trim()).filter(|q| !q.is_empty()) {
        let like = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let ors: Vec<String> = d
            .search
            .iter()
            .map(|c| format!("t.{c} LIKE ? ESCAPE '\\'"))
            .collect();
        w.push(format!("({})", ors.join(" OR ")));
        b.extend(d.search.iter().map(|_| Bind::Text(like.clone())));
    }
    if let Some(p) = f.parent {
        if d.kind != Kind::Opinions {
            return Err(StoreError::field(
                "dialogue",
                "Chỉ ý kiến mới lọc theo buổi đối thoại.",
            ));
        }
        w.push("t.dialogue_id = ?".into());
        b.push(Bind::Int(p));
    }
    if d.kind == Kind::Opinions {
        // An opinion counts only while its dialogue is live, as in the report.
        w.push("t.dialogue_id IN (SELECT id FROM dialogues WHERE deleted_at IS NULL)".into());
    }
    if let Some(day) = f.resolved_by {
        d.column("resolved_on").ok_or_else(|| {
            StoreError::field("resolved_by", "Không lọc được theo ngày giải quyết.")
        })?;
        w.push("t.status = 'resolved' AND t.resolved_on <= ?".into());
        b.push(Bind::Text(dates::iso(day)));
    }
    if let Some(day) = f.open_at {
        d.column("resolved_on")
            .ok_or_else(|| StoreError::field("open_at", "Không lọc được theo tình trạng."))?;
        w.push("(t.resolved_on IS NULL OR t.resolved_on > ?)".into());
        b.push(Bind::Text(dates::iso(day)));
    }
    if let Some(day) = f.active_on {
        if d.kind != Kind::ResidentialGroups {
            return Err(StoreError::field(
                "active_on",
                "Chỉ tổ dân phố mới lọc theo ngày hoạt động.",
            ));
        }
        w.push("(t.established IS NULL OR t.established <= ?) AND (t.dissolved IS NULL OR t.dissolved > ?)".into());
        b.push(Bind::Text(dates::iso(day)));
        b.push(Bind::Text(dates::iso(day)));
    }
    if f.estimated {
        if d.column("source").is_none() {
            return Err(StoreError::field(
                "estimated",
                "Danh sách này không có nguồn số liệu.",
            ));
        }
        w.push("t.source LIKE '%ước tính%'".into());
    }
    Ok((w.join(" AND "), b))
}
