use axum::http::StatusCode;
use domain::Role;
use store::audit::AuditFilter;
use store::RecordFilter;

use crate::helpers::*;

async fn add_conference(c: &Client, date: &str, title: &str, attendees: &str) -> i64 {
    let r = c
        .post(
            "/conferences",
            &as_refs(&conference(date, title, attendees)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    id_from_location(r.location())
}

crate::engine_test!(a_record_page_shows_vietnamese_dates_and_numbers);
async fn a_record_page_shows_vietnamese_dates_and_numbers() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let id = add_conference(&c, "2018-06-28", "Hội nghị tổng kết 20 năm", "15135").await;
    let page = c.get(&format!("/conferences/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("28/06/2018"));
    assert!(page.body.contains("15.135"));
    assert!(
        page.body.contains("Phổ biến, tuyên truyền"),
        "codes shown by label"
    );
    assert!(
        page.body.contains("Đã thêm hội nghị."),
        "flash after create"
    );
    let list = c.get("/conferences").await;
    assert!(
        list.body
            .contains("Tìm thấy 1 bản ghi, tổng 15.135 lượt người"),
        "{}",
        list.body
    );
}

crate::engine_test!(validation_errors_keep_the_values_and_sit_next_to_their_fields);
async fn validation_errors_keep_the_values_and_sit_next_to_their_fields() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let r = c
        .post(
            "/conferences",
            &[
                ("date", "31/02/2018"),
                ("kind", "training"),
                ("title", ""),
                ("attendees", "12a"),
                ("topics", "qcdc"),
                ("topics", "ordinance34"),
                ("notes", "Ghi chú giữ nguyên"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let b = &r.body;
    assert!(b.contains(r#"value="31/02/2018""#), "typed date kept");
    assert!(b.contains(r#"value="12a""#), "typed number kept");
    assert!(b.contains("Ghi chú giữ nguyên"));
    assert!(
        b.contains(r#"<option value="training" selected>"#),
        "select kept"
    );
    assert!(
        b.contains(r#"value="ordinance34" checked"#),
        "checkboxes kept"
    );
    assert!(b.contains(r#"aria-describedby="e-date""#));
    assert!(b.contains(r#"<p class="error" id="e-date">Ngày không hợp lệ"#));
    assert!(b.contains(r#"<p class="error" id="e-title">Không được để trống."#));
    assert!(b.contains(r#"<p class="error" id="e-attendees">Phải là số nguyên không âm."#));
    let n = app
        .store
        .list::<domain::Conference>(app.ward, &RecordFilter::default())
        .await
        .expect("list")
        .total;
    assert_eq!(n, 0, "nothing saved");
}

crate::engine_test!(html_in_text_fields_is_escaped);
async fn html_in_text_fields_is_escaped() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let id = add_conference(&c, "01/03/2018", "<script>alert('x')</script>", "5").await;
    for url in [
        format!("/conferences/{id}"),
        "/conferences".to_string(),
        format!("/conferences/{id}/edit"),
    ] {
        let b = c.get(&url).await.body;
        assert!(!b.contains("<script>alert"), "{url}");
        assert!(b.contains("&lt;script&gt;alert"), "{url}");
    }
}

crate::engine_test!(edit_updates_and_writes_an_audit_entry_with_before_and_after);
async fn edit_updates_and_writes_an_audit_entry_with_before_and_after() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let id = add_conference(&c, "01/03/2018", "Hội nghị A", "50").await;
    let edit = c.get(&format!("/conferences/{id}/edit")).await;
    assert!(
        edit.body.contains(r#"value="01/03/2018""#),
        "edit shows dd/mm/yyyy"
    );
    let r = c
        .post(
            &format!("/conferences/{id}"),
            &as_refs(&conference("01/03/2018", "Hội nghị A (sửa)", "55")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let entries = app
        .store
        .audit(
            app.ward,
            &AuditFilter {
                entity: Some("conferences".into()),
                entity_id: Some(id),
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    let actions: Vec<_> = entries.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["update", "create"]);
    assert_eq!(entries.items[0].actor, "thuky");
    let page = c.get(&format!("/conferences/{id}")).await.body;
    assert!(page.contains("Lịch sử thay đổi"));
    assert!(page.contains("Hội nghị A (sửa)"));
    assert!(
        page.contains("<td>50</td>") && page.contains("<td>55</td>"),
        "before and after"
    );
    let deputy = app.logged_in(Role::Deputy).await;
    let audit = deputy
        .get(&format!("/admin/audit?entity=conferences&id={id}"))
        .await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.body.contains("Tìm thấy 2 thay đổi"));
    assert!(audit.body.contains("Số lượt người dự"));
    let viewer = app.logged_in(Role::Viewer).await;
    let vpage = viewer.get(&format!("/conferences/{id}")).await.body;
    assert!(
        !vpage.contains("Lịch sử thay đổi"),
        "viewers read records, not history"
    );
    assert!(!vpage.contains("/edit"));
}

crate::engine_test!(soft_delete_and_restore);
async fn soft_delete_and_restore() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let keep = add_conference(&c, "01/03/2018", "Giữ lại", "10").await;
    let gone = add_conference(&c, "02/03/2018", "Sẽ xóa", "20").await;
    let confirm = c.get(&format!("/conferences/{gone}/delete")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Sẽ xóa"));
    let r = c.post(&format!("/conferences/{gone}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = c.get("/conferences").await.body;
    assert!(list.contains("Giữ lại") && !list.contains("Sẽ xóa"));
    assert!(list.contains("Tìm thấy 1 bản ghi, tổng 10 lượt người"));
    let live = app
        .store
        .list::<domain::Conference>(
            app.ward,
            &RecordFilter {
                year: Some(2018),
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(
        (live.total, live.sum),
        (1, Some(10)),
        "deleted records stop counting"
    );
    let deleted = c.get("/conferences?deleted=1").await.body;
    assert!(deleted.contains("Sẽ xóa") && !deleted.contains("Giữ lại"));
    assert!(deleted.contains(&format!("/conferences/{gone}/restore")));
    // Deleting twice is a clear conflict, not an error page.
    let twice = c.post(&format!("/conferences/{gone}/delete"), &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let r = c.post(&format!("/conferences/{gone}/restore"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = c.get("/conferences").await.body;
    assert!(list.contains("Sẽ xóa") && list.contains("tổng 30 lượt người"));
    let actions: Vec<String> = app
        .store
        .audit(
            app.ward,
            &AuditFilter {
                entity_id: Some(gone),
                entity: Some("conferences".into()),
                ..Default::default()
            },
        )
        .await
        .expect("audit")
        .items
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["restore", "delete", "create"]);
    let _ = keep;
}

crate::engine_test!(list_filters_translate_query_parameters);
async fn list_filters_translate_query_parameters() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    add_conference(&c, "01/03/2017", "Năm 2017", "7").await;
    add_conference(&c, "01/03/2018", "Năm 2018", "8").await;
    let r = c.get("/conferences?year=2018").await.body;
    assert!(r.contains("Năm 2018") && !r.contains("Năm 2017"));
    let r = c
        .get("/conferences?from=01/01/2017&to=2017-12-31")
        .await
        .body;
    assert!(r.contains("Năm 2017") && !r.contains("Năm 2018"));
    let r = c
        .get("/conferences?kind=dissemination&kind=training&q=2018")
        .await
        .body;
    assert!(r.contains("Tìm thấy 1 bản ghi"));
    for bad in [
        "/conferences?year=abc",
        "/conferences?colour=red",
        "/conferences?from=31/02/2018",
        "/conferences?kind=nope",
        "/conferences?group=x",
        "/conferences?active_on=2018-01-01",
        "/documents?group=3",
        "/conferences?page=0",
    ] {
        let r = c.get(bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.body.contains("Yêu cầu không hợp lệ"), "{bad}");
    }
}

crate::engine_test!(lists_paginate_with_vietnamese_counts);
async fn lists_paginate_with_vietnamese_counts() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    for i in 0..27 {
        add_conference(
            &c,
            &format!("{:02}/01/2018", i + 1),
            &format!("Hội nghị số {i}"),
            "1000",
        )
        .await;
    }
    let p1 = c.get("/conferences").await.body;
    assert!(p1.contains("Tìm thấy 27 bản ghi, tổng 27.000 lượt người"));
    assert!(p1.contains("Trang 1 / 2"));
    let p2 = c.get("/conferences?page=2").await.body;
    assert!(p2.contains("Trang 2 / 2"));
    assert!(p2.contains("Hội nghị số 0") && !p2.contains("Hội nghị số 26"));
}

crate::engine_test!(registers_sort_naturally_and_feed_the_selects);
async fn registers_sort_naturally_and_feed_the_selects() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    for n in ["10", "2"] {
        let r = c
            .post(
                "/residential-groups",
                &[
                    ("number", n),
                    ("name", &format!("Tổ dân phố số {n}")),
                    ("leader", "Nguyễn Văn A"),
                    ("households", "1200"),
                    ("residents", "4500"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    for name in ["Chi bộ 10", "Chi bộ 2"] {
        let r = c
            .post(
                "/party-cells",
                &[
                    ("name", name),
                    ("kind", "residential"),
                    ("residential_groups", "2"),
                    ("residential_groups", "10"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let groups = c.get("/residential-groups").await.body;
    let (a, b) = (
        groups.find("Tổ dân phố số 2<").expect("2"),
        groups.find("Tổ dân phố số 10<").expect("10"),
    );
    assert!(a < b, "Tổ 2 before Tổ 10");
    assert!(
        groups.contains("1.200") && groups.contains("9.000"),
        "households and the residents' sum"
    );
    let cells = c.get("/party-cells").await.body;
    assert!(cells.find("Chi bộ 2<").expect("2") < cells.find("Chi bộ 10<").expect("10"));
    assert!(cells.contains("Tổ 2, Tổ 10"));
    let form = c.get("/conferences/new").await.body;
    assert!(form.contains(r#"<option value="2">Tổ 2 — Tổ dân phố số 2</option>"#));
    assert!(form.contains(r#"<option value="Chi bộ 10">Chi bộ 10</option>"#));
    let r = c
        .post("/residential-groups", &[("number", "2"), ("name", "Trùng")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Số tổ này đã có trong danh sách."));
    let r = c.get("/conferences?group=2").await;
    assert_eq!(r.status, StatusCode::OK);
}

crate::engine_test!(dialogues_collect_opinions_followed_until_resolved);
async fn dialogues_collect_opinions_followed_until_resolved() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let r = c
        .post(
            "/dialogues",
            &[
                ("date", "01/02/2018"),
                ("host", "both"),
                ("counterpart", "residents"),
                ("participants", "120"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let did = id_from_location(r.location());
    let bad = c
        .post(
            &format!("/dialogues/{did}/opinions"),
            &[
                ("content", "Sửa đường ngõ 5"),
                ("response", "referred"),
                ("status", "resolved"),
                ("resolved_on", "01/01/2018"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad
        .body
        .contains("Không được trước ngày đối thoại (01/02/2018)."));
    assert!(bad.body.contains("Sửa đường ngõ 5"), "typed content kept");
    let r = c
        .post(
            &format!("/dialogues/{did}/opinions"),
            &[
                ("content", "Sửa đường ngõ 5"),
                ("response", "referred"),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&format!("/dialogues/{did}")).await.body;
    assert!(page.contains("Ý kiến, kiến nghị (1)") && page.contains("Sửa đường ngõ 5"));
    let open = c.get("/opinions/open").await.body;
    assert!(open.contains("Sửa đường ngõ 5"));
    assert!(open.contains("(quá hạn)"), "raised in 2018: overdue");
    let oid = app
        .store
        .list::<domain::Opinion>(app.ward, &RecordFilter::default())
        .await
        .expect("list")
        .items[0]
        .id;
    // The opinion's page says which dialogue it came from: its date and what it was.
    let opinion_page = c.get(&format!("/opinions/{oid}")).await.body;
    assert!(
        opinion_page.contains(&format!("href=\"/dialogues/{did}\">01/02/2018 — ")),
        "{opinion_page}"
    );
    let r = c
        .post(
            &format!("/opinions/{oid}/resolve"),
            &[("resolved_on", "15/03/2018"), ("answer", "Đã sửa xong")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let o = app
        .store
        .get::<domain::Opinion>(app.ward, oid)
        .await
        .expect("get")
        .record;
    assert_eq!(o.status, domain::OpinionStatus::Resolved);
    assert_eq!(o.resolved_on, domain::dates::ymd(2018, 3, 15));
    assert_eq!(o.answer.as_deref(), Some("Đã sửa xong"));
    assert!(!c
        .get("/opinions/open")
        .await
        .body
        .contains("Sửa đường ngõ 5"));
    assert!(c
        .get("/opinions?status=resolved")
        .await
        .body
        .contains("Tìm thấy 1 bản ghi"));
}

crate::engine_test!(a_record_is_refused_for_a_group_that_did_not_exist_on_its_date);
async fn a_record_is_refused_for_a_group_that_did_not_exist_on_its_date() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let r = c
        .post(
            "/residential-groups",
            &[
                ("number", "9"),
                ("name", "Tổ dân phố số 9"),
                ("established", "01/01/2015"),
                ("dissolved", "01/01/2017"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let post = |date: &'static str| {
        let mut form = conference(date, "Hội nghị tổ 9", "30");
        form.push(("residential_group", "9".to_string()));
        form
    };
    let before = c.post("/conferences", &as_refs(&post("01/06/2014"))).await;
    assert_eq!(before.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        before
            .body
            .contains("Tổ dân phố số 9 thành lập ngày 01/01/2015"),
        "{}",
        before.body
    );
    let after = c.post("/conferences", &as_refs(&post("01/06/2017"))).await;
    assert_eq!(after.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        after.body.contains("đã giải thể ngày 01/01/2017"),
        "{}",
        after.body
    );
    // The pick-list still offers it (old records are back-filled) but says since when.
    let form = c.get("/conferences/new").await.body;
    assert!(
        form.contains("Tổ dân phố số 9 (đã giải thể 01/01/2017)"),
        "{form}"
    );
    let during = c.post("/conferences", &as_refs(&post("01/06/2016"))).await;
    assert_eq!(during.status, StatusCode::SEE_OTHER, "{}", during.body);
    // An import row dated out of the group's life is refused the same way.
    let plan = app::import::run(
        &app.store,
        app.ward,
        &store::Actor::system(),
        domain::Kind::Conferences,
        None,
        "date,kind,title,attendees,residential_group\n2018-03-01,dissemination,Tổ 9 sau giải thể,20,9\n"
            .as_bytes(),
        false,
    )
    .await;
    match plan {
        Err(app::import::ImportError::Rows(p)) => {
            assert!(p.iter().any(|p| p.message.contains("đã giải thể")), "{p:?}")
        }
        other => panic!("{other:?}"),
    }
}
