//! What the command line and the web both do, without HTTP: build a report
//! ([`report`]), compose the review draft ([`review`]), plan and run an import
//! ([`import`]), export records ([`export`]), write CSV/XLSX/DOCX ([`formats`]), build the
//! demo ward ([`demo`]), and the account rules ([`accounts`], [`passwords`]).
//!
//! Knows neither HTTP nor the command line: the `web` crate and the `qcdc` binary call
//! these functions, so the page and the CLI cannot disagree.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod completeness;
pub mod demo;
pub mod export;
pub mod formats;
pub mod import;
pub mod passwords;
pub mod periods;
pub mod reimport;
pub mod report;
pub mod review;
pub mod wards;
