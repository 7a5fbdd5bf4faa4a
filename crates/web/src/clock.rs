//! The day pages count from, and how old an open opinion may grow before it is shown
//! as overdue (the dashboard and the open opinions page).

use chrono::NaiveDate;

/// Open opinions older than this are highlighted as overdue.
pub const OVERDUE_DAYS: i64 = 30;

/// Today in the server's local time.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
