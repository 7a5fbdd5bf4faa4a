//! `/{kind}.csv`: every live record of a kind in the import format, streamed from the
//! database to the client row by row (memory stays flat whatever the size), with a BOM
//! so that Excel shows Vietnamese. By default the form for people (the forms' field
//! labels, Vietnamese labels for codes, `dd/mm/yyyy`); `?headers=codes` gives the code
//! form of `qcdc export`. The same export path as `qcdc export` (`app::export`).

use app::export::{CsvExport, Headers};
use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use domain::Kind;
use futures_util::{stream, StreamExt};

use crate::AppState;

/// The `headers` parameter of a raw query string, if any.
fn headers_param(query: Option<&str>) -> Headers {
    let value = query.and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "headers")
            .map(|(_, v)| v)
    });
    Headers::from_query(value)
}

pub async fn records_csv(st: AppState, kind: Kind, query: Option<String>) -> Response {
    let headers = headers_param(query.as_deref());
    let export = CsvExport::start_as(&st.store, st.ward, kind, headers);
    let header_line = match export.header(true) {
        Ok(l) => l,
        Err(e) => return crate::AppError::Internal(e.into()).into_response(),
    };
    let head = stream::once(async move { Ok::<_, std::io::Error>(header_line) });
    let rows = stream::unfold(export, |mut export| async move {
        let line = export.next_line().await?.map_err(|e| {
            // A failure mid-stream ends the body early; log it, the client sees a cut
            // file rather than a silently shorter one (the connection closes with an
            // error).
            tracing::error!("export of {} failed: {e:#}", export.kind().code());
            std::io::Error::other(e.to_string())
        });
        Some((line, export))
    });
    let body = Body::from_stream(head.chain(rows));
    let name = format!("{}.csv", kind.code());
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}
