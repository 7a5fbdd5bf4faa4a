//! The QCDC model: organisation, activity records, their validation, indicator
//! definitions, report periods and report assembly.
//!
//! Pure: no I/O, no async, no SQL. Every value that comes from a user is built through
//! a validating constructor that returns field-level errors in Vietnamese.
#![forbid(unsafe_code)]

pub mod codes;
pub mod completeness;
pub mod dates;
pub mod error;
pub mod filter;
pub mod fmt;
pub mod input;
pub mod kinds;
pub mod lineage;
pub mod records;
pub mod report;
pub mod review;
pub mod submission;
pub mod text;
pub mod ward;

pub use codes::*;
pub use error::{FieldError, FieldErrors};
pub use filter::RecordFilter;
pub use input::Input;
pub use kinds::{Assessment, Column, ColumnType, Dating, Key, Kind, KindSpec, PeopleOrder};
pub use records::*;
