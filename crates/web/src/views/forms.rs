//! Form fields generated from `domain::Kind::columns()`: one input per column type,
//! each with its label and its error next to it (linked by `aria-describedby`), and
//! the conversion of submitted pairs back into a `domain::Input`.

use domain::{dates, Column, ColumnType, FieldErrors, Input};
use maud::{html, Markup};

use crate::views::layout::num;

/// Choices a form needs from the registers.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub groups: Vec<(u32, String)>,
    /// Each party cell's name (the value) and how the pick-list shows it.
    pub cells: Vec<(String, String)>,
}

/// What a date field accepts, as a hint to the browser (forms are `novalidate`: the
/// server's Vietnamese message is the one shown): `dd/mm/yyyy` (one-digit day and month
/// allowed) or ISO `yyyy-mm-dd`, the two forms `domain::dates::parse_date` reads.
///
/// A text input, not `type=date`: a native date input only holds ISO values (a typed
/// `31/02/2018` could not be shown back with its error), shows the order of the
/// browser's own language (mm/dd/yyyy in an English browser) and takes no pasted
/// `dd/mm/yyyy`. No `inputmode="numeric"` either: phone number pads have no `/`.
pub const DATE_PATTERN: &str = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}";

/// Submitted pairs into an Input: repeated fields (checkboxes) joined with `;` as the
/// domain parsers expect; the anti-forgery field dropped.
pub fn input_from_pairs(pairs: &[(String, String)]) -> Input {
    let mut input = Input::new();
    for (k, v) in pairs {
        if k == crate::csrf::FIELD {
            continue;
        }
        let joined = match input.0.get(k) {
            Some(prev) if !prev.is_empty() && !v.is_empty() => format!("{prev};{v}"),
            Some(prev) if v.is_empty() => prev.clone(),
            _ => v.clone(),
        };
        input.set(k, joined);
    }
    input
}

/// A date as the form shows it: stored ISO dates in `dd/mm/yyyy`, anything the user
/// typed left exactly as typed.
pub fn date_for_form(v: &str) -> String {
    if v.len() == 10 && v.as_bytes()[4] == b'-' {
        if let Ok(d) = dates::parse_date(v) {
            return dates::vn(d);
        }
    }
    v.to_string()
}

/// A stored (canonical) value as a list or detail page shows it.
pub fn display(col: &Column, v: &str) -> String {
    if v.is_empty() {
        return String::new();
    }
    match col.ty {
        ColumnType::Date => dates::parse_date(v)
            .map(dates::vn)
            .unwrap_or_else(|_| v.into()),
        ColumnType::Whole => v.parse::<i64>().map(num).unwrap_or_else(|_| v.to_string()),
        ColumnType::Code(opts) => label_of(opts(), v),
        ColumnType::Codes(opts) => {
            let o = opts();
            v.split(';')
                .map(|c| label_of(o.clone(), c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        }
        ColumnType::Group => format!("Tổ {v}"),
        ColumnType::Groups => v
            .split(';')
            .map(|n| format!("Tổ {}", n.trim()))
            .collect::<Vec<_>>()
            .join(", "),
        _ => v.to_string(),
    }
}

fn label_of(opts: Vec<(&'static str, &'static str)>, code: &str) -> String {
    opts.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Columns a form shows (a dialogue reference for opinions is not typed by hand).
pub fn form_columns(cols: &'static [Column]) -> impl Iterator<Item = &'static Column> {
    cols.iter()
        .filter(|c| !matches!(c.ty, ColumnType::DialogueRef))
}

/// All fields of a form.
pub fn fields(
    cols: &'static [Column],
    input: &Input,
    errors: &FieldErrors,
    choices: &Choices,
) -> Markup {
    let first = first_error(cols, errors);
    html! {
        @for col in form_columns(cols) {
            (field_focus(col.name, col, input.get(col.name), errors.get(col.name), choices, first == Some(col.name)))
        }
    }
}

/// The first field of the form (in its order) that has an error: after a failed submit
/// it gets `autofocus`, so the cursor lands on it without any script.
pub fn first_error(cols: &'static [Column], errors: &FieldErrors) -> Option<&'static str> {
    form_columns(cols)
        .map(|c| c.name)
        .find(|n| errors.get(n).is_some())
}

/// One field with its label and error. `id`s are `f-NAME` and `e-NAME`.
pub fn field(col: &Column, value: &str, error: Option<&str>, choices: &Choices) -> Markup {
    named_field(col.name, col, value, error, choices)
}

/// A field whose form name differs from its column (rows of a multi-row form).
pub fn named_field(
    name: &str,
    col: &Column,
    value: &str,
    error: Option<&str>,
    choices: &Choices,
) -> Markup {
    field_focus(name, col, value, error, choices, false)
}

/// A field, focused when the page loads if `focus` (the first field in error).
pub fn field_focus(
    name: &str,
    col: &Column,
    value: &str,
    error: Option<&str>,
    choices: &Choices,
    focus: bool,
) -> Markup {
    let id = format!("f-{name}");
    let err_id = format!("e-{name}");
    let described = error.map(|_| err_id.clone());
    let invalid = error.map(|_| "true");
    let required = col.required;
    let label = html! {
        (col.label) @if required { " " abbr title="bắt buộc" { "*" } }
    };
    let err = html! { @if let Some(e) = error { p.error id=(err_id) { (e) } } };
    match col.ty {
        ColumnType::Codes(opts) => {
            let chosen: Vec<&str> = value.split(';').map(str::trim).collect();
            html! {
                fieldset.field.checks #(id) aria-describedby=[described] {
                    legend { (label) }
                    @for (i, (code, text)) in opts().into_iter().enumerate() {
                        label { input type="checkbox" name=(name) value=(code) checked[chosen.contains(&code)] autofocus[focus && i == 0]; " " (text) }
                    }
                    (err)
                }
            }
        }
        ColumnType::Groups => {
            let chosen: Vec<&str> = value.split(';').map(str::trim).collect();
            html! {
                fieldset.field.checks #(id) aria-describedby=[described] {
                    legend { (label) }
                    @if choices.groups.is_empty() { "Chưa có tổ dân phố nào." }
                    @for (i, (n, gname)) in choices.groups.iter().enumerate() {
                        @let s = n.to_string();
                        label title=(gname) { input type="checkbox" name=(name) value=(s) checked[chosen.contains(&s.as_str())] autofocus[focus && i == 0]; " Tổ " (s) }
                    }
                    (err)
                }
            }
        }
        _ => {
            let control = match col.ty {
                ColumnType::Code(opts) => {
                    let opts = opts();
                    let known = opts.iter().any(|(c, _)| *c == value);
                    html! {
                        select #(id) name=(name) required[required] autofocus[focus] aria-invalid=[invalid] aria-describedby=[described.clone()] {
                            option value="" { "— Chọn —" }
                            @if !known && !value.is_empty() { option value=(value) selected { (value) } }
                            @for (code, text) in &opts {
                                option value=(code) selected[*code == value] { (text) }
                            }
                        }
                    }
                }
                ColumnType::Group => html! {
                    select #(id) name=(name) required[required] autofocus[focus] aria-invalid=[invalid] aria-describedby=[described.clone()] {
                        option value="" { @if required { "— Chọn —" } @else { "— Không —" } }
                        @for (n, gname) in &choices.groups {
                            @let s = n.to_string();
                            option value=(s) selected[s == value] { "Tổ " (s) " — " (gname) }
                        }
                        @if !value.is_empty() && !choices.groups.iter().any(|(n, _)| n.to_string() == value) {
                            option value=(value) selected { "Tổ " (value) }
                        }
                    }
                },
                ColumnType::PartyCell => html! {
                    select #(id) name=(name) autofocus[focus] aria-invalid=[invalid] aria-describedby=[described.clone()] {
                        option value="" { "— Không —" }
                        @for (c, shown) in &choices.cells {
                            option value=(c) selected[c == value] { (shown) }
                        }
                        @if !value.is_empty() && !choices.cells.iter().any(|(c, _)| c == value) {
                            option value=(value) selected { (value) }
                        }
                    }
                },
                ColumnType::LongText => html! {
                    textarea #(id) name=(name) required[required] autofocus[focus] aria-invalid=[invalid] aria-describedby=[described.clone()] { (value) }
                },
                ColumnType::Date => html! {
                    input #(id) type="text" name=(name) value=(date_for_form(value)) placeholder="dd/mm/yyyy" pattern=(DATE_PATTERN) title="Ngày dạng dd/mm/yyyy, ví dụ 28/02/2018" autocomplete="off" required[required] autofocus[focus] aria-invalid=[invalid] aria-describedby=[described.clone()];
                },
                ColumnType::Whole => html! {
                    input #(id) type="text" name=(name) value=(value) inputmode="numeric" required[required] autofocus[focus] aria-invalid=[invalid] aria-describedby=[described.clone()];
                },
                _ => html! {
                    input #(id) type="text" name=(name) value=(value) required[required] autofocus[focus] aria-invalid=[invalid] aria-describedby=[described.clone()];
                },
            };
            html! {
                div.field {
                    label for=(id) { (label) }
                    (control)
                    (err)
                }
            }
        }
    }
}

/// Errors that name no field of the form (e.g. a duplicate), shown above it.
pub fn other_errors(cols: &'static [Column], errors: &FieldErrors) -> Markup {
    // When no field of the form is in error (a duplicate), the message itself takes the
    // focus; forms without columns of their own (`&[]`) focus their own fields.
    let focus = !cols.is_empty() && first_error(cols, errors).is_none();
    error_summary(cols, errors, focus)
}

/// The summary above a form whose fields are named otherwise than its columns (rows of a
/// multi-row form): it never takes the focus, the page's first field in error does.
pub fn errors_above(cols: &'static [Column], errors: &FieldErrors) -> Markup {
    error_summary(cols, errors, false)
}

fn error_summary(cols: &'static [Column], errors: &FieldErrors, focus: bool) -> Markup {
    let others: Vec<&str> = errors
        .iter()
        .filter(|e| !form_columns(cols).any(|c| c.name == e.field))
        .map(|e| e.message.as_str())
        .collect();
    html! {
        @if !errors.is_empty() {
            div.alert role="alert" tabindex=[focus.then_some("-1")] autofocus[focus] {
                p { "Chưa lưu được: có " (errors.iter().count()) " lỗi, xem ghi chú đỏ bên cạnh từng ô." }
                @if !others.is_empty() { ul { @for m in others { li { (m) } } } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fields_join_and_csrf_is_dropped() {
        let pairs: Vec<(String, String)> = [
            ("topics", "qcdc"),
            ("topics", "ordinance34"),
            ("csrf", "x"),
            ("title", "A"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let i = input_from_pairs(&pairs);
        assert_eq!(i.get("topics"), "qcdc;ordinance34");
        assert_eq!(i.get("csrf"), "");
        assert_eq!(i.get("title"), "A");
    }

    #[test]
    fn dates_show_in_vietnamese_form() {
        assert_eq!(date_for_form("2018-06-28"), "28/06/2018");
        assert_eq!(date_for_form("31/02/2018"), "31/02/2018");
    }
}
