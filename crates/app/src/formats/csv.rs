//! CSV as the project writes it: CRLF line ends, and on request the UTF-8 BOM that
//! Excel needs to show Vietnamese. The summary report's two shapes live here.

use std::io::Write;

use domain::report::{self, Report};

/// The UTF-8 byte order mark, which Excel needs to read a CSV file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer over `out`, the BOM written first when `bom` is set.
pub fn writer<W: Write>(mut out: W, bom: bool) -> std::io::Result<csv::Writer<W>> {
    if bom {
        out.write_all(BOM)?;
    }
    Ok(csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Long,
    Wide,
}

impl Shape {
    pub fn parse(s: &str) -> Option<Shape> {
        match s.trim() {
            "long" => Some(Shape::Long),
            "wide" => Some(Shape::Wide),
            _ => None,
        }
    }
}

/// Writes the report as CSV (`docs/CSV.md`, "The summary report") with CRLF line ends; returns the number of
/// data rows. An undefined figure (a rate with nothing to divide) is an empty cell in
/// the wide shape and no row in the long one. `bom` adds the UTF-8 BOM that Excel needs to show Vietnamese.
pub fn write_csv<W: Write>(out: W, r: &Report, shape: Shape, bom: bool) -> std::io::Result<usize> {
    let mut w = writer(out, bom)?;
    let mut rows = 0;
    match shape {
        Shape::Long => {
            w.write_record(["indicator", "name", "unit", "period", "value"])?;
            for row in &r.rows {
                let i = row.indicator;
                // A rate over no opinions has no value: its row is left out rather than
                // written with an empty cell, so every value in a long file is a number.
                let cells = r
                    .periods
                    .iter()
                    .map(|p| p.label.as_str())
                    .zip(&row.values)
                    .chain([(report::TOTAL, &row.total)]);
                for (label, v) in cells.filter(|(_, v)| v.as_f64().is_some()) {
                    w.write_record([i.code.as_str(), &i.name, i.unit, label, &v.plain()])?;
                    rows += 1;
                }
            }
        }
        Shape::Wide => {
            let mut header = vec!["indicator".to_string(), "name".into(), "unit".into()];
            header.extend(r.periods.iter().map(|p| p.label.clone()));
            header.push(report::TOTAL.into());
            w.write_record(&header)?;
            for row in &r.rows {
                let i = row.indicator;
                let mut rec = vec![i.code.clone(), i.name.clone(), i.unit.to_string()];
                rec.extend(row.values.iter().map(|v| v.plain()));
                rec.push(row.total.plain());
                w.write_record(&rec)?;
                rows += 1;
            }
        }
    }
    w.flush()?;
    Ok(rows)
}
