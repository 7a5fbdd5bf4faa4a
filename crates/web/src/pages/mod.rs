//! The handlers, one module per page family. Handlers never call each other; what two
//! pages share is a view (`crate::views`) or an application function (`app`).

pub mod account;
pub mod admin;
pub mod city;
pub mod committee;
pub mod completeness;
pub mod dashboard;
pub mod dialogues;
pub mod export;
pub mod import;
pub mod law;
pub mod merge;
pub mod periods;
pub mod records;
pub mod reports;
pub mod review;
pub mod ward;
pub mod wards;
