//! Submitted periods, for the command line and the web alike: submitting a period (its
//! snapshot is exactly what `qcdc report --from F --to T --by year --shape long`
//! prints, written by the one CSV writer from [`crate::report::build`]), the list as
//! CSV, and the comparison of a period's figures today with what was submitted.

use chrono::NaiveDate;
use domain::report::{self, Grouping, Report};
use domain::submission::{self, Differences, SnapshotCell, Submission};
use domain::{dates, Code, FieldErrors};
use store::{Actor, Store, WardId};

use crate::formats::csv::{self as csv_out, Headers, Shape};
use crate::report::ReportError;

/// The grouping a snapshot is taken by.
pub const SNAPSHOT_GROUPING: Grouping = Grouping::Year;

/// The snapshot of a report: its long CSV with code headers, without BOM.
pub fn snapshot_of(r: &Report) -> Result<String, ReportError> {
    let mut out = Vec::with_capacity(32 * 1024);
    csv_out::write_summary(&mut out, r, Shape::Long, Headers::Codes, false)
        .map_err(|e| store::StoreError::Invariant(format!("snapshot not written: {e}")))?;
    String::from_utf8(out)
        .map_err(|e| ReportError::Store(store::StoreError::Invariant(e.to_string())))
}

/// Submits the ward's report of `from`–`to`: refused (a conflict naming the submission)
/// when the range overlaps a period still submitted. The writer is held from the check
/// to the write, so that the snapshot is the figures the lock then protects.
pub async fn submit(
    store: &Store,
    ward: WardId,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<i64, ReportError> {
    report::check_range(from, to).map_err(ReportError::Invalid)?;
    let pending = store.begin_submission(ward, from, to).await?;
    let r = crate::report::build(store, ward, Some(from), Some(to), SNAPSHOT_GROUPING).await?;
    let snapshot = snapshot_of(&r)?;
    Ok(pending.finish(actor, &snapshot).await?)
}

/// The figures of a snapshot, read back from its CSV (code headers).
pub fn snapshot_cells(snapshot: &str) -> Vec<SnapshotCell> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(snapshot.as_bytes());
    reader
        .records()
        .filter_map(Result::ok)
        .filter(|r| r.len() >= 5)
        .map(|r| SnapshotCell {
            indicator: csv_out::unguard(&r[0]).to_string(),
            period: csv_out::unguard(&r[3]).to_string(),
            value: r[4].to_string(),
        })
        .collect()
}

/// A submission compared with its range's figures today, by year.
pub struct Comparison {
    pub submission: Submission,
    pub report: Report,
    pub differences: Differences,
}

/// One submission of the ward, its range's figures today and what differs.
pub async fn compare(store: &Store, ward: WardId, id: i64) -> Result<Comparison, ReportError> {
    let (submission, snapshot) = store.submission(ward, id).await?;
    let r = crate::report::build(
        store,
        ward,
        Some(submission.from),
        Some(submission.to),
        SNAPSHOT_GROUPING,
    )
    .await?;
    let differences = submission::compare(&r, &snapshot_cells(&snapshot));
    Ok(Comparison {
        submission,
        report: r,
        differences,
    })
}

/// For a report by year over exactly the range of a submission, the latest such
/// submission and what differs from it now (`None` for any other report).
pub async fn differences_for(
    store: &Store,
    ward: WardId,
    r: &Report,
) -> Result<Option<(Submission, Differences)>, ReportError> {
    if r.grouping != SNAPSHOT_GROUPING {
        return Ok(None);
    }
    let latest = store
        .submissions(ward)
        .await?
        .into_iter()
        .find(|s| s.from == r.from && s.to == r.to);
    let Some(s) = latest else {
        return Ok(None);
    };
    let (_, snapshot) = store.submission(ward, s.id).await?;
    let differences = submission::compare(r, &snapshot_cells(&snapshot));
    Ok(Some((s, differences)))
}

/// `qcdc period list`: `id,from,to,submitted_at,submitted_by,status`, oldest first.
pub fn list_csv(subs: &[Submission]) -> Result<String, ReportError> {
    let mut w = csv_out::writer(Vec::new(), false)
        .map_err(|e| store::StoreError::Invariant(e.to_string()))?;
    let fail = |e: ::csv::Error| ReportError::Store(store::StoreError::Invariant(e.to_string()));
    w.write_record(["id", "from", "to", "submitted_at", "submitted_by", "status"])
        .map_err(fail)?;
    let mut sorted: Vec<&Submission> = subs.iter().collect();
    sorted.sort_by_key(|s| s.id);
    for s in sorted {
        w.write_record([
            s.id.to_string().as_str(),
            &dates::iso(s.from),
            &dates::iso(s.to),
            &s.submitted_at,
            &s.submitted_by,
            s.status.code(),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| store::StoreError::Invariant(e.to_string()))?;
    String::from_utf8(bytes)
        .map_err(|e| ReportError::Store(store::StoreError::Invariant(e.to_string())))
}

/// Reopens a submission with its reason (required).
pub async fn reopen(
    store: &Store,
    ward: WardId,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> Result<(), ReportError> {
    let reason = submission::parse_reason(reason).map_err(ReportError::Invalid)?;
    store.reopen_submission(ward, actor, id, &reason).await?;
    Ok(())
}

/// The range of a submission form, both dates required.
pub fn parse_range(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut day = |field: &str, s: &str| -> Option<NaiveDate> {
        if s.trim().is_empty() {
            errors.add(field, domain::error::msg::REQUIRED);
            return None;
        }
        match dates::parse_date(s) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add(field, domain::error::msg::BAD_DATE);
                None
            }
        }
    };
    let (f, t) = (day("from", from), day("to", to));
    match (f, t) {
        (Some(f), Some(t)) => {
            report::check_range(f, t)?;
            Ok((f, t))
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_cells_read_the_long_csv() {
        let cells = snapshot_cells(
            "indicator,name,unit,period,value\r\nconferences,Hội nghị,cuộc,2024,142\r\nconferences,Hội nghị,cuộc,total,142\r\n",
        );
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[1].period, "total");
        assert_eq!(cells[0].value, "142");
    }

    #[test]
    fn a_range_needs_both_dates() {
        assert!(parse_range("", "31/12/2024").is_err());
        assert!(parse_range("01/01/2024", "x").is_err());
        assert!(parse_range("01/01/2024", "31/12/2024").is_ok());
        assert!(parse_range("01/01/2025", "31/12/2024").is_err());
    }
}
