use std::path::PathBuf;

use domain::FieldErrors;

/// What can go wrong in the store, in terms the web layer can map to a status and a
/// message without knowing SQL: what the user can act on (`NotFound`, `Invalid`,
/// `Conflict`, with Vietnamese messages), and what only the operator or a developer can
/// (`Setup`, in Vietnamese for the command line; `Invariant`, `Database`, `Migration`, in English for the log, with their sources).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A value the database refuses for a reason the user can fix (an unknown
    /// residential group, a duplicate number...), with Vietnamese field messages.
    #[error("invalid: {0}")]
    Invalid(FieldErrors),
    /// A state that forbids the change the user asked for (the record is already
    /// deleted, the setup link was used...); the message is Vietnamese, shown as is.
    #[error("{0}")]
    Conflict(String),
    /// The database cannot be opened, created or copied as asked; for the operator.
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// Stored data or a call breaks a rule the store relies on (a stored date or code
    /// it cannot read, a record that no longer validates): a bug or a damaged file.
    #[error("database error: {0}")]
    Invariant(String),
    /// The system refused the work (a full disk, a disk I/O error, a database locked
    /// by another program for too long). Nothing was saved. The message is Vietnamese:
    /// it reaches the user on the page and at the command line.
    /// The sqlx error is kept for the log, not shown: the user reads the message only.
    #[error("{}", .0.message())]
    System(Fault, sqlx::Error),
    /// SQLite failed; the source says why.
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("database error: migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

/// Why the database file cannot be used as asked. Vietnamese: these reach the operator
/// at the command line, never a web user.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("không tạo được thư mục {}", .path.display())]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("đường dẫn cơ sở dữ liệu không hợp lệ: {}", .path.display())]
    BadPath {
        path: PathBuf,
        #[source]
        source: sqlx::Error,
    },
    #[error("không có cơ sở dữ liệu tại {} (tạo bằng `qcdc init` hoặc `qcdc demo`)", .0.display())]
    NoDatabase(PathBuf),
    #[error("{} đã có; hãy chọn tên tệp mới", .0.display())]
    FileExists(PathBuf),
    #[error("cơ sở dữ liệu này đã có phường; không thay đổi gì")]
    WardExists,
    /// An operation only a SQLite file has (its PostgreSQL counterpart is the
    /// server's own tool, e.g. `pg_dump`).
    #[error("`{0}` chỉ dùng cho tệp SQLite; với PostgreSQL hãy dùng công cụ của máy chủ (pg_dump) hoặc `qcdc transfer`")]
    NotForPostgres(&'static str),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A row a query had to find and did not is `NotFound`; anything else keeps the
/// sqlx error as the source.
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            other => match fault_of(&other) {
                Some(f) => {
                    if matches!(f, Fault::DiskFull | Fault::Io) {
                        // Seen by `Store::writer_healthy` until a write commits again.
                        crate::writer::WRITE_FAULT
                            .store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                    StoreError::System(f, other)
                }
                None => StoreError::Database(other),
            },
        }
    }
}

/// A failure of the machine rather than of the request or the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// SQLITE_FULL: no space left on the disk (or the database's size limit).
    DiskFull,
    /// SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN: the disk refused a read or write.
    Io,
    /// SQLITE_BUSY, SQLITE_LOCKED: another program held the database past the timeout.
    Busy,
}

impl Fault {
    /// What the user reads: what happened, that nothing was saved, what to do.
    pub fn message(self) -> &'static str {
        match self {
            Fault::DiskFull => "Ổ đĩa đã đầy nên không ghi được dữ liệu; chưa có gì được lưu. Hãy giải phóng dung lượng ổ đĩa (hoặc báo quản trị viên) rồi thử lại.",
            Fault::Io => "Không đọc/ghi được tệp cơ sở dữ liệu trên ổ đĩa; chưa có gì được lưu. Hãy kiểm tra ổ đĩa (hoặc báo quản trị viên) rồi thử lại.",
            Fault::Busy => "Cơ sở dữ liệu đang bận (một chương trình khác đang ghi); chưa có gì được lưu. Hãy thử lại sau ít phút.",
        }
    }
}

/// The system fault behind a database error: from a PostgreSQL SQLSTATE (five
/// characters) or a SQLite (extended) result code.
pub(crate) fn fault_of(e: &sqlx::Error) -> Option<Fault> {
    let code = match e {
        sqlx::Error::Database(d) => d.code()?,
        sqlx::Error::Io(_) => return Some(Fault::Io),
        _ => return None,
    };
    if code.len() == 5 {
        return postgres_fault(&code);
    }
    let code = code.parse::<i64>().ok()?;
    match code & 0xff {
        // SQLITE_IOERR_SHMSIZE: the shared-memory file could not grow, for want of space.
        _ if code == 4874 => Some(Fault::DiskFull),
        13 => Some(Fault::DiskFull),
        10 | 8 | 14 => Some(Fault::Io),
        5 | 6 => Some(Fault::Busy),
        _ => None,
    }
}

/// SQLSTATE classes: 53 insufficient resources (53100 disk full), 58 system error
/// (58030 I/O), 55P03 lock not available, 40001/40P01 serialization and deadlock,
/// 57P0x the server shutting down.
fn postgres_fault(state: &str) -> Option<Fault> {
    match state {
        "53100" => Some(Fault::DiskFull),
        "55P03" | "40001" | "40P01" => Some(Fault::Busy),
        s if s.starts_with("58") || s.starts_with("57P") || s.starts_with("53") => Some(Fault::Io),
        _ => None,
    }
}

impl StoreError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid(FieldErrors::single(field, message))
    }

    /// A refusal of the user's data as a [`StoreError::Conflict`] with its messages,
    /// for a change that has no form to show a field's message on (a delete, an undo).
    pub(crate) fn into_conflict(self) -> Self {
        match self {
            StoreError::Invalid(e) => StoreError::Conflict(
                e.iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            other => other,
        }
    }

    /// A stored date that does not parse.
    pub(crate) fn bad_stored_date(date: &str) -> Self {
        StoreError::Invariant(format!("bad stored date {date}"))
    }
}

/// Is this a unique-constraint violation? Used to turn races past our own checks into
/// field messages rather than internal errors.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
