//! The page frame: head, menu by role, flash message, and the small stylesheet (served
//! as a file: the Content-Security-Policy allows no inline style or script).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use domain::{fmt as vnfmt, Code};
use maud::{html, Markup, DOCTYPE};
use tower_sessions::Session;

use crate::auth::{self, CurrentUser};
use crate::perms::Perm;
use crate::{csrf, AppError, AppState};

/// What every page needs: who is looking, the anti-forgery token for its forms, the
/// one-time flash message.
pub struct Ctx {
    pub user: Option<CurrentUser>,
    pub csrf: String,
    pub flash: Option<String>,
    /// For a city account, the name of the ward its pages show.
    pub city_ward: Option<String>,
}

impl Ctx {
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name=(csrf::FIELD) value=(self.csrf); }
    }
    pub fn can(&self, perm: Perm) -> bool {
        self.user.as_ref().is_some_and(|u| u.can(perm))
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, m)| AppError::Internal(anyhow::anyhow!("no session layer: {m}")))?;
        let user = match parts.extensions.get::<CurrentUser>() {
            Some(u) => Some(u.clone()),
            None => auth::optional_user(state, &session).await?,
        };
        // A logged-in session has its token; an anonymous visitor gets the signed one
        // and no server-side session at all (nothing written for anonymous traffic).
        let csrf = match (&user, session.get::<String>(csrf::KEY).await?) {
            (_, Some(t)) => t,
            (Some(_), None) => csrf::token(&session).await?,
            (None, None) => parts
                .extensions
                .get::<csrf::FormNonce>()
                .map(|n| n.token(&state.form_key[..]))
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no CSRF layer")))?,
        };
        // `remove` marks the session modified even when there is nothing to remove, and
        // a modified session is written back (one write transaction and fsync) after the
        // response: on every page view. Remove only a flash that is there.
        let flash = match session.get::<String>("flash").await? {
            Some(_) => session.remove::<String>("flash").await?,
            None => None,
        };
        let city_ward = match (&user, parts.extensions.get::<crate::RequestWard>()) {
            (Some(u), Some(w)) if u.role.is_city() => Some(state.store.ward(w.0).await?.name),
            _ => None,
        };
        Ok(Ctx {
            user,
            csrf,
            flash,
            city_ward,
        })
    }
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " — QCDC" }
            link rel="stylesheet" href="/static/app.css";
        }
    }
}

struct NavItem {
    href: &'static str,
    label: &'static str,
    perm: Perm,
}

const NAV: &[NavItem] = &[
    NavItem {
        href: "/wards",
        label: "Các phường",
        perm: Perm::City,
    },
    NavItem {
        href: "/reports/city",
        label: "Toàn thành phố",
        perm: Perm::City,
    },
    NavItem {
        href: "/reports/city/completeness",
        label: "Các phường: mức đầy đủ",
        perm: Perm::City,
    },
    NavItem {
        href: "/",
        label: "Tổng quan",
        perm: Perm::Read,
    },
    NavItem {
        href: "/conferences",
        label: "Hội nghị",
        perm: Perm::Read,
    },
    NavItem {
        href: "/publicity",
        label: "Tin bài, công khai",
        perm: Perm::Read,
    },
    NavItem {
        href: "/dialogues",
        label: "Đối thoại",
        perm: Perm::Read,
    },
    NavItem {
        href: "/opinions/open",
        label: "Ý kiến chưa giải quyết",
        perm: Perm::Read,
    },
    NavItem {
        href: "/documents",
        label: "Văn bản",
        perm: Perm::Read,
    },
    NavItem {
        href: "/inspections",
        label: "Kiểm tra, giám sát",
        perm: Perm::Read,
    },
    NavItem {
        href: "/commendations",
        label: "Khen thưởng",
        perm: Perm::Read,
    },
    NavItem {
        href: "/hot-spots",
        label: "Điểm nóng",
        perm: Perm::Read,
    },
    NavItem {
        href: "/law",
        label: "Luật Dân chủ 2022",
        perm: Perm::Read,
    },
    NavItem {
        href: "/residential-groups",
        label: "Tổ dân phố",
        perm: Perm::Read,
    },
    NavItem {
        href: "/party-cells",
        label: "Chi bộ",
        perm: Perm::Read,
    },
    NavItem {
        href: "/steering-committee",
        label: "Ban chỉ đạo",
        perm: Perm::Read,
    },
    NavItem {
        href: "/ward",
        label: "Phường",
        perm: Perm::Read,
    },
    NavItem {
        href: "/reports/summary",
        label: "Báo cáo",
        perm: Perm::Read,
    },
    NavItem {
        href: "/reports/completeness",
        label: "Mức đầy đủ",
        perm: Perm::Read,
    },
    NavItem {
        href: "/reports/submit",
        label: "Kỳ đã nộp",
        perm: Perm::Read,
    },
    NavItem {
        href: "/import",
        label: "Nhập dữ liệu",
        perm: Perm::Write,
    },
    NavItem {
        href: "/admin/users",
        label: "Tài khoản",
        perm: Perm::Admin,
    },
    NavItem {
        href: "/admin/audit",
        label: "Nhật ký thay đổi",
        perm: Perm::Audit,
    },
];

/// A full page in the frame.
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="vi" {
            (head(title))
            body {
                a.skip href="#main" { "Bỏ qua menu" }
                header {
                    span.brand { "QCDC" }
                    @if let Some(u) = &ctx.user {
                        @let items = html! {
                            ul {
                                @for item in NAV.iter().filter(|i| u.can(i.perm)) {
                                    li { a href=(item.href) { (item.label) } }
                                }
                            }
                        };
                        // The same menu twice, one shown by width (CSS, no script): in
                        // full on a desktop, folded behind "Menu" on a phone.
                        nav.menu-wide aria-label="Chính" { (items) }
                        details.menu-narrow {
                            summary { "Menu" }
                            nav aria-label="Chính" { (items) }
                        }
                        form.logout method="post" action="/logout" {
                            (ctx.csrf_field())
                            span { (u.display_name.as_deref().unwrap_or(&u.username)) " (" (u.role.label()) ") " }
                            a href="/account/password" { "Đổi mật khẩu" } " "
                            button type="submit" { "Đăng xuất" }
                        }
                    }
                }
                main #main {
                    @if let Some(w) = &ctx.city_ward {
                        p.city-ward { "Đang xem: " strong { (w) } " · " a href="/wards" { "Chọn phường khác" } }
                    }
                    h1 { (title) }
                    @if let Some(f) = &ctx.flash { p.flash role="status" { (f) } }
                    (body)
                }
            }
        }
    }
}

/// An error page: the frame without the user's menu (errors may come before login).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="vi" {
            (head(title))
            body {
                header { span.brand { "QCDC" } nav aria-label="Chính" { ul { li { a href="/" { "Tổng quan" } } } } }
                main #main { h1 { (title) } (body) p { a href="/" { "Về trang tổng quan" } } }
            }
        }
    }
}

/// `15.135`
pub fn num(n: impl Into<i64>) -> String {
    vnfmt::thousands(n.into())
}

/// A stored time (UTC, `2026-11-28T01:02:03Z`) as people in the ward read it, in
/// Vietnam time: `28/11/2026 08:02`. Text that is not a time is shown as it is.
pub fn timestamp(s: &str) -> String {
    let Some(vietnam) = chrono::FixedOffset::east_opt(crate::clock::VIETNAM_OFFSET_SECONDS) else {
        return s.to_string();
    };
    match chrono::DateTime::parse_from_rfc3339(s) {
        Ok(t) => t
            .with_timezone(&vietnam)
            .format("%d/%m/%Y %H:%M")
            .to_string(),
        Err(_) => s.to_string(),
    }
}

pub fn role_label(code: &str) -> &str {
    domain::Role::parse(code).map(|r| r.label()).unwrap_or(code)
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        // One file: the app's rules, then the review document's screen and A4 print rules.
        format!("{STYLE}{REPORT_STYLE}{}", crate::views::review::PRINT_CSS),
    )
}

const REPORT_STYLE: &str = r#"
.charts{display:flex;flex-wrap:wrap;gap:.5rem}.charts figure{margin:0;background:#fff;border:1px solid #ddd}
table.report th small.code{color:#666;font-weight:400}table.report td.num a{text-decoration:none}
.notice{background:#fff8e1;border:1px solid #c88a00;padding:.5rem;margin:.5rem 0}.notice p{margin:.2rem 0}
table.completeness td.gap,td.num.gap{background:#fde2e2;outline:2px solid #b00020;font-weight:700}table.completeness td.inactive{color:#777;background:#f4f4f4}
table.report td.changed{background:#fff3cd;outline:2px solid #c88a00}table.report small.was{font-weight:700;white-space:nowrap}
.hint{color:#555;font-size:.9rem}
.active-filters{margin:.3rem 0}.chip{display:inline-block;background:#f1e4e4;border:1px solid #d9bcbc;border-radius:.8rem;padding:0 .5rem;margin:.1rem 0}.chip a{text-decoration:none;font-weight:700;padding:0 .2rem}
@media print{
/* The summary on paper: figures without links, names without internal codes. */
table.report a,.charts a{color:inherit;text-decoration:none}
table.report small.code,table.report th br,.definitions code,p.actions,.hint{display:none}
summary{list-style:none}
}
"#;

const STYLE: &str = r#"
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1b1b1b;background:#fafafa;line-height:1.45;overflow-wrap:break-word}
header{background:#8b0000;color:#fff;padding:.4rem 1rem;display:flex;flex-wrap:wrap;gap:.6rem;align-items:center}
header a{color:#fff}.brand{font-weight:700;margin-right:1rem}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .8rem}
.menu-narrow{display:none}.menu-narrow summary{cursor:pointer;font-weight:600;padding:.2rem 0}
.menu-narrow nav ul{flex-direction:column;gap:0}.menu-narrow nav a{display:block;padding:.45rem 0}
.logout{margin-left:auto;display:flex;flex-wrap:wrap;gap:.3rem;align-items:center}.logout button{font-size:.85rem}
main{padding:1rem 1.5rem;max-width:1200px}
.skip{position:absolute;left:-999px}.skip:focus{left:0;background:#fff;color:#000}
table{border-collapse:collapse;background:#fff;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;text-align:left}
table:not([role=presentation]){display:block;position:relative;width:max-content;max-width:100%;overflow-x:auto}
.table-wrap{position:relative;max-width:100%;overflow-x:auto;margin:.5rem 0}.table-wrap>table{display:table;width:auto;max-width:none;margin:0}
img,svg{max-width:100%;height:auto}
td.num{text-align:right}
.field{margin:.5rem 0}.field label,.field legend{display:block;font-weight:600}
input[type=text],input[type=password],input[type=date],select,textarea{width:18rem;max-width:100%;padding:.25rem;font:inherit}
textarea{min-height:5rem;width:30rem}
td input[type=text]{width:12rem}
.error{color:#b00020;margin:.1rem 0}[aria-invalid=true]{border:2px solid #b00020}
.alert{background:#fde2e2;border:1px solid #b00020;padding:.5rem}
.flash{background:#e2f5e2;border:1px solid #2e7d32;padding:.5rem}
.overdue{background:#fff3cd}.deleted{color:#777;text-decoration:line-through}
tr.ended td{color:#5f5f5f}.badge{display:inline-block;border-radius:.8rem;padding:0 .5rem;white-space:nowrap;border:1px solid}
.badge.active{background:#e2f5e2;color:#1e5b22;border-color:#2e7d32}.badge.former{background:#fff4e0;color:#6b4100;border-color:#b26a00}.badge.ended{background:#eee;color:#444;border-color:#999}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;background:#fff;padding:.5rem;border:1px solid #ddd}
.filters label{display:block;font-size:.85rem}.filters input[type=text],.filters select{width:auto;min-width:6rem}
.checks label{display:inline-block;margin-right:.8rem;font-weight:400}.field.check{display:flex;align-items:center;gap:.4rem;align-self:end}.field.check label{display:inline;font-weight:400}
.narrow{max-width:28rem}.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
.actions form{display:inline}
.cmp td,.cmp th{min-width:6rem}.changed{background:#fff3cd}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:48rem){
.menu-wide{display:none}.menu-narrow{display:block;flex:1 1 auto}
.brand{margin-right:0}.logout{margin-left:0;font-size:.9rem}
main{padding:.75rem}
.filters>div{flex:1 1 9rem}.filters input[type=text],.filters select{width:100%;min-width:0}
}
@media print{
table:not([role=presentation]){display:table;width:auto;max-width:none;overflow:visible}
.table-wrap{overflow:visible}.skip,.menu-narrow{display:none}
}
"#;

#[cfg(test)]
mod tests {
    use super::timestamp;

    #[test]
    fn stored_utc_times_are_shown_in_vietnam_time() {
        assert_eq!(timestamp("2026-11-28T01:02:03Z"), "28/11/2026 08:02");
        // past 17:00 UTC it is already the next day in Vietnam
        assert_eq!(timestamp("2026-12-31T17:30:00Z"), "01/01/2027 00:30");
        assert_eq!(timestamp("không phải giờ"), "không phải giờ");
    }
}
