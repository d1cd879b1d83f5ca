//! The device's IndexedDB: the outbox (every submission until the server has it) and a
//! few settings (the device token, the updates cursor).
//!
//! Versioned schema, declared in [`SCHEMA`]: each step only adds a store, and opening
//! runs the steps the stored database has not had yet, so an upgrade migrates and
//! never drops what is queued. Stored outbox records are read through the core's
//! codec; one that cannot be read (damaged, or written by a newer app) is reported
//! with its field, not deleted.
//!
//! The IndexedDB calls are a few lines of JavaScript below: indexed_db_futures did the
//! same for 21 KB gzip of WASM, which the download budget cannot spare.

use js_sys::{Array, Promise};
use linli_core::sync::outbox::Entry;
use linli_core::sync::wire::WireError;
use linli_core::Text;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::js::{error_message, from_js, to_js};

#[wasm_bindgen(inline_js = r#"
function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}
function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}
export async function idbOpen(name, version, steps) {
  const r = indexedDB.open(name, version);
  r.onupgradeneeded = (event) => {
    const db = r.result;
    for (const [step, store, keyPath] of steps) {
      if (step > event.oldVersion && step <= version && !db.objectStoreNames.contains(store)) {
        db.createObjectStore(store, keyPath ? { keyPath } : undefined);
      }
    }
  };
  return request(r);
}
export async function idbPut(db, store, value, key) {
  const tx = db.transaction(store, "readwrite");
  const s = tx.objectStore(store);
  if (key === undefined) s.put(value); else s.put(value, key);
  return finished(tx);
}
export async function idbGetAll(db, store) {
  return request(db.transaction(store).objectStore(store).getAll());
}
export async function idbGet(db, store, key) {
  return request(db.transaction(store).objectStore(store).get(key));
}
export async function idbDelete(db, store, key) {
  const tx = db.transaction(store, "readwrite");
  tx.objectStore(store).delete(key);
  return finished(tx);
}
export async function idbDeleteDatabase(name) {
  return request(indexedDB.deleteDatabase(name));
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = idbOpen)]
    fn idb_open(name: &str, version: u32, steps: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = idbPut)]
    fn idb_put(db: &JsValue, store: &str, value: &JsValue, key: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = idbGetAll)]
    fn idb_get_all(db: &JsValue, store: &str) -> Promise;
    #[wasm_bindgen(js_name = idbGet)]
    fn idb_get(db: &JsValue, store: &str, key: &str) -> Promise;
    #[wasm_bindgen(js_name = idbDelete)]
    fn idb_delete(db: &JsValue, store: &str, key: &str) -> Promise;
    #[wasm_bindgen(js_name = idbDeleteDatabase)]
    fn idb_delete_database(name: &str) -> Promise;
}

/// Database name (one per origin, so one per deployment).
pub const DB_NAME: &str = "linli";
/// The outbox store, keyed by the submission id inside each record.
pub const OUTBOX: &str = "outbox";
/// Small settings, keyed by name.
pub const SETTINGS: &str = "settings";
/// Schema steps: (version, store, key path). Append only; never edit or remove.
pub const SCHEMA: &[(u32, &str, Option<&str>)] = &[(1, OUTBOX, Some("id")), (2, SETTINGS, None)];
/// The schema version this build writes: the last step's.
pub const SCHEMA_VERSION: u32 = 2;

/// Why storage failed; each kind has its own explanation for the resident
/// ([`StorageError::text`]), none of them "not linked".
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StorageError {
    /// The browser has no IndexedDB, or refused to open it (private mode, site data
    /// blocked).
    Unavailable(String),
    /// The write did not fit: `QuotaExceededError`.
    Full(String),
    /// The connection went away mid-session (`InvalidStateError`, as Safari does when
    /// it closes the database under a page): reopening may work.
    Lost(String),
    /// Another failure of a read or write.
    Failed(String),
}

impl StorageError {
    /// What the resident reads: what happened and what to do.
    pub fn text(&self) -> Text {
        match self {
            StorageError::Unavailable(_) => Text::StorageUnavailable,
            StorageError::Full(_) => Text::StorageFull,
            StorageError::Lost(_) => Text::StorageLost,
            StorageError::Failed(_) => Text::StorageFailed,
        }
    }

    /// Sorts a rejected IndexedDB call by the DOMException's name.
    fn of_write(e: &JsValue) -> StorageError {
        let message = error_message(e);
        match error_name(e).as_str() {
            "QuotaExceededError" => StorageError::Full(message),
            "InvalidStateError" | "TransactionInactiveError" => StorageError::Lost(message),
            "ReferenceError" | "SecurityError" => StorageError::Unavailable(message),
            _ => StorageError::Failed(message),
        }
    }
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Unavailable(e) => write!(f, "storage unavailable: {e}"),
            StorageError::Full(e) => write!(f, "storage full: {e}"),
            StorageError::Lost(e) => write!(f, "storage connection lost: {e}"),
            StorageError::Failed(e) => write!(f, "storage failed: {e}"),
        }
    }
}

impl std::error::Error for StorageError {}

/// The `name` of a thrown value (`QuotaExceededError`, …), or "".
fn error_name(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default()
}

async fn call(promise: Promise) -> Result<JsValue, StorageError> {
    JsFuture::from(promise)
        .await
        .map_err(|e| StorageError::of_write(&e))
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
    db: JsValue,
}

impl Storage {
    /// Opens at the current schema version, migrating older databases.
    pub async fn open() -> Result<Storage, StorageError> {
        Storage::open_at(SCHEMA_VERSION).await
    }

    /// Opens at a given schema version (tests use this to make an older database).
    pub async fn open_at(version: u32) -> Result<Storage, StorageError> {
        let steps: Array = SCHEMA
            .iter()
            .map(|(v, store, key_path)| {
                let step = Array::new();
                step.push(&JsValue::from(*v));
                step.push(&JsValue::from_str(store));
                step.push(&key_path.map_or(JsValue::NULL, JsValue::from_str));
                JsValue::from(step)
            })
            .collect();
        let db = JsFuture::from(idb_open(DB_NAME, version, &steps))
            .await
            .map_err(|e| match StorageError::of_write(&e) {
                full @ StorageError::Full(_) => full,
                other => StorageError::Unavailable(other.to_string()),
            })?;
        Ok(Storage { db })
    }

    /// Writes (or rewrites) an outbox entry; resolves once the transaction commits.
    pub async fn put_entry(&self, entry: &Entry) -> Result<(), StorageError> {
        let value = to_js(&entry.to_value());
        call(idb_put(&self.db, OUTBOX, &value, &JsValue::UNDEFINED)).await?;
        Ok(())
    }

    /// Every outbox record: readable entries, and the unreadable ones with why.
    pub async fn entries(&self) -> Result<(Vec<Entry>, Vec<Unreadable>), StorageError> {
        let records = Array::from(&call(idb_get_all(&self.db, OUTBOX)).await?);
        let mut entries = Vec::with_capacity(records.length() as usize);
        let mut unreadable = Vec::new();
        for record in records.iter() {
            match Entry::from_value(&from_js(&record)) {
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

    /// Deletes an outbox record by its id; resolves once the transaction commits.
    pub async fn delete_entry(&self, id: &str) -> Result<(), StorageError> {
        call(idb_delete(&self.db, OUTBOX, id)).await?;
        Ok(())
    }

    /// A setting.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(call(idb_get(&self.db, SETTINGS, key)).await?.as_string())
    }

    /// Stores a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StorageError> {
        call(idb_put(
            &self.db,
            SETTINGS,
            &JsValue::from_str(value),
            &JsValue::from_str(key),
        ))
        .await?;
        Ok(())
    }

    /// Deletes the whole database (a resident erasing their data from this device).
    pub async fn destroy() -> Result<(), StorageError> {
        call(idb_delete_database(DB_NAME)).await?;
        Ok(())
    }

    /// Closes the connection (so a newer version can open it).
    pub fn close(self) {
        if let Ok(close) = js_sys::Reflect::get(&self.db, &"close".into()) {
            if let Some(f) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&close) {
                let _ = f.call0(&self.db);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_only_grows_and_ends_at_the_current_version() {
        let versions: Vec<u32> = SCHEMA.iter().map(|(v, _, _)| *v).collect();
        assert!(versions.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(versions.last(), Some(&SCHEMA_VERSION));
    }
}
