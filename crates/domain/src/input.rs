//! Raw field values as they arrive from a web form or a CSV row, and the parser that
//! turns them into typed values while collecting every field error at once.
//!
//! Field names are the CSV column names of DESIGN §4, so the form, the importer and the
//! exporter share one vocabulary.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::codes::Code;
use crate::dates::{self, DateError};
use crate::error::{msg, FieldErrors};
use crate::kinds::Column;

/// Field name → raw text. Missing fields read as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input(pub BTreeMap<String, String>);

impl Input {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map(|s| s.as_str()).unwrap_or("")
    }
    pub fn set(&mut self, field: &str, value: impl Into<String>) {
        self.0.insert(field.to_string(), value.into());
    }
    pub fn with(mut self, field: &str, value: impl Into<String>) -> Self {
        self.set(field, value);
        self
    }
    pub fn set_opt<T: ToString>(&mut self, field: &str, value: Option<T>) {
        self.set(field, value.map(|v| v.to_string()).unwrap_or_default());
    }
    pub fn set_date(&mut self, field: &str, value: Option<NaiveDate>) {
        self.set(field, value.map(dates::iso).unwrap_or_default());
    }
    pub fn set_code<T: Code>(&mut self, field: &str, value: Option<T>) {
        self.set(field, value.map(|v| v.code()).unwrap_or_default());
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Input {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Input(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// Reads typed values out of an [`Input`], recording one error per bad field. Every
/// getter returns a harmless fallback on error; [`Parser::finish`] then refuses the
/// whole value, so fallbacks never escape.
pub struct Parser<'a> {
    input: &'a Input,
    pub errors: FieldErrors,
}

/// Lengths: one line of text, and free text such as notes and findings.
pub const SHORT: usize = 200;
pub const LONG: usize = 5000;

/// The invisible characters that reorder how text is shown (Unicode bidirectional
/// embeddings, overrides and isolates, U+202A–U+202E and U+2066–U+2069): text that
/// holds them can display as something other than what it says ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl<'a> Parser<'a> {
    pub fn new(input: &'a Input) -> Self {
        Self {
            input,
            errors: FieldErrors::new(),
        }
    }

    fn raw(&self, field: &str) -> &'a str {
        self.input.get(field).trim()
    }

    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        // One message per field is enough; the first is the most basic.
        if self.errors.get(field).is_none() {
            self.errors.add(field, message);
        }
    }

    /// Required text, trimmed, at most `max` characters, no control characters
    /// (line breaks and tabs are allowed only when `max` is [`LONG`]).
    pub fn text(&mut self, field: &str, max: usize) -> String {
        match self.opt_text(field, max) {
            Some(s) => s,
            None => {
                self.error(field, msg::REQUIRED);
                String::new()
            }
        }
    }

    pub fn opt_text(&mut self, field: &str, max: usize) -> Option<String> {
        let s = self.raw(field);
        if s.is_empty() {
            return None;
        }
        if s.chars().count() > max {
            self.error(field, msg::too_long(max));
            return None;
        }
        let multiline = max >= LONG;
        if s.chars()
            .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
        {
            self.error(field, msg::CONTROL_CHARS);
            return None;
        }
        if s.chars().any(is_bidi_control) {
            self.error(field, msg::BIDI_CHARS);
            return None;
        }
        Some(s.replace("\r\n", "\n"))
    }

    pub fn date(&mut self, field: &str) -> NaiveDate {
        match self.opt_date(field) {
            Some(d) => d,
            None => {
                if self.raw(field).is_empty() {
                    self.error(field, msg::REQUIRED);
                }
                NaiveDate::default()
            }
        }
    }

    pub fn opt_date(&mut self, field: &str) -> Option<NaiveDate> {
        let s = self.raw(field);
        if s.is_empty() {
            return None;
        }
        match dates::parse_date(s) {
            Ok(d) => Some(d),
            Err(DateError::Malformed) => {
                self.error(field, msg::BAD_DATE);
                None
            }
            Err(DateError::OutOfRange) => {
                self.error(field, msg::date_range(dates::MIN_YEAR, dates::MAX_YEAR));
                None
            }
        }
    }

    /// A required whole number in `min..=max`.
    pub fn whole(&mut self, field: &str, min: u32, max: u32) -> u32 {
        match self.opt_whole(field, min, max) {
            Some(n) => n,
            None => {
                if self.raw(field).is_empty() {
                    self.error(field, msg::REQUIRED);
                }
                min
            }
        }
    }

    /// An optional whole number in `min..=max`. Thousands dots (`15.135`) are accepted,
    /// as Vietnamese spreadsheets write them.
    pub fn opt_whole(&mut self, field: &str, min: u32, max: u32) -> Option<u32> {
        let s = self.raw(field);
        if s.is_empty() {
            return None;
        }
        let digits: String = if is_grouped(s) {
            s.replace('.', "")
        } else {
            s.to_string()
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            self.error(field, msg::BAD_WHOLE);
            return None;
        }
        match digits.parse::<u64>() {
            Ok(n) if n < min as u64 => {
                self.error(field, msg::at_least(min));
                None
            }
            Ok(n) if n > max as u64 => {
                self.error(field, msg::at_most(max));
                None
            }
            Ok(n) => Some(n as u32),
            Err(_) => {
                self.error(field, msg::at_most(max));
                None
            }
        }
    }

    pub fn code<T: Code>(&mut self, field: &str) -> T {
        match self.opt_code(field) {
            Some(v) => v,
            None => {
                if self.raw(field).is_empty() {
                    self.error(field, msg::REQUIRED);
                }
                T::ALL[0]
            }
        }
    }

    pub fn opt_code<T: Code>(&mut self, field: &str) -> Option<T> {
        let s = self.raw(field);
        if s.is_empty() {
            return None;
        }
        match T::parse(s) {
            Some(v) => Some(v),
            None => {
                self.error(field, msg::unknown_code(s, &T::codes_list()));
                None
            }
        }
    }

    /// Codes separated by `;`, duplicates dropped, order kept.
    pub fn codes<T: Code>(&mut self, field: &str) -> Vec<T> {
        let mut out: Vec<T> = Vec::new();
        for part in self
            .raw(field)
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match T::parse(part) {
                Some(v) if !out.contains(&v) => out.push(v),
                Some(_) => {}
                None => {
                    self.error(field, msg::unknown_code(part, &T::codes_list()));
                    return Vec::new();
                }
            }
        }
        out
    }

    /// Whole numbers separated by `;` (residential group numbers), sorted, unique.
    pub fn numbers(&mut self, field: &str, max: u32) -> Vec<u32> {
        let mut out = Vec::new();
        for part in self
            .raw(field)
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => out.push(n),
                _ => {
                    self.error(field, format!("«{part}» không phải số tổ dân phố hợp lệ."));
                    return Vec::new();
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Records an error on `later` if it is before `earlier`.
    pub fn not_before(
        &mut self,
        later_field: &str,
        later: Option<NaiveDate>,
        earlier: Option<NaiveDate>,
        earlier_label: &str,
    ) {
        if let (Some(l), Some(e)) = (later, earlier) {
            if l < e {
                self.error(
                    later_field,
                    msg::not_before(&format!("{earlier_label} ({})", dates::vn(e))),
                );
            }
        }
    }

    /// Moves the errors recorded since the first `parsed` ones (a cross-field check run
    /// after every field was read) to where they would be had the check run right after
    /// the field `after`: behind the errors of the columns up to it, ahead of the later
    /// ones. Field errors are recorded in column order.
    pub fn place_checks(&mut self, parsed: usize, columns: &[Column], after: &str) {
        let checks = self.errors.0.split_off(parsed);
        let position = |field: &str| columns.iter().position(|c| c.name == field);
        let limit = position(after);
        let at = self
            .errors
            .0
            .iter()
            .position(|e| position(&e.field) > limit)
            .unwrap_or(self.errors.0.len());
        self.errors.0.splice(at..at, checks);
    }

    /// `Ok(value)` if no error was recorded.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        self.errors.into_result().map(|_| value)
    }
}

/// `15.135` or `1.234.567`: dots exactly every three digits.
fn is_grouped(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() > 1
        && !parts[0].is_empty()
        && parts[0].len() <= 3
        && parts[1..].iter().all(|p| p.len() == 3)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Topic;

    fn input(pairs: &[(&str, &str)]) -> Input {
        pairs.iter().map(|(k, v)| (*k, *v)).collect()
    }

    #[test]
    fn whole_numbers_at_the_boundaries() {
        let i = input(&[
            ("a", "0"),
            ("b", "-1"),
            ("c", "15.135"),
            ("d", "1,5"),
            ("e", "100001"),
            ("f", "99999999999999999999"),
        ]);
        let mut p = Parser::new(&i);
        assert_eq!(p.opt_whole("a", 0, 100_000), Some(0));
        assert_eq!(p.opt_whole("b", 0, 100_000), None);
        assert_eq!(p.opt_whole("c", 0, 100_000), Some(15135));
        assert_eq!(p.opt_whole("d", 0, 100_000), None);
        assert_eq!(p.opt_whole("e", 0, 100_000), None);
        assert_eq!(p.opt_whole("f", 0, 100_000), None);
        assert_eq!(p.whole("missing", 1, 10), 1);
        assert_eq!(p.errors.get("b"), Some(msg::BAD_WHOLE));
        assert_eq!(p.errors.get("missing"), Some(msg::REQUIRED));
        assert_eq!(p.errors.0.len(), 5);
    }

    #[test]
    fn bidirectional_controls_are_refused_in_every_text() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}',
        ] {
            let text = format!("Hội nghị {c}cba");
            let i = input(&[("t", &text)]);
            let mut p = Parser::new(&i);
            assert_eq!(p.opt_text("t", LONG), None, "{c:?}");
            assert_eq!(p.errors.get("t"), Some(msg::BIDI_CHARS));
        }
        // Vietnamese, Arabic or Hebrew letters themselves are fine.
        let i = input(&[("t", "Hội nghị שלום مرحبا")]);
        assert!(Parser::new(&i).opt_text("t", SHORT).is_some());
    }

    #[test]
    fn text_is_trimmed_bounded_and_clean() {
        let long = "ạ".repeat(201);
        let i = input(&[
            ("t", "  Hội nghị  "),
            ("blank", "   "),
            ("long", &long),
            ("ctl", "a\u{7}b"),
            ("nl", "a\nb"),
        ]);
        let mut p = Parser::new(&i);
        assert_eq!(p.text("t", SHORT), "Hội nghị");
        assert_eq!(p.text("blank", SHORT), "");
        assert_eq!(p.opt_text("long", SHORT), None);
        assert_eq!(p.opt_text("ctl", LONG), None);
        assert_eq!(p.opt_text("nl", SHORT), None);
        assert_eq!(p.opt_text("nl", LONG), Some("a\nb".into()));
        assert_eq!(p.errors.get("blank"), Some(msg::REQUIRED));
        assert_eq!(p.errors.get("long"), Some(msg::too_long(SHORT).as_str()));
        assert_eq!(p.errors.get("ctl"), Some(msg::CONTROL_CHARS));
        // exactly the maximum is fine
        let ok = "ạ".repeat(200);
        let i = input(&[("t", &ok)]);
        assert_eq!(Parser::new(&i).opt_text("t", SHORT), Some(ok));
    }

    #[test]
    fn code_lists() {
        let i = input(&[("t", "qcdc; Pháp lệnh 34;qcdc"), ("bad", "qcdc;nope")]);
        let mut p = Parser::new(&i);
        assert_eq!(p.codes::<Topic>("t"), vec![Topic::Qcdc, Topic::Ordinance34]);
        assert!(p.codes::<Topic>("bad").is_empty());
        assert!(p.errors.get("bad").is_some_and(|m| m.contains("nope")));
    }

    #[test]
    fn group_numbers() {
        let i = input(&[("g", "12; 3;3"), ("bad", "1;x")]);
        let mut p = Parser::new(&i);
        assert_eq!(p.numbers("g", 999), vec![3, 12]);
        assert!(p.numbers("bad", 999).is_empty());
        assert!(p.errors.get("bad").is_some());
    }
}
