//! The wards of a city's database, for the city accounts: which ward the pages show.
//! A city account looks at one ward at a time (every page says which); it chooses it
//! here, and the choice stays with its session.

use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::{flash, WARD_KEY};
use crate::views::layout::{self, Ctx};
use crate::{AppError, Result, St};

/// `GET /wards`: every ward, the one shown marked, each with a button to show it.
pub async fn page(ctx: Ctx, St(st): St) -> Result<Response> {
    let wards = st.store.wards().await?;
    let lives = st.store.ward_lives().await?;
    let life = |w: &store::ward::WardEntry| lives.iter().find(|l| l.ward == w.id);
    let name_of = |id: store::WardId| {
        wards
            .iter()
            .find(|w| w.id == id)
            .map_or_else(String::new, |w| w.ward.name.clone())
    };
    let body = html! {
        p { "Tài khoản cấp thành phố xem từng phường một. Chọn phường để xem số liệu, danh sách và báo cáo của phường đó." }
        @if ctx.can(crate::perms::Perm::Admin) {
            p { a href="/wards/merge" { "Ghi nhận sáp nhập phường" } }
        }
        div.table-wrap {
            table {
                thead { tr { th scope="col" { "Mã" } th scope="col" { "Phường" } th scope="col" { "Quận/huyện" } th scope="col" { "Tỉnh/thành phố" } th scope="col" { "Thành lập" } th scope="col" { "Sáp nhập vào" } th scope="col" { "" } } }
                tbody {
                    @for w in &wards {
                        tr {
                            td { (w.code) }
                            td { (w.ward.name) }
                            td { (w.ward.district.as_deref().unwrap_or("")) }
                            td { (w.ward.province.as_deref().unwrap_or("")) }
                            td { @if let Some(d) = life(w).and_then(|l| l.established) { (domain::dates::vn(d)) } }
                            td {
                                @if let Some(l) = life(w) {
                                    @for (i, (s, share)) in l.successors.iter().enumerate() {
                                        @if i > 0 { "; " }
                                        (name_of(*s)) " (" (domain::Code::label(*share)) ")"
                                    }
                                    @if let Some(u) = l.until { br; small { "đến hết " (domain::dates::vn(u)) } }
                                }
                            }
                            td {
                                @if w.id == st.ward {
                                    strong { "Đang xem" }
                                } @else {
                                    form method="post" action="/wards/choose" {
                                        (ctx.csrf_field())
                                        input type="hidden" name="ward" value=(w.id.0);
                                        button type="submit" aria-label={"Xem " (w.ward.name)} { "Xem phường này" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&ctx, "Các phường", body).into_response())
}

#[derive(Deserialize)]
pub struct Choice {
    ward: i64,
}

/// `POST /wards/choose`: the ward the session's pages show from now on.
pub async fn choose(St(st): St, session: Session, Form(c): Form<Choice>) -> Result<Response> {
    let wards = st.store.wards().await?;
    let chosen = wards
        .iter()
        .find(|w| w.id.0 == c.ward)
        .ok_or(AppError::NotFound)?;
    session.insert(WARD_KEY, chosen.id.0).await?;
    flash(&session, &format!("Đang xem {}.", chosen.ward.name)).await?;
    Ok(Redirect::to("/").into_response())
}
