//! The outbox in a real browser: saved before anything is sent, kept and retried
//! with the same id when the network or the server fails.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use linli_core::json::Value;
use linli_core::sync::outbox::State;
use linli_shell::household::DEVICE_TOKEN;
use linli_shell::outbox::{submit, sync_once};
use linli_shell::storage::Storage;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn note(text: &str) -> Value {
    Value::Object(vec![("text".into(), Value::String(text.into()))])
}

async fn fresh() -> Storage {
    Storage::destroy().await.unwrap();
    Storage::open().await.unwrap()
}

#[wasm_bindgen_test]
async fn a_submission_is_saved_before_any_network_and_waits_without_a_household() {
    let storage = fresh().await;
    storage.close();
    let id = submit("test_note", note("路灯坏了")).await.unwrap();
    let report = sync_once(None, false).await.unwrap();
    assert_eq!(
        (report.sent, report.waiting),
        (0, 1),
        "nothing is sent before the phone is linked"
    );
    let storage = Storage::open().await.unwrap();
    let (entries, _) = storage.entries().await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].id(), &id);
    assert_eq!(entries[0].state, State::Queued);
    assert_eq!(
        storage.setting("persist_asked").await.unwrap().as_deref(),
        Some("1")
    );
    storage.close();
}

#[wasm_bindgen_test]
async fn no_network_keeps_the_entry_and_its_id_for_a_retry() {
    let storage = fresh().await;
    storage.set_setting(DEVICE_TOKEN, "token").await.unwrap();
    storage.close();
    let id = submit("test_note", note("x")).await.unwrap();
    // Nothing listens on port 9 of loopback: the request gets no answer.
    let report = sync_once(Some("http://127.0.0.1:9"), false).await.unwrap();
    assert_eq!((report.sent, report.retrying, report.waiting), (1, 1, 1));
    let storage = Storage::open().await.unwrap();
    let (entries, _) = storage.entries().await.unwrap();
    assert_eq!(entries[0].id(), &id);
    assert!(
        matches!(&entries[0].state, State::RetryWait { reason, .. } if reason == "no network"),
        "{:?}",
        entries[0].state
    );
    assert_eq!(entries[0].attempts, 1);
    // Not due yet: a second pass sends nothing.
    storage.close();
    assert_eq!(
        sync_once(Some("http://127.0.0.1:9"), false)
            .await
            .unwrap()
            .sent,
        0
    );
}

#[wasm_bindgen_test]
async fn a_server_without_the_api_is_retried_not_refused() {
    let storage = fresh().await;
    storage.set_setting(DEVICE_TOKEN, "token").await.unwrap();
    storage.close();
    submit("test_note", note("y")).await.unwrap();
    // The test page's own server has no /api: 404, which is not the submission's fault.
    let report = sync_once(None, false).await.unwrap();
    assert_eq!((report.sent, report.rejected, report.retrying), (1, 0, 1));
    let storage = Storage::open().await.unwrap();
    let (entries, _) = storage.entries().await.unwrap();
    assert!(
        matches!(&entries[0].state, State::RetryWait { reason, .. } if reason == "HTTP 404"),
        "{:?}",
        entries[0].state
    );
    storage.close();
}
