//! The report as an Excel workbook.

use chrono::NaiveDate;
use domain::dates;
use domain::report::{Report, Value};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

/// The summary sheet's name.
pub const SHEET: &str = "Báo cáo tổng hợp";
/// The sheet of indicator definitions.
pub const DEFINITIONS_SHEET: &str = "Định nghĩa chỉ tiêu";

/// The sheet of the city roll-up.
pub const CITY_SHEET: &str = "Toàn thành phố";
/// The label of the city's total rows (first two columns), as in the Vietnamese CSV.
pub const CITY_TOTAL_VI: &str = "Toàn thành phố";

struct Formats {
    bold: Format,
    head: Format,
    int: Format,
    pct: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            bold: Format::new().set_bold(),
            head: Format::new()
                .set_bold()
                .set_background_color("#EEEEEE")
                .set_text_wrap()
                .set_align(FormatAlign::Center),
            int: Format::new().set_num_format("#,##0"),
            pct: Format::new().set_num_format("0.0"),
        }
    }
}

/// The header row at `row`: `lead` columns, the indicator's code, name and unit, the
/// periods and the total; the panes frozen below it and right of the indicator.
fn header(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    lead: &[&str],
    report: &Report,
) -> Result<(), XlsxError> {
    let mut headers: Vec<String> = lead.iter().map(|s| s.to_string()).collect();
    headers.extend([
        "Mã chỉ tiêu".to_string(),
        "Chỉ tiêu".into(),
        "Đơn vị".into(),
    ]);
    headers.extend(report.periods.iter().map(|p| p.label.clone()));
    headers.push(super::csv::TOTAL_VI.into());
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h, &f.head)?;
    }
    ws.set_freeze_panes(row + 1, lead.len() as u16 + 3)?;
    Ok(())
}

/// The report's rows from `row` on, after the `lead` cells of each; returns the next
/// free row. Numbers are number cells; an undefined rate is an empty cell.
fn rows(
    ws: &mut Worksheet,
    f: &Formats,
    mut row: u32,
    lead: &[&str],
    report: &Report,
) -> Result<u32, XlsxError> {
    let first = lead.len() as u16;
    for line in &report.rows {
        for (c, cell) in lead.iter().enumerate() {
            ws.write_string(row, c as u16, *cell)?;
        }
        let i = line.indicator;
        ws.write_string(row, first, &i.code)?;
        ws.write_string(row, first + 1, &i.name)?;
        ws.write_string(row, first + 2, i.unit)?;
        for (c, v) in line.values.iter().chain([&line.total]).enumerate() {
            let col = first + 3 + c as u16;
            match v {
                Value::Count(n) => ws.write_number_with_format(row, col, *n as f64, &f.int)?,
                Value::Percent(Some(t)) => {
                    ws.write_number_with_format(row, col, *t as f64 / 10.0, &f.pct)?
                }
                Value::Percent(None) => ws,
            };
        }
        row += 1;
    }
    Ok(row)
}

/// The sheet defining each indicator of `report`.
fn definitions(wb: &mut Workbook, f: &Formats, report: &Report) -> Result<(), XlsxError> {
    let defs = wb.add_worksheet();
    defs.set_name(DEFINITIONS_SHEET)?;
    for (c, h) in ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị", "Định nghĩa"]
        .iter()
        .enumerate()
    {
        defs.write_string_with_format(0, c as u16, *h, &f.head)?;
    }
    defs.set_freeze_panes(1, 0)?;
    for (n, row) in report.rows.iter().enumerate() {
        let r = n as u32 + 1;
        let i = row.indicator;
        defs.write_string(r, 0, &i.code)?;
        defs.write_string(r, 1, &i.name)?;
        defs.write_string(r, 2, i.unit)?;
        defs.write_string(r, 3, &i.definition)?;
    }
    defs.set_column_width(0, 34)?;
    defs.set_column_width(1, 48)?;
    defs.set_column_width(2, 12)?;
    defs.set_column_width(3, 80)?;
    Ok(())
}

/// The report as an Excel workbook: a title row naming the ward and range, a frozen
/// header in Vietnamese, numbers as number cells (rates rounded as every output rounds
/// them, `domain::fmt::rate_tenths`), and the row count at the end; a second sheet
/// defines each indicator.
pub fn xlsx(report: &Report, ward: &str) -> anyhow::Result<Vec<u8>> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET)?;
    let title = format!(
        "Báo cáo tổng hợp thực hiện QCDC — {ward} — từ {} đến {}",
        dates::vn(report.from),
        dates::vn(report.to)
    );
    ws.write_string_with_format(0, 0, &title, &f.bold)?;
    header(ws, &f, 2, &[], report)?;
    let r = rows(ws, &f, 3, &[], report)?;
    ws.write_string(
        r + 1,
        0,
        format!(
            "{} chỉ tiêu; ngày lập: {}",
            report.rows.len(),
            dates::vn(today())
        ),
    )?;
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 48)?;
    ws.set_column_width(2, 12)?;
    definitions(&mut wb, &f, report)?;
    Ok(wb.save_to_buffer()?)
}

/// The city roll-up as an Excel workbook, in the wide shape of its CSV: a title row
/// naming the range and the number of wards, a frozen header (`Mã phường`, `Phường`,
/// then the summary's columns), each ward's rows, then the city's total rows
/// (`Toàn thành phố` in both first columns); a second sheet defines each indicator.
pub fn city_xlsx(city: &crate::report::CityReport) -> anyhow::Result<Vec<u8>> {
    let f = Formats::new();
    let total = &city.total;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(CITY_SHEET)?;
    let title = format!(
        "Báo cáo tổng hợp thực hiện QCDC — toàn thành phố ({} phường) — từ {} đến {}",
        city.wards.len(),
        dates::vn(total.from),
        dates::vn(total.to)
    );
    ws.write_string_with_format(0, 0, &title, &f.bold)?;
    header(ws, &f, 2, &["Mã phường", "Phường"], total)?;
    let mut r = 3;
    for (w, report) in &city.wards {
        r = rows(ws, &f, r, &[w.code.as_str(), &w.ward.name], report)?;
    }
    r = rows(ws, &f, r, &[CITY_TOTAL_VI, CITY_TOTAL_VI], total)?;
    ws.write_string(
        r + 1,
        0,
        format!(
            "{} phường × {} chỉ tiêu; ngày lập: {}",
            city.wards.len(),
            total.rows.len(),
            dates::vn(today())
        ),
    )?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(2, 34)?;
    ws.set_column_width(3, 48)?;
    ws.set_column_width(4, 12)?;
    definitions(&mut wb, &f, total)?;
    Ok(wb.save_to_buffer()?)
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::report::{assemble, period_grid, Facts, Grouping};

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
        let grid = period_grid(Grouping::Year, d(2017, 1, 1), d(2018, 12, 31), &[], &[]);
        let report = assemble(
            Grouping::Year,
            d(2017, 1, 1),
            d(2018, 12, 31),
            grid,
            &Facts::default(),
        );
        let bytes = xlsx(&report, "Phường Ngọc Thụy").expect("xlsx");
        assert!(bytes.starts_with(b"PK"));
    }
}
