//! The device's IndexedDB: the outbox (every submission until the server has it) and a
//! few settings (the device token, the updates cursor).
//!
//! Versioned schema: each version only adds. Opening runs every step the stored
//! database has not had yet, so an upgrade migrates and never drops what is queued.
//! Stored outbox records are read through the core's codec; one that cannot be read
//! (damaged, or written by a newer app) is reported with its field, not deleted.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyPath;
use linli_core::sync::outbox::Entry;
use linli_core::sync::wire::WireError;
use wasm_bindgen::JsValue;

use crate::js::{from_js, to_js};

/// Database name (one per origin, so one per deployment).
pub const DB_NAME: &str = "linli";
/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 2;
/// The outbox store, keyed by submission id.
pub const OUTBOX: &str = "outbox";
/// Small settings, keyed by name.
pub const SETTINGS: &str = "settings";

/// Why storage failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StorageError {
    /// The browser has no IndexedDB, or refused to open it (private mode, quota).
    Unavailable(String),
    /// A read or write failed.
    Failed(String),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Unavailable(e) => write!(f, "storage unavailable: {e}"),
            StorageError::Failed(e) => write!(f, "storage failed: {e}"),
        }
    }
}

impl std::error::Error for StorageError {}

fn failed(e: impl std::fmt::Display) -> StorageError {
    StorageError::Failed(e.to_string())
}

/// An outbox record that could not be read, kept as it is and shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreadable {
    /// Its key.
    pub key: String,
    /// Where it is damaged.
    pub problem: WireError,
}

/// The opened database.
pub struct Storage {
    db: Database,
}

impl Storage {
    /// Opens at the current schema version, migrating older databases.
    pub async fn open() -> Result<Storage, StorageError> {
        Storage::open_at(SCHEMA_VERSION).await
    }

    /// Opens at a given schema version (tests use this to make an older database).
    pub async fn open_at(version: u32) -> Result<Storage, StorageError> {
        let db = Database::open(DB_NAME)
            .with_version(version)
            .with_on_upgrade_needed(move |event, db| {
                // Versions are small integers stored as f64.
                let old = event.old_version() as u32;
                upgrade(&db, old, version)
            })
            .await
            .map_err(|e| StorageError::Unavailable(e.to_string()))?;
        Ok(Storage { db })
    }

    /// Writes (or rewrites) an outbox entry; resolves once the browser has it.
    pub async fn put_entry(&self, entry: &Entry) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(OUTBOX)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(failed)?;
        let store = tx.object_store(OUTBOX).map_err(failed)?;
        store.put(to_js(&entry.to_value())).await.map_err(failed)?;
        tx.commit().await.map_err(failed)
    }

    /// Every outbox record: readable entries, and the unreadable ones with why.
    pub async fn entries(&self) -> Result<(Vec<Entry>, Vec<Unreadable>), StorageError> {
        let tx = self.db.transaction(OUTBOX).build().map_err(failed)?;
        let store = tx.object_store(OUTBOX).map_err(failed)?;
        let records: Vec<JsValue> = store
            .get_all::<JsValue>()
            .await
            .map_err(failed)?
            .collect::<Result<_, _>>()
            .map_err(failed)?;
        let mut entries = Vec::with_capacity(records.len());
        let mut unreadable = Vec::new();
        for record in records {
            let value = from_js(&record);
            match Entry::from_value(&value) {
                Ok(e) => entries.push(e),
                Err(problem) => unreadable.push(Unreadable {
                    key: js_sys::Reflect::get(&record, &"id".into())
                        .ok()
                        .and_then(|k| k.as_string())
                        .unwrap_or_default(),
                    problem,
                }),
            }
        }
        Ok((entries, unreadable))
    }

    /// A setting.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StorageError> {
        let tx = self.db.transaction(SETTINGS).build().map_err(failed)?;
        let store = tx.object_store(SETTINGS).map_err(failed)?;
        let value: Option<JsValue> = store.get(key).primitive().map_err(failed)?.await.map_err(failed)?;
        Ok(value.and_then(|v| v.as_string()))
    }

    /// Stores a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(SETTINGS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(failed)?;
        let store = tx.object_store(SETTINGS).map_err(failed)?;
        store.put(value).with_key(key).await.map_err(failed)?;
        tx.commit().await.map_err(failed)
    }

    /// Deletes the whole database (a resident erasing their data from this device).
    pub async fn destroy() -> Result<(), StorageError> {
        Database::delete_by_name(DB_NAME)
            .map_err(failed)?
            .await
            .map_err(failed)
    }

    /// Closes the connection (so a newer version can open it).
    pub fn close(self) {
        self.db.close();
    }
}

/// Runs the schema steps after `old` up to `new`. Each step only adds.
fn upgrade(db: &Database, old: u32, new: u32) -> indexed_db_futures::Result<()> {
    let has = |name: &str| db.object_store_names().any(|n| n == name);
    // 1: the outbox, keyed by the submission id inside each record.
    if old < 1 && new >= 1 && !has(OUTBOX) {
        db.create_object_store(OUTBOX)
            .with_key_path(KeyPath::One("id"))
            .build()?;
    }
    // 2: settings (device token, updates cursor), keyed out of line.
    if old < 2 && new >= 2 && !has(SETTINGS) {
        db.create_object_store(SETTINGS).build()?;
    }
    Ok(())
}
