//! The one table of route → minimum permission. The guard in `auth.rs` looks every
//! matched route up here; a route without a rule is refused (fail closed), and a test
//! checks that the table and the registered routes agree.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::http::Method;
use domain::{Kind, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Perm {
    /// No login needed.
    Public,
    /// Any logged-in account.
    Read,
    /// Enter and edit records: secretary, admin.
    Write,
    /// Export reports: deputy, secretary, admin, and the city accounts.
    Export,
    /// A record's own change history: everyone but the ward's read-only viewers.
    History,
    /// The whole audit log: deputy, admin, city admin.
    Audit,
    /// Write and save the review draft: deputy, admin.
    Draft,
    /// Submit a period's report (its figures frozen, its records locked): deputy, admin.
    Submit,
    /// Accounts (and the ward's settings): the ward's admin for its ward, the city
    /// admin for every ward. Records are entered by the ward, never by the city.
    Admin,
    /// Choose the ward to look at: the city accounts.
    City,
}

impl Perm {
    pub fn allows(self, role: Role) -> bool {
        use Role::*;
        match self {
            Perm::Public | Perm::Read => true,
            Perm::Write => matches!(role, Admin | Secretary),
            Perm::Export | Perm::History => {
                matches!(role, Admin | Secretary | Deputy | CityAdmin | CityViewer)
            }
            Perm::Audit => matches!(role, Admin | Deputy | CityAdmin),
            Perm::Draft | Perm::Submit => matches!(role, Admin | Deputy),
            Perm::Admin => matches!(role, Admin | CityAdmin),
            Perm::City => role.is_city(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub method: Method,
    pub path: String,
    pub perm: Perm,
}

fn rule(method: Method, path: &str, perm: Perm) -> Rule {
    Rule {
        method,
        path: path.to_string(),
        perm,
    }
}

/// Every route and who may use it. Paths are axum patterns as registered.
pub fn rules() -> Vec<Rule> {
    use Method as M;
    use Perm::*;
    let mut t = vec![
        rule(M::GET, "/healthz", Public),
        rule(M::GET, "/static/app.css", Public),
        rule(M::GET, "/login", Public),
        rule(M::POST, "/login", Public),
        rule(M::GET, "/setup/{token}", Public),
        rule(M::POST, "/setup/{token}", Public),
        rule(M::POST, "/logout", Read),
        rule(M::GET, "/", Read),
        rule(M::GET, "/law", Read),
        rule(M::GET, "/wards", City),
        rule(M::GET, "/reports/city", City),
        rule(M::GET, "/reports/city.csv", City),
        rule(M::GET, "/reports/city/open", City),
        rule(M::GET, "/reports/city.xlsx", City),
        rule(M::POST, "/wards/choose", City),
        // the handler narrows it: a ward admin only into its own ward, and only in a
        // database without city accounts
        rule(M::GET, "/wards/merge", Admin),
        rule(M::POST, "/wards/merge", Admin),
        rule(M::GET, "/account/password", Read),
        rule(M::POST, "/account/password", Read),
        rule(M::GET, "/ward", Read),
        rule(M::POST, "/ward", Write),
        rule(M::POST, "/ward/names", Write),
        rule(M::POST, "/ward/terms", Write),
        rule(M::POST, "/ward/periods", Write),
        rule(M::POST, "/ward/publicity", Write),
        rule(M::GET, "/steering-committee", Read),
        rule(M::POST, "/steering-committee", Write),
        rule(M::GET, "/opinions/open", Read),
        rule(M::POST, "/opinions/{id}/resolve", Write),
        rule(M::POST, "/dialogues/{id}/opinions", Write),
        rule(M::GET, "/admin/users", Admin),
        rule(M::POST, "/admin/users", Admin),
        rule(M::POST, "/admin/users/{id}/password", Admin),
        rule(M::POST, "/admin/users/{id}/role", Admin),
        rule(M::POST, "/admin/users/{id}/disable", Admin),
        rule(M::POST, "/admin/users/{id}/enable", Admin),
        rule(M::GET, "/admin/audit", Audit),
        rule(M::GET, "/import", Write),
        rule(M::POST, "/import", Write),
        rule(M::POST, "/import/confirm", Write),
        rule(M::GET, "/import/history", Read),
        rule(M::POST, "/import/{id}/undo", Write),
        rule(M::GET, "/reports/summary", Read),
        rule(M::GET, "/reports/review", Read),
        rule(M::POST, "/reports/review", Draft),
        rule(M::POST, "/reports/review/{id}", Draft),
        rule(M::GET, "/reports/review.docx", Export),
        rule(M::GET, "/reports/summary.csv", Export),
        rule(M::GET, "/reports/summary.xlsx", Export),
        rule(M::GET, "/reports/completeness", Read),
        rule(M::GET, "/reports/completeness.csv", Export),
        rule(M::GET, "/reports/city/completeness", City),
        rule(M::GET, "/reports/city/completeness.csv", City),
        rule(M::GET, "/reports/submit", Read),
        rule(M::POST, "/reports/submit", Submit),
        rule(M::GET, "/reports/submissions/{id}", Read),
        // Further limited by the handler: a ward's admin only in a one-ward database.
        rule(M::POST, "/reports/submissions/{id}/reopen", Admin),
    ];
    for kind in Kind::ALL {
        let s = kind.slug();
        t.push(rule(M::GET, &format!("/{s}"), Read));
        t.push(rule(M::GET, &format!("/{s}.csv"), Export));
        t.push(rule(M::POST, &format!("/{s}"), Write));
        t.push(rule(M::GET, &format!("/{s}/new"), Write));
        t.push(rule(M::GET, &format!("/{s}/{{id}}"), Read));
        t.push(rule(M::POST, &format!("/{s}/{{id}}"), Write));
        t.push(rule(M::GET, &format!("/{s}/{{id}}/edit"), Write));
        t.push(rule(M::GET, &format!("/{s}/{{id}}/delete"), Write));
        t.push(rule(M::POST, &format!("/{s}/{{id}}/delete"), Write));
        t.push(rule(M::POST, &format!("/{s}/{{id}}/restore"), Write));
    }
    t
}

fn table() -> &'static HashMap<(Method, String), Perm> {
    static TABLE: OnceLock<HashMap<(Method, String), Perm>> = OnceLock::new();
    TABLE.get_or_init(|| {
        rules()
            .into_iter()
            .map(|r| ((r.method, r.path), r.perm))
            .collect()
    })
}

/// The rule for a matched route; HEAD follows GET.
pub fn rule_for(method: &Method, path: &str) -> Option<Perm> {
    let m = if method == Method::HEAD {
        Method::GET
    } else {
        method.clone()
    };
    table().get(&(m, path.to_string())).copied()
}

/// Whether any method has a rule on `path` (to answer 405 rather than 403).
pub fn path_known(path: &str) -> bool {
    table().keys().any(|(_, p)| p == path)
}
