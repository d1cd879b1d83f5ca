//! Linking this device to a household: the resident types the household code (户码)
//! staff gave them; the server answers a device token bound to that unit, kept in
//! IndexedDB. Submissions that need a household use it.

use linli_core::json::Value;
use linli_core::Text;

use crate::net::{api_url, post_json, random_bytes};
use crate::storage::{Storage, StorageError};

/// Settings keys.
pub const DEVICE_ID: &str = "device_id";
/// The device token from the server.
pub const DEVICE_TOKEN: &str = "device_token";

/// Why a device id could not be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceIdError {
    /// Storage failed to read or keep it.
    Storage(StorageError),
    /// The browser has no secure random generator to make one.
    NoRandomness,
}

/// This device's id, made once and kept.
pub async fn device_id(storage: &Storage) -> Result<String, DeviceIdError> {
    if let Some(id) = storage
        .setting(DEVICE_ID)
        .await
        .map_err(DeviceIdError::Storage)?
    {
        return Ok(id);
    }
    let bytes = random_bytes().ok_or(DeviceIdError::NoRandomness)?;
    let id: String = bytes[..8].iter().map(|b| format!("{b:02x}")).collect();
    storage
        .set_setting(DEVICE_ID, &id)
        .await
        .map_err(DeviceIdError::Storage)?;
    Ok(id)
}

/// Settings key: the label of the household this phone is linked to (3幢201).
pub const HOUSEHOLD_LABEL: &str = "household_label";

/// Whether this device holds a token: the household's label (empty when linked by an
/// older version), or `None` when not linked; storage that cannot be read is an error
/// of its own, never "not linked".
pub async fn linked_to() -> Result<Option<String>, StorageError> {
    let storage = Storage::open().await?;
    let token = storage.setting(DEVICE_TOKEN).await;
    let label = storage.setting(HOUSEHOLD_LABEL).await;
    storage.close();
    Ok(token?.map(|_| label.ok().flatten().unwrap_or_default()))
}

/// This device's token for the household's requests, `None` when not linked; storage
/// that cannot be read is its error, never "not linked".
pub async fn token() -> Result<Option<String>, StorageError> {
    let storage = Storage::open().await?;
    let token = storage.setting(DEVICE_TOKEN).await;
    storage.close();
    token
}

/// Fired on `window` once this phone is linked, so pages that show the household's
/// data (the meals group of 我的) load it at once.
pub const LINKED_EVENT: &str = "linli-linked";

/// Exchanges a household code for a device token; the error is the sentence to show.
pub async fn link(server_url: Option<&str>, code: &str) -> Result<(), Text> {
    let storage = Storage::open().await.map_err(|e| e.text())?;
    let result = link_with(&storage, server_url, code).await;
    storage.close();
    if result.is_ok() {
        if let (Some(w), Ok(e)) = (web_sys::window(), web_sys::Event::new(LINKED_EVENT)) {
            let _ = w.dispatch_event(&e);
        }
    }
    result
}

async fn link_with(storage: &Storage, server_url: Option<&str>, code: &str) -> Result<(), Text> {
    let device = device_id(storage).await.map_err(|e| match e {
        DeviceIdError::Storage(e) => e.text(),
        DeviceIdError::NoRandomness => Text::SaveReasonBrowser,
    })?;
    let body = Value::Object(vec![
        ("code".into(), Value::String(code.trim().to_owned())),
        ("device".into(), Value::String(device)),
    ]);
    let url = api_url(server_url, "api/v1/devices");
    let (status, answer) = post_json(&url, &body, None, None)
        .await
        .map_err(|_| Text::BindOffline)?;
    match status {
        201 => {
            let token = match &answer {
                Value::Object(m) => m.iter().find_map(|(k, v)| match (k.as_str(), v) {
                    ("token", Value::String(t)) => Some(t.clone()),
                    _ => None,
                }),
                _ => None,
            };
            let token = token.ok_or(Text::BindOffline)?;
            if let Value::Object(m) = &answer {
                if let Some((_, Value::String(label))) = m.iter().find(|(k, _)| k == "unit") {
                    let _ = storage.set_setting(HOUSEHOLD_LABEL, label).await;
                }
            }
            storage
                .set_setting(DEVICE_TOKEN, &token)
                .await
                .map_err(|e| e.text())
        }
        404 | 422 => Err(Text::BindFailed),
        429 => Err(Text::BindTooMany),
        _ => Err(Text::BindOffline),
    }
}
