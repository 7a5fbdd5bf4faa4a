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

/// A decimal with `decimals` places, Vietnamese separators: `1234.5` → `1.234,5`.
pub fn decimal(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let int: i64 = int.parse().unwrap_or(0);
    let mut out = thousands(int);
    if x < 0.0 && (out != "0" || frac.is_some_and(|f| f.bytes().any(|b| b != b'0'))) {
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
        assert_eq!(decimal(-2.25, 1), "-2,2");
        assert_eq!(percent(0.991), "99,1%");
        assert_eq!(percent(1.0), "100,0%");
        assert_eq!(decimal(f64::NAN, 1), "—");
    }
}
