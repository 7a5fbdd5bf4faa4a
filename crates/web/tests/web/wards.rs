//! Two wards in one database: each ward's accounts see and change only their ward
//! (another ward's record is not found), the city accounts choose the ward they look at
//! and change no record, and a ward's administrator manages only its accounts. The
//! route × role matrix across the two wards, generated from the route table: every
//! route naming an `{id}`, with an id of the other ward, for every role on both engines.

use axum::http::{Method, StatusCode};

use domain::{Kind, RecordFilter, Role};
use store::WardId;
use web::perms::{rule_for, Perm};
use web::{routes, AppState, Config};

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
    let second = app.add_ward("bo-de", "Phường Bồ Đề").await;
    for (name, role, ward) in [
        ("thuky-bode", Role::Secretary, Some(second)),
        ("quantri-bode", Role::Admin, Some(second)),
        ("thanhpho", Role::CityViewer, None),
        ("thanhpho-qt", Role::CityAdmin, None),
    ] {
        app.add_account(name, role, ward).await;
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

// ---------------------------------------------------------- the route × role matrix

/// Ward B's ids, one per thing a route names by `{id}`.
struct WardIds {
    /// Per kind: a live record and a deleted one.
    records: Vec<(Kind, i64, i64)>,
    user: i64,
    import: i64,
    draft: i64,
    submission: i64,
}

impl WardIds {
    fn record(&self, kind: Kind) -> (i64, i64) {
        self.records
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map(|(_, live, gone)| (*live, *gone))
            .unwrap_or_else(|| panic!("no record of {kind:?} in ward B"))
    }
}

type Form = Vec<(String, String)>;

/// The concrete URI of a route pattern with ward B's id in it, and the form that a
/// POST carries (valid, so that only the ward can be the reason for a refusal). A new
/// kind's routes are covered by `Kind::ALL`; a new route naming another `{id}` fails
/// here until it is given one.
fn target(path: &str, ids: &WardIds) -> (String, Form) {
    let segs: Vec<&str> = path.split('/').collect();
    let owned = |v: &[(&str, &str)]| pairs(v);
    let (id, form) = match segs.as_slice() {
        ["", "admin", "users", "{id}", action] => (
            ids.user,
            match *action {
                "password" => owned(&[("password", "mat-khau-moi-dai-du-9")]),
                "role" => owned(&[("role", "viewer")]),
                _ => Vec::new(),
            },
        ),
        ["", "import", "{id}", "undo"] => (ids.import, Vec::new()),
        ["", "reports", "submissions", "{id}", rest @ ..] => (
            ids.submission,
            match rest {
                ["reopen"] => owned(&[("reason", "Sửa số liệu hội nghị tháng 3")]),
                _ => Vec::new(),
            },
        ),
        ["", "reports", "review", "{id}"] => (
            ids.draft,
            app::review::suggested_pairs("2018-01-01", "2018-12-31"),
        ),
        ["", slug, "{id}", rest @ ..] if Kind::from_slug(slug).is_some() => {
            let kind = Kind::from_slug(slug).expect("kind");
            let (live, gone) = ids.record(kind);
            match rest {
                [] => (live, crate::security::base(kind, 300)),
                ["restore"] => (gone, Vec::new()),
                ["opinions"] => (live, crate::security::base(Kind::Opinions, 301)),
                ["resolve"] => (
                    live,
                    owned(&[("resolved_on", "01/07/2018"), ("answer", "Đã trả lời")]),
                ),
                _ => (live, Vec::new()),
            }
        }
        _ => panic!("{path}: no id of ward B for this route; add one to `target`"),
    };
    (path.replace("{id}", &id.to_string()), form)
}

/// Everything ward B holds that a route could change: every kind's live and deleted
/// records, imports, review drafts, and with `accounts` its accounts (with their
/// password hashes) and the size of its audit log (every write is audited).
async fn ward_state(app: &TestApp, ward: WardId, accounts: bool) -> String {
    use std::fmt::Write;
    let st = AppState::new(app.store.clone(), ward, Config::default());
    let mut out = String::new();
    for &kind in Kind::ALL {
        for deleted in [false, true] {
            let f = RecordFilter {
                deleted,
                ..RecordFilter::default()
            };
            let page = web::pages::records::ops(kind)
                .list(&st, &f)
                .await
                .expect("list");
            for r in page.items {
                let _ = writeln!(out, "{kind:?} {deleted} {} {:?}", r.id, r.input);
            }
        }
    }
    for u in app.store.users_of(ward).await.expect("users") {
        if !accounts {
            break;
        }
        let hash = app
            .store
            .credentials(&u.username)
            .await
            .expect("credentials")
            .map(|c| c.password_hash);
        let _ = writeln!(out, "{u:?} {hash:?}");
    }
    let _ = writeln!(out, "{:?}", app.store.imports(ward).await.expect("imports"));
    let drafts = app.store.review_drafts(ward).await.expect("drafts");
    let _ = writeln!(out, "{drafts:?}");
    let submissions = app.store.submissions(ward).await.expect("submissions");
    let _ = writeln!(out, "{submissions:?}");
    let audit = app
        .store
        .audit(ward, &store::audit::AuditFilter::default())
        .await
        .expect("audit");
    if accounts {
        let _ = writeln!(out, "audit {}", audit.total);
    }
    out
}

/// Ward B's secretary and deputy record one live and one deleted record of every kind,
/// an import and a review draft.
async fn fill_ward_b(app: &TestApp, ward: WardId) -> WardIds {
    let sec = app.logged_in_as(&username_b(Role::Secretary)).await;
    let token = sec.csrf().await;
    let post = |uri: String, form: Form| {
        let sec = &sec;
        let token = token.clone();
        async move {
            let mut f = form;
            f.push(("csrf".into(), token));
            let r = sec.post_raw(&uri, &f).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{uri}: {}", r.body);
            r.location().to_string()
        }
    };
    let dialogue = crate::security::dialogue(&sec, &token).await;
    let mut records = Vec::new();
    for (n, &kind) in Kind::ALL.iter().enumerate() {
        let create = if kind == Kind::Opinions {
            format!("/dialogues/{dialogue}/opinions")
        } else {
            format!("/{}", kind.slug())
        };
        let live = id_from_location(&post(create.clone(), crate::security::base(kind, n)).await);
        let gone = id_from_location(&post(create, crate::security::base(kind, n + 50)).await);
        post(format!("/{}/{gone}/delete", kind.slug()), Vec::new()).await;
        records.push((kind, live, gone));
    }
    // an import, through the page
    let (ct, body) = crate::reports::multipart(
        &token,
        "documents",
        "date,number,issuer,kind,title\n2018-02-01,7-QĐ/ĐU,party_committee,plan,Kế hoạch nhập\n"
            .as_bytes(),
    );
    let r = sec
        .send(
            axum::http::Request::post("/import")
                .header(axum::http::header::CONTENT_TYPE, ct)
                .body(axum::body::Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let confirm = r
        .body
        .split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("confirm token")
        .to_string();
    post("/import/confirm".into(), pairs(&[("token", &confirm)])).await;
    let import = app.store.imports(ward).await.expect("imports")[0].id;
    // a review draft, by the deputy
    let deputy = app.logged_in_as(&username_b(Role::Deputy)).await;
    let mut form = app::review::suggested_pairs("2018-01-01", "2018-12-31");
    form.push(("csrf".into(), deputy.csrf().await));
    let r = deputy.post_raw("/reports/review", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let draft = r
        .location()
        .rsplit('=')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("draft id");
    let user = app
        .store
        .credentials(&username_b(Role::Viewer))
        .await
        .expect("lookup")
        .expect("ward B's viewer")
        .user
        .id;
    // a period submitted (its records dated in it locked) in 2019, after the records
    let submission = app::periods::submit(
        &app.store,
        ward,
        &store::Actor::new(username_b(Role::Deputy)),
        chrono::NaiveDate::from_ymd_opt(2019, 1, 1).expect("date"),
        chrono::NaiveDate::from_ymd_opt(2019, 12, 31).expect("date"),
    )
    .await
    .expect("submitted");
    WardIds {
        records,
        user,
        import,
        draft,
        submission,
    }
}

/// A page's field errors, for a failure's message.
fn errors_of(body: &str) -> String {
    body.split("class=\"error\"")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .collect::<Vec<_>>()
        .join(" | ")
}

async fn request(c: &Client, token: &str, method: &Method, uri: &str, form: &Form) -> Resp {
    if *method == Method::GET {
        c.get(uri).await
    } else {
        let mut f = form.clone();
        f.push(("csrf".into(), token.to_string()));
        c.post_raw(uri, &f).await
    }
}

crate::engine_test!(every_id_route_across_two_wards_for_every_role);
/// Every route that names an `{id}`, with an id of ward B: each of ward A's roles gets
/// 404 where its role may use the route (403 where it may not) and ward B is unchanged;
/// a city account looking at ward A gets the same, and once it looks at ward B gets
/// what `perms.rs` gives its role.
async fn every_id_route_across_two_wards_for_every_role() {
    let (app, ward_b) = city_app().await;
    let ids = fill_ward_b(&app, ward_b).await;
    // the ids are ward B's
    let st_b = AppState::new(app.store.clone(), ward_b, Config::default());
    for (kind, live, gone) in &ids.records {
        for id in [live, gone] {
            web::pages::records::ops(*kind)
                .get(&st_b, *id)
                .await
                .unwrap_or_else(|e| panic!("{kind:?} {id} in ward B: {e}"));
        }
    }
    app.store
        .import_info_by_id(ward_b, ids.import)
        .await
        .expect("B's import");
    app.store
        .review_draft(ward_b, ids.draft)
        .await
        .expect("B's draft");
    assert_eq!(
        app.store.user(ids.user).await.expect("user").ward,
        Some(ward_b)
    );

    let id_routes: Vec<(Method, String, Perm)> = routes()
        .registered
        .into_iter()
        .filter(|(_, p)| p.contains("{id}"))
        .map(|(m, p)| {
            let perm = rule_for(&m, &p).unwrap_or_else(|| panic!("no rule for {m} {p}"));
            (m, p, perm)
        })
        .collect();
    assert!(
        id_routes.len() >= Kind::ALL.len() * 6 + 8,
        "{}",
        id_routes.len()
    );

    // everyone logs in first (a login is audited), then ward B is not touched
    let mut clients = Vec::new();
    for role in ROLES.into_iter().chain([Role::CityAdmin, Role::CityViewer]) {
        let c = app.logged_in(role).await;
        if role.is_city() {
            let r = c
                .post("/wards/choose", &[("ward", &app.ward.0.to_string())])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
        }
        let token = c.csrf().await;
        clients.push((role, c, token));
    }
    let before = ward_state(&app, ward_b, true).await;
    let mut checked = 0;
    for (role, c, token) in clients.iter().filter(|(r, _, _)| !r.is_city()) {
        for (method, path, perm) in &id_routes {
            let (uri, form) = target(path, &ids);
            let r = request(c, token, method, &uri, &form).await;
            let want = if perm.allows(*role) {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(
                r.status,
                want,
                "{role:?} of ward A: {method} {uri} ({path}): {}",
                errors_of(&r.body)
            );
            checked += 1;
        }
    }
    assert_eq!(checked, ROLES.len() * id_routes.len());
    assert_eq!(
        ward_state(&app, ward_b, true).await,
        before,
        "ward B changed under ward A's requests"
    );

    // The city accounts: what perms.rs gives their role. Looking at ward A, ward B's
    // records, imports and drafts are not found; the accounts are the city's (a city
    // administrator manages every ward's), so their routes answer whichever ward is
    // viewed. Looking at ward B, everything the role may use answers.
    for viewing in [app.ward, ward_b] {
        let records_before = ward_state(&app, ward_b, false).await;
        for (role, c, token) in clients.iter().filter(|(r, _, _)| r.is_city()) {
            let r = c
                .post("/wards/choose", &[("ward", &viewing.0.to_string())])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            for (method, path, perm) in &id_routes {
                let (uri, form) = target(path, &ids);
                let r = request(c, token, method, &uri, &form).await;
                let ctx = format!(
                    "{role:?} viewing {}: {method} {uri} ({path}): {}",
                    if viewing == ward_b { "B" } else { "A" },
                    errors_of(&r.body)
                );
                let city_wide = path.starts_with("/admin/users/");
                if !perm.allows(*role) {
                    assert_eq!(r.status, StatusCode::FORBIDDEN, "{ctx}");
                } else if viewing != ward_b && !city_wide {
                    assert_eq!(r.status, StatusCode::NOT_FOUND, "{ctx}");
                } else {
                    assert!(
                        !matches!(
                            r.status,
                            StatusCode::UNAUTHORIZED
                                | StatusCode::FORBIDDEN
                                | StatusCode::NOT_FOUND
                        ) && !r.status.is_server_error(),
                        "{ctx}: {}",
                        r.status
                    );
                    if *method == Method::GET {
                        assert_eq!(r.status, StatusCode::OK, "{ctx}");
                    }
                }
                checked += 1;
            }
        }
        if viewing != ward_b {
            assert_eq!(
                ward_state(&app, ward_b, false).await,
                records_before,
                "ward B's records changed under requests made viewing ward A"
            );
        }
    }
    assert_eq!(checked, (ROLES.len() + 4) * id_routes.len());
}
