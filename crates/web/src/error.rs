//! One error type for every handler (after realworld-axum-sqlx): each variant maps to
//! one status and one Vietnamese page; internal errors are logged, never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use maud::html;
use store::StoreError;

use crate::views::layout;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// Not logged in (non-GET requests; GETs are redirected to the login page).
    #[error("unauthorized")]
    Unauthorized,
    /// Logged in, but the role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// A POST without the session's anti-forgery token.
    #[error("csrf token missing or wrong")]
    Csrf,
    /// A malformed request, such as a bad list filter; the message is Vietnamese.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Validation errors that could not be shown next to a form's fields.
    #[error("invalid: {0}")]
    Invalid(FieldErrors),
    /// A state that forbids the change (already deleted...); the message is Vietnamese.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests")]
    TooManyRequests(String),
    #[error("payload too large")]
    PayloadTooLarge,
    /// The machine refused the work (full disk, disk I/O, database busy); nothing was
    /// saved. 507 for a full disk, 503 otherwise.
    #[error("system fault: {0:?}")]
    Unavailable(store::Fault),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// What the user can act on keeps its Vietnamese message; everything else (setup,
/// broken invariants, SQLite, migrations) is the 500 page, logged with its source chain.
impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Invalid(f) => AppError::Invalid(f),
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::System(f, source) => {
                tracing::error!(error = %source, "write refused by the system");
                AppError::Unavailable(f)
            }
            e @ (StoreError::Setup(_)
            | StoreError::Invariant(_)
            | StoreError::Database(_)
            | StoreError::Migration(_)) => AppError::Internal(e.into()),
        }
    }
}

/// A report's bad range is the user's (422 with the field's message); a store failure
/// is mapped as any other.
impl From<app::report::ReportError> for AppError {
    fn from(e: app::report::ReportError) -> Self {
        match e {
            app::report::ReportError::Invalid(f) => AppError::Invalid(f),
            app::report::ReportError::Store(e) => e.into(),
        }
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        AppError::Internal(anyhow::anyhow!("session: {e}"))
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(anyhow::anyhow!("blocking task: {e}"))
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable(store::Fault::DiskFull) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (title, body) = match &self {
            AppError::NotFound => (
                "Không tìm thấy",
                html! { p { "Trang hoặc bản ghi này không có (hoặc đã bị xóa hẳn)." } },
            ),
            AppError::Unauthorized => (
                "Chưa đăng nhập",
                html! { p { "Vui lòng " a href="/login" { "đăng nhập" } " để tiếp tục." } },
            ),
            AppError::Forbidden => (
                "Không có quyền",
                html! { p { "Tài khoản của bạn không có quyền thực hiện thao tác này." } },
            ),
            AppError::Csrf => (
                "Biểu mẫu đã hết hạn",
                html! { p { "Biểu mẫu không hợp lệ hoặc đã hết hạn. Hãy tải lại trang rồi gửi lại." } },
            ),
            AppError::BadRequest(m) | AppError::Conflict(m) | AppError::TooManyRequests(m) => (
                match self {
                    AppError::BadRequest(_) => "Yêu cầu không hợp lệ",
                    AppError::Conflict(_) => "Không thực hiện được",
                    _ => "Thử lại sau",
                },
                html! { p { (m) } },
            ),
            AppError::Invalid(errors) => (
                "Dữ liệu không hợp lệ",
                html! { ul { @for e in errors.iter() { li { (e.message) } } } },
            ),
            AppError::PayloadTooLarge => (
                "Dữ liệu gửi lên quá lớn",
                html! { p { "Tệp hoặc biểu mẫu gửi lên vượt quá giới hạn cho phép." } },
            ),
            AppError::Unavailable(f) => {
                ("Chưa lưu được", html! { p role="alert" { (f.message()) } })
            }
            AppError::Internal(e) => {
                // Logged here with the full chain; the user sees only that it failed.
                tracing::error!(error = %format!("{e:#}"), "internal error");
                (
                    "Lỗi hệ thống",
                    html! { p { "Đã có lỗi xảy ra phía máy chủ. Thao tác chưa được thực hiện; vui lòng thử lại hoặc báo quản trị viên." } },
                )
            }
        };
        (self.status(), layout::bare(title, body)).into_response()
    }
}

/// The fallback for paths no route matches.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// Rejections produced by axum's extractors (a malformed path id, an unreadable form)
/// are short English text; they become the same Vietnamese page as our own errors.
pub async fn humanise(res: Response) -> Response {
    let status = res.status();
    let plain = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|c| c.starts_with("text/plain"));
    let untyped = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_none();
    if status == StatusCode::INTERNAL_SERVER_ERROR && untyped {
        // A layer's bare 500 (the session store could not save at login, e.g. on a
        // full disk): the same Vietnamese page as our own.
        return AppError::Internal(anyhow::anyhow!("{status} from a layer")).into_response();
    }
    if !status.is_client_error() || !plain {
        return res;
    }
    let (title, message) = match status {
        StatusCode::NOT_FOUND => ("Không tìm thấy", "Trang hoặc bản ghi này không có."),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("Không hỗ trợ", "Địa chỉ này không nhận kiểu yêu cầu đó.")
        }
        StatusCode::PAYLOAD_TOO_LARGE => (
            "Dữ liệu gửi lên quá lớn",
            "Tệp hoặc biểu mẫu gửi lên vượt quá giới hạn cho phép.",
        ),
        _ => (
            "Yêu cầu không hợp lệ",
            "Địa chỉ hoặc dữ liệu gửi lên không đọc được. Hãy tải lại trang rồi thử lại.",
        ),
    };
    let mut out = (status, layout::bare(title, html! { p { (message) } })).into_response();
    if let Some(allow) = res.headers().get(axum::http::header::ALLOW) {
        out.headers_mut()
            .insert(axum::http::header::ALLOW, allow.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_user_facing_store_errors_keep_their_message() {
        let conflict = AppError::from(StoreError::Conflict("Bản ghi chưa bị xóa.".into()));
        assert_eq!(conflict.status(), StatusCode::CONFLICT);
        let setup = AppError::from(StoreError::Setup(store::SetupError::WardExists));
        assert_eq!(setup.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let invariant = AppError::from(StoreError::Invariant("bad stored date x".into()));
        assert_eq!(invariant.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
