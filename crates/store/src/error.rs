use std::path::PathBuf;

use domain::FieldErrors;

/// What can go wrong in the store, in terms the web layer can map to a status and a
/// message without knowing SQL: what the user can act on (`NotFound`, `Invalid`,
/// `Conflict`, with Vietnamese messages), and what only the operator or a developer can
/// (`Setup`, `Invariant`, `Database`, `Migration`, in English, with their sources).
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
    /// SQLite failed; the source says why.
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("database error: migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

/// Why the database file cannot be used as asked. English: these reach the operator
/// at the command line, never a web user.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot create folder {}", .path.display())]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("bad database path {}", .path.display())]
    BadPath {
        path: PathBuf,
        #[source]
        source: sqlx::Error,
    },
    #[error("no database at {} (create one with `qcdc init` or `qcdc demo`)", .0.display())]
    NoDatabase(PathBuf),
    #[error("{} already exists; choose a new file", .0.display())]
    FileExists(PathBuf),
    #[error("this database already has a ward; nothing was changed")]
    WardExists,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A row a query had to find and did not is `NotFound`; anything else keeps the
/// sqlx error as the source.
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid(FieldErrors::single(field, message))
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
