//! Storage behind the API: the `Store` methods are the interface. SQLite now; every
//! query is written in the SQL both SQLite and PostgreSQL accept (`$n` binds,
//! `RETURNING`, integer milliseconds, text ids), so a PostgreSQL backend needs its
//! own migration files and pool type behind the same methods, not new queries.
//!
//! SQLite allows one writer at a time, so writes take `write` first: transactions then
//! never fail with "database is locked", and a submission and its audit entry commit
//! together or not at all.

use std::path::Path;
use std::time::Duration;

use linli_core::json;
use linli_core::sync::wire::{Ack, Envelope, SubmissionId};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqliteConnection, SqlitePool};
use tokio::sync::Mutex;

use crate::audit::{self, AuditEntry};
use crate::error::ApiError;
use crate::secret;
use crate::staff::{self, Role, StaffMember};

/// How long a staff session lasts: one working day.
pub const SESSION_MS: i64 = 12 * 60 * 60 * 1000;

/// A stored submission as staff see it.
#[derive(Clone, Debug, PartialEq)]
pub struct SubmissionRow {
    /// Server sequence number.
    pub seq: i64,
    /// Client id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Payload as JSON text.
    pub payload: String,
    /// The unit's label.
    pub unit: String,
    /// When stored.
    pub received_at: i64,
}

/// A unit as staff see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRow {
    /// Id.
    pub id: i64,
    /// Label.
    pub label: String,
    /// Building.
    pub building: String,
    /// Devices registered to it.
    pub devices: i64,
    /// Whether an unused household code is out.
    pub code_pending: bool,
}

/// Schema migrations, applied in order, each once; never edited after release.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_updates.sql")),
    (3, include_str!("../migrations/0003_meals.sql")),
];

/// How many updates one pull returns at most; the device pulls again from the last.
pub const UPDATES_PAGE: i64 = 200;

/// A status change of one of a unit's submissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateRow {
    /// Cursor: pull again with `since` = the last one seen.
    pub seq: i64,
    /// The submission.
    pub submission_id: String,
    /// Its new status (`received`, …).
    pub status: String,
    /// A note for the resident (may be empty).
    pub note: String,
    /// When.
    pub at: i64,
}

/// A valid argon2id hash of a random password, checked when a login name does not
/// exist so that the answer takes as long as for a real account.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$2v0IUJ9vgHrDXpcWcfNaFczYjbVBSn6S0IhHBnZ4ftE";

/// The database.
pub struct Store {
    pub(crate) pool: SqlitePool,
    pub(crate) write: Mutex<()>,
}

/// Who did something, for the audit log.
#[derive(Clone, Debug)]
pub struct Actor {
    /// A staff username, `unit:<id>`, or `system`.
    pub name: String,
    /// Their role.
    pub role: String,
}

impl Actor {
    /// The server itself (seeding, migrations).
    pub fn system() -> Actor {
        Actor {
            name: "system".into(),
            role: "system".into(),
        }
    }

    /// A signed-in staff member.
    pub fn staff(member: &StaffMember) -> Actor {
        Actor {
            name: member.username.clone(),
            role: member.role.as_str().into(),
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

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub async fn open(path: &Path) -> Result<Store, sqlx::Error> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        let store = Store {
            pool,
            write: Mutex::new(()),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Runs `work` in one transaction while holding the write lock, and ends the
    /// transaction — commit on `Ok`, rollback on `Err` — before the lock is released.
    /// A transaction merely dropped on an error rolls back only when its connection is
    /// next used, keeping SQLite's write lock meanwhile, and the next writer then fails
    /// with "database is locked" (seen when a refused meal order was followed by another).
    pub(crate) async fn write_tx<T>(
        &self,
        work: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let _guard = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        match work(&mut tx).await {
            Ok(value) => {
                tx.commit().await?;
                Ok(value)
            }
            Err(e) => {
                tx.rollback().await?;
                Err(e)
            }
        }
    }

    async fn migrate(&self) -> Result<(), sqlx::Error> {
        let _guard = self.write.lock().await;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
        )
        .execute(&self.pool)
        .await?;
        for (version, sql) in MIGRATIONS {
            let done = sqlx::query("SELECT 1 FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(&self.pool)
                .await?;
            if done.is_some() {
                continue;
            }
            let mut tx = self.pool.begin().await?;
            sqlx::raw_sql(sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(version)
                .bind(0_i64)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Adds a unit (an exclusive part: a flat, a shop) and returns its id.
    pub async fn add_unit(
        &self,
        label: &str,
        building: &str,
        by: &Actor,
        now: i64,
    ) -> Result<i64, ApiError> {
        self.write_tx(async |conn| {
            let id = sqlx::query(
                "INSERT INTO units (label, building, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(label)
            .bind(building)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
            .try_get::<i64, _>(0)?;
            append_audit(conn, now, by, "unit.create", label).await?;
            Ok(id)
        })
        .await
    }

    /// Issues a new household code for a unit, replacing any unused one, and returns
    /// it in clear (the only time it exists in clear: it is stored hashed).
    pub async fn issue_code(&self, unit_id: i64, by: &Actor, now: i64) -> Result<String, ApiError> {
        let code = secret::household_code()?;
        self.write_tx(async |conn| {
            let label: Option<String> = sqlx::query("SELECT label FROM units WHERE id = $1")
                .bind(unit_id)
                .fetch_optional(&mut *conn)
                .await?
                .map(|r| r.try_get("label"))
                .transpose()?;
            let label = label.ok_or(ApiError::NotFound("unit"))?;
            sqlx::query("DELETE FROM household_codes WHERE unit_id = $1 AND used_at IS NULL")
                .bind(unit_id)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "INSERT INTO household_codes (code_hash, unit_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(secret::digest(&secret::normalise_code(&code)))
            .bind(unit_id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            append_audit(conn, now, by, "code.issue", &label).await?;
            Ok(code)
        })
        .await
    }

    /// Exchanges an unused household code for a device token bound to its unit.
    /// `None` when the code is unknown or already used.
    pub async fn register_device(
        &self,
        code: &str,
        device: &str,
        now: i64,
    ) -> Result<Option<(String, i64)>, ApiError> {
        let token = secret::token()?;
        self.write_tx(async |conn| {
            let Some(unit_id) = take_code(conn, code, now).await? else {
                return Ok(None);
            };
            sqlx::query(
                "INSERT INTO devices (token_hash, device, unit_id, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(secret::digest(&token))
            .bind(device)
            .bind(unit_id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            append_audit(
                conn,
                now,
                &Actor::unit(unit_id),
                "device.register",
                device,
            )
            .await?;
            Ok(Some((token, unit_id)))
        })
        .await
    }

    /// The unit a device token is bound to.
    pub async fn device_unit(&self, token: &str) -> Result<Option<i64>, ApiError> {
        let row = sqlx::query("SELECT unit_id FROM devices WHERE token_hash = $1")
            .bind(secret::digest(token))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("unit_id")).transpose()?)
    }

    /// Stores a submission once. A replay of the same submission gets the original
    /// ack; the same id with different content is a conflict.
    pub async fn submit(&self, env: &Envelope, unit_id: i64, now: i64) -> Result<Ack, ApiError> {
        self.submit_with(env, unit_id, now, None).await
    }

    /// [`Store::submit`], applying a scenario's rules inside the same transaction:
    /// `meals` carries the meals config and the language refusals are written in. A
    /// refusal rolls the whole submission back, so a corrected one can be sent later.
    pub async fn submit_with(
        &self,
        env: &Envelope,
        unit_id: i64,
        now: i64,
        meals: Option<(&linli_core::config::MealsConfig, linli_core::Lang)>,
    ) -> Result<Ack, ApiError> {
        let payload = json::to_string(&env.payload);
        self.write_tx(async |conn| {
            let existing = sqlx::query(
                "SELECT seq, kind, payload, unit_id, received_at FROM submissions WHERE id = $1",
            )
            .bind(env.id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(row) = existing {
                let same = row.try_get::<String, _>("kind")? == env.kind
                    && row.try_get::<String, _>("payload")? == payload
                    && row.try_get::<i64, _>("unit_id")? == unit_id;
                if !same {
                    return Err(ApiError::Conflict(env.id.to_string()));
                }
                return ack(&env.id, row.try_get("seq")?, row.try_get("received_at")?);
            }
            let seq = sqlx::query(
                "INSERT INTO submissions (id, kind, payload, created_at, device, unit_id, received_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq",
            )
            .bind(env.id.as_str())
            .bind(&env.kind)
            .bind(&payload)
            .bind(i64::try_from(env.created_at).unwrap_or(i64::MAX))
            .bind(&env.device)
            .bind(unit_id)
            .bind(now)
            .fetch_one(&mut *conn)
                .await?
                .try_get::<i64, _>(0)?;
            sqlx::query(
                "INSERT INTO submission_events (submission_id, unit_id, status, at) VALUES ($1, $2, 'received', $3)",
            )
            .bind(env.id.as_str())
            .bind(unit_id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            if env.kind.starts_with("meal_") {
                let (config, lang) = meals.ok_or_else(|| ApiError::UnknownKind(env.kind.clone()))?;
                let effect = crate::meals::apply(conn, env, unit_id, now, config, lang).await?;
                for (id, unit, status) in effect.events {
                    crate::meals::add_event(conn, &id, unit, status, now).await?;
                }
            }
            append_audit(
                conn,
                now,
                &Actor::unit(unit_id),
                "submission.create",
                env.id.as_str(),
            )
            .await?;
            ack(&env.id, seq, now)
        })
        .await
    }

    /// Status changes of a unit's submissions after `since`, oldest first.
    pub async fn updates(&self, unit_id: i64, since: i64) -> Result<Vec<UpdateRow>, ApiError> {
        let rows = sqlx::query(
            "SELECT seq, submission_id, status, note, at FROM submission_events \
             WHERE unit_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(unit_id)
        .bind(since)
        .bind(UPDATES_PAGE)
        .fetch_all(&self.pool)
        .await?;
        map_rows(&rows, |r| {
            Ok(UpdateRow {
                seq: r.try_get("seq")?,
                submission_id: r.try_get("submission_id")?,
                status: r.try_get("status")?,
                note: r.try_get("note")?,
                at: r.try_get("at")?,
            })
        })
    }

    /// How many submissions are stored.
    pub async fn submission_count(&self) -> Result<i64, ApiError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM submissions")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// The whole audit log, in order.
    pub async fn audit_entries(&self) -> Result<Vec<AuditEntry>, ApiError> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, role, action, subject, prev_hash, hash FROM audit_log ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        map_rows(&rows, |r| {
            Ok(AuditEntry {
                seq: r.try_get("seq")?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                role: r.try_get("role")?,
                action: r.try_get("action")?,
                subject: r.try_get("subject")?,
                prev_hash: r.try_get("prev_hash")?,
                hash: r.try_get("hash")?,
            })
        })
    }

    /// Creates a staff account.
    pub async fn add_staff(
        &self,
        username: &str,
        password: &str,
        role: Role,
        by: &Actor,
        now: i64,
    ) -> Result<i64, ApiError> {
        let hash = staff::hash_password(password)?;
        self.write_tx(async |conn| {
            let id = sqlx::query(
                "INSERT INTO staff (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(username)
            .bind(hash)
            .bind(role.as_str())
            .bind(now)
            .fetch_one(&mut *conn)
                .await?
                .try_get::<i64, _>(0)?;
            append_audit(
                conn,
                now,
                by,
                "staff.create",
                &format!("{username} ({})", role.as_str()),
            )
            .await?;
            Ok(id)
        })
        .await
    }

    /// Checks a password and opens a session; `None` for a wrong name or password.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        now: i64,
    ) -> Result<Option<(String, StaffMember)>, ApiError> {
        let row = sqlx::query("SELECT id, password_hash, role FROM staff WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            // Spend the same time as a real check, so names cannot be probed by timing.
            let _ = staff::verify_password(password, DUMMY_HASH);
            return Ok(None);
        };
        if !staff::verify_password(password, &row.try_get::<String, _>("password_hash")?) {
            return Ok(None);
        }
        let member = StaffMember {
            id: row.try_get("id")?,
            username: username.to_owned(),
            role: Role::parse(&row.try_get::<String, _>("role")?)
                .ok_or_else(|| ApiError::Internal("unknown role in database".into()))?,
        };
        let token = secret::token()?;
        self.write_tx(async |conn| {
            sqlx::query("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(secret::digest(&token))
                .bind(member.id)
                .bind(now)
                .bind(now + SESSION_MS)
                .execute(&mut *conn)
                .await?;
            append_audit(
                conn,
                now,
                &Actor::staff(&member),
                "staff.login",
                username,
            )
            .await?;
            Ok(Some((token, member)))
        })
        .await
    }

    /// The staff member a live session token belongs to.
    pub async fn session(&self, token: &str, now: i64) -> Result<Option<StaffMember>, ApiError> {
        let row = sqlx::query(
            "SELECT staff.id, staff.username, staff.role FROM sessions JOIN staff ON staff.id = sessions.staff_id \
             WHERE sessions.token_hash = $1 AND sessions.expires_at > $2",
        )
        .bind(secret::digest(token))
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(StaffMember {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            role: Role::parse(&row.try_get::<String, _>("role")?)
                .ok_or_else(|| ApiError::Internal("unknown role in database".into()))?,
        }))
    }

    /// Units with their device count and whether a code is out.
    pub async fn units(&self) -> Result<Vec<UnitRow>, ApiError> {
        let rows = sqlx::query(
            "SELECT u.id, u.label, u.building, \
               (SELECT COUNT(*) FROM devices d WHERE d.unit_id = u.id) AS devices, \
               EXISTS (SELECT 1 FROM household_codes c WHERE c.unit_id = u.id AND c.used_at IS NULL) AS pending \
             FROM units u ORDER BY u.building, u.label",
        )
        .fetch_all(&self.pool)
        .await?;
        map_rows(&rows, |r| {
            Ok(UnitRow {
                id: r.try_get("id")?,
                label: r.try_get("label")?,
                building: r.try_get("building")?,
                devices: r.try_get("devices")?,
                code_pending: r.try_get::<i64, _>("pending")? != 0,
            })
        })
    }

    /// The newest submissions first.
    pub async fn recent_submissions(&self, limit: i64) -> Result<Vec<SubmissionRow>, ApiError> {
        let rows = sqlx::query(
            "SELECT s.seq, s.id, s.kind, s.payload, u.label, s.received_at FROM submissions s \
             JOIN units u ON u.id = s.unit_id ORDER BY s.seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        map_rows(&rows, |r| {
            Ok(SubmissionRow {
                seq: r.try_get("seq")?,
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                payload: r.try_get("payload")?,
                unit: r.try_get("label")?,
                received_at: r.try_get("received_at")?,
            })
        })
    }

    /// The pool, for tests and tools that read directly.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Maps fetched rows, turning the first column error into an API error.
pub(crate) fn map_rows<T>(
    rows: &[sqlx::sqlite::SqliteRow],
    each: impl Fn(&sqlx::sqlite::SqliteRow) -> Result<T, sqlx::Error>,
) -> Result<Vec<T>, ApiError> {
    rows.iter()
        .map(each)
        .collect::<Result<_, _>>()
        .map_err(ApiError::from)
}

fn ack(id: &SubmissionId, seq: i64, received_at: i64) -> Result<Ack, ApiError> {
    Ok(Ack {
        id: id.clone(),
        server_seq: u64::try_from(seq).map_err(|_| ApiError::Internal("negative seq".into()))?,
        received_at: u64::try_from(received_at)
            .map_err(|_| ApiError::Internal("negative time".into()))?,
    })
}

/// Marks an unused household code used and answers its unit; `None` when it is
/// unknown or used already.
pub(crate) async fn take_code(
    conn: &mut SqliteConnection,
    code: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let hash = secret::digest(&secret::normalise_code(code));
    let row = sqlx::query(
        "UPDATE household_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL RETURNING unit_id",
    )
    .bind(now)
    .bind(&hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| r.try_get("unit_id")).transpose()
}

/// Appends one entry to the audit log inside the caller's transaction.
pub(crate) async fn append_audit(
    conn: &mut SqliteConnection,
    now: i64,
    by: &Actor,
    action: &str,
    subject: &str,
) -> Result<(), sqlx::Error> {
    let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let (seq, prev) = match last {
        Some(r) => (
            r.try_get::<i64, _>("seq")? + 1,
            r.try_get::<String, _>("hash")?,
        ),
        None => (1, audit::GENESIS.to_owned()),
    };
    let hash = audit::chain_hash(&prev, seq, now, &by.name, &by.role, action, subject);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, role, action, subject, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(now)
    .bind(&by.name)
    .bind(&by.role)
    .bind(action)
    .bind(subject)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_is_a_real_argon2_hash() {
        assert!(argon2::password_hash::PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
