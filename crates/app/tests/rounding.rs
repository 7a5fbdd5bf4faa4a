//! One rounding rule for every output: 10 of 32 opinions resolved is 31,25%, and the
//! CSV, the XLSX, the review text and the .docx all say 31,3 (half up, from integers).

use std::io::{Cursor, Read};

use app::formats::csv::{write_summary, Headers, Shape};
use app::formats::docx::{render_docx, Properties};
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use domain::report::{assemble, period_grid, Facts, Grouping, IndicatorId, OpinionFact, Report};
use domain::review::{compose, ReviewDraft};
use domain::ward::Ward;
use domain::Input;

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).expect("date")
}

/// 2017 by year: one period (index 0) and the total (index 1), 10 of 32 resolved.
fn reports() -> (Report, Report) {
    let (from, to) = (d(2017, 1, 1), d(2017, 12, 31));
    let facts = Facts {
        opinions: (0..2)
            .map(|period| OpinionFact {
                period,
                raised: 32,
                resolved_by_end: 10,
            })
            .collect(),
        ..Facts::default()
    };
    let grid = period_grid(Grouping::Year, from, to, &[], &[]);
    let by_year = assemble(Grouping::Year, from, to, grid, &facts);
    let total = assemble(Grouping::Total, from, to, Vec::new(), &facts);
    (total, by_year)
}

#[test]
fn csv_says_31_3_in_both_shapes_and_header_forms() {
    let (_, r) = reports();
    for shape in [Shape::Long, Shape::Wide] {
        for headers in [Headers::Vi, Headers::Codes] {
            let mut out = Vec::new();
            write_summary(&mut out, &r, shape, headers, false).expect("csv");
            let text = String::from_utf8(out).expect("utf-8");
            let line = text
                .lines()
                .find(|l| l.starts_with("opinions.resolution_rate,"))
                .expect("rate row");
            assert!(line.ends_with(",31.3"), "{shape:?} {headers:?}: {line}");
            assert!(!text.contains("31.2"));
        }
    }
}

#[test]
fn xlsx_says_31_3_under_vietnamese_headers() {
    let (_, r) = reports();
    let bytes = app::formats::xlsx::xlsx(&r, "Phường Thử").expect("xlsx");
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("open");
    assert_eq!(
        wb.sheet_names(),
        ["Báo cáo tổng hợp", "Định nghĩa chỉ tiêu"]
    );
    let sheet = wb.worksheet_range("Báo cáo tổng hợp").expect("sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[2].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị", "2017", "Tổng cộng"]
    );
    let rate = rows
        .iter()
        .find(|r| r[0] == Data::String("opinions.resolution_rate".into()))
        .expect("rate row");
    assert_eq!(rate[3], Data::Float(31.3));
    assert_eq!(rate[4], Data::Float(31.3));
    let defs = wb
        .worksheet_range("Định nghĩa chỉ tiêu")
        .expect("definitions");
    let first: Vec<String> = defs
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(first, ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị", "Định nghĩa"]);
    assert_eq!(defs.rows().count(), r.rows.len() + 1);
}

#[test]
fn review_text_and_docx_say_31_3() {
    let (total, by_year) = reports();
    let input: Input = [
        ("title", "Báo cáo tổng kết"),
        ("date", "31/12/2017"),
        ("from", "2017-01-01"),
        ("to", "2017-12-31"),
        ("signer_title", "Bí thư"),
        ("signer_name", "Nguyễn Văn A"),
    ]
    .into_iter()
    .collect();
    let draft = ReviewDraft::parse(&input).expect("draft");
    let ward = Ward {
        name: "Phường Thử & Co".into(),
        district: Some("Quận Thử".into()),
        province: Some("Hà Nội".into()),
    };
    let doc = compose(&draft, &ward, None, &total, &by_year, &[]);
    let rates: Vec<_> = doc
        .figures()
        .into_iter()
        .filter(|f| f.indicator.id == IndicatorId::OpinionsResolutionRate)
        .collect();
    assert!(!rates.is_empty(), "the text cites the rate");
    for f in rates {
        assert_eq!(f.text, "31,3%");
    }
    let created = chrono::DateTime::from_timestamp(1_514_437_200, 0).expect("time");
    let props = Properties {
        author: ward.name.clone(),
        created,
    };
    let bytes = render_docx(&doc, &props).expect("docx");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let part = |zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .expect(name)
            .read_to_string(&mut s)
            .expect("utf-8");
        s
    };
    let body = part(&mut zip, "word/document.xml");
    assert!(body.contains(">31,3%<"), "the .docx states 31,3%");
    assert!(!body.contains("31,2%"));
    let core = part(&mut zip, "docProps/core.xml");
    assert!(
        core.contains("<dc:creator>Phường Thử &amp; Co</dc:creator>"),
        "{core}"
    );
    assert!(core.contains("<cp:lastModifiedBy>Phường Thử &amp; Co</cp:lastModifiedBy>"));
    assert!(
        core.contains("<dc:title>BÁO CÁO TỔNG KẾT</dc:title>"),
        "{core}"
    );
    assert!(core.contains(
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2017-12-28T05:00:00Z</dcterms:created>"
    ));
    assert!(!core.contains("1970"), "no placeholder date");
}
