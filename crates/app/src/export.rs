//! Records of one kind as CSV in the import format (the same columns, canonical
//! values), streamed row by row so that memory stays flat whatever the size. The one
//! export path: `qcdc export` writes it to stdout ([`write_records`]) and the web streams
//! it as the body of `/{kind}.csv` ([`CsvExport`]). Exported files import back
//! unchanged: the round trip is tested.

use std::io::Write;

use domain::{Input, Kind};
use store::{Store, WardId};
use tokio::sync::mpsc::Receiver;

/// A running export: the header line, then one encoded CSV line per live record.
pub struct CsvExport {
    kind: Kind,
    columns: Vec<&'static str>,
    rows: Receiver<store::Result<Input>>,
}

impl CsvExport {
    pub fn start(store: &Store, ward: WardId, kind: Kind) -> Self {
        CsvExport {
            kind,
            columns: kind.columns().iter().map(|c| c.name).collect(),
            rows: store.export(ward, kind),
        }
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The header line, after the UTF-8 BOM that Excel needs when `bom` is set.
    pub fn header(&self, bom: bool) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(256);
        if bom {
            out.extend_from_slice(crate::formats::csv::BOM);
        }
        out.extend(line(self.columns.iter().copied())?);
        Ok(out)
    }

    /// The next record's line; `None` at the end. A store failure mid-way is an error
    /// item, after which the caller stops (the output is then cut short, not silently
    /// shorter).
    pub async fn next_line(&mut self) -> Option<anyhow::Result<Vec<u8>>> {
        let item = self.rows.recv().await?;
        Some(match item {
            Ok(input) => line(self.columns.iter().map(|c| input.get(c))).map_err(Into::into),
            Err(e) => Err(e.into()),
        })
    }
}

/// One CSV record with its CRLF.
fn line<'a>(fields: impl IntoIterator<Item = &'a str>) -> std::io::Result<Vec<u8>> {
    let mut w = crate::formats::csv::writer(Vec::with_capacity(256), false)?;
    w.write_record(fields)?;
    w.into_inner()
}

/// Writes every live record of `kind`; returns the number of data rows.
pub async fn write_records<W: Write>(
    store: &Store,
    ward: WardId,
    kind: Kind,
    mut out: W,
    bom: bool,
) -> anyhow::Result<u64> {
    let mut export = CsvExport::start(store, ward, kind);
    out.write_all(&export.header(bom)?)?;
    let mut n = 0;
    while let Some(line) = export.next_line().await {
        out.write_all(&line?)?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}
