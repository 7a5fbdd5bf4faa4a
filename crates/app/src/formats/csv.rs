//! CSV as the project writes it: CRLF line ends, and on request the UTF-8 BOM that
//! Excel needs to show Vietnamese. The summary report's two shapes live here.

use std::borrow::Cow;
use std::io::Write;

use domain::report::{self, Report};

/// The UTF-8 byte order mark, which Excel needs to read a CSV file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer over `out`, the BOM written first when `bom` is set. Every cell goes
/// through [`guard`], so that no text cell is read as a formula by a spreadsheet.
pub fn writer<W: Write>(mut out: W, bom: bool) -> std::io::Result<Writer<W>> {
    if bom {
        out.write_all(BOM)?;
    }
    Ok(Writer(
        csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out),
    ))
}

/// The project's CSV writer: `csv::Writer` with the formula guard on every cell. It is
/// the only way the project writes CSV (`docs/CSV.md`, "Formulas").
pub struct Writer<W: Write>(csv::Writer<W>);

impl<W: Write> Writer<W> {
    pub fn write_record<I, T>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.0
            .write_record(cells.into_iter().map(|c| guard(c.as_ref()).into_owned()))
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }

    /// The output, after flushing what is buffered.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.0
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
/// Injection"): `=`, `+`, `-`, `@`, tab and carriage return.
fn triggers(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// A plain number (`-5`, `-2.5`) is not text: a spreadsheet reads it as the number it is.
fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
}

/// The cell as written to CSV: a text cell that starts with a formula character —
/// after any leading apostrophes, so that the guard can be undone exactly — gets one
/// more leading `'`, which spreadsheets take as "text" and do not display. Numbers and
/// other cells are unchanged. [`unguard`] is its exact inverse.
pub fn guard(cell: &str) -> Cow<'_, str> {
    let rest = cell.trim_start_matches('\'');
    if rest.starts_with(triggers) && !is_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes [`guard`] on a cell read from CSV: one leading `'` is removed when the
/// apostrophes are followed by a formula character. Anything else is unchanged, so a
/// file that never went through the guard reads as before.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(triggers) => rest,
        _ => cell,
    }
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

/// The summary CSV's header row and total label: Vietnamese for people (the web
/// download's default), or the stable codes for scripts (the CLI's default and
/// `?headers=codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headers {
    Vi,
    Codes,
}

impl Headers {
    pub fn parse(s: &str) -> Option<Headers> {
        match s.trim() {
            "vi" => Some(Headers::Vi),
            "codes" => Some(Headers::Codes),
            _ => None,
        }
    }

    /// The first three columns: `Mã chỉ tiêu,Chỉ tiêu,Đơn vị` or `indicator,name,unit`.
    fn indicator_columns(self) -> [&'static str; 3] {
        match self {
            Headers::Vi => ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị"],
            Headers::Codes => ["indicator", "name", "unit"],
        }
    }

    /// The long shape's last two columns: `Kỳ,Giá trị` or `period,value`.
    fn period_value(self) -> [&'static str; 2] {
        match self {
            Headers::Vi => ["Kỳ", "Giá trị"],
            Headers::Codes => ["period", "value"],
        }
    }

    /// The whole range's label: `Tổng cộng` or `total`.
    pub fn total(self) -> &'static str {
        match self {
            Headers::Vi => TOTAL_VI,
            Headers::Codes => report::TOTAL,
        }
    }
}

/// The total column's (and the long shape's total period's) Vietnamese name.
pub const TOTAL_VI: &str = "Tổng cộng";

/// Writes the report as CSV in the code form (`docs/CSV.md`, "The summary report"):
/// [`write_summary`] with [`Headers::Codes`].
pub fn write_csv<W: Write>(out: W, r: &Report, shape: Shape, bom: bool) -> std::io::Result<usize> {
    write_summary(out, r, shape, Headers::Codes, bom)
}

/// Writes the report as CSV (`docs/CSV.md`, "The summary report") with CRLF line ends;
/// returns the number of data rows. `headers` chooses the header row and the total's
/// label; values are plain numbers in both forms. An undefined figure (a rate with
/// nothing to divide) is an empty cell in the wide shape and no row in the long one.
/// `bom` adds the UTF-8 BOM that Excel needs to show Vietnamese.
pub fn write_summary<W: Write>(
    out: W,
    r: &Report,
    shape: Shape,
    headers: Headers,
    bom: bool,
) -> std::io::Result<usize> {
    let mut w = writer(out, bom)?;
    let mut rows = 0;
    let [code, name, unit] = headers.indicator_columns();
    // Only a report with notes (a former ward counted in part) has the `note` column, on
    // every row: the figures of every row include what it says.
    let note = (!r.notes.is_empty()).then(|| r.notes.join(" "));
    let note_header = match headers {
        Headers::Vi => "Ghi chú",
        Headers::Codes => "note",
    };
    match shape {
        Shape::Long => {
            let [period, value] = headers.period_value();
            let mut header = vec![code, name, unit, period, value];
            header.extend(note.as_ref().map(|_| note_header));
            w.write_record(&header)?;
            for row in &r.rows {
                let i = row.indicator;
                // A rate over no opinions has no value: its row is left out rather than
                // written with an empty cell, so every value in a long file is a number.
                let cells = r
                    .periods
                    .iter()
                    .map(|p| p.label.as_str())
                    .zip(&row.values)
                    .chain([(headers.total(), &row.total)]);
                for (label, v) in cells.filter(|(_, v)| v.as_f64().is_some()) {
                    let value = v.plain();
                    let mut rec = vec![i.code.as_str(), &i.name, i.unit, label, &value];
                    rec.extend(note.as_deref());
                    w.write_record(&rec)?;
                    rows += 1;
                }
            }
        }
        Shape::Wide => {
            let mut header = vec![code.to_string(), name.into(), unit.into()];
            header.extend(r.periods.iter().map(|p| p.label.clone()));
            header.push(headers.total().into());
            header.extend(note.as_ref().map(|_| note_header.to_string()));
            w.write_record(&header)?;
            for row in &r.rows {
                let i = row.indicator;
                let mut rec = vec![i.code.clone(), i.name.clone(), i.unit.to_string()];
                rec.extend(row.values.iter().map(|v| v.plain()));
                rec.push(row.total.plain());
                rec.extend(note.clone());
                w.write_record(&rec)?;
                rows += 1;
            }
        }
    }
    w.flush()?;
    Ok(rows)
}

/// Writes the city roll-up as CSV: the summary's columns after a first column naming
/// the ward by its code (`ward`, or `Mã phường`), each ward's rows as its own summary
/// gives them, then the city's rows with the ward `total` (`Toàn thành phố`).
pub fn write_city_summary<W: Write>(
    out: W,
    city: &crate::report::CityReport,
    shape: Shape,
    headers: Headers,
    bom: bool,
) -> std::io::Result<usize> {
    let mut w = writer(out, bom)?;
    let (ward_col, city_total) = match headers {
        Headers::Vi => ("Mã phường", "Toàn thành phố"),
        Headers::Codes => ("ward", report::TOTAL),
    };
    let [code, name, unit] = headers.indicator_columns();
    let mut rows = 0;
    let parts = city
        .wards
        .iter()
        .map(|(e, r)| (e.code.as_str(), r))
        .chain([(city_total, &city.total)]);
    match shape {
        Shape::Long => {
            let [period, value] = headers.period_value();
            w.write_record([ward_col, code, name, unit, period, value])?;
            for (ward, r) in parts {
                for row in &r.rows {
                    let i = row.indicator;
                    let cells = r
                        .periods
                        .iter()
                        .map(|p| p.label.as_str())
                        .zip(&row.values)
                        .chain([(headers.total(), &row.total)]);
                    for (label, v) in cells.filter(|(_, v)| v.as_f64().is_some()) {
                        w.write_record([
                            ward,
                            i.code.as_str(),
                            &i.name,
                            i.unit,
                            label,
                            &v.plain(),
                        ])?;
                        rows += 1;
                    }
                }
            }
        }
        Shape::Wide => {
            let mut header = vec![ward_col.to_string(), code.into(), name.into(), unit.into()];
            header.extend(city.total.periods.iter().map(|p| p.label.clone()));
            header.push(headers.total().into());
            w.write_record(&header)?;
            for (ward, r) in parts {
                for row in &r.rows {
                    let i = row.indicator;
                    let mut rec = vec![
                        ward.to_string(),
                        i.code.clone(),
                        i.name.clone(),
                        i.unit.to_string(),
                    ];
                    rec.extend(row.values.iter().map(|v| v.plain()));
                    rec.push(row.total.plain());
                    w.write_record(&rec)?;
                    rows += 1;
                }
            }
        }
    }
    w.flush()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &[&str] = &[
        "=HYPERLINK(\"http://x\",\"bấm\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
        "'=1+1",
        "''@x",
        "'-",
        "-",
    ];

    #[test]
    fn formula_cells_are_neutralised() {
        for cell in HOSTILE {
            let g = guard(cell);
            assert!(g.starts_with('\''), "{cell:?} -> {g:?}");
        }
        for plain in [
            "",
            "Hội nghị",
            "'quoted'",
            "12",
            "-5",
            "-2.5",
            "0.5",
            "a=b",
            "x-y",
        ] {
            assert_eq!(guard(plain), plain, "{plain:?}");
        }
    }

    #[test]
    fn unguard_is_the_exact_inverse() {
        let others = [
            "", "'", "''", "'abc", "abc", "-5", "'-5", "12", "=", "'''=x",
        ];
        for cell in HOSTILE.iter().chain(others.iter()) {
            assert_eq!(unguard(&guard(cell)), *cell, "{cell:?}");
        }
    }

    #[test]
    fn the_writer_guards_every_cell() {
        let mut w = writer(Vec::new(), false).expect("writer");
        w.write_record(["=1+1", "Hội nghị", "-3"]).expect("write");
        let out = String::from_utf8(w.into_inner().expect("bytes")).expect("utf-8");
        assert_eq!(out, "'=1+1,Hội nghị,-3\r\n");
    }
}
