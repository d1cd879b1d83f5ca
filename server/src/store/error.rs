//! The storage layer's own error type: what can go wrong below HTTP. The web edge maps
//! each variant to a status (`http::error`); the command line prints it.

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database refused or failed (I/O, a lost connection, a busy file).
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value does not read back: a hand edit or a bug; names what and why.
    #[error("stored {what} does not read back: {detail}")]
    Corrupt {
        /// The kind of value (`dish`, `date`, `role`).
        what: &'static str,
        /// Why.
        detail: String,
    },
    /// A row that must exist does not (`unit`, `account`, `elder`).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A value that must be unique is taken (`username`, `unit label`).
    #[error("{0} already exists")]
    Exists(&'static str),
    /// A submission id already stored with different content.
    #[error("{0} was already used for a different submission")]
    Conflict(String),
    /// The operating system gave no random bytes.
    #[error("no randomness from the operating system: {0}")]
    Randomness(String),
    /// A file or folder the operation needs is missing or unusable.
    #[error("{0}")]
    Io(String),
    /// A background task (password hashing) failed or was cancelled.
    #[error("background task: {0}")]
    Worker(String),
    /// The secret key file cannot be read, written or parsed.
    #[error(transparent)]
    Key(#[from] crate::audit::KeyError),
}

impl StoreError {
    /// A stored value that does not read back.
    pub fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt {
            what,
            detail: detail.to_string(),
        }
    }

    /// Whether the database cannot be reached just now (down, restarting, the network
    /// to it cut, every connection busy past the wait): worth trying again, not a bug.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Database(
                sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::Io(_)
                    | sqlx::Error::WorkerCrashed
            )
        )
    }

    /// Whether the database refused a row because a unique value is taken.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}
