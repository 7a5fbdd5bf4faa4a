//! The records: registers (residential groups, party cells, steering committee
//! members) and activities. Each kind is declared once with [`record_kind!`], which
//! writes its struct, its columns (names = CSV column names = form field names, labels,
//! types), `parse` (which validates every field, then runs the kind's cross-field
//! `validate` hook) and `to_input` (canonical text: ISO dates, codes — what the store
//! writes, the exporter prints and the edit form shows), its date and its references.

use chrono::NaiveDate;

use crate::codes::*;
use crate::error::FieldErrors;
use crate::input::Input;
use crate::kinds::{Kind, KindSpec};

mod activities;
mod decisions;
mod law;
#[cfg(test)]
mod law_tests;
mod registers;
#[cfg(test)]
mod tests;

pub use activities::*;
pub use decisions::*;
pub use law::*;
pub use registers::*;

/// Upper bounds that catch typos without limiting real wards.
pub const MAX_GROUP_NUMBER: u32 = 999;
pub const MAX_PEOPLE: u32 = 100_000;
pub const MAX_COUNT: u32 = 10_000;

pub trait Record: Sized + Clone + std::fmt::Debug + PartialEq + Send + Sync + 'static {
    const KIND: Kind;
    /// The kind's declaration: columns, dating, references, key.
    const SPEC: KindSpec;
    fn parse(input: &Input) -> Result<Self, FieldErrors>;
    fn to_input(&self) -> Input;
    /// One line naming the record, for lists, the audit log and confirmations.
    fn summary(&self) -> String;
    /// The record's own date, as its kind's [`crate::kinds::Dating`] names it: the
    /// dating column, or the start of a register entry; `None` for a record dated by its
    /// parent (an opinion), whose date is the parent's.
    fn date(&self) -> Option<NaiveDate>;
    /// Rules that depend on the parent's date (an opinion is not resolved before its
    /// dialogue). Nothing for kinds without a parent.
    fn check_parent(&self, _parent_date: NaiveDate) -> Result<(), FieldErrors> {
        Ok(())
    }
    /// When a register entry exists (a residential group, a party cell); `None` for
    /// kinds whose entries do not start and end.
    fn lifespan(&self) -> Option<Lifespan> {
        None
    }
}

/// When a register entry exists, as its register counts it: from its first day to its
/// last, both included; an unknown end is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifespan {
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

/// Where a register entry stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Its first day is still to come.
    NotYet,
    Active,
    /// Its last day has passed (a group dissolved, a cell stopped).
    Ended,
}

impl Lifespan {
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.standing(day) == Standing::Active
    }

    pub fn standing(&self, day: NaiveDate) -> Standing {
        if self.first.is_some_and(|f| f > day) {
            Standing::NotYet
        } else if self.last.is_some_and(|l| l < day) {
            Standing::Ended
        } else {
            Standing::Active
        }
    }
}

/// A record of any kind, for code that goes by [`Kind`] rather than by type (the
/// importer): what [`KindSpec::parse`] returns. Its methods are [`Record`]'s, under
/// names that do not clash with them.
pub trait AnyRecord: std::fmt::Debug + Send + Sync {
    /// [`Record::to_input`].
    fn canonical_input(&self) -> Input;
    /// [`Record::date`].
    fn own_date(&self) -> Option<NaiveDate>;
    /// [`Record::check_parent`].
    fn check_parent_date(&self, parent_date: NaiveDate) -> Result<(), FieldErrors>;
}

impl<T: Record> AnyRecord for T {
    fn canonical_input(&self) -> Input {
        self.to_input()
    }
    fn own_date(&self) -> Option<NaiveDate> {
        self.date()
    }
    fn check_parent_date(&self, parent_date: NaiveDate) -> Result<(), FieldErrors> {
        self.check_parent(parent_date)
    }
}

/// `T::parse`, boxed: the kind-level entry point of [`KindSpec::parse`].
pub fn parse_any<T: Record>(input: &Input) -> Result<Box<dyn AnyRecord>, FieldErrors> {
    Ok(Box::new(T::parse(input)?))
}

/// The enumeration behind a code field (`T`, `Option<T>` or `Vec<T>`), for the
/// column's list of choices.
pub trait CodeField {
    fn options() -> Vec<(&'static str, &'static str)>;
}
impl<T: Code> CodeField for T {
    fn options() -> Vec<(&'static str, &'static str)> {
        crate::kinds::options::<T>()
    }
}
impl<T: Code> CodeField for Option<T> {
    fn options() -> Vec<(&'static str, &'static str)> {
        crate::kinds::options::<T>()
    }
}
impl<T: Code> CodeField for Vec<T> {
    fn options() -> Vec<(&'static str, &'static str)> {
        crate::kinds::options::<T>()
    }
}

#[doc(hidden)]
pub fn set_text(i: &mut Input, k: &str, v: &Option<String>) {
    i.set(k, v.clone().unwrap_or_default());
}

#[doc(hidden)]
pub fn join_codes<T: Code>(v: &[T]) -> String {
    v.iter().map(|c| c.code()).collect::<Vec<_>>().join(";")
}

#[doc(hidden)]
pub fn join_numbers(v: &[u32]) -> String {
    v.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(";")
}

/// Declares a record kind once: its struct, its [`KindSpec`] and its [`Record`] impl.
///
/// Each field is `name: Type = shape "Label"`, in column order; the field's name is
/// its column name unless `name as "column"` says otherwise. The shape decides the
/// parsing, the canonical text, the column type and whether the column is required:
///
/// | shape | type | column |
/// |---|---|---|
/// | `text(max)` / `opt_text(max)` | `String` / `Option<String>` | Text |
/// | `long` / `opt_long` | `String` / `Option<String>` | LongText |
/// | `whole(min, max)` / `opt_whole(min, max)` | `u32` / `Option<u32>` | Whole |
/// | `count(min, max, default)` | `u32`, `default` when empty (and in new forms) | Whole (optional) |
/// | `date` / `opt_date` | `NaiveDate` / `Option<NaiveDate>` | Date |
/// | `code` / `opt_code` / `codes` | `T` / `Option<T>` / `Vec<T>` of a [`Code`] | Code / Codes |
/// | `group` / `groups` | `Option<u32>` / `Vec<u32>` | Group / Groups (references) |
/// | `req_group` | `u32` | Group (a required reference) |
/// | `cell` | `Option<String>` | PartyCell (reference) |
///
/// The header says where the kind's date comes from (`dating: Column(field)`,
/// `Register(field)` or `Parent`), what lists filter it by, its unique key, its parent
/// (a leading reference column and the check against the parent's date), its summary
/// line, for a register whose entries start and end its `lifespan`, its cross-field
/// `validate` hook (reported as if checked right after the column named by `after`, else
/// after every field) and its `assess` hook (what the application concludes from the
/// record's figures, see [`crate::kinds::Assessment`]).
macro_rules! record_kind {
    (
        $(#[$meta:meta])*
        pub struct $name:ident for $kind:ident {
            code: $code:literal,
            label: $label:literal,
            noun: $noun:literal,
            dating: $dating:ident $(($date_field:ident))?,
            filter_by: $filter:expr,
            key: $key:expr,
            $(people: $pname:literal within [$($pwithin:literal),*],)?
            $(parent: $parent_col:literal $parent_label:literal, check: $check_parent:path,)?
            summary: |$s:ident| $summary:expr,
            $(lifespan: $lifespan:path,)?
            $(validate: $validate:path $(, after $anchor:literal)?,)?
            $(assess: $assess:path,)?
        }
        {
            $( $(#[$fmeta:meta])* $field:ident $(as $col:literal)? : $ty:ty = $shape:ident $(($($arg:expr),*))? $flabel:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )+
        }

        impl Record for $name {
            const KIND: Kind = Kind::$kind;
            const SPEC: KindSpec = KindSpec {
                code: $code,
                label: $label,
                noun: $noun,
                columns: &[
                    $(Column {
                        name: $parent_col,
                        label: $parent_label,
                        required: true,
                        ty: ColumnType::DialogueRef,
                        default: None,
                    },)?
                    $(record_kind!(@column record_kind!(@name $field $($col)?), $flabel, $ty, $shape $(($($arg),*))?),)+
                ],
                dating: Dating::$dating $((stringify!($date_field)))?,
                filter_by: $filter,
                key: $key,
                people: record_kind!(@people $($pname [$($pwithin),*])?),
                parse: $crate::records::parse_any::<$name>,
                assess: record_kind!(@assess $name $($assess)?),
            };

            fn parse(input: &Input) -> Result<Self, FieldErrors> {
                let mut p = Parser::new(input);
                $( let $field: $ty = record_kind!(@read p, record_kind!(@name $field $($col)?), $shape $(($($arg),*))?); )+
                let value = $name { $($field),+ };
                $(
                    let parsed = p.errors.0.len();
                    $validate(&value, &mut p);
                    $( p.place_checks(parsed, Self::SPEC.columns, $anchor); )?
                    let _ = parsed;
                )?
                p.finish(value)
            }

            fn to_input(&self) -> Input {
                let mut i = Input::new();
                $( record_kind!(@write i, record_kind!(@name $field $($col)?), self.$field, $shape); )+
                i
            }

            fn summary(&self) -> String {
                let $s = self;
                $summary
            }

            fn date(&self) -> Option<NaiveDate> {
                None $( .or(Into::<Option<NaiveDate>>::into(self.$date_field)) )?
            }

            $(
                fn check_parent(&self, parent_date: NaiveDate) -> Result<(), FieldErrors> {
                    $check_parent(self, parent_date)
                }
            )?

            $(
                fn lifespan(&self) -> Option<$crate::records::Lifespan> {
                    Some($lifespan(self))
                }
            )?
        }

        $(
            impl $name {
                /// The kind's [`crate::kinds::KindSpec::assess`]: the record read back
                /// from its canonical fields, then assessed.
                #[doc(hidden)]
                pub fn assess_input(input: &Input) -> Option<$crate::kinds::Assessment> {
                    <$name as Record>::parse(input).ok().map(|r| $assess(&r))
                }
            }
        )?
    };

    (@assess $name:ident) => { None };
    (@assess $name:ident $assess:path) => { Some($name::assess_input) };

    (@people) => { None };
    (@people $name:literal [$($within:literal),*]) => {
        Some($crate::kinds::PeopleOrder { name: $name, within: &[$($within),*] })
    };
    (@name $field:ident $col:literal) => { $col };
    (@name $field:ident) => { stringify!($field) };

    (@read $p:ident, $n:expr, text($max:expr)) => { $p.text($n, $max) };
    (@read $p:ident, $n:expr, opt_text($max:expr)) => { $p.opt_text($n, $max) };
    (@read $p:ident, $n:expr, long) => { $p.text($n, LONG) };
    (@read $p:ident, $n:expr, opt_long) => { $p.opt_text($n, LONG) };
    (@read $p:ident, $n:expr, whole($min:expr, $max:expr)) => { $p.whole($n, $min, $max) };
    (@read $p:ident, $n:expr, opt_whole($min:expr, $max:expr)) => { $p.opt_whole($n, $min, $max) };
    (@read $p:ident, $n:expr, count($min:expr, $max:expr, $default:expr)) => {
        $p.opt_whole($n, $min, $max).unwrap_or($default)
    };
    (@read $p:ident, $n:expr, date) => { $p.date($n) };
    (@read $p:ident, $n:expr, opt_date) => { $p.opt_date($n) };
    (@read $p:ident, $n:expr, code) => { $p.code($n) };
    (@read $p:ident, $n:expr, opt_code) => { $p.opt_code($n) };
    (@read $p:ident, $n:expr, codes) => { $p.codes($n) };
    (@read $p:ident, $n:expr, group) => { $p.opt_whole($n, 1, MAX_GROUP_NUMBER) };
    (@read $p:ident, $n:expr, req_group) => { $p.whole($n, 1, MAX_GROUP_NUMBER) };
    (@read $p:ident, $n:expr, groups) => { $p.numbers($n, MAX_GROUP_NUMBER) };
    (@read $p:ident, $n:expr, cell) => { $p.opt_text($n, SHORT) };

    (@write $i:ident, $n:expr, $v:expr, text) => { $i.set($n, $v.clone()) };
    (@write $i:ident, $n:expr, $v:expr, long) => { $i.set($n, $v.clone()) };
    (@write $i:ident, $n:expr, $v:expr, opt_text) => { set_text(&mut $i, $n, &$v) };
    (@write $i:ident, $n:expr, $v:expr, opt_long) => { set_text(&mut $i, $n, &$v) };
    (@write $i:ident, $n:expr, $v:expr, cell) => { set_text(&mut $i, $n, &$v) };
    (@write $i:ident, $n:expr, $v:expr, whole) => { $i.set($n, $v.to_string()) };
    (@write $i:ident, $n:expr, $v:expr, count) => { $i.set($n, $v.to_string()) };
    (@write $i:ident, $n:expr, $v:expr, opt_whole) => { $i.set_opt($n, $v) };
    (@write $i:ident, $n:expr, $v:expr, group) => { $i.set_opt($n, $v) };
    (@write $i:ident, $n:expr, $v:expr, req_group) => { $i.set($n, $v.to_string()) };
    (@write $i:ident, $n:expr, $v:expr, date) => { $i.set_date($n, Some($v)) };
    (@write $i:ident, $n:expr, $v:expr, opt_date) => { $i.set_date($n, $v) };
    (@write $i:ident, $n:expr, $v:expr, code) => { $i.set($n, $v.code()) };
    (@write $i:ident, $n:expr, $v:expr, opt_code) => { $i.set_code($n, $v) };
    (@write $i:ident, $n:expr, $v:expr, codes) => { $i.set($n, join_codes(&$v)) };
    (@write $i:ident, $n:expr, $v:expr, groups) => { $i.set($n, join_numbers(&$v)) };

    (@column $n:expr, $l:expr, $ty:ty, text($max:expr)) => { record_kind!(@col $n, $l, true, Text) };
    (@column $n:expr, $l:expr, $ty:ty, opt_text($max:expr)) => { record_kind!(@col $n, $l, false, Text) };
    (@column $n:expr, $l:expr, $ty:ty, long) => { record_kind!(@col $n, $l, true, LongText) };
    (@column $n:expr, $l:expr, $ty:ty, opt_long) => { record_kind!(@col $n, $l, false, LongText) };
    (@column $n:expr, $l:expr, $ty:ty, whole($min:expr, $max:expr)) => { record_kind!(@col $n, $l, true, Whole) };
    (@column $n:expr, $l:expr, $ty:ty, opt_whole($min:expr, $max:expr)) => { record_kind!(@col $n, $l, false, Whole) };
    (@column $n:expr, $l:expr, $ty:ty, count($min:expr, $max:expr, $d:expr)) => {
        Column { name: $n, label: $l, required: false, ty: ColumnType::Whole, default: Some(stringify!($d)) }
    };
    (@column $n:expr, $l:expr, $ty:ty, date) => { record_kind!(@col $n, $l, true, Date) };
    (@column $n:expr, $l:expr, $ty:ty, opt_date) => { record_kind!(@col $n, $l, false, Date) };
    (@column $n:expr, $l:expr, $ty:ty, code) => {
        record_kind!(@col $n, $l, true, Code(<$ty as $crate::records::CodeField>::options))
    };
    (@column $n:expr, $l:expr, $ty:ty, opt_code) => {
        record_kind!(@col $n, $l, false, Code(<$ty as $crate::records::CodeField>::options))
    };
    (@column $n:expr, $l:expr, $ty:ty, codes) => {
        record_kind!(@col $n, $l, false, Codes(<$ty as $crate::records::CodeField>::options))
    };
    (@column $n:expr, $l:expr, $ty:ty, group) => { record_kind!(@col $n, $l, false, Group) };
    (@column $n:expr, $l:expr, $ty:ty, req_group) => { record_kind!(@col $n, $l, true, Group) };
    (@column $n:expr, $l:expr, $ty:ty, groups) => { record_kind!(@col $n, $l, false, Groups) };
    (@column $n:expr, $l:expr, $ty:ty, cell) => { record_kind!(@col $n, $l, false, PartyCell) };
    (@col $n:expr, $l:expr, $required:expr, $($t:tt)+) => {
        Column { name: $n, label: $l, required: $required, ty: ColumnType::$($t)+, default: None }
    };
}
pub(crate) use record_kind;
