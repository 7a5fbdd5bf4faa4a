//! Submitted periods: a ward's report for a range of dates, sent up and frozen. While a
//! submission is [`Status::Submitted`], records dated inside its range are locked;
//! reopening it (with a reason) lifts the lock, and the figures of its range can then
//! be compared with the snapshot that was sent ([`compare`]).
//!
//! Pure: the rules (which kinds a submission locks, whether a date is locked, whether a
//! new range overlaps a submitted one, what differs from a snapshot) and their
//! Vietnamese messages. The store applies them inside its write transactions.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::report::{Report, Value, TOTAL};
use crate::{dates, Code, FieldErrors, Kind};

/// Where a submission stands (stored as its code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Submitted,
    Reopened,
}

impl Code for Status {
    const ALL: &'static [Status] = &[Status::Submitted, Status::Reopened];
    fn code(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Reopened => "reopened",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Status::Submitted => "Đã nộp",
            Status::Reopened => "Đã mở lại",
        }
    }
}

/// A submission as its list and the lock see it (the snapshot is read apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// UTC, `2025-01-05T02:00:00Z`, as the meta columns.
    pub submitted_at: String,
    pub submitted_by: String,
    pub status: Status,
    pub reopened_at: Option<String>,
    pub reopened_by: Option<String>,
    pub reopen_reason: Option<String>,
}

/// Vietnam's offset from UTC (no summer time).
const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

/// The day in Vietnam of a stored UTC timestamp (`2025-01-04T20:00:00Z` is 05/01/2025);
/// `None` when it does not parse.
pub fn vietnam_day(utc: &str) -> Option<NaiveDate> {
    let offset = chrono::FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS)?;
    chrono::DateTime::parse_from_rfc3339(utc)
        .ok()
        .map(|t| t.with_timezone(&offset).date_naive())
}

impl Submission {
    /// Whether `date` is inside the submission's range (both ends included).
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// Whether the submission locks records now.
    pub fn is_locking(&self) -> bool {
        self.status == Status::Submitted
    }

    /// `01/01/2024–31/12/2024`.
    pub fn range_vn(&self) -> String {
        format!("{}–{}", dates::vn(self.from), dates::vn(self.to))
    }

    /// What the submission is called in messages: «Kỳ 01/01/2024–31/12/2024 đã nộp
    /// báo cáo ngày 05/01/2025 (số 3, người nộp pho-bt)».
    pub fn describe(&self) -> String {
        let day = vietnam_day(&self.submitted_at)
            .map(dates::vn)
            .unwrap_or_else(|| self.submitted_at.clone());
        format!(
            "Kỳ {} đã nộp báo cáo ngày {day} (số {}, người nộp {})",
            self.range_vn(),
            self.id,
            self.submitted_by
        )
    }

    /// The status as a list shows it: «Đã nộp», «Đã mở lại (lý do …)».
    pub fn status_vn(&self) -> String {
        match (self.status, &self.reopen_reason) {
            (Status::Reopened, Some(r)) => format!("{} (lý do: {r})", self.status.label()),
            (s, _) => s.label().to_string(),
        }
    }
}

/// Whether a submission locks records of `kind`: every kind placed in report periods by
/// its own date or its parent's (an opinion by its dialogue's). The registers are not
/// locked: residential groups and party cells (dated by the days they exist, not placed
/// in periods) and the steering committee's versions (dated by their decision, but
/// counted by no figure of the report).
pub fn locks_kind(kind: Kind) -> bool {
    match kind {
        Kind::ResidentialGroups | Kind::PartyCells | Kind::CommitteeMembers => false,
        Kind::Conferences
        | Kind::Publicity
        | Kind::Dialogues
        | Kind::Opinions
        | Kind::Documents
        | Kind::Inspections
        | Kind::Commendations
        | Kind::HotSpots
        | Kind::CommunityDecisions
        | Kind::Consultations
        | Kind::InspectionBoardTerms
        | Kind::InspectionBoardActivities
        | Kind::SupervisionBoards
        | Kind::SupervisionActivities => true,
    }
}

/// The submissions that lock records now: those still [`Status::Submitted`].
#[derive(Debug, Clone, Default)]
pub struct Locks(Vec<Submission>);

impl Locks {
    pub fn new(submissions: impl IntoIterator<Item = Submission>) -> Locks {
        Locks(
            submissions
                .into_iter()
                .filter(Submission::is_locking)
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The submission that locks `date`, if any.
    pub fn locking(&self, date: NaiveDate) -> Option<&Submission> {
        self.0.iter().find(|s| s.covers(date))
    }

    /// `Err` with the Vietnamese message naming the submission when a record dated
    /// `date` may not be created, changed, deleted, restored or imported.
    pub fn check(&self, date: NaiveDate) -> Result<(), String> {
        match self.locking(date) {
            None => Ok(()),
            Some(s) => Err(locked_message(s, date)),
        }
    }
}

/// «Kỳ 01/01/2024–31/12/2024 đã nộp báo cáo ngày 05/01/2025 (số 3, người nộp pho-bt):
/// không thể thêm, sửa hay xóa bản ghi ngày 12/03/2024. Cần mở lại kỳ này trước.»
pub fn locked_message(s: &Submission, date: NaiveDate) -> String {
    format!(
        "{}: không thể thêm, sửa hay xóa bản ghi ngày {}. Cần mở lại kỳ này trước.",
        s.describe(),
        dates::vn(date)
    )
}

/// A new submission of `from`–`to` is refused when its range overlaps one still
/// submitted (a reopened one may be submitted again, as a new submission).
pub fn check_new(existing: &[Submission], from: NaiveDate, to: NaiveDate) -> Result<(), String> {
    if to < from {
        return Err("Ngày cuối của kỳ phải sau ngày đầu.".into());
    }
    match existing
        .iter()
        .find(|s| s.is_locking() && s.from <= to && from <= s.to)
    {
        None => Ok(()),
        Some(s) => Err(format!(
            "{}; kỳ {}–{} trùng với kỳ đó. Cần mở lại kỳ đã nộp trước khi nộp lại.",
            s.describe(),
            dates::vn(from),
            dates::vn(to)
        )),
    }
}

/// Who may reopen a submitted period: a city admin; a ward's admin only when the
/// database holds that one ward (a ward office reopening its own period). In a city's
/// database a ward cannot unlock what it sent up.
pub fn may_reopen(role: crate::Role, wards_in_database: usize) -> bool {
    match role {
        crate::Role::CityAdmin => true,
        crate::Role::Admin => wards_in_database == 1,
        _ => false,
    }
}

/// The longest reason kept.
pub const REASON_MAX: usize = 500;

/// A reopening's reason: required, trimmed, at most [`REASON_MAX`] characters.
pub fn parse_reason(reason: &str) -> Result<String, FieldErrors> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(FieldErrors::single(
            "reason",
            "Cần ghi lý do mở lại kỳ đã nộp.",
        ));
    }
    if r.chars().count() > REASON_MAX {
        return Err(FieldErrors::single(
            "reason",
            crate::error::msg::too_long(REASON_MAX),
        ));
    }
    Ok(r.to_string())
}

/// One figure of a snapshot: indicator code, period label (`2024`, `total`), value as
/// the CSV writes it (`142`, `66.7`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotCell {
    pub indicator: String,
    pub period: String,
    pub value: String,
}

/// A figure that differs from the snapshot: what was sent (absent when the snapshot had
/// no value there) and what it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub submitted: Option<Value>,
    pub now: Value,
}

impl Difference {
    /// «Đã nộp: 142 → nay: 143».
    pub fn vn(&self) -> String {
        let before = self
            .submitted
            .as_ref()
            .map(Value::vn)
            .unwrap_or_else(|| "—".into());
        format!("Đã nộp: {before} → nay: {}", self.now.vn())
    }
}

/// The differences between a report and a snapshot, by (indicator code, period label;
/// the whole range is `total`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Differences(HashMap<(String, String), Difference>);

impl Differences {
    pub fn get(&self, indicator: &str, period: &str) -> Option<&Difference> {
        self.0.get(&(indicator.to_string(), period.to_string()))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A snapshot value read the way the report's value of the same figure is written.
fn read_like(value: &str, like: &Value) -> Option<Value> {
    match like {
        Value::Count(_) => value.parse().ok().map(Value::Count),
        Value::Percent(_) => {
            let (sign, digits) = match value.strip_prefix('-') {
                Some(rest) => (-1, rest),
                None => (1, value),
            };
            let (whole, tenth) = digits.split_once('.').unwrap_or((digits, "0"));
            let t = whole.parse::<i64>().ok()? * 10 + tenth.parse::<i64>().ok()?;
            Some(Value::Percent(Some(sign * t)))
        }
    }
}

/// Every figure of `report` (each period, then the total) whose value as the CSV writes
/// it differs from the snapshot's — a figure the snapshot lacks differs when it now has
/// a value. Figures the snapshot has and the report does not (an indicator since
/// removed) are not shown: there is no cell to mark.
pub fn compare(report: &Report, snapshot: &[SnapshotCell]) -> Differences {
    let sent: HashMap<(&str, &str), &str> = snapshot
        .iter()
        .map(|c| ((c.indicator.as_str(), c.period.as_str()), c.value.as_str()))
        .collect();
    let mut out = HashMap::new();
    for row in &report.rows {
        let code = row.indicator.code.as_str();
        let cells = report
            .periods
            .iter()
            .map(|p| p.label.as_str())
            .zip(&row.values)
            .chain([(TOTAL, &row.total)]);
        for (label, now) in cells {
            let before = sent.get(&(code, label)).copied();
            let now_text = now.plain();
            if before.unwrap_or("") == now_text {
                continue;
            }
            out.insert(
                (code.to_string(), label.to_string()),
                Difference {
                    submitted: before.and_then(|b| read_like(b, now)),
                    now: *now,
                },
            );
        }
    }
    Differences(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn sub(id: i64, from: NaiveDate, to: NaiveDate, status: Status) -> Submission {
        Submission {
            id,
            from,
            to,
            submitted_at: "2025-01-04T20:30:00Z".into(),
            submitted_by: "pho-bt".into(),
            status,
            reopened_at: None,
            reopened_by: None,
            reopen_reason: None,
        }
    }

    #[test]
    fn the_lock_covers_both_ends_and_names_the_submission() {
        let s = sub(3, day(2024, 1, 1), day(2024, 12, 31), Status::Submitted);
        let locks = Locks::new([s]);
        assert!(locks.check(day(2023, 12, 31)).is_ok());
        assert!(locks.check(day(2025, 1, 1)).is_ok());
        assert!(locks.check(day(2024, 1, 1)).is_err());
        assert!(locks.check(day(2024, 12, 31)).is_err());
        assert_eq!(
            locks.check(day(2024, 3, 12)).expect_err("locked"),
            "Kỳ 01/01/2024–31/12/2024 đã nộp báo cáo ngày 05/01/2025 (số 3, người nộp pho-bt): \
             không thể thêm, sửa hay xóa bản ghi ngày 12/03/2024. Cần mở lại kỳ này trước."
        );
    }

    #[test]
    fn a_reopened_submission_locks_nothing_and_may_be_submitted_again() {
        let s = sub(1, day(2024, 1, 1), day(2024, 12, 31), Status::Reopened);
        assert!(Locks::new([s.clone()]).is_empty());
        assert!(check_new(&[s], day(2024, 1, 1), day(2024, 12, 31)).is_ok());
    }

    #[test]
    fn overlapping_a_submitted_range_is_refused() {
        let s = sub(1, day(2024, 1, 1), day(2024, 12, 31), Status::Submitted);
        let all = [s];
        assert!(check_new(&all, day(2024, 12, 31), day(2025, 3, 31)).is_err());
        assert!(check_new(&all, day(2023, 1, 1), day(2024, 1, 1)).is_err());
        assert!(check_new(&all, day(2025, 1, 1), day(2025, 12, 31)).is_ok());
        assert!(check_new(&all, day(2023, 1, 1), day(2023, 12, 31)).is_ok());
        assert!(check_new(&[], day(2025, 2, 1), day(2025, 1, 1)).is_err());
    }

    #[test]
    fn registers_are_not_locked() {
        assert!(!locks_kind(Kind::ResidentialGroups));
        assert!(!locks_kind(Kind::PartyCells));
        assert!(!locks_kind(Kind::CommitteeMembers));
        assert!(locks_kind(Kind::Opinions));
        assert!(locks_kind(Kind::Conferences));
    }

    #[test]
    fn a_ward_admin_reopens_only_in_a_one_ward_database() {
        use crate::Role;
        assert!(may_reopen(Role::CityAdmin, 5));
        assert!(may_reopen(Role::Admin, 1));
        assert!(!may_reopen(Role::Admin, 2));
        assert!(!may_reopen(Role::Deputy, 1));
        assert!(!may_reopen(Role::CityViewer, 1));
    }

    #[test]
    fn the_day_is_vietnam_s() {
        assert_eq!(vietnam_day("2025-01-04T16:59:59Z"), Some(day(2025, 1, 4)));
        assert_eq!(vietnam_day("2025-01-04T17:00:00Z"), Some(day(2025, 1, 5)));
        assert_eq!(vietnam_day("nonsense"), None);
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert!(parse_reason("  ").is_err());
        assert_eq!(
            parse_reason(" sửa số liệu ").ok().as_deref(),
            Some("sửa số liệu")
        );
        assert!(parse_reason(&"a".repeat(REASON_MAX + 1)).is_err());
    }

    #[test]
    fn snapshot_values_read_as_the_figure_they_belong_to() {
        assert_eq!(read_like("142", &Value::Count(0)), Some(Value::Count(142)));
        assert_eq!(
            read_like("66.7", &Value::Percent(None)),
            Some(Value::Percent(Some(667)))
        );
        assert_eq!(
            read_like("-5.3", &Value::Percent(None)),
            Some(Value::Percent(Some(-53)))
        );
        let d = Difference {
            submitted: Some(Value::Count(15135)),
            now: Value::Count(15136),
        };
        assert_eq!(d.vn(), "Đã nộp: 15.135 → nay: 15.136");
    }
}
