use domain::FieldErrors;

/// What can go wrong in the store, in terms the web layer can map to a status and a
/// message without knowing SQL.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A value the database refuses for a reason the user can fix (an unknown
    /// residential group, a duplicate number...), with Vietnamese field messages.
    #[error("invalid: {0}")]
    Invalid(FieldErrors),
    /// The database already exists / is not initialised, and similar states.
    #[error("{0}")]
    State(String),
    #[error("database error: {0}")]
    Internal(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            other => StoreError::Internal(other.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Internal(format!("migration failed: {e}"))
    }
}

impl StoreError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid(FieldErrors::single(field, message))
    }
}

/// Is this a unique-constraint violation? Used to turn races past our own checks into
/// field messages rather than internal errors.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
