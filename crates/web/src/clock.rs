//! The day pages count from, and how old an open opinion may grow before it is shown
//! as overdue (the dashboard and the open opinions page).

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::{Dialogue, Opinion};
use store::Stored;

use crate::{AppState, Result};

/// Open opinions older than this are highlighted as overdue.
pub const OVERDUE_DAYS: i64 = 30;

/// Vietnam time: UTC+7 all year (no daylight saving).
pub const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

/// Today in Vietnam, whatever the server's own time zone: the day registers and
/// opinions' ages count from.
pub fn today() -> NaiveDate {
    let now = chrono::Utc::now();
    match chrono::FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS) {
        Some(vietnam) => now.with_timezone(&vietnam).date_naive(),
        None => now.date_naive(),
    }
}

/// Each opinion with the date it was raised (its dialogue's) and its age in days on
/// `today` (each dialogue read once).
pub async fn with_age(
    st: &AppState,
    opinions: Vec<Stored<Opinion>>,
    today: NaiveDate,
) -> Result<Vec<(Stored<Opinion>, NaiveDate, i64)>> {
    let mut dialogue_dates: HashMap<i64, NaiveDate> = HashMap::new();
    let mut aged = Vec::with_capacity(opinions.len());
    for o in opinions {
        let Some(did) = o.parent_id else { continue };
        let raised = match dialogue_dates.get(&did) {
            Some(d) => *d,
            None => {
                let d = st.store.get::<Dialogue>(st.ward, did).await?.record.date;
                dialogue_dates.insert(did, d);
                d
            }
        };
        let age = o.record.age_days(raised, today);
        aged.push((o, raised, age));
    }
    Ok(aged)
}
