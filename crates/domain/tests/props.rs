//! Property tests of the validating constructors: they never panic on any input, they
//! accept every well-formed value, and what they accept survives `to_input` → `parse`.

use chrono::{Datelike, NaiveDate};
use domain::dates::{self, parse_date};
use domain::{
    fmt, Column, ColumnType, Commendation, CommitteeMember, CommunityDecision, Conference,
    Consultation, Dialogue, Document, FieldErrors, HotSpot, Input, Inspection,
    InspectionBoardActivity, InspectionBoardTerm, Kind, Opinion, PartyCell, PublicityItem, Record,
    ResidentialGroup, SupervisionActivity, SupervisionBoard,
};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Failures print their minimal input; no regression files in the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ------------------------------------------------------------------ dates

fn valid_date() -> impl Strategy<Value = NaiveDate> {
    (dates::MIN_YEAR..=dates::MAX_YEAR, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| {
        // Clamp the day into the month instead of filtering, so no case is wasted.
        (1..=d)
            .rev()
            .find_map(|d| NaiveDate::from_ymd_opt(y, m, d))
            .expect("day 1 exists")
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parse_date_never_panics(s in any::<String>()) {
        let _ = parse_date(&s);
    }

    #[test]
    fn parse_date_never_panics_on_date_like_text(s in "[0-9/+ -]{0,14}") {
        if let Ok(d) = parse_date(&s) {
            prop_assert!((dates::MIN_YEAR..=dates::MAX_YEAR).contains(&d.year()));
        }
    }

    #[test]
    fn valid_dates_round_trip_in_both_formats(d in valid_date()) {
        prop_assert_eq!(parse_date(&dates::iso(d)), Ok(d));
        prop_assert_eq!(parse_date(&dates::vn(d)), Ok(d));
        let unpadded = format!(" {}/{}/{} ", d.day(), d.month(), d.year());
        prop_assert_eq!(parse_date(&unpadded), Ok(d));
    }

    #[test]
    fn thousands_is_digits_and_dots_that_read_back(n in any::<i64>()) {
        let s = fmt::thousands(n);
        let unsigned = s.strip_prefix('-').unwrap_or(&s);
        prop_assert_eq!(s.starts_with('-'), n < 0);
        prop_assert!(unsigned.split('.').enumerate().all(|(i, g)| {
            !g.is_empty() && g.len() <= 3 && (i == 0 || g.len() == 3)
                && g.bytes().all(|b| b.is_ascii_digit())
        }), "{}", s);
        prop_assert_eq!(s.replace('.', "").parse::<i64>(), Ok(n));
    }
}

// ------------------------------------------------------------------ records

/// Parses as `kind`; on success, checks that the canonical form is a fixed point.
fn parse_kind(kind: Kind, input: &Input) -> Result<Input, FieldErrors> {
    fn go<T: Record>(input: &Input) -> Result<Input, FieldErrors> {
        let r = T::parse(input)?;
        let canonical = r.to_input();
        let again = T::parse(&canonical).expect("the canonical form parses");
        assert_eq!(again, r, "to_input → parse gives the same record");
        assert_eq!(again.to_input(), canonical, "canonical form is stable");
        Ok(canonical)
    }
    match kind {
        Kind::ResidentialGroups => go::<ResidentialGroup>(input),
        Kind::PartyCells => go::<PartyCell>(input),
        Kind::CommitteeMembers => go::<CommitteeMember>(input),
        Kind::Conferences => go::<Conference>(input),
        Kind::Publicity => go::<PublicityItem>(input),
        Kind::Dialogues => go::<Dialogue>(input),
        Kind::Opinions => go::<Opinion>(input),
        Kind::Documents => go::<Document>(input),
        Kind::Inspections => go::<Inspection>(input),
        Kind::Commendations => go::<Commendation>(input),
        Kind::HotSpots => go::<HotSpot>(input),
        Kind::CommunityDecisions => go::<CommunityDecision>(input),
        Kind::Consultations => go::<Consultation>(input),
        Kind::InspectionBoardTerms => go::<InspectionBoardTerm>(input),
        Kind::InspectionBoardActivities => go::<InspectionBoardActivity>(input),
        Kind::SupervisionBoards => go::<SupervisionBoard>(input),
        Kind::SupervisionActivities => go::<SupervisionActivity>(input),
    }
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(Kind::ALL.to_vec())
}

/// Anything a form or CSV cell might carry, biased towards almost-valid text.
fn messy_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9./ ;-]{0,25}",
        "[a-z_; ]{0,20}",
        "\\PC{0,300}",
        Just(String::new()),
        Just("ạ".repeat(5001)),
    ]
}

fn messy_input(kind: Kind) -> impl Strategy<Value = Input> {
    let names: Vec<&'static str> = kind.columns().iter().map(|c| c.name).collect();
    (
        prop::collection::vec(prop::option::of(messy_value()), names.len()),
        prop::collection::btree_map("[a-z_]{1,8}", messy_value(), 0..3),
    )
        .prop_map(move |(values, extra)| {
            let mut i = Input(extra);
            for (name, v) in names.iter().zip(values) {
                if let Some(v) = v {
                    i.set(name, v);
                }
            }
            i
        })
}

/// Fields whose validity depends on another field; the valid generator leaves them
/// empty (and statuses open) so that every generated input is valid on its own.
const CROSS_FIELD: &[&str] = &[
    "resolved_on",
    "posted_from",
    "posted_until",
    "dissolved",
    "active_until",
    "result_published_on",
    "member_names",
    "until",
    "follow_up",
];

/// Makes the generated figures that the law's kinds compare with each other possible:
/// in favour ≤ represented ≤ households, taken up ≤ received, a board's size in range,
/// a consultation ending on or after its first day.
fn consistent(kind: Kind, mut i: Input) -> Input {
    let num = |i: &Input, f: &str| i.get(f).trim().parse::<u32>().unwrap_or(1);
    match kind {
        Kind::CommunityDecisions => {
            let mut v = [
                num(&i, "households"),
                num(&i, "represented"),
                num(&i, "in_favour"),
            ];
            v.sort_unstable();
            i.set("households", v[2].to_string());
            i.set("represented", v[1].to_string());
            i.set("in_favour", v[0].to_string());
        }
        Kind::Consultations => {
            let (a, b) = (num(&i, "responses"), num(&i, "taken_up"));
            i.set("responses", a.max(b).to_string());
            i.set("taken_up", a.min(b).to_string());
            let from = i.get("consulted_from").to_string();
            i.set("consulted_until", from);
        }
        Kind::InspectionBoardTerms => {
            let n = 5 + num(&i, "members") % 7;
            i.set("members", n.to_string());
        }
        Kind::SupervisionBoards => {
            let n = num(&i, "members").max(5);
            i.set("members", n.to_string());
        }
        _ => {}
    }
    i
}

fn text(max_len: usize, multiline: bool) -> BoxedStrategy<String> {
    let body = if multiline {
        "[a-zA-Z0-9àáạảãâầấậẩẫăằắặẳẵđêếềệểễôồốộổỗơờớợởỡưừứựửữ '\"<>&;.,\n-]"
    } else {
        "[a-zA-Z0-9àáạảãâầấậẩẫăằắặẳẵđêếềệểễôồốộổỗơờớợởỡưừứựửữ '\"<>&;.,-]"
    };
    (
        prop::string::string_regex(&format!("{body}{{0,{}}}", max_len - 1)).expect("regex"),
        "[a-zA-Zđạ]",
        "[ ]{0,2}",
    )
        .prop_map(|(s, last, pad)| format!("{pad}{s}{last}{pad}"))
        .boxed()
}

fn valid_value(c: &Column) -> BoxedStrategy<String> {
    match c.ty {
        ColumnType::Text | ColumnType::PartyCell | ColumnType::DialogueRef => text(40, false),
        ColumnType::LongText => text(300, true),
        ColumnType::Date => (valid_date(), any::<bool>())
            .prop_map(|(d, iso)| if iso { dates::iso(d) } else { dates::vn(d) })
            .boxed(),
        // 1..=999 fits every whole-number field's range.
        ColumnType::Whole | ColumnType::Group => (1u32..=999).prop_map(|n| n.to_string()).boxed(),
        ColumnType::Groups => prop::collection::vec(1u32..=999, 0..5)
            .prop_map(|v| {
                v.iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(";")
            })
            .boxed(),
        ColumnType::Code(options) => {
            let choices: Vec<String> = if c.name == "status" {
                vec!["open".into()]
            } else {
                options()
                    .into_iter()
                    .flat_map(|(code, label)| [code.to_string(), label.to_string()])
                    .collect()
            };
            prop::sample::select(choices).boxed()
        }
        ColumnType::Codes(options) => {
            let codes: Vec<&'static str> = options().into_iter().map(|(c, _)| c).collect();
            prop::sample::subsequence(codes.clone(), 0..=codes.len().min(4))
                .prop_map(|v| v.join("; "))
                .boxed()
        }
    }
}

fn valid_input(kind: Kind) -> BoxedStrategy<Input> {
    let cols: Vec<&'static Column> = kind
        .columns()
        .iter()
        .filter(|c| !CROSS_FIELD.contains(&c.name))
        .collect();
    let strategies: Vec<BoxedStrategy<Option<String>>> = cols
        .iter()
        .map(|c| {
            if c.required {
                valid_value(c).prop_map(Some).boxed()
            } else {
                prop::option::of(valid_value(c)).boxed()
            }
        })
        .collect();
    strategies
        .prop_map(move |values| {
            let mut i = Input::new();
            for (c, v) in cols.iter().zip(values) {
                if let Some(v) = v {
                    i.set(c.name, v);
                }
            }
            consistent(kind, i)
        })
        .boxed()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parse_never_panics_on_any_input((k, input) in kind().prop_flat_map(|k| (Just(k), messy_input(k)))) {
        if let Err(e) = parse_kind(k, &input) {
            prop_assert!(!e.is_empty());
            for f in e.iter() {
                prop_assert!(!f.message.is_empty());
                prop_assert!(k.column(&f.field).is_some(), "error on an unknown field {}", f.field);
            }
        }
    }

    #[test]
    fn valid_inputs_parse_and_round_trip((k, input) in kind().prop_flat_map(|k| (Just(k), valid_input(k)))) {
        let canonical = match parse_kind(k, &input) {
            Ok(c) => c,
            Err(e) => return Err(TestCaseError::fail(format!("{k:?} refused {input:?}: {e}"))),
        };
        // Text is kept as typed, only trimmed (and CRLF made LF).
        for c in k.columns().iter().filter(|c| matches!(c.ty, ColumnType::Text | ColumnType::LongText)) {
            prop_assert_eq!(canonical.get(c.name), input.get(c.name).trim());
        }
        // Dates come out ISO, whichever way they went in.
        for c in k.columns().iter().filter(|c| matches!(c.ty, ColumnType::Date)) {
            let raw = input.get(c.name);
            if !raw.is_empty() {
                prop_assert_eq!(canonical.get(c.name), dates::iso(parse_date(raw).expect("valid")));
            }
        }
    }
}
