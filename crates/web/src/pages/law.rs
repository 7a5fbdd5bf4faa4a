//! The 2022 law's page: its registers by the law's pillars (what the people decided,
//! what they were consulted on, how they inspected and supervised), with their figures
//! since the law came into force, each linked to its records.

use axum::response::{IntoResponse, Response};
use domain::report::Grouping;
use domain::Kind;
use maud::{html, Markup};

use crate::clock::today;
use crate::perms::Perm;
use crate::views::layout::{self, Ctx};
use crate::views::report::law_table;
use crate::Result;
use crate::St;

/// The law's pillars and the registers that record them.
const PILLARS: &[(&str, &str, &[Kind])] = &[
    (
        "Dân bàn và quyết định",
        "Các hộ gia đình tổ dân phố bàn và quyết định (đóng góp xây dựng công trình, quỹ, quy ước, bầu tổ trưởng và thành viên các ban). Cuộc họp hợp lệ khi có trên một nửa số hộ dự; nội dung được thông qua khi trên một nửa tổng số hộ của tổ tán thành — ứng dụng tự tính kết quả và nêu lý do.",
        &[Kind::CommunityDecisions],
    ),
    (
        "Dân tham gia ý kiến",
        "Lấy ý kiến Nhân dân về dự thảo kế hoạch, quy hoạch, bồi thường, tái định cư, địa giới; số ý kiến nhận được, được tiếp thu và việc công khai kết quả.",
        &[Kind::Consultations],
    ),
    (
        "Dân kiểm tra, giám sát",
        "Ban Thanh tra nhân dân (5–11 thành viên, được Ủy ban MTTQ phường công nhận) và Ban Giám sát đầu tư của cộng đồng (mỗi công trình một ban, ít nhất 5 thành viên).",
        &[
            Kind::InspectionBoardTerms,
            Kind::InspectionBoardActivities,
            Kind::SupervisionBoards,
            Kind::SupervisionActivities,
        ],
    ),
];

/// `/law`: the registers by pillar, then their figures from 1/7/2023 to today.
pub async fn page(ctx: Ctx, St(st): St) -> Result<Response> {
    let from = domain::LAW_IN_FORCE;
    let to = today().max(from);
    let report =
        app::report::build(&st.store, st.ward, Some(from), Some(to), Grouping::Year).await?;
    let body = html! {
        p { "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 (hiệu lực từ 01/07/2023; Nghị định 59/2023/NĐ-CP, 61/2023/NĐ-CP) thay Pháp lệnh 34/2007: dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng." }
        @for (title, about, kinds) in PILLARS {
            (pillar(&ctx, title, about, kinds))
        }
        section aria-labelledby="law-figures" {
            h2 #law-figures { "Số liệu từ 01/07/2023" }
            (law_table(&report))
            p { a href={"/reports/summary?from=2023-07-01&by=year"} { "Xem trong báo cáo tổng hợp" } }
        }
    };
    Ok(layout::page(&ctx, "Luật Thực hiện dân chủ ở cơ sở 2022", body).into_response())
}

fn pillar(ctx: &Ctx, title: &str, about: &str, kinds: &[Kind]) -> Markup {
    html! {
        section {
            h2 { (title) }
            p { (about) }
            ul {
                @for k in kinds {
                    li {
                        a href={"/" (k.slug())} { (k.label()) }
                        @if ctx.can(Perm::Write) {
                            " · " a href={"/" (k.slug()) "/new"} { "Thêm " (k.noun()) }
                        }
                    }
                }
            }
        }
    }
}
