//! The 2022 law's registers through the router: a residents' meeting decision recorded
//! in the form shows its outcome and why; impossible figures are refused next to their
//! fields; lists, exports and `/law`; the law's figures on the demo ward equal the
//! lists their links open.

use axum::http::StatusCode;
use domain::report::{Grouping, Measure};
use domain::{CommunityDecision, Role};
use store::RecordFilter;
use web::{AppState, Config};

use crate::helpers::*;

fn decision(households: &str, represented: &str, in_favour: &str) -> Vec<(&'static str, String)> {
    vec![
        ("date", "15/03/2024".into()),
        ("residential_group", "1".into()),
        ("matter", "contribution".into()),
        ("form", "meeting".into()),
        ("households", households.into()),
        ("represented", represented.into()),
        ("in_favour", in_favour.into()),
        ("title", "Đóng góp cải tạo ngõ 245".into()),
    ]
}

async fn with_group(app: &TestApp) -> Client {
    let c = app.logged_in(Role::Secretary).await;
    let r = c
        .post(
            "/residential-groups",
            &[
                ("number", "1"),
                ("name", "Tổ dân phố số 1"),
                ("households", "120"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    c
}

crate::engine_test!(a_residents_meeting_decision_shows_its_outcome_and_why);
async fn a_residents_meeting_decision_shows_its_outcome_and_why() {
    let app = spawn_app().await;
    let c = with_group(&app).await;
    let form = c.get("/community-decisions/new").await;
    assert_eq!(form.status, StatusCode::OK);
    for label in [
        "Số hộ gia đình của tổ",
        "Số hộ dự họp hoặc số phiếu thu về",
        "Số hộ tán thành",
        "Họp cộng đồng dân cư",
    ] {
        assert!(form.body.contains(label), "{label}");
    }
    let r = c
        .post(
            "/community-decisions",
            &as_refs(&decision("1.200", "700", "601")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(r.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    let b = &page.body;
    assert!(b.contains("Được thông qua"), "{b}");
    assert!(b.contains("Cuộc họp hợp lệ: 700/1.200 hộ dự họp"), "{b}");
    assert!(b.contains("601/1.200 hộ tán thành, trên một nửa"), "{b}");
    assert!(b.contains("15/03/2024"));

    // exactly half in favour: recorded, not passed, and the list says so
    let r = c
        .post(
            "/community-decisions",
            &as_refs(&decision("100", "80", "50")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(r.location()).await;
    assert!(page.body.contains("Không được thông qua"));
    assert!(page.body.contains("cần ít nhất 51 hộ"));
    let list = c.get("/community-decisions").await;
    assert!(
        list.body.contains("<th scope=\"col\">Kết quả</th>"),
        "{}",
        list.body
    );
    assert!(list.body.contains("Được thông qua") && list.body.contains("Không được thông qua"));
    let passed = c.get("/community-decisions?passed=1").await;
    assert!(
        passed.body.contains("Tìm thấy 1 bản ghi"),
        "{}",
        passed.body
    );
    assert!(passed
        .body
        .contains("được thông qua (trên một nửa tổng số hộ tán thành)"));
    // the filter is the decisions' own
    assert_eq!(
        c.get("/conferences?passed=1").await.status,
        StatusCode::BAD_REQUEST
    );
}

crate::engine_test!(impossible_figures_are_refused_next_to_their_fields);
async fn impossible_figures_are_refused_next_to_their_fields() {
    let app = spawn_app().await;
    let c = with_group(&app).await;
    let r = c
        .post(
            "/community-decisions",
            &as_refs(&decision("100", "101", "102")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let b = &r.body;
    assert!(b.contains(r#"<p class="error" id="e-represented">Số hộ dự họp (101) không thể lớn hơn số hộ gia đình của tổ (100)."#), "{b}");
    assert!(b.contains(r#"<p class="error" id="e-in_favour">Số hộ tán thành (102) không thể lớn hơn số hộ dự họp (101)."#), "{b}");
    assert!(b.contains(r#"value="101""#), "typed values kept");
    let mut unknown = decision("100", "60", "51");
    unknown[1].1 = "7".into();
    let r = c.post("/community-decisions", &as_refs(&unknown)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let n = app
        .store
        .list::<CommunityDecision>(app.ward, &RecordFilter::default())
        .await
        .expect("list")
        .total;
    assert_eq!(n, 0, "nothing saved");
}

crate::engine_test!(decisions_export_in_both_header_forms_and_the_law_page_lists_the_registers);
async fn decisions_export_in_both_header_forms_and_the_law_page_lists_the_registers() {
    let app = spawn_app().await;
    let c = with_group(&app).await;
    let r = c
        .post(
            "/community-decisions",
            &as_refs(&decision("100", "60", "51")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let codes = c.get("/community-decisions.csv?headers=codes").await;
    assert_eq!(codes.status, StatusCode::OK);
    let mut lines = codes.body.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("date,residential_group,matter,form,households,represented,in_favour,title,notes,source")
    );
    assert_eq!(
        lines.next(),
        Some("2024-03-15,1,contribution,meeting,100,60,51,Đóng góp cải tạo ngõ 245,,")
    );
    let people = c.get("/community-decisions.csv").await;
    let mut lines = people.body.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("Ngày,Tổ dân phố,\"Nội dung bàn, quyết định\",Hình thức quyết định,Số hộ gia đình của tổ,Số hộ dự họp hoặc số phiếu thu về,Số hộ tán thành,Tên nội dung,Ghi chú,Nguồn số liệu")
    );
    assert!(lines
        .next()
        .is_some_and(|l| l.starts_with("15/03/2024,1,Chủ trương, mức")
            || l.starts_with("15/03/2024,1,\"Chủ trương, mức")));
    let law = c.get("/law").await;
    assert_eq!(law.status, StatusCode::OK);
    for href in [
        "/community-decisions",
        "/consultations",
        "/inspection-board-terms",
        "/inspection-board-activities",
        "/supervision-boards",
        "/supervision-activities",
        "/community-decisions/new",
    ] {
        assert!(law.body.contains(&format!("href=\"{href}\"")), "{href}");
    }
    assert!(law.body.contains("community_decisions.passed"));
    // a viewer reads it but is offered no form
    let v = app.logged_in(Role::Viewer).await;
    let law = v.get("/law").await;
    assert_eq!(law.status, StatusCode::OK);
    assert!(!law.body.contains("/community-decisions/new"));
}

crate::engine_test!(the_laws_figures_on_the_demo_equal_their_lists);
/// The law's figures on the demo ward, 1/7/2023–30/6/2026 by year: each equals the
/// count (or sum) of the list its link opens.
async fn the_laws_figures_on_the_demo_equal_their_lists() {
    let app = crate::reports::demo_app().await;
    let state = AppState::new(app.store.clone(), app.ward, Config::default());
    let from = domain::dates::parse_date("2023-07-01").ok();
    let to = domain::dates::parse_date("2026-06-30").ok();
    let report = app::report::build(&app.store, app.ward, from, to, Grouping::Year)
        .await
        .expect("report");
    let mut checked = 0;
    for row in report.rows.iter().filter(|r| r.indicator.is_law()) {
        let total = report.total_period();
        for (p, v) in report
            .periods
            .iter()
            .zip(&row.values)
            .chain([(&total, &row.total)])
        {
            let Some((kind, drill)) = row.indicator.drilldown(p) else {
                continue;
            };
            let filter = web::pages::records::list_filter(kind, &drill.to_query())
                .expect("the link's filter parses");
            let page = web::pages::records::ops(kind)
                .list(&state, &filter)
                .await
                .expect("list");
            let listed = match row.indicator.measure {
                Measure::Consultations(domain::report::ConsultationFigure::Responses) => {
                    page.sum.unwrap_or(0)
                }
                _ => page.total as i64,
            };
            assert_eq!(listed, v.count(), "{} {}", row.indicator.code, p.label);
            checked += 1;
        }
    }
    assert!(checked >= 40, "checked {checked}");
    assert!(report.total_of(domain::report::IndicatorId::CommunityDecisionsCount) > 0);
}

crate::engine_test!(the_laws_review_is_chosen_on_the_page_saved_and_downloaded);
/// The law's review on the demo ward: chosen on the page, its sections by the law's
/// pillars with the demo's figures, saved as a draft of its kind, downloaded as .docx.
async fn the_laws_review_is_chosen_on_the_page_saved_and_downloaded() {
    let app = crate::reports::demo_app().await;
    let deputy = app.logged_in(Role::Deputy).await;
    let d30 = deputy
        .get("/reports/review?from=2014-01-01&to=2018-06-27")
        .await;
    assert!(
        d30.body
            .contains(r#"<select id="review-kind-choice" name="kind">"#),
        "the chooser"
    );
    let r = deputy.get("/reports/review?kind=law2022").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for s in [
        "BÁO CÁO SƠ KẾT 3 NĂM THI HÀNH LUẬT THỰC HIỆN DÂN CHỦ Ở CƠ SỞ",
        "(Từ ngày 01/07/2023 đến ngày 30/06/2026)",
        "3. Nhân dân bàn và quyết định",
        "4. Nhân dân tham gia ý kiến",
        "5. Nhân dân kiểm tra, giám sát",
        "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15",
        "PHỤ LỤC: SỐ LIỆU THI HÀNH LUẬT THỰC HIỆN DÂN CHỦ Ở CƠ SỞ",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "kind=law2022",
    ] {
        assert!(r.body.contains(s), "missing {s}");
    }
    // the demo's 70 decisions, 66 passed
    assert!(
        r.body.contains("biểu quyết <a") || r.body.contains("biểu quyết 70"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(">70<") && r.body.contains(">66<"),
        "the figures"
    );
    assert_eq!(
        deputy.get("/reports/review?kind=nghi-quyet").await.status,
        StatusCode::BAD_REQUEST
    );
    let docx = deputy
        .get("/reports/review.docx?from=2023-07-01&to=2026-06-30&kind=law2022")
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    // save it: the draft keeps its kind
    let token = extract_csrf(&r.body).expect("csrf");
    let (from, to) = domain::review::law_review_range();
    let mut form: Vec<(String, String)> =
        domain::review::ReviewDraft::suggested_for(domain::ReviewKind::Law2022, from, to, to)
            .to_input()
            .0
            .into_iter()
            .collect();
    form.push(("csrf".into(), token));
    let saved = deputy.post_raw("/reports/review", &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = deputy.get(saved.location()).await;
    assert!(page.body.contains("3. Nhân dân bàn và quyết định"));
    assert!(page.body.contains(r#"<option value="law2022" selected>"#));
}

crate::engine_test!(publicity_minimums_are_set_on_the_ward_page);
async fn publicity_minimums_are_set_on_the_ward_page() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let page = c.get("/ward").await;
    assert!(page.body.contains(r#"action="/ward/publicity""#));
    assert!(page.body.contains(r#"value="30""#) && page.body.contains(r#"value="3""#));
    let bad = c
        .post(
            "/ward/publicity",
            &[("posting_days", "0"), ("broadcast_days", "3")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(r#"id="e-posting_days""#), "{}", bad.body);
    let ok = c
        .post(
            "/ward/publicity",
            &[("posting_days", "45"), ("broadcast_days", "5")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let m = app
        .store
        .publicity_minimums(app.ward)
        .await
        .expect("minimums");
    assert_eq!((m.posting_days, m.broadcast_days), (45, 5));
    let home = c.get("/").await;
    assert!(home.body.contains("Thời gian niêm yết tối thiểu: 45 ngày."));
    assert!(home.body.contains("chưa đủ 5 ngày liên tục"));
    let v = app.logged_in(Role::Viewer).await;
    let page = v.get("/ward").await;
    assert!(!page.body.contains(r#"action="/ward/publicity""#));
    assert!(page.body.contains("Niêm yết: 45 ngày"));
    assert_eq!(
        v.post(
            "/ward/publicity",
            &[("posting_days", "1"), ("broadcast_days", "1")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}
