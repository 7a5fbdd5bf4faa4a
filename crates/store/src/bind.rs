//! Values bound to the parameters of SQL built at run time (filters, generic inserts
//! and updates), kept apart from the statement text so that no value is ever
//! interpolated; and the numbering of that SQL's parameters.
//!
//! Both engines take `$1, $2, …` (PostgreSQL only those). Fixed statements are written
//! so; SQL assembled from pieces (a filter's conditions, a generic insert) writes `?`
//! in each piece and is numbered once it is whole, by [`numbered`].

use sqlx::any::AnyArguments;
use sqlx::Any;

#[derive(Debug, Clone)]
pub(crate) enum Bind {
    Text(String),
    Int(i64),
    /// A NULL for a text column, and for an integer one: PostgreSQL types every
    /// parameter, and refuses a text NULL for an integer column.
    NullText,
    NullInt,
}

/// `sql` with each `?` outside quotes replaced by `$n`, numbered as SQLite numbers
/// them: `?NNN` is parameter NNN, a bare `?` the one after the largest so far.
pub(crate) fn numbered(sql: impl AsRef<str>) -> String {
    let sql = sql.as_ref();
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    let (mut quoted, mut largest) = (false, 0u32);
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let n = digits.parse().unwrap_or(largest + 1);
                largest = largest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// The marks of a statement of many plain `?` (a multi-row insert) as the connection's
/// engine takes them best: numbered ([`numbered`]) for PostgreSQL; left plain on SQLite,
/// which binds them in order. sqlx asks SQLite the name of every parameter it binds, and
/// SQLite finds a numbered parameter's name by a linear scan of the statement's names:
/// a numbered statement of thousands of parameters costs their square (half of an
/// import's time), plain marks have no names.
pub(crate) fn many_marks(conn: &sqlx::AnyConnection, sql: String) -> String {
    if conn.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
        sql
    } else {
        numbered(sql)
    }
}

/// Binds every value to the query, in order.
pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Any, AnyArguments<'q>>,
    binds: impl IntoIterator<Item = &'q Bind>,
) -> sqlx::query::Query<'q, Any, AnyArguments<'q>> {
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind(s.as_str()),
            Bind::Int(i) => q.bind(*i),
            Bind::NullText => q.bind(None::<String>),
            Bind::NullInt => q.bind(None::<i64>),
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
) -> crate::error::Result<sqlx::any::AnyRow>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(&numbered(sql))
        .bind(ward.0)
        .bind(id)
        .fetch_optional(executor)
        .await?
        .ok_or(crate::error::StoreError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn marks_are_numbered_as_sqlite_numbers_them() {
        assert_eq!(
            numbered("a = ? AND b IN (?, ?) AND c = '?'"),
            "a = $1 AND b IN ($2, $3) AND c = '?'"
        );
        assert_eq!(
            numbered("x = ?1 OR y = ?1 AND z = ?"),
            "x = $1 OR y = $1 AND z = $2"
        );
        assert_eq!(numbered("no marks"), "no marks");
    }
}
