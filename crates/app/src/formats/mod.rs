//! File formats the project writes: CSV (reports and record exports), XLSX (the
//! report) and DOCX (the review draft).

pub mod csv;
pub mod docx;
pub mod xlsx;
