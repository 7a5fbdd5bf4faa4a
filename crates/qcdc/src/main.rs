//! `qcdc`, the command line (documented in `docs/CLI.md`). Each subcommand is one
//! function in [`commands`] that calls the `app` crate (or `web` to serve), prints what
//! it did or a clear error naming what was wrong, and exits non-zero on failure having
//! changed nothing.

mod commands;

/// mimalloc instead of the system allocator: a page or a report allocates many small
/// strings and rows on one thread and frees them on another (the database driver's
/// worker threads, tokio's); glibc's malloc spent a tenth of a list page's time there
/// (docs/PERFORMANCE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;

use std::process::ExitCode;
use store::Location;

use clap::{Parser, Subcommand};

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
        db: Location,
        /// The ward's name, e.g. "Phường Ngọc Thụy".
        #[arg(long)]
        ward: String,
        /// The ward's code (letters, digits, '-'; e.g. its administrative-unit code);
        /// made from the name when absent ("Phường Ngọc Thụy" gives ngoc-thuy).
        #[arg(long)]
        code: Option<String>,
        #[arg(long)]
        district: Option<String>,
        #[arg(long)]
        province: Option<String>,
    },
    /// The wards of a database (a city's server holds several).
    Ward {
        #[command(subcommand)]
        command: WardCommand,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Serve the web application (creates and migrates the database on first start).
    Serve {
        /// The database: a SQLite file or a postgres:// URL [default: qcdc.db; with --demo,
        /// a new file in the temp folder].
        #[arg(long)]
        db: Option<Location>,
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
        db: Location,
        out: PathBuf,
    },
    /// Import a CSV file of one KIND: all rows or none. Problems are printed as
    /// `row N, column C: reason` on stderr, with exit status 1. A file imported before
    /// is refused unless `--again`; `qcdc import history` lists the imports and
    /// `qcdc import undo ID` undoes one.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Import {
        #[command(subcommand)]
        action: Option<ImportAction>,
        #[arg(long)]
        db: Option<Location>,
        /// The ward's code, when the database holds more than one.
        #[arg(long)]
        ward: Option<String>,
        /// residential_groups, party_cells, committee_members, conferences, publicity,
        /// dialogues, opinions, documents, inspections, commendations, hot_spots.
        #[arg(required = true)]
        kind: Option<String>,
        #[arg(required = true)]
        file: Option<PathBuf>,
        /// Check every row and print what would be stored, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the file even if the same file was imported before.
        #[arg(long)]
        again: bool,
    },
    /// Print the summary report as CSV on stdout (code headers by default; with
    /// `--headers vi`, the web download without its BOM).
    Report {
        #[arg(long)]
        db: Location,
        /// The ward's code, when the database holds more than one.
        #[arg(long)]
        ward: Option<String>,
        /// The city roll-up instead of one ward: `all` or codes separated by commas.
        /// Prints `ward,indicator,name,unit,period,value` (wide: `ward,indicator,name,
        /// unit,<periods…>,total`): each ward's rows, then the city's with ward `total`.
        #[arg(long, conflicts_with = "ward")]
        wards: Option<String>,
        /// Also count the former wards that passed into the ward only in part (noted in
        /// the CSV's `note` column).
        #[arg(long, conflicts_with = "wards")]
        include_part: bool,
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
        /// codes (indicator,name,unit,…,total: for scripts) or vi (Mã chỉ tiêu,Chỉ tiêu,Đơn vị,…,Tổng cộng).
        #[arg(long, default_value = "codes")]
        headers: String,
    },
    /// Print every live record of one KIND as CSV in the import format (for spreadsheets,
    /// archives, or moving records to another database with `qcdc import`).
    Export {
        #[arg(long)]
        db: Location,
        /// The ward's code, when the database holds more than one.
        #[arg(long)]
        ward: Option<String>,
        kind: String,
    },
    /// Generate realistic history for benchmarks and load tests: WARDS new wards with
    /// YEARS years each (about 1,200 records per ward and year), into a new or
    /// existing database.
    Generate {
        #[arg(long)]
        db: Location,
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
        db: Location,
        /// A city: Ngọc Thụy plus generated wards, a city viewer and each ward's secretary.
        #[arg(long)]
        city: bool,
    },
    /// Submitted periods: a period's report frozen as it was sent up (its records locked
    /// until it is reopened with a reason).
    Period {
        #[command(subcommand)]
        command: PeriodCommand,
    },
    /// Copy wards with everything they own (registers, records, opinions, accounts,
    /// audit log, review drafts, imports) from one database to another, SQLite or
    /// PostgreSQL either way: all or nothing. The target is created if it is a new
    /// SQLite file; a ward code or account name already in the target is refused.
    Transfer {
        /// The source database (a SQLite file or a postgres:// URL); not changed.
        #[arg(long)]
        from: Location,
        /// The target database (a SQLite file, created if missing, or a postgres:// URL).
        #[arg(long)]
        to: Location,
        /// The code of a ward to copy (repeatable); every ward of the source when absent.
        #[arg(long = "ward", value_name = "CODE")]
        wards: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportAction {
    /// Print the ward's imports as CSV: id,kind,file_name,rows,live,at,actor,undone_at,undone_by.
    History {
        #[arg(long)]
        db: Location,
        /// The ward's code, when the database holds more than one.
        #[arg(long)]
        ward: Option<String>,
    },
    /// Undo import ID: its records still live are deleted (soft, each restorable), in
    /// one transaction with its audit entry.
    Undo {
        #[arg(long)]
        db: Location,
        /// The ward's code, when the database holds more than one.
        #[arg(long)]
        ward: Option<String>,
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum PeriodCommand {
    /// Submit the report of FROM–TO: its figures (the long summary CSV by year) are kept
    /// as they are now, and records dated inside the range are locked. Refused when the
    /// range overlaps a period still submitted.
    Submit {
        #[arg(long)]
        db: Location,
        /// The ward's code, when the database holds more than one.
        #[arg(long)]
        ward: Option<String>,
        /// First day (YYYY-MM-DD or dd/mm/yyyy).
        #[arg(long)]
        from: String,
        /// Last day, inclusive.
        #[arg(long)]
        to: String,
    },
    /// Print the ward's submissions as CSV: id,from,to,submitted_at,submitted_by,status.
    List {
        #[arg(long)]
        db: Location,
        /// The ward's code, when the database holds more than one.
        #[arg(long)]
        ward: Option<String>,
    },
    /// Print submission ID's snapshot as stored (the long summary CSV).
    Show {
        #[arg(long)]
        db: Location,
        /// The ward's code (the submission's own ward when absent).
        #[arg(long)]
        ward: Option<String>,
        id: i64,
    },
    /// Reopen submission ID with a reason: its records may change again.
    Reopen {
        #[arg(long)]
        db: Location,
        /// The ward's code (the submission's own ward when absent).
        #[arg(long)]
        ward: Option<String>,
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum WardCommand {
    /// Add a ward to the database.
    Add {
        #[arg(long)]
        db: Location,
        /// Letters, digits and '-', e.g. the administrative-unit code or a slug.
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        district: Option<String>,
        #[arg(long)]
        province: Option<String>,
    },
    /// Print the wards as CSV: code,name,from,until,successor,share.
    List {
        #[arg(long)]
        db: Location,
    },
    /// Record a merger: the wards FROM pass into INTO on ON (each ends the day before),
    /// wholly or, with `:part`, in part. INTO is created (with --name) when its code is new.
    Merge {
        #[arg(long)]
        db: Location,
        /// The successor's code (an existing ward, or a new one with --name).
        #[arg(long)]
        into: String,
        /// The new ward's name.
        #[arg(long)]
        name: Option<String>,
        /// The first day of the successor (YYYY-MM-DD or dd/mm/yyyy).
        #[arg(long)]
        on: String,
        /// Former wards: CODE[:part],CODE…
        #[arg(long)]
        from: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input (one line), never argv.
    Add {
        #[arg(long)]
        db: Location,
        /// The account's ward (a ward role), when the database holds more than one.
        #[arg(long)]
        ward: Option<String>,
        #[arg(long)]
        username: String,
        /// admin, secretary, deputy or viewer (of one ward); city_admin or city_viewer
        /// (of every ward, without --ward).
        #[arg(long)]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("lỗi: không khởi động được: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}
