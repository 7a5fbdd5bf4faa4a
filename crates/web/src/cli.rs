//! The command line of DESIGN §4. Each subcommand prints what it did, or a clear
//! error naming what was wrong, and exits non-zero on failure having changed nothing.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use domain::ward::Ward;
use domain::{Code, Input, Role};
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
        #[arg(long, default_value = "qcdc.db")]
        db: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
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
            secure_cookies,
        } => {
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
