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

#[tokio::test]
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
