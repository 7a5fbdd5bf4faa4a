//! What a row's date must respect beyond its own validation: a period still submitted
//! locks it, and a ward ended by a merger takes nothing after its last day. The store
//! checks both again inside its write transaction; here the preview says so first.

use chrono::NaiveDate;
use domain::{FieldErrors, Kind};
use store::imports::Registers;

/// A row dated inside a period still submitted is refused, on its date column (an
/// opinion on its dialogue's ref): the preview says so before the store refuses it.
pub(super) fn check_lock(
    kind: Kind,
    own: Option<NaiveDate>,
    parent: Option<&(String, NaiveDate)>,
    reg: &Registers,
    errors: &mut FieldErrors,
) {
    if !domain::submission::locks_kind(kind) {
        return;
    }
    let dated = match (kind.date_column(), own, parent, kind.parent_column()) {
        (Some(col), Some(date), _, _) => Some((col, date)),
        (None, _, Some((_, date)), Some(col)) => Some((col.name, *date)),
        _ => None,
    };
    if let Some((field, date)) = dated {
        if let Err(m) = reg.locks.check(date) {
            errors.add(field, m);
        }
    }
    // a former ward takes no record after its last day
    if let (Some(col), Some(date), Some((last, name, successor))) =
        (kind.date_column(), own, &reg.ended)
    {
        if let Err(m) = domain::lineage::record_allowed(name, Some((*last, successor)), date) {
            errors.add(col, m);
        }
    }
}
