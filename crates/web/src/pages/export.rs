//! `/{kind}.csv`: every live record of a kind in the import format, streamed from the
//! database to the client row by row (memory stays flat whatever the size), with a BOM
//! so that Excel shows Vietnamese. The same rows `qcdc export` prints.

use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use domain::Kind;
use futures_util::stream;

use crate::AppState;

fn csv_line(fields: impl IntoIterator<Item = String>) -> Result<Vec<u8>, std::io::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(256));
    w.write_record(fields)?;
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

pub async fn records_csv(st: AppState, kind: Kind) -> Response {
    let columns: Vec<&'static str> = kind.columns().iter().map(|c| c.name).collect();
    let mut header_line = b"\xEF\xBB\xBF".to_vec();
    match csv_line(columns.iter().map(|c| c.to_string())) {
        Ok(l) => header_line.extend(l),
        Err(e) => return crate::AppError::Internal(e.into()).into_response(),
    }
    let rx = st.store.export(st.ward, kind);
    let head = stream::once(async move { Ok::<_, std::io::Error>(header_line) });
    let rows = stream::unfold((rx, columns), move |(mut rx, columns)| async move {
        let item = rx.recv().await?;
        let bytes = match item {
            Ok(input) => csv_line(columns.iter().map(|c| input.get(c).to_string())),
            // A failure mid-stream ends the body early; log it, the client sees a cut file
            // rather than a silently shorter one (the connection closes with an error).
            Err(e) => {
                tracing::error!("export of {} failed: {e}", kind.code());
                Err(std::io::Error::other(e.to_string()))
            }
        };
        Some((bytes, (rx, columns)))
    });
    use futures_util::StreamExt;
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
