//! Records of one kind as CSV in the import format, streamed row by row so that memory
//! stays flat whatever the size. Two forms ([`Headers`]): the code form (column codes,
//! canonical values: codes, ISO dates), which `qcdc export` writes to stdout
//! ([`write_records`]) and scripts read; and the form for people (the forms' field
//! labels as headers, Vietnamese labels for coded values, `dd/mm/yyyy` dates), which the
//! web's `/{kind}.csv` serves by default ([`CsvExport`]). Both import back unchanged: the
//! round trip is tested for every kind.

use std::io::Write;

use domain::{Input, Kind};
use store::{Store, WardId};
use tokio::sync::mpsc::Receiver;

/// Which form an export takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Headers {
    /// Column codes and canonical values (codes, ISO dates): for scripts, `qcdc export`.
    #[default]
    Codes,
    /// The forms' field labels, Vietnamese labels for codes, `dd/mm/yyyy` dates.
    People,
}

impl Headers {
    /// `?headers=codes` asks for the code form; anything else is the form for people.
    pub fn from_query(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("codes") => Headers::Codes,
            _ => Headers::People,
        }
    }
}

/// A running export: the header line, then one encoded CSV line per live record.
pub struct CsvExport {
    kind: Kind,
    headers: Headers,
    rows: Receiver<store::Result<Input>>,
}

impl CsvExport {
    /// The code form.
    pub fn start(store: &Store, ward: WardId, kind: Kind) -> Self {
        Self::start_as(store, ward, kind, Headers::Codes)
    }

    pub fn start_as(store: &Store, ward: WardId, kind: Kind, headers: Headers) -> Self {
        CsvExport {
            kind,
            headers,
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
        let columns = self.kind.columns().iter();
        out.extend(match self.headers {
            Headers::Codes => line(columns.map(|c| c.name))?,
            Headers::People => line(columns.map(|c| c.label))?,
        });
        Ok(out)
    }

    /// The next record's line; `None` at the end. A store failure mid-way is an error
    /// item, after which the caller stops (the output is then cut short, not silently
    /// shorter).
    pub async fn next_line(&mut self) -> Option<anyhow::Result<Vec<u8>>> {
        let item = self.rows.recv().await?;
        Some(match item {
            Ok(input) => self.record(&input).map_err(Into::into),
            Err(e) => Err(e.into()),
        })
    }
}

impl CsvExport {
    fn record(&self, input: &Input) -> std::io::Result<Vec<u8>> {
        let columns = self.kind.columns().iter();
        match self.headers {
            Headers::Codes => line(columns.map(|c| input.get(c.name))),
            Headers::People => {
                let cells: Vec<String> = columns.map(|c| c.for_people(input.get(c.name))).collect();
                line(cells.iter().map(String::as_str))
            }
        }
    }
}

/// One CSV record with its CRLF.
fn line<'a>(fields: impl IntoIterator<Item = &'a str>) -> std::io::Result<Vec<u8>> {
    let mut w = crate::formats::csv::writer(Vec::with_capacity(256), false)?;
    w.write_record(fields)?;
    w.into_inner()
}

/// Writes every live record of `kind` in the code form; returns the number of data rows.
pub async fn write_records<W: Write>(
    store: &Store,
    ward: WardId,
    kind: Kind,
    out: W,
    bom: bool,
) -> anyhow::Result<u64> {
    write_records_as(store, ward, kind, Headers::Codes, out, bom).await
}

/// Writes every live record of `kind` in the given form; returns the number of data rows.
pub async fn write_records_as<W: Write>(
    store: &Store,
    ward: WardId,
    kind: Kind,
    headers: Headers,
    mut out: W,
    bom: bool,
) -> anyhow::Result<u64> {
    let mut export = CsvExport::start_as(store, ward, kind, headers);
    out.write_all(&export.header(bom)?)?;
    let mut n = 0;
    while let Some(line) = export.next_line().await {
        out.write_all(&line?)?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}
