//! The record kinds: what generic code asks a kind (its columns, its date, its
//! references, its key) instead of comparing it. Each kind's facts are declared once,
//! next to its struct, by `record_kind!` (`records/`); [`Kind::spec`] is the one table
//! from a kind to its declaration. Column names are the contract with CSV files and
//! forms.

use crate::codes::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    ResidentialGroups,
    PartyCells,
    CommitteeMembers,
    Conferences,
    Publicity,
    Dialogues,
    Opinions,
    Documents,
    Inspections,
    Commendations,
    HotSpots,
    CommunityDecisions,
    Consultations,
    InspectionBoardTerms,
    InspectionBoardActivities,
    SupervisionBoards,
    SupervisionActivities,
}

/// How a column is typed, which decides its parsing and its form input.
#[derive(Debug, Clone, Copy)]
pub enum ColumnType {
    Text,
    LongText,
    Date,
    Whole,
    /// One code of an enumeration: (code, label) pairs.
    Code(fn() -> Vec<(&'static str, &'static str)>),
    /// Several codes separated by `;`.
    Codes(fn() -> Vec<(&'static str, &'static str)>),
    /// A residential group, by its number.
    Group,
    /// Residential group numbers separated by `;`.
    Groups,
    /// A party cell, by its name.
    PartyCell,
    /// The `ref` of a dialogue in the same import (opinions only; not a form field).
    DialogueRef,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub ty: ColumnType,
    /// The value a new record's form starts with, if any.
    pub default: Option<&'static str>,
}

pub fn options<T: Code>() -> Vec<(&'static str, &'static str)> {
    T::ALL.iter().map(|v| (v.code(), v.label())).collect()
}

/// Which date places a record of a kind in a report period. The one definition of
/// "the record's date": list filters ([`Kind::date_column`]), the store's SQL and
/// [`crate::Record::date`] all derive from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dating {
    /// A column of the record itself (`date`, `decision_date`, `opened`).
    Column(&'static str),
    /// The date of the record it belongs to: an opinion counts in the period of the
    /// dialogue that raised it.
    Parent,
    /// A register entry is not placed in periods; the column says since when it exists
    /// (the importer counts entries per year of it).
    Register(&'static str),
}

/// The column that identifies a record among the live records of its ward (a unique
/// index in the store), with how to name a value in messages.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub column: &'static str,
    /// The value as a sentence names it: "tổ dân phố số 12".
    pub what: fn(&str) -> String,
    /// The message when the value is already taken.
    pub taken: &'static str,
}

/// Everything a kind declares in one place (see `record_kind!` in `records`).
#[derive(Clone, Copy)]
pub struct KindSpec {
    /// The import KIND (`residential_groups`).
    pub code: &'static str,
    /// Plural Vietnamese name, for page titles and menus.
    pub label: &'static str,
    /// Singular, lower case, for sentences ("Thêm hội nghị").
    pub noun: &'static str,
    /// In CSV order.
    pub columns: &'static [Column],
    pub dating: Dating,
    /// The enumeration a list page filters by as "kind", if any.
    pub filter_by: Option<&'static str>,
    pub key: Option<Key>,
    /// Records that are people, listed in Vietnamese name order within runs.
    pub people: Option<PeopleOrder>,
    /// Parses and validates a record of this kind.
    pub parse: fn(&crate::Input) -> Result<Box<dyn crate::AnyRecord>, crate::FieldErrors>,
    /// What the application concludes from a record's figures (a community decision's
    /// outcome by the law's majority rule), shown beside its fields; `None` for kinds
    /// that conclude nothing.
    pub assess: Option<fn(&crate::Input) -> Option<Assessment>>,
}

/// A conclusion drawn from a record's own figures, with why: what the show page and
/// the list print under `label`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// The column heading ("Kết quả").
    pub label: &'static str,
    /// The conclusion in a few words ("Được thông qua").
    pub verdict: String,
    /// Why, with the figures ("61/100 hộ dự họp, quá một nửa…").
    pub reason: String,
    /// Whether the conclusion is the one sought (passed), for styling.
    pub positive: bool,
}

/// How a list of people is read in Vietnamese: within each run of rows that agree on
/// the `within` fields, by given name (the last word of `name`), then the whole name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeopleOrder {
    pub name: &'static str,
    pub within: &'static [&'static str],
}

impl std::fmt::Debug for KindSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KindSpec")
            .field("code", &self.code)
            .finish()
    }
}

impl ColumnType {
    /// The kind a reference column names, if it is one.
    pub fn references(self) -> Option<Kind> {
        match self {
            ColumnType::Group | ColumnType::Groups => Some(Kind::ResidentialGroups),
            ColumnType::PartyCell => Some(Kind::PartyCells),
            ColumnType::DialogueRef => Some(Kind::Dialogues),
            ColumnType::Text
            | ColumnType::LongText
            | ColumnType::Date
            | ColumnType::Whole
            | ColumnType::Code(_)
            | ColumnType::Codes(_) => None,
        }
    }
}

impl ColumnType {
    /// The (code, label) pairs of a coded column (one code or several).
    pub fn options(self) -> Option<Vec<(&'static str, &'static str)>> {
        match self {
            ColumnType::Code(f) | ColumnType::Codes(f) => Some(f()),
            ColumnType::Text
            | ColumnType::LongText
            | ColumnType::Date
            | ColumnType::Whole
            | ColumnType::Group
            | ColumnType::Groups
            | ColumnType::PartyCell
            | ColumnType::DialogueRef => None,
        }
    }
}

/// The options of a coded column: an option's folded code and folded label each name
/// its code, or nothing when two options fold alike.
type Folded = std::rc::Rc<std::collections::HashMap<String, Option<&'static str>>>;

/// [`Folded`] for a list of options, built once per thread (an import reads a coded
/// cell in every row; folding every option's label for each was most of its time).
fn folded(options: fn() -> Vec<(&'static str, &'static str)>) -> Folded {
    thread_local! {
        static BUILT: std::cell::RefCell<std::collections::HashMap<usize, Folded>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    BUILT.with(|built| {
        built
            .borrow_mut()
            .entry(options as usize)
            .or_insert_with(|| {
                let mut by_folded = std::collections::HashMap::new();
                for (code, label) in options() {
                    let mut names = vec![crate::text::fold(code), crate::text::fold(label)];
                    names.dedup();
                    for name in names {
                        by_folded
                            .entry(name)
                            .and_modify(|named: &mut Option<&'static str>| {
                                if *named != Some(code) {
                                    *named = None;
                                }
                            })
                            .or_insert(Some(code));
                    }
                }
                std::rc::Rc::new(by_folded)
            })
            .clone()
    })
}

/// The code a spreadsheet value names among `options`: by code or by label, ignoring
/// case, diacritics (`Hoi nghi nhan dan`) and surrounding spaces; `None` when no option
/// or more than one matches.
fn code_of(
    options: fn() -> Vec<(&'static str, &'static str)>,
    value: &str,
) -> Option<&'static str> {
    folded(options)
        .get(&crate::text::fold(value.trim()))
        .copied()
        .flatten()
}

impl Column {
    /// Whether a spreadsheet header cell names this column: its code (`date`) or its
    /// form label (`Ngày`), ignoring case, diacritics and surrounding spaces.
    pub fn is_named(&self, header: &str) -> bool {
        let h = crate::text::fold(header.trim());
        !h.is_empty() && (h == crate::text::fold(self.name) || h == crate::text::fold(self.label))
    }

    /// A cell as people read it: labels for codes (several joined by `;`), dates as
    /// `dd/mm/yyyy`; other values, and values that are not canonical, as they are.
    pub fn for_people(&self, canonical: &str) -> String {
        match self.ty {
            ColumnType::Date => match crate::dates::parse_date(canonical) {
                Ok(d) if !canonical.trim().is_empty() => crate::dates::vn(d),
                _ => canonical.to_string(),
            },
            ColumnType::Code(f) => label_of(&f(), canonical),
            ColumnType::Codes(f) => {
                let options = f();
                canonical
                    .split(';')
                    .map(|c| label_of(&options, c.trim()))
                    .collect::<Vec<_>>()
                    .join(";")
            }
            ColumnType::Text
            | ColumnType::LongText
            | ColumnType::Whole
            | ColumnType::Group
            | ColumnType::Groups
            | ColumnType::PartyCell
            | ColumnType::DialogueRef => canonical.to_string(),
        }
    }

    /// A spreadsheet cell with coded values written as their codes when each names one
    /// option by code or label, ignoring case and diacritics (`hoi nghi nhan dan` →
    /// `residents_meeting`); anything else is left for the parser to judge.
    pub fn codes_from_people(&self, cell: &str) -> String {
        match self.ty {
            ColumnType::Code(f) => code_of(f, cell)
                .map(str::to_string)
                .unwrap_or_else(|| cell.to_string()),
            ColumnType::Codes(f) => {
                let parts: Vec<&str> = cell.split(';').collect();
                let codes: Option<Vec<&str>> = parts
                    .iter()
                    .map(|p| {
                        if p.trim().is_empty() {
                            Some("")
                        } else {
                            code_of(f, p)
                        }
                    })
                    .collect();
                match codes {
                    Some(codes) => codes
                        .into_iter()
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join(";"),
                    None => cell.to_string(),
                }
            }
            ColumnType::Text
            | ColumnType::LongText
            | ColumnType::Date
            | ColumnType::Whole
            | ColumnType::Group
            | ColumnType::Groups
            | ColumnType::PartyCell
            | ColumnType::DialogueRef => cell.to_string(),
        }
    }

    /// The labels of a coded column's options, for messages (`Khác, Giao ban…`).
    pub fn allowed_labels(&self) -> Option<Vec<&'static str>> {
        self.ty
            .options()
            .map(|o| o.into_iter().map(|(_, l)| l).collect())
    }
}

fn label_of(options: &[(&'static str, &'static str)], code: &str) -> String {
    options
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| code.to_string())
}

impl Kind {
    /// In import dependency order: registers before the records that name them.
    pub const ALL: &'static [Kind] = &[
        Kind::ResidentialGroups,
        Kind::PartyCells,
        Kind::CommitteeMembers,
        Kind::Conferences,
        Kind::Publicity,
        Kind::Dialogues,
        Kind::Opinions,
        Kind::Documents,
        Kind::Inspections,
        Kind::Commendations,
        Kind::HotSpots,
        Kind::CommunityDecisions,
        Kind::Consultations,
        Kind::InspectionBoardTerms,
        Kind::InspectionBoardActivities,
        Kind::SupervisionBoards,
        Kind::SupervisionActivities,
    ];

    /// The kind's declaration.
    pub fn spec(self) -> &'static KindSpec {
        use crate::records::*;
        match self {
            Kind::ResidentialGroups => &ResidentialGroup::SPEC,
            Kind::PartyCells => &PartyCell::SPEC,
            Kind::CommitteeMembers => &CommitteeMember::SPEC,
            Kind::Conferences => &Conference::SPEC,
            Kind::Publicity => &PublicityItem::SPEC,
            Kind::Dialogues => &Dialogue::SPEC,
            Kind::Opinions => &Opinion::SPEC,
            Kind::Documents => &Document::SPEC,
            Kind::Inspections => &Inspection::SPEC,
            Kind::Commendations => &Commendation::SPEC,
            Kind::HotSpots => &HotSpot::SPEC,
            Kind::CommunityDecisions => &CommunityDecision::SPEC,
            Kind::Consultations => &Consultation::SPEC,
            Kind::InspectionBoardTerms => &InspectionBoardTerm::SPEC,
            Kind::InspectionBoardActivities => &InspectionBoardActivity::SPEC,
            Kind::SupervisionBoards => &SupervisionBoard::SPEC,
            Kind::SupervisionActivities => &SupervisionActivity::SPEC,
        }
    }

    /// The import KIND (`residential_groups`).
    pub fn code(self) -> &'static str {
        self.spec().code
    }

    /// The URL segment (`residential-groups`).
    pub fn slug(self) -> &'static str {
        match self {
            Kind::ResidentialGroups => "residential-groups",
            Kind::PartyCells => "party-cells",
            Kind::CommitteeMembers => "committee-members",
            Kind::HotSpots => "hot-spots",
            Kind::CommunityDecisions => "community-decisions",
            Kind::InspectionBoardTerms => "inspection-board-terms",
            Kind::InspectionBoardActivities => "inspection-board-activities",
            Kind::SupervisionBoards => "supervision-boards",
            Kind::SupervisionActivities => "supervision-activities",
            other => other.code(),
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim().replace('-', "_");
        Kind::ALL.iter().copied().find(|k| k.code() == s)
    }

    pub fn from_slug(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.slug() == s)
    }

    /// Plural Vietnamese name, for page titles and menus.
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// Singular, lower case, for sentences ("Thêm hội nghị").
    pub fn noun(self) -> &'static str {
        self.spec().noun
    }

    pub fn columns(self) -> &'static [Column] {
        self.spec().columns
    }

    pub fn column(self, name: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.name == name)
    }

    /// The column a spreadsheet header cell names, by code or by Vietnamese label
    /// (case, diacritics and surrounding spaces ignored).
    pub fn column_by_header(self, header: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.is_named(header))
    }

    pub fn dating(self) -> Dating {
        self.spec().dating
    }

    /// The column that dates a record, used for year filters and ordering.
    pub fn date_column(self) -> Option<&'static str> {
        match self.dating() {
            Dating::Column(c) => Some(c),
            Dating::Parent | Dating::Register(_) => None,
        }
    }

    /// Records are placed in report periods (by their own date or their parent's), so
    /// lists filter them by year.
    pub fn is_dated(self) -> bool {
        !matches!(self.dating(), Dating::Register(_))
    }

    /// A register (groups, cells): not placed in periods, short, listed whole.
    pub fn is_register(self) -> bool {
        !self.is_dated()
    }

    /// The kind is `other` or has a column naming an `other` (a group filter applies
    /// to the groups themselves and to every record naming a group).
    pub fn is_or_refers_to(self, other: Kind) -> bool {
        self == other || self.references().any(|(_, k)| k == other)
    }

    /// The enumeration a list page filters by as "kind", if any.
    pub fn kind_column(self) -> Option<&'static str> {
        self.spec().filter_by
    }

    /// The unique key of a register or of dialogues (their `ref`).
    pub fn key(self) -> Option<Key> {
        self.spec().key
    }

    /// For kinds whose records are people: how their lists are ordered.
    pub fn people_order(self) -> Option<PeopleOrder> {
        self.spec().people
    }

    /// The columns that name another record: (column, the kind it names).
    pub fn references(self) -> impl Iterator<Item = (&'static Column, Kind)> {
        self.columns()
            .iter()
            .filter_map(|c| c.ty.references().map(|k| (c, k)))
    }

    /// The column naming the record this one belongs to (an opinion's `dialogue_ref`):
    /// such records are created from their parent and dated by it.
    pub fn parent_column(self) -> Option<&'static Column> {
        self.columns()
            .iter()
            .find(|c| matches!(c.ty, ColumnType::DialogueRef))
    }

    /// The kind of the record this one belongs to.
    pub fn parent(self) -> Option<Kind> {
        self.parent_column().and_then(|c| c.ty.references())
    }

    pub fn has_parent(self) -> bool {
        self.parent().is_some()
    }

    /// Other kinds belong to records of this one (dialogues have opinions).
    pub fn has_children(self) -> bool {
        Kind::ALL.iter().any(|k| k.parent() == Some(self))
    }

    /// What the application concludes from a record of this kind, from its canonical
    /// fields (see [`KindSpec::assess`]).
    pub fn assess(self, input: &crate::Input) -> Option<Assessment> {
        self.spec().assess.and_then(|f| f(input))
    }

    /// Parses and validates a record of this kind, without knowing its type.
    pub fn parse_record(
        self,
        input: &crate::Input,
    ) -> Result<Box<dyn crate::AnyRecord>, crate::FieldErrors> {
        (self.spec().parse)(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_columns_come_first_in_design_order() {
        let names = |k: Kind| k.columns().iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(
            names(Kind::Conferences)[..9],
            [
                "date",
                "kind",
                "title",
                "attendees",
                "organiser",
                "topics",
                "residential_group",
                "party_cell",
                "notes"
            ]
        );
        assert_eq!(
            names(Kind::Publicity)[..9],
            [
                "date",
                "channel",
                "topic",
                "title",
                "count",
                "posted_from",
                "posted_until",
                "residential_group",
                "notes"
            ]
        );
        assert_eq!(
            names(Kind::Opinions)[..6],
            [
                "dialogue_ref",
                "content",
                "field",
                "response",
                "status",
                "resolved_on"
            ]
        );
        assert_eq!(
            names(Kind::Commendations)[..6],
            [
                "date",
                "decision_number",
                "level",
                "recipient_kind",
                "recipient",
                "reason"
            ]
        );
    }

    #[test]
    fn headers_by_code_or_label_are_unambiguous() {
        for k in Kind::ALL {
            for c in k.columns() {
                assert_eq!(k.column_by_header(c.name).map(|x| x.name), Some(c.name));
                assert_eq!(k.column_by_header(c.label).map(|x| x.name), Some(c.name));
                let matches = k
                    .columns()
                    .iter()
                    .filter(|x| x.is_named(c.label) || x.is_named(c.name))
                    .count();
                assert_eq!(matches, 1, "{k:?} {}", c.name);
                if let Some(options) = c.ty.options() {
                    for (code, label) in options {
                        assert!(!label.contains(';'), "{label}");
                        assert_eq!(c.codes_from_people(label), code);
                        assert_eq!(c.codes_from_people(&crate::text::fold(label)), code);
                        assert_eq!(c.for_people(code), label);
                    }
                }
            }
        }
        let conf = Kind::Conferences;
        assert_eq!(
            conf.column_by_header("  SỐ LƯỢT NGƯỜI DỰ ").map(|c| c.name),
            Some("attendees")
        );
        assert_eq!(
            conf.column_by_header("so luot nguoi du").map(|c| c.name),
            Some("attendees")
        );
        let kind = conf.column("kind").expect("kind");
        assert_eq!(
            kind.codes_from_people("Hoi nghi nhan dan"),
            "residents_meeting"
        );
        assert_eq!(kind.codes_from_people("nonsense"), "nonsense");
        let topics = conf.column("topics").expect("topics");
        assert_eq!(
            topics.for_people("qcdc;ordinance34"),
            "Thực hiện QCDC;Pháp lệnh 34"
        );
        assert_eq!(
            topics.codes_from_people("Thực hiện QCDC; phap lenh 34"),
            "qcdc;ordinance34"
        );
        let date = conf.column("date").expect("date");
        assert_eq!(date.for_people("2018-06-27"), "27/06/2018");
        assert_eq!(date.for_people(""), "");
    }

    #[test]
    fn codes_and_slugs_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.code()), Some(*k));
            assert_eq!(Kind::from_slug(k.slug()), Some(*k));
            assert_eq!(k.slug().replace('-', "_"), k.code());
        }
    }

    #[test]
    fn declarations_are_consistent() {
        for k in Kind::ALL {
            match k.dating() {
                Dating::Column(c) | Dating::Register(c) => {
                    assert!(
                        matches!(k.column(c).map(|c| c.ty), Some(ColumnType::Date)),
                        "{k:?}"
                    )
                }
                Dating::Parent => assert!(k.has_parent(), "{k:?}"),
            }
            if let Some(key) = k.key() {
                assert!(k.column(key.column).is_some(), "{k:?}");
            }
            if let Some(c) = k.kind_column() {
                assert!(
                    matches!(k.column(c).map(|c| c.ty), Some(ColumnType::Code(_))),
                    "{k:?}"
                );
            }
        }
        assert_eq!(Kind::Opinions.parent(), Some(Kind::Dialogues));
        assert_eq!(
            Kind::Opinions.parent_column().map(|c| c.name),
            Some("dialogue_ref")
        );
        assert!(Kind::Dialogues.has_children());
        assert!(!Kind::Opinions.has_children() && !Kind::Conferences.has_parent());
        let refs: Vec<_> = Kind::Conferences
            .references()
            .map(|(c, k)| (c.name, k))
            .collect();
        assert_eq!(
            refs,
            [
                ("residential_group", Kind::ResidentialGroups),
                ("party_cell", Kind::PartyCells)
            ]
        );
        assert_eq!(Kind::ResidentialGroups.date_column(), None);
        assert!(Kind::Opinions.is_dated() && !Kind::PartyCells.is_dated());
        assert!(Kind::PartyCells.is_or_refers_to(Kind::ResidentialGroups));
        assert!(Kind::ResidentialGroups.is_or_refers_to(Kind::ResidentialGroups));
        assert!(!Kind::Opinions.is_or_refers_to(Kind::ResidentialGroups));
        assert_eq!(
            Kind::Publicity.column("count").and_then(|c| c.default),
            Some("1")
        );
    }
}
