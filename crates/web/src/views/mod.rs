//! Page pieces shared by the handlers: the layout, generated forms, and the views of a
//! report and of the review document.

pub mod audit;
pub mod forms;
pub mod layout;
pub mod lists;
pub mod report;
pub mod review;
