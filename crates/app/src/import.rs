//! CSV import, shared by `qcdc import` and the web upload: read the file (UTF-8 with or
//! without BOM; legacy Vietnamese encodings recognised and refused with a clear
//! message), check the header against the kind's columns, parse every row into its
//! domain value, check references against the registers and uniqueness within the file
//! and the database, and only when every row is good write them all in one
//! transaction. Headers name columns by code (`date`) or by the forms' Vietnamese label
//! (`Ngày`), ignoring case, diacritics and surrounding spaces; coded values are taken by
//! code or label the same way; dates are ISO or `dd/mm/yyyy`. So both forms of
//! `app::export` import back unchanged. Problems are reported as `row N, column C:
//! reason` (N counts data rows from 1; row 0 is the header); each also knows the line as
//! a spreadsheet shows it (the header is line 1) and the bad value.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use domain::{Column, FieldErrors, Input, Kind};
use store::imports::{ImportFailure, ImportRow, Registers};
use store::{Actor, Store, WardId};

use crate::formats::csv::unguard;

mod dated;
mod lines;
use dated::check_lock;
use lines::Lines;

/// One problem, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The data row, from 1 (0: the header).
    pub row: usize,
    /// The line as a spreadsheet shows it: the header is line 1 (0 when unknown).
    pub line: usize,
    /// The column's code (`date`), or the header cell as written when it names none.
    pub column: String,
    pub message: String,
    /// The cell as written in the file, when the problem is its value.
    pub value: Option<String>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "row {}, column {}: {}",
            self.row, self.column, self.message
        )
    }
}

/// Why a file was refused as a whole or row by row.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read as UTF-8 CSV at all.
    #[error("{0}")]
    File(String),
    /// One problem a line.
    #[error("{}", lines(.0))]
    Rows(Vec<Problem>),
    /// The store failed; the source chain says why.
    #[error(transparent)]
    Internal(anyhow::Error),
}

fn lines(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// What an import will store (or stored): the rows, records per year and a preview.
#[derive(Debug, Clone)]
pub struct Plan {
    pub kind: Kind,
    pub rows: Vec<ImportRow>,
    /// Records per year of their date (kinds without a date count under 0).
    pub per_year: BTreeMap<i32, usize>,
    /// For each row, its data row number and its spreadsheet line (for later errors).
    pub lines: Vec<(usize, usize)>,
}

impl Plan {
    /// The first rows as they will be stored (canonical values).
    pub fn preview(&self, n: usize) -> impl Iterator<Item = &ImportRow> {
        self.rows.iter().take(n)
    }
}

/// Reads the bytes as UTF-8 text, without a BOM, or says which legacy encoding the
/// file seems to be in.
pub fn decode(bytes: &[u8]) -> Result<&str, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| {
        let guess = match legacy_guess(bytes) {
            Some(enc) => format!(
                " Tệp có vẻ được gõ bằng bảng mã {enc}. Hãy chuyển sang Unicode (ví dụ Unikey → Công cụ chuyển mã) hoặc lưu lại dưới dạng «CSV UTF-8» rồi nhập lại. (The file looks like {enc}; convert it to Unicode UTF-8.)"
            ),
            None => " Hãy lưu lại tệp dưới dạng «CSV UTF-8» rồi nhập lại.".to_string(),
        };
        ImportError::File(format!("Tệp không phải văn bản UTF-8 (file is not valid UTF-8).{guess}"))
    })
}

/// Which legacy Vietnamese encoding non-UTF-8 bytes most resemble: TCVN3 (ABC) puts
/// precomposed letters in 0xA1–0xFE with many in 0xA1–0xBF (¸ µ ® § ­); VNI writes a
/// base vowel followed by a tone byte (aù, aø, oä, ñ for đ); Windows-1258 uses its
/// combining tone marks 0xCC 0xEC 0xD2 0xDE 0xF2 after a letter.
pub fn legacy_guess(bytes: &[u8]) -> Option<&'static str> {
    let (mut tcvn, mut vni, mut cp1258) = (0usize, 0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        let prev = if i > 0 { bytes[i - 1] } else { b' ' };
        let prev_letter = prev.is_ascii_alphabetic();
        if (0xA1..=0xBF).contains(&b) {
            tcvn += 1;
        }
        if prev_letter && matches!(b, 0xCC | 0xEC | 0xD2 | 0xDE | 0xF2) {
            cp1258 += 1;
        }
        if b"aeiouyAEIOUY".contains(&prev)
            && matches!(
                b,
                0xF9 | 0xF8
                    | 0xFB
                    | 0xF5
                    | 0xEF
                    | 0xE1
                    | 0xE0
                    | 0xE5
                    | 0xE3
                    | 0xE4
                    | 0xC1
                    | 0xC0
                    | 0xC5
                    | 0xC3
                    | 0xC4
                    | 0xD9
                    | 0xD8
                    | 0xDB
                    | 0xD5
                    | 0xCF
            )
        {
            vni += 1;
        }
    }
    let best = [
        (tcvn, "TCVN3 (ABC)"),
        (vni, "VNI"),
        (cp1258, "Windows-1258"),
    ]
    .into_iter()
    .max_by_key(|x| x.0)?;
    (best.0 > 0).then_some(best.1)
}

/// Reads and checks a whole file against the registers; no writes.
pub async fn plan(
    store: &Store,
    ward: WardId,
    kind: Kind,
    bytes: &[u8],
) -> Result<Plan, ImportError> {
    let text = decode(bytes)?;
    let registers = store
        .registers(ward)
        .await
        .map_err(|e| ImportError::Internal(e.into()))?;
    check(kind, text, &registers)
}

/// Plans and, unless `dry_run`, writes all rows in one transaction.
pub async fn run(
    store: &Store,
    ward: WardId,
    actor: &Actor,
    kind: Kind,
    file_name: Option<&str>,
    bytes: &[u8],
    dry_run: bool,
) -> Result<Plan, ImportError> {
    let plan = plan(store, ward, kind, bytes).await?;
    if !dry_run {
        write(store, ward, actor, file_name, bytes, &plan).await?;
    }
    Ok(plan)
}

/// Writes a planned import in one transaction, all rows or none, with the file's
/// SHA-256 for the import history.
pub async fn write(
    store: &Store,
    ward: WardId,
    actor: &Actor,
    file_name: Option<&str>,
    bytes: &[u8],
    plan: &Plan,
) -> Result<(), ImportError> {
    let hash = crate::reimport::content_hash(bytes);
    store
        .import(ward, actor, plan.kind, file_name, Some(&hash), &plan.rows)
        .await
        .map_err(|e| match e {
            ImportFailure::Rows(rows) => ImportError::Rows(
                rows.into_iter()
                    .flat_map(|r| {
                        let (row, line) = plan
                            .lines
                            .get(r.row.wrapping_sub(1))
                            .copied()
                            .unwrap_or((r.row, 0));
                        r.errors.0.into_iter().map(move |e| Problem {
                            row,
                            line,
                            column: e.field,
                            message: e.message,
                            value: None,
                        })
                    })
                    .collect(),
            ),
            ImportFailure::Store(e) => ImportError::Internal(e.into()),
        })?;
    Ok(())
}

/// Pure part of the import: header, rows, references, uniqueness.
pub fn check(kind: Kind, text: &str, reg: &Registers) -> Result<Plan, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let mut lines_of = Lines::new(text);
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => {
            lines_of.line(&h);
            h.iter().map(|s| s.trim().to_string()).collect()
        }
        Some(Err(e)) => {
            return Err(ImportError::File(format!(
                "Không đọc được dòng tiêu đề: {e}"
            )))
        }
        None => return Err(ImportError::File("Tệp rỗng: thiếu dòng tiêu đề.".into())),
    };
    let mut problems = header_problems(kind, &header);
    if !problems.is_empty() {
        return Err(ImportError::Rows(problems));
    }
    let columns: Vec<&'static Column> = header
        .iter()
        .filter_map(|h| kind.column_by_header(h))
        .collect();

    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut per_year = BTreeMap::new();
    let mut keys = Keys::new();
    for (i, rec) in records.enumerate() {
        let n = i + 1;
        let line = match &rec {
            Ok(r) => lines_of.line(r),
            Err(_) => 0,
        };
        let (raw, input) = match cells(&columns, rec) {
            Ok(Some(input)) => input,
            Ok(None) => continue, // blank lines at the end of spreadsheets
            Err(message) => {
                problems.push(Problem {
                    row: n,
                    line,
                    column: "-".into(),
                    message,
                    value: None,
                });
                continue;
            }
        };
        match check_row(kind, &input, reg, &mut keys, n) {
            Ok((row, year)) => {
                *per_year.entry(year).or_insert(0) += 1;
                rows.push(row);
                lines.push((n, line));
            }
            Err(errors) => problems.extend(
                errors
                    .0
                    .into_iter()
                    .map(|e| located(kind, &raw, n, line, e.field, e.message)),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Rows(problems));
    }
    Ok(Plan {
        kind,
        rows,
        per_year,
        lines,
    })
}

/// A field error as a problem: with the cell as written, and for a coded column whose
/// value names no option, the options by their Vietnamese labels.
fn located(
    kind: Kind,
    raw: &Input,
    row: usize,
    line: usize,
    column: String,
    message: String,
) -> Problem {
    let written = raw.get(&column).trim();
    let value = (!written.is_empty()).then(|| written.to_string());
    let message = match kind.column(&column) {
        Some(col) => match (col.allowed_labels(), unknown_option(col, written)) {
            (Some(labels), Some(bad)) => {
                let list = labels
                    .iter()
                    .map(|l| format!("«{l}»"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let several = if matches!(col.ty, domain::ColumnType::Codes(_)) {
                    " (nhiều giá trị thì cách nhau bằng dấu ;)"
                } else {
                    ""
                };
                format!("Giá trị không hợp lệ «{bad}»; chọn một trong: {list}{several}.")
            }
            _ => message,
        },
        None => message,
    };
    Problem {
        row,
        line,
        column,
        message,
        value,
    }
}

/// The first part of a coded cell that names no option, if any.
fn unknown_option(col: &Column, cell: &str) -> Option<String> {
    let options = col.ty.options()?;
    cell.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .find(|p| {
            let code = col.codes_from_people(p);
            !options.iter().any(|(c, _)| *c == code)
        })
        .map(str::to_string)
}

/// The header's problems: unnamed, unknown or repeated columns, missing required ones.
fn header_problems(kind: Kind, header: &[String]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let problem = |column: String, message: String| Problem {
        row: 0,
        line: 1,
        column,
        message,
        value: None,
    };
    for (pos, h) in header.iter().enumerate() {
        if h.is_empty() {
            // A stray comma or an unnamed spreadsheet column: name it by position.
            problems.push(problem(
                format!("#{}", pos + 1),
                "cột không có tên trong dòng tiêu đề".into(),
            ));
        } else if let Some(col) = kind.column_by_header(h) {
            if !seen.insert(col.name) {
                problems.push(problem(col.name.to_string(), "cột bị lặp".into()));
            }
        } else {
            let known = kind
                .columns()
                .iter()
                .map(|c| format!("{} ({})", c.label, c.name))
                .collect::<Vec<_>>()
                .join(", ");
            problems.push(problem(
                h.clone(),
                format!(
                    "cột «{h}» không có trong loại {} (các cột: {known})",
                    kind.code()
                ),
            ));
        }
    }
    for c in kind.columns().iter().filter(|c| c.required) {
        if !seen.contains(c.name) {
            problems.push(problem(c.name.to_string(), "thiếu cột bắt buộc".into()));
        }
    }
    problems
}

/// A data row's cells by column code, as written (formula guard undone) and with coded
/// values as codes; `None` for a blank line; why the line cannot be read as a row of
/// this header (whose cells name `columns`, in order).
fn cells(
    columns: &[&'static Column],
    rec: csv::Result<csv::StringRecord>,
) -> Result<Option<(Input, Input)>, String> {
    let rec = rec.map_err(|e| format!("dòng CSV không đọc được: {e}"))?;
    if rec.iter().all(|f| f.trim().is_empty()) {
        return Ok(None);
    }
    if rec.len() != columns.len() {
        return Err(format!(
            "có {} ô, dòng tiêu đề có {} cột",
            rec.len(),
            columns.len()
        ));
    }
    let raw: Input = columns
        .iter()
        .zip(rec.iter())
        .map(|(c, cell)| (c.name, unguard(cell).to_string()))
        .collect();
    let input = columns
        .iter()
        .map(|c| (c.name, c.codes_from_people(raw.get(c.name))))
        .collect();
    Ok(Some((raw, input)))
}

/// The keys seen so far in the file (column and value → first row), for duplicates.
type Keys = HashMap<String, usize>;

/// One data row, checked as its kind declares: its parent, its fields, the registers
/// it refers to and its key. Returns the row to store and the year it counts under (0
/// for records without a date of their own).
fn check_row(
    kind: Kind,
    input: &Input,
    reg: &Registers,
    keys: &mut Keys,
    row: usize,
) -> Result<(ImportRow, i32), FieldErrors> {
    let (mut errors, parent) = read_parent(kind, input, reg);
    let record = match kind.parse_record(input) {
        Ok(r) => r,
        Err(e) => {
            errors.extend(e);
            return Err(errors);
        }
    };
    if let Some((_, date)) = &parent {
        if let Err(e) = record.check_parent_date(*date) {
            errors.extend(e);
        }
    }
    check_lock(kind, record.own_date(), parent.as_ref(), reg, &mut errors);
    let canonical = record.canonical_input();
    check_references(kind, &canonical, reg, &mut errors);
    check_key(kind, &canonical, reg, keys, row, &mut errors);
    errors.into_result()?;
    let year = record.own_date().map(|d| d.year()).unwrap_or(0);
    Ok((
        ImportRow {
            input: canonical,
            dialogue_ref: parent.map(|(r, _)| r),
        },
        year,
    ))
}

/// The record a row belongs to (an opinion's dialogue, by its `ref` among the stored
/// ones): its reference and date, or what is wrong with the reference.
fn read_parent(
    kind: Kind,
    input: &Input,
    reg: &Registers,
) -> (FieldErrors, Option<(String, NaiveDate)>) {
    let mut errors = FieldErrors::new();
    let (Some(col), Some(parent)) = (kind.parent_column(), kind.parent()) else {
        return (errors, None);
    };
    let r = input.get(col.name).trim().to_string();
    if r.is_empty() {
        errors.add(col.name, domain::error::msg::REQUIRED);
        return (errors, None);
    }
    match parent_date(reg, parent, &r) {
        Some(date) => (errors, Some((r, date))),
        None => {
            errors.add(
                col.name,
                format!(
                    "không có buổi đối thoại mã «{r}» (nhập tệp {} trước)",
                    parent.code()
                ),
            );
            (errors, None)
        }
    }
}

/// The registers a row names (groups, party cells) must exist.
fn check_references(kind: Kind, canonical: &Input, reg: &Registers, errors: &mut FieldErrors) {
    for (col, target) in kind.references() {
        if kind.parent_column().is_some_and(|p| p.name == col.name) {
            continue; // checked by read_parent
        }
        let Some(key) = target.key() else { continue };
        for value in canonical
            .get(col.name)
            .split(';')
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            if !registered(reg, target, value) {
                errors.add(
                    col.name,
                    format!(
                        "không có {} trong danh sách {}",
                        (key.what)(value),
                        target.label().to_lowercase()
                    ),
                );
            }
        }
    }
}

/// A key (group number, cell name, dialogue ref) must be new to the ward and to the file.
fn check_key(
    kind: Kind,
    canonical: &Input,
    reg: &Registers,
    keys: &mut Keys,
    row: usize,
    errors: &mut FieldErrors,
) {
    let Some(key) = kind.key() else { return };
    let value = canonical.get(key.column);
    if value.is_empty() {
        return;
    }
    let what = (key.what)(value);
    if registered(reg, kind, value) {
        errors.add(key.column, format!("{what} đã có trong cơ sở dữ liệu"));
    } else if let Some(first) = keys.insert(format!("{}\u{0}{value}", key.column), row) {
        errors.add(key.column, format!("{what} trùng với dòng {first}"));
    }
}

/// Whether the ward has a live record of `kind` with this key.
fn registered(reg: &Registers, kind: Kind, key: &str) -> bool {
    match kind {
        Kind::ResidentialGroups => key.parse().is_ok_and(|n: u32| reg.groups.contains(&n)),
        Kind::PartyCells => reg.party_cells.contains(key),
        Kind::Dialogues => reg.dialogue_refs.contains_key(key),
        Kind::CommitteeMembers
        | Kind::Conferences
        | Kind::Publicity
        | Kind::Opinions
        | Kind::Documents
        | Kind::Inspections
        | Kind::Commendations
        | Kind::HotSpots
        | Kind::CommunityDecisions
        | Kind::Consultations
        | Kind::InspectionBoardTerms
        | Kind::InspectionBoardActivities
        | Kind::SupervisionBoards
        | Kind::SupervisionActivities => false,
    }
}

/// The date of the live record of `kind` with this key, for its children's checks.
fn parent_date(reg: &Registers, kind: Kind, key: &str) -> Option<NaiveDate> {
    match kind {
        Kind::Dialogues => reg.dialogue_refs.get(key).copied(),
        Kind::ResidentialGroups
        | Kind::PartyCells
        | Kind::CommitteeMembers
        | Kind::Conferences
        | Kind::Publicity
        | Kind::Opinions
        | Kind::Documents
        | Kind::Inspections
        | Kind::Commendations
        | Kind::HotSpots
        | Kind::CommunityDecisions
        | Kind::Consultations
        | Kind::InspectionBoardTerms
        | Kind::InspectionBoardActivities
        | Kind::SupervisionBoards
        | Kind::SupervisionActivities => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> Registers {
        let mut r = Registers::default();
        r.groups.extend([1, 2, 3]);
        r.party_cells.insert("Chi bộ số 1".into());
        r.dialogue_refs.insert(
            "DT-1".into(),
            chrono::NaiveDate::from_ymd_opt(2018, 5, 1).expect("date"),
        );
        r
    }

    fn problems(kind: Kind, text: &str) -> Vec<String> {
        match check(kind, text, &reg()) {
            Err(ImportError::Rows(p)) => p.iter().map(|p| p.to_string()).collect(),
            Err(e) => vec![e.to_string()],
            Ok(_) => vec![],
        }
    }

    #[test]
    fn good_rows_plan_with_years() {
        let text = "date,kind,title,attendees,residential_group,party_cell\n2018-01-01,review,A,10,1,Chi bộ số 1\n31/12/2018,Tập huấn, bồi dưỡng,T,5,,\n";
        // the second row has a comma inside an unquoted label: one cell too many
        let p = problems(Kind::Conferences, text);
        assert_eq!(p, vec!["row 2, column -: có 7 ô, dòng tiêu đề có 6 cột"]);
        let text = "\u{feff}date,kind,title,attendees\n2018-01-01,review,A,10\n31/12/2019,\"Tập huấn, bồi dưỡng\",B,5\n,,,\n";
        let plan = check(
            Kind::Conferences,
            decode(text.as_bytes()).expect("utf8"),
            &reg(),
        )
        .expect("plan");
        assert_eq!(plan.rows.len(), 2);
        assert_eq!(plan.per_year.get(&2019), Some(&1));
        assert_eq!(plan.rows[1].input.get("kind"), "training");
        assert_eq!(plan.rows[1].input.get("date"), "2019-12-31");
    }

    #[test]
    fn every_bad_row_is_located() {
        let text = "date,kind,title,attendees,residential_group,party_cell\n\
                    2018-02-30,review,A,10,,\n\
                    2018-01-01,party,A,10,,\n\
                    2018-01-01,review,A,-5,,\n\
                    2018-01-01,review,A,5,9,\n\
                    2018-01-01,review,A,5,,Chi bộ lạ\n\
                    2018-01-01,review,A,5,2,Chi bộ số 1\n";
        let p = problems(Kind::Conferences, text);
        assert_eq!(p.len(), 5, "{p:?}");
        assert!(p[0].starts_with("row 1, column date:"));
        assert!(p[1].starts_with("row 2, column kind:"));
        assert!(p[2].starts_with("row 3, column attendees:"));
        assert!(p[3].starts_with("row 4, column residential_group:"));
        assert!(p[4].starts_with("row 5, column party_cell:"));
    }

    #[test]
    fn header_is_checked() {
        let p = problems(Kind::Documents, "date,number,issuer,kind,title,colour\n");
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("row 0, column colour:"));
        let p = problems(Kind::Documents, "date,number,issuer,kind\n");
        assert!(p[0].starts_with("row 0, column title: thiếu cột bắt buộc"));
        let p = problems(Kind::Documents, "date,number,,issuer,kind,title\n");
        assert_eq!(
            p,
            vec!["row 0, column #3: cột không có tên trong dòng tiêu đề"]
        );
    }

    #[test]
    fn duplicates_and_references() {
        let p = problems(Kind::Dialogues, "ref,date,host,counterpart,participants\nDT-2,2018-01-01,both,residents,5\nDT-2,2018-01-02,both,residents,5\nDT-1,2018-01-02,both,residents,5\n");
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("row 2, column ref:") && p[0].contains("dòng 1"));
        assert!(p[1].starts_with("row 3, column ref:"));
        let p = problems(Kind::Opinions, "dialogue_ref,content,response,status,resolved_on\nDT-1,X,answered,resolved,2018-04-30\nDT-9,X,answered,open,\nDT-1,X,answered,resolved,2018-05-01\n");
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("row 1, column resolved_on:"));
        assert!(p[1].starts_with("row 2, column dialogue_ref:"));
        let p = problems(
            Kind::ResidentialGroups,
            "number,name\n3,Tổ 3\n4,Tổ 4\n4,Tổ 4b\n",
        );
        assert_eq!(p.len(), 2, "{p:?}");
    }

    #[test]
    fn headers_and_values_by_vietnamese_label() {
        let text = "\u{feff} NGÀY ,loai hoi nghi,Tên hội nghị,Số lượt người dự,Chủ đề\n\
                    27/06/2018,Hoi nghi nhan dan,A,\"1.200\",Thực hiện QCDC; phap lenh 34\n\
                    2018-01-02,review,B,5,\n";
        let plan = check(
            Kind::Conferences,
            decode(text.as_bytes()).expect("utf8"),
            &reg(),
        )
        .expect("plan");
        let first = &plan.rows[0].input;
        assert_eq!(first.get("date"), "2018-06-27");
        assert_eq!(first.get("kind"), "residents_meeting");
        assert_eq!(first.get("attendees"), "1200");
        assert_eq!(first.get("topics"), "qcdc;ordinance34");
        assert_eq!(plan.lines, vec![(1, 2), (2, 3)]);
        // the same column twice, once by code and once by label
        let p = problems(Kind::Conferences, "date,Ngày,kind,title,attendees\n");
        assert_eq!(p, vec!["row 0, column date: cột bị lặp"]);
    }

    #[test]
    fn problems_name_the_spreadsheet_line_and_the_value() {
        // a quoted cell spanning two lines is one spreadsheet row; an empty line is one
        let text = "Ngày,Loại hội nghị,Tên hội nghị,Số lượt người dự,Chủ đề,Ghi chú\r\n\
                    2018-01-01,review,A,10,,\"x\r\ny\"\r\n\
                    \r\n\
                    31/02/2018,Hội nghị to,C,10,qcdc;bầu cử;lạ,\r\n";
        let Err(ImportError::Rows(p)) = check(Kind::Conferences, text, &reg()) else {
            panic!("expected row problems");
        };
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p.iter().all(|p| p.row == 2 && p.line == 4), "{p:?}");
        assert_eq!(p[0].column, "date");
        assert_eq!(p[0].value.as_deref(), Some("31/02/2018"));
        let kind = p.iter().find(|p| p.column == "kind").expect("kind");
        assert!(kind.message.contains("«Hội nghị to»"), "{}", kind.message);
        assert!(
            kind.message.contains("«Hội nghị nhân dân»"),
            "{}",
            kind.message
        );
        assert!(
            !kind.message.contains("residents_meeting"),
            "{}",
            kind.message
        );
        let topics = p.iter().find(|p| p.column == "topics").expect("topics");
        assert!(topics.message.contains("«lạ»"), "{}", topics.message);
        assert_eq!(topics.value.as_deref(), Some("qcdc;bầu cử;lạ"));
        assert!(p[0].to_string().starts_with("row 2, column date: "));
    }

    #[test]
    fn legacy_encodings_are_named() {
        // "Hội nghị" in TCVN3 (ABC): H é i   n g h Þ  → bytes with 0xE9 and 0xDE; "Phường" → Ph­êng (0xAD 0xEA)
        let tcvn = b"date,kind,title,attendees\n2018-01-01,review,Ph\xAD\xeang Ng\xe4c Th\xf9y \xb8 \xb5 \xae,10\n";
        match decode(tcvn) {
            Err(ImportError::File(m)) => assert!(m.contains("TCVN3"), "{m}"),
            other => panic!("expected a file error, got {other:?}"),
        }
        // "Hội nghị" in VNI: Hoäi nghò
        let vni = b"date,kind,title,attendees\n2018-01-01,review,Ho\xe4i ngh\xf2 to\xe5 da\xf9n pho\xe1,10\n";
        match decode(vni) {
            Err(ImportError::File(m)) => assert!(m.contains("VNI"), "{m}"),
            other => panic!("expected a file error, got {other:?}"),
        }
        // Windows-1258 with combining marks: "Ho\xe2\xf2i" (ộ = ô + dot below 0xF2)
        let cp = b"title\nHo\xf4\xf2i nghi\xf2 pho\xcc\x20ng\xecy\n";
        match decode(cp) {
            Err(ImportError::File(m)) => assert!(
                m.contains("Windows-1258") || m.contains("VNI") || m.contains("TCVN3"),
                "{m}"
            ),
            other => panic!("expected a file error, got {other:?}"),
        }
        assert!(decode(b"\xef\xbb\xbfdate\n").is_ok());
    }
}
