//! The summary report: indicator definitions, the period grid, and the assembly of
//! aggregate facts (computed by the store, one query per family) into a table of
//! indicators × periods. Every consumer — the page, the CSV and XLSX exports, the CLI
//! and the review draft — reads figures from a [`Report`] built here.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};

use crate::codes::*;
use crate::dates;
use crate::error::FieldErrors;
use crate::kinds::Kind;
use crate::ward::{ReviewPeriod, Term};

// ---------------------------------------------------------------- periods

/// How the report's columns are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Year,
    Term,
    Period,
    Total,
}

impl Grouping {
    pub const ALL: &'static [Grouping] = &[
        Grouping::Year,
        Grouping::Term,
        Grouping::Period,
        Grouping::Total,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Grouping::Year => "year",
            Grouping::Term => "term",
            Grouping::Period => "period",
            Grouping::Total => "total",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Grouping::Year => "Theo năm",
            Grouping::Term => "Theo nhiệm kỳ",
            Grouping::Period => "Theo giai đoạn",
            Grouping::Total => "Tổng cộng",
        }
    }
    pub fn parse(s: &str) -> Option<Grouping> {
        Grouping::ALL.iter().copied().find(|g| g.code() == s.trim())
    }
}

/// One column: a label (`2014`, `2015-2020`, `2014-nay`, `total`) and its inclusive dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The label of the total column in CSV files.
pub const TOTAL: &str = "total";

/// Checks a requested range: `from` not after `to`.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), FieldErrors> {
    if to < from {
        return Err(FieldErrors::single(
            "to",
            format!(
                "Ngày kết thúc phải từ ngày bắt đầu ({}) trở đi.",
                dates::vn(from)
            ),
        ));
    }
    Ok(())
}

/// The columns for `grouping` over `from..=to`, each clipped to the range. Years are
/// calendar years; a term runs from its start to the day before the next term's start
/// (the last one for five years); named periods are taken as defined. Periods that do
/// not meet the range are left out.
pub fn period_grid(
    grouping: Grouping,
    from: NaiveDate,
    to: NaiveDate,
    terms: &[Term],
    periods: &[ReviewPeriod],
) -> Vec<Period> {
    let clip = |label: String, s: NaiveDate, e: NaiveDate| -> Option<Period> {
        let (s, e) = (s.max(from), e.min(to));
        (s <= e).then_some(Period {
            label,
            start: s,
            end: e,
        })
    };
    match grouping {
        Grouping::Total => Vec::new(),
        Grouping::Year => (from.year()..=to.year())
            .filter_map(|y| {
                let s = NaiveDate::from_ymd_opt(y, 1, 1)?;
                let e = NaiveDate::from_ymd_opt(y, 12, 31)?;
                clip(y.to_string(), s, e)
            })
            .collect(),
        Grouping::Term => {
            let mut sorted: Vec<&Term> = terms.iter().collect();
            sorted.sort_by_key(|t| t.start);
            sorted
                .iter()
                .enumerate()
                .filter_map(|(i, t)| {
                    let end = match sorted.get(i + 1) {
                        Some(next) => next.start.pred_opt()?,
                        None => t.start.with_year(t.start.year() + 5)?.pred_opt()?,
                    };
                    clip(t.name.clone(), t.start, end)
                })
                .collect()
        }
        Grouping::Period => {
            let mut sorted: Vec<&ReviewPeriod> = periods.iter().collect();
            sorted.sort_by_key(|p| (p.start, p.end));
            sorted
                .iter()
                .filter_map(|p| clip(p.name.clone(), p.start, p.end))
                .collect()
        }
    }
}

// ---------------------------------------------------------------- indicators

/// What an indicator measures, in terms of the facts the store aggregates.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// Conferences held (of one kind), or their attendances.
    Conferences {
        kind: Option<ConferenceKind>,
        attendees: bool,
    },
    /// Sum of `count` (lượt) of publicity items on any of `channels` (all if empty)
    /// and any of `topics` (all if empty).
    Publicity {
        channels: Vec<Channel>,
        topics: Vec<Topic>,
    },
    Dialogues {
        participants: bool,
    },
    /// Opinions raised in dialogues held in the period.
    OpinionsRaised,
    /// Of those, resolved on or before the period's last day.
    OpinionsResolved,
    /// Of those, not resolved by the period's last day.
    OpinionsOpenAtEnd,
    /// Resolved ÷ raised, in percent.
    OpinionsResolutionRate,
    Documents {
        kind: Option<DocumentKind>,
    },
    Inspections {
        kind: Option<InspectionKind>,
    },
    Commendations {
        level: Option<CommendationLevel>,
        recipient: Option<RecipientKind>,
    },
    /// Residential groups active on the period's last day.
    GroupsActive,
    HotSpotsOpened,
    /// Hot spots opened by the period's end and not resolved by then.
    HotSpotsOpenAtEnd,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Stable code (DESIGN §5), the contract with CSV consumers.
    pub code: String,
    pub name: String,
    pub unit: &'static str,
    /// One line shown on the report page.
    pub definition: String,
    pub measure: Measure,
    /// Shown in the main table and chart (the rest are breakdowns).
    pub main: bool,
}

impl Indicator {
    /// Whether the figures over disjoint periods add up to the figure over their union.
    pub fn additive(&self) -> bool {
        !matches!(
            self.measure,
            Measure::GroupsActive
                | Measure::OpinionsResolutionRate
                | Measure::OpinionsOpenAtEnd
                | Measure::HotSpotsOpenAtEnd
                | Measure::OpinionsResolved
        )
    }

    /// The record list behind a figure: the kind and its list filter as query pairs.
    /// The list's count (or its sum) equals the figure.
    pub fn drilldown(&self, p: &Period) -> Option<(Kind, Vec<(String, String)>)> {
        let range = || {
            vec![
                ("from".to_string(), dates::iso(p.start)),
                ("to".to_string(), dates::iso(p.end)),
            ]
        };
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        Some(match &self.measure {
            Measure::Conferences { kind, .. } => {
                let mut q = range();
                q.extend(kind.map(|k| pair("kind", k.code())));
                (Kind::Conferences, q)
            }
            Measure::Publicity { channels, topics } => {
                let mut q = range();
                q.extend(channels.iter().map(|c| pair("channel", c.code())));
                q.extend(topics.iter().map(|t| pair("topic", t.code())));
                (Kind::Publicity, q)
            }
            Measure::Dialogues { .. } => (Kind::Dialogues, range()),
            Measure::OpinionsRaised => (Kind::Opinions, range()),
            Measure::OpinionsResolved => {
                let mut q = range();
                q.push(pair("resolved_by", &dates::iso(p.end)));
                (Kind::Opinions, q)
            }
            Measure::OpinionsOpenAtEnd => {
                let mut q = range();
                q.push(pair("open_at", &dates::iso(p.end)));
                (Kind::Opinions, q)
            }
            Measure::OpinionsResolutionRate => return None,
            Measure::Documents { kind } => {
                let mut q = range();
                q.extend(kind.map(|k| pair("kind", k.code())));
                (Kind::Documents, q)
            }
            Measure::Inspections { kind } => {
                let mut q = range();
                q.extend(kind.map(|k| pair("kind", k.code())));
                (Kind::Inspections, q)
            }
            Measure::Commendations { level, recipient } => {
                let mut q = range();
                q.extend(level.map(|l| pair("level", l.code())));
                q.extend(recipient.map(|r| pair("recipient_kind", r.code())));
                (Kind::Commendations, q)
            }
            Measure::GroupsActive => (
                Kind::ResidentialGroups,
                vec![pair("active_on", &dates::iso(p.end))],
            ),
            Measure::HotSpotsOpened => (Kind::HotSpots, range()),
            Measure::HotSpotsOpenAtEnd => (
                Kind::HotSpots,
                vec![
                    pair("to", &dates::iso(p.end)),
                    pair("open_at", &dates::iso(p.end)),
                ],
            ),
        })
    }

    /// The family of records the figure comes from (for estimate footnotes).
    pub fn family(&self) -> Kind {
        match &self.measure {
            Measure::Conferences { .. } => Kind::Conferences,
            Measure::Publicity { .. } => Kind::Publicity,
            Measure::Dialogues { .. } => Kind::Dialogues,
            Measure::OpinionsRaised
            | Measure::OpinionsResolved
            | Measure::OpinionsOpenAtEnd
            | Measure::OpinionsResolutionRate => Kind::Opinions,
            Measure::Documents { .. } => Kind::Documents,
            Measure::Inspections { .. } => Kind::Inspections,
            Measure::Commendations { .. } => Kind::Commendations,
            Measure::GroupsActive => Kind::ResidentialGroups,
            Measure::HotSpotsOpened | Measure::HotSpotsOpenAtEnd => Kind::HotSpots,
        }
    }
}

fn ind(
    code: &str,
    name: &str,
    unit: &'static str,
    definition: &str,
    measure: Measure,
    main: bool,
) -> Indicator {
    Indicator {
        code: code.into(),
        name: name.into(),
        unit,
        definition: definition.into(),
        measure,
        main,
    }
}

/// Every indicator, in report order. The first sixteen are those of DESIGN §5 with
/// exactly those meanings; breakdowns follow their family.
pub fn indicators() -> &'static [Indicator] {
    static ALL: OnceLock<Vec<Indicator>> = OnceLock::new();
    ALL.get_or_init(build_indicators)
}

pub fn indicator(code: &str) -> Option<&'static Indicator> {
    indicators().iter().find(|i| i.code == code)
}

fn build_indicators() -> Vec<Indicator> {
    use Measure as M;
    let mut v = vec![
        ind("conferences.count", "Hội nghị đã tổ chức", "hội nghị", "Số hội nghị tổ chức trong kỳ (mọi loại).", M::Conferences { kind: None, attendees: false }, true),
        ind("conferences.attendees", "Lượt người dự hội nghị", "lượt người", "Tổng số lượt người dự các hội nghị trong kỳ.", M::Conferences { kind: None, attendees: true }, true),
        ind("publicity.radio_qcdc", "Tin, bài về QCDC trên Đài truyền thanh", "lượt", "Tổng số lượt tin, bài phát trên Đài truyền thanh với nội dung thực hiện QCDC.", M::Publicity { channels: vec![Channel::Radio], topics: vec![Topic::Qcdc] }, true),
        ind("publicity.land_site_clearance", "Thông báo về cấp GCN QSDĐ, GPMB", "lượt", "Tổng số lượt thông báo về cấp giấy chứng nhận QSDĐ hoặc bồi thường, GPMB, mọi hình thức.", M::Publicity { channels: vec![], topics: vec![Topic::LandCertificate, Topic::SiteClearance] }, true),
        ind("publicity.ordinance34", "Tuyên truyền về Pháp lệnh 34", "lượt", "Tổng số lượt tuyên truyền về Pháp lệnh 34/2007/PL-UBTVQH11, mọi hình thức.", M::Publicity { channels: vec![], topics: vec![Topic::Ordinance34] }, true),
        ind("publicity.total", "Tổng số lượt tin bài, thông báo, công khai", "lượt", "Tổng số lượt của mọi tin bài, thông báo, niêm yết trong kỳ.", M::Publicity { channels: vec![], topics: vec![] }, true),
        ind("dialogues.count", "Buổi tiếp xúc, đối thoại trực tiếp", "buổi", "Số buổi tiếp xúc, đối thoại giữa người đứng đầu cấp ủy, chính quyền với nhân dân.", M::Dialogues { participants: false }, true),
        ind("dialogues.participants", "Lượt người dự tiếp xúc, đối thoại", "lượt người", "Tổng số người tham dự các buổi tiếp xúc, đối thoại.", M::Dialogues { participants: true }, true),
        ind("opinions.count", "Ý kiến, kiến nghị được nêu", "ý kiến", "Số ý kiến, kiến nghị nêu tại các buổi đối thoại tổ chức trong kỳ.", M::OpinionsRaised, true),
        ind("opinions.resolved", "Ý kiến, kiến nghị đã giải quyết", "ý kiến", "Trong số đó, số ý kiến đã giải quyết xong đến ngày cuối kỳ.", M::OpinionsResolved, true),
        ind("documents.consolidate_committee", "Quyết định kiện toàn Ban chỉ đạo", "văn bản", "Số quyết định kiện toàn Ban chỉ đạo thực hiện QCDC.", M::Documents { kind: Some(DocumentKind::ConsolidateCommittee) }, true),
        ind("documents.committee_regulation", "Quyết định về Quy chế hoạt động của BCĐ", "văn bản", "Số quyết định ban hành, sửa đổi Quy chế hoạt động của Ban chỉ đạo.", M::Documents { kind: Some(DocumentKind::CommitteeRegulation) }, true),
        ind("inspections.count", "Cuộc kiểm tra, giám sát", "cuộc", "Số cuộc kiểm tra, giám sát việc thực hiện QCDC.", M::Inspections { kind: None }, true),
        ind("commendations.party_cells", "Lượt chi bộ được khen thưởng, biểu dương", "lượt", "Số lượt khen thưởng, biểu dương cấp phường cho chi bộ.", M::Commendations { level: Some(CommendationLevel::Ward), recipient: Some(RecipientKind::PartyCell) }, true),
        ind("commendations.district_proposals", "Đề nghị cấp quận khen thưởng", "lượt", "Số lượt đề nghị Quận ủy khen thưởng (tập thể, cá nhân).", M::Commendations { level: Some(CommendationLevel::DistrictProposal), recipient: None }, true),
        ind("residential_groups.count", "Tổ dân phố", "tổ", "Số tổ dân phố đang hoạt động vào ngày cuối kỳ.", M::GroupsActive, true),
    ];
    v.push(ind(
        "opinions.open_at_end",
        "Ý kiến còn đang giải quyết cuối kỳ",
        "ý kiến",
        "Ý kiến nêu trong kỳ chưa giải quyết xong đến ngày cuối kỳ.",
        M::OpinionsOpenAtEnd,
        false,
    ));
    v.push(ind(
        "opinions.resolution_rate",
        "Tỷ lệ ý kiến đã giải quyết",
        "%",
        "Ý kiến đã giải quyết đến cuối kỳ trên tổng số ý kiến nêu trong kỳ.",
        M::OpinionsResolutionRate,
        false,
    ));
    for k in ConferenceKind::ALL {
        v.push(ind(
            &format!("conferences.kind.{}", k.code()),
            &format!("Hội nghị: {}", k.label()),
            "hội nghị",
            &format!("Số hội nghị loại «{}».", k.label()),
            M::Conferences {
                kind: Some(*k),
                attendees: false,
            },
            false,
        ));
    }
    for c in Channel::ALL {
        v.push(ind(
            &format!("publicity.channel.{}", c.code()),
            &format!("Tin bài, thông báo qua {}", c.label().to_lowercase()),
            "lượt",
            &format!("Tổng số lượt qua hình thức «{}».", c.label()),
            M::Publicity {
                channels: vec![*c],
                topics: vec![],
            },
            false,
        ));
    }
    for t in Topic::ALL {
        v.push(ind(
            &format!("publicity.topic.{}", t.code()),
            &format!("Tin bài, thông báo về {}", t.label()),
            "lượt",
            &format!("Tổng số lượt có nội dung «{}», mọi hình thức.", t.label()),
            M::Publicity {
                channels: vec![],
                topics: vec![*t],
            },
            false,
        ));
    }
    v.push(ind(
        "documents.count",
        "Văn bản lãnh đạo, chỉ đạo",
        "văn bản",
        "Tổng số văn bản (mọi loại) về thực hiện QCDC.",
        M::Documents { kind: None },
        false,
    ));
    for k in DocumentKind::ALL.iter().filter(|k| {
        !matches!(
            k,
            DocumentKind::ConsolidateCommittee | DocumentKind::CommitteeRegulation
        )
    }) {
        v.push(ind(
            &format!("documents.kind.{}", k.code()),
            &format!("Văn bản: {}", k.label()),
            "văn bản",
            &format!("Số văn bản loại «{}».", k.label()),
            M::Documents { kind: Some(*k) },
            false,
        ));
    }
    for k in InspectionKind::ALL {
        v.push(ind(
            &format!("inspections.kind.{}", k.code()),
            &format!("Số cuộc {}", k.label().to_lowercase()),
            "cuộc",
            &format!("Số cuộc «{}».", k.label()),
            M::Inspections { kind: Some(*k) },
            false,
        ));
    }
    v.push(ind(
        "commendations.count",
        "Tổng số lượt khen thưởng, biểu dương",
        "lượt",
        "Mọi cấp, mọi đối tượng.",
        M::Commendations {
            level: None,
            recipient: None,
        },
        false,
    ));
    for l in CommendationLevel::ALL {
        v.push(ind(
            &format!("commendations.level.{}", l.code()),
            &format!("Khen thưởng: {}", l.label()),
            "lượt",
            &format!("Số lượt khen thưởng «{}».", l.label()),
            M::Commendations {
                level: Some(*l),
                recipient: None,
            },
            false,
        ));
    }
    v.push(ind(
        "hot_spots.opened",
        "Điểm nóng phát sinh",
        "điểm",
        "Số điểm nóng phát sinh trong kỳ.",
        M::HotSpotsOpened,
        false,
    ));
    v.push(ind(
        "hot_spots.open_at_end",
        "Điểm nóng chưa giải quyết cuối kỳ",
        "điểm",
        "Số điểm nóng đã phát sinh mà chưa giải quyết xong vào ngày cuối kỳ.",
        M::HotSpotsOpenAtEnd,
        false,
    ));
    // Added after the existing codes, whose order CSV consumers may rely on: the district
    // proposals by recipient, for the review draft ("đề nghị Quận ủy khen thưởng 1 cá
    // nhân, 1 chi bộ").
    for r in RecipientKind::ALL {
        v.push(ind(
            &format!("commendations.district_proposals.{}", r.code()),
            &format!("Đề nghị cấp quận khen thưởng: {}", r.label().to_lowercase()),
            "lượt",
            &format!(
                "Số lượt đề nghị Quận ủy khen thưởng, đối tượng «{}».",
                r.label()
            ),
            M::Commendations {
                level: Some(CommendationLevel::DistrictProposal),
                recipient: Some(*r),
            },
            false,
        ));
    }
    v
}

// ---------------------------------------------------------------- facts and assembly

/// Aggregates per period index (the report's periods, then the total as the last
/// index), as the store computes them: one query per family, grouped in SQL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub conferences: Vec<ConferenceFact>,
    pub publicity: Vec<PublicityFact>,
    pub dialogues: Vec<DialogueFact>,
    pub opinions: Vec<OpinionFact>,
    pub documents: Vec<KindFact<DocumentKind>>,
    pub inspections: Vec<KindFact<InspectionKind>>,
    pub commendations: Vec<CommendationFact>,
    pub groups_active: Vec<(usize, i64)>,
    pub hot_spots: Vec<HotSpotFact>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConferenceFact {
    pub period: usize,
    pub kind: ConferenceKind,
    pub count: i64,
    pub attendees: i64,
}
#[derive(Debug, Clone, PartialEq)]
pub struct PublicityFact {
    pub period: usize,
    pub channel: Channel,
    pub topic: Topic,
    /// Sum of `count` (lượt).
    pub count: i64,
}
#[derive(Debug, Clone, PartialEq)]
pub struct DialogueFact {
    pub period: usize,
    pub count: i64,
    pub participants: i64,
}
#[derive(Debug, Clone, PartialEq)]
pub struct OpinionFact {
    pub period: usize,
    pub raised: i64,
    pub resolved_by_end: i64,
}
#[derive(Debug, Clone, PartialEq)]
pub struct KindFact<K> {
    pub period: usize,
    pub kind: K,
    pub count: i64,
}
#[derive(Debug, Clone, PartialEq)]
pub struct CommendationFact {
    pub period: usize,
    pub level: CommendationLevel,
    pub recipient: RecipientKind,
    pub count: i64,
}
#[derive(Debug, Clone, PartialEq)]
pub struct HotSpotFact {
    pub period: usize,
    pub opened: i64,
    pub open_at_end: i64,
}

/// A figure: a whole number, or a percentage that may be undefined (nothing raised).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Count(i64),
    Percent(Option<f64>),
}

impl Value {
    /// Plain text for CSV: `15135`, `66.7`, or empty when undefined.
    pub fn plain(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Percent(Some(p)) => format!("{p:.1}"),
            Value::Percent(None) => String::new(),
        }
    }
    /// Vietnamese for pages: `15.135`, `66,7%`, `—`.
    pub fn vn(&self) -> String {
        match self {
            Value::Count(n) => crate::fmt::thousands(*n),
            Value::Percent(Some(p)) => format!("{}%", crate::fmt::decimal(*p, 1)),
            Value::Percent(None) => "—".into(),
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(*n as f64),
            Value::Percent(p) => *p,
        }
    }
    pub fn count(&self) -> i64 {
        match self {
            Value::Count(n) => *n,
            Value::Percent(p) => p.map(|x| x.round() as i64).unwrap_or(0),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub indicator: &'static Indicator,
    /// One value per period of [`Report::periods`].
    pub values: Vec<Value>,
    pub total: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub grouping: Grouping,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub periods: Vec<Period>,
    pub rows: Vec<ReportRow>,
}

impl Report {
    /// The whole range as a period, labelled `total`.
    pub fn total_period(&self) -> Period {
        Period {
            label: TOTAL.into(),
            start: self.from,
            end: self.to,
        }
    }
    pub fn row(&self, code: &str) -> Option<&ReportRow> {
        self.rows.iter().find(|r| r.indicator.code == code)
    }
    /// The total of an indicator as a whole number (0 if absent).
    pub fn total_of(&self, code: &str) -> i64 {
        self.row(code).map(|r| r.total.count()).unwrap_or(0)
    }
}

/// Whether the periods cover `from..=to` exactly, in order, without gap or overlap (as
/// years always do): then additive totals can be added up from the periods.
pub fn tiles(periods: &[Period], from: NaiveDate, to: NaiveDate) -> bool {
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return false;
    };
    first.start == from
        && last.end == to
        && periods
            .windows(2)
            .all(|w| w[0].end.succ_opt() == Some(w[1].start))
}

impl Facts {
    /// Fills the `total` period of the additive families (those counted over records
    /// dated in a period) by adding up periods `0..total`, for grids that tile the range.
    pub fn derive_additive_totals(&mut self, total: usize) {
        use std::collections::BTreeMap;
        let mut conf: BTreeMap<ConferenceKind, (i64, i64)> = BTreeMap::new();
        for c in self.conferences.iter().filter(|c| c.period < total) {
            let e = conf.entry(c.kind).or_default();
            e.0 += c.count;
            e.1 += c.attendees;
        }
        self.conferences
            .extend(
                conf.into_iter()
                    .map(|(kind, (count, attendees))| ConferenceFact {
                        period: total,
                        kind,
                        count,
                        attendees,
                    }),
            );
        let mut publ: BTreeMap<(Channel, Topic), i64> = BTreeMap::new();
        for x in self.publicity.iter().filter(|x| x.period < total) {
            *publ.entry((x.channel, x.topic)).or_default() += x.count;
        }
        self.publicity.extend(
            publ.into_iter()
                .map(|((channel, topic), count)| PublicityFact {
                    period: total,
                    channel,
                    topic,
                    count,
                }),
        );
        let (mut n, mut people) = (0, 0);
        for d in self.dialogues.iter().filter(|d| d.period < total) {
            n += d.count;
            people += d.participants;
        }
        if n > 0 {
            self.dialogues.push(DialogueFact {
                period: total,
                count: n,
                participants: people,
            });
        }
        fn kinds<K: Ord + Copy>(v: &mut Vec<KindFact<K>>, total: usize) {
            let mut m: BTreeMap<K, i64> = BTreeMap::new();
            for f in v.iter().filter(|f| f.period < total) {
                *m.entry(f.kind).or_default() += f.count;
            }
            v.extend(m.into_iter().map(|(kind, count)| KindFact {
                period: total,
                kind,
                count,
            }));
        }
        kinds(&mut self.documents, total);
        kinds(&mut self.inspections, total);
        let mut com: BTreeMap<(CommendationLevel, RecipientKind), i64> = BTreeMap::new();
        for c in self.commendations.iter().filter(|c| c.period < total) {
            *com.entry((c.level, c.recipient)).or_default() += c.count;
        }
        self.commendations
            .extend(
                com.into_iter()
                    .map(|((level, recipient), count)| CommendationFact {
                        period: total,
                        level,
                        recipient,
                        count,
                    }),
            );
    }
}

/// The grid the store aggregates over: the report's periods, then the total.
pub fn query_grid(periods: &[Period], from: NaiveDate, to: NaiveDate) -> Vec<Period> {
    let mut g = periods.to_vec();
    g.push(Period {
        label: TOTAL.into(),
        start: from,
        end: to,
    });
    g
}

fn value_of(m: &Measure, f: &Facts, p: usize) -> Value {
    let sum = |it: &mut dyn Iterator<Item = i64>| it.sum::<i64>();
    match m {
        Measure::Conferences { kind, attendees } => Value::Count(sum(&mut f
            .conferences
            .iter()
            .filter(|c| c.period == p && kind.is_none_or(|k| k == c.kind))
            .map(|c| if *attendees { c.attendees } else { c.count }))),
        Measure::Publicity { channels, topics } => Value::Count(sum(&mut f
            .publicity
            .iter()
            .filter(|x| {
                x.period == p
                    && (channels.is_empty() || channels.contains(&x.channel))
                    && (topics.is_empty() || topics.contains(&x.topic))
            })
            .map(|x| x.count))),
        Measure::Dialogues { participants } => {
            Value::Count(sum(&mut f.dialogues.iter().filter(|d| d.period == p).map(
                |d| {
                    if *participants {
                        d.participants
                    } else {
                        d.count
                    }
                },
            )))
        }
        Measure::OpinionsRaised => Value::Count(sum(&mut f
            .opinions
            .iter()
            .filter(|o| o.period == p)
            .map(|o| o.raised))),
        Measure::OpinionsResolved => Value::Count(sum(&mut f
            .opinions
            .iter()
            .filter(|o| o.period == p)
            .map(|o| o.resolved_by_end))),
        Measure::OpinionsOpenAtEnd => Value::Count(sum(&mut f
            .opinions
            .iter()
            .filter(|o| o.period == p)
            .map(|o| o.raised - o.resolved_by_end))),
        Measure::OpinionsResolutionRate => {
            let raised: i64 = f
                .opinions
                .iter()
                .filter(|o| o.period == p)
                .map(|o| o.raised)
                .sum();
            let resolved: i64 = f
                .opinions
                .iter()
                .filter(|o| o.period == p)
                .map(|o| o.resolved_by_end)
                .sum();
            Value::Percent((raised > 0).then(|| resolved as f64 * 100.0 / raised as f64))
        }
        Measure::Documents { kind } => Value::Count(sum(&mut f
            .documents
            .iter()
            .filter(|d| d.period == p && kind.is_none_or(|k| k == d.kind))
            .map(|d| d.count))),
        Measure::Inspections { kind } => Value::Count(sum(&mut f
            .inspections
            .iter()
            .filter(|d| d.period == p && kind.is_none_or(|k| k == d.kind))
            .map(|d| d.count))),
        Measure::Commendations { level, recipient } => Value::Count(sum(&mut f
            .commendations
            .iter()
            .filter(|c| {
                c.period == p
                    && level.is_none_or(|l| l == c.level)
                    && recipient.is_none_or(|r| r == c.recipient)
            })
            .map(|c| c.count))),
        Measure::GroupsActive => Value::Count(sum(&mut f
            .groups_active
            .iter()
            .filter(|g| g.0 == p)
            .map(|g| g.1))),
        Measure::HotSpotsOpened => Value::Count(sum(&mut f
            .hot_spots
            .iter()
            .filter(|h| h.period == p)
            .map(|h| h.opened))),
        Measure::HotSpotsOpenAtEnd => Value::Count(sum(&mut f
            .hot_spots
            .iter()
            .filter(|h| h.period == p)
            .map(|h| h.open_at_end))),
    }
}

/// Builds the table from the facts aggregated over [`query_grid`]`(periods, from, to)`.
pub fn assemble(
    grouping: Grouping,
    from: NaiveDate,
    to: NaiveDate,
    periods: Vec<Period>,
    facts: &Facts,
) -> Report {
    let n = periods.len();
    let rows = indicators()
        .iter()
        .map(|i| ReportRow {
            indicator: i,
            values: (0..n).map(|p| value_of(&i.measure, facts, p)).collect(),
            total: value_of(&i.measure, facts, n),
        })
        .collect();
    Report {
        grouping,
        from,
        to,
        periods,
        rows,
    }
}

/// Relative change from `before` to `after` in percent, when `before` is not zero.
pub fn change_percent(before: i64, after: i64) -> Option<f64> {
    rate_change_percent(before as f64, after as f64)
}

/// [`change_percent`] for rates such as yearly averages over periods of unequal length.
pub fn rate_change_percent(before: f64, after: f64) -> Option<f64> {
    (before != 0.0 && before.is_finite() && after.is_finite())
        .then(|| (after - before) * 100.0 / before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("date")
    }

    #[test]
    fn years_are_clipped_to_the_range() {
        let g = period_grid(Grouping::Year, d(2003, 7, 1), d(2005, 2, 28), &[], &[]);
        assert_eq!(g.len(), 3);
        assert_eq!(
            g[0],
            Period {
                label: "2003".into(),
                start: d(2003, 7, 1),
                end: d(2003, 12, 31)
            }
        );
        assert_eq!(g[1].start, d(2004, 1, 1));
        assert_eq!(
            g[2],
            Period {
                label: "2005".into(),
                start: d(2005, 1, 1),
                end: d(2005, 2, 28)
            }
        );
        let one_day = period_grid(Grouping::Year, d(2018, 6, 28), d(2018, 6, 28), &[], &[]);
        assert_eq!(one_day.len(), 1);
        assert!(period_grid(Grouping::Total, d(2018, 1, 1), d(2018, 2, 1), &[], &[]).is_empty());
    }

    #[test]
    fn terms_run_until_the_next_one() {
        let terms = crate::ward::default_terms();
        let g = period_grid(Grouping::Term, d(2014, 1, 1), d(2018, 6, 27), &terms, &[]);
        assert_eq!(
            g.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(),
            ["2010-2015", "2015-2020"]
        );
        assert_eq!(g[0].start, d(2014, 1, 1));
        assert_eq!(g[0].end, d(2014, 12, 31));
        assert_eq!(g[1].start, d(2015, 1, 1));
        assert_eq!(g[1].end, d(2018, 6, 27));
        let last = period_grid(Grouping::Term, d(2029, 1, 1), d(2040, 1, 1), &terms, &[]);
        assert_eq!(last.last().map(|p| p.end), Some(d(2034, 12, 31)));
    }

    #[test]
    fn named_periods_are_clipped_and_dropped_outside() {
        let periods = vec![
            ReviewPeriod {
                name: "2014-nay".into(),
                start: d(2014, 1, 1),
                end: d(2018, 6, 27),
            },
            ReviewPeriod {
                name: "1998-2007".into(),
                start: d(1998, 1, 1),
                end: d(2007, 12, 31),
            },
        ];
        let g = period_grid(
            Grouping::Period,
            d(2000, 1, 1),
            d(2010, 1, 1),
            &[],
            &periods,
        );
        assert_eq!(
            g,
            vec![Period {
                label: "1998-2007".into(),
                start: d(2000, 1, 1),
                end: d(2007, 12, 31)
            }]
        );
    }

    #[test]
    fn the_sixteen_design_codes_come_first_and_codes_are_unique() {
        let codes: Vec<&str> = indicators().iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            codes[..16],
            [
                "conferences.count",
                "conferences.attendees",
                "publicity.radio_qcdc",
                "publicity.land_site_clearance",
                "publicity.ordinance34",
                "publicity.total",
                "dialogues.count",
                "dialogues.participants",
                "opinions.count",
                "opinions.resolved",
                "documents.consolidate_committee",
                "documents.committee_regulation",
                "inspections.count",
                "commendations.party_cells",
                "commendations.district_proposals",
                "residential_groups.count"
            ]
        );
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len());
    }

    #[test]
    fn assembly_filters_facts_by_measure() {
        let periods = period_grid(Grouping::Year, d(2017, 1, 1), d(2018, 12, 31), &[], &[]);
        let facts = Facts {
            conferences: vec![
                ConferenceFact {
                    period: 0,
                    kind: ConferenceKind::Review,
                    count: 2,
                    attendees: 300,
                },
                ConferenceFact {
                    period: 1,
                    kind: ConferenceKind::Training,
                    count: 1,
                    attendees: 40,
                },
                ConferenceFact {
                    period: 2,
                    kind: ConferenceKind::Review,
                    count: 2,
                    attendees: 300,
                },
                ConferenceFact {
                    period: 2,
                    kind: ConferenceKind::Training,
                    count: 1,
                    attendees: 40,
                },
            ],
            publicity: vec![
                PublicityFact {
                    period: 0,
                    channel: Channel::Radio,
                    topic: Topic::Qcdc,
                    count: 5,
                },
                PublicityFact {
                    period: 0,
                    channel: Channel::Posting,
                    topic: Topic::SiteClearance,
                    count: 3,
                },
                PublicityFact {
                    period: 2,
                    channel: Channel::Radio,
                    topic: Topic::Qcdc,
                    count: 5,
                },
                PublicityFact {
                    period: 2,
                    channel: Channel::Posting,
                    topic: Topic::SiteClearance,
                    count: 3,
                },
            ],
            opinions: vec![
                OpinionFact {
                    period: 0,
                    raised: 3,
                    resolved_by_end: 1,
                },
                OpinionFact {
                    period: 2,
                    raised: 3,
                    resolved_by_end: 2,
                },
            ],
            groups_active: vec![(0, 37), (1, 38), (2, 38)],
            ..Facts::default()
        };
        let r = assemble(
            Grouping::Year,
            d(2017, 1, 1),
            d(2018, 12, 31),
            periods,
            &facts,
        );
        let row = |c: &str| r.row(c).expect("row");
        assert_eq!(
            row("conferences.count").values,
            vec![Value::Count(2), Value::Count(1)]
        );
        assert_eq!(row("conferences.attendees").total, Value::Count(340));
        assert_eq!(row("conferences.kind.review").total, Value::Count(2));
        assert_eq!(row("publicity.radio_qcdc").total, Value::Count(5));
        assert_eq!(row("publicity.land_site_clearance").total, Value::Count(3));
        assert_eq!(
            row("publicity.total").values,
            vec![Value::Count(8), Value::Count(0)]
        );
        assert_eq!(row("opinions.open_at_end").total, Value::Count(1));
        assert_eq!(
            row("residential_groups.count").values,
            vec![Value::Count(37), Value::Count(38)]
        );
        assert_eq!(
            row("opinions.resolution_rate").values[1],
            Value::Percent(None)
        );
        assert_eq!(row("opinions.resolution_rate").total.plain(), "66.7");
        assert_eq!(row("opinions.resolution_rate").total.vn(), "66,7%");
    }

    #[test]
    fn drilldowns_name_the_records() {
        let p = Period {
            label: "2018".into(),
            start: d(2018, 1, 1),
            end: d(2018, 6, 27),
        };
        let (k, q) = indicator("publicity.land_site_clearance")
            .and_then(|i| i.drilldown(&p))
            .expect("drill");
        assert_eq!(k, Kind::Publicity);
        assert!(q.contains(&("topic".into(), "land_certificate".into())));
        assert!(q.contains(&("topic".into(), "site_clearance".into())));
        assert!(q.contains(&("to".into(), "2018-06-27".into())));
        let (k, q) = indicator("residential_groups.count")
            .and_then(|i| i.drilldown(&p))
            .expect("drill");
        assert_eq!(
            (k, q),
            (
                Kind::ResidentialGroups,
                vec![("active_on".into(), "2018-06-27".into())]
            )
        );
        assert!(indicator("opinions.resolution_rate")
            .and_then(|i| i.drilldown(&p))
            .is_none());
    }

    #[test]
    fn tiling() {
        let y = period_grid(Grouping::Year, d(2003, 7, 1), d(2005, 2, 28), &[], &[]);
        assert!(tiles(&y, d(2003, 7, 1), d(2005, 2, 28)));
        assert!(!tiles(&y[1..], d(2003, 7, 1), d(2005, 2, 28)));
        assert!(!tiles(&[], d(2003, 7, 1), d(2005, 2, 28)));
        let gap = vec![
            Period {
                label: "a".into(),
                start: d(2000, 1, 1),
                end: d(2000, 6, 30),
            },
            Period {
                label: "b".into(),
                start: d(2000, 7, 2),
                end: d(2000, 12, 31),
            },
        ];
        assert!(!tiles(&gap, d(2000, 1, 1), d(2000, 12, 31)));
    }

    #[test]
    fn change() {
        assert_eq!(change_percent(100, 123), Some(23.0));
        assert_eq!(change_percent(0, 5), None);
    }
}
