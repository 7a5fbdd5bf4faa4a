//! Property tests of the CSV importer's pure part: on any bytes it never panics, and
//! it either plans the rows or returns problems located on rows that exist.

use app::import::{check, decode, legacy_guess, ImportError};
use domain::Kind;
use proptest::prelude::*;
use store::imports::Registers;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Failures print their minimal input; no regression files in the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn registers() -> Registers {
    let mut r = Registers::default();
    r.groups.extend([1, 2, 3]);
    r.party_cells.insert("Chi bộ số 1".into());
    r.dialogue_refs.insert(
        "DT-1".into(),
        chrono::NaiveDate::from_ymd_opt(2018, 5, 1).expect("date"),
    );
    r
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(Kind::ALL.to_vec())
}

/// A cell as spreadsheets and people write them, good and bad.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9./-]{0,12}",
        "[a-zA-Zạđ ;_]{0,12}",
        Just("2018-06-28".to_string()),
        Just("28/06/2018".to_string()),
        Just("DT-1".to_string()),
        Just("1".to_string()),
        Just("\"".to_string()),
        Just("\"a,\nb\"".to_string()),
        Just(String::new()),
        any::<String>(),
    ]
}

/// A file with the kind's header (some columns dropped or unknown ones added) and rows
/// of random cells, joined with commas and line breaks of either kind.
fn csv_like(kind: Kind) -> impl Strategy<Value = String> {
    let names: Vec<String> = kind.columns().iter().map(|c| c.name.to_string()).collect();
    (
        prop::sample::subsequence(names.clone(), 0..=names.len()),
        prop::option::of("[a-z]{1,6}"),
        prop::collection::vec(prop::collection::vec(cell(), 0..=names.len() + 1), 0..8),
        prop::bool::ANY,
    )
        .prop_map(|(mut header, extra, rows, crlf)| {
            header.extend(extra);
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut s = header.join(",");
            for r in rows {
                s.push_str(nl);
                s.push_str(&r.join(","));
            }
            s
        })
}

/// Row numbers must point at a data row that exists: never beyond the lines.
fn check_located(text: &str, r: Result<app::import::Plan, ImportError>) -> Result<(), String> {
    let lines = text.split('\n').count();
    match r {
        Ok(plan) => {
            if plan.rows.len() > lines {
                return Err(format!("{} rows from {lines} lines", plan.rows.len()));
            }
        }
        Err(ImportError::Rows(problems)) => {
            if problems.is_empty() {
                return Err("refused without a problem".into());
            }
            for p in problems {
                if p.row > lines || p.message.is_empty() || p.column.is_empty() {
                    return Err(format!("badly located: {p} ({lines} lines)"));
                }
            }
        }
        Err(ImportError::File(m)) => {
            if m.is_empty() {
                return Err("empty message".into());
            }
        }
        Err(ImportError::Internal(e)) => return Err(format!("internal error: {e}")),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn decode_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        match decode(&bytes) {
            Ok(_) => {}
            Err(ImportError::File(m)) => prop_assert!(m.contains("UTF-8")),
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
        let _ = legacy_guess(&bytes);
    }

    #[test]
    fn check_never_panics_on_any_text(k in kind(), text in any::<String>()) {
        let r = check(k, &text, &registers());
        prop_assert!(check_located(&text, r).is_ok());
    }

    #[test]
    fn check_locates_every_problem_in_csv_like_files((k, text) in kind().prop_flat_map(|k| (Just(k), csv_like(k)))) {
        let r = check(k, &text, &registers());
        if let Err(m) = check_located(&text, r) {
            prop_assert!(false, "{}\n--- file ---\n{}", m, text);
        }
    }
}
