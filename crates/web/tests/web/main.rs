//! The web integration suite, one binary (as in zero2prod): every test gets a fresh
//! database and drives the router in-process.

mod auth;
mod city;
mod completeness;
mod csrf;
mod helpers;
mod hostile;
mod law;
mod lineage;
mod pages;
mod periods;
mod permissions;
mod records;
mod registers;
pub mod reports;
mod security;
mod vn_pages;
mod wards;
