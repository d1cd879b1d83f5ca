//! Staff accounts and their sessions. Passwords arrive here already hashed (argon2id,
//! `crate::auth`); second-factor secrets arrive masked.

use linli_core::Role;
use sqlx::Row;

use super::{digest, map_rows, random_token, Actor, DbRow, Store, StoreError};

/// A session ends this long after its last use (ms): 30 minutes.
pub const SESSION_IDLE_MS: i64 = 30 * 60 * 1000;
/// And this long after sign-in whatever its use (ms): 12 hours, a working day.
pub const SESSION_ABSOLUTE_MS: i64 = 12 * 60 * 60 * 1000;
/// `last_seen` is written at most this often per session (ms), not on every request.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// A staff account (never its password hash or second-factor secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Id.
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Created (ms).
    pub created_at: i64,
    /// Password last set (ms).
    pub password_changed_at: i64,
    /// Disabled: cannot sign in, sessions ended.
    pub disabled: bool,
    /// A second factor is enrolled.
    pub totp_enabled: bool,
}

/// What an account is created with.
#[derive(Clone, Debug)]
pub struct NewAccount<'a> {
    /// Sign-in name, checked by the caller.
    pub username: &'a str,
    /// argon2id PHC string.
    pub password_hash: &'a str,
    /// Role.
    pub role: Role,
}

/// How far a session has signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStage {
    /// Signed in.
    Full,
    /// Password given; the second factor's code is still to come.
    SecondFactor,
    /// Password given; the account must enrol a second factor first.
    Enrol,
}

impl SessionStage {
    fn code(self) -> &'static str {
        match self {
            SessionStage::Full => "full",
            SessionStage::SecondFactor => "second_factor",
            SessionStage::Enrol => "enrol",
        }
    }

    fn from_code(code: &str) -> Option<SessionStage> {
        [
            SessionStage::Full,
            SessionStage::SecondFactor,
            SessionStage::Enrol,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A live session with its account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    /// Whose.
    pub account: Account,
    /// How far signed in.
    pub stage: SessionStage,
    /// The synchronizer token every state-changing form of this session carries.
    pub csrf: String,
    /// The masked second-factor secret this session is enrolling, once shown.
    pub totp_pending: Option<String>,
}

/// The second-factor state of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotpState {
    /// The masked secret, once enrolled.
    pub secret: Option<String>,
    /// Enrolment finished (ms).
    pub enabled_at: Option<i64>,
}

const ACCOUNT_COLUMNS: &str =
    "s.id, s.username, s.role, s.created_at, s.password_changed_at, s.disabled_at, s.totp_enabled_at";

fn account(r: &DbRow) -> Result<Account, sqlx::Error> {
    let role: String = r.try_get("role")?;
    Ok(Account {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        role: Role::from_id(&role).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "role".into(),
            source: format!("unknown role {role}").into(),
        })?,
        created_at: r.try_get("created_at")?,
        password_changed_at: r.try_get("password_changed_at")?,
        disabled: r.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
        totp_enabled: r.try_get::<Option<i64>, _>("totp_enabled_at")?.is_some(),
    })
}

impl Store {
    /// Creates a staff account; `Exists` when the name is taken.
    pub async fn add_account(
        &self,
        new: &NewAccount<'_>,
        by: &Actor,
        now: i64,
    ) -> Result<i64, StoreError> {
        self.write_tx(async |tx| {
            let inserted = sqlx::query(
                "INSERT INTO staff (username, password_hash, role, created_at, password_changed_at) \
                 VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(new.username)
            .bind(new.password_hash)
            .bind(new.role.id())
            .bind(now)
            .fetch_one(tx.conn())
            .await
            .map_err(StoreError::from);
            let id: i64 = match inserted {
                Err(e) if e.is_unique_violation() => return Err(StoreError::Exists("username")),
                other => other?.try_get(0)?,
            };
            tx.audit(
                now,
                by,
                "staff.create",
                &format!("{} ({})", new.username, new.role.id()),
            )
            .await?;
            Ok(id)
        })
        .await
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM staff s ORDER BY s.username"
        ))
        .fetch_all(&self.pool)
        .await?;
        map_rows(&rows, account)
    }

    /// An account by name, with its password hash.
    pub async fn account_for_login(
        &self,
        username: &str,
    ) -> Result<Option<(Account, String)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, s.password_hash FROM staff s WHERE s.username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| Ok::<_, sqlx::Error>((account(&r)?, r.try_get("password_hash")?)))
            .transpose()?)
    }

    /// An account by id.
    pub async fn account(&self, id: i64) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM staff s WHERE s.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(account).transpose()?)
    }

    /// Every account's password hash (disabled ones too: they can be enabled again),
    /// for the start-up check that none is still on the demo password.
    pub async fn password_hashes(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT username, password_hash FROM staff ORDER BY username")
            .fetch_all(&self.pool)
            .await?;
        map_rows(&rows, |r| {
            Ok((r.try_get("username")?, r.try_get("password_hash")?))
        })
    }

    /// Sets an account's password (hashed by the caller) and ends its other sessions:
    /// `keep` is the session that changed it, if any.
    pub async fn set_password(
        &self,
        id: i64,
        password_hash: &str,
        keep: Option<&str>,
        by: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            let name: String = sqlx::query(
                "UPDATE staff SET password_hash = $1, password_changed_at = $2 WHERE id = $3 RETURNING username",
            )
            .bind(password_hash)
            .bind(now)
            .bind(id)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(StoreError::NotFound("account"))?
            .try_get(0)?;
            sqlx::query("DELETE FROM sessions WHERE staff_id = $1 AND token_hash <> $2")
                .bind(id)
                .bind(keep.map(digest).unwrap_or_default())
                .execute(tx.conn())
                .await?;
            tx.audit(now, by, "staff.password", &name).await?;
            Ok(())
        })
        .await
    }

    /// Disables (or enables again) an account; disabling ends its sessions.
    pub async fn set_disabled(
        &self,
        id: i64,
        disabled: bool,
        by: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            let name: String =
                sqlx::query("UPDATE staff SET disabled_at = $1 WHERE id = $2 RETURNING username")
                    .bind(disabled.then_some(now))
                    .bind(id)
                    .fetch_optional(tx.conn())
                    .await?
                    .ok_or(StoreError::NotFound("account"))?
                    .try_get(0)?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
            }
            let action = if disabled {
                "staff.disable"
            } else {
                "staff.enable"
            };
            tx.audit(now, by, action, &name).await?;
            Ok(())
        })
        .await
    }

    /// The second-factor state of an account.
    pub async fn totp_state(&self, id: i64) -> Result<TotpState, StoreError> {
        let row = sqlx::query("SELECT totp_secret, totp_enabled_at FROM staff WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("account"))?;
        Ok(TotpState {
            secret: row.try_get("totp_secret")?,
            enabled_at: row.try_get("totp_enabled_at")?,
        })
    }

    /// Keeps a masked secret for session `token` to enrol, unless it has one already
    /// (a second tab, a reload: the phone may have scanned the first); answers the one
    /// kept, `None` when the session is not enrolling. Shown to this session alone; the
    /// account needs it only once a code made with it is accepted.
    pub async fn begin_totp(
        &self,
        token: &str,
        masked_secret: &str,
    ) -> Result<Option<String>, StoreError> {
        self.write_tx(async |tx| {
            let hash = digest(token);
            sqlx::query(
                "UPDATE sessions SET totp_pending = $1 WHERE token_hash = $2 AND stage = $3 \
                 AND totp_pending IS NULL",
            )
            .bind(masked_secret)
            .bind(&hash)
            .bind(SessionStage::Enrol.code())
            .execute(tx.conn())
            .await?;
            let kept: Option<Option<String>> = sqlx::query_scalar(
                "SELECT totp_pending FROM sessions WHERE token_hash = $1 AND stage = $2",
            )
            .bind(&hash)
            .bind(SessionStage::Enrol.code())
            .fetch_optional(tx.conn())
            .await?;
            Ok(kept.flatten())
        })
        .await
    }

    /// Accepts a second-factor code's time step once: `true` when `step` is newer than
    /// every step used before by this account (a code seen once cannot be replayed,
    /// even by two server instances at the same moment). With `enrol` (the masked
    /// secret the session showed), this finishes enrolment with that secret, if the
    /// account has none yet.
    pub async fn use_totp_step(
        &self,
        id: i64,
        step: i64,
        enrol: Option<&str>,
        by: &Actor,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write_tx(async |tx| {
            let used = match enrol {
                Some(secret) => sqlx::query(
                    "UPDATE staff SET totp_secret = $1, totp_enabled_at = $2, totp_last_step = $3 \
                         WHERE id = $4 AND totp_enabled_at IS NULL RETURNING username",
                )
                .bind(secret)
                .bind(now)
                .bind(step)
                .bind(id)
                .fetch_optional(tx.conn())
                .await?,
                None => sqlx::query(
                    "UPDATE staff SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1 \
                         AND totp_enabled_at IS NOT NULL RETURNING username",
                )
                .bind(step)
                .bind(id)
                .fetch_optional(tx.conn())
                .await?,
            };
            let Some(row) = used else { return Ok(false) };
            if enrol.is_some() {
                let name: String = row.try_get(0)?;
                tx.audit(now, by, "staff.totp_enrol", &name).await?;
            }
            Ok(true)
        })
        .await
    }

    /// Removes an account's second factor (a lost phone); the account enrols again at
    /// its next sign-in, and its sessions end.
    pub async fn reset_totp(&self, id: i64, by: &Actor, now: i64) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            let name: String = sqlx::query(
                "UPDATE staff SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0 \
                 WHERE id = $1 RETURNING username",
            )
            .bind(id)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(StoreError::NotFound("account"))?
            .try_get(0)?;
            sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
            tx.audit(now, by, "staff.totp_reset", &name).await?;
            Ok(())
        })
        .await
    }

    /// Opens a session at `stage`; answers its token (given to the browser once, stored
    /// hashed). A full session is a sign-in, and audited.
    pub async fn open_session(
        &self,
        account: &Account,
        stage: SessionStage,
        now: i64,
    ) -> Result<String, StoreError> {
        let token = random_token()?;
        let csrf = random_token()?;
        self.write_tx(async |tx| {
            sqlx::query(
                "INSERT INTO sessions (token_hash, staff_id, stage, csrf_token, created_at, last_seen, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $5, $6)",
            )
            .bind(digest(&token))
            .bind(account.id)
            .bind(stage.code())
            .bind(&csrf)
            .bind(now)
            .bind(now + SESSION_ABSOLUTE_MS)
            .execute(tx.conn())
            .await?;
            if stage == SessionStage::Full {
                let by = Actor::staff(&account.username, account.role);
                tx.audit(now, &by, "staff.login", &account.username).await?;
            }
            Ok(token)
        })
        .await
    }

    /// Finishes signing in a half-signed-in session (the second factor was given). A
    /// fresh token replaces the old one, so a token seen before the second factor is
    /// worth nothing after it.
    pub async fn promote_session(
        &self,
        token: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let Some(session) = self.session(token, now).await? else {
            return Ok(None);
        };
        self.write_tx(async |tx| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(digest(token))
                .execute(tx.conn())
                .await?;
            Ok::<_, StoreError>(())
        })
        .await?;
        self.open_session(&session.account, SessionStage::Full, now)
            .await
            .map(Some)
    }

    /// The live session of a token: not expired (12 h), not idle (30 min), its account
    /// not disabled. Its `last_seen` moves on (at most once a minute).
    pub async fn session(&self, token: &str, now: i64) -> Result<Option<SessionRow>, StoreError> {
        let hash = digest(token);
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, x.stage, x.csrf_token, x.last_seen, x.totp_pending FROM sessions x \
             JOIN staff s ON s.id = x.staff_id \
             WHERE x.token_hash = $1 AND x.expires_at > $2 AND x.last_seen > $3 AND s.disabled_at IS NULL"
        ))
        .bind(&hash)
        .bind(now)
        .bind(now - SESSION_IDLE_MS)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let stage: String = row.try_get("stage")?;
        let last_seen: i64 = row.try_get("last_seen")?;
        if now - last_seen >= TOUCH_EVERY_MS {
            self.write_tx(async |tx| {
                sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                    .bind(now)
                    .bind(&hash)
                    .execute(tx.conn())
                    .await?;
                Ok::<_, StoreError>(())
            })
            .await?;
        }
        Ok(Some(SessionRow {
            account: account(&row)?,
            stage: SessionStage::from_code(&stage)
                .ok_or_else(|| StoreError::corrupt("session stage", stage))?,
            csrf: row.try_get("csrf_token")?,
            totp_pending: row.try_get("totp_pending")?,
        }))
    }

    /// Ends a session (sign-out): its token stops working at once.
    pub async fn close_session(&self, token: &str, by: &Actor, now: i64) -> Result<(), StoreError> {
        self.write_tx(async |tx| {
            let gone = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(digest(token))
                .execute(tx.conn())
                .await?
                .rows_affected();
            if gone > 0 {
                tx.audit(now, by, "staff.logout", &by.name).await?;
            }
            Ok(())
        })
        .await
    }

    /// Deletes sessions that can no longer be used (expired or idle).
    pub async fn purge_sessions(&self, now: i64) -> Result<u64, StoreError> {
        self.write_tx(async |tx| {
            Ok(
                sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen <= $2")
                    .bind(now)
                    .bind(now - SESSION_IDLE_MS)
                    .execute(tx.conn())
                    .await?
                    .rows_affected(),
            )
        })
        .await
    }
}
