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

#[tokio::test]
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
