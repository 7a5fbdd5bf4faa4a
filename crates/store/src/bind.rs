//! Values bound to the `?` marks of SQL built at run time (filters, generic inserts
//! and updates), kept apart from the statement text so that no value is ever
//! interpolated.

use sqlx::sqlite::SqliteArguments;
use sqlx::Sqlite;

#[derive(Debug, Clone)]
pub(crate) enum Bind {
    Text(String),
    Int(i64),
    Null,
}

/// Binds every value to the query, in order.
pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>> {
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind(s.as_str()),
            Bind::Int(i) => q.bind(*i),
            Bind::Null => q.bind(None::<String>),
        };
    }
    q
}

/// The one row of `sql` (which ends `WHERE … ward_id = ? AND … id = ?`) for a ward
/// and an id; `NotFound` when there is none.
pub(crate) async fn row_by_id<'e, E>(
    executor: E,
    sql: &str,
    ward: crate::WardId,
    id: i64,
) -> crate::error::Result<sqlx::sqlite::SqliteRow>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    sqlx::query(sql)
        .bind(ward.0)
        .bind(id)
        .fetch_optional(executor)
        .await?
        .ok_or(crate::error::StoreError::NotFound)
}
