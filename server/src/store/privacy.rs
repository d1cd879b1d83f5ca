//! What the server holds about one household, for the resident's own download and for
//! erasure (个人信息保护法 arts. 45 and 47). Each scenario adds its own part; this is
//! the generic one: the household, its devices, its submissions and their statuses.

use super::units::{DeviceRow, UnitRow};
use super::{map_rows, Conn, Store, StoreError, SubmissionRow, UpdateRow};

/// The generic record of one household.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HouseholdRecord {
    /// The household.
    pub unit: UnitRow,
    /// Its linked devices.
    pub devices: Vec<DeviceRow>,
    /// Its submissions (as stored: health data is in the scenarios' parts).
    pub submissions: Vec<SubmissionRow>,
    /// The status events it was sent.
    pub events: Vec<UpdateRow>,
}

/// What an erased submission's payload becomes.
pub const ERASED_PAYLOAD: &str = r#"{"erased":true}"#;

impl Store {
    /// The generic record of household `unit_id` at `now`.
    pub async fn household_record(
        &self,
        unit_id: i64,
        now: i64,
    ) -> Result<HouseholdRecord, StoreError> {
        let unit = self
            .unit(unit_id, now)
            .await?
            .ok_or(StoreError::NotFound("unit"))?;
        let devices = self.devices(unit_id).await?;
        let rows = sqlx::query(
            "SELECT s.seq, s.id, s.kind, s.payload, u.label, s.received_at FROM submissions s \
             JOIN units u ON u.id = s.unit_id WHERE s.unit_id = $1 ORDER BY s.seq",
        )
        .bind(unit_id)
        .fetch_all(&self.pool)
        .await?;
        let submissions = map_rows(&rows, super::submissions::submission_row)?;
        let rows = sqlx::query(
            "SELECT seq, submission_id, status, note, at FROM submission_events WHERE unit_id = $1 ORDER BY seq",
        )
        .bind(unit_id)
        .fetch_all(&self.pool)
        .await?;
        let events = map_rows(&rows, super::submissions::update_row)?;
        Ok(HouseholdRecord {
            unit,
            devices,
            submissions,
            events,
        })
    }
}

/// Erases the generic personal data of a household inside the caller's transaction:
/// its devices are unlinked, its unused code withdrawn, its submissions' payloads (and
/// their digests, made from the payload as sent) and its events' notes emptied. Counts (that something was submitted, when, of which
/// kind) stay, so statistics and the audit trail still add up.
pub async fn erase_household(conn: &mut Conn, unit_id: i64) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM devices WHERE unit_id = $1",
        "DELETE FROM household_codes WHERE unit_id = $1 AND used_at IS NULL",
        "UPDATE submission_events SET note = '' WHERE unit_id = $1",
    ] {
        sqlx::query(sql).bind(unit_id).execute(&mut *conn).await?;
    }
    crate::evaluation::store::erase_household(&mut *conn, unit_id).await?;
    sqlx::query("UPDATE submissions SET payload = $1, payload_digest = NULL WHERE unit_id = $2")
        .bind(ERASED_PAYLOAD)
        .bind(unit_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
