//! The audit log's table: appended inside each write's transaction, read whole for
//! verification, its head for publishing.

use sqlx::Row;

use super::{map_rows, Actor, Conn, Pool, Store, StoreError};
use crate::audit::{chain_hash, AuditEntry, Fields, Head, Scheme, ServerKey, GENESIS};

/// The seq the next entry gets.
pub(super) async fn next_seq(pool: &Pool) -> Result<i64, StoreError> {
    let max: Option<i64> = sqlx::query("SELECT MAX(seq) AS m FROM audit_log")
        .fetch_one(pool)
        .await?
        .try_get("m")?;
    Ok(max.unwrap_or(0) + 1)
}

/// Appends one keyed entry inside the caller's transaction. The write lock the caller
/// holds makes "read the head, insert the next" one step; the primary key on `seq`
/// refuses a second entry at the same place if that ever failed.
pub(super) async fn append(
    conn: &mut Conn,
    key: &ServerKey,
    now: i64,
    by: &Actor,
    action: &str,
    subject: &str,
) -> Result<(), StoreError> {
    let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let (seq, prev) = match last {
        Some(r) => (
            r.try_get::<i64, _>("seq")? + 1,
            r.try_get::<String, _>("hash")?,
        ),
        None => (1, GENESIS.to_owned()),
    };
    let fields = Fields {
        seq,
        at: now,
        actor: &by.name,
        role: &by.role,
        action,
        subject,
    };
    let hash = chain_hash(Some(key), &prev, fields);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, role, action, subject, prev_hash, hash, scheme) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(seq)
    .bind(now)
    .bind(&by.name)
    .bind(&by.role)
    .bind(action)
    .bind(subject)
    .bind(&prev)
    .bind(&hash)
    .bind(Scheme::Keyed.code())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Entries after `since`, oldest first, at most `limit`; `scheme` is the column (or,
/// for a table from before the column existed, the SQL value) that says each one's
/// scheme.
async fn read_entries(
    pool: &Pool,
    since: i64,
    limit: i64,
    scheme: &str,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT seq, at, actor, role, action, subject, prev_hash, hash, {scheme} AS scheme \
         FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
    ))
    .bind(since)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let entries = map_rows(&rows, |r| {
        Ok((
            AuditEntry {
                seq: r.try_get("seq")?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                role: r.try_get("role")?,
                action: r.try_get("action")?,
                subject: r.try_get("subject")?,
                prev_hash: r.try_get("prev_hash")?,
                hash: r.try_get("hash")?,
                scheme: Scheme::Legacy,
            },
            r.try_get::<i64, _>("scheme")?,
        ))
    })?;
    entries
        .into_iter()
        .map(|(e, code)| {
            let scheme =
                Scheme::from_code(code).ok_or_else(|| StoreError::corrupt("audit scheme", code))?;
            Ok(AuditEntry { scheme, ..e })
        })
        .collect()
}

/// The whole log of a database whose schema may still be the first release's (no
/// `scheme` column: every entry plain), read before anything is migrated.
pub(super) async fn entries_before_migrating(pool: &Pool) -> Result<Vec<AuditEntry>, StoreError> {
    let has_scheme = super::migrate::has_column(pool, "audit_log", "scheme").await?;
    let scheme = if has_scheme { "scheme" } else { "0" };
    read_entries(pool, 0, i64::MAX, scheme).await
}

impl Store {
    /// The whole audit log, in order.
    pub async fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_page(0, i64::MAX).await
    }

    /// Entries after `since`, oldest first, at most `limit`.
    pub async fn audit_page(&self, since: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        read_entries(&self.pool, since, limit, "scheme").await
    }

    /// The newest entries, newest first.
    pub async fn audit_recent(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let first = (next_seq(&self.pool).await? - 1 - limit).max(0);
        let mut entries = self.audit_page(first, limit).await?;
        entries.reverse();
        Ok(entries)
    }

    /// The newest entry's seq and hash, for publishing; `None` while the log is empty.
    pub async fn audit_head(&self) -> Result<Option<Head>, StoreError> {
        let row = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Head {
                seq: r.try_get("seq")?,
                hash: r.try_get("hash")?,
            })
        })
        .transpose()
    }

    /// Rows in the tables every audited write leaves a trace in (households, staff,
    /// submissions, notices): a database with rows there and an empty audit log was
    /// emptied.
    pub async fn audited_rows(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "SELECT (SELECT COUNT(*) FROM units) + (SELECT COUNT(*) FROM staff) \
             + (SELECT COUNT(*) FROM submissions) + (SELECT COUNT(*) FROM notices) AS n",
        )
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?)
    }
}
