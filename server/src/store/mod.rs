//! Storage behind the server: households, devices, staff accounts and sessions,
//! submissions and their status events, and the keyed audit log. The `Store` methods
//! are the interface; they return [`StoreError`] and know nothing of HTTP.
//!
//! Two engines behind one interface (issue 11): a SQLite file by default, PostgreSQL
//! (`--db postgres://…`) for several server instances on one database. Queries go
//! through sqlx's `Any` driver and are written in the SQL both accept (`$n` binds,
//! `RETURNING`, `ON CONFLICT`, integer milliseconds, text ids, `CAST(SUM(…) AS
//! BIGINT)`); the engine shows only here — connecting, migrations (`migrations/sqlite`
//! and `migrations/postgres`, each applied once by `sqlx::migrate!`), the write lock,
//! SQLite's WAL and backups.
//!
//! Writes run through [`Store::write_tx`], one at a time per deployment: SQLite allows
//! one writer, and on PostgreSQL every write transaction takes the audit chain's
//! advisory lock first, so all server processes append to one chain in commit order
//! and every check-then-write (a submission stored once, a code used once, portions
//! not oversold) sees what the transaction before it committed. A submission, its
//! effects and its audit entry commit together or not at all.

mod accounts;
mod audit_log;
mod config;
mod error;
mod migrate;
mod notices;
mod privacy;
mod submissions;
mod units;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use tokio::sync::Mutex;

pub use accounts::{
    Account, NewAccount, SessionRow, SessionStage, TotpState, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS,
};
pub use config::{Asset, ConfigVersion, Published};
pub use error::StoreError;
pub use migrate::{latest_version, POSTGRES as POSTGRES_MIGRATIONS};
pub use privacy::{erase_household, HouseholdRecord, ERASED_PAYLOAD};
pub use submissions::{
    add_event, digest as submission_digest, insert as insert_submission, new_ack, Stored,
    StoredSubmission, SubmissionRow, UpdateRow, UPDATES_PAGE,
};
pub use units::{
    normalise_code, readable_code, take_code, unit_label, DeviceRow, UnitRow, CODE_VALID_MS,
};

use crate::audit::ServerKey;

/// The database as the server sees it, whichever engine is underneath. One name for
/// the database, its connection and its rows, so the rest of the server (and every
/// scenario) is written against these.
pub type Db = sqlx::Any;
/// A connection (inside a transaction or from the pool).
pub type Conn = sqlx::AnyConnection;
/// A fetched row.
pub type DbRow = sqlx::any::AnyRow;
/// The connection pool.
pub type Pool = sqlx::AnyPool;

/// The database engine under a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// One SQLite file: one sub-district, one server process.
    Sqlite,
    /// A PostgreSQL database that several server instances share.
    Postgres,
}

/// Where the database is: what `--db` and `LINLI_DB` name. Shown (`Display` and
/// `Debug` alike) without any password.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file (`linli.sqlite3`, or `sqlite:FILE`).
    File(PathBuf),
    /// A PostgreSQL connection URL (`postgres://USER[:PASSWORD]@HOST:PORT/DB`).
    Postgres(String),
}

impl Location {
    /// Reads `--db`: a `postgres://` or `postgresql://` URL, else a SQLite file, written
    /// as a path or as `sqlite:FILE` / `sqlite://FILE`.
    pub fn parse(text: &str) -> Location {
        let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Location::Postgres(text.to_owned());
        }
        let file = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
            .unwrap_or(text);
        Location::File(PathBuf::from(file))
    }

    /// The engine this location is for.
    pub fn engine(&self) -> Engine {
        match self {
            Location::File(_) => Engine::Sqlite,
            Location::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite file, if it is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }
}

/// For messages and logs: the file, or the URL with any password replaced by `***`. A
/// "file" that looks like a mistyped connection string (`postgres:user:pw@host`,
/// `host=… password=…`) is not shown: a password may be in it.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) if looks_like_a_connection(&path.to_string_lossy()) => f
                .write_str(
                    "(a database address not shown: it is neither a file nor a postgres:// URL)",
                ),
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

/// `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***`;
/// a URL that does not parse is not shown at all (a password could be anywhere in it).
fn without_password(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        return "postgres://(the address is not shown: it does not parse as a URL)".into();
    };
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    let hidden: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let secret = matches!(k.as_ref(), "password" | "sslpassword");
            (
                k.into_owned(),
                if secret { "***".into() } else { v.into_owned() },
            )
        })
        .collect();
    if !hidden.is_empty() {
        url.query_pairs_mut().clear().extend_pairs(hidden);
    }
    url.to_string()
}

/// Whether `text`, given as a file, reads like a connection string instead.
fn looks_like_a_connection(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("postgres")
        || lower.contains("://")
        || lower.contains("password")
        || (lower.contains('@') && lower.contains(':'))
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(_) => write!(f, "File({:?})", self.to_string()),
            Location::Postgres(url) => write!(f, "Postgres({:?})", without_password(url)),
        }
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Location {
        Location::File(path.to_owned())
    }
}

impl From<&PathBuf> for Location {
    fn from(path: &PathBuf) -> Location {
        Location::File(path.clone())
    }
}

impl From<PathBuf> for Location {
    fn from(path: PathBuf) -> Location {
        Location::File(path)
    }
}

impl From<&Location> for Location {
    fn from(at: &Location) -> Location {
        at.clone()
    }
}

/// The advisory lock every PostgreSQL write transaction takes first (held to its
/// commit): the audit chain's head, one per database ("linli" in ASCII).
const CHAIN_LOCK: i64 = 0x6c_69_6e_6c_69;
/// The advisory lock of the guessing limits' counts ("limit" in ASCII).
const LIMITS_LOCK: i64 = 0x6c_69_6d_69_74;

/// The database, with the key its audit chain is written under.
pub struct Store {
    pool: Pool,
    write: Mutex<()>,
    key: Arc<ServerKey>,
    at: Location,
    /// Background retries of [`Store::truncate_wal`].
    truncating: Arc<WalRetry>,
}

/// The state of background WAL truncation: whether a task is retrying, and how many
/// truncations were asked for (a task stops only after one that began after the last
/// request succeeded).
#[derive(Default)]
struct WalRetry {
    running: std::sync::atomic::AtomicBool,
    asked: std::sync::atomic::AtomicU64,
}

/// How often a WAL truncation that found readers in the way is tried again (ms), and
/// for how long at most (ms).
const WAL_RETRY_MS: u64 = 2_000;
const WAL_RETRY_FOR_MS: u64 = 60 * 60 * 1000;

/// Who did something, for the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// A staff username, `unit:<id>`, or `system`.
    pub name: String,
    /// Their role (`admin`, `resident`, `system`, …).
    pub role: String,
}

impl Actor {
    /// The server itself (seeding, the command line).
    pub fn system() -> Actor {
        Actor {
            name: "system".into(),
            role: "system".into(),
        }
    }

    /// A staff member.
    pub fn staff(username: &str, role: linli_core::Role) -> Actor {
        Actor {
            name: username.to_owned(),
            role: role.id().into(),
        }
    }

    /// A resident device bound to a unit.
    pub fn unit(unit_id: i64) -> Actor {
        Actor {
            name: format!("unit:{unit_id}"),
            role: "resident".into(),
        }
    }
}

/// One write transaction: the connection, and the audit chain to append to. Commits
/// only through [`Store::write_tx`].
pub struct Tx {
    tx: sqlx::Transaction<'static, Db>,
    key: Arc<ServerKey>,
    removes_personal_data: bool,
    /// Whether the transaction holds the audit chain's lock ([`Store::write_tx`]).
    chained: bool,
}

impl Tx {
    /// The connection, for queries inside the transaction.
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }

    /// Says that this transaction removes personal data (erasure, consent withdrawn):
    /// after it commits, the write-ahead log is checkpointed and truncated, so the old
    /// values leave the disk with it (freed pages are zeroed: `secure_delete`).
    pub fn removes_personal_data(&mut self) {
        self.removes_personal_data = true;
    }

    /// Records that the import `name` (`config.json`, `config.notices`) is done;
    /// answers whether this was the first time (the `imports` row is the database's
    /// word, whichever server process comes first).
    pub async fn first_import(&mut self, name: &str, now: i64) -> Result<bool, StoreError> {
        let added = sqlx::query(
            "INSERT INTO imports (name, at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(now)
        .execute(self.conn())
        .await?
        .rows_affected();
        Ok(added == 1)
    }

    /// Appends one entry to the audit log, chained and keyed, in this transaction.
    /// `subject` names what was acted on (an id, a label); never personal or health
    /// data.
    pub async fn audit(
        &mut self,
        now: i64,
        by: &Actor,
        action: &str,
        subject: &str,
    ) -> Result<(), StoreError> {
        if !self.chained {
            return Err(StoreError::Io(
                "an audit entry in a transaction without the audit chain's lock (a bug)".into(),
            ));
        }
        audit_log::append(&mut self.tx, &self.key, now, by, action, subject).await
    }
}

/// One `wal_checkpoint(TRUNCATE)` on a SQLite connection of its own that does not
/// wait for locks: `true` when the WAL was emptied.
async fn truncate_wal_once(path: &Path) -> Result<bool, StoreError> {
    use sqlx::Connection;
    let options = SqliteConnectOptions::new()
        .filename(path)
        .busy_timeout(Duration::ZERO);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
    let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(&mut conn)
        .await?;
    let busy: i64 = sqlx::Row::try_get(&row, 0)?;
    conn.close().await?;
    Ok(busy == 0)
}

/// The default key file for a database: beside it, named `<file>.key`.
pub fn default_key_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

/// What every SQLite connection sets when it opens.
const SQLITE_PRAGMAS: &str = "\
    PRAGMA busy_timeout = 30000;
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON;
    -- Deleted and overwritten content is zeroed on disk, not left in free pages: an
    -- erased note must not be readable from the file.
    PRAGMA secure_delete = ON;
    -- When a checkpoint resets the write-ahead log, it is cut back to 4 MiB: a long
    -- read once let it grow does not leave it large. (Cutting it to nothing each time
    -- cost a fifth of the write throughput; what erasure removes is truncated
    -- explicitly, see `truncate_wal`.)
    PRAGMA journal_size_limit = 4194304;";

/// The connection URL of a SQLite file for the `Any` driver (`mode` is `rwc`, `rw` or
/// `ro`); `%`, `?` and `#` in the path are escaped, as SQLite's URI rules need.
fn sqlite_url(path: &Path, mode: &str) -> Result<String, StoreError> {
    let text = path
        .to_str()
        .ok_or_else(|| StoreError::Io(format!("{}: not a UTF-8 path", path.display())))?;
    let escaped = text
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    Ok(format!("sqlite://{escaped}?mode={mode}"))
}

/// A pool on `at`. A SQLite file is made when `create` (and is then readable by its
/// owner only) and gets [`SQLITE_PRAGMAS`] on every connection; `read_only` opens the
/// file read-only, or makes PostgreSQL's transactions read-only.
async fn connect(at: &Location, create: bool, read_only: bool) -> Result<Pool, StoreError> {
    sqlx::any::install_default_drivers();
    match at {
        Location::File(path) => {
            let mode = match (read_only, create) {
                (true, _) => "ro",
                (false, true) => "rwc",
                (false, false) => "rw",
            };
            // A read-only connection sets no journal mode: that is a write, and a copy
            // made by `backup` is not in WAL mode.
            let pragmas = if read_only {
                "PRAGMA busy_timeout = 30000;"
            } else {
                SQLITE_PRAGMAS
            };
            let pool = AnyPoolOptions::new()
                .max_connections(if read_only { 2 } else { 8 })
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        sqlx::Executor::execute(conn, pragmas).await?;
                        Ok(())
                    })
                })
                .connect(&sqlite_url(path, mode)?)
                .await?;
            if create {
                owner_only(path);
            }
            Ok(pool)
        }
        Location::Postgres(url) => {
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                // A database out of reach is answered 503 in seconds, not after the
                // request's whole time (sqlx waits 30 s by default).
                .acquire_timeout(Duration::from_secs(5))
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        // A server that stalls inside a transaction (frozen, cut off)
                        // would hold the chain's lock, and every instance's writes,
                        // until TCP noticed; PostgreSQL ends such a session instead.
                        sqlx::Executor::execute(
                            &mut *conn,
                            "SET idle_in_transaction_session_timeout = '30s'",
                        )
                        .await?;
                        if read_only {
                            sqlx::Executor::execute(conn, "SET default_transaction_read_only = on")
                                .await?;
                        }
                        Ok(())
                    })
                })
                .connect(url)
                .await?;
            Ok(pool)
        }
    }
}

/// Refuses a key file that is not the one the database is written with (its
/// fingerprint in `server_key`); the first server to open a database records its key's
/// (when `record`; a read-only check never writes, and a database from before the
/// table has none to compare).
async fn check_key(
    pool: &Pool,
    key: &ServerKey,
    key_path: &Path,
    record: bool,
) -> Result<(), StoreError> {
    let mine = key.fingerprint();
    if record {
        sqlx::query(
            "INSERT INTO server_key (id, fingerprint) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&mine)
        .execute(pool)
        .await?;
    }
    let recorded: Option<String> =
        match sqlx::query_scalar("SELECT fingerprint FROM server_key WHERE id = 1")
            .fetch_optional(pool)
            .await
        {
            Ok(found) => found,
            // A read-only check of a database from before the table.
            Err(_) if !record => None,
            Err(e) => return Err(e.into()),
        };
    match recorded {
        Some(theirs) if theirs != mine => Err(StoreError::Key(crate::audit::KeyError {
            path: key_path.display().to_string(),
            detail: format!(
                "is not the key this database is written with (the database's key has \
                 fingerprint {theirs}, this file {mine}): use the same key file on every \
                 server of a database — copy it from the first (DEPLOY.md, section 9)"
            ),
        })),
        _ => Ok(()),
    }
}

/// Logs a PostgreSQL database whose text order is a language's rather than by code
/// point: lists (buildings, units, staff) then sort differently from SQLite's. Not an
/// error; DEPLOY.md says to create the database with `LC_COLLATE 'C.UTF-8'`.
async fn note_collation(pool: &Pool) -> Result<(), StoreError> {
    let (collate, provider): (String, String) = sqlx::query_as(
        "SELECT CAST(datcollate AS TEXT), CAST(datlocprovider AS TEXT) FROM pg_database \
         WHERE datname = current_database()",
    )
    .fetch_one(pool)
    .await?;
    // An ICU database ('i') orders by its ICU locale whatever datcollate says.
    let by_code_point =
        provider == "c" && matches!(collate.as_str(), "C" | "POSIX" | "C.UTF-8" | "C.utf8");
    if !by_code_point {
        crate::log::event(
            "postgres_collation",
            &[
                ("collate", &collate),
                (
                    "effect",
                    "lists sort by this locale, not by code point as on SQLite (DEPLOY.md, section 9)",
                ),
            ],
        );
    }
    Ok(())
}

/// Personal data: the database, its WAL files and backups are readable by the
/// server's user only.
#[cfg(unix)]
fn owner_only(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut files = vec![path.to_owned()];
    for suffix in ["-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    for f in files {
        let _ = std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600));
    }
}

#[cfg(not(unix))]
fn owner_only(_: &Path) {}

impl Store {
    /// Opens the database at `at` (a SQLite file is created if missing), brings its
    /// schema up to date, and reads the key file at `key_path`. A key file is made only
    /// for a new database, and before its tables, so a key that cannot be written leaves
    /// the database still new. For an existing database without its key, opening is
    /// refused before anything is migrated, since whoever removed the key could have
    /// rewritten or emptied the log (restore the key file; a first-release database,
    /// which never had one, starts it with [`Store::start_key`], once, on purpose).
    /// Several server processes may open one PostgreSQL database at once: its
    /// migrations run under sqlx's migration lock.
    pub async fn open(at: impl Into<Location>, key_path: &Path) -> Result<Store, StoreError> {
        let at = at.into();
        let pool = connect(&at, true, false).await?;
        let engine = at.engine();
        let key = if key_path.exists() {
            ServerKey::load(key_path)?
        } else if migrate::is_empty(&pool, engine).await? {
            let key = ServerKey::new_random(key_path, 1)?;
            key.save()?;
            key
        } else {
            let detail = if migrate::is_first_release(&pool, engine).await? {
                "missing. This database is from the first release, which had none: start its \
                 key once with `linli-server audit start-key --head SEQ:HASH` (or `--no-head`; \
                 DEPLOY.md, section 8)"
            } else {
                "missing, and the database is not new: restore the key file (DEPLOY.md, \
                 section 2). A new key is never made for an existing database, whose log \
                 could have been rewritten by whoever removed the key"
            };
            return Err(StoreError::Key(crate::audit::KeyError {
                path: key_path.display().to_string(),
                detail: detail.into(),
            }));
        };
        migrate::run(&pool, engine).await?;
        if engine == Engine::Postgres {
            note_collation(&pool).await?;
        }
        check_key(&pool, &key, key_path, true).await?;
        Ok(Store::with_key(pool, key, at))
    }

    /// Starts the key file of a first-release database, whose log is plain SHA-256. The
    /// log is verified first, as it stands (against `published`, the head the
    /// sub-district published then, when it has one), and nothing is changed if it does
    /// not verify; then the schema is brought up to date, a new key is written to
    /// `key_path` with entries keyed from the next seq, and an entry
    /// `audit.key_started` is the first keyed one. Refused when the key file exists or
    /// the database is not from the first release (then its key file is missing, not
    /// new); the first release ran on SQLite only. `now` is the entry's time (ms).
    pub async fn start_key(
        path: &Path,
        key_path: &Path,
        published: Option<&crate::audit::Head>,
        now: i64,
    ) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::NotFound("database file (check --db)"));
        }
        if key_path.exists() {
            return Err(StoreError::Exists("key file"));
        }
        let refuse = |detail: String| {
            StoreError::Key(crate::audit::KeyError {
                path: key_path.display().to_string(),
                detail,
            })
        };
        let at = Location::from(path);
        let pool = connect(&at, false, false).await?;
        if !migrate::is_first_release(&pool, Engine::Sqlite).await? {
            return Err(refuse(
                "the database is not from the first release: its key file is missing, not \
                 new; restore it (DEPLOY.md, section 2)"
                    .into(),
            ));
        }
        let entries = audit_log::entries_before_migrating(&pool).await?;
        let next = entries.last().map_or(1, |e| e.seq + 1);
        let key = ServerKey::new_random(key_path, next)?;
        if let Err(broken) = crate::audit::verify(&entries, &key, published) {
            return Err(refuse(format!(
                "the first release's audit log does not verify at entry {}: {}; nothing \
                 was changed",
                broken.seq, broken.reason
            )));
        }
        migrate::run(&pool, Engine::Sqlite).await?;
        key.save()?;
        let store = Store::with_key(pool, key, at);
        let noted = store
            .write_tx(async |tx| {
                let subject = format!("keyed_from:{next}");
                tx.audit(now, &Actor::system(), "audit.key_started", &subject)
                    .await
            })
            .await;
        if let Err(e) = noted {
            return Err(refuse(format!(
                "the key file was made and the database brought up to date, but the entry \
                 audit.key_started could not be written ({e}); the server starts as usual"
            )));
        }
        Ok(store)
    }

    fn with_key(pool: Pool, key: ServerKey, at: Location) -> Store {
        Store {
            pool,
            write: Mutex::new(()),
            key: Arc::new(key),
            at,
            truncating: Arc::default(),
        }
    }

    /// Opens (and migrates) a database that must exist already: commands that manage
    /// a running sub-district never make a new, empty one by mistake (a wrong `--db`).
    /// A PostgreSQL database must hold linli's tables.
    pub async fn open_existing(
        at: impl Into<Location>,
        key_path: &Path,
    ) -> Result<Store, StoreError> {
        let at = at.into();
        match &at {
            Location::File(path) if !path.is_file() => {
                Err(StoreError::NotFound("database file (check --db)"))
            }
            Location::Postgres(_) => {
                let pool = connect(&at, false, false).await?;
                let empty = migrate::is_empty(&pool, Engine::Postgres).await;
                pool.close().await;
                if empty? {
                    return Err(StoreError::NotFound(
                        "linli database (no tables at that URL; check --db)",
                    ));
                }
                Store::open(at, key_path).await
            }
            Location::File(_) => Store::open(at, key_path).await,
        }
    }

    /// Opens an existing database read-only, for checks: never creates or migrates
    /// anything, and fails when the SQLite file does not exist (on PostgreSQL, every
    /// transaction is read-only).
    pub async fn open_read_only(
        at: impl Into<Location>,
        key: ServerKey,
    ) -> Result<Store, StoreError> {
        let at = at.into();
        if let Location::File(path) = &at {
            if !path.is_file() {
                return Err(StoreError::NotFound("database file"));
            }
        }
        let pool = connect(&at, false, true).await?;
        if at.engine() == Engine::Postgres && migrate::is_empty(&pool, Engine::Postgres).await? {
            return Err(StoreError::NotFound(
                "linli database (no tables at that URL; check --db)",
            ));
        }
        let path = key.path.clone();
        check_key(&pool, &key, &path, false).await?;
        Ok(Store::with_key(pool, key, at))
    }

    /// Runs `work` in one transaction while holding the write lock, and ends the
    /// transaction — commit on `Ok`, rollback on `Err` — before the lock is released.
    /// A transaction merely dropped on an error rolls back only when its connection is
    /// next used, keeping SQLite's write lock meanwhile, and the next writer then fails
    /// with "database is locked" (seen when a refused meal order was followed by another).
    ///
    /// The lock is this process's, and on PostgreSQL also the database's: the
    /// transaction first takes the advisory lock [`CHAIN_LOCK`], held until it ends,
    /// so writers in every server process on the database take turns, and each reads
    /// what the one before committed (PostgreSQL's READ COMMITTED snapshot is per
    /// statement).
    pub async fn write_tx<T, E: From<StoreError>>(
        &self,
        work: impl AsyncFnOnce(&mut Tx) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(CHAIN_LOCK, true, work).await
    }

    /// A write transaction for the guessing limits' counts (`limit_slots`), as
    /// [`Store::write_tx`] but on PostgreSQL under a lock of its own ([`LIMITS_LOCK`])
    /// and not this process's write lock: attempts to guess a code or a password never
    /// queue up the deployment's submissions, in this process or another. (SQLite has
    /// one writer whatever is written: the same lock as every write.) Nothing in it may
    /// be audited.
    pub async fn limits_tx<T, E: From<StoreError>>(
        &self,
        work: impl AsyncFnOnce(&mut Tx) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(LIMITS_LOCK, false, work).await
    }

    /// One transaction: this process's write lock (always on SQLite; on PostgreSQL
    /// when `in_process`), then on PostgreSQL the advisory lock `lock`, then `work`.
    async fn transaction<T, E: From<StoreError>>(
        &self,
        lock: i64,
        in_process: bool,
        work: impl AsyncFnOnce(&mut Tx) -> Result<T, E>,
    ) -> Result<T, E> {
        let postgres = self.at.engine() == Engine::Postgres;
        let guard = if in_process || !postgres {
            Some(self.write.lock().await)
        } else {
            None
        };
        let mut tx = self.pool.begin().await.map_err(StoreError::from)?;
        if postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(lock)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
        }
        let mut tx = Tx {
            tx,
            key: self.key.clone(),
            removes_personal_data: false,
            chained: lock == CHAIN_LOCK,
        };
        match work(&mut tx).await {
            Ok(value) => {
                let forget = tx.removes_personal_data;
                tx.tx.commit().await.map_err(StoreError::from)?;
                drop(guard);
                if let (true, Some(path)) = (forget, self.at.file()) {
                    self.truncate_wal(path).await;
                }
                Ok(value)
            }
            Err(e) => {
                tx.tx.rollback().await.map_err(StoreError::from)?;
                Err(e)
            }
        }
    }

    /// Copies the write-ahead log into the database and empties it, so content just
    /// removed is not left in old WAL frames; after the write lock is released, and
    /// without waiting: a checkpoint that waited for readers would hold up every writer
    /// meanwhile. When a reader is still on an older snapshot (a backup, an operator's
    /// `sqlite3`), it is tried again in the background every [`WAL_RETRY_MS`] for up to
    /// an hour, and the log says how it ended. The data is already gone from the tables.
    async fn truncate_wal(&self, path: &Path) {
        use std::sync::atomic::Ordering::SeqCst;
        self.truncating.asked.fetch_add(1, SeqCst);
        match truncate_wal_once(path).await {
            Ok(true) => return,
            Ok(false) => {}
            Err(e) => crate::log::event("wal_checkpoint_failed", &[("error", &e.to_string())]),
        }
        if self.truncating.running.swap(true, SeqCst) {
            // The running task sees this request in `asked` and does not stop before a
            // truncation that began after it.
            return;
        }
        crate::log::event(
            "wal_checkpoint_busy",
            &[("retry_ms", &WAL_RETRY_MS.to_string())],
        );
        let (path, retry) = (path.to_owned(), self.truncating.clone());
        tokio::spawn(async move {
            let mut waited = 0;
            let done = loop {
                tokio::time::sleep(Duration::from_millis(WAL_RETRY_MS)).await;
                waited += WAL_RETRY_MS;
                let asked = retry.asked.load(SeqCst);
                if matches!(truncate_wal_once(&path).await, Ok(true))
                    && retry.asked.load(SeqCst) == asked
                {
                    retry.running.store(false, SeqCst);
                    // A request between the check and the store found the task still
                    // running and left it to us: take it back, unless a new task has.
                    if retry.asked.load(SeqCst) == asked || retry.running.swap(true, SeqCst) {
                        break true;
                    }
                    continue;
                }
                if waited >= WAL_RETRY_FOR_MS {
                    retry.running.store(false, SeqCst);
                    break false;
                }
            };
            let event = if done {
                "wal_checkpoint_done"
            } else {
                "wal_checkpoint_gave_up"
            };
            crate::log::event(event, &[("waited_ms", &waited.to_string())]);
        });
    }

    /// Closes every connection (the WAL is checkpointed and removed by the last one):
    /// at shutdown, so nothing is left for the next start to replay.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A connection from the pool, for reads that take several queries.
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<Db>, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    /// The key the audit chain is written under.
    pub fn key(&self) -> &ServerKey {
        &self.key
    }

    /// A consistent copy of the whole database at `to`, taken while the server runs
    /// (SQLite's `VACUUM INTO`); refuses to overwrite a file. The file is made empty
    /// and readable by its owner only before anything is copied into it (`VACUUM INTO`
    /// accepts an empty file), so no one else can open it while it fills. A
    /// PostgreSQL database is backed up with `pg_dump` instead (refused here, saying so).
    pub async fn backup(&self, to: &Path) -> Result<(), StoreError> {
        if self.at.engine() == Engine::Postgres {
            return Err(StoreError::Io(
                "a PostgreSQL database is backed up with pg_dump, with the audit head beside \
                 it (DEPLOY.md, section 9)"
                    .into(),
            ));
        }
        if let Some(dir) = to
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
        {
            return Err(StoreError::Io(format!(
                "the folder {} does not exist",
                dir.display()
            )));
        }
        let target = to
            .to_str()
            .ok_or(StoreError::NotFound("UTF-8 backup path"))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(to) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(StoreError::Exists("backup file"))
            }
            Err(e) => return Err(StoreError::Io(format!("{}: {e}", to.display()))),
        }
        let copied = sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await;
        if let Err(e) = copied {
            let _ = std::fs::remove_file(to);
            return Err(e.into());
        }
        owner_only(to);
        Ok(())
    }

    /// One round trip to the database (`SELECT 1`): whether it answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The names of linli's tables (not the engine's or the migration record), sorted.
    pub async fn tables(&self) -> Result<Vec<String>, StoreError> {
        let sql = match self.engine() {
            Engine::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name"
            }
            Engine::Postgres => {
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> '_sqlx_migrations' ORDER BY table_name"
            }
        };
        Ok(sqlx::query_scalar(sql).fetch_all(&self.pool).await?)
    }

    /// Where the database is.
    pub fn location(&self) -> &Location {
        &self.at
    }

    /// The engine underneath.
    pub fn engine(&self) -> Engine {
        self.at.engine()
    }

    /// The pool, for tests and tools that read directly.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }
}

/// Maps fetched rows; the first column that does not read is the error.
pub fn map_rows<T>(
    rows: &[DbRow],
    each: impl Fn(&DbRow) -> Result<T, sqlx::Error>,
) -> Result<Vec<T>, StoreError> {
    rows.iter()
        .map(each)
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)
}

/// 32 random bytes in hex: tokens and CSRF secrets.
pub fn random_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| StoreError::Randomness(e.to_string()))?;
    Ok(crate::audit::hex(&bytes))
}

/// SHA-256 in hex: how tokens and codes are stored.
pub fn digest(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::audit::hex(&Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_a_transaction_holding_the_chains_lock_may_audit() {
        let dir = std::env::temp_dir().join(format!("linli-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("audit.sqlite3");
        let store = Store::open(&db, &default_key_path(&db)).await.unwrap();
        let outside = store
            .limits_tx(async |tx| tx.audit(1, &Actor::system(), "x.y", "z").await)
            .await;
        assert!(outside.is_err());
        store
            .write_tx(async |tx| tx.audit(1, &Actor::system(), "x.y", "z").await)
            .await
            .unwrap();
        assert_eq!(store.audit_entries().await.unwrap().len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_database_password_is_never_shown() {
        for text in [
            "POSTGRES://u:PW2secret@db/linli",
            "postgres//u:PW5secret@db/linli",
            "postgres:u:PW7secret@db/linli",
            "host=db password=PW8secret",
        ] {
            let at = Location::parse(text);
            for shown in [at.to_string(), format!("{at:?}")] {
                assert!(!shown.contains("secret"), "{shown}");
            }
        }
        assert_eq!(
            Location::parse("POSTGRES://db/x").engine(),
            Engine::Postgres
        );
        for (url, secret) in [
            ("postgres://linli:s3cret@db.internal:5432/linli", "s3cret"),
            (
                "postgres://linli:pa%2Fss@db/linli?sslmode=require",
                "pa%2Fss",
            ),
            (
                "postgres://linli@db/linli?password=s3cret&sslmode=require",
                "s3cret",
            ),
            ("postgres://linli:pa/ss@db/linli", "pa/ss"),
            ("postgresql://linli:s3cret@[::1]/linli", "s3cret"),
        ] {
            let at = Location::parse(url);
            for shown in [at.to_string(), format!("{at:?}")] {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
        let plain = Location::parse("postgres://linli@db.internal:5432/linli?sslmode=require");
        assert_eq!(
            plain.to_string(),
            "postgres://linli@db.internal:5432/linli?sslmode=require"
        );
        assert_eq!(
            Location::parse("sqlite:/var/lib/linli/linli.sqlite3"),
            Location::File(PathBuf::from("/var/lib/linli/linli.sqlite3"))
        );
    }
}
