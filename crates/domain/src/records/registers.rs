//! The registers: residential groups, party cells and the steering committee's members.
//! Other records name their entries (a group by number, a cell by name).

use chrono::NaiveDate;

use super::*;
use crate::dates;
use crate::input::{Parser, SHORT};
use crate::kinds::{Column, ColumnType, Dating, Key};

record_kind! {
    pub struct ResidentialGroup for ResidentialGroups {
        code: "residential_groups",
        label: "Tổ dân phố",
        noun: "tổ dân phố",
        dating: Register(established),
        filter_by: None,
        key: Some(Key {
            column: "number",
            what: |v| format!("tổ dân phố số {v}"),
            taken: "Số tổ này đã có trong danh sách.",
        }),
        summary: |r| r.name.clone(),
        lifespan: Self::span,
        validate: Self::check_dissolution,
    }
    {
        number: u32 = whole(1, MAX_GROUP_NUMBER) "Số tổ",
        name: String = text(SHORT) "Tên tổ dân phố",
        leader: Option<String> = opt_text(SHORT) "Tổ trưởng",
        deputy: Option<String> = opt_text(SHORT) "Tổ phó",
        front_head: Option<String> = opt_text(SHORT) "Trưởng ban công tác Mặt trận",
        households: Option<u32> = opt_whole(0, MAX_PEOPLE) "Số hộ",
        residents: Option<u32> = opt_whole(0, 10 * MAX_PEOPLE) "Số nhân khẩu",
        established: Option<NaiveDate> = opt_date "Ngày thành lập",
        dissolved: Option<NaiveDate> = opt_date "Ngày giải thể, sáp nhập",
    }
}

/// Whether residential group `number`, established and dissolved on these days (if
/// known), existed on `date` as the register counts it (established on or before it,
/// not dissolved on or before it); else the Vietnamese message for the record's field.
pub fn group_exists_on(
    number: u32,
    established: Option<NaiveDate>,
    dissolved: Option<NaiveDate>,
    date: NaiveDate,
) -> Result<(), String> {
    if let Some(e) = established.filter(|e| *e > date) {
        return Err(format!(
            "Tổ dân phố số {number} thành lập ngày {}, sau ngày {} của bản ghi.",
            dates::vn(e),
            dates::vn(date)
        ));
    }
    if let Some(x) = dissolved.filter(|x| *x <= date) {
        return Err(format!(
            "Tổ dân phố số {number} đã giải thể ngày {}, trước ngày {} của bản ghi.",
            dates::vn(x),
            dates::vn(date)
        ));
    }
    Ok(())
}

impl ResidentialGroup {
    /// Active on `day`: established on or before it and not yet dissolved.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.span().active_on(day)
    }

    /// From its establishment to the day before its dissolution.
    pub fn span(&self) -> Lifespan {
        Lifespan {
            first: self.established,
            last: self.dissolved.and_then(|d| d.pred_opt()),
        }
    }

    fn check_dissolution(&self, p: &mut Parser) {
        if let (Some(e), Some(d)) = (self.established, self.dissolved) {
            if d <= e {
                p.error(
                    "dissolved",
                    format!("Phải sau ngày thành lập ({}).", dates::vn(e)),
                );
            }
        }
    }
}

record_kind! {
    pub struct PartyCell for PartyCells {
        code: "party_cells",
        label: "Chi bộ",
        noun: "chi bộ",
        dating: Register(active_from),
        filter_by: Some("kind"),
        key: Some(Key {
            column: "name",
            what: |v| format!("chi bộ «{v}»"),
            taken: "Tên chi bộ này đã có trong danh sách.",
        }),
        summary: |r| r.name.clone(),
        lifespan: Self::span,
        validate: Self::check_activity,
    }
    {
        name: String = text(SHORT) "Tên chi bộ",
        kind: PartyCellKind = code "Loại chi bộ",
        secretary: Option<String> = opt_text(SHORT) "Bí thư chi bộ",
        members: Option<u32> = opt_whole(0, MAX_COUNT) "Số đảng viên",
        /// Numbers of the residential groups the cell covers.
        residential_groups: Vec<u32> = groups "Các tổ dân phố phụ trách",
        active_from: Option<NaiveDate> = opt_date "Hoạt động từ ngày",
        active_until: Option<NaiveDate> = opt_date "Hoạt động đến ngày",
    }
}

/// Whether party cell `name`, active from and until these days (if known, both
/// included), was active on `date`; else the Vietnamese message for the record's field.
pub fn cell_exists_on(
    name: &str,
    active_from: Option<NaiveDate>,
    active_until: Option<NaiveDate>,
    date: NaiveDate,
) -> Result<(), String> {
    if let Some(f) = active_from.filter(|f| *f > date) {
        return Err(format!(
            "Chi bộ «{name}» bắt đầu hoạt động ngày {}, sau ngày {} của bản ghi.",
            dates::vn(f),
            dates::vn(date)
        ));
    }
    if let Some(u) = active_until.filter(|u| *u < date) {
        return Err(format!(
            "Chi bộ «{name}» ngừng hoạt động sau ngày {}, trước ngày {} của bản ghi.",
            dates::vn(u),
            dates::vn(date)
        ));
    }
    Ok(())
}

impl PartyCell {
    /// Active on `day`: from `active_from` to `active_until`, both included.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.span().active_on(day)
    }

    /// From `active_from` to `active_until`.
    pub fn span(&self) -> Lifespan {
        Lifespan {
            first: self.active_from,
            last: self.active_until,
        }
    }

    fn check_activity(&self, p: &mut Parser) {
        p.not_before(
            "active_until",
            self.active_until,
            self.active_from,
            "ngày bắt đầu hoạt động",
        );
    }
}

record_kind! {
    /// One member in one version of the steering committee; a version is the set of
    /// members appointed by one decision.
    pub struct CommitteeMember for CommitteeMembers {
        code: "committee_members",
        label: "Thành viên Ban chỉ đạo",
        noun: "thành viên BCĐ",
        dating: Column(decision_date),
        filter_by: Some("position"),
        key: None,
        people: "name" within ["decision_date", "decision_number", "position"],
        summary: |r| format!("{} — {} ({})", r.name, r.position.label(), r.decision_number),
    }
    {
        decision_date: NaiveDate = date "Ngày quyết định",
        decision_number: String = text(60) "Số quyết định",
        name: String = text(SHORT) "Họ và tên",
        position: CommitteePosition = code "Chức danh trong BCĐ",
        office: Option<String> = opt_text(SHORT) "Chức vụ công tác",
    }
}
