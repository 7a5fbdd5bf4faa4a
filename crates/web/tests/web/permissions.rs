//! The route × role matrix, enumerated from the one permission table.

use std::collections::HashSet;

use axum::http::{Method, StatusCode};
use domain::Role;
use web::perms::{rules, Perm};
use web::routes;

use crate::helpers::*;

#[test]
fn every_registered_route_has_a_rule_and_every_rule_a_route() {
    let registered: HashSet<(Method, String)> = routes().registered.into_iter().collect();
    let ruled: HashSet<(Method, String)> =
        rules().into_iter().map(|r| (r.method, r.path)).collect();
    let unruled: Vec<_> = registered.difference(&ruled).collect();
    assert!(
        unruled.is_empty(),
        "routes without a permission rule: {unruled:?}"
    );
    let unregistered: Vec<_> = ruled.difference(&registered).collect();
    assert!(
        unregistered.is_empty(),
        "rules for no route: {unregistered:?}"
    );
    assert_eq!(rules().len(), ruled.len(), "a route has two rules");
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "999999")
        .replace("{token}", "no-such-token")
}

crate::engine_test!(every_route_checks_the_role);
async fn every_route_checks_the_role() {
    let app = spawn_app().await;
    let registered: HashSet<(Method, String)> = routes().registered.into_iter().collect();
    let table: Vec<_> = rules()
        .into_iter()
        .filter(|r| registered.contains(&(r.method.clone(), r.path.clone())))
        .collect();
    let mut checked = 0;
    for role in ROLES {
        let mut c = app.logged_in(role).await;
        // Public routes are checked without a login below.
        for r in table.iter().filter(|r| r.perm != Perm::Public) {
            let uri = concrete(&r.path);
            let res = if r.method == Method::GET {
                c.get(&uri).await
            } else {
                c.post(&uri, &[]).await
            };
            let allowed = r.perm.allows(role);
            if allowed {
                assert!(
                    res.status != StatusCode::FORBIDDEN && res.status != StatusCode::UNAUTHORIZED,
                    "{role:?} should reach {} {}: got {}",
                    r.method,
                    r.path,
                    res.status
                );
                assert!(
                    res.status != StatusCode::INTERNAL_SERVER_ERROR,
                    "{} {} as {role:?}: 500\n{}",
                    r.method,
                    r.path,
                    res.body
                );
            } else {
                assert_eq!(
                    res.status,
                    StatusCode::FORBIDDEN,
                    "{role:?} must be refused {} {}",
                    r.method,
                    r.path
                );
            }
            checked += 1;
            if r.path == "/logout" && allowed {
                c = app.logged_in(role).await;
            }
        }
    }
    assert!(checked > 380, "only {checked} checks");

    // Without a login: public routes answer, pages redirect, other methods get 401.
    let anon = app.client();
    for r in &table {
        let uri = concrete(&r.path);
        let res = if r.method == Method::GET {
            anon.get(&uri).await
        } else {
            anon.post(&uri, &[]).await
        };
        match (r.perm, r.method.clone()) {
            // An empty login form is a failed login (401), not a refusal.
            (Perm::Public, _) => assert!(
                res.status != StatusCode::FORBIDDEN && res.status.as_u16() < 500,
                "{} {} is public",
                r.method,
                r.path
            ),
            (_, Method::GET) => {
                assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", r.path);
                assert!(res.location().starts_with("/login?next="), "{}", r.path);
            }
            _ => assert_eq!(
                res.status,
                StatusCode::UNAUTHORIZED,
                "{} {}",
                r.method,
                r.path
            ),
        }
    }
}

#[test]
fn roles_get_what_the_brief_says() {
    use Perm::*;
    assert!(Admin.allows(Role::Admin) && !Admin.allows(Role::Secretary));
    assert!(
        Write.allows(Role::Secretary) && !Write.allows(Role::Deputy) && !Write.allows(Role::Viewer)
    );
    assert!(
        Audit.allows(Role::Deputy) && !Audit.allows(Role::Secretary) && !Audit.allows(Role::Viewer)
    );
    assert!(Export.allows(Role::Deputy) && !Export.allows(Role::Viewer));
    assert!(Read.allows(Role::Viewer));
}

/// The `(attribute value)` of each `<tag …>` in `html` that has `attr`, `&amp;`
/// decoded.
fn attrs(html: &str, tag: &str, attr: &str) -> Vec<(String, String)> {
    let open = format!("<{tag} ");
    let key = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let t = &rest[i..];
        let end = t.find('>').unwrap_or(t.len());
        let whole = &t[..end];
        if let Some(j) = whole.find(&key) {
            let v = &whole[j + key.len()..];
            let v = &v[..v.find('"').unwrap_or(v.len())];
            out.push((whole.to_string(), v.replace("&amp;", "&")));
        }
        rest = &t[end..];
    }
    out
}

/// The rule of a concrete path (`/conferences/12/edit`): the matching pattern with
/// the most literal segments (`/conferences/new` before `/conferences/{id}`).
fn rule_of(method: &Method, path: &str) -> Option<Perm> {
    let segs: Vec<&str> = path.split('/').collect();
    rules()
        .into_iter()
        .filter(|r| r.method == *method)
        .filter_map(|r| {
            let pat: Vec<&str> = r.path.split('/').collect();
            let fits = pat.len() == segs.len()
                && pat
                    .iter()
                    .zip(&segs)
                    .all(|(p, s)| p == s || (p.starts_with('{') && !s.is_empty()));
            let literal = pat.iter().filter(|p| !p.starts_with('{')).count();
            fits.then_some((literal, r.perm))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, perm)| perm)
}

crate::engine_test!(nobody_is_offered_what_they_would_be_refused);
/// Nobody is offered a link, a button or an editable form they would be refused: every
/// `href` and every form's `action` on every page a role may open is checked against
/// the permission table for that role.
async fn nobody_is_offered_what_they_would_be_refused() {
    let app = spawn_app().await;
    let sec = app.logged_in(Role::Secretary).await;
    let r = sec
        .post(
            "/conferences",
            &as_refs(&conference("01/03/2018", "Hội nghị nhân dân", "120")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cid = id_from_location(r.location());
    let r = sec
        .post(
            "/conferences",
            &as_refs(&conference("02/03/2018", "Hội nghị đã xóa", "80")),
        )
        .await;
    let gone = id_from_location(r.location());
    let r = sec.post(&format!("/conferences/{gone}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = sec
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
    let did = id_from_location(r.location());
    let r = sec
        .post(
            &format!("/dialogues/{did}/opinions"),
            &[
                ("content", "Sửa đường ngõ 5"),
                ("response", "referred"),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let oid = id_from_location(r.location());
    let r = sec
        .post(
            "/ward/terms",
            &[("name_1", "Nhiệm kỳ 2015–2020"), ("start_1", "01/10/2015")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut pages: Vec<String> = [
        "/",
        "/account/password",
        "/ward",
        "/steering-committee",
        "/opinions/open",
        "/admin/users",
        "/admin/audit",
        "/import",
        "/import/history",
        "/reports/summary",
        "/reports/review",
        "/conferences?deleted=1",
        "/conferences/new",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for kind in domain::Kind::ALL {
        pages.push(format!("/{}", kind.slug()));
    }
    pages.extend([
        format!("/conferences/{cid}"),
        format!("/conferences/{cid}/edit"),
        format!("/conferences/{gone}"),
        format!("/dialogues/{did}"),
        format!("/opinions/{oid}"),
    ]);

    let mut offered_but_refused = Vec::new();
    let mut seen = 0;
    for role in ROLES {
        let c = app.logged_in(role).await;
        for page in &pages {
            let path = page.split('?').next().unwrap_or(page);
            let perm = rule_of(&Method::GET, path).unwrap_or_else(|| panic!("no rule: {page}"));
            if !perm.allows(role) {
                continue;
            }
            let r = c.get(page).await;
            assert_eq!(r.status, StatusCode::OK, "{role:?} {page}");
            seen += 1;
            let links = attrs(&r.body, "a", "href")
                .into_iter()
                .map(|(_, h)| (Method::GET, h));
            let forms = attrs(&r.body, "form", "action")
                .into_iter()
                .map(|(tag, a)| {
                    let post = tag.contains("method=\"post\"");
                    (if post { Method::POST } else { Method::GET }, a)
                });
            for (method, target) in links.chain(forms) {
                if !target.starts_with('/') {
                    continue; // fragments (#fn-1), none external
                }
                let path = target.split(['?', '#']).next().unwrap_or(&target);
                match rule_of(&method, path) {
                    Some(p) if p.allows(role) => {}
                    other => offered_but_refused
                        .push(format!("{role:?} on {page}: {method} {target} ({other:?})")),
                }
            }
        }
    }
    assert!(seen > 60, "only {seen} pages seen");
    assert!(
        offered_but_refused.is_empty(),
        "offered but refused:\n{}",
        offered_but_refused.join("\n")
    );

    // The two cases the issue names: the viewer's /ward has no editable term or period
    // boxes, and the review draft offers no .docx to whom may not download it.
    let viewer = app.logged_in(Role::Viewer).await;
    let ward = viewer.get("/ward").await.body;
    assert!(
        !ward.contains("name=\"name_1\"") && !ward.contains("type=\"text\""),
        "{ward}"
    );
    assert!(ward.contains("Nhiệm kỳ 2015–2020") && ward.contains("01/10/2015"));
    let review = viewer.get("/reports/review").await.body;
    assert!(!review.contains(".docx"), "{review}");
    let deputy = app.logged_in(Role::Deputy).await;
    assert!(deputy
        .get("/reports/review")
        .await
        .body
        .contains("/reports/review.docx"));
}
