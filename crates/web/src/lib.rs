//! The `qcdc` application: command line, web server, CSV import and exports.
//!
//! The only crate that knows HTTP, HTML, sessions, CSV and XLSX. Handlers stay thin:
//! they parse input into domain values, call the store, and render.
#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod demo;
pub mod export;
pub mod import;
pub mod passwords;
pub mod report_views;
pub mod reports;
pub mod review;
