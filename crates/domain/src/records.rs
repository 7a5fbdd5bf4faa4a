//! The records of DESIGN §3: registers (residential groups, party cells, steering
//! committee members) and activities. Each is built from an [`Input`] by `parse`, which
//! validates every field, and turns back into one by `to_input` (canonical text: ISO
//! dates, codes), which is what the store writes, the exporter prints and the edit form
//! shows.

use chrono::NaiveDate;

use crate::codes::*;
use crate::dates;
use crate::error::FieldErrors;
use crate::input::{Input, Parser, LONG, SHORT};
use crate::kinds::Kind;

/// Upper bounds that catch typos without limiting real wards.
pub const MAX_GROUP_NUMBER: u32 = 999;
pub const MAX_PEOPLE: u32 = 100_000;
pub const MAX_COUNT: u32 = 10_000;

pub trait Record: Sized + Clone + std::fmt::Debug + PartialEq + Send + Sync + 'static {
    const KIND: Kind;
    fn parse(input: &Input) -> Result<Self, FieldErrors>;
    fn to_input(&self) -> Input;
    /// One line naming the record, for lists, the audit log and confirmations.
    fn summary(&self) -> String;
    /// The date that places the record in a period, if it has one.
    fn date(&self) -> Option<NaiveDate>;
}

fn set_text(i: &mut Input, k: &str, v: &Option<String>) {
    i.set(k, v.clone().unwrap_or_default());
}

fn join_codes<T: Code>(v: &[T]) -> String {
    v.iter().map(|c| c.code()).collect::<Vec<_>>().join(";")
}

fn join_numbers(v: &[u32]) -> String {
    v.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(";")
}

// ---------------------------------------------------------------- registers

#[derive(Debug, Clone, PartialEq)]
pub struct ResidentialGroup {
    pub number: u32,
    pub name: String,
    pub leader: Option<String>,
    pub deputy: Option<String>,
    pub front_head: Option<String>,
    pub households: Option<u32>,
    pub residents: Option<u32>,
    pub established: Option<NaiveDate>,
    pub dissolved: Option<NaiveDate>,
}

impl ResidentialGroup {
    /// Active on `day`: established on or before it and not yet dissolved.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.established.is_none_or(|e| e <= day) && self.dissolved.is_none_or(|d| d > day)
    }
}

impl Record for ResidentialGroup {
    const KIND: Kind = Kind::ResidentialGroups;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let number = p.whole("number", 1, MAX_GROUP_NUMBER);
        let name = p.text("name", SHORT);
        let leader = p.opt_text("leader", SHORT);
        let deputy = p.opt_text("deputy", SHORT);
        let front_head = p.opt_text("front_head", SHORT);
        let households = p.opt_whole("households", 0, MAX_PEOPLE);
        let residents = p.opt_whole("residents", 0, 10 * MAX_PEOPLE);
        let established = p.opt_date("established");
        let dissolved = p.opt_date("dissolved");
        if let (Some(e), Some(d)) = (established, dissolved) {
            if d <= e {
                p.error(
                    "dissolved",
                    format!("Phải sau ngày thành lập ({}).", dates::vn(e)),
                );
            }
        }
        p.finish(ResidentialGroup {
            number,
            name,
            leader,
            deputy,
            front_head,
            households,
            residents,
            established,
            dissolved,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        i.set("number", self.number.to_string());
        i.set("name", self.name.clone());
        set_text(&mut i, "leader", &self.leader);
        set_text(&mut i, "deputy", &self.deputy);
        set_text(&mut i, "front_head", &self.front_head);
        i.set_opt("households", self.households);
        i.set_opt("residents", self.residents);
        i.set_date("established", self.established);
        i.set_date("dissolved", self.dissolved);
        i
    }
    fn summary(&self) -> String {
        self.name.clone()
    }
    fn date(&self) -> Option<NaiveDate> {
        self.established
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PartyCell {
    pub name: String,
    pub kind: PartyCellKind,
    pub secretary: Option<String>,
    pub members: Option<u32>,
    /// Numbers of the residential groups the cell covers.
    pub residential_groups: Vec<u32>,
    pub active_from: Option<NaiveDate>,
    pub active_until: Option<NaiveDate>,
}

impl Record for PartyCell {
    const KIND: Kind = Kind::PartyCells;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let name = p.text("name", SHORT);
        let kind = p.code("kind");
        let secretary = p.opt_text("secretary", SHORT);
        let members = p.opt_whole("members", 0, MAX_COUNT);
        let residential_groups = p.numbers("residential_groups", MAX_GROUP_NUMBER);
        let active_from = p.opt_date("active_from");
        let active_until = p.opt_date("active_until");
        p.not_before(
            "active_until",
            active_until,
            active_from,
            "ngày bắt đầu hoạt động",
        );
        p.finish(PartyCell {
            name,
            kind,
            secretary,
            members,
            residential_groups,
            active_from,
            active_until,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        i.set("name", self.name.clone());
        i.set("kind", self.kind.code());
        set_text(&mut i, "secretary", &self.secretary);
        i.set_opt("members", self.members);
        i.set("residential_groups", join_numbers(&self.residential_groups));
        i.set_date("active_from", self.active_from);
        i.set_date("active_until", self.active_until);
        i
    }
    fn summary(&self) -> String {
        self.name.clone()
    }
    fn date(&self) -> Option<NaiveDate> {
        self.active_from
    }
}

/// One member in one version of the steering committee; a version is the set of
/// members appointed by one decision.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitteeMember {
    pub decision_date: NaiveDate,
    pub decision_number: String,
    pub name: String,
    pub position: CommitteePosition,
    pub office: Option<String>,
}

impl Record for CommitteeMember {
    const KIND: Kind = Kind::CommitteeMembers;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let decision_date = p.date("decision_date");
        let decision_number = p.text("decision_number", 60);
        let name = p.text("name", SHORT);
        let position = p.code("position");
        let office = p.opt_text("office", SHORT);
        p.finish(CommitteeMember {
            decision_date,
            decision_number,
            name,
            position,
            office,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        i.set_date("decision_date", Some(self.decision_date));
        i.set("decision_number", self.decision_number.clone());
        i.set("name", self.name.clone());
        i.set("position", self.position.code());
        set_text(&mut i, "office", &self.office);
        i
    }
    fn summary(&self) -> String {
        format!(
            "{} — {} ({})",
            self.name,
            self.position.label(),
            self.decision_number
        )
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.decision_date)
    }
}

// ---------------------------------------------------------------- activities

#[derive(Debug, Clone, PartialEq)]
pub struct Conference {
    pub date: NaiveDate,
    pub kind: ConferenceKind,
    pub title: String,
    /// Attendances (lượt người): occurrences, not distinct people.
    pub attendees: u32,
    pub organiser: Option<Organiser>,
    pub topics: Vec<Topic>,
    pub residential_group: Option<u32>,
    pub party_cell: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

impl Record for Conference {
    const KIND: Kind = Kind::Conferences;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let date = p.date("date");
        let kind = p.code("kind");
        let title = p.text("title", SHORT);
        let attendees = p.whole("attendees", 0, MAX_PEOPLE);
        let organiser = p.opt_code("organiser");
        let topics = p.codes("topics");
        let residential_group = p.opt_whole("residential_group", 1, MAX_GROUP_NUMBER);
        let party_cell = p.opt_text("party_cell", SHORT);
        let notes = p.opt_text("notes", LONG);
        let source = p.opt_text("source", SHORT);
        p.finish(Conference {
            date,
            kind,
            title,
            attendees,
            organiser,
            topics,
            residential_group,
            party_cell,
            notes,
            source,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        i.set_date("date", Some(self.date));
        i.set("kind", self.kind.code());
        i.set("title", self.title.clone());
        i.set("attendees", self.attendees.to_string());
        i.set_code("organiser", self.organiser);
        i.set("topics", join_codes(&self.topics));
        i.set_opt("residential_group", self.residential_group);
        set_text(&mut i, "party_cell", &self.party_cell);
        set_text(&mut i, "notes", &self.notes);
        set_text(&mut i, "source", &self.source);
        i
    }
    fn summary(&self) -> String {
        format!("{} ({})", self.title, dates::vn(self.date))
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }
}

/// A news item, notice or posting. `count` is how many times it went out (lượt).
#[derive(Debug, Clone, PartialEq)]
pub struct PublicityItem {
    pub date: NaiveDate,
    pub channel: Channel,
    pub topic: Topic,
    pub title: Option<String>,
    pub count: u32,
    pub posted_from: Option<NaiveDate>,
    pub posted_until: Option<NaiveDate>,
    pub residential_group: Option<u32>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

/// Postings must stay up at least this many days (long-standing rule; see DOMAIN §3).
pub const DEFAULT_POSTING_DAYS: i64 = 30;

impl PublicityItem {
    /// Days a posting stays up, both ends included.
    pub fn posting_days(&self) -> Option<i64> {
        match (self.posted_from, self.posted_until) {
            (Some(f), Some(u)) => Some((u - f).num_days() + 1),
            _ => None,
        }
    }
    /// A posting shorter than the required period.
    pub fn posting_too_short(&self, required_days: i64) -> bool {
        self.channel == Channel::Posting && self.posting_days().is_some_and(|d| d < required_days)
    }
}

impl Record for PublicityItem {
    const KIND: Kind = Kind::Publicity;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let date = p.date("date");
        let channel = p.code("channel");
        let topic = p.code("topic");
        let title = p.opt_text("title", SHORT);
        let count = p.opt_whole("count", 1, MAX_COUNT).unwrap_or(1);
        let posted_from = p.opt_date("posted_from");
        let posted_until = p.opt_date("posted_until");
        p.not_before(
            "posted_until",
            posted_until,
            posted_from,
            "ngày bắt đầu niêm yết",
        );
        if posted_until.is_some() && posted_from.is_none() {
            p.error("posted_from", "Nhập ngày bắt đầu niêm yết.");
        }
        let residential_group = p.opt_whole("residential_group", 1, MAX_GROUP_NUMBER);
        let notes = p.opt_text("notes", LONG);
        let source = p.opt_text("source", SHORT);
        p.finish(PublicityItem {
            date,
            channel,
            topic,
            title,
            count,
            posted_from,
            posted_until,
            residential_group,
            notes,
            source,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        i.set_date("date", Some(self.date));
        i.set("channel", self.channel.code());
        i.set("topic", self.topic.code());
        set_text(&mut i, "title", &self.title);
        i.set("count", self.count.to_string());
        i.set_date("posted_from", self.posted_from);
        i.set_date("posted_until", self.posted_until);
        i.set_opt("residential_group", self.residential_group);
        set_text(&mut i, "notes", &self.notes);
        set_text(&mut i, "source", &self.source);
        i
    }
    fn summary(&self) -> String {
        let what = self
            .title
            .clone()
            .unwrap_or_else(|| self.topic.label().to_string());
        format!(
            "{} — {} ({})",
            self.channel.label(),
            what,
            dates::vn(self.date)
        )
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dialogue {
    /// The importer's own key (`ref`), which opinions rows point to.
    pub reference: Option<String>,
    pub date: NaiveDate,
    pub host: DialogueHost,
    pub counterpart: Counterpart,
    pub participants: u32,
    pub residential_group: Option<u32>,
    pub notes: Option<String>,
    pub source: Option<String>,
}

impl Record for Dialogue {
    const KIND: Kind = Kind::Dialogues;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let reference = p.opt_text("ref", 60);
        let date = p.date("date");
        let host = p.code("host");
        let counterpart = p.code("counterpart");
        let participants = p.whole("participants", 0, MAX_PEOPLE);
        let residential_group = p.opt_whole("residential_group", 1, MAX_GROUP_NUMBER);
        let notes = p.opt_text("notes", LONG);
        let source = p.opt_text("source", SHORT);
        p.finish(Dialogue {
            reference,
            date,
            host,
            counterpart,
            participants,
            residential_group,
            notes,
            source,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        set_text(&mut i, "ref", &self.reference);
        i.set_date("date", Some(self.date));
        i.set("host", self.host.code());
        i.set("counterpart", self.counterpart.code());
        i.set("participants", self.participants.to_string());
        i.set_opt("residential_group", self.residential_group);
        set_text(&mut i, "notes", &self.notes);
        set_text(&mut i, "source", &self.source);
        i
    }
    fn summary(&self) -> String {
        format!(
            "{} với {} ({})",
            self.host.label(),
            self.counterpart.label(),
            dates::vn(self.date)
        )
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }
}

/// An opinion or petition raised in a dialogue session, tracked until resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Opinion {
    pub content: String,
    pub field: Option<String>,
    pub response: OpinionResponse,
    pub status: OpinionStatus,
    pub resolved_on: Option<NaiveDate>,
    pub answer: Option<String>,
}

impl Opinion {
    /// Checks what depends on the dialogue: nothing resolved before it was raised.
    pub fn check_against(&self, dialogue_date: NaiveDate) -> Result<(), FieldErrors> {
        match self.resolved_on {
            Some(r) if r < dialogue_date => Err(FieldErrors::single(
                "resolved_on",
                format!(
                    "Không được trước ngày đối thoại ({}).",
                    dates::vn(dialogue_date)
                ),
            )),
            _ => Ok(()),
        }
    }
    /// Days open as of `today` (to the resolution date once resolved).
    pub fn age_days(&self, raised: NaiveDate, today: NaiveDate) -> i64 {
        (self.resolved_on.unwrap_or(today) - raised).num_days()
    }
}

impl Record for Opinion {
    const KIND: Kind = Kind::Opinions;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let content = p.text("content", LONG);
        let field = p.opt_text("field", SHORT);
        let response = p.code("response");
        let status = p.code("status");
        let resolved_on = p.opt_date("resolved_on");
        let answer = p.opt_text("answer", LONG);
        match (status, resolved_on) {
            (OpinionStatus::Resolved, None) if p.errors.get("resolved_on").is_none() => {
                p.error("resolved_on", "Nhập ngày giải quyết xong.")
            }
            (OpinionStatus::Open, Some(_)) => p.error(
                "resolved_on",
                "Ý kiến đang giải quyết thì chưa có ngày giải quyết xong.",
            ),
            _ => {}
        }
        p.finish(Opinion {
            content,
            field,
            response,
            status,
            resolved_on,
            answer,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        i.set("content", self.content.clone());
        set_text(&mut i, "field", &self.field);
        i.set("response", self.response.code());
        i.set("status", self.status.code());
        i.set_date("resolved_on", self.resolved_on);
        set_text(&mut i, "answer", &self.answer);
        i
    }
    fn summary(&self) -> String {
        let mut s: String = self.content.chars().take(80).collect();
        if self.content.chars().count() > 80 {
            s.push('…');
        }
        s
    }
    fn date(&self) -> Option<NaiveDate> {
        self.resolved_on
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub date: NaiveDate,
    pub number: String,
    pub issuer: DocumentIssuer,
    pub kind: DocumentKind,
    pub title: String,
    pub source: Option<String>,
}

impl Record for Document {
    const KIND: Kind = Kind::Documents;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let date = p.date("date");
        let number = p.text("number", 60);
        let issuer = p.code("issuer");
        let kind = p.code("kind");
        let title = p.text("title", 500);
        let source = p.opt_text("source", SHORT);
        p.finish(Document {
            date,
            number,
            issuer,
            kind,
            title,
            source,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        i.set_date("date", Some(self.date));
        i.set("number", self.number.clone());
        i.set("issuer", self.issuer.code());
        i.set("kind", self.kind.code());
        i.set("title", self.title.clone());
        set_text(&mut i, "source", &self.source);
        i
    }
    fn summary(&self) -> String {
        format!(
            "{} ngày {} — {}",
            self.number,
            dates::vn(self.date),
            self.title
        )
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inspection {
    pub date: NaiveDate,
    pub kind: InspectionKind,
    pub target_kind: TargetKind,
    pub target: String,
    pub by: Inspector,
    pub findings: Option<String>,
    pub source: Option<String>,
}

impl Record for Inspection {
    const KIND: Kind = Kind::Inspections;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let date = p.date("date");
        let kind = p.code("kind");
        let target_kind = p.code("target_kind");
        let target = p.text("target", SHORT);
        let by = p.code("by");
        let findings = p.opt_text("findings", LONG);
        let source = p.opt_text("source", SHORT);
        p.finish(Inspection {
            date,
            kind,
            target_kind,
            target,
            by,
            findings,
            source,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        i.set_date("date", Some(self.date));
        i.set("kind", self.kind.code());
        i.set("target_kind", self.target_kind.code());
        i.set("target", self.target.clone());
        i.set("by", self.by.code());
        set_text(&mut i, "findings", &self.findings);
        set_text(&mut i, "source", &self.source);
        i
    }
    fn summary(&self) -> String {
        format!(
            "{} {} ({})",
            self.kind.label(),
            self.target,
            dates::vn(self.date)
        )
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Commendation {
    pub date: NaiveDate,
    pub decision_number: Option<String>,
    pub level: CommendationLevel,
    pub recipient_kind: RecipientKind,
    pub recipient: String,
    pub reason: Option<String>,
    pub source: Option<String>,
}

impl Record for Commendation {
    const KIND: Kind = Kind::Commendations;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let date = p.date("date");
        let decision_number = p.opt_text("decision_number", 60);
        let level = p.code("level");
        let recipient_kind = p.code("recipient_kind");
        let recipient = p.text("recipient", SHORT);
        let reason = p.opt_text("reason", LONG);
        let source = p.opt_text("source", SHORT);
        p.finish(Commendation {
            date,
            decision_number,
            level,
            recipient_kind,
            recipient,
            reason,
            source,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        i.set_date("date", Some(self.date));
        set_text(&mut i, "decision_number", &self.decision_number);
        i.set("level", self.level.code());
        i.set("recipient_kind", self.recipient_kind.code());
        i.set("recipient", self.recipient.clone());
        set_text(&mut i, "reason", &self.reason);
        set_text(&mut i, "source", &self.source);
        i
    }
    fn summary(&self) -> String {
        format!(
            "{} — {} ({})",
            self.recipient,
            self.level.label(),
            dates::vn(self.date)
        )
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }
}

/// A place where residents do not yet agree with the authorities (điểm nóng).
#[derive(Debug, Clone, PartialEq)]
pub struct HotSpot {
    pub opened: NaiveDate,
    pub place: String,
    pub description: String,
    pub residential_group: Option<u32>,
    pub status: HotSpotStatus,
    pub resolved_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

impl Record for HotSpot {
    const KIND: Kind = Kind::HotSpots;
    fn parse(input: &Input) -> Result<Self, FieldErrors> {
        let mut p = Parser::new(input);
        let opened = p.date("opened");
        let place = p.text("place", SHORT);
        let description = p.text("description", LONG);
        let residential_group = p.opt_whole("residential_group", 1, MAX_GROUP_NUMBER);
        let status = p.code("status");
        let resolved_on = p.opt_date("resolved_on");
        let notes = p.opt_text("notes", LONG);
        p.not_before("resolved_on", resolved_on, Some(opened), "ngày phát sinh");
        match (status, resolved_on) {
            (HotSpotStatus::Resolved, None) if p.errors.get("resolved_on").is_none() => {
                p.error("resolved_on", "Nhập ngày giải quyết xong.")
            }
            (HotSpotStatus::Open, Some(_)) => p.error(
                "resolved_on",
                "Điểm nóng chưa giải quyết thì chưa có ngày giải quyết xong.",
            ),
            _ => {}
        }
        p.finish(HotSpot {
            opened,
            place,
            description,
            residential_group,
            status,
            resolved_on,
            notes,
        })
    }
    fn to_input(&self) -> Input {
        let mut i = Input::new();
        i.set_date("opened", Some(self.opened));
        i.set("place", self.place.clone());
        i.set("description", self.description.clone());
        i.set_opt("residential_group", self.residential_group);
        i.set("status", self.status.code());
        i.set_date("resolved_on", self.resolved_on);
        set_text(&mut i, "notes", &self.notes);
        i
    }
    fn summary(&self) -> String {
        format!("{} ({})", self.place, dates::vn(self.opened))
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.opened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::msg;

    fn input(pairs: &[(&str, &str)]) -> Input {
        pairs.iter().map(|(k, v)| (*k, *v)).collect()
    }

    fn conference() -> Input {
        input(&[
            ("date", "28/06/2018"),
            ("kind", "review"),
            ("title", "Hội nghị tổng kết"),
            ("attendees", "150"),
            ("topics", "qcdc;ordinance34"),
        ])
    }

    #[test]
    fn conference_parses_and_round_trips() {
        let c = Conference::parse(&conference()).expect("valid");
        assert_eq!(c.attendees, 150);
        assert_eq!(c.topics, vec![Topic::Qcdc, Topic::Ordinance34]);
        assert_eq!(Conference::parse(&c.to_input()), Ok(c.clone()));
        assert_eq!(c.to_input().get("date"), "2018-06-28");
    }

    #[test]
    fn conference_reports_every_bad_field() {
        let i = input(&[
            ("date", "31/02/2018"),
            ("kind", "party"),
            ("title", " "),
            ("attendees", "-3"),
            ("residential_group", "0"),
        ]);
        let e = Conference::parse(&i).expect_err("invalid");
        assert_eq!(e.get("date"), Some(msg::BAD_DATE));
        assert!(e.get("kind").is_some_and(|m| m.contains("party")));
        assert_eq!(e.get("title"), Some(msg::REQUIRED));
        assert_eq!(e.get("attendees"), Some(msg::BAD_WHOLE));
        assert!(e.get("residential_group").is_some());
        assert_eq!(e.0.len(), 5);
    }

    #[test]
    fn attendances_may_be_zero_but_not_fractional() {
        let ok = Conference::parse(&conference().with("attendees", "0")).expect("zero ok");
        assert_eq!(ok.attendees, 0);
        assert!(Conference::parse(&conference().with("attendees", "1,5")).is_err());
        assert!(Conference::parse(&conference().with("attendees", "100001")).is_err());
        assert!(Conference::parse(&conference().with("attendees", "100000")).is_ok());
    }

    #[test]
    fn publicity_count_defaults_to_one_and_posting_period_is_ordered() {
        let base = input(&[
            ("date", "2018-01-02"),
            ("channel", "Niêm yết"),
            ("topic", "land_certificate"),
        ]);
        let p = PublicityItem::parse(&base).expect("valid");
        assert_eq!(p.count, 1);
        assert_eq!(p.channel, Channel::Posting);
        let e = PublicityItem::parse(&base.clone().with("count", "0")).expect_err("zero count");
        assert_eq!(e.get("count"), Some(msg::at_least(1).as_str()));
        let e = PublicityItem::parse(
            &base
                .clone()
                .with("posted_from", "2018-01-10")
                .with("posted_until", "2018-01-09"),
        )
        .expect_err("order");
        assert!(e.get("posted_until").is_some());
        let same_day = PublicityItem::parse(
            &base
                .clone()
                .with("posted_from", "2018-01-10")
                .with("posted_until", "2018-01-10"),
        )
        .expect("same day");
        assert_eq!(same_day.posting_days(), Some(1));
        let short = PublicityItem::parse(
            &base
                .with("posted_from", "2018-01-01")
                .with("posted_until", "2018-01-29"),
        )
        .expect("valid");
        assert!(short.posting_too_short(DEFAULT_POSTING_DAYS));
    }

    #[test]
    fn opinion_status_and_dates_agree() {
        let base = input(&[
            ("content", "Đề nghị sửa đường"),
            ("response", "answered"),
            ("status", "resolved"),
        ]);
        assert!(Opinion::parse(&base)
            .expect_err("needs date")
            .get("resolved_on")
            .is_some());
        let o = Opinion::parse(&base.clone().with("resolved_on", "2018-07-01")).expect("valid");
        assert!(o
            .check_against(NaiveDate::from_ymd_opt(2018, 7, 1).expect("date"))
            .is_ok());
        assert!(o
            .check_against(NaiveDate::from_ymd_opt(2018, 7, 2).expect("date"))
            .is_err());
        let open = base
            .with("status", "open")
            .with("resolved_on", "2018-07-01");
        assert!(Opinion::parse(&open).is_err());
    }

    #[test]
    fn group_dissolution_after_establishment() {
        let base = input(&[
            ("number", "12"),
            ("name", "Tổ dân phố số 12"),
            ("established", "2010-01-01"),
        ]);
        let g = ResidentialGroup::parse(&base).expect("valid");
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert!(!g.active_on(day(2009, 12, 31)));
        assert!(g.active_on(day(2010, 1, 1)));
        assert!(ResidentialGroup::parse(&base.clone().with("dissolved", "2010-01-01")).is_err());
        let g = ResidentialGroup::parse(&base.with("dissolved", "2015-06-30")).expect("valid");
        assert!(g.active_on(day(2015, 6, 29)));
        assert!(!g.active_on(day(2015, 6, 30)));
    }

    #[test]
    fn every_kind_round_trips_through_input() {
        let d = Document::parse(&input(&[
            ("date", "2015-03-02"),
            ("number", "125-QĐ/ĐU"),
            ("issuer", "party_committee"),
            ("kind", "Kiện toàn BCĐ"),
            ("title", "Kiện toàn BCĐ"),
        ]))
        .expect("doc");
        assert_eq!(Document::parse(&d.to_input()), Ok(d));
        let i = Inspection::parse(&input(&[
            ("date", "2015-03-02"),
            ("kind", "supervision"),
            ("target_kind", "school"),
            ("target", "Trường THCS"),
            ("by", "front"),
        ]))
        .expect("insp");
        assert_eq!(Inspection::parse(&i.to_input()), Ok(i));
        let c = Commendation::parse(&input(&[
            ("date", "2018-06-28"),
            ("level", "ward"),
            ("recipient_kind", "party_cell"),
            ("recipient", "Chi bộ số 1"),
        ]))
        .expect("comm");
        assert_eq!(Commendation::parse(&c.to_input()), Ok(c));
        let h = HotSpot::parse(&input(&[
            ("opened", "2016-01-01"),
            ("place", "Ngõ 5"),
            ("description", "Tranh chấp"),
            ("status", "open"),
        ]))
        .expect("hot");
        assert_eq!(HotSpot::parse(&h.to_input()), Ok(h));
        let dl = Dialogue::parse(&input(&[
            ("ref", "DT-1"),
            ("date", "2016-01-01"),
            ("host", "both"),
            ("counterpart", "residents"),
            ("participants", "80"),
        ]))
        .expect("dlg");
        assert_eq!(Dialogue::parse(&dl.to_input()), Ok(dl));
        let pc = PartyCell::parse(&input(&[
            ("name", "Chi bộ 1"),
            ("kind", "residential"),
            ("residential_groups", "3;1"),
        ]))
        .expect("cell");
        assert_eq!(pc.residential_groups, vec![1, 3]);
        assert_eq!(PartyCell::parse(&pc.to_input()), Ok(pc));
        let m = CommitteeMember::parse(&input(&[
            ("decision_date", "2015-01-01"),
            ("decision_number", "9-QĐ/ĐU"),
            ("name", "Nguyễn Văn A"),
            ("position", "head"),
        ]))
        .expect("member");
        assert_eq!(CommitteeMember::parse(&m.to_input()), Ok(m));
    }
}
