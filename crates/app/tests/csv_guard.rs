//! Spreadsheet formula injection (issue 10, point 2): every CSV the project writes
//! neutralises text cells that a spreadsheet would run as formulas, the importer undoes
//! exactly that guard, and XLSX keeps such text as plain strings.

use app::formats::csv::{write_csv, Shape};
use chrono::NaiveDate;
use domain::report::Grouping;
use domain::ward::{Term, Ward};
use domain::Kind;
use store::{Actor, Store, WardId};

const TITLES: &[&str] = &[
    "=HYPERLINK(\"http://x\",\"bấm\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "Hội nghị bình thường",
];

async fn ward_store(dir: &tempfile::TempDir, name: &str) -> (Store, WardId) {
    let store = Store::open(&dir.path().join(name)).await.expect("store");
    let ward = store
        .init_ward(
            &Actor::system(),
            &Ward {
                name: "Phường Thử".into(),
                district: None,
                province: None,
            },
        )
        .await
        .expect("ward");
    (store, ward)
}

fn conferences_csv() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["date", "kind", "title", "attendees", "organiser"])
        .expect("header");
    for (i, t) in TITLES.iter().enumerate() {
        let date = format!("2018-03-{:02}", i + 1);
        w.write_record([date.as_str(), "briefing", t, "40", "steering_committee"])
            .expect("row");
    }
    w.into_inner().expect("bytes")
}

async fn export(store: &Store, ward: WardId) -> String {
    let mut out = Vec::new();
    app::export::write_records(store, ward, Kind::Conferences, &mut out, false)
        .await
        .expect("export");
    String::from_utf8(out).expect("utf-8")
}

fn titles(csv_text: &str) -> Vec<String> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let col = r
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == "title")
        .expect("title column");
    r.records()
        .map(|rec| rec.expect("record")[col].to_string())
        .collect()
}

#[tokio::test]
async fn exported_formulas_are_text_and_import_round_trips_them() {
    let dir = tempfile::tempdir().expect("dir");
    let (a, ward_a) = ward_store(&dir, "a.db").await;
    app::import::run(
        &a,
        ward_a,
        &Actor::system(),
        Kind::Conferences,
        None,
        &conferences_csv(),
        false,
    )
    .await
    .expect("import typed titles");
    let first = export(&a, ward_a).await;
    let cells = titles(&first);
    assert_eq!(cells.len(), TITLES.len());
    for (cell, original) in cells.iter().zip(TITLES) {
        let dangerous = original
            .trim_start_matches('\'')
            .starts_with(['=', '+', '-', '@']);
        if dangerous {
            assert_eq!(cell, &format!("'{original}"), "guarded: {original}");
        } else {
            assert_eq!(cell, original);
        }
    }
    // Export → import → export gives the same file: the originals come back exactly.
    let (b, ward_b) = ward_store(&dir, "b.db").await;
    app::import::run(
        &b,
        ward_b,
        &Actor::system(),
        Kind::Conferences,
        None,
        first.as_bytes(),
        false,
    )
    .await
    .expect("re-import the export");
    assert_eq!(export(&b, ward_b).await, first);
}

#[tokio::test]
async fn report_csv_guards_period_names_and_xlsx_keeps_plain_strings() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, ward) = ward_store(&dir, "r.db").await;
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    store
        .set_terms(
            ward,
            &Actor::system(),
            &[
                Term {
                    name: "=HYPERLINK(\"http://x\")".into(),
                    start: day(2015, 1, 1),
                },
                Term {
                    name: "@SUM(1+1)".into(),
                    start: day(2020, 1, 1),
                },
            ],
        )
        .await
        .expect("terms");
    let report = app::report::build(
        &store,
        ward,
        Some(day(2016, 1, 1)),
        Some(day(2021, 12, 31)),
        Grouping::Term,
    )
    .await
    .expect("report");
    for shape in [Shape::Wide, Shape::Long] {
        let mut out = Vec::new();
        write_csv(&mut out, &report, shape, true).expect("csv");
        let text = String::from_utf8(out).expect("utf-8");
        let cells: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .flat_map(|r| {
                r.expect("record")
                    .iter()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(
            cells.iter().any(|c| c == "'=HYPERLINK(\"http://x\")"),
            "{shape:?}"
        );
        assert!(cells.iter().any(|c| c == "'@SUM(1+1)"), "{shape:?}");
        assert!(
            !cells.iter().any(|c| c.starts_with(['=', '@', '+'])),
            "{shape:?}: {cells:?}"
        );
    }
    let xlsx = app::formats::xlsx::xlsx(&report, "Phường Thử").expect("xlsx");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).expect("open xlsx");
    use calamine::Reader;
    let sheets = book.sheet_names().to_vec();
    let mut found = false;
    for name in sheets {
        let range = book.worksheet_range(&name).expect("sheet");
        for cell in range.used_cells() {
            if let calamine::Data::String(s) = cell.2 {
                found |= s == "=HYPERLINK(\"http://x\")";
            }
        }
        let formulas = book.worksheet_formula(&name).expect("formulas");
        assert!(
            formulas.used_cells().all(|c| c.2.is_empty()),
            "no formula in {name}"
        );
    }
    assert!(found, "the period name is a plain string cell");
}
