//! The review draft on the demo ward (Ngọc Thụy): the composed text, the HTML and the
//! .docx state the article's figures, and every figure equals the report's CSV.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

use app::formats::csv::Shape;
use app::report as reports;
use chrono::NaiveDate;
use domain::report::Grouping;
use domain::review::{ReviewDocument, ReviewDraft};
use domain::Input;
use store::{Store, WardId};

/// One demo database for the whole file (building it hashes four passwords and imports
/// ~3,800 rows); tests only read it.
fn demo_path() -> &'static PathBuf {
    static DEMO: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("demo.db");
        let p = path.clone();
        // A runtime of its own: the tests' runtimes cannot block on another.
        std::thread::spawn(move || {
            tokio::runtime::Runtime::new()
                .expect("runtime")
                .block_on(app::demo::build(&p))
                .expect("demo")
        })
        .join()
        .expect("demo thread");
        (dir, path)
    });
    path
}

async fn demo() -> (Store, WardId) {
    let s = Store::open_existing(demo_path()).await.expect("open demo");
    let w = s.default_ward().await.expect("ward").expect("a ward");
    (s, w)
}

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).expect("date")
}

fn draft(from: &str, to: &str) -> ReviewDraft {
    let input: Input = [
        ("title", domain::review::DEFAULT_TITLE),
        ("number", "25-BC/ĐU"),
        ("date", "27/6/2018"),
        ("from", from),
        ("to", to),
        ("signer_title", "Phó Bí thư thường trực"),
        ("signer_name", "Nguyễn Văn Hùng"),
    ]
    .into_iter()
    .collect();
    ReviewDraft::parse(&input).expect("valid draft")
}

async fn since_2014() -> (Store, WardId, ReviewDraft, ReviewDocument) {
    let (s, w) = demo().await;
    let dr = draft("2014-01-01", "2018-06-27");
    let doc = app::review::compose_for(&s, w, &dr).await.expect("compose");
    (s, w, dr, doc)
}

const HEADER: &[&str] = &[
    "ĐẢNG BỘ QUẬN LONG BIÊN",
    "ĐẢNG ỦY PHƯỜNG NGỌC THỤY",
    "Số 25-BC/ĐU",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Ngọc Thụy, ngày 27 tháng 6 năm 2018",
    "T/M ĐẢNG ỦY",
    "PHÓ BÍ THƯ THƯỜNG TRỰC",
    "BÁO CÁO TỔNG KẾT 20 NĂM THỰC HIỆN CHỈ THỊ SỐ 30-CT/TW",
];

#[tokio::test]
async fn the_demo_draft_states_the_article_figures() {
    let (_s, _w, _dr, doc) = since_2014().await;
    let text = doc.plain_text();
    for phrase in [
        "đã tổ chức 142 lượt Hội nghị với 15.135 lượt người tham dự, tuyên truyền trên hệ thống Đài truyền thanh được 338 lượt tin, bài về thực hiện QCDC, 502 lượt thông báo về cấp giấy chứng nhận QSDĐ, về công khai công tác GPMB, 42 lượt tuyên truyền về Pháp lệnh 34",
        "9 Quyết định kiện toàn Ban chỉ đạo, 1 Quyết định sửa đổi Quy chế hoạt động",
        "30 lượt chi bộ được biểu dương, khen thưởng",
        "đề nghị Quận ủy khen thưởng 1 cá nhân, 1 chi bộ",
        "38 tổ dân phố",
        "24 buổi tiếp xúc, đối thoại với 2.408 lượt người tham dự",
        "nêu 97 ý kiến, kiến nghị; đến ngày 27/06/2018 đã giải quyết 76 ý kiến, đạt 78,4%, còn 21 ý kiến",
        "32 cuộc kiểm tra, giám sát",
        "So với giai đoạn 2008-2013",
        "Ban Thường vụ Quận ủy Long Biên (để báo cáo),",
    ] {
        assert!(text.contains(phrase), "missing «{phrase}» in\n{text}");
    }
    for line in HEADER {
        assert!(text.contains(line), "missing «{line}»");
    }
    assert_eq!(
        doc.header.superior_body.as_deref(),
        Some("ĐẢNG BỘ QUẬN LONG BIÊN")
    );
    assert_eq!(doc.header.place_date, "Ngọc Thụy, ngày 27 tháng 6 năm 2018");
    // 2014-nay is one of the ward's periods: the appendix shows the three periods
    assert_eq!(
        doc.appendix.columns,
        [
            "Giai đoạn 1998-2007",
            "Giai đoạn 2008-2013",
            "Giai đoạn 2014-nay"
        ]
    );
    // no estimated records since 2014 in the demo
    assert!(doc.footnotes.is_empty());

    let html = web::views::review::render_html(&doc).into_string();
    for figure in [
        ">142<", ">15.135<", ">338<", ">502<", ">42<", ">9<", ">30<", ">38<",
    ] {
        assert!(html.contains(figure), "missing {figure}");
    }
    for line in HEADER {
        assert!(html.contains(line), "missing «{line}» in HTML");
    }
    // figures link to their records
    assert!(html.contains("href=\"/conferences?from=2014-01-01&amp;to=2018-06-27\""));
    assert!(!html.contains("style="), "the CSP forbids inline styles");
}

#[tokio::test]
async fn every_figure_equals_the_report_csv() {
    let (s, w, dr, doc) = since_2014().await;
    let csv = |r: &domain::report::Report| {
        let mut buf = Vec::new();
        app::formats::csv::write_csv(&mut buf, r, Shape::Long, false).expect("csv");
        let mut out = HashMap::new();
        let mut rd = csv::Reader::from_reader(buf.as_slice());
        for row in rd.records() {
            let row = row.expect("row");
            out.insert((row[0].to_string(), row[3].to_string()), row[4].to_string());
        }
        out
    };
    let total = reports::build(&s, w, Some(dr.from), Some(dr.to), Grouping::Total)
        .await
        .expect("total");
    // compose_for reaches back to the first review period that starts before the range
    let by_period = reports::build(&s, w, Some(d(1998, 1, 1)), Some(dr.to), Grouping::Period)
        .await
        .expect("by period");
    let (total_csv, period_csv) = (csv(&total), csv(&by_period));
    let mut cited = std::collections::BTreeSet::new();
    for f in doc.figures() {
        let table = if f.from_total {
            &total_csv
        } else {
            &period_csv
        };
        let key = (f.indicator.code.clone(), f.period.label.clone());
        match table.get(&key) {
            Some(v) => assert_eq!(*v, f.value.plain(), "{key:?}"),
            // a rate over no opinions has no CSV row, and prints a dash
            None => assert_eq!(f.text, "—", "{key:?} not in the CSV"),
        }
        cited.insert(f.indicator.code.clone());
    }
    for code in [
        "conferences.count",
        "conferences.attendees",
        "publicity.radio_qcdc",
        "publicity.land_site_clearance",
        "publicity.ordinance34",
        "documents.consolidate_committee",
        "documents.committee_regulation",
        "commendations.party_cells",
        "commendations.district_proposals.individual",
        "commendations.district_proposals.party_cell",
        "residential_groups.count",
        "opinions.resolution_rate",
    ] {
        assert!(cited.contains(code), "{code} not cited");
    }
}

fn props() -> app::formats::docx::Properties {
    app::formats::docx::Properties {
        author: "Phường Ngọc Thụy".into(),
        created: chrono::DateTime::from_timestamp(1_530_086_400, 0).expect("time"),
    }
}

fn docx_part(bytes: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut part = zip.by_name(name).ok()?;
    let mut s = String::new();
    part.read_to_string(&mut s).expect("utf-8 xml");
    Some(s)
}

#[tokio::test]
async fn the_docx_carries_the_same_figures() {
    let (_s, _w, _dr, doc) = since_2014().await;
    let bytes = app::formats::docx::render_docx(&doc, &props()).expect("docx");
    assert!(bytes.starts_with(b"PK"));
    let core = docx_part(&bytes, "docProps/core.xml").expect("core.xml");
    assert!(
        core.contains("<dc:creator>Phường Ngọc Thụy</dc:creator>"),
        "{core}"
    );
    assert!(
        core.contains(">2018-06-27T08:00:00Z</dcterms:created>"),
        "{core}"
    );
    assert!(
        core.contains(&format!("<dc:title>{}</dc:title>", doc.title)),
        "{core}"
    );
    let xml = docx_part(&bytes, "word/document.xml").expect("document.xml");
    for t in [
        ">142<", ">15.135<", ">338<", ">502<", ">42<", ">9<", ">30<", ">38<",
    ] {
        assert!(xml.contains(t), "missing {t}");
    }
    for line in HEADER {
        assert!(xml.contains(line), "missing «{line}» in document.xml");
    }
    // A4 and the Party margins, in twips; Times New Roman 14 pt
    assert!(xml.contains(r#"w:w="11906" w:h="16838""#), "A4");
    assert!(xml.contains(r#"w:top="1134""#) && xml.contains(r#"w:left="1701""#));
    assert!(xml.contains(r#"w:right="850""#) && xml.contains(r#"w:bottom="1134""#));
    let styles = docx_part(&bytes, "word/styles.xml").expect("styles.xml");
    assert!(styles.contains("Times New Roman"));
    assert!(styles.contains(r#"<w:sz w:val="28" />"#) || styles.contains(r#"w:val="28""#));
}

#[tokio::test]
async fn estimated_records_get_footnotes_in_every_output() {
    let (s, w) = demo().await;
    let dr = draft("1998-01-01", "2018-06-27");
    let doc = app::review::compose_for(&s, w, &dr).await.expect("compose");
    assert!(!doc.footnotes.is_empty());
    assert!(doc
        .footnotes
        .iter()
        .all(|n| n.contains("bản ghi ước tính (không có văn bản gốc).")));
    let est = s
        .estimated_counts(w, &domain::report::query_grid(&[], dr.from, dr.to))
        .await
        .expect("estimates");
    let conferences: i64 = est
        .iter()
        .filter(|e| e.0 == domain::Kind::Conferences)
        .map(|e| e.2)
        .sum();
    assert!(conferences > 0);
    assert!(doc.footnotes.contains(&format!(
        "Số liệu về hội nghị có {} bản ghi ước tính (không có văn bản gốc).",
        domain::fmt::thousands(conferences)
    )));
    let html = web::views::review::render_html(&doc).into_string();
    assert!(html.contains("id=\"fn-1\""));
    let bytes = app::formats::docx::render_docx(&doc, &props()).expect("docx");
    let notes = docx_part(&bytes, "word/footnotes.xml").expect("footnotes.xml");
    assert!(notes.contains("bản ghi ước tính"));
}

#[tokio::test]
async fn a_saved_draft_composes_the_same() {
    let dir = tempfile::tempdir().expect("dir");
    let copy = dir.path().join("copy.db");
    let (s, w) = demo().await;
    // drafts are written to a copy, so the shared demo stays read-only
    s.backup(&copy).await.expect("backup");
    let s = Store::open_existing(&copy).await.expect("open copy");
    let dr = draft("2014-01-01", "2018-06-27");
    let id = s
        .create_review_draft(w, &store::Actor::new("phobithu"), &dr)
        .await
        .expect("save");
    let stored = s.review_draft(w, id).await.expect("get");
    let a = app::review::compose_for(&s, w, &stored.record)
        .await
        .expect("compose");
    let b = app::review::compose_for(&s, w, &dr).await.expect("compose");
    assert_eq!(a, b);
}

/// A ward formed by a merger counts its former ward's records, and the footnotes on
/// estimated records count the same records: the former ward's estimates too (before,
/// the new ward's draft said its figures counted no estimated record).
#[tokio::test]
async fn a_merged_wards_footnotes_count_its_former_wards_estimates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("merged.db");
    std::fs::copy(demo_path(), &path).expect("copy the demo");
    let s = Store::open_existing(&path).await.expect("open");
    let old = s.default_ward().await.expect("ward").expect("a ward");
    let dr = draft("1998-01-01", "2018-06-27");
    let alone = app::review::compose_for(&s, old, &dr)
        .await
        .expect("compose")
        .footnotes;
    assert!(alone
        .iter()
        .any(|n| n.starts_with("Số liệu về hội nghị có ")));
    // Ngọc Thụy passes wholly into a new ward after its last record (the demo's
    // registers run to 2026): the new ward's draft over 1998-2018 is Ngọc Thụy's.
    let new = app::wards::merge(
        &s,
        &store::Actor::system(),
        "song-xanh",
        Some("Phường Sông Xanh"),
        d(2027, 1, 1),
        &[(old, domain::lineage::Share::Whole)],
    )
    .await
    .expect("merge");
    let merged = app::review::compose_for(&s, new, &dr)
        .await
        .expect("compose");
    assert_eq!(merged.footnotes, alone);
}
