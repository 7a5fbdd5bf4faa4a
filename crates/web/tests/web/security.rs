//! Misuse: hostile text in every text field of every form and every import column,
//! hostile file names and query strings, session fixation and replay, password rules,
//! and secrets kept out of URLs. Every payload must come back escaped, be stored
//! exactly (after trimming) or be refused with a Vietnamese message — never a 500.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use domain::error::msg;
use domain::{ColumnType, Kind, Role};

use crate::helpers::*;

/// Markers that only appear if a payload was written into HTML unescaped.
const RAW_MARKERS: &[&str] = &["<script>alert", "<img src=x", "onerror=alert(1)>"];

fn payloads() -> Vec<String> {
    vec![
        "<script>alert(1)</script>".into(),
        "\"><img src=x onerror=alert(1)>".into(),
        "O'Brien \"quoted\" `tick` & <b>bold</b>".into(),
        "'; DROP TABLE conferences; --".into(),
        "x'); DELETE FROM audit_log; --".into(),
        "ạ".repeat(10_000),
        "a\u{0007}b".into(),
        "a\u{0000}b".into(),
    ]
}

/// Refused by domain validation: too long, or holding control characters.
fn must_be_refused(p: &str) -> bool {
    p.chars().count() > 5000 || p.chars().any(|c| c.is_control())
}

fn short(p: &str) -> String {
    p.chars().take(40).collect()
}

fn assert_escaped(context: &str, body: &str) {
    for m in RAW_MARKERS {
        assert!(
            !body.contains(m),
            "{context}: unescaped payload {m:?} in the page"
        );
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A valid form (and CSV row) for each kind; `n` keeps unique fields unique.
pub(crate) fn base(kind: Kind, n: usize) -> Vec<(String, String)> {
    let v: Vec<(&str, String)> = match kind {
        Kind::ResidentialGroups => vec![
            ("number", (100 + n).to_string()),
            ("name", format!("Tổ {n}")),
        ],
        Kind::PartyCells => vec![
            ("name", format!("Chi bộ {n}")),
            ("kind", "residential".into()),
        ],
        Kind::CommitteeMembers => vec![
            ("decision_date", "2018-01-01".into()),
            ("decision_number", "1-QĐ/ĐU".into()),
            ("name", "Nguyễn Văn A".into()),
            ("position", "member".into()),
        ],
        Kind::Conferences => vec![
            ("date", "2018-06-28".into()),
            ("kind", "dissemination".into()),
            ("title", "Hội nghị".into()),
            ("attendees", "10".into()),
        ],
        Kind::Publicity => vec![
            ("date", "2018-06-28".into()),
            ("channel", "radio".into()),
            ("topic", "qcdc".into()),
        ],
        Kind::Dialogues => vec![
            ("ref", format!("DT-{n}")),
            ("date", "2018-06-28".into()),
            ("host", "party_secretary".into()),
            ("counterpart", "residents".into()),
            ("participants", "5".into()),
        ],
        Kind::Opinions => vec![
            ("dialogue_ref", "DT-0".into()),
            ("content", "Ý kiến".into()),
            ("response", "answered".into()),
            ("status", "open".into()),
        ],
        Kind::Documents => vec![
            ("date", "2018-06-28".into()),
            ("number", "1-QĐ/ĐU".into()),
            ("issuer", "party_committee".into()),
            ("kind", "plan".into()),
            ("title", "Kế hoạch".into()),
        ],
        Kind::Inspections => vec![
            ("date", "2018-06-28".into()),
            ("kind", "inspection".into()),
            ("target_kind", "party_cell".into()),
            ("target", "Chi bộ 1".into()),
            ("by", "party_committee".into()),
        ],
        Kind::Commendations => vec![
            ("date", "2018-06-28".into()),
            ("level", "ward".into()),
            ("recipient_kind", "party_cell".into()),
            ("recipient", "Chi bộ 1".into()),
        ],
        Kind::CommunityDecisions => vec![
            ("date", "2024-03-15".into()),
            ("residential_group", "1".into()),
            ("matter", "contribution".into()),
            ("form", "meeting".into()),
            ("households", "100".into()),
            ("represented", "60".into()),
            ("in_favour", "55".into()),
        ],
        Kind::Consultations => vec![
            ("consulted_from", "2024-05-02".into()),
            ("consulted_until", "2024-05-31".into()),
            ("subject", "land_use_plan".into()),
            ("form", "meeting".into()),
            ("title", format!("Kế hoạch sử dụng đất {n}")),
            ("responses", "10".into()),
            ("taken_up", "5".into()),
        ],
        Kind::InspectionBoardTerms => vec![
            ("recognised_on", "2024-07-10".into()),
            ("decision_number", "5/QĐ-MTTQ".into()),
            ("term", "2024-2026".into()),
            ("members", "7".into()),
            ("head", "Nguyễn Văn An".into()),
        ],
        Kind::InspectionBoardActivities => vec![
            ("date", "2024-09-12".into()),
            ("kind", "supervision".into()),
            ("subject", format!("Thu chi quỹ tổ {n}")),
        ],
        Kind::SupervisionBoards => vec![
            ("established", "2024-03-01".into()),
            ("project", format!("Công trình {n}")),
            ("members", "5".into()),
        ],
        Kind::SupervisionActivities => vec![
            ("date", "2024-09-12".into()),
            ("project", "Công trình 1".into()),
            ("content", "Giám sát khối lượng".into()),
        ],
        Kind::HotSpots => vec![
            ("opened", "2018-06-28".into()),
            ("place", "Ngõ 1".into()),
            ("description", "Tranh chấp".into()),
            ("status", "open".into()),
        ],
    };
    v.into_iter().map(|(k, s)| (k.to_string(), s)).collect()
}

fn with_field(mut form: Vec<(String, String)>, field: &str, value: &str) -> Vec<(String, String)> {
    form.retain(|(k, _)| k != field);
    form.push((field.to_string(), value.to_string()));
    form
}

fn text_columns(kind: Kind) -> Vec<&'static str> {
    kind.columns()
        .iter()
        .filter(|c| matches!(c.ty, ColumnType::Text | ColumnType::LongText))
        .map(|c| c.name)
        .collect()
}

async fn post_form(c: &Client, token: &str, uri: &str, form: &[(String, String)]) -> Resp {
    let mut f = form.to_vec();
    f.push(("csrf".into(), token.to_string()));
    c.post_raw(uri, &f).await
}

/// Whether some stored record of `kind` has `field` exactly `value`.
async fn stored(app: &TestApp, kind: Kind, field: &str, value: &str) -> bool {
    let mut rx = app.store.export(app.ward, kind);
    while let Some(row) = rx.recv().await {
        if row.expect("export row").get(field) == value {
            return true;
        }
    }
    false
}

/// A dialogue with ref `DT-0`, for opinions (form and import), and residential group
/// 1, which community decisions name.
pub(crate) async fn dialogue(c: &Client, token: &str) -> i64 {
    let group = pairs(&[("number", "1"), ("name", "Tổ dân phố số 1")]);
    let r = post_form(c, token, "/residential-groups", &group).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = post_form(c, token, "/dialogues", &base(Kind::Dialogues, 0)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    id_from_location(r.location())
}

fn refusal_message(body: &str, max_hint: bool) -> bool {
    body.contains(msg::CONTROL_CHARS) || (max_hint && body.contains("Tối đa"))
}

crate::engine_test!(hostile_text_in_every_form_field_is_escaped_stored_or_refused);
async fn hostile_text_in_every_form_field_is_escaped_stored_or_refused() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let token = c.csrf().await;
    let dialogue_id = dialogue(&c, &token).await;
    let mut n = 1;
    for &kind in Kind::ALL {
        let uri = if kind == Kind::Opinions {
            format!("/dialogues/{dialogue_id}/opinions")
        } else {
            format!("/{}", kind.slug())
        };
        for col in text_columns(kind) {
            for p in payloads() {
                n += 1;
                let form = with_field(base(kind, n), col, &p);
                let ctx = format!("{} {col} {:?}", kind.code(), short(&p));
                let r = post_form(&c, &token, &uri, &form).await;
                assert_escaped(&ctx, &r.body);
                if must_be_refused(&p) {
                    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{ctx}");
                    assert!(refusal_message(&r.body, true), "{ctx}: no message");
                    assert!(!stored(&app, kind, col, p.trim()).await, "{ctx}");
                    continue;
                }
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{ctx}: {}", r.body);
                assert!(stored(&app, kind, col, p.trim()).await, "{ctx}: not intact");
                let show = c.get(r.location()).await;
                assert_eq!(show.status, StatusCode::OK, "{ctx}");
                assert_escaped(&ctx, &show.body);
                if kind != Kind::Opinions {
                    let edit = c.get(&format!("{}/edit", r.location())).await;
                    assert_eq!(edit.status, StatusCode::OK, "{ctx}");
                    assert_escaped(&ctx, &edit.body);
                    assert!(
                        edit.body.contains(&html_escape(p.trim())),
                        "{ctx}: the edit form shows the value as stored"
                    );
                }
            }
        }
    }
    // Every page that lists or echoes what was stored.
    let admin = app.logged_in(Role::Admin).await;
    let mut pages: Vec<String> = Kind::ALL.iter().map(|k| format!("/{}", k.slug())).collect();
    pages.extend(
        [
            "/",
            "/opinions/open",
            "/admin/audit",
            "/reports/summary",
            "/reports/review",
        ]
        .map(String::from),
    );
    for page in pages {
        let r = admin.get(&page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert_escaped(&page, &r.body);
    }
}

crate::engine_test!(hostile_query_strings_and_login_names_are_escaped);
async fn hostile_query_strings_and_login_names_are_escaped() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    // (the 10,000-character payload would not fit in a URI at all)
    for p in payloads().into_iter().filter(|p| p.len() < 1000) {
        let q = serde_urlencoded::to_string([("q", p.as_str())]).expect("encode");
        let y = serde_urlencoded::to_string([("year", p.as_str())]).expect("encode");
        for &kind in Kind::ALL {
            for uri in [
                format!("/{}?{q}", kind.slug()),
                format!("/{}?{y}", kind.slug()),
            ] {
                let r = c.get(&uri).await;
                assert!(
                    r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST,
                    "{uri}: {}",
                    r.status
                );
                assert_escaped(&uri, &r.body);
            }
        }
        let from = serde_urlencoded::to_string([("from", p.as_str()), ("by", p.as_str())])
            .expect("encode");
        for uri in [
            format!("/reports/summary?{from}"),
            format!("/reports/summary.csv?{from}"),
            format!("/opinions/open?{q}"),
            format!("/admin/audit?{q}"),
        ] {
            let r = c.get(&uri).await;
            assert!(!r.status.is_server_error(), "{uri}: {}", r.status);
            assert_escaped(&uri, &r.body);
        }
        let anon = app.client();
        let next = serde_urlencoded::to_string([("next", format!("/{p}"))]).expect("encode");
        let r = anon.get(&format!("/login?{next}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_escaped("login next", &r.body);
        let r = anon.login(&p, "sai-mat-khau-123").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_escaped("login username", &r.body);
    }
}

fn multipart(csrf: &str, kind: &str, file_name: &str, file: &[u8]) -> Request<Body> {
    let boundary = "XsecBoundary7";
    let mut b = Vec::new();
    for (name, value) in [("csrf", csrf), ("kind", kind)] {
        b.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    b.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
    b.extend(file);
    b.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post("/import")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(b))
        .expect("request")
}

fn csv_of(form: &[(String, String)]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(form.iter().map(|(k, _)| k.as_str()))
        .expect("header");
    w.write_record(form.iter().map(|(_, v)| v.as_str()))
        .expect("row");
    w.into_inner().expect("csv")
}

fn import_token(body: &str) -> Option<String> {
    let at = body.find("name=\"token\" value=\"")? + "name=\"token\" value=\"".len();
    Some(body[at..].split('"').next()?.to_string())
}

crate::engine_test!(hostile_text_in_every_import_column_is_escaped_stored_or_refused);
async fn hostile_text_in_every_import_column_is_escaped_stored_or_refused() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let token = c.csrf().await;
    dialogue(&c, &token).await;
    let mut n = 1;
    for &kind in Kind::ALL {
        for col in text_columns(kind) {
            for p in payloads() {
                n += 1;
                let row = with_field(base(kind, n), col, &p);
                let ctx = format!("import {} {col} {:?}", kind.code(), short(&p));
                let r = c
                    .send(multipart(&token, kind.code(), "t.csv", &csv_of(&row)))
                    .await;
                assert_escaped(&ctx, &r.body);
                if must_be_refused(&p) {
                    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{ctx}");
                    assert!(refusal_message(&r.body, true), "{ctx}: no message");
                    continue;
                }
                assert_eq!(r.status, StatusCode::OK, "{ctx}: {}", r.body);
                let t = import_token(&r.body).expect("confirm form");
                let done = post_form(&c, &token, "/import/confirm", &pairs(&[("token", &t)])).await;
                assert_eq!(done.status, StatusCode::SEE_OTHER, "{ctx}: {}", done.body);
                assert!(stored(&app, kind, col, p.trim()).await, "{ctx}: not intact");
            }
        }
    }
    // Bytes that are not UTF-8, in a cell and in the header: a clear message, no 500.
    for &kind in Kind::ALL {
        let mut file = csv_of(&base(kind, 0));
        file.extend(b"\xff\xfe<script>alert(1)</script>\xc3\x28,\x80\n");
        let r = c.send(multipart(&token, kind.code(), "t.csv", &file)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            kind.code()
        );
        assert!(r.body.contains("UTF-8"), "{}", r.body);
        assert_escaped("invalid utf-8", &r.body);
        let r = c
            .send(multipart(
                &token,
                kind.code(),
                "t.csv",
                b"da\xfft\xe9,\xff\n1,2\n",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("UTF-8"));
    }
    // A hostile file name is shown escaped in the preview, the flash and the audit log.
    let name = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>.csv";
    let r = c
        .send(multipart(
            &token,
            "documents",
            name,
            &csv_of(&base(Kind::Documents, 0)),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_escaped("file name preview", &r.body);
    let t = import_token(&r.body).expect("confirm form");
    let done = post_form(&c, &token, "/import/confirm", &pairs(&[("token", &t)])).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let list = c.get(done.location()).await;
    assert_escaped("file name flash", &list.body);
    let admin = app.logged_in(Role::Admin).await;
    let audit = admin.get("/admin/audit").await;
    assert_eq!(audit.status, StatusCode::OK);
    assert_escaped("file name audit", &audit.body);
}

crate::engine_test!(a_session_id_from_before_login_is_useless_after_it);
async fn a_session_id_from_before_login_is_useless_after_it() {
    let app = spawn_app().await;
    // Anonymous visitors get no server-side session to plant: the login form writes none.
    let anonymous = app.client();
    anonymous.get("/login").await;
    assert_eq!(anonymous.cookie(), None, "no session before login");
    // The attacker logs in with an account of their own and plants that session's
    // cookie in the victim's browser.
    let attacker = app.logged_in(Role::Viewer).await;
    let planted = attacker.cookie().expect("attacker's session");
    let victim = app.client();
    victim.set_cookie(Some(planted.clone()));
    let r = victim.login("thuky", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = victim.cookie().expect("session");
    assert_ne!(after, planted, "a new session id at login");
    assert_eq!(victim.get("/").await.status, StatusCode::OK);
    // The planted id gives the attacker nothing of the victim's.
    let r = attacker.get("/conferences/new").await;
    assert_ne!(r.status, StatusCode::OK, "{}", r.body);
    // An id the server never issued is not adopted either.
    let forged = app.client();
    forged.set_cookie(Some("qcdc_session=AAAAAAAAAAAAAAAAAAAAAA".into()));
    forged.get("/login").await;
    assert_eq!(
        forged.login("thuky", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_ne!(
        forged.cookie().as_deref(),
        Some("qcdc_session=AAAAAAAAAAAAAAAAAAAAAA")
    );
}

crate::engine_test!(logout_ends_the_session_on_the_server);
async fn logout_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let token = c.csrf().await;
    let cookie = c.cookie().expect("session");
    let r = post_form(&c, &token, "/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Replaying the old cookie (as a stolen copy would) finds no session.
    let replay = app.client();
    replay.set_cookie(Some(cookie));
    let r = replay.get("/conferences").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"), "{}", r.location());
    let form = conference("2018-06-28", "Sau khi đăng xuất", "1");
    let mut f: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    f.push(("csrf".into(), token));
    let r = replay.post_raw("/conferences", &f).await;
    assert!(
        r.status == StatusCode::FORBIDDEN || r.status == StatusCode::UNAUTHORIZED,
        "{}",
        r.status
    );
    let list = app
        .store
        .list::<domain::Conference>(app.ward, &store::RecordFilter::default())
        .await
        .expect("list");
    assert_eq!(list.total, 0);
}

crate::engine_test!(passwords_need_ten_characters_and_may_have_sixty_four_or_more);
async fn passwords_need_ten_characters_and_may_have_sixty_four_or_more() {
    let app = spawn_app().await;
    let admin = app.logged_in(Role::Admin).await;
    let short = admin
        .post(
            "/admin/users",
            &[
                ("username", "ngan"),
                ("role", "viewer"),
                ("password", "123456789"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("ít nhất 10 ký tự"), "{}", short.body);
    let long = "Một câu mật khẩu rất dài để thử giới hạn, có dấu và số 1234567890!";
    let long: String = long
        .chars()
        .chain(std::iter::repeat('x'))
        .take(64)
        .collect();
    assert_eq!(long.chars().count(), 64);
    let r = admin
        .post(
            "/admin/users",
            &[("username", "dai"), ("role", "viewer"), ("password", &long)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = app.client();
    assert_eq!(c.login("dai", &long).await.status, StatusCode::SEE_OTHER);
    let c = app.client();
    let truncated: String = long.chars().take(63).collect();
    assert_eq!(
        c.login("dai", &truncated).await.status,
        StatusCode::UNAUTHORIZED,
        "no silent truncation"
    );
}

crate::engine_test!(secrets_stay_out_of_urls);
async fn secrets_stay_out_of_urls() {
    let app = spawn_app().await;
    let anon = app.client();
    let login = anon.get("/login").await;
    assert!(
        login.body.contains(r#"method="post" action="/login""#),
        "the login form posts"
    );
    let c = app.logged_in(Role::Admin).await;
    let token = c.csrf().await;
    let mut pages: Vec<String> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Opinions)
        .flat_map(|k| [format!("/{}", k.slug()), format!("/{}/new", k.slug())])
        .collect();
    pages.extend(
        [
            "/",
            "/ward",
            "/steering-committee",
            "/import",
            "/admin/users",
            "/admin/audit",
            "/reports/summary",
            "/reports/review",
            "/opinions/open",
        ]
        .map(String::from),
    );
    for page in pages {
        let r = c.get(&page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        let in_fields = r
            .body
            .matches(&format!(r#"name="csrf" value="{token}""#))
            .count();
        assert_eq!(
            r.body.matches(token.as_str()).count(),
            in_fields,
            "{page}: the CSRF token appears outside a hidden field"
        );
        for form in r.body.split("<form").skip(1) {
            let head = form.split('>').next().unwrap_or("");
            assert!(
                head.contains(r#"method="post""#) || !form.contains("type=\"password\""),
                "{page}: a password field in a GET form"
            );
        }
    }
    // The redirect after login carries no credentials.
    let other = app.client();
    let r = other.login("quantri", PASSWORD).await;
    assert!(!r.location().contains(PASSWORD) && !r.location().contains("csrf"));
}
