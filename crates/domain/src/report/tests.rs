use chrono::NaiveDate;

use super::*;
use crate::codes::*;
use crate::kinds::Kind;
use crate::ward::ReviewPeriod;

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
    let row = |c: &str| r.row_by_code(c).expect("row");
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
    let (k, q) = indicator(IndicatorId::PublicityLandSiteClearance)
        .and_then(|i| i.drilldown(&p))
        .expect("drill");
    assert_eq!(k, Kind::Publicity);
    let q = q.to_query();
    assert!(q.contains(&("topic".into(), "land_certificate".into())));
    assert!(q.contains(&("topic".into(), "site_clearance".into())));
    assert!(q.contains(&("to".into(), "2018-06-27".into())));
    let (k, q) = indicator(IndicatorId::ResidentialGroupsCount)
        .and_then(|i| i.drilldown(&p))
        .expect("drill");
    assert_eq!(
        (k, q.to_query()),
        (
            Kind::ResidentialGroups,
            vec![("active_on".into(), "2018-06-27".into())]
        )
    );
    assert!(indicator(IndicatorId::OpinionsResolutionRate)
        .and_then(|i| i.drilldown(&p))
        .is_none());
    // every link reads back into the same filter
    for i in indicators() {
        if let Some((kind, f)) = i.drilldown(&p) {
            assert_eq!(
                crate::filter::RecordFilter::from_query(kind, &f.to_query()),
                Ok(f),
                "{}",
                i.code
            );
        }
    }
}

#[test]
fn ids_and_codes_match_one_to_one() {
    for i in indicators() {
        assert_eq!(i.code, i.id.code());
        assert_eq!(IndicatorId::parse(&i.code), Some(i.id));
        assert_eq!(indicator(i.id).map(|j| &j.code), Some(&i.code));
    }
    assert_eq!(IndicatorId::parse("conferences.cuont"), None);
    assert_eq!(
        IndicatorId::Document(DocumentKind::Plan).code(),
        "documents.kind.plan"
    );
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

/// 10 of 32 opinions resolved is 31,25%: every form of the figure says 31,3 (half up).
#[test]
fn rates_round_half_up_in_every_form() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
    let facts = Facts {
        opinions: vec![OpinionFact {
            period: 0,
            raised: 32,
            resolved_by_end: 10,
        }],
        ..Facts::default()
    };
    let r = assemble(
        Grouping::Total,
        d(2017, 1, 1),
        d(2017, 12, 31),
        Vec::new(),
        &facts,
    );
    let rate = r
        .row(IndicatorId::OpinionsResolutionRate)
        .expect("rate row")
        .total;
    assert_eq!(rate, Value::Percent(Some(313)));
    assert_eq!(rate.plain(), "31.3");
    assert_eq!(rate.vn(), "31,3%");
    assert_eq!(rate.as_f64(), Some(31.3));
    assert_eq!(rate.count(), 31);
}
