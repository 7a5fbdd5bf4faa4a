//! The summary report through the router on the demo ward: the article's figures on
//! the page, the same figures in the CSV, the XLSX and the CLI's writer, and each
//! drill-down list agreeing with its figure. Also the import page.

use std::collections::HashMap;
use std::io::Cursor;

use axum::http::{header, StatusCode};
use calamine::{Data, Reader, Xlsx};
use domain::report::{Grouping, IndicatorId, Measure};
use domain::Role;
use store::{Store, WardId};
use web::{AppState, Config};

use crate::helpers::{TestApp, PASSWORD, ROLES};

pub async fn demo_app() -> TestApp {
    let db = crate::helpers::test_db().await;
    app::demo::build(&db.location).await.expect("demo");
    let store = Store::open_existing(&db.location).await.expect("open");
    let ward = store.default_ward().await.expect("ward").expect("a ward");
    let hash = app::passwords::hash(PASSWORD).expect("hash");
    for role in ROLES {
        // the demo has its own accounts; give the test's usernames the test password
        let name = crate::helpers::username(role);
        match store.credentials(name).await.expect("lookup") {
            Some(c) => store
                .set_password(&store::Actor::system(), c.user.id, &hash)
                .await
                .expect("password"),
            None => {
                store
                    .create_user(&store::Actor::system(), name, None, role, &hash)
                    .await
                    .expect("user");
            }
        }
    }
    TestApp::from_parts(store, ward, db)
}

const RANGE: &str = "from=2014-01-01&to=27/06/2018";

fn csv_values(body: &[u8]) -> HashMap<(String, String), String> {
    let mut r = csv::Reader::from_reader(body);
    r.records()
        .map(|x| x.expect("csv row"))
        .map(|x| ((x[0].to_string(), x[3].to_string()), x[4].to_string()))
        .collect()
}

crate::engine_test!(the_page_shows_the_article_figures);
async fn the_page_shows_the_article_figures() {
    let app = demo_app().await;
    let c = app.logged_in(Role::Viewer).await;
    let r = c.get(&format!("/reports/summary?{RANGE}&by=total")).await;
    assert_eq!(r.status, StatusCode::OK);
    for figure in [
        ">142<", ">15.135<", ">338<", ">502<", ">42<", ">9<", ">30<", ">38<",
    ] {
        assert!(r.body.contains(figure), "missing {figure}");
    }
    assert!(r.body.contains("<svg"), "has the chart");
    assert!(r.body.contains("27/06/2018"));
    // viewers read the report but get no export links
    assert!(!r.body.contains("/reports/summary.csv"));
    let export = app
        .logged_in(Role::Deputy)
        .await
        .get(&format!("/reports/summary?{RANGE}"))
        .await;
    assert!(export.body.contains("/reports/summary.csv?"));
    // the deputy's export; the viewer's is refused
    assert_eq!(
        c.get(&format!("/reports/summary.csv?{RANGE}")).await.status,
        StatusCode::FORBIDDEN
    );
}

crate::engine_test!(bad_parameters_are_explained_not_failed);
async fn bad_parameters_are_explained_not_failed() {
    let app = demo_app().await;
    let c = app.logged_in(Role::Deputy).await;
    let r = c.get("/reports/summary?from=31/02/2018").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ngày không hợp lệ"));
    let r = c
        .get("/reports/summary?from=2018-02-01&to=2018-01-01")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c.get("/reports/summary?by=month").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c.get("/reports/summary.csv?shape=tall").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

fn disposition(r: &crate::helpers::Resp) -> String {
    r.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii")
        .to_string()
}

crate::engine_test!(summary_csv_speaks_vietnamese_and_names_its_files);
async fn summary_csv_speaks_vietnamese_and_names_its_files() {
    let app = demo_app().await;
    let c = app.logged_in(Role::Deputy).await;
    let get = |q: String| {
        let c = &c;
        async move { c.get(&format!("/reports/summary.csv?{RANGE}&{q}")).await }
    };
    // wide, Vietnamese by default
    let wide = get("by=year&shape=wide".into()).await;
    assert_eq!(wide.status, StatusCode::OK);
    let first = wide
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .expect("header");
    assert_eq!(
        first,
        "Mã chỉ tiêu,Chỉ tiêu,Đơn vị,2014,2015,2016,2017,2018,Tổng cộng"
    );
    assert!(
        wide.body
            .contains("\r\nconferences.attendees,Lượt người dự hội nghị,lượt người,"),
        "codes and names stay, values are plain numbers"
    );
    assert!(wide.body.contains(",15135\r\n"));
    assert_eq!(
        disposition(&wide),
        "attachment; filename=\"bao-cao-tong-hop_2014-01-01_2018-06-27_theo-nam_bang-ngang.csv\""
    );
    // long: the total's period is written Tổng cộng
    let long = get("by=year&shape=long".into()).await;
    let body = long.body.trim_start_matches('\u{feff}');
    assert!(body.starts_with("Mã chỉ tiêu,Chỉ tiêu,Đơn vị,Kỳ,Giá trị\r\n"));
    assert!(body
        .contains("conferences.attendees,Lượt người dự hội nghị,lượt người,Tổng cộng,15135\r\n"));
    assert!(!body.contains(",total,"));
    assert_eq!(
        disposition(&long),
        "attachment; filename=\"bao-cao-tong-hop_2014-01-01_2018-06-27_theo-nam_dang-dong.csv\""
    );
    // ?headers=codes: today's code form, byte for byte the CLI's default with a BOM
    let from = domain::dates::parse_date("2014-01-01").ok();
    let to = domain::dates::parse_date("2018-06-27").ok();
    for (by, grouping) in [("year", Grouping::Year), ("total", Grouping::Total)] {
        let report = app::report::build(&app.store, app.ward, from, to, grouping)
            .await
            .expect("report");
        for (shape, s) in [
            ("wide", app::formats::csv::Shape::Wide),
            ("long", app::formats::csv::Shape::Long),
        ] {
            let codes = get(format!("by={by}&shape={shape}&headers=codes")).await;
            let mut cli = app::formats::csv::BOM.to_vec();
            app::formats::csv::write_csv(&mut cli, &report, s, false).expect("csv");
            assert_eq!(codes.body.as_bytes(), &cli[..], "{by} {shape}");
            assert!(codes.body.starts_with("\u{feff}indicator,name,unit,"));
        }
    }
    // distinct names per range, grouping, shape and header form
    let mut names = std::collections::HashSet::new();
    for q in [
        "by=year&shape=wide",
        "by=year&shape=long",
        "by=year&shape=long&headers=codes",
        "by=year&shape=wide&headers=codes",
        "by=total&shape=wide",
        "by=term&shape=wide",
        "by=period&shape=wide",
    ] {
        let r = get(q.into()).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        assert!(names.insert(disposition(&r)), "{q}: {}", disposition(&r));
    }
    let other = c
        .get("/reports/summary.csv?from=2015-01-01&to=2015-12-31&by=year&shape=wide")
        .await;
    assert_eq!(
        disposition(&other),
        "attachment; filename=\"bao-cao-tong-hop_2015-01-01_2015-12-31_theo-nam_bang-ngang.csv\""
    );
    let total = get("by=total&shape=long&headers=codes".into()).await;
    assert_eq!(
        disposition(&total),
        "attachment; filename=\"bao-cao-tong-hop_2014-01-01_2018-06-27_tong-cong_dang-dong_ma.csv\""
    );
    let x = c
        .get(&format!("/reports/summary.xlsx?{RANGE}&by=term"))
        .await;
    assert_eq!(
        disposition(&x),
        "attachment; filename=\"bao-cao-tong-hop_2014-01-01_2018-06-27_theo-nhiem-ky.xlsx\""
    );
    // an unknown header form is explained
    let bad = get("headers=en".into()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("codes"));
}

crate::engine_test!(csv_xlsx_and_cli_agree);
async fn csv_xlsx_and_cli_agree() {
    let app = demo_app().await;
    let c = app.logged_in(Role::Deputy).await;
    let r = c
        .get(&format!(
            "/reports/summary.csv?{RANGE}&by=year&shape=long&headers=codes"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .expect("ct")
        .starts_with("text/csv"));
    assert!(r.body.starts_with('\u{feff}'), "BOM for Excel");
    assert!(r.body.contains("\r\n"), "CRLF");
    let rows: usize = r.headers["x-row-count"]
        .to_str()
        .expect("count")
        .parse()
        .expect("number");
    let body = r.body.trim_start_matches('\u{feff}').as_bytes().to_vec();
    let web = csv_values(&body);
    assert_eq!(web.len(), rows);
    assert_eq!(
        web[&("conferences.attendees".to_string(), "total".to_string())],
        "15135"
    );
    assert_eq!(
        web[&("publicity.radio_qcdc".to_string(), "total".to_string())],
        "338"
    );

    // the CLI's writer on the same report: identical but for the BOM
    let from = domain::dates::parse_date("2014-01-01").ok();
    let to = domain::dates::parse_date("2018-06-27").ok();
    let report = app::report::build(&app.store, app.ward, from, to, Grouping::Year)
        .await
        .expect("report");
    let mut cli = Vec::new();
    app::formats::csv::write_csv(&mut cli, &report, app::formats::csv::Shape::Long, false)
        .expect("csv");
    assert_eq!(cli, body);

    // the XLSX: numbers as number cells, the same values
    let x = c
        .get(&format!("/reports/summary.xlsx?{RANGE}&by=year"))
        .await;
    assert_eq!(x.status, StatusCode::OK);
    let bytes = app_bytes(
        &app,
        &format!("/reports/summary.xlsx?{RANGE}&by=year"),
        Role::Deputy,
    )
    .await;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("xlsx");
    assert_eq!(
        wb.sheet_names(),
        ["Báo cáo tổng hợp", "Định nghĩa chỉ tiêu"],
        "sheet names in Vietnamese with diacritics"
    );
    let sheet = wb.worksheet_range_at(0).expect("sheet").expect("range");
    let mut rows = sheet.rows();
    let title = rows.next().expect("title row");
    assert!(title[0].to_string().contains("Phường Ngọc Thụy"));
    let header: Vec<String> = sheet
        .rows()
        .nth(2)
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[..3], ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị"]);
    assert_eq!(header[3], "2014");
    assert_eq!(header.last().map(String::as_str), Some("Tổng cộng"));
    let mut checked = 0;
    for row in sheet.rows().skip(3) {
        let code = row[0].to_string();
        if code.is_empty() || code.contains(' ') {
            continue;
        }
        for (i, period) in header.iter().enumerate().skip(3) {
            let period = if period == "Tổng cộng" {
                "total".to_string()
            } else {
                period.clone()
            };
            match (&row[i], web.get(&(code.clone(), period.clone()))) {
                (Data::Float(v), Some(s)) => {
                    assert!(
                        (v - s.parse::<f64>().expect("number")).abs() < 1e-9,
                        "{code} {period}"
                    );
                    checked += 1;
                }
                (Data::Empty, None) => {}
                (cell, other) => panic!("{code} {period}: xlsx {cell:?}, csv {other:?}"),
            }
        }
    }
    assert!(checked > 300, "checked {checked}");
}

/// The raw bytes of a response (the helper client decodes bodies as text).
async fn app_bytes(app: &TestApp, uri: &str, role: Role) -> Vec<u8> {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let c = app.logged_in(role).await;
    let cookie = c.cookie().expect("cookie");
    let req = axum::http::Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(axum::body::Body::empty())
        .expect("request");
    let res = app.router.clone().oneshot(req).await.expect("response");
    res.into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

crate::engine_test!(each_drilldown_list_equals_its_figure);
/// Every figure of every indicator, by year over the whole demo history, equals the
/// count (or sum) of the list its link opens; and the years add up to the total.
async fn each_drilldown_list_equals_its_figure() {
    let app = demo_app().await;
    let state = AppState::new(app.store.clone(), app.ward, Config::default());
    let from = domain::dates::parse_date("1998-01-01").ok();
    let to = domain::dates::parse_date("2018-12-31").ok();
    let report = app::report::build(&app.store, app.ward, from, to, Grouping::Year)
        .await
        .expect("report");
    let mut checked = 0;
    for row in &report.rows {
        let total = report.total_period();
        let periods = report
            .periods
            .iter()
            .zip(&row.values)
            .chain([(&total, &row.total)]);
        for (p, v) in periods {
            let Some((kind, drill)) = row.indicator.drilldown(p) else {
                continue;
            };
            let filter = web::pages::records::list_filter(kind, &drill.to_query())
                .expect("the link's filter parses");
            let page = web::pages::records::ops(kind)
                .list(&state, &filter)
                .await
                .expect("list");
            let listed = match row.indicator.measure {
                Measure::Conferences {
                    attendees: true, ..
                }
                | Measure::Publicity { .. }
                | Measure::Dialogues { participants: true } => page.sum.unwrap_or(0),
                _ => page.total as i64,
            };
            assert_eq!(listed, v.count(), "{} {}", row.indicator.code, p.label);
            checked += 1;
        }
        if row.indicator.additive() {
            assert_eq!(
                row.values.iter().map(|v| v.count()).sum::<i64>(),
                row.total.count(),
                "{}",
                row.indicator.code
            );
        }
    }
    assert!(checked > 1000, "checked {checked}");
    // and the link itself answers
    let c = app.logged_in(Role::Viewer).await;
    let href = web::views::report::drill_href(
        domain::report::indicator(IndicatorId::PublicityLandSiteClearance).expect("ind"),
        &report.total_period(),
    )
    .expect("href");
    let r = c.get(&href).await;
    assert_eq!(r.status, StatusCode::OK, "{href}");
    let total = report
        .row(IndicatorId::PublicityLandSiteClearance)
        .expect("row")
        .total
        .vn();
    assert!(
        r.body.contains(&format!("tổng {total}")),
        "{href} shows the sum {total}"
    );
    let _ = WardId(0);
}

pub fn multipart(csrf: &str, kind: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "XqcdcBoundary";
    let mut b = Vec::new();
    for (name, value) in [("csrf", csrf), ("kind", kind)] {
        b.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    b.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
    b.extend(file);
    b.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}

crate::engine_test!(import_page_previews_then_confirms);
async fn import_page_previews_then_confirms() {
    let app = crate::helpers::spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let page = c.get("/import").await;
    assert_eq!(page.status, StatusCode::OK);
    let token = crate::helpers::extract_csrf(&page.body).expect("csrf");
    let upload = |file: &'static [u8]| {
        let (ct, body) = multipart(&token, "documents", file);
        axum::http::Request::post("/import")
            .header(header::CONTENT_TYPE, ct)
            .body(axum::body::Body::from(body))
            .expect("request")
    };
    // errors: every row located, nothing stored
    let bad = c.send(upload("date,number,issuer,kind,title\n2018-02-30,1-QĐ/ĐU,party_committee,plan,A\n2018-03-01,2-QĐ/ĐU,nobody,plan,B\n".as_bytes())).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Ngày không hợp lệ") && bad.body.contains("issuer"));
    // a legacy encoding is named
    let old = c.send(upload(b"date,number,issuer,kind,title\n2018-01-01,1,party_committee,plan,Ph\xad\xeang Ng\xe4c Th\xf9y\n")).await;
    assert!(old.body.contains("TCVN3"), "{}", old.body);
    // a good file: preview, nothing stored yet, then confirm
    let good = c.send(upload("date,number,issuer,kind,title\n2018-02-01,1-QĐ/ĐU,party_committee,consolidate_committee,Kiện toàn BCĐ\n05/03/2019,2-KH/ĐU,Đảng ủy,plan,Kế hoạch\n".as_bytes())).await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.body);
    assert!(good.body.contains("Xác nhận lưu 2 bản ghi"));
    assert!(
        good.body.contains("<td>Kiện toàn BCĐ</td>") && good.body.contains("<td>05/03/2019</td>"),
        "the preview shows labels and dd/mm/yyyy: {}",
        good.body
    );
    assert!(!good.body.contains("consolidate_committee</td>") && !good.body.contains("2019-03-05"));
    assert!(good.body.contains("<th>Cơ quan ban hành</th>"));
    let list = app
        .store
        .list::<domain::Document>(app.ward, &Default::default())
        .await
        .expect("list");
    assert_eq!(list.total, 0);
    let import_token = good
        .body
        .split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("token")
        .to_string();
    // another user cannot confirm someone else's upload
    let other = app.logged_in(Role::Admin).await;
    assert_eq!(
        other
            .post("/import/confirm", &[("token", &import_token)])
            .await
            .status,
        StatusCode::CONFLICT
    );
    let done = c.post("/import/confirm", &[("token", &import_token)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/documents");
    let list = app
        .store
        .list::<domain::Document>(app.ward, &Default::default())
        .await
        .expect("list");
    assert_eq!(list.total, 2);
    // confirming twice imports nothing more
    assert_eq!(
        c.post("/import/confirm", &[("token", &import_token)])
            .await
            .status,
        StatusCode::CONFLICT
    );
    // viewers cannot import
    let v = app.logged_in(Role::Viewer).await;
    assert_eq!(v.get("/import").await.status, StatusCode::FORBIDDEN);
}

crate::engine_test!(review_draft_page_save_and_docx);
async fn review_draft_page_save_and_docx() {
    let app = demo_app().await;
    let deputy = app.logged_in(Role::Deputy).await;
    let r = deputy
        .get("/reports/review?from=2014-01-01&to=2018-06-27")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for s in [
        "15.135",
        "142",
        "338",
        "502",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ QUẬN LONG BIÊN",
        "T/M ĐẢNG ỦY",
        "Lưu thành bản dự thảo",
    ] {
        assert!(r.body.contains(s), "missing {s}");
    }
    // save a draft with the committee's own text, then edit it
    let token = crate::helpers::extract_csrf(&r.body).expect("csrf");
    let mut form: Vec<(String, String)> = app::review::suggested_pairs("2014-01-01", "2018-06-27");
    form.retain(|(k, _)| k != "number" && k != "limitations");
    form.push(("number".into(), "25-BC/ĐU".into()));
    form.push((
        "limitations".into(),
        "Một số chi bộ chưa thường xuyên <b>sinh hoạt</b>.".into(),
    ));
    form.push(("csrf".into(), token));
    let saved = deputy.post_raw("/reports/review", &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let loc = saved.location().to_string();
    let page = deputy.get(&loc).await;
    assert!(page.body.contains("Số 25-BC/ĐU"));
    assert!(
        page.body.contains("&lt;b&gt;sinh hoạt&lt;/b&gt;"),
        "the committee's text is escaped"
    );
    // bad input keeps the form and says why
    let token = crate::helpers::extract_csrf(&page.body).expect("csrf");
    let id = loc.rsplit('=').next().expect("id");
    let bad = deputy
        .post_raw(
            &format!("/reports/review/{id}"),
            &[("csrf".into(), token), ("from".into(), "2018-13-01".into())],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // the secretary reads but may not save drafts; the viewer cannot download
    let sec = app.logged_in(Role::Secretary).await;
    let r = sec.get(&loc).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("Lưu bản dự thảo"));
    assert_eq!(
        sec.post(&format!("/reports/review/{id}"), &[("title", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.logged_in(Role::Viewer)
            .await
            .get(&format!("/reports/review.docx?draft={id}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let docx = app_bytes(
        &app,
        &format!("/reports/review.docx?draft={id}"),
        Role::Deputy,
    )
    .await;
    assert!(docx.starts_with(b"PK"), "a zip (Office Open XML) file");
    // its properties: the document's title, the ward as author, the real creation time
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("zip");
    let mut core = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("docProps/core.xml").expect("core"),
        &mut core,
    )
    .expect("utf-8");
    assert!(
        core.contains("<dc:creator>Phường Ngọc Thụy</dc:creator>"),
        "{core}"
    );
    assert!(core.contains("<dc:title>BÁO CÁO"), "{core}");
    let created = core
        .split("<dcterms:created xsi:type=\"dcterms:W3CDTF\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("created");
    let created = chrono::DateTime::parse_from_rfc3339(created).expect("a W3CDTF time");
    let age = chrono::Utc::now().signed_duration_since(created);
    assert!(age.num_seconds().abs() < 600, "made just now: {created}");
}

crate::engine_test!(record_exports_stream_the_import_format);
async fn record_exports_stream_the_import_format() {
    let app = demo_app().await;
    let deputy = app.logged_in(Role::Deputy).await;
    let r = deputy.get("/publicity.csv?headers=codes").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r
        .body
        .starts_with("\u{feff}date,channel,topic,title,count,"));
    let people = deputy.get("/publicity.csv").await;
    assert!(
        people
            .body
            .starts_with("\u{feff}Ngày,Hình thức,Nội dung,Tiêu đề,Số lượt,"),
        "{}",
        &people.body[..200.min(people.body.len())]
    );
    assert_eq!(
        people.body.trim_end().split("\r\n").count(),
        r.body.trim_end().split("\r\n").count()
    );
    let rows = r.body.trim_end().split("\r\n").count() - 1;
    let stored = app
        .store
        .list::<domain::PublicityItem>(app.ward, &Default::default())
        .await
        .expect("list")
        .total as usize;
    assert_eq!(rows, stored, "every record, nothing cut");
    // the export imports back unchanged into a fresh ward
    let fresh = crate::helpers::spawn_app().await;
    for kind in [domain::Kind::ResidentialGroups, domain::Kind::Publicity] {
        let csv = deputy.get(&format!("/{}.csv", kind.slug())).await.body;
        let plan = app::import::run(
            &fresh.store,
            fresh.ward,
            &store::Actor::new("t"),
            kind,
            None,
            csv.as_bytes(),
            false,
        )
        .await;
        assert!(
            plan.is_ok(),
            "{kind:?}: {:?}",
            plan.err().map(|e| e.to_string())
        );
    }
    assert_eq!(
        app.logged_in(Role::Viewer)
            .await
            .get("/publicity.csv")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

/// Uploads a file through `/import` and confirms it; the confirmation's status.
async fn import_through_the_page(
    c: &crate::helpers::Client,
    kind: domain::Kind,
    file: &[u8],
) -> Result<(), String> {
    let page = c.get("/import").await;
    let token = crate::helpers::extract_csrf(&page.body).expect("csrf");
    let (ct, body) = multipart(&token, kind.code(), file);
    let req = axum::http::Request::post("/import")
        .header(header::CONTENT_TYPE, ct)
        .body(axum::body::Body::from(body))
        .expect("request");
    let preview = c.send(req).await;
    if preview.status != StatusCode::OK {
        return Err(preview.body);
    }
    let import_token = preview
        .body
        .split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("token")
        .to_string();
    let done = c.post("/import/confirm", &[("token", &import_token)]).await;
    if done.status != StatusCode::SEE_OTHER {
        return Err(done.body);
    }
    Ok(())
}

crate::engine_test!(record_exports_of_every_kind_round_trip_through_the_import_page);
/// Every kind, in both forms of `/{kind}.csv` (for people and `?headers=codes`),
/// imports back unchanged through `/import`: the fresh ward's code form equals the
/// demo's.
async fn record_exports_of_every_kind_round_trip_through_the_import_page() {
    let app = demo_app().await;
    let deputy = app.logged_in(Role::Deputy).await;
    for query in ["", "?headers=codes"] {
        let fresh = crate::helpers::spawn_app().await;
        let secretary = fresh.logged_in(Role::Secretary).await;
        let fresh_reader = fresh.logged_in(Role::Deputy).await;
        for kind in domain::Kind::ALL {
            let file = deputy.get(&format!("/{}.csv{query}", kind.slug())).await;
            assert_eq!(file.status, StatusCode::OK);
            if query.is_empty() {
                let first = kind.columns()[0].label;
                assert!(
                    file.body.starts_with(&format!("\u{feff}{first},")),
                    "{kind:?}"
                );
            }
            import_through_the_page(&secretary, *kind, file.body.as_bytes())
                .await
                .unwrap_or_else(|e| panic!("{kind:?} {query}: {e}"));
        }
        for kind in domain::Kind::ALL {
            let uri = format!("/{}.csv?headers=codes", kind.slug());
            let a = deputy.get(&uri).await.body;
            let b = fresh_reader.get(&uri).await.body;
            assert!(
                a.trim_end().lines().count() > 1,
                "{kind:?}: the demo has records"
            );
            assert_eq!(a, b, "{kind:?} {query}");
        }
    }
}

crate::engine_test!(import_errors_name_the_spreadsheet_line_and_the_value);
/// A refused file's problems as a spreadsheet shows it: the line (header = 1), the
/// column's label, the value quoted, the allowed values by their labels.
async fn import_errors_name_the_spreadsheet_line_and_the_value() {
    let app = crate::helpers::spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let page = c.get("/import").await;
    let token = crate::helpers::extract_csrf(&page.body).expect("csrf");
    let file = "ngay ban hanh,Số hiệu,Cơ quan ban hành,Loại văn bản,Trích yếu\n\
                05/03/2019,1-KH/ĐU,Đảng ủy,Kế hoạch,A\n\
                31/02/2019,2-KH/ĐU,Ban lạ,Kế hoạch,B\n";
    let (ct, body) = multipart(&token, "documents", file.as_bytes());
    let r = c
        .send(
            axum::http::Request::post("/import")
                .header(header::CONTENT_TYPE, ct)
                .body(axum::body::Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let table = r.body.split("<tbody>").nth(1).expect("problems table");
    assert!(
        table.contains("<td class=\"num\">3</td><td>Ngày ban hành</td><td>«31/02/2019»</td>"),
        "{table}"
    );
    assert!(
        table.contains("<td>Cơ quan ban hành</td><td>«Ban lạ»</td>"),
        "{table}"
    );
    assert!(
        table.contains("«Ban chỉ đạo QCDC»") && !table.contains("steering_committee"),
        "{table}"
    );
}
