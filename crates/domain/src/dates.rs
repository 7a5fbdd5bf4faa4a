//! Calendar dates as users type and read them: `dd/mm/yyyy` or `yyyy-mm-dd` in,
//! `dd/mm/yyyy` or the formal "ngày 18 tháng 02 năm 1998" out. No time zones.

use chrono::{Datelike, NaiveDate};

/// The earliest and latest year a record may carry. Directive 30 dates from 1998; the
/// lower bound leaves room for older documents without accepting typos like 0201.
pub const MIN_YEAR: i32 = 1950;
pub const MAX_YEAR: i32 = 2100;

/// Why a text is not a date a record may carry. The forms and the importer word these
/// for the user; the messages here are for logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("not a date in dd/mm/yyyy or yyyy-mm-dd form")]
    Malformed,
    #[error("year outside {MIN_YEAR}–{MAX_YEAR}")]
    OutOfRange,
}

/// Parses `YYYY-MM-DD` or `dd/mm/yyyy` (also `d/m/yyyy`), trimmed, and checks the sane range.
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    let parsed = if s.contains('/') {
        let parts: Vec<&str> = s.split('/').collect();
        match parts.as_slice() {
            [d, m, y]
                if y.len() == 4
                    && !d.is_empty()
                    && d.len() <= 2
                    && !m.is_empty()
                    && m.len() <= 2 =>
            {
                match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
                    (Ok(d), Ok(m), Ok(y)) if all_digits(&[parts[0], parts[1], parts[2]]) => {
                        NaiveDate::from_ymd_opt(y, m, d)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    } else {
        let parts: Vec<&str> = s.split('-').collect();
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 && all_digits(&[y, m, d]) => {
                match (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
                    (Ok(y), Ok(m), Ok(d)) => NaiveDate::from_ymd_opt(y, m, d),
                    _ => None,
                }
            }
            _ => None,
        }
    };
    let date = parsed.ok_or(DateError::Malformed)?;
    if date.year() < MIN_YEAR || date.year() > MAX_YEAR {
        return Err(DateError::OutOfRange);
    }
    Ok(date)
}

fn all_digits(parts: &[&str]) -> bool {
    parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// `dd/mm/yyyy`, as the UI shows dates.
pub fn vn(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `yyyy-mm-dd`, as stored and exported.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// "ngày 18 tháng 02 năm 1998", "ngày 27 tháng 6 năm 2018": the formal form of Party
/// and state documents. The rule (Guidance 36-HD/VPTW, Decree 30/2020) pads days below
/// 10 and the months 1 and 2 with a zero, so that no digit can be added in front later;
/// other months are written as they are.
pub fn formal(d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {} năm {}", d.day(), month, d.year())
}

pub fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("valid test date")
    }

    #[test]
    fn both_formats_parse() {
        assert_eq!(parse_date("2018-06-28"), Ok(d(2018, 6, 28)));
        assert_eq!(parse_date("28/06/2018"), Ok(d(2018, 6, 28)));
        assert_eq!(parse_date(" 8/6/2018 "), Ok(d(2018, 6, 8)));
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused() {
        for s in [
            "",
            "2018-02-30",
            "31/04/2018",
            "2018/06/28",
            "28-06-2018",
            "18-6-28",
            "2018-6-28",
            "28/06/18",
            "+2018-06-28",
            "２０１８-06-28",
            "29/02/2019",
            "1/1/20188",
            "aa/bb/cccc",
        ] {
            assert_eq!(parse_date(s), Err(DateError::Malformed), "{s:?}");
        }
        assert_eq!(parse_date("29/02/2020"), Ok(d(2020, 2, 29)));
    }

    #[test]
    fn range_is_bounded() {
        assert_eq!(parse_date("1949-12-31"), Err(DateError::OutOfRange));
        assert_eq!(parse_date("1950-01-01"), Ok(d(1950, 1, 1)));
        assert_eq!(parse_date("31/12/2100"), Ok(d(2100, 12, 31)));
        assert_eq!(parse_date("01/01/2101"), Err(DateError::OutOfRange));
    }

    #[test]
    fn formats() {
        assert_eq!(vn(d(1998, 2, 18)), "18/02/1998");
        assert_eq!(iso(d(1998, 2, 18)), "1998-02-18");
        assert_eq!(formal(d(1998, 2, 18)), "ngày 18 tháng 02 năm 1998");
        assert_eq!(formal(d(2018, 6, 27)), "ngày 27 tháng 6 năm 2018");
        assert_eq!(formal(d(2018, 12, 5)), "ngày 05 tháng 12 năm 2018");
        assert_eq!(formal(d(2019, 1, 10)), "ngày 10 tháng 01 năm 2019");
    }
}
