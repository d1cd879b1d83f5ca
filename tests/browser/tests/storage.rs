//! The IndexedDB outbox in a real browser: it survives a remount, and an upgrade from
//! an older schema keeps what was queued.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use linli_core::json::Value;
use linli_core::sync::outbox::{Entry, Event, State};
use linli_core::sync::wire::{Envelope, SubmissionId};
use linli_shell::storage::{Storage, SCHEMA_VERSION};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn entry(byte: u8) -> Entry {
    Entry::new(Envelope {
        id: SubmissionId::from_random([byte; 16]),
        kind: "meal_order".into(),
        payload: Value::Object(vec![("n".into(), Value::Number(f64::from(byte)))]),
        created_at: 1_764_300_000_000,
        device: "test-device".into(),
    })
}

#[wasm_bindgen_test]
async fn the_outbox_survives_closing_and_reopening() {
    Storage::destroy().await.unwrap();
    let storage = Storage::open().await.unwrap();
    let sent = entry(1).apply(Event::Send { now: 5 }).unwrap();
    storage.put_entry(&entry(2)).await.unwrap();
    storage.put_entry(&sent).await.unwrap();
    storage.set_setting("device_token", "tok").await.unwrap();
    storage.close();

    let storage = Storage::open().await.unwrap();
    let (mut entries, unreadable) = storage.entries().await.unwrap();
    entries.sort_by(|a, b| a.id().cmp(b.id()));
    assert!(unreadable.is_empty());
    assert_eq!(entries.len(), 2);
    assert!(entries.contains(&entry(2)));
    assert!(entries.contains(&sent), "state and attempts are kept");
    assert_eq!(
        storage.setting("device_token").await.unwrap().as_deref(),
        Some("tok")
    );
    assert_eq!(storage.setting("missing").await.unwrap(), None);
    // Rewriting an entry replaces it, never duplicates it.
    storage.put_entry(&sent.clone().recover()).await.unwrap();
    let (entries, _) = storage.entries().await.unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries
        .iter()
        .any(|e| e.state == State::Queued && e.id() == sent.id()));
    storage.close();
}

#[wasm_bindgen_test]
async fn upgrading_from_schema_1_keeps_queued_entries() {
    Storage::destroy().await.unwrap();
    let old = Storage::open_at(1).await.unwrap();
    for b in 10..15 {
        old.put_entry(&entry(b)).await.unwrap();
    }
    // Schema 1 had no settings store.
    assert!(old.setting("x").await.is_err());
    old.close();

    let new = Storage::open().await.unwrap();
    assert_eq!(SCHEMA_VERSION, 2);
    let (entries, unreadable) = new.entries().await.unwrap();
    assert_eq!(entries.len(), 5, "an upgrade dropped queued entries");
    assert!(unreadable.is_empty());
    new.set_setting("cursor", "7").await.unwrap();
    assert_eq!(new.setting("cursor").await.unwrap().as_deref(), Some("7"));
    new.close();
}

#[wasm_bindgen_test]
fn read_marks_are_kept_once_each_and_only_the_latest() {
    use linli_shell::notices::{keep_read, read_marks, MAX_READ, READ_KEY};
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(READ_KEY).unwrap();
    keep_read("water");
    keep_read("water");
    assert_eq!(keep_read("lift"), "water\nlift\n");
    let mut kept = String::new();
    for i in 0..MAX_READ {
        kept = keep_read(&format!("n{i}"));
    }
    assert_eq!(*read_marks(), *kept);
    let kept: Vec<&str> = kept.lines().collect();
    assert_eq!(kept.len(), MAX_READ);
    assert_eq!(kept[0], "n0", "the oldest marks went first");
    storage.remove_item(READ_KEY).unwrap();
}
