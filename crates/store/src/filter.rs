//! A [`RecordFilter`] as SQL: a small [`Where`] builder collects conditions and their
//! binds, and one function per family of conditions (dates, columns, references,
//! search, states) adds to it. Names come from the kind's table definition; a field the
//! kind does not store is refused with a field error, never interpolated.

use chrono::NaiveDate;
use domain::{dates, RecordFilter};

use crate::bind::Bind;
use crate::error::{Result, StoreError};
use crate::tables::{Col, TableDef};
use crate::WardId;

/// Conditions joined with `AND`, with their binds in order.
#[derive(Debug, Default)]
pub(crate) struct Where {
    parts: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    /// A condition and the values of its `?` placeholders.
    /// A NUL in a value (from a query string: stored text never holds one, and
    /// PostgreSQL refuses it in a parameter) is sent as U+FFFD instead.
    fn and(&mut self, sql: impl Into<String>, binds: impl IntoIterator<Item = Bind>) {
        self.parts.push(sql.into());
        self.binds.extend(binds.into_iter().map(|b| match b {
            Bind::Text(t) if t.contains('\0') => Bind::Text(t.replace('\0', "\u{FFFD}")),
            other => other,
        }));
    }

    /// A condition on one day.
    fn day(&mut self, sql: impl Into<String>, day: NaiveDate) {
        self.and(sql, [Bind::Text(dates::iso(day))]);
    }

    /// The SQL after `WHERE` and its binds.
    pub(crate) fn finish(self) -> (String, Vec<Bind>) {
        (self.parts.join(" AND "), self.binds)
    }
}

/// The `WHERE` clause of a list of `d`'s records in table alias `t`.
pub(crate) fn where_clause(
    d: &TableDef,
    ward: WardId,
    f: &RecordFilter,
) -> Result<(String, Vec<Bind>)> {
    where_clause_in(d, &[(ward, None)], f)
}

/// [`where_clause`] over the records of several wards: the first without a limit, each
/// other up to its last day (a ward's former wards; only dated kinds list them).
pub(crate) fn where_clause_in(
    d: &TableDef,
    scope: &[(WardId, Option<NaiveDate>)],
    f: &RecordFilter,
) -> Result<(String, Vec<Bind>)> {
    let Some((ward, _)) = scope.first().copied() else {
        return Err(StoreError::Invariant("a list without a ward".into()));
    };
    let mut w = Where::default();
    match d.date_expr() {
        Some(expr) if scope.len() > 1 => {
            let mut parts = Vec::new();
            let mut binds = Vec::new();
            for (id, last) in scope {
                binds.push(Bind::Int(id.0));
                match last {
                    Some(last) => {
                        parts.push(format!("(t.ward_id = ? AND {expr} <= ?)"));
                        binds.push(Bind::Text(dates::iso(*last)));
                    }
                    None => parts.push("t.ward_id = ?".to_string()),
                }
            }
            w.and(format!("({})", parts.join(" OR ")), binds);
        }
        _ => w.and("t.ward_id = ?", [Bind::Int(ward.0)]),
    }
    w.and(
        if f.deleted {
            "t.deleted_at IS NOT NULL"
        } else {
            "t.deleted_at IS NULL"
        },
        [],
    );
    date_range(&mut w, d, f)?;
    columns(&mut w, d, f)?;
    group(&mut w, d, ward, f)?;
    party_cell(&mut w, d, ward, f)?;
    search(&mut w, d, f);
    opinions(&mut w, d, f)?;
    states(&mut w, d, f)?;
    Ok(w.finish())
}

/// `from`, `to` and `year` on the kind's date.
fn date_range(w: &mut Where, d: &TableDef, f: &RecordFilter) -> Result<()> {
    let Some(expr) = d.date_expr() else {
        if f.from.is_some() || f.to.is_some() || f.year.is_some() {
            return Err(StoreError::field(
                "year",
                "Danh sách này không lọc theo ngày.",
            ));
        }
        return Ok(());
    };
    if let Some(from) = f.from {
        w.day(format!("{expr} >= ?"), from);
    }
    if let Some(to) = f.to {
        w.day(format!("{expr} <= ?"), to);
    }
    if let Some(y) = f.year {
        let (s, e) = (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        );
        if let (Some(s), Some(e)) = (s, e) {
            w.and(
                format!("{expr} BETWEEN ? AND ?"),
                [Bind::Text(dates::iso(s)), Bind::Text(dates::iso(e))],
            );
        }
    }
    Ok(())
}

/// `eq` and `any_of` on the kind's code and text columns.
fn columns(w: &mut Where, d: &TableDef, f: &RecordFilter) -> Result<()> {
    let column = |field: &str| -> Result<&'static str> {
        match d.column(field) {
            Some((c, Col::Text | Col::Int)) => Ok(c),
            _ => Err(StoreError::field(field, "Không lọc được theo trường này.")),
        }
    };
    for (field, value) in &f.eq {
        w.and(
            format!("t.{} = ?", column(field)?),
            [Bind::Text(value.clone())],
        );
    }
    for (field, values) in &f.any_of {
        let c = column(field)?;
        if values.is_empty() {
            w.and("0", []);
            continue;
        }
        w.and(
            format!("t.{c} IN ({})", vec!["?"; values.len()].join(", ")),
            values.iter().cloned().map(Bind::Text),
        );
    }
    Ok(())
}

/// Records of one residential group (by its number).
fn group(w: &mut Where, d: &TableDef, ward: WardId, f: &RecordFilter) -> Result<()> {
    let Some(g) = f.group else { return Ok(()) };
    match d.column("residential_group") {
        Some((c, Col::GroupRef)) => w.and(
            format!(
                "t.{c} IN (SELECT id FROM residential_groups WHERE ward_id = ? AND number = ?)"
            ),
            [Bind::Int(ward.0), Bind::Int(g as i64)],
        ),
        _ if d.is_group_register() => {
            w.and("t.number = ?", [Bind::Int(g as i64)]);
        }
        _ if d.links_groups() => {
            w.and("t.id IN (SELECT l.party_cell_id FROM party_cell_groups l JOIN residential_groups g ON g.id = l.residential_group_id WHERE g.number = ? AND g.ward_id = ?)", [Bind::Int(g as i64), Bind::Int(ward.0)]);
        }
        _ => {
            return Err(StoreError::field(
                "group",
                "Danh sách này không lọc theo tổ dân phố.",
            ))
        }
    }
    Ok(())
}

/// Records of one party cell (by its name).
fn party_cell(w: &mut Where, d: &TableDef, ward: WardId, f: &RecordFilter) -> Result<()> {
    let Some(cell) = &f.party_cell else {
        return Ok(());
    };
    match d.column("party_cell") {
        Some((c, Col::CellRef)) => w.and(
            format!("t.{c} IN (SELECT id FROM party_cells WHERE ward_id = ? AND name = ?)"),
            [Bind::Int(ward.0), Bind::Text(cell.clone())],
        ),
        _ => {
            return Err(StoreError::field(
                "party_cell",
                "Danh sách này không lọc theo chi bộ.",
            ))
        }
    }
    Ok(())
}

/// Free text without diacritics: the folded needle matched with LIKE (wildcards
/// escaped) on the row's folded `search_text` (see `crate::search`).
fn search(w: &mut Where, d: &TableDef, f: &RecordFilter) {
    let Some(q) = f.q.as_ref().map(|q| q.trim()).filter(|q| !q.is_empty()) else {
        return;
    };
    if d.search.is_empty() {
        w.and("0", []);
        return;
    }
    w.and(
        "t.search_text LIKE ? ESCAPE '\\'",
        [Bind::Text(crate::search::pattern(q))],
    );
}

/// Opinions of one dialogue, and only while their dialogue is live.
fn opinions(w: &mut Where, d: &TableDef, f: &RecordFilter) -> Result<()> {
    if let Some(p) = f.parent {
        if !d.kind.has_parent() {
            return Err(StoreError::field(
                "dialogue",
                "Chỉ ý kiến mới lọc theo buổi đối thoại.",
            ));
        }
        w.and("t.dialogue_id = ?", [Bind::Int(p)]);
    }
    if d.kind.has_parent() {
        // An opinion counts only while its dialogue is live, as in the report.
        w.and(
            "t.dialogue_id IN (SELECT id FROM dialogues WHERE deleted_at IS NULL)",
            [],
        );
    }
    Ok(())
}

/// States on a day (resolved by, open at, active on) and estimated sources.
fn states(w: &mut Where, d: &TableDef, f: &RecordFilter) -> Result<()> {
    if let Some(day) = f.resolved_by {
        d.column("resolved_on").ok_or_else(|| {
            StoreError::field("resolved_by", "Không lọc được theo ngày giải quyết.")
        })?;
        w.day("t.status = 'resolved' AND t.resolved_on <= ?", day);
    }
    if let Some(day) = f.resolved_from {
        d.column("resolved_on").ok_or_else(|| {
            StoreError::field("resolved_from", "Không lọc được theo ngày giải quyết.")
        })?;
        w.day("t.status = 'resolved' AND t.resolved_on >= ?", day);
    }
    if let Some(day) = f.open_at {
        d.column("resolved_on")
            .ok_or_else(|| StoreError::field("open_at", "Không lọc được theo tình trạng."))?;
        w.day("(t.resolved_on IS NULL OR t.resolved_on > ?)", day);
    }
    if let Some(day) = f.active_on {
        let Some(active) = d.active_on_sql() else {
            return Err(StoreError::field(
                "active_on",
                "Chỉ tổ dân phố và chi bộ mới lọc theo ngày hoạt động.",
            ));
        };
        w.and(
            active,
            [Bind::Text(dates::iso(day)), Bind::Text(dates::iso(day))],
        );
    }
    if f.passed {
        if d.column("in_favour").is_none() || d.column("households").is_none() {
            return Err(StoreError::field(
                "passed",
                "Chỉ nội dung Nhân dân quyết định mới lọc theo kết quả.",
            ));
        }
        // The law's majority rule, as the report counts it.
        w.and(crate::report::law::passed("t"), []);
    }
    if f.estimated {
        if d.column("source").is_none() {
            return Err(StoreError::field(
                "estimated",
                "Danh sách này không có nguồn số liệu.",
            ));
        }
        w.and("t.source LIKE '%ước tính%'", []);
    }
    Ok(())
}
