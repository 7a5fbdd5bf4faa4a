//! Vietnamese number formatting: `15.135` for thousands, `99,1` for decimals.

/// `15135` → `15.135`, `-1234567` → `-1.234.567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// The one rounding rule of every output (page, CSV, XLSX, review text, .docx): a rate
/// `part / whole` in percent, computed in integers and rounded half up to one decimal,
/// returned in tenths of a percent. 10/32 = 31,25% gives `313` (31,3%); `None` when
/// `whole` is not positive (nothing to divide).
pub fn rate_tenths(part: i64, whole: i64) -> Option<i64> {
    if whole <= 0 {
        return None;
    }
    // ⌊(1000·part + whole/2) / whole⌋, exactly, in 128 bits: half up, also for ties.
    let (part, whole) = (i128::from(part), i128::from(whole));
    let t = (2000 * part + whole).div_euclid(2 * whole);
    Some(i64::try_from(t).unwrap_or(if t < 0 { i64::MIN } else { i64::MAX }))
}

/// Tenths written with one decimal and `sep` as the decimal mark: `313` → `31,3` (`','`)
/// or `31.3` (`'.'`), the integer part grouped by dots when `sep` is `','`.
pub fn tenths(t: i64, sep: char) -> String {
    let (int, frac) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
    let sign = if t < 0 { "-" } else { "" };
    let int = if sep == ',' {
        thousands(i64::try_from(int).unwrap_or(i64::MAX))
    } else {
        int.to_string()
    };
    format!("{sign}{int}{sep}{frac}")
}

/// A decimal with `decimals` places, Vietnamese separators: `1234.5` → `1.234,5`. Ties
/// are rounded half up (away from zero), the rule of [`rate_tenths`]: `5.25` → `5,3`.
pub fn decimal(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let scale = 10f64.powi(i32::try_from(decimals).unwrap_or(i32::MAX));
    let s = format!("{:.*}", decimals, (x.abs() * scale).round() / scale);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let int: i64 = int.parse().unwrap_or(0);
    let mut out = thousands(int);
    let nonzero = out != "0" || frac.is_some_and(|f| f.bytes().any(|b| b != b'0'));
    if x < 0.0 && nonzero {
        out.insert(0, '-');
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// A percentage with one decimal: `0.991` → `99,1%`.
pub fn percent(ratio: f64) -> String {
    format!("{}%", decimal(ratio * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_by_dots() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1.000");
        assert_eq!(thousands(15135), "15.135");
        assert_eq!(thousands(1234567), "1.234.567");
        assert_eq!(thousands(-1234), "-1.234");
    }

    #[test]
    fn decimals_use_commas() {
        assert_eq!(decimal(1234.5, 1), "1.234,5");
        assert_eq!(decimal(0.0, 1), "0,0");
        assert_eq!(decimal(-2.25, 1), "-2,3");
        assert_eq!(decimal(5.25, 1), "5,3");
        assert_eq!(decimal(31.25, 1), "31,3");
        assert_eq!(percent(0.991), "99,1%");
        assert_eq!(percent(1.0), "100,0%");
        assert_eq!(decimal(f64::NAN, 1), "—");
    }

    #[test]
    fn rates_round_half_up_from_integers() {
        assert_eq!(rate_tenths(10, 32), Some(313));
        assert_eq!(tenths(313, ','), "31,3");
        assert_eq!(tenths(313, '.'), "31.3");
        assert_eq!(rate_tenths(2, 3), Some(667));
        assert_eq!(rate_tenths(1, 3), Some(333));
        assert_eq!(rate_tenths(1, 8), Some(125));
        assert_eq!(rate_tenths(1, 16), Some(63));
        assert_eq!(rate_tenths(1, 1), Some(1000));
        assert_eq!(tenths(1000, ','), "100,0");
        assert_eq!(tenths(123_456, ','), "12.345,6");
        assert_eq!(rate_tenths(0, 5), Some(0));
        assert_eq!(rate_tenths(3, 0), None);
        assert_eq!(tenths(-5, ','), "-0,5");
        // Every tie of a whole of 32 or less rounds up.
        for whole in 1..=32 {
            for part in 0..=whole {
                let exact = part as f64 * 1000.0 / whole as f64;
                let t = rate_tenths(part, whole).expect("rate");
                assert!(
                    (t as f64 - exact) <= 0.5 && (exact - t as f64) < 0.5,
                    "{part}/{whole}"
                );
            }
        }
    }
}
