//! The import contract of the 2022 law's registers: the documented columns, by code or
//! by Vietnamese label, and every impossible row refused with its row and column.

use app::import::{check, decode, ImportError};
use domain::Kind;
use store::imports::Registers;

fn reg() -> Registers {
    let mut r = Registers::default();
    r.groups.extend([1, 2, 3]);
    r
}

fn problems(kind: Kind, text: &str) -> Vec<String> {
    match check(kind, text, &reg()) {
        Err(ImportError::Rows(p)) => p.iter().map(|p| p.to_string()).collect(),
        Err(e) => vec![e.to_string()],
        Ok(_) => vec![],
    }
}

const HEADER: &str =
    "date,residential_group,matter,form,households,represented,in_favour,title,notes,source";

#[test]
fn community_decisions_take_the_documented_columns_in_both_header_forms() {
    let text = format!(
        "{HEADER}\n2024-03-15,1,contribution,meeting,100,60,51,Đóng góp làm ngõ,,\n\
         16/03/2024,2,Quy ước, hương ước,ballot,80,70,41,,,\n"
    );
    // an unquoted label with a comma: one cell too many, located
    assert_eq!(
        problems(Kind::CommunityDecisions, &text),
        ["row 2, column -: có 11 ô, dòng tiêu đề có 10 cột"]
    );
    let text = "date,residential_group,matter,form,households,represented,in_favour\n\
                2024-03-15,1,contribution,meeting,100,60,51\n";
    let plan = check(Kind::CommunityDecisions, text, &reg()).expect("required columns only");
    assert_eq!(plan.rows.len(), 1);
    let vi = "\u{feff}Ngày,Tổ dân phố,Nội dung bàn, quyết định,Hình thức quyết định,Số hộ gia đình của tổ,Số hộ dự họp hoặc số phiếu thu về,Số hộ tán thành\n";
    // the label with a comma must be quoted, as the exporter writes it
    let vi = vi.replace("Nội dung bàn, quyết định", "\"Nội dung bàn, quyết định\"");
    let text = format!("{vi}16/03/2024,2,\"Quy ước, hương ước\",phat phieu lay y kien ho gia dinh,\"1.200\",700,601\n");
    let plan = check(
        Kind::CommunityDecisions,
        decode(text.as_bytes()).expect("utf8"),
        &reg(),
    )
    .expect("Vietnamese headers and labels");
    let row = &plan.rows[0].input;
    assert_eq!(row.get("matter"), "convention");
    assert_eq!(row.get("form"), "ballot");
    assert_eq!(row.get("households"), "1200");
    assert_eq!(row.get("date"), "2024-03-16");
    assert_eq!(plan.per_year.get(&2024), Some(&1));
}

#[test]
fn impossible_community_decisions_are_refused_row_by_row() {
    let text = format!(
        "{HEADER}\n\
         2024-03-15,1,contribution,meeting,100,60,51,,,\n\
         2024-03-15,1,contribution,meeting,100,101,51,,,\n\
         2024-03-15,1,contribution,ballot,100,60,61,,,\n\
         2024-03-15,9,contribution,meeting,100,60,51,,,\n\
         2024-03-15,,contribution,meeting,100,60,51,,,\n\
         2024-03-15,2,vote,meeting,100,60,51,,,\n\
         2024-03-15,2,other,meeting,0,0,0,,,\n\
         2024-03-15,2,other,meeting,100,50,50,,,\n"
    );
    let p = problems(Kind::CommunityDecisions, &text);
    assert_eq!(p.len(), 6, "{p:?}");
    assert_eq!(
        p[0],
        "row 2, column represented: Số hộ dự họp (101) không thể lớn hơn số hộ gia đình của tổ (100)."
    );
    assert_eq!(
        p[1],
        "row 3, column in_favour: Số hộ tán thành (61) không thể lớn hơn số phiếu thu về (60)."
    );
    assert!(
        p[2].starts_with("row 4, column residential_group:"),
        "{}",
        p[2]
    );
    assert!(
        p[3].starts_with("row 5, column residential_group:"),
        "{}",
        p[3]
    );
    assert!(p[4].starts_with("row 6, column matter:"), "{}", p[4]);
    assert!(p[5].starts_with("row 7, column households:"), "{}", p[5]);
    // a meeting of exactly half the households is possible (it decides nothing): the
    // last row is recorded, not refused
    assert!(!p.iter().any(|l| l.starts_with("row 8,")));
    assert!(!p.iter().any(|l| l.starts_with("row 1,")));
}

#[test]
fn the_other_law_registers_refuse_impossible_rows() {
    let p = problems(
        Kind::Consultations,
        "consulted_from,consulted_until,subject,form,title,responses,taken_up\n\
         2024-05-02,2024-05-31,land_use_plan,meeting,Kế hoạch,120,121\n\
         2024-05-02,2024-05-01,land_use_plan,meeting,Kế hoạch,120,12\n\
         2024-05-02,2024-05-31,land_use_plan,hom thu gop y,Kế hoạch,120,120\n",
    );
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].starts_with("row 1, column taken_up:"));
    assert!(p[1].starts_with("row 2, column consulted_until:"));
    let p = problems(
        Kind::InspectionBoardTerms,
        "recognised_on,decision_number,term,members,head\n\
         2024-07-10,05/QĐ-MTTQ,2024-2026,4,Nguyễn Văn An\n\
         2024-07-10,05/QĐ-MTTQ,2024-2026,12,Nguyễn Văn An\n\
         2024-07-10,05/QĐ-MTTQ,2024-2026,11,Nguyễn Văn An\n",
    );
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].starts_with("row 1, column members: Ban Thanh tra nhân dân có từ 5 đến 11"));
    let p = problems(
        Kind::SupervisionBoards,
        "established,project,members,dissolved\n\
         2024-03-01,Ngõ 245,4,\n\
         2024-03-01,Ngõ 245,5,2024-02-01\n",
    );
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].starts_with("row 1, column members:"));
    assert!(p[1].starts_with("row 2, column dissolved:"));
}
