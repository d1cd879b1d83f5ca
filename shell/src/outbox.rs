//! Submissions on their way: saved on the device first, then sent by a loop in the
//! page (never by the service worker) until the server acknowledges them.
//!
//! [`submit`] returns once the entry is committed to IndexedDB, so "saved" is true
//! when the resident sees it. [`sync_once`] sends what is due, one at a time, each
//! transition persisted before and after the request, so an app closed mid-send loses
//! nothing and a retry (same id) never makes a second record.

use std::cell::Cell;

use linli_core::evaluation::is_evaluation;
use linli_core::json::Value;
use linli_core::sync::outbox::{classify, oldest_first, Entry, Event, Outcome, State, NO_NETWORK};
use linli_core::sync::wire::{Ack, Envelope, ErrorBody, Millis, SubmissionId};
use linli_core::Text;

use crate::household::{device_id, DeviceIdError, DEVICE_TOKEN};
use crate::net::{api_url, post_json, random_bytes};
use crate::storage::{Storage, StorageError};

/// Event fired on `window` when the outbox changed, so views and the sync loop react.
pub const CHANGED_EVENT: &str = "linli-outbox-changed";
/// Event a page embedding the shell fires on `window` to submit from JavaScript:
/// `dispatchEvent(new CustomEvent("linli-submit", {detail: {kind, payload}}))`.
/// The submission is saved like a widget's; [`SUBMITTED_EVENT`] answers.
pub const SUBMIT_EVENT: &str = "linli-submit";
/// The answer to [`SUBMIT_EVENT`], once the submission is on the device:
/// `detail: {ref, id}` (or `{ref, error}`), `ref` being whatever the page sent.
pub const SUBMITTED_EVENT: &str = "linli-submitted";
/// Event fired on `window` once a submission is kept on the device (its IndexedDB
/// transaction committed): `detail` is its kind. Public evaluation counts a completed
/// action from it.
pub const KEPT_EVENT: &str = "linli-kept";
/// Settings key: persistent storage was asked for once already.
const PERSIST_ASKED: &str = "persist_asked";

/// Now, from the browser clock.
pub fn now_ms() -> Millis {
    js_sys::Date::now() as Millis
}

fn announce_change() {
    if let Some(w) = web_sys::window() {
        if let Ok(event) = web_sys::Event::new(CHANGED_EVENT) {
            let _ = w.dispatch_event(&event);
        }
    }
}

/// Why a submission could not be saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubmitError {
    /// No IndexedDB or it refused the write.
    Storage(StorageError),
    /// The browser has no secure random generator to make an id.
    NoRandomness,
}

impl SubmitError {
    /// What the resident reads: what happened and what to do.
    pub fn text(&self) -> Text {
        match self {
            SubmitError::Storage(e) => e.text(),
            SubmitError::NoRandomness => Text::SaveReasonBrowser,
        }
    }
}

impl std::fmt::Display for SubmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SubmitError::Storage(e) => e.fmt(f),
            SubmitError::NoRandomness => f.write_str("no secure random numbers"),
        }
    }
}

/// Saves a submission in the outbox and starts sending it. Returns its id once it is
/// on the device (whatever the network is doing).
pub async fn submit(kind: &str, payload: Value) -> Result<SubmissionId, SubmitError> {
    let storage = Storage::open().await.map_err(SubmitError::Storage)?;
    let result = save(&storage, kind, payload).await;
    storage.close();
    let id = result?;
    announce_change();
    announce_kept(kind);
    Ok(id)
}

fn announce_kept(kind: &str) {
    if let Some(w) = web_sys::window() {
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&wasm_bindgen::JsValue::from_str(kind));
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(KEPT_EVENT, &init) {
            let _ = w.dispatch_event(&event);
        }
    }
}

async fn save(storage: &Storage, kind: &str, payload: Value) -> Result<SubmissionId, SubmitError> {
    // Public evaluation's kinds carry the same device on every phone: nothing in them
    // tells this one apart.
    let device = if is_evaluation(kind) {
        linli_core::evaluation::ANONYMOUS_DEVICE.to_owned()
    } else {
        device_id(storage).await.map_err(|e| match e {
            DeviceIdError::Storage(e) => SubmitError::Storage(e),
            DeviceIdError::NoRandomness => SubmitError::NoRandomness,
        })?
    };
    let id = SubmissionId::from_random(random_bytes().ok_or(SubmitError::NoRandomness)?);
    let entry = Entry::new(Envelope {
        id: id.clone(),
        kind: kind.to_owned(),
        payload,
        // The server's time as this phone knows it: a wrong phone clock would have the
        // submission refused (`device_clock`).
        created_at: crate::clock::server_now() as Millis,
        device,
    });
    storage
        .put_entry(&entry)
        .await
        .map_err(SubmitError::Storage)?;
    ask_for_persistence(storage).await;
    Ok(id)
}

/// On the first submission, ask the browser not to evict this origin's storage.
async fn ask_for_persistence(storage: &Storage) {
    if matches!(storage.setting(PERSIST_ASKED).await, Ok(Some(_))) {
        return;
    }
    if let Some(manager) = web_sys::window().map(|w| w.navigator().storage()) {
        if let Ok(p) = manager.persist() {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
    }
    let _ = storage.set_setting(PERSIST_ASKED, "1").await;
}

/// Marks a refused submission as read by the resident: it stops showing as news and
/// stays on the device and in the export.
pub async fn dismiss(id: &SubmissionId) -> Result<(), StorageError> {
    let storage = Storage::open().await?;
    let result = async {
        let (entries, _) = storage.entries().await?;
        if let Some(read) = entries
            .into_iter()
            .find(|e| e.id() == id)
            .and_then(|e| e.apply(Event::Dismiss).ok())
        {
            storage.put_entry(&read).await?;
        }
        Ok(())
    }
    .await;
    storage.close();
    announce_change();
    result
}

/// What one pass of the loop did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Requests made.
    pub sent: usize,
    /// Acknowledged now.
    pub acked: usize,
    /// Refused by the server now.
    pub rejected: usize,
    /// Failed and waiting to retry.
    pub retrying: usize,
    /// Still waiting after this pass.
    pub waiting: usize,
}

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Sends every due submission once. Does nothing without a linked household or while
/// another pass runs. With `wake`, entries waiting out a backoff are sent now too
/// (the app just started, or the device just came back online).
pub async fn sync_once(server_url: Option<&str>, wake: bool) -> Result<SyncReport, StorageError> {
    if RUNNING.with(|r| r.replace(true)) {
        return Ok(SyncReport::default());
    }
    let result = match Storage::open().await {
        Ok(storage) => {
            let r = pass(&storage, server_url, wake).await;
            storage.close();
            r
        }
        Err(e) => Err(e),
    };
    RUNNING.with(|r| r.set(false));
    if matches!(result, Ok(report) if report.sent > 0) {
        announce_change();
    }
    result
}

async fn pass(
    storage: &Storage,
    server_url: Option<&str>,
    wake: bool,
) -> Result<SyncReport, StorageError> {
    let mut report = SyncReport::default();
    let entries = oldest_first(storage.entries().await?.0);
    let Some(token) = storage.setting(DEVICE_TOKEN).await? else {
        report.waiting = entries.iter().filter(|e| e.is_waiting()).count();
        return Ok(report);
    };
    let url = api_url(server_url, "api/v1/submissions");
    let anonymous = api_url(server_url, linli_core::evaluation::ENDPOINT);
    let mut offline = false;
    for entry in entries {
        // No pass is running but this one, so `Sending` means an app closed mid-send.
        let entry = entry.recover();
        let entry = if wake { entry.wake() } else { entry };
        if offline || !entry.is_due(now_ms()) {
            report.waiting += usize::from(entry.is_waiting());
            continue;
        }
        let Ok(sending) = entry.apply(Event::Send { now: now_ms() }) else {
            continue;
        };
        storage.put_entry(&sending).await?;
        report.sent += 1;
        let id = sending.id().as_str().to_owned();
        let to = if is_evaluation(&sending.envelope.kind) {
            &anonymous
        } else {
            &url
        };
        let event = match post_json(to, &sending.envelope.to_value(), Some(&token), Some(&id)).await
        {
            Ok((status, body)) => answer(status, &body),
            Err(_) => {
                offline = true;
                failure(NO_NETWORK.into())
            }
        };
        let done = match sending.clone().apply(event) {
            Ok(done) => done,
            // An ack for another id: not ours; wait and retry.
            Err(_) => match sending.apply(failure("unexpected answer".into())) {
                Ok(done) => done,
                Err(_) => continue,
            },
        };
        storage.put_entry(&done).await?;
        match done.state {
            State::Acked { .. } => report.acked += 1,
            State::Rejected(_) => report.rejected += 1,
            _ => {
                report.retrying += 1;
                report.waiting += 1;
            }
        }
    }
    Ok(report)
}

fn failure(reason: String) -> Event {
    let jitter = random_bytes().map_or(500, |b| u16::from_le_bytes([b[0], b[1]]) % 1000);
    Event::Failed {
        now: now_ms(),
        reason,
        jitter_permille: jitter,
    }
}

fn answer(status: u16, body: &Value) -> Event {
    match classify(status) {
        Outcome::Stored => match Ack::from_value(body) {
            Ok(ack) => Event::Acked(ack),
            Err(_) => failure(format!("HTTP {status} without an acknowledgement")),
        },
        Outcome::Refused => Event::Rejected(ErrorBody::from_value(body).unwrap_or(ErrorBody {
            code: format!("http_{status}"),
            message: format!("refused (HTTP {status})"),
            field: None,
        })),
        Outcome::TryLater => failure(format!("HTTP {status}")),
    }
}
