//! The record filter: which records of a kind a list shows, a figure's drill-down
//! stands for, or a page counts. One typed value, written to and read from the query
//! string by [`RecordFilter::to_query`] and [`RecordFilter::from_query`] side by side;
//! the store turns it into SQL (`store::filter`).

use chrono::NaiveDate;

use crate::codes::Code;
use crate::dates;
use crate::kinds::{ColumnType, Kind};

/// A filter over one kind's records. Field names are those of the kind's columns; the
/// store refuses a name the kind does not store, never interpolates it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordFilter {
    /// Inclusive date range on the kind's date (an opinion's is its dialogue's).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub year: Option<i32>,
    /// field = value, e.g. ("kind", "review").
    pub eq: Vec<(String, String)>,
    /// field IN (values), e.g. ("topic", ["land_certificate", "site_clearance"]).
    pub any_of: Vec<(String, Vec<String>)>,
    pub group: Option<u32>,
    pub party_cell: Option<String>,
    /// Free text, matched with LIKE on the kind's text columns.
    pub q: Option<String>,
    /// Show deleted records instead of live ones.
    pub deleted: bool,
    /// Opinions of one dialogue.
    pub parent: Option<i64>,
    /// Opinions resolved on or before this day.
    pub resolved_by: Option<NaiveDate>,
    /// Opinions resolved on or after this day (with `resolved_by`: resolved in a
    /// period, whenever raised).
    pub resolved_from: Option<NaiveDate>,
    /// Opinions or hot spots not yet resolved at the end of this day.
    pub open_at: Option<NaiveDate>,
    /// Residential groups active on this day.
    pub active_on: Option<NaiveDate>,
    /// Records whose `source` says they are estimated ("ước tính").
    pub estimated: bool,
    /// Community decisions that passed by the law's majority rule (more than half of
    /// all the group's households in favour).
    pub passed: bool,
    /// For a ward formed by a merger: also the records of the former wards that passed
    /// into it only in part (whole ones are always listed, up to their last day).
    pub include_part: bool,
    /// 1-based page; `per_page` 0 means all rows.
    pub page: u32,
    pub per_page: u32,
}

impl Default for RecordFilter {
    /// Every live record, on one page.
    fn default() -> Self {
        RecordFilter {
            from: None,
            to: None,
            year: None,
            eq: Vec::new(),
            any_of: Vec::new(),
            group: None,
            party_cell: None,
            q: None,
            deleted: false,
            parent: None,
            resolved_by: None,
            resolved_from: None,
            open_at: None,
            active_on: None,
            estimated: false,
            include_part: false,
            passed: false,
            page: 1,
            per_page: 0,
        }
    }
}

impl RecordFilter {
    /// Records dated from `from` to `to`, both included.
    pub fn range(from: NaiveDate, to: NaiveDate) -> Self {
        RecordFilter {
            from: Some(from),
            to: Some(to),
            ..RecordFilter::default()
        }
    }

    /// Adds "`field` is one of `values`": nothing when empty, an equality for one value.
    pub fn with_codes<C: Code>(mut self, field: &str, values: &[C]) -> Self {
        match values {
            [] => {}
            [one] => self.eq.push((field.to_string(), one.code().to_string())),
            many => self.any_of.push((
                field.to_string(),
                many.iter().map(|c| c.code().to_string()).collect(),
            )),
        }
        self
    }

    /// Adds "`field` = `value`" when there is a value.
    pub fn with_code<C: Code>(self, field: &str, value: Option<C>) -> Self {
        match value {
            Some(v) => self.with_codes(field, &[v]),
            None => self,
        }
    }

    /// The query parameters that [`RecordFilter::from_query`] reads back into this
    /// filter: dates as ISO, flags as `1`, each value of `any_of` repeated; defaults
    /// (page 1, all rows) left out.
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = Vec::new();
        let mut put = |k: &str, v: String| q.push((k.to_string(), v));
        let day = |d: &Option<NaiveDate>| d.map(dates::iso);
        if let Some(d) = day(&self.from) {
            put("from", d);
        }
        if let Some(d) = day(&self.to) {
            put("to", d);
        }
        if let Some(y) = self.year {
            put("year", y.to_string());
        }
        for (field, value) in &self.eq {
            put(field, value.clone());
        }
        for (field, values) in &self.any_of {
            for v in values {
                put(field, v.clone());
            }
        }
        if let Some(g) = self.group {
            put("group", g.to_string());
        }
        if let Some(c) = &self.party_cell {
            put("party_cell", c.clone());
        }
        if let Some(s) = &self.q {
            put("q", s.clone());
        }
        if self.deleted {
            put("deleted", "1".into());
        }
        if let Some(p) = self.parent {
            put("dialogue", p.to_string());
        }
        if let Some(d) = day(&self.resolved_from) {
            put("resolved_from", d);
        }
        if let Some(d) = day(&self.resolved_by) {
            put("resolved_by", d);
        }
        if let Some(d) = day(&self.open_at) {
            put("open_at", d);
        }
        if let Some(d) = day(&self.active_on) {
            put("active_on", d);
        }
        if self.include_part {
            put("include_part", "1".into());
        }
        if self.estimated {
            put("estimated", "1".into());
        }
        if self.passed {
            put("passed", "1".into());
        }
        if self.page > 1 {
            put("page", self.page.to_string());
        }
        if self.per_page != 0 {
            put("per_page", self.per_page.to_string());
        }
        q
    }

    /// Query parameters → filter, the contract the report drill-down links rely on.
    /// Any other parameter named after a code or text column of the kind filters on
    /// equality (repeated: any of). Unknown names and bad values are refused with a
    /// Vietnamese message, never passed on. Without `page`/`per_page` the filter asks
    /// for the first page of all rows (`per_page` 0); the caller sets its page size.
    pub fn from_query(kind: Kind, pairs: &[(String, String)]) -> Result<RecordFilter, String> {
        let mut f = RecordFilter::default();
        let date = |name: &str, v: &str| {
            dates::parse_date(v).map_err(|_| {
                format!(
                    "Tham số «{name}»: ngày không hợp lệ «{v}» (dùng dd/mm/yyyy hoặc yyyy-mm-dd)."
                )
            })
        };
        let flag = |name: &str, v: &str| match v {
            "1" | "true" | "on" => Ok(true),
            "0" | "false" | "" => Ok(false),
            _ => Err(format!("Tham số «{name}» chỉ nhận 1 hoặc 0.")),
        };
        let mut codes: Vec<(String, Vec<String>)> = Vec::new();
        for (k, v) in pairs {
            let v = v.trim();
            // Empty values come from blank filter fields: they mean "no filter".
            if v.is_empty() {
                continue;
            }
            match k.as_str() {
                "from" => f.from = Some(date(k, v)?),
                "to" => f.to = Some(date(k, v)?),
                "year" => {
                    f.year = Some(
                        v.parse::<i32>()
                            .ok()
                            .filter(|y| (dates::MIN_YEAR..=dates::MAX_YEAR).contains(y))
                            .ok_or_else(|| format!("Năm không hợp lệ «{v}»."))?,
                    )
                }
                "group" => {
                    f.group = Some(
                        v.parse::<u32>()
                            .ok()
                            .filter(|g| *g >= 1)
                            .ok_or_else(|| format!("Số tổ dân phố không hợp lệ «{v}»."))?,
                    )
                }
                "party_cell" => f.party_cell = Some(v.to_string()),
                "q" => f.q = Some(v.chars().take(200).collect()),
                "deleted" => f.deleted = flag(k, v)?,
                "estimated" => f.estimated = flag(k, v)?,
                "include_part" => f.include_part = flag(k, v)?,
                "passed" if kind == Kind::CommunityDecisions => f.passed = flag(k, v)?,
                "page" => {
                    f.page = v
                        .parse::<u32>()
                        .ok()
                        .filter(|p| (1..=1_000_000).contains(p))
                        .ok_or_else(|| format!("Số trang không hợp lệ «{v}»."))?
                }
                "per_page" => {
                    f.per_page = v
                        .parse::<u32>()
                        .ok()
                        .filter(|p| (1..=1000).contains(p))
                        .ok_or_else(|| format!("Số dòng mỗi trang không hợp lệ «{v}» (1–1000)."))?
                }
                "resolved_by" => f.resolved_by = Some(date(k, v)?),
                "resolved_from" => f.resolved_from = Some(date(k, v)?),
                "open_at" => f.open_at = Some(date(k, v)?),
                "active_on" => f.active_on = Some(date(k, v)?),
                "dialogue" if kind.has_parent() => {
                    f.parent = Some(
                        v.parse()
                            .map_err(|_| format!("Mã buổi đối thoại không hợp lệ «{v}»."))?,
                    )
                }
                name => {
                    let col = kind
                        .column(name)
                        .filter(|c| {
                            matches!(
                                c.ty,
                                ColumnType::Code(_) | ColumnType::Text | ColumnType::Codes(_)
                            )
                        })
                        .ok_or_else(|| {
                            format!("Không lọc được «{}» theo «{name}».", kind.label())
                        })?;
                    if let ColumnType::Code(opts) = col.ty {
                        if !opts().iter().any(|(c, _)| *c == v) {
                            return Err(format!("Giá trị «{v}» không hợp lệ cho «{}».", col.label));
                        }
                    }
                    match codes.iter_mut().find(|(n, _)| n == name) {
                        Some((_, vs)) => vs.push(v.to_string()),
                        None => codes.push((name.to_string(), vec![v.to_string()])),
                    }
                }
            }
        }
        for (name, mut values) in codes {
            if values.len() == 1 {
                f.eq.push((name, values.remove(0)));
            } else {
                f.any_of.push((name, values));
            }
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Channel, Topic};

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn query_parameters_become_a_filter() {
        let f = RecordFilter::from_query(
            Kind::Publicity,
            &pairs(&[
                ("from", "01/01/2014"),
                ("to", "2018-06-28"),
                ("topic", "land_certificate"),
                ("topic", "site_clearance"),
                ("channel", "radio"),
                ("deleted", "1"),
                ("page", "2"),
                ("q", ""),
            ]),
        )
        .expect("valid");
        assert_eq!(f.from, dates::ymd(2014, 1, 1));
        assert_eq!(f.to, dates::ymd(2018, 6, 28));
        assert_eq!(f.eq, vec![("channel".to_string(), "radio".to_string())]);
        assert_eq!(
            f.any_of,
            vec![(
                "topic".to_string(),
                vec!["land_certificate".to_string(), "site_clearance".to_string()]
            )]
        );
        assert!(f.deleted);
        assert_eq!(f.page, 2);
        assert_eq!(f.per_page, 0);
        assert_eq!(f.q, None);
    }

    #[test]
    fn unknown_names_and_bad_values_are_refused() {
        let refused = |k: &str, v: &str| {
            RecordFilter::from_query(Kind::Conferences, &pairs(&[(k, v)])).is_err()
        };
        assert!(refused("colour", "red"));
        assert!(refused("year", "abc"));
        assert!(refused("from", "31/02/2018"));
        assert!(refused("kind", "party"));
        assert!(refused("attendees", "5"));
        assert!(refused("page", "0"));
        assert!(refused("dialogue", "1"));
    }

    #[test]
    fn to_query_and_from_query_round_trip() {
        let (a, b) = (
            dates::ymd(2014, 1, 1).expect("date"),
            dates::ymd(2018, 6, 27).expect("date"),
        );
        let f = RecordFilter::range(a, b)
            .with_codes("channel", &[Channel::Radio])
            .with_codes("topic", &[Topic::LandCertificate, Topic::SiteClearance]);
        let q = f.to_query();
        assert_eq!(
            q,
            pairs(&[
                ("from", "2014-01-01"),
                ("to", "2018-06-27"),
                ("channel", "radio"),
                ("topic", "land_certificate"),
                ("topic", "site_clearance"),
            ])
        );
        assert_eq!(RecordFilter::from_query(Kind::Publicity, &q), Ok(f));
        let g = RecordFilter {
            year: Some(2017),
            q: Some("họp".into()),
            parent: Some(7),
            resolved_by: Some(b),
            open_at: Some(b),
            estimated: true,
            deleted: true,
            page: 3,
            per_page: 10,
            ..RecordFilter::default()
        };
        assert_eq!(
            RecordFilter::from_query(Kind::Opinions, &g.to_query()),
            Ok(g)
        );
        assert!(RecordFilter::default().to_query().is_empty());
    }
}
