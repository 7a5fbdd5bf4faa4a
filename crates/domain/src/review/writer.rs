//! The writer: reads figures out of the two reports by [`IndicatorId`] and attaches
//! estimate footnotes; [`Para`] builds a paragraph of text and cited figures.

use std::collections::BTreeMap;

use crate::fmt;
use crate::kinds::Kind;
use crate::report::{IndicatorId, Report};

use super::document::{Figure, Paragraph, Span};
use super::wording::estimate_family;

/// Reads figures out of the two reports and attaches estimate footnotes.
pub(super) struct Writer<'a> {
    pub(super) total: &'a Report,
    pub(super) by_period: &'a Report,
    /// Estimated records over the draft's range, per family.
    estimated: BTreeMap<Kind, i64>,
    /// Family → footnote number, once referenced.
    noted: BTreeMap<Kind, usize>,
    pub(super) footnotes: Vec<String>,
}

impl<'a> Writer<'a> {
    /// A writer over the two reports; `estimated` is added up per family.
    pub(super) fn new(
        total: &'a Report,
        by_period: &'a Report,
        estimated: &[(Kind, usize, i64)],
    ) -> Self {
        let mut est = BTreeMap::new();
        for (k, _, n) in estimated {
            *est.entry(*k).or_insert(0) += n;
        }
        Writer {
            total,
            by_period,
            estimated: est,
            noted: BTreeMap::new(),
            footnotes: Vec::new(),
        }
    }

    /// The figure of `id` over the draft's range (`None`) or one period of the
    /// by-period report.
    pub(super) fn figure(&self, id: IndicatorId, period: Option<usize>) -> Option<Figure> {
        let (report, from_total) = match period {
            None => (self.total, true),
            Some(_) => (self.by_period, false),
        };
        let row = report.row(id)?;
        let (value, period) = match period {
            None => (row.total, report.total_period()),
            Some(i) => (*row.values.get(i)?, report.periods.get(i)?.clone()),
        };
        Some(Figure {
            indicator: row.indicator,
            period,
            from_total,
            value,
            text: value.vn(),
        })
    }

    /// The total of `id` over the draft's range (0 when unknown).
    pub(super) fn total(&self, id: IndicatorId) -> i64 {
        self.total.total_of(id)
    }

    /// A new paragraph written with this writer.
    pub(super) fn para(&mut self) -> Para<'_, 'a> {
        Para {
            w: self,
            p: Paragraph::default(),
        }
    }

    /// A figure of the draft's range, followed by the estimate footnote of its family
    /// the first time that family is cited.
    fn cite(&mut self, p: &mut Paragraph, id: IndicatorId) {
        let Some(f) = self.figure(id, None) else {
            p.spans.push(Span::Text("—".into()));
            return;
        };
        let family = estimate_family(f.indicator);
        p.spans.push(Span::Figure(f));
        let Some((kind, about)) = family else { return };
        let n = self.estimated.get(&kind).copied().unwrap_or(0);
        if n > 0 && !self.noted.contains_key(&kind) {
            self.footnotes.push(format!(
                "Số liệu {about} có {} bản ghi ước tính (không có văn bản gốc).",
                fmt::thousands(n)
            ));
            self.noted.insert(kind, self.footnotes.len());
            p.spans.push(Span::Note(self.footnotes.len()));
        }
    }
}

/// Builds a paragraph from text and cited figures.
pub(super) struct Para<'w, 'a> {
    pub(super) w: &'w mut Writer<'a>,
    p: Paragraph,
}

impl<'w, 'a> Para<'w, 'a> {
    pub(super) fn t(mut self, s: &str) -> Self {
        // Adjacent text is merged, so renderers see whole phrases.
        if let Some(Span::Text(last)) = self.p.spans.last_mut() {
            last.push_str(s);
        } else {
            self.p.spans.push(Span::Text(s.to_string()));
        }
        self
    }
    /// Cites the figure of `id` over the draft's range.
    pub(super) fn f(mut self, id: IndicatorId) -> Self {
        self.w.cite(&mut self.p, id);
        self
    }
    /// `N phrase` items with a non-zero figure, joined with `sep`.
    pub(super) fn list(mut self, items: &[(IndicatorId, String)], sep: &str) -> Self {
        let mut first = true;
        for (id, phrase) in items {
            if self.w.total(*id) == 0 {
                continue;
            }
            if !first {
                self = self.t(sep);
            }
            first = false;
            self = self.f(*id).t(" ").t(phrase);
        }
        self
    }
    pub(super) fn done(self) -> Paragraph {
        self.p
    }
}
