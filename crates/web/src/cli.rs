//! The command line of DESIGN §4. Each subcommand prints what it did, or a clear
//! error naming what was wrong, and exits non-zero on failure having changed nothing.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use domain::report::Grouping;
use domain::ward::Ward;
use domain::{Code, Input, Kind, Role};

use crate::reports::Shape;
use store::{Actor, Store};

#[derive(Parser, Debug)]
#[command(
    name = "qcdc",
    version,
    about = "QCDC tracker: grassroots-democracy work of a ward (Quy chế dân chủ ở cơ sở)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create and migrate a new database for a ward.
    Init {
        #[arg(long)]
        db: PathBuf,
        /// The ward's name, e.g. "Phường Ngọc Thụy".
        #[arg(long)]
        ward: String,
        #[arg(long)]
        district: Option<String>,
        #[arg(long)]
        province: Option<String>,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Serve the web application (creates and migrates the database on first start).
    Serve {
        /// The database file [default: qcdc.db; with --demo, a new file in the temp folder].
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Build a fresh demo database (Ngọc Thụy ward, 1998–2018) and serve it.
        #[arg(long)]
        demo: bool,
        /// Mark the session cookie Secure: use when the site is served over HTTPS.
        #[arg(long)]
        secure_cookies: bool,
    },
    /// Write a consistent copy of the database to OUT, even while the server runs.
    Backup {
        #[arg(long)]
        db: PathBuf,
        out: PathBuf,
    },
    /// Import a CSV file of one KIND: all rows or none. Problems are printed as
    /// `row N, column C: reason` on stderr, with exit status 1.
    Import {
        #[arg(long)]
        db: PathBuf,
        /// residential_groups, party_cells, committee_members, conferences, publicity,
        /// dialogues, opinions, documents, inspections, commendations, hot_spots.
        kind: String,
        file: PathBuf,
        /// Check every row and print what would be stored, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the summary report as CSV on stdout (the web export without its BOM).
    Report {
        #[arg(long)]
        db: PathBuf,
        /// First day (YYYY-MM-DD or dd/mm/yyyy); the whole history when absent.
        #[arg(long)]
        from: Option<String>,
        /// Last day, inclusive.
        #[arg(long)]
        to: Option<String>,
        /// year, term, period or total.
        #[arg(long, default_value = "year")]
        by: String,
        /// long (indicator,name,unit,period,value) or wide (indicator,name,unit,<periods…>,total).
        #[arg(long, default_value = "long")]
        shape: String,
    },
    /// Print every live record of one KIND as CSV in the import format (for spreadsheets,
    /// archives, or moving records to another database with `qcdc import`).
    Export {
        #[arg(long)]
        db: PathBuf,
        kind: String,
    },
    /// Generate realistic history for benchmarks and load tests: WARDS new wards with
    /// YEARS years each (about 1,200 records per ward and year), into a new or
    /// existing database.
    Generate {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = 1)]
        wards: u32,
        #[arg(long, default_value_t = 21)]
        years: u32,
        /// The last generated year.
        #[arg(long, default_value_t = 2018)]
        last_year: i32,
        /// Publicity items per ward and year (the bulk of the records).
        #[arg(long, default_value_t = 900)]
        publicity: u32,
    },
    /// Build the demo database (Ngọc Thụy ward, 1998–2018) from the fixtures and exit.
    Demo {
        #[arg(long)]
        db: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input (one line), never argv.
    Add {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        username: String,
        /// admin, secretary, deputy or viewer.
        #[arg(long)]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Init {
            db,
            ward,
            district,
            province,
        } => {
            init(&db, &ward, district.as_deref(), province.as_deref()).await?;
            println!("Created {} for {ward}.", db.display());
        }
        Command::User {
            command:
                UserCommand::Add {
                    db,
                    username,
                    role,
                    display_name,
                },
        } => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.lines().next().unwrap_or("").to_string();
            add_user(&db, &username, &role, display_name.as_deref(), &password).await?;
            println!("Added user {username} ({role}).");
        }
        Command::Serve {
            db,
            addr,
            demo,
            secure_cookies,
        } => {
            let db = match (db, demo) {
                (Some(db), false) => db,
                (None, false) => PathBuf::from("qcdc.db"),
                (db, true) => {
                    let db = db.unwrap_or_else(|| {
                        std::env::temp_dir().join(format!("qcdc-demo-{}.db", std::process::id()))
                    });
                    let accounts = crate::demo::build(&db).await?;
                    println!(
                        "Demo database {} built from the Ngọc Thụy fixtures.",
                        db.display()
                    );
                    crate::demo::print_accounts(accounts);
                    db
                }
            };
            crate::app::serve(&db, &addr, crate::app::Config { secure_cookies }).await?;
        }
        Command::Backup { db, out } => {
            let store = Store::open_existing(&db).await?;
            store.backup(&out).await?;
            let check = Store::open_existing(&out).await?.integrity_check().await?;
            anyhow::ensure!(check == "ok", "the copy fails its integrity check: {check}");
            println!(
                "Backed up {} to {} (integrity ok).",
                db.display(),
                out.display()
            );
        }
        Command::Import {
            db,
            kind,
            file,
            dry_run,
        } => return import(&db, &kind, &file, dry_run).await,
        Command::Report {
            db,
            from,
            to,
            by,
            shape,
        } => {
            let from = from
                .as_deref()
                .map(|s| parse_date_arg("--from", s))
                .transpose()?;
            let to = to
                .as_deref()
                .map(|s| parse_date_arg("--to", s))
                .transpose()?;
            let grouping = Grouping::parse(&by)
                .ok_or_else(|| anyhow::anyhow!("--by: use year, term, period or total"))?;
            let shape =
                Shape::parse(&shape).ok_or_else(|| anyhow::anyhow!("--shape: use long or wide"))?;
            let store = Store::open_existing(&db).await?;
            let ward = store
                .default_ward()
                .await?
                .ok_or_else(|| anyhow::anyhow!("the database has no ward; run `qcdc init`"))?;
            let report = match crate::reports::build(&store, ward, from, to, grouping).await {
                Ok(r) => r,
                Err(crate::reports::ReportError::Invalid(e)) => anyhow::bail!("{e}"),
                Err(e) => return Err(e.into()),
            };
            let stdout = std::io::stdout();
            crate::reports::write_csv(stdout.lock(), &report, shape, false)?;
        }
        Command::Export { db, kind } => {
            let kind = parse_kind(&kind)?;
            let store = Store::open_existing(&db).await?;
            let ward = store
                .default_ward()
                .await?
                .ok_or_else(|| anyhow::anyhow!("the database has no ward; run `qcdc init`"))?;
            let stdout = std::io::stdout();
            crate::export::write_records(&store, ward, kind, stdout.lock(), false).await?;
            store.close().await;
        }
        Command::Generate {
            db,
            wards,
            years,
            last_year,
            publicity,
        } => {
            anyhow::ensure!(
                (1..=1000).contains(&wards) && (1..=100).contains(&years),
                "--wards 1–1000, --years 1–100"
            );
            let store = Store::open(&db).await?;
            let started = std::time::Instant::now();
            let volume = store::generate::Volume {
                publicity,
                ..Default::default()
            };
            let ids = store.generate(wards, years, last_year, volume).await?;
            store.close().await;
            println!(
                "Generated {} ward(s) × {years} years in {:.1} s (ward ids {}–{}).",
                ids.len(),
                started.elapsed().as_secs_f64(),
                ids.first().map(|w| w.0).unwrap_or(0),
                ids.last().map(|w| w.0).unwrap_or(0)
            );
        }
        Command::Demo { db } => {
            let accounts = crate::demo::build(&db).await?;
            println!(
                "Demo database {} built from the Ngọc Thụy fixtures.",
                db.display()
            );
            crate::demo::print_accounts(accounts);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Creates a new database with its ward. Refuses an existing file, changing nothing.
pub async fn init(
    db: &std::path::Path,
    ward: &str,
    district: Option<&str>,
    province: Option<&str>,
) -> anyhow::Result<Store> {
    let input: Input = [
        ("name", ward),
        ("district", district.unwrap_or("")),
        ("province", province.unwrap_or("")),
    ]
    .into_iter()
    .collect();
    let ward =
        Ward::parse(&input).map_err(|e| anyhow::anyhow!("--ward/--district/--province: {e}"))?;
    anyhow::ensure!(
        !db.exists(),
        "{} already exists; nothing was changed",
        db.display()
    );
    let store = Store::open(db).await?;
    store.init_ward(&Actor::system(), &ward).await?;
    Ok(store)
}

pub async fn add_user(
    db: &std::path::Path,
    username: &str,
    role: &str,
    display_name: Option<&str>,
    password: &str,
) -> anyhow::Result<i64> {
    let role = Role::parse(role).ok_or_else(|| {
        anyhow::anyhow!("--role: unknown role {role:?}; use {}", Role::codes_list())
    })?;
    let username = username.trim();
    anyhow::ensure!(
        valid_username(username),
        "--username: use 3–40 letters, digits, '.', '-' or '_'"
    );
    crate::passwords::check_rules(password, username)
        .map_err(|m| anyhow::anyhow!("password: {m}"))?;
    let store = Store::open_existing(db).await?;
    let hash = crate::passwords::hash(password)?;
    Ok(store
        .create_user(&Actor::system(), username, display_name, role, &hash)
        .await?)
}

pub fn valid_username(u: &str) -> bool {
    (3..=40).contains(&u.chars().count())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn parse_date_arg(flag: &str, s: &str) -> anyhow::Result<chrono::NaiveDate> {
    domain::dates::parse_date(s).map_err(|_| {
        anyhow::anyhow!(
            "{flag}: {s:?} is not a date (use YYYY-MM-DD or dd/mm/yyyy, years 1950–2100)"
        )
    })
}

async fn import(
    db: &std::path::Path,
    kind: &str,
    file: &std::path::Path,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let kind = Kind::parse(kind).ok_or_else(|| {
        let all = Kind::ALL
            .iter()
            .map(|k| k.code())
            .collect::<Vec<_>>()
            .join(", ");
        anyhow::anyhow!("unknown KIND {kind:?}; use one of: {all}")
    })?;
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let store = Store::open_existing(db).await?;
    let ward = store
        .default_ward()
        .await?
        .ok_or_else(|| anyhow::anyhow!("the database has no ward; run `qcdc init`"))?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string());
    match crate::import::run(
        &store,
        ward,
        &Actor::new("cli"),
        kind,
        name.as_deref(),
        &bytes,
        dry_run,
    )
    .await
    {
        Ok(plan) => {
            let years = plan
                .per_year
                .iter()
                .filter(|(y, _)| **y > 0)
                .map(|(y, n)| format!("{y}: {n}"))
                .collect::<Vec<_>>()
                .join(", ");
            let verb = if dry_run { "Would import" } else { "Imported" };
            println!(
                "{verb} {} {} rows{}.",
                plan.rows.len(),
                kind.code(),
                if years.is_empty() {
                    String::new()
                } else {
                    format!(" ({years})")
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(crate::import::ImportError::Rows(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("{} problem(s); nothing was imported.", problems.len());
            Ok(ExitCode::FAILURE)
        }
        Err(crate::import::ImportError::File(m)) => {
            eprintln!("{}: {m}", file.display());
            eprintln!("Nothing was imported.");
            Ok(ExitCode::FAILURE)
        }
        Err(crate::import::ImportError::Internal(e)) => Err(e),
    }
}

fn parse_kind(kind: &str) -> anyhow::Result<Kind> {
    Kind::parse(kind).ok_or_else(|| {
        let all = Kind::ALL
            .iter()
            .map(|k| k.code())
            .collect::<Vec<_>>()
            .join(", ");
        anyhow::anyhow!("unknown KIND {kind:?}; use one of: {all}")
    })
}
