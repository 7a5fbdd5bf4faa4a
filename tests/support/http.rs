//! An HTTP client for a running server, as a browser uses it: its own cookies, forms
//! posted with the session's anti-forgery token, redirects shown rather than followed.

use std::time::Duration;

use reqwest::blocking;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;

/// A response with its body read.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    /// The `Location` header, or "" when there is none.
    pub fn location(&self) -> &str {
        self.header(LOCATION.as_str()).unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether the response sets (or removes) a cookie.
    pub fn sets_cookie(&self) -> bool {
        self.headers.contains_key(SET_COOKIE)
    }
}

/// One browser: a cookie jar and the server's base URL.
pub struct Client {
    http: blocking::Client,
    base: String,
}

impl Client {
    /// A client of the server at `base` (`http://host:port`).
    pub fn new(base: &str) -> Client {
        let http = blocking::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        Client {
            http,
            base: base.trim_end_matches('/').to_string(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn read(res: blocking::Response) -> reqwest::Result<Resp> {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.bytes()?;
        Ok(Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    /// GET `path`; `Err` when the server cannot be reached or the answer is cut.
    pub fn try_get(&self, path: &str) -> reqwest::Result<Resp> {
        Self::read(self.http.get(self.url(path)).send()?)
    }

    /// GET `path`.
    pub fn get(&self, path: &str) -> Resp {
        self.try_get(path)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// POST the form exactly as given (no token added); `Err` when the server cannot be
    /// reached or the answer is cut.
    pub fn try_post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Result<Resp> {
        Self::read(self.http.post(self.url(path)).form(form).send()?)
    }

    /// POST the form exactly as given (no token added).
    pub fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        self.try_post_form(path, form)
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// POST the form with the session's anti-forgery token, as a browser would.
    pub fn post(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        let token = self.csrf();
        let mut form = form.to_vec();
        form.push(("csrf", &token));
        self.post_form(path, &form)
    }

    /// The session's form token, scraped from the hidden field of a page's form (the
    /// login form, or once logged in the logout form of any page).
    pub fn csrf(&self) -> String {
        let mut r = self.get("/login");
        if r.status == 303 {
            r = self.get("/ward");
        }
        extract_csrf(&r.body).expect("a csrf field on the page")
    }

    /// Logs in; the answer is a 303 on success.
    pub fn login(&self, username: &str, password: &str) -> Resp {
        self.post("/login", &[("username", username), ("password", password)])
    }
}

/// The value of a page's hidden `csrf` field.
pub fn extract_csrf(html: &str) -> Option<String> {
    let key = "name=\"csrf\" value=\"";
    let at = html.find(key)? + key.len();
    Some(html[at..].split('"').next()?.to_string())
}
