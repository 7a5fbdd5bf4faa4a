//! What the households of a residential group discussed and decided (dân bàn, dân
//! quyết định) under the Law on Implementing Grassroots Democracy (10/2022/QH15, in
//! force from 1/7/2023), and the law's majority rule that decides the outcome:
//!
//! - a meeting of the community is valid when **more than half** of the group's
//!   households are represented;
//! - a matter is decided when **more than half of all the group's households** (not of
//!   those present) are in favour;
//! - ballots to households (or an online vote) are the fallback when a meeting is not
//!   valid.
//!
//! Exactly half is not more than half. Because the households in favour are never
//! more than those represented, a decision passes, whatever its form, exactly when
//! [`more_than_half`]`(in_favour, households)`; the store counts passed decisions with
//! that one comparison (`2 × in_favour > households`).

use chrono::NaiveDate;

use super::*;
use crate::dates;
use crate::fmt::thousands;
use crate::input::{Parser, LONG, SHORT};
use crate::kinds::{Assessment, Column, ColumnType, Dating};

/// Whether `part` is more than half of `whole` (the law's "trên 50%"): 51 of 100 is,
/// 50 of 100 is not, 3 of 5 is, and nothing is more than half of nothing.
pub fn more_than_half(part: u32, whole: u32) -> bool {
    2 * u64::from(part) > u64::from(whole)
}

/// The fewest of `whole` that are more than half of it (51 of 100, 3 of 5).
pub fn smallest_majority(whole: u32) -> u32 {
    whole / 2 + 1
}

record_kind! {
    /// A matter the households of one residential group decided (or failed to), with
    /// the figures the law's rule is applied to.
    pub struct CommunityDecision for CommunityDecisions {
        code: "community_decisions",
        label: "Nhân dân bàn và quyết định",
        noun: "nội dung Nhân dân quyết định",
        dating: Column(date),
        filter_by: Some("form"),
        key: None,
        summary: |r| {
            let what = r.title.clone().unwrap_or_else(|| r.matter.label().to_string());
            format!("Tổ {}: {} ({})", r.residential_group, what, dates::vn(r.date))
        },
        validate: Self::check_figures,
        assess: Self::assessment,
    }
    {
        date: NaiveDate = date "Ngày",
        residential_group: u32 = req_group "Tổ dân phố",
        matter: DecisionMatter = code "Nội dung bàn, quyết định",
        form: DecisionForm = code "Hình thức quyết định",
        /// Households of the group on the day (the base of both majorities).
        households: u32 = whole(1, MAX_PEOPLE) "Số hộ gia đình của tổ",
        /// Households represented at the meeting, or ballots (votes) returned.
        represented: u32 = whole(0, MAX_PEOPLE) "Số hộ dự họp hoặc số phiếu thu về",
        in_favour: u32 = whole(0, MAX_PEOPLE) "Số hộ tán thành",
        title: Option<String> = opt_text(SHORT) "Tên nội dung",
        notes: Option<String> = opt_long "Ghi chú",
        source: Option<String> = opt_text(SHORT) "Nguồn số liệu",
    }
}

/// What the law's rule makes of a community decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionOutcome {
    /// More than half of all the group's households in favour.
    Passed,
    /// The vote took place but half or fewer of all households were in favour.
    NotPassed,
    /// A meeting with half or fewer of the households represented: it could not
    /// decide; ballots or an online vote are the way left.
    MeetingNotValid,
}

impl DecisionOutcome {
    pub fn label(self) -> &'static str {
        match self {
            DecisionOutcome::Passed => "Được thông qua",
            DecisionOutcome::NotPassed => "Không được thông qua",
            DecisionOutcome::MeetingNotValid => "Cuộc họp không hợp lệ",
        }
    }
}

impl CommunityDecision {
    /// The word for what `represented` counts in this form.
    fn represented_noun(&self) -> &'static str {
        match self.form {
            DecisionForm::Meeting => "hộ dự họp",
            DecisionForm::Ballot => "phiếu thu về",
            DecisionForm::Online => "hộ tham gia biểu quyết",
        }
    }

    /// A meeting is valid with more than half of the households represented. Ballots
    /// and online votes have no quorum: their base is all households anyway.
    pub fn meeting_valid(&self) -> bool {
        self.form != DecisionForm::Meeting || more_than_half(self.represented, self.households)
    }

    pub fn outcome(&self) -> DecisionOutcome {
        if !self.meeting_valid() {
            DecisionOutcome::MeetingNotValid
        } else if more_than_half(self.in_favour, self.households) {
            DecisionOutcome::Passed
        } else {
            DecisionOutcome::NotPassed
        }
    }

    pub fn passed(&self) -> bool {
        self.outcome() == DecisionOutcome::Passed
    }

    /// Why, with the figures: "Cuộc họp hợp lệ: 61/100 hộ dự họp, trên một nửa số hộ
    /// của tổ. 51/100 hộ tán thành, trên một nửa tổng số hộ của tổ."
    pub fn reason(&self) -> String {
        let (h, r, f) = (
            thousands(i64::from(self.households)),
            thousands(i64::from(self.represented)),
            thousands(i64::from(self.in_favour)),
        );
        let need = thousands(i64::from(smallest_majority(self.households)));
        let quorum = match self.form {
            DecisionForm::Meeting if self.meeting_valid() => {
                format!("Cuộc họp hợp lệ: {r}/{h} hộ dự họp, trên một nửa số hộ của tổ.")
            }
            DecisionForm::Meeting => {
                return format!(
                "Chỉ có {r}/{h} hộ dự họp, chưa quá một nửa số hộ của tổ (cần ít nhất {need} hộ): \
                     cuộc họp không đủ điều kiện để quyết định; cần lấy ý kiến hộ gia đình \
                     bằng phiếu hoặc biểu quyết trực tuyến."
            )
            }
            DecisionForm::Ballot | DecisionForm::Online => {
                format!(
                    "{}: {r}/{h} {}.",
                    self.form.label(),
                    self.represented_noun()
                )
            }
        };
        let vote = if more_than_half(self.in_favour, self.households) {
            format!("{f}/{h} hộ tán thành, trên một nửa tổng số hộ gia đình của tổ.")
        } else {
            format!(
                "{f}/{h} hộ tán thành, chưa quá một nửa tổng số hộ gia đình của tổ (cần ít nhất {need} hộ)."
            )
        };
        format!("{quorum} {vote}")
    }

    /// The outcome as the pages show it ([`crate::kinds::KindSpec::assess`]).
    pub fn assessment(&self) -> Assessment {
        Assessment {
            label: "Kết quả",
            verdict: self.outcome().label().to_string(),
            reason: self.reason(),
            positive: self.passed(),
        }
    }

    /// Impossible figures: more households in favour than represented, more
    /// represented than the group has.
    fn check_figures(&self, p: &mut Parser) {
        let clean = |p: &Parser, f: &str| p.errors.get(f).is_none();
        // Read before the first check adds its own message to `represented`.
        let represented_read = clean(p, "represented");
        if clean(p, "households") && represented_read && self.represented > self.households {
            let msg = format!(
                "Số {} ({}) không thể lớn hơn số hộ gia đình của tổ ({}).",
                self.represented_noun(),
                thousands(i64::from(self.represented)),
                thousands(i64::from(self.households))
            );
            p.error("represented", msg);
        }
        if represented_read && clean(p, "in_favour") && self.in_favour > self.represented {
            let msg = format!(
                "Số hộ tán thành ({}) không thể lớn hơn số {} ({}).",
                thousands(i64::from(self.in_favour)),
                self.represented_noun(),
                thousands(i64::from(self.represented))
            );
            p.error("in_favour", msg);
        }
    }
}
