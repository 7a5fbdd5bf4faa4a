//! One end-to-end test in headless Chromium, driven with fantoccini through
//! chromedriver, against the real `qcdc serve`: the secretary logs in, makes a mistake
//! in a new conference, corrects it, finds it in the list, edits it and sees the change
//! in its history.
//!
//! Run alone with `cargo test -p system-tests --test e2e`. Skipped (with a notice) when
//! /usr/bin/chromedriver is absent (Debian: `apt-get install chromium chromium-driver`).

use std::path::Path;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use support::{demo_db, free_port, ward_with_accounts, Server, PASSWORD};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

async fn start_chromedriver() -> (tokio::process::Child, u16) {
    let port = free_port();
    let child = tokio::process::Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start chromedriver");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (child, port);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start on port {port}");
}

async fn browser(port: u16) -> Client {
    let mut caps = serde_json::Map::new();
    let mut chrome = serde_json::json!({
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--window-size=1280,1000"
        ]
    });
    if Path::new("/usr/bin/chromium").exists() {
        chrome["binary"] = "/usr/bin/chromium".into();
    }
    caps.insert("goog:chromeOptions".into(), chrome);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver")
}

type Flow = Result<(), Box<dyn std::error::Error>>;

async fn fill(c: &Client, css: &str, text: &str) -> Flow {
    let e = c.find(Locator::Css(css)).await?;
    e.clear().await?;
    e.send_keys(text).await?;
    Ok(())
}

/// Clicks the form's submit button and waits for the next page: a click returns
/// before the navigation ends, and a failed form comes back on the same URL, so the
/// sign is the old document going stale.
async fn submit(c: &Client, form_action: &str) -> Flow {
    let old = c.find(Locator::Css("html")).await?;
    c.find(Locator::Css(&format!(
        "form[action=\"{form_action}\"] button[type=submit]"
    )))
    .await?
    .click()
    .await?;
    for _ in 0..100 {
        if old.tag_name().await.is_err() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("no new page after submitting {form_action}").into())
}

/// Clicks a link and waits for the next page.
async fn follow(c: &Client, text: &str) -> Flow {
    let old = c.find(Locator::Css("html")).await?;
    c.find(Locator::LinkText(text)).await?.click().await?;
    for _ in 0..100 {
        if old.tag_name().await.is_err() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("no new page after following {text}").into())
}

/// With `QCDC_E2E_SCREENSHOTS=DIR`, saves a PNG of the page for a human to look at.
async fn snap(c: &Client, name: &str) -> Flow {
    if let Ok(dir) = std::env::var("QCDC_E2E_SCREENSHOTS") {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            Path::new(&dir).join(format!("{name}.png")),
            c.screenshot().await?,
        )?;
    }
    Ok(())
}

fn check(cond: bool, what: &str, page: &str) -> Flow {
    if cond {
        Ok(())
    } else {
        Err(format!("{what}\n--- page ---\n{page}").into())
    }
}

/// A browser story: what a person does on the served site at `base`.
type Story = for<'a> fn(
    &'a Client,
    &'a str,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Flow> + 'a>>;

/// Whether Debian's chromedriver is here; says so when the browser tests are skipped.
fn browser_available() -> bool {
    let here = Path::new(CHROMEDRIVER).exists();
    if !here {
        eprintln!("NOTICE: {CHROMEDRIVER} not found; skipping the browser test (apt-get install chromium chromium-driver).");
    }
    here
}

/// Serves `db`, runs `story` in headless Chromium against it, stops both, and fails the
/// test with the story's error.
fn run_story(db: &Path, story: Story) {
    let server = Server::start(db);
    let base = server.base_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let outcome = runtime.block_on(async {
        let (mut driver, port) = start_chromedriver().await;
        let c = browser(port).await;
        let outcome = story(&c, &base).await;
        let _ = c.close().await;
        let _ = driver.kill().await;
        outcome
    });
    server.kill();
    if let Err(e) = outcome {
        panic!("browser story failed: {e}");
    }
}

async fn secretary_story(c: &Client, base: &str) -> Flow {
    c.goto(&format!("{base}/login")).await?;
    fill(c, "#username", "thuky").await?;
    fill(c, "#password", PASSWORD).await?;
    submit(c, "/login").await?;
    let home = c.source().await?;
    check(
        home.contains("Tổng quan"),
        "logged in to the dashboard",
        &home,
    )?;

    // A new conference with a mistake: 31 February.
    c.goto(&format!("{base}/conferences/new")).await?;
    fill(c, "#f-date", "31/02/2018").await?;
    c.find(Locator::Css("#f-kind"))
        .await?
        .select_by_value("dissemination")
        .await?;
    fill(c, "#f-title", "Hội nghị phổ biến Pháp lệnh 34").await?;
    fill(c, "#f-attendees", "150").await?;
    submit(c, "/conferences").await?;
    let page = c.source().await?;
    check(
        page.contains("Ngày không hợp lệ"),
        "the date error is shown",
        &page,
    )?;
    snap(c, "1-form-with-error").await?;
    // The cursor is on the field in error, without any script of the page.
    let focused = c
        .execute(
            "return document.activeElement && document.activeElement.id;",
            vec![],
        )
        .await?;
    check(
        focused.as_str() == Some("f-date"),
        "the first field in error has the focus",
        &focused.to_string(),
    )?;
    let title = c
        .find(Locator::Css("#f-title"))
        .await?
        .prop("value")
        .await?;
    check(
        title.as_deref() == Some("Hội nghị phổ biến Pháp lệnh 34"),
        "the title was kept",
        &page,
    )?;

    // Corrected.
    fill(c, "#f-date", "28/02/2018").await?;
    submit(c, "/conferences").await?;
    let page = c.source().await?;
    check(page.contains("Đã thêm hội nghị."), "saved", &page)?;
    check(page.contains("28/02/2018"), "date shown dd/mm/yyyy", &page)?;

    // Found in the list.
    c.goto(&format!("{base}/conferences?year=2018")).await?;
    let list = c.source().await?;
    snap(c, "0-list").await?;
    check(
        list.contains("Tìm thấy 1 bản ghi, tổng 150 lượt người"),
        "in the list",
        &list,
    )?;
    follow(c, "28/02/2018").await?;
    let url = c.current_url().await?;
    let id_path = url.path().to_string();

    // Edited.
    follow(c, "Sửa").await?;
    fill(c, "#f-attendees", "1.250").await?;
    submit(c, &id_path).await?;
    let page = c.source().await?;
    check(page.contains("Đã lưu thay đổi."), "updated", &page)?;
    check(page.contains("1.250"), "Vietnamese thousands", &page)?;

    // The history shows the change, before and after.
    let history = c
        .find(Locator::Css("section[aria-labelledby=history]"))
        .await?
        .text()
        .await?;
    snap(c, "2-record-with-history").await?;
    check(
        history.contains("Sửa") && history.contains("150") && history.contains("1.250"),
        "the audit entry with before and after",
        &history,
    )?;
    Ok(())
}

#[test]
fn secretary_enters_corrects_finds_and_edits_a_conference() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = ward_with_accounts(dir.path(), &["secretary"]);
    run_story(&db, |c, base| Box::pin(secretary_story(c, base)));
}

/// The secretary records what a residents' meeting decided under the 2022 law: first
/// with more households in favour than attended (refused next to the field), then as it
/// was; the page states the outcome by the law's majority rule and why.
async fn decision_story(c: &Client, base: &str) -> Flow {
    c.goto(&format!("{base}/login")).await?;
    fill(c, "#username", "thuky").await?;
    fill(c, "#password", PASSWORD).await?;
    submit(c, "/login").await?;
    c.goto(&format!("{base}/residential-groups/new")).await?;
    fill(c, "#f-number", "12").await?;
    fill(c, "#f-name", "Tổ dân phố số 12").await?;
    fill(c, "#f-households", "200").await?;
    submit(c, "/residential-groups").await?;

    c.goto(&format!("{base}/law")).await?;
    follow(c, "Thêm nội dung Nhân dân quyết định").await?;
    fill(c, "#f-date", "17/03/2024").await?;
    c.find(Locator::Css("#f-residential_group"))
        .await?
        .select_by_value("12")
        .await?;
    c.find(Locator::Css("#f-matter"))
        .await?
        .select_by_value("contribution")
        .await?;
    c.find(Locator::Css("#f-form"))
        .await?
        .select_by_value("meeting")
        .await?;
    fill(c, "#f-households", "200").await?;
    fill(c, "#f-represented", "120").await?;
    fill(c, "#f-in_favour", "130").await?;
    fill(c, "#f-title", "Đóng góp cải tạo ngõ 245").await?;
    submit(c, "/community-decisions").await?;
    let page = c.source().await?;
    check(
        page.contains("Số hộ tán thành (130) không thể lớn hơn số hộ dự họp (120)."),
        "impossible figures refused next to the field",
        &page,
    )?;
    fill(c, "#f-in_favour", "101").await?;
    submit(c, "/community-decisions").await?;
    let outcome = c.find(Locator::Css("tr.assessment")).await?.text().await?;
    snap(c, "3-community-decision").await?;
    check(
        outcome.contains("Được thông qua")
            && outcome.contains("Cuộc họp hợp lệ: 120/200 hộ dự họp")
            && outcome.contains("101/200 hộ tán thành, trên một nửa tổng số hộ gia đình của tổ"),
        "the outcome and why",
        &outcome,
    )?;
    // Exactly half in favour is not more than half.
    follow(c, "Sửa").await?;
    fill(c, "#f-in_favour", "100").await?;
    let url = c.current_url().await?;
    let action = url.path().trim_end_matches("/edit").to_string();
    submit(c, &action).await?;
    let outcome = c.find(Locator::Css("tr.assessment")).await?.text().await?;
    check(
        outcome.contains("Không được thông qua") && outcome.contains("cần ít nhất 101 hộ"),
        "exactly half does not pass",
        &outcome,
    )?;
    Ok(())
}

#[test]
fn secretary_records_a_residents_meeting_decision_and_sees_its_outcome() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = ward_with_accounts(dir.path(), &["secretary"]);
    run_story(&db, |c, base| Box::pin(decision_story(c, base)));
}

/// The demo ward's administrator (sees every page) and its password.
const DEMO_ADMIN: (&str, &str) = ("admin", "ngocthuy-2018-qt");

/// The main pages, each with the name of its screenshot in `docs/screenshots/`.
const MAIN_PAGES: &[(&str, &str)] = &[
    ("/", "tong-quan"),
    ("/conferences", "danh-sach-hoi-nghi"),
    ("/conferences/new", "them-hoi-nghi"),
    ("/dialogues", "danh-sach-doi-thoai"),
    ("/opinions/open", "y-kien-chua-giai-quyet"),
    ("/residential-groups", "to-dan-pho"),
    ("/steering-committee", "ban-chi-dao"),
    ("/reports/summary", "bao-cao-tong-hop"),
    (
        "/reports/summary?from=01/01/2014&to=31/12/2018&by=year",
        "bao-cao-theo-nam",
    ),
    ("/reports/review", "du-thao-bao-cao"),
    ("/ward", "phuong"),
    ("/law", "luat-dan-chu-2022"),
    ("/community-decisions", "nhan-dan-quyet-dinh"),
    ("/import", "nhap-du-lieu"),
    ("/import/history", "lich-su-nhap"),
    ("/reports/submit", "nop-bao-cao"),
    ("/admin/users", "tai-khoan"),
    ("/admin/audit", "nhat-ky"),
];

/// Width of the document (what scrolls sideways) and of the window's viewport.
async fn widths(c: &Client) -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await?;
    let w = |i: usize| v.get(i).and_then(|x| x.as_u64()).unwrap_or(u64::MAX);
    Ok((w(0), w(1)))
}

async fn phone_story(c: &Client, base: &str) -> Flow {
    c.goto(&format!("{base}/login")).await?;
    fill(c, "#username", DEMO_ADMIN.0).await?;
    fill(c, "#password", DEMO_ADMIN.1).await?;
    submit(c, "/login").await?;
    // A record with its history, and the first dialogue with its opinions.
    let mut pages: Vec<(String, String)> = MAIN_PAGES
        .iter()
        .map(|(p, n)| (p.to_string(), n.to_string()))
        .collect();
    pages.push(("/conferences/1".into(), "hoi-nghi".into()));
    pages.push(("/dialogues/1".into(), "doi-thoai".into()));

    let mut too_wide = Vec::new();
    c.set_window_size(390, 844).await?;
    let (_, inner) = widths(c).await?;
    check(
        inner <= 390,
        "the window is 390 px wide",
        &inner.to_string(),
    )?;
    for (path, name) in &pages {
        c.goto(&format!("{base}{path}")).await?;
        let (scroll, _) = widths(c).await?;
        if scroll > 390 {
            // Name the widest elements, to say what to fix.
            let culprits = c
                .execute(
                    "return Array.from(document.querySelectorAll('body *'))\
                     .filter(e => e.getBoundingClientRect().right > 391)\
                     .slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + \
                     Math.round(e.getBoundingClientRect().right)).join(', ');",
                    vec![],
                )
                .await?;
            too_wide.push(format!("{path}: {scroll} px ({culprits})"));
        }
        snap(c, &format!("{name}-390")).await?;
    }
    check(
        too_wide.is_empty(),
        "no page scrolls sideways at 390 px",
        &too_wide.join("\n"),
    )?;
    // The menu is folded behind one button at phone width.
    c.goto(&format!("{base}/")).await?;
    let menu = c.find(Locator::Css("details.menu-narrow")).await?;
    check(
        menu.is_displayed().await?,
        "the folded menu is shown at 390 px",
        "",
    )?;
    let wide_nav = c.find(Locator::Css("nav.menu-wide")).await?;
    check(
        !wide_nav.is_displayed().await?,
        "the full menu is hidden at 390 px",
        "",
    )?;

    c.set_window_size(1280, 1000).await?;
    for (path, name) in &pages {
        c.goto(&format!("{base}{path}")).await?;
        snap(c, &format!("{name}-may-tinh")).await?;
    }
    c.goto(&format!("{base}/")).await?;
    check(
        c.find(Locator::Css("nav.menu-wide"))
            .await?
            .is_displayed()
            .await?,
        "the full menu is shown on a desktop",
        "",
    )?;
    Ok(())
}

/// Every main page fits a 390 px phone (tables scroll inside their own box, the menu
/// folds). With `QCDC_E2E_SCREENSHOTS=docs/screenshots` (an absolute path), saves each
/// page at 390 px and at desktop width for the user guide.
#[test]
fn no_page_scrolls_sideways_at_phone_width() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_db(dir.path());
    run_story(&db, |c, base| Box::pin(phone_story(c, base)));
}

/// Chromium's own command (through chromedriver) to render the page as for paper.
#[derive(Debug)]
struct EmulateMedia(&'static str);

impl fantoccini::wd::WebDriverCompatibleCommand for EmulateMedia {
    fn endpoint(
        &self,
        base: &reqwest::Url,
        session: Option<&str>,
    ) -> Result<reqwest::Url, url_error::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or("")
        ))
    }
    fn method_and_body(&self, _: &reqwest::Url) -> (reqwest::Method, Option<String>) {
        let body = serde_json::json!({
            "cmd": "Emulation.setEmulatedMedia",
            "params": { "media": self.0 }
        });
        (reqwest::Method::POST, Some(body.to_string()))
    }
}

mod url_error {
    pub type ParseError = <reqwest::Url as std::str::FromStr>::Err;
}

/// Whether the first element matching `css` is rendered (as `display` computes it).
async fn shown(c: &Client, css: &str) -> Result<bool, Box<dyn std::error::Error>> {
    let v = c
        .execute(
            "const e = document.querySelector(arguments[0]); \
             if (!e) return null; \
             for (let n = e; n; n = n.parentElement) \
               if (getComputedStyle(n).display === 'none') return false; \
             return true;",
            vec![css.into()],
        )
        .await?;
    v.as_bool()
        .ok_or_else(|| format!("nothing matches {css}").into())
}

async fn print_story(c: &Client, base: &str) -> Flow {
    c.goto(&format!("{base}/login")).await?;
    fill(c, "#username", DEMO_ADMIN.0).await?;
    fill(c, "#password", DEMO_ADMIN.1).await?;
    submit(c, "/login").await?;
    c.issue_cmd(EmulateMedia("print")).await?;

    // The review draft: the Party letterhead is the first thing on paper.
    c.goto(&format!("{base}/reports/review")).await?;
    for gone in [
        "body > header",
        "main > h1",
        ".skip",
        "form.review-form",
        "p.actions",
    ] {
        check(
            !shown(c, gone).await?,
            "not printed with the review draft",
            gone,
        )?;
    }
    check(
        shown(c, ".review-doc .doc-header").await?,
        "the letterhead prints",
        "",
    )?;
    let first = c
        .execute(
            "const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); \
             while (w.nextNode()) { const t = w.currentNode; \
               if (!t.textContent.trim()) continue; \
               let hidden = false; \
               for (let n = t.parentElement; n; n = n.parentElement) \
                 if (getComputedStyle(n).display === 'none') { hidden = true; break; } \
               if (!hidden) return t.textContent.trim(); } return '';",
            vec![],
        )
        .await?;
    check(
        first.as_str().is_some_and(|t| t.starts_with("ĐẢNG BỘ")),
        "the printed review starts with the letterhead",
        &first.to_string(),
    )?;

    // The summary: no download links, no internal codes, figures as plain text.
    c.goto(&format!(
        "{base}/reports/summary?from=01/01/2014&to=31/12/2018&by=year"
    ))
    .await?;
    for gone in [
        "table.report small.code",
        "p.actions",
        "form.filters",
        "body > header",
    ] {
        check(!shown(c, gone).await?, "not printed with the summary", gone)?;
    }
    let link = c
        .execute(
            "const a = document.querySelector('table.report td.num a'); \
             const s = getComputedStyle(a); \
             return [s.textDecorationLine, s.color === getComputedStyle(a.parentElement).color];",
            vec![],
        )
        .await?;
    check(
        link == serde_json::json!(["none", true]),
        "figures print as plain text, not as links",
        &link.to_string(),
    )?;
    // The report's wide table is not cut to the screen's box on paper.
    let overflow = c
        .execute(
            "return getComputedStyle(document.querySelector('table.report')).overflowX;",
            vec![],
        )
        .await?;
    check(
        overflow == "visible",
        "the table prints whole",
        &overflow.to_string(),
    )?;
    c.issue_cmd(EmulateMedia("screen")).await?;
    check(
        shown(c, "table.report small.code").await?,
        "codes stay on screen",
        "",
    )?;
    Ok(())
}

/// The review draft prints only the document; the summary prints without links and
/// internal codes (Chromium's print media emulation).
#[test]
fn printing_shows_only_the_document() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_db(dir.path());
    run_story(&db, |c, base| Box::pin(print_story(c, base)));
}

/// A ward formed on 1/7/2025 (the city demo's `phuong-moi`): its 2014–2018 report counts
/// its former wards, shows them one by one, fits a phone, adds the part one when asked,
/// and its figures open the former wards' records, marked.
async fn merged_ward_story(c: &Client, base: &str) -> Flow {
    c.goto(&format!("{base}/login")).await?;
    fill(c, "#username", "thuky-phuong-moi").await?;
    fill(c, "#password", "phuong-moi-2026-tk").await?;
    submit(c, "/login").await?;
    c.set_window_size(390, 844).await?;
    c.goto(&format!(
        "{base}/reports/summary?from=01/01/2014&to=27/06/2018&by=total"
    ))
    .await?;
    let page = c.source().await?;
    check(
        page.contains("Theo phường cũ"),
        "the breakdown by former ward",
        &page,
    )?;
    check(
        page.contains("Phường Ngọc Thụy") && page.contains("Phường Bãi Bồi"),
        "the whole former wards",
        &page,
    )?;
    check(
        !page.contains("chỉ sáp nhập một phần:"),
        "no part former ward unless asked",
        &page,
    )?;
    let (scroll, _) = widths(c).await?;
    check(
        scroll <= 390,
        "the merged ward's report fits 390 px",
        &scroll.to_string(),
    )?;
    snap(c, "bao-cao-phuong-moi-390").await?;
    c.execute(
        "document.getElementById('former').scrollIntoView();",
        vec![],
    )
    .await?;
    snap(c, "theo-phuong-cu-390").await?;
    c.set_window_size(1280, 1000).await?;
    snap(c, "bao-cao-phuong-moi-may-tinh").await?;
    c.execute(
        "document.getElementById('former').scrollIntoView();",
        vec![],
    )
    .await?;
    snap(c, "theo-phuong-cu-may-tinh").await?;
    c.find(Locator::Css("#r-include-part"))
        .await?
        .click()
        .await?;
    submit(c, "/reports/summary").await?;
    let page = c.source().await?;
    check(
        page.contains("chỉ sáp nhập một phần: Phường Làng Hoa (đến 30/06/2025)"),
        "the part former ward, flagged",
        &page,
    )?;
    c.goto(&format!("{base}/conferences?from=2014-01-01&to=2018-06-27"))
        .await?;
    let page = c.source().await?;
    check(
        page.contains("Phường cũ: Phường Ngọc Thụy") || page.contains("Phường cũ: Phường Bãi Bồi"),
        "the former wards' records, marked",
        &page,
    )?;
    Ok(())
}

#[test]
fn a_merged_ward_reports_on_its_former_wards() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("city.db");
    support::qcdc_ok(&["demo", "--city", "--db", support::p(&db)]);
    run_story(&db, |c, base| Box::pin(merged_ward_story(c, base)));
}
