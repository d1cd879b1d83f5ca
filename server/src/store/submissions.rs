//! Submissions, stored once under their client id, and the status events households
//! pull. The payload kept here is the scenario's redacted form (no health data); a
//! digest of the payload as sent recognises a replay. The digest is keyed (HMAC under
//! the server key, see [`digest`]): a plain hash of a payload with a few allergies in
//! it is found by trying likely combinations, so it would keep what redaction removed.

use linli_core::sync::wire::{Ack, Envelope, SubmissionId};
use sqlx::Row;

use super::{map_rows, Conn, Store, StoreError};

/// How many updates one pull returns at most; the device pulls again from the last.
pub const UPDATES_PAGE: i64 = 200;

/// A stored submission as staff see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmissionRow {
    /// Server sequence number.
    pub seq: i64,
    /// Client id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// The redacted payload as JSON text.
    pub payload: String,
    /// The unit's label.
    pub unit: String,
    /// When stored (ms).
    pub received_at: i64,
}

/// A status change of one of a unit's submissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateRow {
    /// Cursor: pull again with `since` = the last one seen.
    pub seq: i64,
    /// The submission.
    pub submission_id: String,
    /// Its new status (`received`, `delivered`, …).
    pub status: String,
    /// A note for the resident (may be empty).
    pub note: String,
    /// When (ms).
    pub at: i64,
}

/// What the generic path stores of one submission.
#[derive(Clone, Copy, Debug)]
pub struct StoredSubmission<'a> {
    /// The envelope as sent.
    pub envelope: &'a Envelope,
    /// The household whose device sent it.
    pub unit_id: i64,
    /// The payload to keep, as JSON text (the scenario's redacted form).
    pub payload: &'a str,
    /// [`digest`] of the payload as sent, to tell a replay from a reused id.
    pub digest: &'a str,
}

/// The digest of a submission's payload as sent (JSON text), under its client id:
/// HMAC-SHA256 under the server key's sub-key for submission digests, in hex. Without
/// the key file it cannot be tested against guesses of the payload.
pub fn digest(key: &crate::audit::ServerKey, id: &SubmissionId, payload: &str) -> String {
    crate::audit::hex(&key.mac_parts(
        b"linli submission digests v1",
        &[id.as_str().as_bytes(), payload.as_bytes()],
    ))
}

/// What storing found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// A new row, with its seq.
    New(i64),
    /// The same submission was stored before: its original ack.
    Replay(Ack),
}

fn ack(id: &SubmissionId, seq: i64, received_at: i64) -> Result<Ack, StoreError> {
    Ok(Ack {
        id: id.clone(),
        server_seq: u64::try_from(seq).map_err(|_| StoreError::corrupt("seq", seq))?,
        received_at: u64::try_from(received_at)
            .map_err(|_| StoreError::corrupt("time", received_at))?,
    })
}

/// The ack of a submission just stored.
pub fn new_ack(id: &SubmissionId, seq: i64, now: i64) -> Result<Ack, StoreError> {
    ack(id, seq, now)
}

/// Stores a submission once, inside the caller's transaction. The unique client id
/// decides (`ON CONFLICT DO NOTHING`): a replay of the same content gets the original
/// ack; the same id with other content, or from another household, is a
/// [`StoreError::Conflict`].
pub async fn insert(
    conn: &mut Conn,
    s: StoredSubmission<'_>,
    now: i64,
) -> Result<Stored, StoreError> {
    let env = s.envelope;
    let inserted = sqlx::query(
        "INSERT INTO submissions (id, kind, payload, payload_digest, created_at, device, unit_id, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING seq",
    )
    .bind(env.id.as_str())
    .bind(&env.kind)
    .bind(s.payload)
    .bind(s.digest)
    .bind(i64::try_from(env.created_at).unwrap_or(i64::MAX))
    .bind(&env.device)
    .bind(s.unit_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = inserted {
        return Ok(Stored::New(row.try_get(0)?));
    }
    let row = sqlx::query(
        "SELECT seq, kind, payload, payload_digest, unit_id, received_at FROM submissions WHERE id = $1",
    )
    .bind(env.id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let digest: Option<String> = row.try_get("payload_digest")?;
    // Rows of the first release, and rows whose digest went with their health data
    // (erasure, consent withdrawn), have none: their payload is compared as redacted.
    let same_content = match digest {
        Some(d) => d == s.digest,
        None => row.try_get::<String, _>("payload")? == s.payload,
    };
    let same = same_content
        && row.try_get::<String, _>("kind")? == env.kind
        && row.try_get::<i64, _>("unit_id")? == s.unit_id;
    if !same {
        return Err(StoreError::Conflict(env.id.to_string()));
    }
    Ok(Stored::Replay(ack(
        &env.id,
        row.try_get("seq")?,
        row.try_get("received_at")?,
    )?))
}

/// Appends a status event that household `unit` pulls with `GET /api/v1/updates`.
pub async fn add_event(
    conn: &mut Conn,
    submission_id: &str,
    unit: i64,
    status: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO submission_events (submission_id, unit_id, status, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(submission_id)
    .bind(unit)
    .bind(status)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A `submissions` row joined with its unit's label (`label`).
pub(super) fn submission_row(r: &super::DbRow) -> Result<SubmissionRow, sqlx::Error> {
    Ok(SubmissionRow {
        seq: r.try_get("seq")?,
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        payload: r.try_get("payload")?,
        unit: r.try_get("label")?,
        received_at: r.try_get("received_at")?,
    })
}

/// A `submission_events` row.
pub(super) fn update_row(r: &super::DbRow) -> Result<UpdateRow, sqlx::Error> {
    Ok(UpdateRow {
        seq: r.try_get("seq")?,
        submission_id: r.try_get("submission_id")?,
        status: r.try_get("status")?,
        note: r.try_get("note")?,
        at: r.try_get("at")?,
    })
}

impl Store {
    /// Status changes of a unit's submissions after `since`, oldest first.
    pub async fn updates(&self, unit_id: i64, since: i64) -> Result<Vec<UpdateRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, submission_id, status, note, at FROM submission_events \
             WHERE unit_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(unit_id)
        .bind(since)
        .bind(UPDATES_PAGE)
        .fetch_all(&self.pool)
        .await?;
        map_rows(&rows, update_row)
    }

    /// How many submissions are stored.
    pub async fn submission_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM submissions")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// The newest submissions first.
    pub async fn recent_submissions(&self, limit: i64) -> Result<Vec<SubmissionRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.seq, s.id, s.kind, s.payload, u.label, s.received_at FROM submissions s \
             JOIN units u ON u.id = s.unit_id ORDER BY s.seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        map_rows(&rows, submission_row)
    }
}
