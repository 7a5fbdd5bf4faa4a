//! Reading records: one by id, a filtered page, the export stream, and the lists
//! behind the forms' selects.

use chrono::NaiveDate;
use domain::{Dating, Input, Kind, Record, RecordFilter};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::bind::{bind_all, numbered, Bind};
use crate::error::{Result, StoreError};
use crate::filter::where_clause;
use crate::stored::{ActiveTotals, Meta, Page, Stored, META_COLS};
use crate::tables::{def, Col, TableDef};
use crate::{Store, WardId};

/// Reads the fields of `d.cols` starting at column `at` into an Input.
pub(crate) fn read_input(d: &TableDef, row: &AnyRow, at: usize) -> Result<Input> {
    let mut input = Input::new();
    for (i, (field, _, _)) in d.cols.iter().enumerate() {
        let v: Option<String> = row.try_get(at + i)?;
        input.set(field, v.unwrap_or_default());
    }
    Ok(input)
}

fn decode<T: Record>(input: &Input) -> Result<T> {
    T::parse(input).map_err(|e| {
        StoreError::Invariant(format!("stored {} fails validation: {e}", T::KIND.code()))
    })
}

impl Store {
    /// A record by id, deleted or not (check `meta.deleted_at`).
    pub async fn get<T: Record>(&self, ward: WardId, id: i64) -> Result<Stored<T>> {
        let d = def(T::KIND);
        let parent = d.parent_id_expr();
        let sql = format!(
            "SELECT t.id, {parent}, {}, {META_COLS}, t.ward_id FROM {} t WHERE t.ward_id = ? AND t.id = ?",
            d.select_list(),
            d.table
        );
        let row = crate::bind::row_by_id(&self.read, &sql, ward, id).await?;
        stored_from_row(d, &row)
    }

    pub async fn list<T: Record>(
        &self,
        ward: WardId,
        filter: &RecordFilter,
    ) -> Result<Page<Stored<T>>> {
        self.list_in(&[(ward, None)], filter).await
    }

    /// The records of `scope`'s wards that `filter` matches: the first ward's, and each
    /// other's up to its last day (a ward's former wards, `app::report::list_scope`);
    /// each item says its ward.
    pub async fn list_in<T: Record>(
        &self,
        scope: &[(WardId, Option<NaiveDate>)],
        filter: &RecordFilter,
    ) -> Result<Page<Stored<T>>> {
        let d = def(T::KIND);
        let (where_sql, binds) = crate::filter::where_clause_in(d, scope, filter)?;
        // The page, with the count and the sum over every row the filter matches as
        // uncorrelated subqueries of the same statement: each engine computes them once
        // (SQLite's `Once`, PostgreSQL's InitPlan) from the covering index, in the
        // page's snapshot, and a list costs one round trip instead of two. (A window,
        // `COUNT(*) OVER ()`, was measured slower: it makes SQLite build every matching
        // row, its reference subqueries included, before the LIMIT.) A page past the
        // end has no row to carry them: then the count alone.
        let sum = match d.sum_col {
            Some(c) => format!("CAST(SUM(t.{c}) AS BIGINT)"),
            None => "NULL".to_string(),
        };
        let page = filter.page.max(1);
        // per_page 0: every row (no LIMIT clause; the engines spell "no limit" apart)
        let limit = match filter.per_page {
            0 => String::new(),
            n => format!(" LIMIT {n} OFFSET {}", (page as i64 - 1) * i64::from(n)),
        };
        let parent = d.parent_id_expr();
        let table = d.table;
        let sum_sub = match d.sum_col {
            Some(_) => format!("(SELECT {sum} FROM {table} t WHERE {where_sql})"),
            None => "NULL".to_string(),
        };
        let sql = format!(
            "SELECT t.id, {parent}, {}, {META_COLS}, t.ward_id, (SELECT COUNT(*) FROM {table} t WHERE {where_sql}), {sum_sub} \
             FROM {table} t WHERE {where_sql} ORDER BY {}{limit}",
            d.select_list(),
            d.order
        );
        let copies = if d.sum_col.is_some() { 3 } else { 2 };
        let all_binds: Vec<Bind> = (0..copies).flat_map(|_| binds.iter().cloned()).collect();
        let rows = bind_all(sqlx::query(&numbered(sql)), &all_binds)
            .fetch_all(&self.read)
            .await?;
        let at = 2 + d.cols.len() + 8;
        let (total, sum): (i64, Option<i64>) = match rows.first() {
            Some(r) => (r.try_get(at)?, r.try_get(at + 1)?),
            None => {
                let count_sql = format!("SELECT COUNT(*), {sum} FROM {table} t WHERE {where_sql}");
                bind_all(sqlx::query(&numbered(count_sql)), &binds)
                    .try_map(|r: AnyRow| Ok((r.try_get(0)?, r.try_get(1)?)))
                    .fetch_one(&self.read)
                    .await?
            }
        };
        let items = rows
            .iter()
            .map(|r| stored_from_row(d, r))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            items,
            total: total as u64,
            sum: d.sum_col.map(|_| sum.unwrap_or(0)),
            page,
            per_page: filter.per_page,
        })
    }

    /// Of a register's entries that `filter` matches, those active on `day`: how many,
    /// and the sums of its whole-number columns but its key (households and residents,
    /// party members); `None` for kinds whose entries do not start and end.
    pub async fn active_totals(
        &self,
        ward: WardId,
        kind: Kind,
        filter: &RecordFilter,
        day: NaiveDate,
    ) -> Result<Option<ActiveTotals>> {
        let d = def(kind);
        let Some(active) = d.active_on_sql() else {
            return Ok(None);
        };
        let key = kind.key().map(|k| k.column);
        let measures: Vec<(&'static str, &'static str)> = d
            .cols
            .iter()
            .filter(|(field, _, ty)| *ty == Col::Int && Some(*field) != key)
            .map(|(field, col, _)| (*field, *col))
            .collect();
        // The count, then each measure, over the active rows only.
        let exprs: Vec<String> = std::iter::once("1".to_string())
            .chain(measures.iter().map(|(_, col)| format!("t.{col}")))
            .collect();
        let sums = exprs
            .iter()
            .map(|e| format!("CAST(SUM(CASE WHEN {active} THEN {e} ELSE 0 END) AS BIGINT)"))
            .collect::<Vec<_>>()
            .join(", ");
        let (where_sql, where_binds) = where_clause(d, ward, filter)?;
        let mut binds = Vec::new();
        for _ in &exprs {
            binds.push(Bind::Text(domain::dates::iso(day)));
            binds.push(Bind::Text(domain::dates::iso(day)));
        }
        binds.extend(where_binds);
        let sql = format!("SELECT {sums} FROM {} t WHERE {where_sql}", d.table);
        let row = bind_all(sqlx::query(&numbered(sql)), &binds)
            .fetch_one(&self.read)
            .await?;
        let value =
            |i: usize| -> Result<i64> { Ok(row.try_get::<Option<i64>, _>(i)?.unwrap_or(0)) };
        let mut sums = Vec::with_capacity(measures.len());
        for (i, (field, _)) in measures.iter().enumerate() {
            sums.push((*field, value(i + 1)?));
        }
        Ok(Some(ActiveTotals {
            day,
            count: value(0)?.max(0) as u64,
            sums,
        }))
    }

    /// Every live row of a kind in the import format, streamed through a bounded
    /// channel so that memory stays flat whatever the size. Opinions carry their
    /// dialogue's `ref` (or `id-N` when it has none, as dialogues are exported).
    pub fn export(&self, ward: WardId, kind: Kind) -> tokio::sync::mpsc::Receiver<Result<Input>> {
        let (tx, rx) = tokio::sync::mpsc::channel(512);
        let pool = self.read.clone();
        tokio::spawn(async move {
            if let Err(e) = export_batches(&pool, ward, kind, &tx).await {
                let _ = tx.send(Err(e)).await;
            }
        });
        rx
    }

    /// Years in which a kind has live records, newest first (for year filters).
    pub async fn years(&self, ward: WardId, kind: Kind) -> Result<Vec<i32>> {
        let d = def(kind);
        let Some(expr) = d.date_expr() else {
            return Ok(Vec::new());
        };
        // A kind with its own date column: the first and last dates, then one probe per
        // year between them — index seeks on the report index, where a DISTINCT would
        // read every live row of the ward on every list page.
        if let Dating::Column(field) = kind.dating() {
            if let Some((col, _)) = d.column(field) {
                if let Some(years) = self.years_by_probe(ward, d.table, col).await? {
                    return Ok(years);
                }
            }
        }
        let sql = format!(
            "SELECT DISTINCT CAST(substr({expr}, 1, 4) AS INTEGER) AS y FROM {} t WHERE t.ward_id = ? AND t.deleted_at IS NULL ORDER BY y DESC",
            d.table
        );
        let ys: Vec<Option<i64>> = sqlx::query_scalar(&numbered(sql))
            .bind(ward.0)
            .fetch_all(&self.read)
            .await?;
        Ok(ys.into_iter().flatten().map(|y| y as i32).collect())
    }

    /// [`Store::years`] by probing each year between the first and last date; None when
    /// they are centuries apart (a mistyped year), where one scan is cheaper.
    async fn years_by_probe(
        &self,
        ward: WardId,
        table: &str,
        col: &str,
    ) -> Result<Option<Vec<i32>>> {
        // A skip scan in one statement: the last date, then the last date before 1
        // January of that one's year, and so on — one index seek per year with records
        // (each `MAX` with the ward fixed is answered from the end of an index range),
        // where a DISTINCT would read every live row of the ward on every list page.
        let live = "t.ward_id = $1 AND t.deleted_at IS NULL";
        let sql = format!(
            "WITH RECURSIVE y(d) AS (\
               SELECT (SELECT MAX(t.{col}) FROM {table} t WHERE {live}) \
               UNION ALL \
               SELECT (SELECT MAX(t.{col}) FROM {table} t WHERE {live} AND t.{col} < substr(y.d, 1, 4) || '-01-01') \
               FROM y WHERE y.d IS NOT NULL) \
             SELECT substr(y.d, 1, 4) FROM y WHERE y.d IS NOT NULL"
        );
        let ys: Vec<String> = sqlx::query_scalar(&sql)
            .bind(ward.0)
            .fetch_all(&self.read)
            .await?;
        let mut years = Vec::with_capacity(ys.len());
        for y in ys {
            match y.parse::<i32>() {
                Ok(y) => years.push(y),
                // a date that does not start with its year: the slow, general way
                Err(_) => return Ok(None),
            }
        }
        Ok(Some(years))
    }

    /// The live residential groups' numbers and names, in number order (for selects).
    pub async fn group_numbers(&self, ward: WardId) -> Result<Vec<(u32, String)>> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT number, name FROM residential_groups WHERE ward_id = $1 AND deleted_at IS NULL ORDER BY number")
                .bind(ward.0)
                .fetch_all(&self.read)
                .await?;
        Ok(rows.into_iter().map(|(n, s)| (n as u32, s)).collect())
    }

    /// The live residential groups that were dissolved, with the day (for pick-lists
    /// that must say so).
    pub async fn group_dissolutions(&self, ward: WardId) -> Result<Vec<(u32, NaiveDate)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT number, dissolved FROM residential_groups WHERE ward_id = $1 AND deleted_at IS NULL AND dissolved IS NOT NULL",
        )
        .bind(ward.0)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(n, d)| {
                domain::dates::parse_date(&d)
                    .map(|d| (n as u32, d))
                    .map_err(|_| StoreError::bad_stored_date(&d))
            })
            .collect()
    }

    /// The live party cells that stopped or will stop, with their last active day (for
    /// pick-lists that must say so).
    pub async fn cell_endings(&self, ward: WardId) -> Result<Vec<(String, NaiveDate)>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, active_until FROM party_cells WHERE ward_id = $1 AND deleted_at IS NULL AND active_until IS NOT NULL",
        )
        .bind(ward.0)
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(n, d)| {
                domain::dates::parse_date(&d)
                    .map(|d| (n, d))
                    .map_err(|_| StoreError::bad_stored_date(&d))
            })
            .collect()
    }

    /// The live party cells' names in Vietnamese alphabetical order, numbers in their
    /// natural order ("Chi bộ khu dân cư số 2" before "số 10"), for selects.
    pub async fn party_cell_names(&self, ward: WardId) -> Result<Vec<String>> {
        let mut names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM party_cells WHERE ward_id = $1 AND deleted_at IS NULL",
        )
        .bind(ward.0)
        .fetch_all(&self.read)
        .await?;
        names.sort_by(|a, b| domain::text::vn_cmp(a, b));
        Ok(names)
    }
}

/// Rows read in keyset batches inside one read transaction: one consistent snapshot,
/// and never more than a batch in memory (a single streaming query lets the SQLite
/// worker run ahead of a slow consumer and buffer the whole table).
async fn export_batches(
    pool: &sqlx::AnyPool,
    ward: WardId,
    kind: Kind,
    tx: &tokio::sync::mpsc::Sender<Result<Input>>,
) -> Result<()> {
    const BATCH: i64 = 2000;
    let d = def(kind);
    let select = d.export_select();
    let parent = d.parent_ref_expr();
    let sql = numbered(format!(
        "SELECT t.id, {parent}, {select} FROM {} t WHERE t.ward_id = ? AND t.deleted_at IS NULL AND t.id > ? ORDER BY t.id LIMIT {BATCH}",
        d.table
    ));
    let mut snapshot = pool.begin().await?;
    let mut after = 0_i64;
    loop {
        let rows = sqlx::query(&sql)
            .bind(ward.0)
            .bind(after)
            .fetch_all(&mut *snapshot)
            .await?;
        let n = rows.len();
        for row in rows {
            after = row.try_get(0)?;
            let mut input = read_input(d, &row, 2)?;
            if let Some(col) = kind.parent_column() {
                let r: Option<String> = row.try_get(1)?;
                input.set(col.name, r.unwrap_or_default());
            }
            if tx.send(Ok(input)).await.is_err() {
                return Ok(()); // the reader went away
            }
        }
        if (n as i64) < BATCH {
            break;
        }
    }
    snapshot.commit().await?;
    Ok(())
}

fn stored_from_row<T: Record>(d: &TableDef, row: &AnyRow) -> Result<Stored<T>> {
    let id: i64 = row.try_get(0)?;
    let parent_id: Option<i64> = row.try_get(1)?;
    let input = read_input(d, row, 2)?;
    let meta = Meta::read(row, 2 + d.cols.len())?;
    let ward: i64 = row.try_get(2 + d.cols.len() + 7)?;
    Ok(Stored {
        id,
        parent_id,
        ward: WardId(ward),
        record: decode(&input)?,
        meta,
    })
}
