//! The facts the store aggregates per period, one family per query, and the totals
//! derived from them when the periods tile the range.

use crate::codes::*;

/// Aggregates per period index (the report's periods, then the total as the last
/// index), as the store computes them: one query per family, grouped in SQL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub conferences: Vec<ConferenceFact>,
    pub publicity: Vec<PublicityFact>,
    pub dialogues: Vec<DialogueFact>,
    pub opinions: Vec<OpinionFact>,
    /// Read over every period and the total (not derived).
    pub opinions_resolved: Vec<ResolvedFact>,
    pub documents: Vec<KindFact<DocumentKind>>,
    pub inspections: Vec<KindFact<InspectionKind>>,
    pub commendations: Vec<CommendationFact>,
    pub groups_active: Vec<(usize, i64)>,
    pub hot_spots: Vec<HotSpotFact>,
    /// The 2022 law's registers (all additive).
    pub law: LawFacts,
}

impl Facts {
    /// Adds another ward's facts over the same grid: every figure of the report is a
    /// sum over facts of a period, so the union is the sum (a city's total), and rates
    /// are then recomputed from the summed parts.
    pub fn absorb(&mut self, other: Facts) {
        self.conferences.extend(other.conferences);
        self.publicity.extend(other.publicity);
        self.dialogues.extend(other.dialogues);
        self.opinions.extend(other.opinions);
        self.opinions_resolved.extend(other.opinions_resolved);
        self.documents.extend(other.documents);
        self.inspections.extend(other.inspections);
        self.commendations.extend(other.commendations);
        self.groups_active.extend(other.groups_active);
        self.hot_spots.extend(other.hot_spots);
        let (law, o) = (&mut self.law, other.law);
        law.decisions.extend(o.decisions);
        law.consultations.extend(o.consultations);
        law.inspection_board.extend(o.inspection_board);
        law.supervision_boards.extend(o.supervision_boards);
        law.supervision_activities.extend(o.supervision_activities);
        law.short_postings.extend(o.short_postings);
        law.short_broadcasts.extend(o.short_broadcasts);
    }
}

/// Aggregates of the 2022 law's registers, per period index like [`Facts`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LawFacts {
    pub decisions: Vec<DecisionFact>,
    pub consultations: Vec<ConsultationFact>,
    /// People's Inspection Board activities by kind (inspection, supervision).
    pub inspection_board: Vec<KindFact<InspectionKind>>,
    /// Community investment supervision boards set up in the period.
    pub supervision_boards: Vec<CountFact>,
    pub supervision_activities: Vec<CountFact>,
    /// Postings up for fewer days than the ward's minimum.
    pub short_postings: Vec<CountFact>,
    /// Broadcasts the law asks for, on fewer days than the ward's minimum.
    pub short_broadcasts: Vec<CountFact>,
}

/// Community decisions of one form: how many, and how many passed by the law's rule.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionFact {
    pub period: usize,
    pub form: DecisionForm,
    pub count: i64,
    pub passed: i64,
}
#[derive(Debug, Clone, PartialEq)]
pub struct ConsultationFact {
    pub period: usize,
    pub count: i64,
    pub responses: i64,
    pub taken_up: i64,
}
#[derive(Debug, Clone, PartialEq)]
pub struct CountFact {
    pub period: usize,
    pub count: i64,
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
/// Opinions resolved during a period, whenever they were raised.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedFact {
    pub period: usize,
    pub count: i64,
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
        kinds(&mut self.law.inspection_board, total);
        self.law.derive_totals(total);
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

impl LawFacts {
    /// The `total` period of every family, added up over periods `0..total`.
    fn derive_totals(&mut self, total: usize) {
        use std::collections::BTreeMap;
        let mut dec: BTreeMap<DecisionForm, (i64, i64)> = BTreeMap::new();
        for d in self.decisions.iter().filter(|d| d.period < total) {
            let e = dec.entry(d.form).or_default();
            e.0 += d.count;
            e.1 += d.passed;
        }
        self.decisions
            .extend(dec.into_iter().map(|(form, (count, passed))| DecisionFact {
                period: total,
                form,
                count,
                passed,
            }));
        let within = self.consultations.iter().filter(|c| c.period < total);
        let (mut count, mut responses, mut taken_up, mut any) = (0, 0, 0, false);
        for c in within {
            count += c.count;
            responses += c.responses;
            taken_up += c.taken_up;
            any = true;
        }
        if any {
            self.consultations.push(ConsultationFact {
                period: total,
                count,
                responses,
                taken_up,
            });
        }
        for v in [
            &mut self.supervision_boards,
            &mut self.supervision_activities,
            &mut self.short_postings,
            &mut self.short_broadcasts,
        ] {
            let n: i64 = v.iter().filter(|c| c.period < total).map(|c| c.count).sum();
            if n > 0 {
                v.push(CountFact {
                    period: total,
                    count: n,
                });
            }
        }
    }
}
