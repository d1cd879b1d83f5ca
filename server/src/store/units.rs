//! Households (units), their household codes (户码) and the devices linked with them.

use sqlx::Row;

use super::{digest, map_rows, random_token, Actor, Conn, Store, StoreError};

/// Letters and digits that cannot be mistaken for each other when read aloud or typed
/// by an older resident (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// 8 characters of 31: about 40 bits, guessed only through the rate-limited API.
const CODE_LEN: usize = 8;
/// How long a household code can be used after it is issued (ms): 90 days, time for a
/// printed slip to reach a letterbox and an elder's family to visit.
pub const CODE_VALID_MS: i64 = 90 * 24 * 60 * 60 * 1000;

/// A unit as staff see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRow {
    /// Id.
    pub id: i64,
    /// Label ("3幢2单元401").
    pub label: String,
    /// Building.
    pub building: String,
    /// Devices linked to it.
    pub devices: i64,
    /// Whether an unused household code is out.
    pub code_pending: bool,
}

/// A device linked to a household.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRow {
    /// Id (for revoking).
    pub id: i64,
    /// The name the device gave itself (a random id, not personal).
    pub device: String,
    /// When it was linked (ms).
    pub created_at: i64,
}

/// `len` random characters of [`CODE_ALPHABET`]: codes people read aloud or type
/// (household codes, ballot receipts).
pub fn readable_code(len: usize) -> Result<String, StoreError> {
    let mut bytes = vec![0u8; len];
    getrandom::getrandom(&mut bytes).map_err(|e| StoreError::Randomness(e.to_string()))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
        .collect())
}

/// A household code, printed as `ABCD-EFGH`.
fn household_code() -> Result<String, StoreError> {
    let chars = readable_code(CODE_LEN)?;
    Ok(format!("{}-{}", &chars[..4], &chars[4..]))
}

/// A code as typed (spaces, dashes, lower case) to its canonical form.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Marks an unused household code used and answers its unit; `None` when it is
/// unknown, used already or older than [`CODE_VALID_MS`]. The `UPDATE … WHERE used_at IS
/// NULL` makes the exchange single-use in the database, whatever the number of server
/// instances.
pub async fn take_code(conn: &mut Conn, code: &str, now: i64) -> Result<Option<i64>, StoreError> {
    let hash = digest(&normalise_code(code));
    let row = sqlx::query(
        "UPDATE household_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL \
         AND created_at > $3 RETURNING unit_id",
    )
    .bind(now)
    .bind(&hash)
    .bind(now - CODE_VALID_MS)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.try_get("unit_id")).transpose()?)
}

/// The label of a unit.
pub async fn unit_label(conn: &mut Conn, unit_id: i64) -> Result<String, StoreError> {
    sqlx::query("SELECT label FROM units WHERE id = $1")
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("label"))
        .transpose()?
        .ok_or(StoreError::NotFound("unit"))
}

impl Store {
    /// Adds a unit (an exclusive part: a flat, a shop) and returns its id. `label` and
    /// `building` are checked by the caller (`linli_core::household::check_name`).
    pub async fn add_unit(
        &self,
        label: &str,
        building: &str,
        by: &Actor,
        now: i64,
    ) -> Result<i64, StoreError> {
        self.write_tx(async |tx| {
            let inserted = sqlx::query(
                "INSERT INTO units (label, building, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(label)
            .bind(building)
            .bind(now)
            .fetch_one(tx.conn())
            .await
            .map_err(StoreError::from);
            let id: i64 = match inserted {
                Err(e) if e.is_unique_violation() => return Err(StoreError::Exists("unit label")),
                other => other?.try_get(0)?,
            };
            tx.audit(now, by, "unit.create", &format!("unit:{id}"))
                .await?;
            Ok(id)
        })
        .await
    }

    /// Issues a new household code for a unit, replacing any unused one, and returns
    /// it in clear (the only time it exists in clear: it is stored hashed).
    pub async fn issue_code(
        &self,
        unit_id: i64,
        by: &Actor,
        now: i64,
    ) -> Result<String, StoreError> {
        let code = household_code()?;
        self.write_tx(async |tx| {
            unit_label(tx.conn(), unit_id).await?;
            sqlx::query("DELETE FROM household_codes WHERE unit_id = $1 AND used_at IS NULL")
                .bind(unit_id)
                .execute(tx.conn())
                .await?;
            sqlx::query(
                "INSERT INTO household_codes (code_hash, unit_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(digest(&normalise_code(&code)))
            .bind(unit_id)
            .bind(now)
            .execute(tx.conn())
            .await?;
            tx.audit(now, by, "code.issue", &format!("unit:{unit_id}"))
                .await?;
            Ok(code)
        })
        .await
    }

    /// Issues new codes for every unit in one transaction (the printed sheet for a
    /// whole residents' committee): (label, code) in the units' order.
    pub async fn issue_all_codes(
        &self,
        by: &Actor,
        now: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let units = self.units(now).await?;
        let mut codes = Vec::with_capacity(units.len());
        for _ in &units {
            codes.push(household_code()?);
        }
        self.write_tx(async |tx| {
            let mut slips = Vec::with_capacity(units.len());
            for (u, code) in units.iter().zip(codes) {
                sqlx::query("DELETE FROM household_codes WHERE unit_id = $1 AND used_at IS NULL")
                    .bind(u.id)
                    .execute(tx.conn())
                    .await?;
                sqlx::query(
                    "INSERT INTO household_codes (code_hash, unit_id, created_at) VALUES ($1, $2, $3)",
                )
                .bind(digest(&normalise_code(&code)))
                .bind(u.id)
                .bind(now)
                .execute(tx.conn())
                .await?;
                slips.push((u.label.clone(), code));
            }
            tx.audit(now, by, "code.issue_all", &units.len().to_string())
                .await?;
            Ok(slips)
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
    ) -> Result<Option<(String, i64)>, StoreError> {
        let token = random_token()?;
        self.write_tx(async |tx| {
            let Some(unit_id) = take_code(tx.conn(), code, now).await? else {
                return Ok(None);
            };
            let id: i64 = sqlx::query(
                "INSERT INTO devices (token_hash, device, unit_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(digest(&token))
            .bind(device)
            .bind(unit_id)
            .bind(now)
            .fetch_one(tx.conn())
            .await?
            .try_get(0)?;
            tx.audit(now, &Actor::unit(unit_id), "device.register", &format!("device:{id}"))
                .await?;
            Ok(Some((token, unit_id)))
        })
        .await
    }

    /// The unit a device token is bound to.
    pub async fn device_unit(&self, token: &str) -> Result<Option<(i64, i64, i64)>, StoreError> {
        let row = sqlx::query(
            "SELECT d.unit_id, d.created_at, u.created_at AS since FROM devices d \
             JOIN units u ON u.id = d.unit_id WHERE d.token_hash = $1",
        )
        .bind(digest(token))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| {
                Ok::<_, sqlx::Error>((
                    r.try_get("unit_id")?,
                    r.try_get("created_at")?,
                    r.try_get("since")?,
                ))
            })
            .transpose()?)
    }

    /// The devices linked to a unit, oldest first.
    pub async fn devices(&self, unit_id: i64) -> Result<Vec<DeviceRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, device, created_at FROM devices WHERE unit_id = $1 ORDER BY created_at, id",
        )
        .bind(unit_id)
        .fetch_all(&self.pool)
        .await?;
        map_rows(&rows, |r| {
            Ok(DeviceRow {
                id: r.try_get("id")?,
                device: r.try_get("device")?,
                created_at: r.try_get("created_at")?,
            })
        })
    }

    /// Unlinks one device of a unit: its token stops working at once. `false` when the
    /// unit has no such device.
    pub async fn revoke_device(
        &self,
        unit_id: i64,
        device_id: i64,
        by: &Actor,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write_tx(async |tx| {
            let gone = sqlx::query("DELETE FROM devices WHERE id = $1 AND unit_id = $2")
                .bind(device_id)
                .bind(unit_id)
                .execute(tx.conn())
                .await?
                .rows_affected()
                > 0;
            if gone {
                tx.audit(
                    now,
                    by,
                    "device.revoke",
                    &format!("unit:{unit_id} device:{device_id}"),
                )
                .await?;
            }
            Ok(gone)
        })
        .await
    }

    /// One unit, with whether a code is out at `now`.
    pub async fn unit(&self, unit_id: i64, now: i64) -> Result<Option<UnitRow>, StoreError> {
        Ok(self.units(now).await?.into_iter().find(|u| u.id == unit_id))
    }

    /// Units with their device count and whether a usable code is out at `now`.
    pub async fn units(&self, now: i64) -> Result<Vec<UnitRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.id, u.label, u.building, \
               (SELECT COUNT(*) FROM devices d WHERE d.unit_id = u.id) AS devices, \
               CASE WHEN EXISTS (SELECT 1 FROM household_codes c WHERE c.unit_id = u.id \
                       AND c.used_at IS NULL AND c.created_at > $1) THEN 1 ELSE 0 END AS pending \
             FROM units u ORDER BY u.building, u.label",
        )
        .bind(now - CODE_VALID_MS)
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_unambiguous_alphabet() {
        for _ in 0..100 {
            let code = household_code().unwrap();
            assert_eq!(code.len(), 9);
            assert!(
                normalise_code(&code)
                    .bytes()
                    .all(|b| CODE_ALPHABET.contains(&b)),
                "{code}"
            );
        }
    }

    #[test]
    fn typed_codes_normalise() {
        assert_eq!(normalise_code(" abcd-efgh "), "ABCDEFGH");
    }
}
