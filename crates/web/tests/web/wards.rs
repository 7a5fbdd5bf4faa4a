//! Two wards in one database: each ward's accounts see and change only their ward
//! (another ward's record is not found), the city accounts choose the ward they look at
//! and change no record, and a ward's administrator manages only its accounts.

use axum::http::StatusCode;
use domain::ward::{Ward, WardCode};
use domain::Role;
use store::Actor;

use crate::helpers::*;

const CONF: &[(&str, &str)] = &[
    ("date", "15/03/2018"),
    ("kind", "dissemination"),
    ("title", "Hội nghị của phường hai"),
    ("attendees", "40"),
];

crate::engine_test!(each_ward_sees_only_its_own_and_the_city_chooses);
async fn each_ward_sees_only_its_own_and_the_city_chooses() {
    let app = spawn_app().await;
    let me = Actor::system();
    let second = app
        .store
        .add_ward(
            &me,
            &WardCode::parse("bo-de").expect("code"),
            &Ward {
                name: "Phường Bồ Đề".into(),
                district: None,
                province: None,
            },
        )
        .await
        .expect("second ward");
    let hash = app::passwords::hash(PASSWORD).expect("hash");
    for (name, role, ward) in [
        ("thuky-bode", Role::Secretary, Some(second)),
        ("quantri-bode", Role::Admin, Some(second)),
        ("thanhpho", Role::CityViewer, None),
        ("thanhpho-qt", Role::CityAdmin, None),
    ] {
        app.store
            .create_user_in(&me, ward, name, None, role, &hash)
            .await
            .expect("account");
    }
    let login = |name: &'static str| {
        let c = app.client();
        async move {
            let r = c.login(name, PASSWORD).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{name}: {}", r.body);
            c
        }
    };

    // the first ward's secretary records a conference
    let first = app.logged_in(Role::Secretary).await;
    let r = first.post("/conferences", CONF).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location().to_string();

    // the second ward's secretary does not find it, by list or by id, nor can change it
    let other = login("thuky-bode").await;
    assert!(!other.get("/conferences").await.body.contains("phường hai"));
    assert_eq!(other.get(&loc).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.post(&format!("{loc}/delete"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get(&format!("{loc}/edit")).await.status,
        StatusCode::NOT_FOUND
    );
    // and is not offered, nor allowed, the city's ward list
    assert!(!other.get("/").await.body.contains("href=\"/wards\""));
    assert_eq!(other.get("/wards").await.status, StatusCode::FORBIDDEN);

    // the city viewer sees the first ward, says so, and may switch to the second
    let city = login("thanhpho").await;
    let home = city.get("/conferences").await;
    assert!(
        home.body
            .contains("Đang xem: <strong>Phường Ngọc Thụy</strong>"),
        "{}",
        home.body
    );
    assert!(home.body.contains("phường hai"));
    let wards = city.get("/wards").await;
    assert!(wards.body.contains("bo-de") && wards.body.contains("Phường Bồ Đề"));
    let r = city
        .post("/wards/choose", &[("ward", &second.0.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = city.get("/conferences").await;
    assert!(list
        .body
        .contains("Đang xem: <strong>Phường Bồ Đề</strong>"));
    assert!(!list.body.contains("phường hai"));
    assert_eq!(city.get(&loc).await.status, StatusCode::NOT_FOUND);
    // a ward that does not exist is not chosen
    assert_eq!(
        city.post("/wards/choose", &[("ward", "9999")]).await.status,
        StatusCode::NOT_FOUND
    );
    // the city roll-up: both wards side by side and the city's total, and its CSV
    let roll = city
        .get("/reports/city?from=2018-01-01&to=2018-12-31")
        .await;
    assert_eq!(roll.status, StatusCode::OK, "{}", roll.body);
    assert!(roll.body.contains("Phường Bồ Đề") && roll.body.contains("Phường Ngọc Thụy"));
    assert!(roll.body.contains("Toàn thành phố"));
    let csv = city
        .get("/reports/city.csv?from=2018-01-01&to=2018-12-31&by=total&headers=codes")
        .await;
    assert!(
        csv.body
            .starts_with("\u{feff}ward,indicator,name,unit,period,value"),
        "{}",
        csv.body
    );
    assert!(
        csv.body
            .contains("total,conferences.count,Hội nghị đã tổ chức,hội nghị,total,1"),
        "{}",
        csv.body
    );
    assert!(csv
        .body
        .contains("bo-de,conferences.count,Hội nghị đã tổ chức,hội nghị,total,0"));
    assert_eq!(
        other.get("/reports/city").await.status,
        StatusCode::FORBIDDEN
    );

    // the city changes no record
    assert_eq!(
        city.post("/conferences", CONF).await.status,
        StatusCode::FORBIDDEN
    );

    // a ward's administrator manages its own accounts only
    let admin2 = login("quantri-bode").await;
    let users = admin2.get("/admin/users").await;
    assert!(users.body.contains("thuky-bode"));
    assert!(!users.body.contains("quantri<") && !users.body.contains("thanhpho"));
    assert!(!users.body.contains("city_admin"), "no city role offered");
    let first_admin = app
        .store
        .credentials(username(Role::Admin))
        .await
        .expect("lookup")
        .expect("admin")
        .user
        .id;
    assert_eq!(
        admin2
            .post(&format!("/admin/users/{first_admin}/disable"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = admin2
        .post(
            "/admin/users",
            &[
                ("username", "lanhdao"),
                ("role", "city_viewer"),
                ("password", "mat-khau-dai-du-2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // the city administrator sees every account
    let city_admin = login("thanhpho-qt").await;
    let all = city_admin.get("/admin/users").await;
    assert!(all.body.contains("thuky-bode") && all.body.contains(username(Role::Secretary)));
}
