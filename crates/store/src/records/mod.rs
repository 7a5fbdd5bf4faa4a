//! The generic repository: create, get, list with filters and pagination, update,
//! soft delete and restore for every record kind, each change written together with
//! its audit entry in one transaction. Reads are in `read`, changes in `write`; the
//! list filter's SQL is built in `crate::filter`.

mod insert;
mod locks;
mod read;
mod refs;
mod write;

pub(crate) use insert::{batch_rows, insert_rows, new_row, NewRow, Stamp};
pub(crate) use locks::{DateLocks, PARENT_FIELD};
pub(crate) use refs::Refs;
