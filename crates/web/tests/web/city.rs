//! The city roll-up through the router: each ward's figure opens that ward's records
//! behind it (the viewed ward switched on the way), only for the city accounts and only
//! to a path of this site; its CSV and XLSX carry the CLI's figures.

use std::collections::HashMap;
use std::io::Cursor;

use axum::http::{header, StatusCode};
use calamine::{Data, Reader, Xlsx};
use domain::report::{indicator_by_code, ConsultationFigure, Grouping, Measure};
use domain::Role;

use crate::helpers::*;

/// Every `(href, text)` of the links into `/reports/city/open` on a page, `&amp;`
/// decoded.
fn open_links(html: &str) -> Vec<(String, String)> {
    let key = "href=\"/reports/city/open?";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(key) {
        let t = &rest[i + "href=\"".len()..];
        let href = &t[..t.find('"').unwrap_or(t.len())];
        let after = &t[t.find('>').map(|j| j + 1).unwrap_or(0)..];
        let text = &after[..after.find("</a>").unwrap_or(0)];
        out.push((href.replace("&amp;", "&"), text.to_string()));
        rest = after;
    }
    out
}

/// The query's value of `key` in `href`.
fn param(href: &str, key: &str) -> Option<String> {
    let q = href.split_once('?')?.1;
    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// Whether the list page shows `figure` as what the indicator counts: its sum for the
/// figures that add up a measure, its number of records otherwise.
fn list_shows(code: &str, figure: &str, body: &str) -> bool {
    let sums = indicator_by_code(code).is_some_and(|i| {
        matches!(
            i.measure,
            Measure::Conferences {
                attendees: true,
                ..
            } | Measure::Publicity { .. }
                | Measure::Dialogues { participants: true }
                | Measure::Consultations(ConsultationFigure::Responses)
        )
    });
    if sums {
        body.contains(&format!(", tổng {figure} "))
    } else {
        body.contains(&format!("Tìm thấy {figure} bản ghi"))
    }
}

async fn record_conferences(c: &Client, list: &[(&str, &str)]) {
    for (date, attendees) in list {
        let r = c
            .post(
                "/conferences",
                &as_refs(&conference(date, "Hội nghị nhân dân", attendees)),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
}

crate::engine_test!(a_wards_figure_opens_that_wards_records);
async fn a_wards_figure_opens_that_wards_records() {
    let (app, second) = city_app().await;
    // ward A: one conference in 2018; ward B: three in 2018, one in 2017, a dialogue
    let a = app.logged_in(Role::Secretary).await;
    record_conferences(&a, &[("10/02/2018", "25")]).await;
    let b = app.logged_in_as(&username_b(Role::Secretary)).await;
    record_conferences(
        &b,
        &[
            ("01/03/2018", "40"),
            ("02/04/2018", "1200"),
            ("03/05/2018", "60"),
            ("04/05/2017", "70"),
        ],
    )
    .await;
    let r = b
        .post(
            "/dialogues",
            &[
                ("date", "01/06/2018"),
                ("host", "both"),
                ("counterpart", "residents"),
                ("participants", "80"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let city = app.logged_in(Role::CityViewer).await;
    let page = city
        .get("/reports/city?from=01/01/2018&to=31/12/2018")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let links = open_links(&page.body);
    // every figure of both wards with records behind it is a link; the total's are not
    assert!(links.len() > 40, "{} links", links.len());
    assert!(links
        .iter()
        .all(|(h, _)| matches!(param(h, "ward").as_deref(), Some("bo-de" | "ngoc-thuy"))));

    // the conferences of ward B: the figure, the link, the list with that many
    let (href, figure) = links
        .iter()
        .find(|(h, _)| {
            param(h, "ward").as_deref() == Some(WARD_B.0)
                && param(h, "next").is_some_and(|n| n.contains("indicator=conferences.count"))
        })
        .expect("ward B's conference figure is a link");
    assert_eq!(figure, "3");
    let r = city.get(href).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let next = param(href, "next").expect("next");
    assert_eq!(r.location(), next);
    assert!(next.starts_with("/conferences?"), "{next}");
    let list = city.get(&next).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body
            .contains(&format!("Đang xem: <strong>{}</strong>", WARD_B.1)),
        "the list says which ward it shows"
    );
    assert!(list.body.contains("Tìm thấy 3 bản ghi"), "{}", list.body);
    // and the ward stays chosen: its show pages answer, the other ward's do not
    assert!(city
        .get("/")
        .await
        .body
        .contains(&format!("Đang xem: <strong>{}</strong>", WARD_B.1)));

    // every linked figure of both wards equals the list it opens
    let mut checked = 0;
    for (href, figure) in &links {
        let next = param(href, "next").expect("next");
        let code = param(&next, "indicator").expect("indicator");
        let r = city.get(href).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{href}");
        let list = city.get(r.location()).await;
        assert_eq!(list.status, StatusCode::OK, "{next}");
        assert!(
            list_shows(&code, figure, &list.body),
            "{href}: figure {figure} not on the list"
        );
        checked += 1;
    }
    assert!(checked > 40, "checked {checked}");
    // ward B's attendances: 40 + 1.200 + 60, formatted as the page formats them
    assert!(links.iter().any(|(h, f)| {
        param(h, "ward").as_deref() == Some(WARD_B.0)
            && h.contains("indicator%3Dconferences.attendees")
            && f == "1.300"
    }));

    // refused: another site, a path that is not ours, an unknown ward, a ward account
    let ok_next = serde_urlencoded::to_string([("next", "/conferences")]).expect("encode");
    for bad in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "evil.example",
        "",
    ] {
        let q = serde_urlencoded::to_string([("ward", WARD_B.0), ("next", bad)]).expect("q");
        let r = city.get(&format!("/reports/city/open?{q}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(r.location().is_empty(), "{bad:?} redirected");
    }
    for ward in ["khong-co", "", "<x>"] {
        let q = serde_urlencoded::to_string([("ward", ward)]).expect("q");
        let r = city.get(&format!("/reports/city/open?{q}&{ok_next}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{ward:?}");
    }
    for c in [&a, &b] {
        let r = c
            .get(&format!("/reports/city/open?ward={}&{ok_next}", WARD_B.0))
            .await;
        assert!(
            r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
            "{}",
            r.status
        );
    }
    // ward A's secretary still sees ward A only
    assert!(a
        .get("/conferences")
        .await
        .body
        .contains("Tìm thấy 1 bản ghi"));
    let _ = second;
}

/// The raw bytes of a GET (the helper client decodes bodies as text).
async fn get_bytes(app: &TestApp, c: &Client, uri: &str) -> (StatusCode, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::get(uri)
        .header(header::COOKIE, c.cookie().expect("cookie"))
        .body(axum::body::Body::empty())
        .expect("request");
    let res = app.router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, bytes.to_vec())
}

const RANGE: &str = "from=2016-01-01&to=2018-12-31";

crate::engine_test!(city_csv_and_xlsx_carry_the_clis_figures);
/// The roll-up's CSV with code headers is byte for byte what `qcdc report --wards all`
/// writes (the same `app` path, without the BOM), and its XLSX holds the same figures
/// as number cells, for every ward and the city's total.
async fn city_csv_and_xlsx_carry_the_clis_figures() {
    let (app, _) = city_app().await;
    let volume = store::generate::Volume {
        conferences: 6,
        publicity: 20,
        dialogues: 2,
        opinions_per_dialogue: 3,
        documents: 3,
        inspections: 2,
        commendations: 3,
        groups: 5,
        window: None,
    };
    app.store
        .generate_named(
            &["Phường Hoa Sữa".to_string(), "Phường Bằng Lăng".to_string()],
            3,
            2018,
            volume,
        )
        .await
        .expect("generated wards");
    let a = app.logged_in(Role::Secretary).await;
    record_conferences(&a, &[("10/02/2017", "25"), ("11/02/2018", "35")]).await;
    let city = app.logged_in(Role::CityViewer).await;

    // the page offers both downloads
    let page = city.get(&format!("/reports/city?{RANGE}")).await;
    assert!(page.body.contains("/reports/city.xlsx?"), "{}", page.body);
    assert!(page.body.contains("headers=codes"));

    // CSV, code headers: the CLI's bytes after the BOM
    let (status, web) = get_bytes(
        &app,
        &city,
        &format!("/reports/city.csv?{RANGE}&by=year&shape=long&headers=codes"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let web = web
        .strip_prefix(app::formats::csv::BOM)
        .expect("BOM for Excel")
        .to_vec();
    let wards = app::wards::select(&app.store, "all").await.expect("wards");
    assert_eq!(wards.len(), 4);
    let from = domain::dates::parse_date("2016-01-01").ok();
    let to = domain::dates::parse_date("2018-12-31").ok();
    let roll = app::report::build_city(&app.store, wards, from, to, Grouping::Year)
        .await
        .expect("roll-up");
    let mut cli = Vec::new();
    app::formats::csv::write_city_summary(
        &mut cli,
        &roll,
        app::formats::csv::Shape::Long,
        app::formats::csv::Headers::Codes,
        false,
    )
    .expect("csv");
    assert_eq!(String::from_utf8_lossy(&web), String::from_utf8_lossy(&cli));
    assert!(web.starts_with(b"ward,indicator,name,unit,period,value\r\n"));
    // (ward, indicator, period) -> value
    let mut figures: HashMap<(String, String, String), f64> = HashMap::new();
    let mut r = csv::Reader::from_reader(web.as_slice());
    for rec in r.records() {
        let rec = rec.expect("row");
        let v: f64 = rec[5].parse().expect("number");
        figures.insert((rec[0].into(), rec[1].into(), rec[4].into()), v);
    }
    let total = |code: &str| figures[&("total".to_string(), code.to_string(), "total".to_string())];
    assert!(total("conferences.count") >= 2.0 + 2.0 * 18.0);
    assert_eq!(
        figures[&(
            "ngoc-thuy".into(),
            "conferences.attendees".into(),
            "total".into()
        )],
        60.0
    );
    // default headers: Vietnamese
    let vi = city
        .get(&format!("/reports/city.csv?{RANGE}&by=total&shape=wide"))
        .await;
    assert!(
        vi.body.starts_with("\u{feff}Mã phường,"),
        "{}",
        &vi.body[..80.min(vi.body.len())]
    );
    assert!(vi.body.contains("\r\nToàn thành phố,"));

    // XLSX: the same figures as number cells
    let (status, bytes) =
        get_bytes(&app, &city, &format!("/reports/city.xlsx?{RANGE}&by=year")).await;
    assert_eq!(status, StatusCode::OK);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx file");
    assert_eq!(wb.sheet_names(), ["Toàn thành phố", "Định nghĩa chỉ tiêu"]);
    let sheet = wb.worksheet_range_at(0).expect("sheet").expect("range");
    let title = sheet.rows().next().expect("title")[0].to_string();
    assert!(
        title.contains("4 phường") && title.contains("01/01/2016"),
        "{title}"
    );
    let head: Vec<String> = sheet
        .rows()
        .nth(2)
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        head[..5],
        ["Mã phường", "Phường", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị"]
    );
    assert_eq!(head[5..], ["2016", "2017", "2018", "Tổng cộng"]);
    let mut checked = 0;
    let mut seen_wards = std::collections::BTreeSet::new();
    for row in sheet.rows().skip(3) {
        let (ward, code) = (row[0].to_string(), row[2].to_string());
        if code.is_empty() {
            continue; // the closing line
        }
        let ward = if ward == "Toàn thành phố" {
            "total".to_string()
        } else {
            ward
        };
        seen_wards.insert(ward.clone());
        for (i, period) in head.iter().enumerate().skip(5) {
            let period = if period == "Tổng cộng" {
                "total"
            } else {
                period.as_str()
            };
            let key = (ward.clone(), code.clone(), period.to_string());
            match (&row[i], figures.get(&key)) {
                (Data::Float(v), Some(f)) => {
                    assert!((v - f).abs() < 1e-9, "{key:?}: xlsx {v}, csv {f}");
                    checked += 1;
                }
                (Data::Empty, None) => {}
                (cell, other) => panic!("{key:?}: xlsx {cell:?}, csv {other:?}"),
            }
        }
    }
    assert_eq!(seen_wards.len(), 5, "{seen_wards:?}");
    assert_eq!(
        checked,
        figures.len(),
        "every figure of the CSV is in the workbook"
    );
}
