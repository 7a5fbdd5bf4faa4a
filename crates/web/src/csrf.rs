//! Anti-forgery tokens and request body limits, enforced in one middleware for every
//! state-changing request so that no handler can forget them.
//!
//! A logged-in session holds a random token; every POST form carries it in a hidden
//! `csrf` field (or an `X-CSRF-Token` header), and a POST whose token is missing or
//! different is refused with 403 before any handler.
//!
//! Anonymous visitors (the login and first-administrator forms) get no server-side
//! session, so that anonymous traffic writes nothing: their token is a signed double
//! submit — a random nonce in the `qcdc_form` cookie, and in the form the nonce's
//! HMAC under a key that lives only in the server's memory. A POST without a session
//! token is accepted only on those anonymous forms, and refused before its body is read
//! everywhere else.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use tower_sessions::Session;

use crate::{AppError, AppState};

pub const FIELD: &str = "csrf";
pub const KEY: &str = "csrf";

/// Default request body limit: forms are small.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Per-route body limits; the CSV import takes whole files.
pub fn body_limit(path: &str) -> usize {
    match path {
        "/import" => 20 * 1024 * 1024,
        // Anonymous forms are a few fields.
        p if anonymous_form(p) => 16 * 1024,
        _ => DEFAULT_BODY_LIMIT,
    }
}

/// The cookie holding an anonymous visitor's nonce.
pub const FORM_COOKIE: &str = "qcdc_form";

/// The paths whose forms anonymous visitors post (with the signed token).
fn anonymous_form(path: &str) -> bool {
    path == "/login" || path.starts_with("/setup/")
}

/// The key that signs anonymous tokens: random per server start, never stored.
pub fn new_key() -> Arc<[u8; 32]> {
    let mut k = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut k);
    Arc::new(k)
}

/// The form token of an anonymous visitor whose cookie holds `nonce`.
pub fn anonymous_token(key: &[u8], nonce: &str) -> String {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for HMAC-SHA256.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(nonce.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// An anonymous visitor's nonce for this request; `used` is set when a page puts the
/// matching token in a form, so that the cookie is only set for pages with a form.
#[derive(Clone)]
pub struct FormNonce {
    nonce: String,
    used: Arc<AtomicBool>,
}

impl FormNonce {
    pub fn token(&self, key: &[u8]) -> String {
        self.used.store(true, Ordering::Relaxed);
        anonymous_token(key, &self.nonce)
    }
}

/// The value of cookie `name`, if it looks like one of our nonces.
fn cookie_nonce(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = session.get::<String>(KEY).await? {
        return Ok(t);
    }
    let t = random_token();
    session.insert(KEY, &t).await?;
    Ok(t)
}

/// A new token (at login), so that one seen before login is useless after.
pub async fn rotate(session: &Session) -> Result<String, AppError> {
    let t = random_token();
    session.insert(KEY, &t).await?;
    Ok(t)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token as sent: header, urlencoded field, or multipart field.
fn sent_token(headers: &axum::http::HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(v) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return Some(v.to_string());
    }
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(boundary) = ctype
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split("boundary=").nth(1))
    {
        return multipart_field(body, boundary.trim_matches('"'), FIELD);
    }
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

/// The value of a small text part named `name` in a multipart body.
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let wanted = format!("name=\"{name}\"");
    text.split(delimiter.as_str()).find_map(|part| {
        let (head, value) = part.split_once("\r\n\r\n")?;
        head.contains(&wanted)
            .then(|| value.trim_end_matches("\r\n").to_string())
    })
}

pub async fn guard(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    if matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return with_form_nonce(&state, req, next).await;
    }
    let session_token = match session.get::<String>(KEY).await {
        Ok(t) => t,
        Err(e) => return AppError::from(e).into_response(),
    };
    let path = req.uri().path().to_string();
    // Decided before reading the body: without a session, only the anonymous forms.
    let mut req = req;
    let expected = match session_token {
        Some(t) => t,
        None => match cookie_nonce(req.headers(), FORM_COOKIE) {
            Some(nonce) if anonymous_form(&path) => {
                let token = anonymous_token(&state.form_key[..], &nonce);
                // The form shown again (a wrong password) keeps the same token.
                req.extensions_mut().insert(FormNonce {
                    nonce,
                    used: Arc::new(AtomicBool::new(false)),
                });
                token
            }
            // Not logged in: refused as such before the body is read.
            _ if !anonymous_form(&path) => return AppError::Unauthorized.into_response(),
            _ => {
                tracing::warn!(%path, "POST refused: no session and no form cookie");
                return AppError::Csrf.into_response();
            }
        },
    };
    let limit = body_limit(&path);
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return AppError::PayloadTooLarge.into_response(),
    };
    let ok = sent_token(&parts.headers, &bytes)
        .is_some_and(|s| constant_time_eq(expected.as_bytes(), s.as_bytes()));
    if !ok {
        tracing::warn!(%path, "POST refused: CSRF token missing or wrong");
        return AppError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Gives a GET its anonymous nonce (the cookie's, or a new one) and sets the cookie
/// when a page used a new one for a form.
async fn with_form_nonce(state: &AppState, mut req: Request, next: Next) -> Response {
    let existing = cookie_nonce(req.headers(), FORM_COOKIE);
    let fresh = existing.is_none();
    let used = Arc::new(AtomicBool::new(false));
    req.extensions_mut().insert(FormNonce {
        nonce: existing.unwrap_or_else(random_token),
        used: used.clone(),
    });
    let nonce = req.extensions().get::<FormNonce>().map(|n| n.nonce.clone());
    let mut res = next.run(req).await;
    if let (true, true, Some(nonce)) = (fresh, used.load(Ordering::Relaxed), nonce) {
        let secure = if state.config.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!("{FORM_COOKIE}={nonce}; Path=/; HttpOnly; SameSite=Strict{secure}");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_in_a_multipart_body() {
        let body = b"--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc123\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx,y\r\n--XX--\r\n";
        assert_eq!(
            multipart_field(body, "XX", "csrf").as_deref(),
            Some("abc123")
        );
        assert_eq!(multipart_field(body, "XX", "nope"), None);
    }

    #[test]
    fn anonymous_tokens_are_bound_to_the_key_and_the_nonce() {
        let n = "a".repeat(64);
        let t = anonymous_token(b"key-one", &n);
        assert_eq!(t.len(), 64);
        assert_eq!(t, anonymous_token(b"key-one", &n));
        assert_ne!(t, anonymous_token(b"key-two", &n));
        assert_ne!(t, anonymous_token(b"key-one", &"b".repeat(64)));
    }

    #[test]
    fn reads_only_well_formed_nonces_from_cookies() {
        let mut h = HeaderMap::new();
        let n = "0f".repeat(32);
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("qcdc_session=x; {FORM_COOKIE}={n}")).expect("hv"),
        );
        assert_eq!(cookie_nonce(&h, FORM_COOKIE), Some(n));
        h.insert(header::COOKIE, HeaderValue::from_static("qcdc_form=short"));
        assert_eq!(cookie_nonce(&h, FORM_COOKIE), None);
    }

    #[test]
    fn compares_tokens_fully() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
