//! Persistence for the QCDC tracker on SQLite or PostgreSQL: the pools, embedded migrations per engine, one
//! repository per aggregate, the aggregate queries behind the report, the audit log
//! and online backup.
//!
//! This is the only crate that writes SQL. It speaks domain types: no sqlx type is
//! part of its public interface, and one code path serves both engines (sqlx's `Any`).
#![forbid(unsafe_code)]

mod bind;
mod db;
mod error;
mod filter;
mod search;
mod stored;
mod tables;
mod tables_law;
mod writer;

pub mod audit;
pub mod completeness;
pub mod generate;
pub mod import_history;
pub mod imports;
pub mod lineage;
pub mod records;
pub mod report;
pub mod review;
pub mod sessions;
pub mod submissions;
#[cfg(feature = "testing")]
pub mod testing;
pub mod transfer;
pub mod users;
pub mod ward;

pub use db::{Engine, Location, Store};
pub use domain::RecordFilter;
pub use error::{Fault, Result, SetupError, StoreError};
pub use stored::{ActiveTotals, Meta, Page, Stored};
pub use writer::WriteTx;

/// Who makes a change, as written in the audit log and the record's meta columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub username: String,
}

impl Actor {
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
        }
    }
    /// Changes made by the command line or the system itself.
    pub fn system() -> Self {
        Self::new("system")
    }
}

/// The ward a deployment serves. A default deployment has one ward, id 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WardId(pub i64);

/// Now as stored in meta columns: UTC, second precision, ISO 8601.
pub(crate) fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
