//! Anti-forgery tokens and request body limits, enforced in one middleware for every
//! state-changing request so that no handler can forget them.
//!
//! Each session (anonymous ones too, for the login form) holds a random token; every
//! POST form carries it in a hidden `csrf` field (or an `X-CSRF-Token` header), and a
//! POST whose token is missing or different is refused with 403 before any handler.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use tower_sessions::Session;

use crate::AppError;

pub const FIELD: &str = "csrf";
const KEY: &str = "csrf";

/// Default request body limit: forms are small.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Per-route body limits; the CSV import takes whole files.
pub fn body_limit(path: &str) -> usize {
    match path {
        "/import" => 20 * 1024 * 1024,
        _ => DEFAULT_BODY_LIMIT,
    }
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

pub async fn guard(session: Session, req: Request, next: Next) -> Response {
    if matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return next.run(req).await;
    }
    let limit = body_limit(req.uri().path());
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return AppError::PayloadTooLarge.into_response(),
    };
    let expected = match session.get::<String>(KEY).await {
        Ok(t) => t,
        Err(e) => return AppError::from(e).into_response(),
    };
    let ok = match (expected, sent_token(&parts.headers, &bytes)) {
        (Some(e), Some(s)) => constant_time_eq(e.as_bytes(), s.as_bytes()),
        _ => false,
    };
    if !ok {
        tracing::warn!(path = %parts.uri.path(), "POST refused: CSRF token missing or wrong");
        return AppError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
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
    fn compares_tokens_fully() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
