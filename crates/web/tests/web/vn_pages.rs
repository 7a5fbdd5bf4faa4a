//! Pages as a Vietnamese user reads them: times in Vietnam time, search without
//! diacritics, Vietnamese alphabetical order.

use axum::http::StatusCode;
use domain::Role;

use crate::helpers::*;

/// The stored-now time as the pages show it, in Vietnam time (UTC+7), to the hour.
fn vietnam_hours() -> Vec<String> {
    let vn = chrono::FixedOffset::east_opt(7 * 3600).expect("offset");
    let now = chrono::Utc::now().with_timezone(&vn);
    // a page made just before the hour turns may show the earlier hour
    [now - chrono::Duration::minutes(2), now]
        .iter()
        .map(|t| t.format("%d/%m/%Y %H:").to_string())
        .collect()
}

crate::engine_test!(times_are_shown_in_vietnam_time);
async fn times_are_shown_in_vietnam_time() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let r = c
        .post(
            "/conferences",
            &as_refs(&conference("01/03/2018", "Hội nghị giờ Việt Nam", "10")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_from_location(r.location());
    let hours = vietnam_hours();
    let page = c.get(&format!("/conferences/{id}")).await.body;
    assert!(
        hours.iter().any(|h| page.contains(&format!("lúc {h}"))),
        "record history in Vietnam time ({hours:?}): {page}"
    );
    assert!(!page.contains("UTC"), "{page}");
    let deputy = app.logged_in(Role::Deputy).await;
    for uri in [
        format!("/admin/audit?entity=conferences&id={id}"),
        "/".to_string(),
    ] {
        let audit = deputy.get(&uri).await;
        assert_eq!(audit.status, StatusCode::OK, "{uri}");
        assert!(
            hours
                .iter()
                .any(|h| audit.body.contains(&format!("<td>{h}"))),
            "{uri} in Vietnam time ({hours:?}): {}",
            audit.body
        );
        assert!(!audit.body.contains("UTC"), "{uri}: {}", audit.body);
    }
}

crate::engine_test!(lists_are_searched_without_diacritics);
async fn lists_are_searched_without_diacritics() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    for (number, title) in [
        ("01/KH-ĐU", "Triển khai Pháp lệnh Hòa giải ở cơ sở"),
        ("02/KH-UB", "Đón tiếp công dân"),
        ("03/KH-UB", "Kế hoạch năm"),
    ] {
        let r = c
            .post(
                "/documents",
                &[
                    ("date", "01/03/2018"),
                    ("number", number),
                    ("issuer", "party_committee"),
                    ("kind", "plan"),
                    ("title", title),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    for (q, found) in [
        ("hoa+giai", &["Pháp lệnh Hòa giải"][..]),
        ("h%C3%B2a+gi%E1%BA%A3i", &["Pháp lệnh Hòa giải"]),
        ("phap+lenh", &["Pháp lệnh Hòa giải"]),
        ("PHAP+LENH", &["Pháp lệnh Hòa giải"]),
        // đ and Đ are searched as d
        ("don+tiep", &["Đón tiếp công dân"]),
        ("%C4%90", &["Pháp lệnh Hòa giải", "Đón tiếp công dân"]),
    ] {
        let body = c.get(&format!("/documents?q={q}")).await.body;
        assert!(
            body.contains(&format!("Tìm thấy {} bản ghi", found.len())),
            "{q}: {body}"
        );
        for title in found {
            assert!(body.contains(title), "{q} finds {title}");
        }
        assert!(!body.contains("Kế hoạch năm"), "{q}");
    }

    let r = c
        .post(
            "/dialogues",
            &[
                ("date", "01/02/2018"),
                ("host", "both"),
                ("counterpart", "residents"),
                ("participants", "120"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let did = id_from_location(r.location());
    for content in ["Sửa đường ngõ 5", "Hòa giải tranh chấp đất"] {
        let r = c
            .post(
                &format!("/dialogues/{did}/opinions"),
                &[
                    ("content", content),
                    ("response", "referred"),
                    ("status", "open"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    for uri in ["/opinions/open?q=hoa+giai", "/opinions?q=hoa+giai"] {
        let body = c.get(uri).await.body;
        assert!(body.contains("Hòa giải tranh chấp đất"), "{uri}: {body}");
        assert!(!body.contains("Sửa đường ngõ 5"), "{uri}");
    }
    let body = c.get("/opinions/open?q=%C4%90UONG").await.body;
    assert!(body.contains("Sửa đường ngõ 5") && !body.contains("Hòa giải tranh chấp"));
}

crate::engine_test!(names_sort_in_vietnamese_order_with_natural_numbers);
async fn names_sort_in_vietnamese_order_with_natural_numbers() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let r = c
        .post(
            "/residential-groups",
            &[("number", "1"), ("name", "Tổ dân phố số 1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cells = [
        "Chi bộ Dân Chủ",
        "Chi bộ Đông Hưng",
        "Chi bộ khu dân cư số 2",
        "Chi bộ khu dân cư số 10",
    ];
    for name in [cells[3], cells[1], cells[2], cells[0]] {
        let r = c
            .post(
                "/party-cells",
                &[
                    ("name", name),
                    ("kind", "residential"),
                    ("residential_groups", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let in_order = |body: &str, pattern: &dyn Fn(&str) -> String| {
        let at: Vec<usize> = cells
            .iter()
            .map(|c| {
                body.find(&pattern(c))
                    .unwrap_or_else(|| panic!("{c}: {body}"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}: {body}");
    };
    in_order(&c.get("/party-cells").await.body, &|c| format!("{c}<"));
    in_order(&c.get("/conferences/new").await.body, &|c| {
        format!(r#"<option value="{c}">"#)
    });

    for name in [
        "Trần Văn Bình",
        "Lê Thị Ánh",
        "Nguyễn Văn An",
        "Phạm Văn Đức",
    ] {
        let r = c
            .post(
                "/committee-members",
                &[
                    ("decision_date", "01/03/2018"),
                    ("decision_number", "12-QĐ/ĐU"),
                    ("name", name),
                    ("position", "member"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let body = c.get("/committee-members").await.body;
    let at: Vec<usize> = [
        "Nguyễn Văn An",
        "Lê Thị Ánh",
        "Trần Văn Bình",
        "Phạm Văn Đức",
    ]
    .iter()
    .map(|n| body.find(n).unwrap_or_else(|| panic!("{n}: {body}")))
    .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "members by given name: {at:?}"
    );
}
