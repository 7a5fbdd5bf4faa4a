//! Field-level validation errors: what the web form shows next to a field and what the
//! importer prints as `row N, column C: reason`.

use std::fmt;

/// One problem with one field. `message` is Vietnamese, ready for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// All problems found in one value; never empty when returned as an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(field, message);
        e
    }
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The first message for `field`, for rendering next to the input.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }
    /// `Ok(())` when nothing was recorded.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

/// The Vietnamese messages, kept in one place so that wording is easy to review.
pub mod msg {
    pub const REQUIRED: &str = "Không được để trống.";
    pub const BAD_DATE: &str = "Ngày không hợp lệ (nhập dd/mm/yyyy hoặc yyyy-mm-dd).";
    pub const BAD_WHOLE: &str = "Phải là số nguyên không âm.";
    pub const CONTROL_CHARS: &str = "Có ký tự điều khiển không hợp lệ.";
    pub const BIDI_CHARS: &str = "Có ký tự ẩn đổi chiều chữ (thường dán từ nguồn khác, có thể làm chữ hiển thị sai lệch); hãy gõ lại đoạn này.";

    pub fn date_range(min: i32, max: i32) -> String {
        format!("Ngày phải nằm trong khoảng năm {min} đến {max}.")
    }
    pub fn too_long(max: usize) -> String {
        format!("Tối đa {max} ký tự.")
    }
    pub fn at_least(min: u32) -> String {
        format!("Phải từ {min} trở lên.")
    }
    pub fn at_most(max: u32) -> String {
        format!("Không được lớn hơn {}.", crate::fmt::thousands(max as i64))
    }
    pub fn unknown_code(value: &str, allowed: &str) -> String {
        format!("Giá trị không hợp lệ «{value}»; dùng một trong: {allowed}.")
    }
    pub fn not_before(other: &str) -> String {
        format!("Không được trước {other}.")
    }
}
