//! Golden files written by the release of 2026-12 (stored outbox entries, a board as
//! the server sends it): every newer app must still read them, since phones keep
//! what they stored across updates. Never regenerate these; add newer ones beside.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use linli_core::json::{self, Value};
use linli_core::meals::{Board, Cancel, MealOrder, Profile, Status};
use linli_core::sync::outbox::{Entry, State};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn outbox_entries_stored_by_the_2026_12_release_still_read() {
    let Value::Array(stored) = fixture("outbox-2026-12.json") else {
        panic!("not an array")
    };
    let entries: Vec<Entry> = stored
        .iter()
        .map(|v| Entry::from_value(v).unwrap())
        .collect();
    let states: Vec<&str> = entries
        .iter()
        .map(|e| match &e.state {
            State::Queued => "queued",
            State::RetryWait { .. } => "retry_wait",
            State::Rejected(_) => "rejected",
            State::Acked { .. } => "acked",
            _ => "other",
        })
        .collect();
    assert_eq!(states, ["queued", "retry_wait", "rejected", "acked"]);
    // And their payloads, by the scenario's codec.
    let order = MealOrder::from_value(&entries[0].envelope.payload, 0).unwrap();
    assert_eq!(
        (order.lines[0].dish.as_str(), order.lines[0].qty),
        ("congee", 2)
    );
    assert!(Cancel::from_value(&entries[1].envelope.payload).is_ok());
    assert!(MealOrder::from_value(&entries[2].envelope.payload, 0).is_ok());
    assert_eq!(
        Profile::from_value(&entries[3].envelope.payload)
            .unwrap()
            .allergies,
        ["花生"]
    );
    // What is read is written back the same (compared as canonical JSON text).
    for (e, v) in entries.iter().zip(&stored) {
        assert_eq!(json::to_string(&e.to_value()), json::to_string(v));
    }
}

#[test]
fn a_board_sent_by_the_2026_12_server_still_reads() {
    let board = Board::from_value(&fixture("board-2026-12.json")).unwrap();
    assert_eq!(board.elders[0].name, "张桂英");
    assert_eq!(board.menus[0].menu.dishes.len(), 2);
    assert_eq!(board.menus[0].ordered, [("fish".to_owned(), 4)]);
    assert_eq!(board.orders[0].status, Status::Received);
    assert_eq!(board.orders[0].price.pay, 300);
}
