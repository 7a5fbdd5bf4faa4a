//! Vietnamese text as people search and sort it: without diacritics when searching
//! (`hoa giai` finds `hòa giải`, `đ` is `d`), and in Vietnamese alphabetical order with
//! numbers in their natural order when sorting ("Chi bộ khu dân cư số 2" before "số 10").

use std::cmp::Ordering;

/// The base letter of a Vietnamese letter (any case, any tone and vowel mark), with
/// `đ`/`Đ` as `d`; other characters lower-cased.
fn base(c: char) -> char {
    const GROUPS: &[(&str, char)] = &[
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
    ];
    if c.is_ascii() {
        return c.to_ascii_lowercase(); // no ASCII letter carries a mark
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    GROUPS
        .iter()
        .find(|(set, _)| set.contains(lower))
        .map(|(_, b)| *b)
        .unwrap_or(lower)
}

/// Lower case without diacritics: the form in which text is searched.
pub fn fold(s: &str) -> String {
    s.chars().map(base).collect()
}

/// The position of a Vietnamese letter in the alphabet (a ă â b c d đ e ê … o ô ơ …
/// u ư … y) and of its tone (none, grave, acute, hook, tilde, dot), for sorting.
fn letter_key(c: char) -> (u32, u32) {
    const ALPHABET: &[&str] = &[
        "aàáảãạ",
        "ăằắẳẵặ",
        "âầấẩẫậ",
        "b",
        "c",
        "d",
        "đ",
        "eèéẻẽẹ",
        "êềếểễệ",
        "f",
        "g",
        "h",
        "iìíỉĩị",
        "j",
        "k",
        "l",
        "m",
        "n",
        "oòóỏõọ",
        "ôồốổỗộ",
        "ơờớởỡợ",
        "p",
        "q",
        "r",
        "s",
        "t",
        "uùúủũụ",
        "ưừứửữự",
        "v",
        "w",
        "x",
        "yỳýỷỹỵ",
        "z",
    ];
    let lower = c.to_lowercase().next().unwrap_or(c);
    for (i, letters) in ALPHABET.iter().enumerate() {
        if let Some(tone) = letters.chars().position(|l| l == lower) {
            return (1000 + i as u32, tone as u32);
        }
    }
    (lower as u32 + 2000, 0)
}

/// A piece of a name for sorting: a run of digits (compared as a number) or a character.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Piece {
    Number(u128),
    Letter((u32, u32)),
}

fn pieces(s: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(d) = c.to_digit(10) {
            let mut n = u128::from(d);
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(u128::from(d));
                chars.next();
            }
            out.push(Piece::Number(n));
        } else {
            out.push(Piece::Letter(letter_key(c)));
        }
    }
    out
}

/// Vietnamese alphabetical order, numbers compared as numbers.
pub fn vn_cmp(a: &str, b: &str) -> Ordering {
    pieces(a).cmp(&pieces(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_tones_and_marks() {
        assert_eq!(fold("Hòa giải"), "hoa giai");
        assert_eq!(fold("Pháp lệnh"), "phap lenh");
        assert_eq!(fold("Đảng ủy ĐỒNG"), "dang uy dong");
        assert_eq!(fold("Tổ dân phố số 12"), "to dan pho so 12");
        assert!(fold("Hội nghị hòa giải ở cơ sở").contains(&fold("hoa giai")));
    }

    #[test]
    fn names_sort_in_vietnamese_order_with_natural_numbers() {
        let mut v = vec![
            "Chi bộ khu dân cư số 10",
            "Chi bộ khu dân cư số 2",
            "Đội",
            "Dung",
            "Ân",
            "An",
            "Ăn",
            "Bình",
        ];
        v.sort_by(|a, b| vn_cmp(a, b));
        assert_eq!(
            v,
            [
                "An",
                "Ăn",
                "Ân",
                "Bình",
                "Chi bộ khu dân cư số 2",
                "Chi bộ khu dân cư số 10",
                "Dung",
                "Đội"
            ]
        );
    }
}
