//! What the store hands back around a domain value: its id, its meta columns, and pages
//! of them for lists.

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::Result;

/// Who created and last changed a record, and whether it is deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
    pub deleted_at: Option<String>,
    pub deleted_by: Option<String>,
    pub import_id: Option<i64>,
}

/// The meta columns in the order [`Meta::read`] expects them, for a table aliased `t`.
pub(crate) const META_COLS: &str = "t.created_at, t.created_by, t.updated_at, t.updated_by, t.deleted_at, t.deleted_by, t.import_id";

impl Meta {
    /// Reads the seven meta columns (as [`META_COLS`]) starting at column `at`.
    pub(crate) fn read(row: &AnyRow, at: usize) -> Result<Meta> {
        Ok(Meta {
            created_at: row.try_get(at)?,
            created_by: row.try_get(at + 1)?,
            updated_at: row.try_get(at + 2)?,
            updated_by: row.try_get(at + 3)?,
            deleted_at: row.try_get(at + 4)?,
            deleted_by: row.try_get(at + 5)?,
            import_id: row.try_get(at + 6)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stored<T> {
    pub id: i64,
    /// The dialogue an opinion belongs to; `None` for other kinds.
    pub parent_id: Option<i64>,
    /// The ward the record belongs to (a former ward's, in a successor's lists).
    pub ward: crate::WardId,
    pub record: T,
    pub meta: Meta,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many rows the filter matched, over all pages.
    pub total: u64,
    /// The sum of the kind's measure (attendances, lượt, participants) over the match.
    pub sum: Option<i64>,
    pub page: u32,
    pub per_page: u32,
}

/// How many of a register's entries are active on a day, and the sums of its measures
/// over them (a group's households and residents, a cell's party members).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveTotals {
    pub day: chrono::NaiveDate,
    pub count: u64,
    /// (input field, sum), in the kind's column order.
    pub sums: Vec<(&'static str, i64)>,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        if self.per_page == 0 {
            1
        } else {
            (self.total.div_ceil(self.per_page as u64)).max(1) as u32
        }
    }
}
