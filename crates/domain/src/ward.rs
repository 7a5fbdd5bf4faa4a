//! The ward itself: its names over time, its Party-committee terms and the review
//! periods it defines.

use chrono::NaiveDate;

use crate::dates;
use crate::error::FieldErrors;
use crate::input::{Input, Parser, SHORT};

#[derive(Debug, Clone, PartialEq)]
pub struct Ward {
    pub name: String,
    pub district: Option<String>,
    pub province: Option<String>,
}

impl Ward {
    pub fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let name = p.text("name", SHORT);
        let district = p.opt_text("district", SHORT);
        let province = p.opt_text("province", SHORT);
        p.finish(Ward {
            name,
            district,
            province,
        })
    }
    /// "Ngọc Thụy" from "Phường Ngọc Thụy", for the place-and-date line.
    pub fn place_name(&self) -> &str {
        self.name
            .strip_prefix("Phường ")
            .or_else(|| self.name.strip_prefix("Xã "))
            .unwrap_or(&self.name)
    }
}

/// A ward's code in a database that holds several (a city's): the official
/// administrative-unit code or a slug such as `ngoc-thuy` — ASCII letters, digits and
/// `-`, 2–40 characters, kept in lower case. Commands name a ward by it (`--ward`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WardCode(String);

impl WardCode {
    /// The code, or the Vietnamese reason it is not one.
    pub fn parse(s: &str) -> Result<WardCode, String> {
        let s = s.trim();
        let ok = (2..=40).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(WardCode(s.to_ascii_lowercase()))
        } else {
            Err(format!(
                "mã phường «{s}» không hợp lệ: 2–40 ký tự gồm chữ không dấu, số và '-' (ví dụ ngoc-thuy hoặc 00145)"
            ))
        }
    }

    /// A code made from the ward's name: "Phường Ngọc Thụy" gives `ngoc-thuy`.
    pub fn from_name(name: &str) -> WardCode {
        let folded = crate::text::fold(name.trim()).to_lowercase();
        let bare = ["phuong ", "xa ", "thi tran "]
            .iter()
            .find_map(|p| folded.strip_prefix(p))
            .unwrap_or(&folded);
        let mut code = String::new();
        for c in bare.chars() {
            if c.is_ascii_alphanumeric() {
                code.push(c);
            } else if !code.is_empty() && !code.ends_with('-') {
                code.push('-');
            }
        }
        let mut code: String = code.trim_end_matches('-').chars().take(40).collect();
        code = code.trim_end_matches('-').to_string();
        if code.len() < 2 {
            code = format!("phuong-{code}").trim_end_matches('-').to_string();
        }
        WardCode(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for WardCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How long publicity must last, per ward (DOMAIN §3, configurable): a posting stays up
/// at least `posting_days` days (long-standing rule: 30); under the 2022 law some items
/// go out on the loudspeakers on at least `broadcast_days` consecutive days (3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicityMinimums {
    pub posting_days: u32,
    pub broadcast_days: u32,
}

impl Default for PublicityMinimums {
    fn default() -> Self {
        PublicityMinimums {
            posting_days: 30,
            broadcast_days: 3,
        }
    }
}

impl PublicityMinimums {
    /// The form's fields and labels.
    pub const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("posting_days", "Niêm yết tối thiểu (ngày)"),
        (
            "broadcast_days",
            "Phát trên Đài truyền thanh tối thiểu (ngày liên tục)",
        ),
    ];

    pub fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let posting_days = p.whole("posting_days", 1, 365);
        let broadcast_days = p.whole("broadcast_days", 1, 30);
        p.finish(PublicityMinimums {
            posting_days,
            broadcast_days,
        })
    }

    pub fn to_input(&self) -> Input {
        Input::new()
            .with("posting_days", self.posting_days.to_string())
            .with("broadcast_days", self.broadcast_days.to_string())
    }
}

/// A name that holds from a date until the next entry (district, superior Party body).
#[derive(Debug, Clone, PartialEq)]
pub struct NameFrom {
    pub from: NaiveDate,
    pub district: Option<String>,
    pub superior_body: Option<String>,
}

/// The names valid on `day` from a history sorted or not.
pub fn names_on(history: &[NameFrom], day: NaiveDate) -> Option<&NameFrom> {
    history
        .iter()
        .filter(|h| h.from <= day)
        .max_by_key(|h| h.from)
}

/// A Party-committee term (nhiệm kỳ): it starts on `start` and runs until the next
/// term starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub name: String,
    pub start: NaiveDate,
}

impl Term {
    pub fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let name = p.text("name", 60);
        let start = p.date("start");
        p.finish(Term { name, start })
    }
}

/// Default terms when a ward has configured none: 2010–2015, 2015–2020, 2020–2025,
/// 2025–2030 and five-year steps before, back to 1990, each starting on 1 January.
pub fn default_terms() -> Vec<Term> {
    (0..9)
        .map(|i| {
            let y = 1990 + 5 * i;
            Term {
                name: format!("{}-{}", y, y + 5),
                start: dates::ymd(y, 1, 1).unwrap_or_default(),
            }
        })
        .collect()
}

/// A named review period (giai đoạn) with both ends included.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewPeriod {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl ReviewPeriod {
    pub fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let name = p.text("name", 60);
        let start = p.date("start");
        let end = p.date("end");
        if p.errors.is_empty() && end < start {
            p.error(
                "end",
                format!("Không được trước ngày bắt đầu ({}).", dates::vn(start)),
            );
        }
        p.finish(ReviewPeriod { name, start, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_terms_cover_the_usual_names() {
        let names: Vec<_> = default_terms().into_iter().map(|t| t.name).collect();
        assert!(names.contains(&"2015-2020".to_string()));
        assert!(names.contains(&"2025-2030".to_string()));
        assert_eq!(names.first().map(String::as_str), Some("1990-1995"));
    }

    #[test]
    fn names_follow_the_date() {
        let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).expect("date");
        let h = vec![
            NameFrom {
                from: d(1998),
                district: Some("Huyện Gia Lâm".into()),
                superior_body: None,
            },
            NameFrom {
                from: d(2004),
                district: Some("Quận Long Biên".into()),
                superior_body: None,
            },
        ];
        assert_eq!(
            names_on(&h, d(2018)).and_then(|n| n.district.as_deref()),
            Some("Quận Long Biên")
        );
        assert_eq!(
            names_on(&h, d(2003)).and_then(|n| n.district.as_deref()),
            Some("Huyện Gia Lâm")
        );
        assert!(names_on(&h, d(1990)).is_none());
    }

    #[test]
    fn review_period_order() {
        let i: Input = [
            ("name", "2014-nay"),
            ("start", "2014-01-01"),
            ("end", "2013-12-31"),
        ]
        .into_iter()
        .collect();
        assert!(ReviewPeriod::parse(&i).is_err());
        let w = Ward {
            name: "Phường Ngọc Thụy".into(),
            district: None,
            province: None,
        };
        assert_eq!(w.place_name(), "Ngọc Thụy");
    }
}

#[cfg(test)]
mod code_tests {
    use super::WardCode;

    #[test]
    fn codes_are_letters_digits_and_dashes() {
        assert_eq!(
            WardCode::parse(" Ngoc-Thuy ").map(|c| c.to_string()),
            Ok("ngoc-thuy".into())
        );
        assert_eq!(
            WardCode::parse("00145").map(|c| c.to_string()),
            Ok("00145".into())
        );
        for bad in [
            "",
            "x",
            "ngọc-thụy",
            "a b",
            "-ab",
            "ab-",
            "a/b",
            &"a".repeat(41),
        ] {
            assert!(WardCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_code_is_made_from_the_name() {
        assert_eq!(
            WardCode::from_name("Phường Ngọc Thụy").as_str(),
            "ngoc-thuy"
        );
        assert_eq!(WardCode::from_name("Xã Đông Anh").as_str(), "dong-anh");
        assert_eq!(WardCode::from_name("Phường  Số 2 (cũ)").as_str(), "so-2-cu");
        assert_eq!(WardCode::from_name("Phường").as_str(), "phuong");
        assert!(WardCode::parse(WardCode::from_name("Phường Ồ").as_str()).is_ok());
    }
}
