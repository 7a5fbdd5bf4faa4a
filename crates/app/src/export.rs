//! Records of one kind as CSV in the import format (the same columns, canonical
//! values), streamed row by row so that memory stays flat whatever the size. Exported
//! files import back unchanged: the round trip is tested.

use std::io::Write;

use domain::Kind;
use store::{Store, WardId};

/// Writes every live record of `kind`; returns the number of data rows.
pub async fn write_records<W: Write>(
    store: &Store,
    ward: WardId,
    kind: Kind,
    out: W,
    bom: bool,
) -> anyhow::Result<u64> {
    let mut w = crate::formats::csv::writer(out, bom)?;
    let columns: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
    w.write_record(&columns)?;
    let mut rx = store.export(ward, kind);
    let mut n = 0;
    while let Some(row) = rx.recv().await {
        let input = row?;
        w.write_record(columns.iter().map(|c| input.get(c)))?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}
