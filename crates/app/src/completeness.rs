//! Completeness at a glance, for the pages and their CSV: a ward's residential groups
//! × years × activity and its back-filled records' sources; a city's wards × months.
//! The store counts, `domain::completeness` shapes and judges, this assembles and
//! writes CSV through the one writer (`formats::csv`).

use std::io::Write;

use chrono::NaiveDate;
use domain::completeness::{
    self as c, Activity, CityRow, GroupGrid, Month, MonthCounts, SourceShare,
};
use domain::fmt;
use store::ward::WardEntry;
use store::{Store, WardId};

use crate::formats::csv::{writer, Headers};
use crate::report::ReportError;

/// A ward's completeness over a range.
pub struct WardCompleteness {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub groups: GroupGrid,
    pub sources: Vec<SourceShare>,
}

/// The ward's grid and sources over `from`–`to` (the whole history when absent, as the
/// summary report reads it).
pub async fn ward(
    store: &Store,
    ward: WardId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<WardCompleteness, ReportError> {
    let (from, to) = crate::report::resolve_range(store, ward, from, to).await?;
    let groups = store.groups_for_completeness(ward).await?;
    let counts = store.group_activity(ward, from, to).await?;
    let grid = c::group_grid(&groups, &c::years_of(from, to), &counts);
    let sources = store.source_shares(ward, from, to).await?;
    Ok(WardCompleteness {
        from,
        to,
        groups: grid,
        sources,
    })
}

/// An activity's name in CSV: its kind's code, or its Vietnamese label.
fn activity_name(a: Activity, headers: Headers) -> &'static str {
    match headers {
        Headers::Codes => a.kind().code(),
        Headers::Vi => a.kind().label(),
    }
}

fn csv_error(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// `?view=groups`: one row per active group, year and activity, its records (0: a gap).
pub fn write_groups_csv<W: Write>(
    out: W,
    w: &WardCompleteness,
    headers: Headers,
    bom: bool,
) -> std::io::Result<usize> {
    let mut csv = writer(out, bom)?;
    csv.write_record(match headers {
        Headers::Codes => ["group", "name", "year", "kind", "records"],
        Headers::Vi => [
            "Tổ dân phố",
            "Tên tổ",
            "Năm",
            "Loại hoạt động",
            "Số bản ghi",
        ],
    })
    .map_err(csv_error)?;
    let mut rows = 0;
    for r in &w.groups.rows {
        for (year, cells) in w.groups.years.iter().zip(&r.cells) {
            for (a, n) in Activity::ALL.iter().zip(cells) {
                let Some(n) = n else { continue };
                csv.write_record([
                    r.number.to_string().as_str(),
                    &r.name,
                    &year.to_string(),
                    activity_name(*a, headers),
                    &n.to_string(),
                ])
                .map_err(csv_error)?;
                rows += 1;
            }
        }
    }
    csv.flush()?;
    Ok(rows)
}

/// `?view=sources`: per kind and year, back-filled records, with and without a source,
/// and the documented share in percent (one decimal; empty with nothing back-filled).
pub fn write_sources_csv<W: Write>(
    out: W,
    w: &WardCompleteness,
    headers: Headers,
    bom: bool,
) -> std::io::Result<usize> {
    let mut csv = writer(out, bom)?;
    csv.write_record(match headers {
        Headers::Codes => [
            "kind",
            "year",
            "backfilled",
            "with_source",
            "without_source",
            "share",
        ],
        Headers::Vi => [
            "Loại bản ghi",
            "Năm",
            "Bản ghi nhập bổ sung",
            "Có nguồn",
            "Không có nguồn",
            "Tỷ lệ có nguồn (%)",
        ],
    })
    .map_err(csv_error)?;
    for s in &w.sources {
        let kind = match headers {
            Headers::Codes => s.kind.code(),
            Headers::Vi => s.kind.label(),
        };
        csv.write_record([
            kind,
            &s.year.to_string(),
            &s.backfilled.to_string(),
            &s.documented.to_string(),
            &s.undocumented().to_string(),
            &s.share_tenths()
                .map(|t| fmt::tenths(t, '.'))
                .unwrap_or_default(),
        ])
        .map_err(csv_error)?;
    }
    csv.flush()?;
    Ok(w.sources.len())
}

/// A city's wards × months of a year.
pub struct CityCompleteness {
    pub year: i32,
    pub months: Vec<Month>,
    /// Late and empty wards first ([`c::order_city`]).
    pub rows: Vec<CityRow<WardEntry>>,
    /// The last finished year and quarter, by which "late" is judged.
    pub last_finished: [(NaiveDate, NaiveDate); 2],
}

/// Every ward's months of `year` up to `today` (Vietnam's day).
pub async fn city(
    store: &Store,
    year: i32,
    today: NaiveDate,
) -> Result<CityCompleteness, ReportError> {
    let months = c::months_of(year, today);
    let counts = store.city_months(&months).await?;
    let subs = store.all_submissions().await?;
    // A ward that ended before the year (passed into a successor) is not asked for it.
    let lives = store.ward_lives().await?;
    let first_day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let mut rows: Vec<CityRow<WardEntry>> = store
        .wards()
        .await?
        .into_iter()
        .filter(|w| {
            !lives
                .iter()
                .any(|l| l.ward == w.id && l.until.is_some_and(|u| u < first_day))
        })
        .map(|w| {
            let cells: Vec<MonthCounts> = (0..months.len())
                .map(|i| counts.get(&(w.id, i)).copied().unwrap_or_default())
                .collect();
            let own: Vec<_> = subs
                .iter()
                .filter(|(id, _)| *id == w.id)
                .map(|(_, s)| s.clone())
                .collect();
            CityRow {
                late: c::is_late(&own, today),
                empty: cells.iter().all(|m| m.entered == 0),
                months: cells,
                ward: w,
            }
        })
        .collect();
    c::order_city(&mut rows);
    Ok(CityCompleteness {
        year,
        months,
        rows,
        last_finished: c::last_finished(today),
    })
}

/// The city's CSV: one row per ward and month, late and empty wards first; `late` and
/// `empty` are 1 or 0.
pub fn write_city_csv<W: Write>(
    out: W,
    city: &CityCompleteness,
    headers: Headers,
    bom: bool,
) -> std::io::Result<usize> {
    let mut csv = writer(out, bom)?;
    csv.write_record(match headers {
        Headers::Codes => [
            "ward",
            "name",
            "month",
            "entered",
            "submitted",
            "reopened",
            "late",
            "empty",
        ],
        Headers::Vi => [
            "Mã phường",
            "Phường",
            "Tháng",
            "Bản ghi nhập",
            "Kỳ đã nộp",
            "Kỳ mở lại",
            "Chậm nộp",
            "Không có dữ liệu",
        ],
    })
    .map_err(csv_error)?;
    let flag = |b: bool| if b { "1" } else { "0" };
    let mut rows = 0;
    for r in &city.rows {
        for (m, n) in city.months.iter().zip(&r.months) {
            csv.write_record([
                r.ward.code.to_string().as_str(),
                &r.ward.ward.name,
                &m.label,
                &n.entered.to_string(),
                &n.submitted.to_string(),
                &n.reopened.to_string(),
                flag(r.late),
                flag(r.empty),
            ])
            .map_err(csv_error)?;
            rows += 1;
        }
    }
    csv.flush()?;
    Ok(rows)
}
