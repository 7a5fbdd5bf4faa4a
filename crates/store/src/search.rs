//! Search without diacritics: each record row keeps `search_text`, the folded text
//! (`domain::text::fold`: lower case, no tone or vowel marks, `đ` as `d`) of its kind's
//! searched columns, so that the list filter `q` finds `hòa giải` when typed `hoa giai`
//! with a single `LIKE`. Written with the row on insert and update; rows written
//! without it (an older database, the generator's bulk rows) are filled by
//! [`backfill`] when the store opens.

use crate::bind::numbered;
use domain::text::fold;
use domain::{Input, Kind};
use sqlx::{AnyConnection, Row};

use crate::error::Result;
use crate::tables::{def, TableDef};

/// Between the folded values of a row's columns, so that a search never matches across
/// two of them (a control character, refused in every text field).
const SEPARATOR: char = '\u{1f}';

/// The folded search text of a row from its values, one per searched column.
fn join<'a>(values: impl Iterator<Item = &'a str>) -> String {
    values
        .map(fold)
        .collect::<Vec<_>>()
        .join(&SEPARATOR.to_string())
}

/// The search text of a row about to be written from `input`.
pub(crate) fn of_input(d: &TableDef, input: &Input) -> String {
    join(d.search.iter().map(|col| {
        let field = d
            .cols
            .iter()
            .find(|(_, c, _)| c == col)
            .map(|(f, _, _)| *f)
            .unwrap_or(col);
        input.get(field)
    }))
}

/// The `LIKE` pattern of a search: the folded needle between `%`, wildcards escaped
/// (with `\`).
pub(crate) fn pattern(q: &str) -> String {
    format!(
        "%{}%",
        fold(q)
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// Whether some record row has no search text yet (a look-up in the partial indexes).
pub(crate) async fn any_missing(conn: &mut AnyConnection) -> Result<bool> {
    for kind in Kind::ALL {
        let missing: Option<i64> = sqlx::query_scalar(&numbered(format!(
            "SELECT 1 FROM {} WHERE search_text IS NULL LIMIT 1",
            def(*kind).table
        )))
        .fetch_optional(&mut *conn)
        .await?;
        if missing.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Fills `search_text` where it is NULL, in every record table.
pub(crate) async fn backfill(conn: &mut AnyConnection) -> Result<u64> {
    let mut filled = 0;
    for kind in Kind::ALL {
        let d = def(*kind);
        let cols = d
            .search
            .iter()
            .map(|c| format!("COALESCE(CAST({c} AS TEXT), '')"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&numbered(format!(
            "SELECT id, {cols} FROM {} WHERE search_text IS NULL",
            d.table
        )))
        .fetch_all(&mut *conn)
        .await?;
        let update = numbered(format!(
            "UPDATE {} SET search_text = ? WHERE id = ?",
            d.table
        ));
        for row in rows {
            let id: i64 = row.try_get(0)?;
            let values = (1..=d.search.len())
                .map(|i| row.try_get::<String, _>(i))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            sqlx::query(&update)
                .bind(join(values.iter().map(String::as_str)))
                .bind(id)
                .execute(&mut *conn)
                .await?;
            filled += 1;
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_each_searched_column_apart() {
        let d = def(Kind::Documents);
        let input = Input::new()
            .with("number", "12-NQ/ĐU")
            .with("title", "Pháp lệnh Hòa giải");
        let text = of_input(d, &input);
        assert_eq!(text, "12-nq/du\u{1f}phap lenh hoa giai");
        assert_eq!(pattern("Hòa GIẢI"), "%hoa giai%");
        assert_eq!(pattern("50%_x"), "%50\\%\\_x%");
    }
}
