//! The report as an Excel workbook.

use chrono::NaiveDate;
use domain::dates;
use domain::report::{Report, Value};
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

/// The summary sheet's name.
pub const SHEET: &str = "Báo cáo tổng hợp";
/// The sheet of indicator definitions.
pub const DEFINITIONS_SHEET: &str = "Định nghĩa chỉ tiêu";

/// The report as an Excel workbook: a title row naming the ward and range, a frozen
/// header in Vietnamese, numbers as number cells (rates rounded as every output rounds
/// them, `domain::fmt::rate_tenths`), and the row count at the end; a second sheet
/// defines each indicator.
pub fn xlsx(report: &Report, ward: &str) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET)?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_background_color("#EEEEEE")
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let int = Format::new().set_num_format("#,##0");
    let pct = Format::new().set_num_format("0.0");
    let title = format!(
        "Báo cáo tổng hợp thực hiện QCDC — {ward} — từ {} đến {}",
        dates::vn(report.from),
        dates::vn(report.to)
    );
    ws.write_string_with_format(0, 0, &title, &bold)?;
    let header_row = 2;
    let mut headers = vec![
        "Mã chỉ tiêu".to_string(),
        "Chỉ tiêu".into(),
        "Đơn vị".into(),
    ];
    headers.extend(report.periods.iter().map(|p| p.label.clone()));
    headers.push(super::csv::TOTAL_VI.into());
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, h, &head)?;
    }
    ws.set_freeze_panes(header_row + 1, 3)?;
    let mut r = header_row + 1;
    for row in &report.rows {
        ws.write_string(r, 0, &row.indicator.code)?;
        ws.write_string(r, 1, &row.indicator.name)?;
        ws.write_string(r, 2, row.indicator.unit)?;
        for (c, v) in row.values.iter().chain([&row.total]).enumerate() {
            let col = 3 + c as u16;
            match v {
                Value::Count(n) => ws.write_number_with_format(r, col, *n as f64, &int)?,
                Value::Percent(Some(t)) => {
                    ws.write_number_with_format(r, col, *t as f64 / 10.0, &pct)?
                }
                Value::Percent(None) => ws,
            };
        }
        r += 1;
    }
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

    let defs = wb.add_worksheet();
    defs.set_name(DEFINITIONS_SHEET)?;
    for (c, h) in ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị", "Định nghĩa"]
        .iter()
        .enumerate()
    {
        defs.write_string_with_format(0, c as u16, *h, &head)?;
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
