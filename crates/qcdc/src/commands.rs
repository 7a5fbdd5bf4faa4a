//! One function per subcommand; [`run`] dispatches.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use app::formats::csv::Shape;
use domain::report::Grouping;
use domain::Kind;
use store::{Actor, Location, Store, WardId};

use crate::{Command, ImportAction, PeriodCommand, UserCommand, WardCommand};

pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Init {
            db,
            ward,
            code,
            district,
            province,
        } => {
            init(
                &db,
                &ward,
                code.as_deref(),
                district.as_deref(),
                province.as_deref(),
            )
            .await?
        }
        Command::Ward {
            command:
                WardCommand::Add {
                    db,
                    code,
                    name,
                    district,
                    province,
                },
        } => {
            let store = Store::open_existing(&db).await?;
            let ward = app::wards::parse(&name, district.as_deref(), province.as_deref())?;
            app::wards::add(&store, &code, &ward).await?;
            println!("Đã thêm {name} (mã {code}).");
        }
        Command::Ward {
            command: WardCommand::List { db },
        } => {
            let store = Store::open_existing(&db).await?;
            print!("{}", app::wards::list_csv(&store).await?);
        }
        Command::Ward {
            command:
                WardCommand::Merge {
                    db,
                    into,
                    name,
                    on,
                    from,
                },
        } => {
            let store = Store::open_existing(&db).await?;
            let on = parse_date_arg("--on", &on)?;
            let from = app::wards::parse_from(&store, &from).await?;
            app::wards::merge(&store, &Actor::system(), &into, name.as_deref(), on, &from).await?;
            println!(
                "Đã ghi: {} phường cũ sáp nhập vào «{into}» từ ngày {}.",
                from.len(),
                domain::dates::vn(on)
            );
            store.close().await;
        }
        Command::User {
            command:
                UserCommand::Add {
                    db,
                    ward,
                    username,
                    role,
                    display_name,
                },
        } => {
            user_add(
                &db,
                ward.as_deref(),
                &username,
                &role,
                display_name.as_deref(),
            )
            .await?
        }
        Command::Serve {
            db,
            addr,
            demo,
            secure_cookies,
        } => serve(db, &addr, demo, secure_cookies).await?,
        Command::Backup { db, out } => backup(&db, &out).await?,
        Command::Import {
            action: Some(ImportAction::History { db, ward }),
            ..
        } => import_history(&db, ward.as_deref()).await?,
        Command::Import {
            action: Some(ImportAction::Undo { db, ward, id }),
            ..
        } => import_undo(&db, ward.as_deref(), id).await?,
        Command::Import {
            action: None,
            db,
            ward,
            kind,
            file,
            dry_run,
            again,
        } => {
            let (Some(db), Some(kind), Some(file)) = (db, kind, file) else {
                anyhow::bail!("cách dùng: qcdc import --db DB KIND FILE [--dry-run] [--again]");
            };
            let options = app::reimport::Options { dry_run, again };
            return import(&db, ward.as_deref(), &kind, &file, options).await;
        }
        Command::Report {
            db,
            ward,
            wards,
            from,
            to,
            by,
            shape,
            headers,
            include_part,
        } => {
            let scope = (&db, ward.as_deref(), wards.as_deref(), include_part);
            report(scope, from.as_deref(), to.as_deref(), &by, &shape, &headers).await?
        }
        Command::Export { db, ward, kind } => export(&db, ward.as_deref(), &kind).await?,
        Command::Generate {
            db,
            wards,
            years,
            last_year,
            publicity,
        } => generate(&db, wards, years, last_year, publicity).await?,
        Command::Demo { db, city: false } => demo(&db).await?,
        Command::Demo { db, city: true } => {
            let accounts = app::demo::build_city(&db).await?;
            println!("Đã dựng cơ sở dữ liệu mẫu cấp thành phố {db}: phường Ngọc Thụy và các phường sinh ngẫu nhiên.");
            println!("Tài khoản mẫu (tên đăng nhập / mật khẩu — vai trò, phường):");
            for (u, r, p, ward) in &accounts {
                use domain::Code;
                println!("  {u:<20} / {p:<22} — {} ({}) {ward}", r.code(), r.label());
            }
        }
        Command::Transfer { from, to, wards } => transfer(&from, &to, &wards).await?,
        Command::Period { command } => period(command).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn init(
    db: &Location,
    ward: &str,
    code: Option<&str>,
    district: Option<&str>,
    province: Option<&str>,
) -> anyhow::Result<()> {
    app::accounts::init(db, ward, code, district, province).await?;
    println!("Đã tạo cơ sở dữ liệu {} cho {ward}.", db);
    Ok(())
}

async fn user_add(
    db: &Location,
    ward: Option<&str>,
    username: &str,
    role: &str,
    display_name: Option<&str>,
) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.lines().next().unwrap_or("").to_string();
    app::accounts::add_user(db, ward, username, role, display_name, &password).await?;
    let label = <domain::Role as domain::Code>::parse(role)
        .map(domain::Code::label)
        .unwrap_or(role);
    println!("Đã thêm tài khoản {username} ({label}).");
    Ok(())
}

async fn serve(
    db: Option<Location>,
    addr: &str,
    demo: bool,
    secure_cookies: bool,
) -> anyhow::Result<()> {
    // The address first: a port in use is said before a demo is built for nothing.
    let listener = web::bind(addr).await?;
    let config = web::Config { secure_cookies };
    match (db, demo) {
        (Some(db), false) => web::serve(&db, listener, config).await,
        (None, false) => {
            let db = Location::Sqlite(PathBuf::from("qcdc.db"));
            web::serve(&db, listener, config).await
        }
        (Some(db), true) => {
            build_demo(&db).await?;
            web::serve(&db, listener, config).await
        }
        (None, true) => {
            // A demo in the temp folder is removed when the server stops.
            let file = std::env::temp_dir().join(format!("qcdc-demo-{}.db", std::process::id()));
            let db = Location::Sqlite(file.clone());
            let served = match build_demo(&db).await {
                Ok(()) => web::serve(&db, listener, config).await,
                Err(e) => Err(e),
            };
            remove_database(&file);
            served
        }
    }
}

/// Removes a database file with its WAL and shared-memory files.
fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

async fn backup(db: &Location, out: &Path) -> anyhow::Result<()> {
    let store = Store::open_existing(db).await?;
    store.backup(out).await?;
    let check = Store::open_existing(out).await?.integrity_check().await?;
    anyhow::ensure!(
        check == "ok",
        "bản sao không qua được kiểm tra toàn vẹn: {check}"
    );
    println!(
        "Đã sao lưu {} vào {} (kiểm tra toàn vẹn: ok).",
        db,
        out.display()
    );
    Ok(())
}

async fn import(
    db: &Location,
    ward: Option<&str>,
    kind: &str,
    file: &Path,
    options: app::reimport::Options,
) -> anyhow::Result<ExitCode> {
    let kind = parse_kind(kind)?;
    let bytes = std::fs::read(file)
        .map_err(|e| anyhow::anyhow!("không đọc được tệp {}: {e}", file.display()))?;
    let (store, ward) = open_ward(db, ward).await?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string());
    let source = app::reimport::Source {
        kind,
        file_name: name.as_deref(),
        bytes: &bytes,
    };
    let result =
        app::reimport::run_checked(&store, ward, &Actor::new("cli"), source, options).await;
    store.close().await;
    match result {
        Ok(checked) => Ok(report_import(kind, &checked, options)),
        Err(app::import::ImportError::Rows(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("{} lỗi; chưa nhập dòng nào.", problems.len());
            Ok(ExitCode::FAILURE)
        }
        Err(app::import::ImportError::File(m)) => {
            eprintln!("{}: {m}", file.display());
            eprintln!("Chưa nhập dòng nào.");
            Ok(ExitCode::FAILURE)
        }
        Err(app::import::ImportError::Internal(e)) => Err(e),
    }
}

/// Prints what a checked import did; exit status 1 when a repeated file was refused.
fn report_import(
    kind: Kind,
    checked: &app::reimport::Checked,
    options: app::reimport::Options,
) -> ExitCode {
    let plan = &checked.plan;
    let repeat = &checked.repeat;
    for p in &repeat.previous {
        eprintln!(
            "lưu ý: tệp này đã được nhập lúc {} bởi {} (lần nhập số {}, {} dòng; hoàn tác bằng `qcdc import undo --db DB {}`)",
            p.at, p.actor, p.id, p.rows, p.id
        );
    }
    if !repeat.identical.is_empty() {
        eprintln!(
            "lưu ý: {} dòng giống hệt bản ghi đã có: dòng {}",
            repeat.identical.len(),
            app::reimport::ranges(&repeat.identical)
        );
    }
    if !options.dry_run && !checked.written {
        eprintln!(
            "Tệp này đã được nhập trước đây nên chưa nhập dòng nào. Muốn nhập lại, thêm --again."
        );
        return ExitCode::FAILURE;
    }
    let years = plan
        .per_year
        .iter()
        .filter(|(y, _)| **y > 0)
        .map(|(y, n)| format!("{y}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let verb = if options.dry_run {
        "Sẽ nhập"
    } else {
        "Đã nhập"
    };
    println!(
        "{verb} {} dòng {} ({}){}.",
        plan.rows.len(),
        kind.label().to_lowercase(),
        kind.code(),
        if years.is_empty() {
            String::new()
        } else {
            format!(" ({years})")
        }
    );
    ExitCode::SUCCESS
}

async fn import_history(db: &Location, ward: Option<&str>) -> anyhow::Result<()> {
    let (store, ward) = open_ward(db, ward).await?;
    let imports = store.imports(ward).await?;
    let mut w = app::formats::csv::writer(std::io::stdout().lock(), false)?;
    w.write_record([
        "id",
        "kind",
        "file_name",
        "rows",
        "live",
        "at",
        "actor",
        "undone_at",
        "undone_by",
    ])?;
    for i in &imports {
        w.write_record([
            i.id.to_string().as_str(),
            i.kind.code(),
            i.file_name.as_deref().unwrap_or(""),
            &i.rows.to_string(),
            &i.live.to_string(),
            &i.at,
            &i.actor,
            i.undone_at.as_deref().unwrap_or(""),
            i.undone_by.as_deref().unwrap_or(""),
        ])?;
    }
    w.flush()?;
    Ok(())
}

async fn import_undo(db: &Location, ward: Option<&str>, id: i64) -> anyhow::Result<()> {
    let (store, ward) = open_ward(db, ward).await?;
    let deleted = store.undo_import(ward, &Actor::new("cli"), id).await;
    store.close().await;
    println!("Đã hoàn tác lần nhập số {id}: xóa {} bản ghi.", deleted?);
    Ok(())
}

async fn report(
    (db, ward, wards, include_part): (&Location, Option<&str>, Option<&str>, bool),
    from: Option<&str>,
    to: Option<&str>,
    by: &str,
    shape: &str,
    headers: &str,
) -> anyhow::Result<()> {
    let from = from.map(|s| parse_date_arg("--from", s)).transpose()?;
    let to = to.map(|s| parse_date_arg("--to", s)).transpose()?;
    let grouping = Grouping::parse(by).ok_or_else(|| {
        anyhow::anyhow!(
            "--by: dùng year (năm), term (nhiệm kỳ), period (giai đoạn) hoặc total (tổng)"
        )
    })?;
    let shape = Shape::parse(shape)
        .ok_or_else(|| anyhow::anyhow!("--shape: dùng long (dạng dòng) hoặc wide (bảng ngang)"))?;
    let headers = app::formats::csv::Headers::parse(headers)
        .ok_or_else(|| anyhow::anyhow!("--headers: dùng codes (mã) hoặc vi (tiếng Việt)"))?;
    if let Some(list) = wards {
        let store = Store::open_existing(db).await?;
        let chosen = app::wards::select(&store, list).await?;
        let city = match app::report::build_city(&store, chosen, from, to, grouping).await {
            Ok(c) => c,
            Err(app::report::ReportError::Invalid(e)) => anyhow::bail!("{e}"),
            Err(e) => return Err(e.into()),
        };
        let stdout = std::io::stdout();
        app::formats::csv::write_city_summary(stdout.lock(), &city, shape, headers, false)?;
        return Ok(());
    }
    let (store, ward) = open_ward(db, ward).await?;
    let report = match app::report::build_with(&store, ward, from, to, grouping, include_part).await
    {
        Ok(b) => b.report,
        Err(app::report::ReportError::Invalid(e)) => anyhow::bail!("{e}"),
        Err(e) => return Err(e.into()),
    };
    let stdout = std::io::stdout();
    app::formats::csv::write_summary(stdout.lock(), &report, shape, headers, false)?;
    Ok(())
}

async fn export(db: &Location, ward: Option<&str>, kind: &str) -> anyhow::Result<()> {
    let kind = parse_kind(kind)?;
    let (store, ward) = open_ward(db, ward).await?;
    let stdout = std::io::stdout();
    app::export::write_records(&store, ward, kind, stdout.lock(), false).await?;
    store.close().await;
    Ok(())
}

async fn generate(
    db: &Location,
    wards: u32,
    years: u32,
    last_year: i32,
    publicity: u32,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=1000).contains(&wards) && (1..=100).contains(&years),
        "--wards 1–1000, --years 1–100"
    );
    let store = Store::open(db).await?;
    let started = std::time::Instant::now();
    let volume = store::generate::Volume {
        publicity,
        ..Default::default()
    };
    let ids = store.generate(wards, years, last_year, volume).await?;
    store.close().await;
    println!(
        "Đã sinh {} phường × {years} năm trong {:.1} giây (mã phường {}–{}).",
        ids.len(),
        started.elapsed().as_secs_f64(),
        ids.first().map(|w| w.0).unwrap_or(0),
        ids.last().map(|w| w.0).unwrap_or(0)
    );
    Ok(())
}

async fn demo(db: &Location) -> anyhow::Result<()> {
    build_demo(db).await
}

async fn build_demo(db: &Location) -> anyhow::Result<()> {
    let accounts = app::demo::build(db).await?;
    println!(
        "Đã dựng cơ sở dữ liệu mẫu {} từ hồ sơ phường Ngọc Thụy.",
        db
    );
    app::demo::print_accounts(accounts);
    Ok(())
}

async fn transfer(from: &Location, to: &Location, wards: &[String]) -> anyhow::Result<()> {
    let codes = wards
        .iter()
        .map(|c| domain::ward::WardCode::parse(c).map_err(|e| anyhow::anyhow!("--ward «{c}»: {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    anyhow::ensure!(
        from != to,
        "nguồn và đích là cùng một cơ sở dữ liệu ({from})"
    );
    let source = Store::open_existing(from).await?;
    // A new file made for the copy is removed again if the copy fails.
    let new_file = match to {
        Location::Sqlite(path) if !path.exists() => Some(path.clone()),
        _ => None,
    };
    let started = std::time::Instant::now();
    let result = match Store::open(to).await {
        Ok(target) => {
            let r = target
                .transfer_from(&source, &codes, &Actor::new("cli"))
                .await;
            target.close().await;
            r.map_err(anyhow::Error::from)
        }
        Err(e) => Err(e.into()),
    };
    source.close().await;
    let done = match result {
        Ok(done) => done,
        Err(e) => {
            if let Some(path) = &new_file {
                remove_database(path);
            }
            return Err(e.context("chưa chép gì"));
        }
    };
    for w in &done {
        println!(
            "Đã chép phường {} ({}): {} bản ghi, {} tài khoản, {} dòng nhật ký.",
            w.code,
            w.name,
            w.records(),
            w.users(),
            w.rows_of("audit_log")
        );
    }
    println!(
        "Đã chép {} phường từ {from} sang {to} trong {:.1} giây.",
        done.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn period(command: PeriodCommand) -> anyhow::Result<()> {
    match command {
        PeriodCommand::Submit { db, ward, from, to } => {
            let from = parse_date_arg("--from", &from)?;
            let to = parse_date_arg("--to", &to)?;
            let (store, ward) = open_ward(&db, ward.as_deref()).await?;
            let done = app::periods::submit(&store, ward, &Actor::new("cli"), from, to).await;
            store.close().await;
            let id = done.map_err(report_error)?;
            println!(
                "Đã nộp báo cáo kỳ {}–{} (số {id}). Các bản ghi trong kỳ bị khóa cho đến khi kỳ được mở lại.",
                domain::dates::vn(from),
                domain::dates::vn(to)
            );
        }
        PeriodCommand::List { db, ward } => {
            let (store, ward) = open_ward(&db, ward.as_deref()).await?;
            let subs = store.submissions(ward).await?;
            print!("{}", app::periods::list_csv(&subs).map_err(report_error)?);
        }
        PeriodCommand::Show { db, ward, id } => {
            let (store, ward) = open_submission(&db, ward.as_deref(), id).await?;
            let (_, snapshot) = store.submission(ward, id).await.map_err(not_found(id))?;
            print!("{snapshot}");
        }
        PeriodCommand::Reopen {
            db,
            ward,
            id,
            reason,
        } => {
            let (store, ward) = open_submission(&db, ward.as_deref(), id).await?;
            let done = app::periods::reopen(&store, ward, &Actor::new("cli"), id, &reason).await;
            store.close().await;
            done.map_err(|e| match e {
                app::report::ReportError::Store(store::StoreError::NotFound) => {
                    anyhow::anyhow!("không có kỳ đã nộp số {id}")
                }
                other => report_error(other),
            })?;
            println!("Đã mở lại kỳ đã nộp số {id}.");
        }
    }
    Ok(())
}

/// The database and the ward of submission `id`: `--ward`'s, or the submission's own.
async fn open_submission(
    db: &Location,
    ward: Option<&str>,
    id: i64,
) -> anyhow::Result<(Store, WardId)> {
    let store = Store::open_existing(db).await?;
    let ward = match ward {
        Some(_) => app::wards::resolve(&store, ward).await?,
        None => store.submission_ward(id).await.map_err(not_found(id))?,
    };
    Ok((store, ward))
}

fn not_found(id: i64) -> impl Fn(store::StoreError) -> anyhow::Error {
    move |e| match e {
        store::StoreError::NotFound => anyhow::anyhow!("không có kỳ đã nộp số {id}"),
        other => other.into(),
    }
}

/// A report or period error as the command line says it: the field messages in
/// Vietnamese, a conflict's message as it is.
fn report_error(e: app::report::ReportError) -> anyhow::Error {
    match e {
        app::report::ReportError::Invalid(f) => anyhow::anyhow!("{f}"),
        app::report::ReportError::Store(store::StoreError::Conflict(m)) => anyhow::anyhow!("{m}"),
        app::report::ReportError::Store(other) => other.into(),
    }
}

/// The database and the ward a command acts on (`--ward`, or the only ward).
async fn open_ward(db: &Location, ward: Option<&str>) -> anyhow::Result<(Store, WardId)> {
    let store = Store::open_existing(db).await?;
    let ward = app::wards::resolve(&store, ward).await?;
    Ok((store, ward))
}

fn parse_date_arg(flag: &str, s: &str) -> anyhow::Result<chrono::NaiveDate> {
    domain::dates::parse_date(s).map_err(|_| {
        anyhow::anyhow!(
            "{flag}: «{s}» không phải ngày (ghi dd/mm/yyyy hoặc yyyy-mm-dd, năm 1950–2100)"
        )
    })
}

fn parse_kind(kind: &str) -> anyhow::Result<Kind> {
    Kind::parse(kind).ok_or_else(|| {
        let all = Kind::ALL
            .iter()
            .map(|k| k.code())
            .collect::<Vec<_>>()
            .join(", ");
        anyhow::anyhow!("không có loại dữ liệu (KIND) «{kind}»; dùng một trong: {all}")
    })
}
