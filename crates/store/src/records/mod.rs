//! The generic repository: create, get, list with filters and pagination, update,
//! soft delete and restore for every record kind, each change written together with
//! its audit entry in one transaction. Reads are in `read`, changes in `write`; the
//! list filter's SQL is built in `crate::filter`.

mod read;
mod write;

pub(crate) use write::insert_row;
