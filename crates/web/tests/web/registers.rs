//! Registers over time: party cells that stopped refuse records dated after them and
//! say so in pick-lists; the registers' lists mark dissolved and stopped entries and
//! count today only the active ones.

use axum::http::StatusCode;
use domain::Role;

use crate::helpers::*;

const CELL: &str = "Chi bộ khu dân cư số 5";

async fn add(c: &Client, path: &str, form: &[(&str, &str)]) {
    let r = c.post(path, form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
}

/// Cell «số 5» active from 01/01/2015 to 31/12/2019 (40 members); «số 6» without dates
/// (25 members).
async fn cells(c: &Client) {
    add(
        c,
        "/party-cells",
        &[
            ("name", CELL),
            ("kind", "residential"),
            ("members", "40"),
            ("active_from", "01/01/2015"),
            ("active_until", "31/12/2019"),
        ],
    )
    .await;
    add(
        c,
        "/party-cells",
        &[
            ("name", "Chi bộ khu dân cư số 6"),
            ("kind", "residential"),
            ("members", "25"),
        ],
    )
    .await;
}

crate::engine_test!(a_record_is_refused_for_a_party_cell_not_active_on_its_date);
async fn a_record_is_refused_for_a_party_cell_not_active_on_its_date() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    cells(&c).await;
    let post = |date: &'static str| {
        let mut form = conference(date, "Hội nghị chi bộ", "30");
        form.push(("party_cell", CELL.to_string()));
        form
    };
    let before = c.post("/conferences", &as_refs(&post("31/12/2014"))).await;
    assert_eq!(before.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        before.body.contains(
            "Chi bộ «Chi bộ khu dân cư số 5» bắt đầu hoạt động ngày 01/01/2015, sau ngày 31/12/2014 của bản ghi."
        ),
        "{}",
        before.body
    );
    let after = c.post("/conferences", &as_refs(&post("01/01/2020"))).await;
    assert_eq!(after.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        after.body.contains(
            "Chi bộ «Chi bộ khu dân cư số 5» ngừng hoạt động sau ngày 31/12/2019, trước ngày 01/01/2020 của bản ghi."
        ),
        "{}",
        after.body
    );
    // The refused form keeps what was typed, the cell still chosen.
    assert!(
        after.body.contains("value=\"01/01/2020\""),
        "{}",
        after.body
    );
    // The pick-list still offers the cell (old records are back-filled) but says it stopped.
    let form = c.get("/conferences/new").await.body;
    assert!(
        form.contains("Chi bộ khu dân cư số 5 (ngừng hoạt động sau ngày 31/12/2019)"),
        "{form}"
    );
    assert!(form.contains(">Chi bộ khu dân cư số 6<"), "{form}");
    let last = c.post("/conferences", &as_refs(&post("31/12/2019"))).await;
    assert_eq!(last.status, StatusCode::SEE_OTHER, "{}", last.body);
    // An edit moving the record past the cell's last day is refused the same way.
    let id = id_from_location(last.location());
    let moved = c
        .post(&format!("/conferences/{id}"), &as_refs(&post("02/01/2020")))
        .await;
    assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(moved.body.contains("ngừng hoạt động sau ngày 31/12/2019"));
}

crate::engine_test!(an_import_with_a_row_dated_after_its_cell_stopped_writes_nothing);
async fn an_import_with_a_row_dated_after_its_cell_stopped_writes_nothing() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    cells(&c).await;
    let file = format!(
        "date,kind,title,attendees,party_cell\n\
         2016-03-01,dissemination,Trong thời gian hoạt động,20,{CELL}\n\
         2020-03-01,dissemination,Sau khi ngừng hoạt động,20,{CELL}\n"
    );
    let plan = app::import::run(
        &app.store,
        app.ward,
        &store::Actor::system(),
        domain::Kind::Conferences,
        Some("hoi-nghi.csv"),
        file.as_bytes(),
        false,
    )
    .await;
    match plan {
        Err(app::import::ImportError::Rows(p)) => {
            assert_eq!(p.len(), 1, "{p:?}");
            assert_eq!((p[0].row, p[0].line), (2, 3));
            assert_eq!(p[0].column, "party_cell");
            assert!(
                p[0].to_string().starts_with(
                    "row 2, column party_cell: Chi bộ «Chi bộ khu dân cư số 5» ngừng hoạt động sau ngày 31/12/2019"
                ),
                "{p:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let list = c.get("/conferences").await.body;
    assert!(list.contains("Tìm thấy 0 bản ghi"), "{list}");
}

crate::engine_test!(register_lists_mark_dissolved_entries_and_count_today_only_the_active);
async fn register_lists_mark_dissolved_entries_and_count_today_only_the_active() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    for g in [
        [
            ("number", "9"),
            ("name", "Tổ dân phố số 9"),
            ("households", "50"),
            ("residents", "200"),
            ("established", "01/01/2015"),
            ("dissolved", "01/01/2017"),
        ],
        [
            ("number", "10"),
            ("name", "Tổ dân phố số 10"),
            ("households", "1200"),
            ("residents", "4800"),
            ("established", "01/01/2015"),
            ("dissolved", ""),
        ],
        [
            ("number", "11"),
            ("name", "Tổ dân phố số 11"),
            ("households", "7"),
            ("residents", "20"),
            ("established", "01/01/2099"),
            ("dissolved", ""),
        ],
    ] {
        add(&c, "/residential-groups", &g).await;
    }
    cells(&c).await;

    let groups = c.get("/residential-groups").await.body;
    // Every group stays listed, each with its standing.
    assert!(groups.contains("Tìm thấy 3 bản ghi"), "{groups}");
    assert!(groups.contains("Tổ dân phố số 9"), "{groups}");
    assert!(
        groups.contains("<th scope=\"col\">Tình trạng</th>"),
        "{groups}"
    );
    assert!(groups.contains(">Đã giải thể</span>"), "{groups}");
    assert!(groups.contains(">Đang hoạt động</span>"), "{groups}");
    assert!(groups.contains(">Chưa thành lập</span>"), "{groups}");
    // The totals count today's groups only, and say so; no sum over the dissolved ones.
    let today = domain::dates::vn(web::clock::today());
    assert!(
        groups.contains("Đang hoạt động: 1 tổ, 1.200 hộ, 4.800 nhân khẩu"),
        "{groups}"
    );
    assert!(groups.contains(&format!("tính ngày {today}")), "{groups}");
    assert!(!groups.contains("tổng 5.020 nhân khẩu"), "{groups}");
    assert!(!groups.contains(", tổng"), "{groups}");

    let cells = c.get("/party-cells").await.body;
    assert!(cells.contains("Tìm thấy 2 bản ghi"), "{cells}");
    assert!(cells.contains(">Ngừng hoạt động</span>"), "{cells}");
    assert!(
        cells.contains("Đang hoạt động: 1 chi bộ, 25 đảng viên"),
        "{cells}"
    );
    // The active-on filter (a drill-down's) lists the cells active on a day.
    let in_2018 = c.get("/party-cells?active_on=2018-06-01").await.body;
    assert!(in_2018.contains("Tìm thấy 2 bản ghi"), "{in_2018}");
    assert!(in_2018.contains("Đang hoạt động: 1 chi bộ"), "{in_2018}");
    let in_2020 = c.get("/party-cells?active_on=2020-06-01").await;
    assert_eq!(in_2020.status, StatusCode::OK);
    assert!(
        in_2020.body.contains("Tìm thấy 1 bản ghi"),
        "{}",
        in_2020.body
    );
    // Deleted entries are not counted as active.
    let deleted = c.get("/residential-groups?deleted=1").await.body;
    assert!(!deleted.contains("Đang hoạt động:"), "{deleted}");
    // Activity lists keep their sum.
    let conferences = c.get("/conferences").await.body;
    assert!(!conferences.contains("Tình trạng"), "{conferences}");
}
