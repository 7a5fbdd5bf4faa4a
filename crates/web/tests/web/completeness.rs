//! Completeness at a glance through the router, with figures worked out by hand: a
//! ward's groups × years × activity (gaps highlighted and counted, only groups active
//! in a year), its back-filled records' sources, both CSVs in both header forms, and the
//! city's wards × months with the late and empty wards first.

use axum::http::StatusCode;
use chrono::Datelike;

use domain::{Conference, Input, PublicityItem, Record, ResidentialGroup, Role};
use store::Actor;

use crate::helpers::*;

fn parse<T: Record>(pairs: &[(&str, &str)]) -> T {
    let input: Input = pairs.iter().map(|(k, v)| (*k, *v)).collect();
    T::parse(&input).expect("valid test record")
}

/// Groups 1 (always), 2 (from 1/3/2025), 3 (dissolved 1/1/2025); conferences of group 1
/// in 2024 (one with a source), of group 3 in 2024, of group 2 in 2025 (with a source);
/// a publicity item of group 1 in 2025.
async fn ward_records(app: &TestApp) {
    let (s, w, me) = (&app.store, app.ward, Actor::system());
    for (n, est, dis) in [
        ("1", "", ""),
        ("2", "2025-03-01", ""),
        ("3", "", "2025-01-01"),
    ] {
        let g: ResidentialGroup = parse(&[
            ("number", n),
            ("name", &format!("Tổ {n}")),
            ("established", est),
            ("dissolved", dis),
        ]);
        s.create(w, &me, &g).await.expect("group");
    }
    for (date, group, source) in [
        ("2024-02-01", "1", "Báo cáo số 12-BC/ĐU"),
        ("2024-09-01", "1", ""),
        ("2024-10-01", "3", ""),
        ("2025-04-01", "2", "Sổ ghi chép"),
    ] {
        let c: Conference = parse(&[
            ("date", date),
            ("kind", "review"),
            ("title", "Hội nghị"),
            ("attendees", "40"),
            ("residential_group", group),
            ("source", source),
        ]);
        s.create(w, &me, &c).await.expect("conference");
    }
    let p: PublicityItem = parse(&[
        ("date", "2025-06-01"),
        ("channel", "radio"),
        ("topic", "qcdc"),
        ("count", "3"),
        ("residential_group", "1"),
    ]);
    s.create(w, &me, &p).await.expect("publicity");
}

crate::engine_test!(a_ward_sees_its_gaps_and_sources);
async fn a_ward_sees_its_gaps_and_sources() {
    let app = spawn_app().await;
    ward_records(&app).await;
    let viewer = app.logged_in(Role::Viewer).await;
    let page = viewer
        .get("/reports/completeness?from=01/01/2024&to=31/12/2025")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Group 1: 2024 [2, 0], 2025 [0, 1]; group 2: 2025 [1, 0]; group 3: 2024 [1, 0].
    assert!(
        page.body.contains("<strong>4</strong> ô thiếu"),
        "{}",
        page.body
    );
    assert_eq!(
        page.body.matches("class=\"num gap\"").count(),
        4 + 2,
        "4 gaps, 2 sources without"
    );
    assert_eq!(page.body.matches("class=\"num inactive\"").count(), 4);
    for share in ["33,3%", "100,0%", "0,0%"] {
        assert!(page.body.contains(share), "{share}: {}", page.body);
    }
    // The viewer may not download; the CSV links are not offered.
    assert!(!page.body.contains("/reports/completeness.csv"));
    assert_eq!(
        viewer
            .get("/reports/completeness.csv?view=groups")
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let deputy = app.logged_in(Role::Deputy).await;
    let csv = deputy
        .get("/reports/completeness.csv?view=groups&from=2024-01-01&to=2025-12-31&headers=codes")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.body.trim_start_matches('\u{feff}'),
        "group,name,year,kind,records\r\n\
         1,Tổ 1,2024,conferences,2\r\n1,Tổ 1,2024,publicity,0\r\n\
         1,Tổ 1,2025,conferences,0\r\n1,Tổ 1,2025,publicity,1\r\n\
         2,Tổ 2,2025,conferences,1\r\n2,Tổ 2,2025,publicity,0\r\n\
         3,Tổ 3,2024,conferences,1\r\n3,Tổ 3,2024,publicity,0\r\n"
    );
    let csv = deputy
        .get("/reports/completeness.csv?view=sources&from=2024-01-01&to=2025-12-31")
        .await;
    assert_eq!(
        csv.body.trim_start_matches('\u{feff}'),
        "Loại bản ghi,Năm,Bản ghi nhập bổ sung,Có nguồn,Không có nguồn,Tỷ lệ có nguồn (%)\r\n\
         Hội nghị,2024,3,1,2,33.3\r\nHội nghị,2025,1,1,0,100.0\r\n\
         \"Tin bài, thông báo, công khai\",2025,1,0,1,0.0\r\n"
    );
    assert_eq!(
        deputy
            .get("/reports/completeness.csv?view=other")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // The city page is the city's.
    assert_eq!(
        deputy.get("/reports/city/completeness").await.status,
        StatusCode::FORBIDDEN
    );
}

crate::engine_test!(the_city_sees_late_and_empty_wards_first);
async fn the_city_sees_late_and_empty_wards_first() {
    let app = spawn_app().await;
    let me = Actor::system();
    app.add_ward("bo-de", "Phường Bồ Đề").await;
    app.add_account("thanhpho-xem", Role::CityViewer, None)
        .await;
    ward_records(&app).await;
    let today = web::clock::today();
    let [(from, to), _] = domain::completeness::last_finished(today);
    app.store
        .begin_submission(app.ward, from, to)
        .await
        .expect("begin")
        .finish(&me, "x")
        .await
        .expect("submit");
    let city = app.client();
    assert_eq!(
        city.login("thanhpho-xem", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let page = city.get("/reports/city/completeness").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Bồ Đề (nothing entered, nothing submitted) comes first.
    let row = |name: &str| {
        page.body
            .find(&format!("<th scope=\"row\">{name}"))
            .expect("the ward's row")
    };
    let (bo_de, ngoc_thuy) = (row("Phường Bồ Đề"), row("Phường Ngọc Thụy"));
    assert!(bo_de < ngoc_thuy);
    assert!(
        page.body
            .contains("1 phường chậm nộp, 1 phường không có dữ liệu"),
        "{}",
        page.body
    );
    let csv = city
        .get("/reports/city/completeness.csv?headers=codes")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let body = csv.body.trim_start_matches('\u{feff}');
    let mut lines = body.lines();
    assert_eq!(
        lines.next(),
        Some("ward,name,month,entered,submitted,reopened,late,empty")
    );
    let month = format!("{}-{:02}", today.year(), today.month());
    // 3 groups, 4 conferences and a publicity item entered this month, one submission.
    assert!(
        body.lines()
            .any(|l| l == format!("ngoc-thuy,Phường Ngọc Thụy,{month},8,1,0,0,0")),
        "{body}"
    );
    assert!(
        body.lines()
            .any(|l| l == format!("bo-de,Phường Bồ Đề,{month},0,0,0,1,1")),
        "{body}"
    );
    assert!(
        lines.next().is_some_and(|l| l.starts_with("bo-de,")),
        "late and empty first"
    );
}
