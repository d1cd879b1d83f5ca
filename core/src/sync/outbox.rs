//! The outbox: every submission a resident makes, from "saved on this phone" to
//! "received by the sub-district", as a state machine.
//!
//! ```text
//!            start                 ack
//! Queued ───────────▶ Sending ───────────▶ Acked
//!   ▲                  │   │  4xx
//!   │ due (backoff)    │   └──────────────▶ Rejected  (kept, shown, not retried)
//!   │                  ▼ 5xx / timeout / offline      │ read by the resident
//! RetryWait ◀──────────┘                              ▼
//!                                                 Dismissed (kept, exported, not shown)
//! ```
//!
//! A retry always carries the same id, so a timeout after the server stored the
//! submission is answered with the original ack and never makes a second record. An app
//! closed mid-send leaves an entry in `Sending`; [`Entry::recover`] puts it back in the
//! queue at the next start.

use super::wire::{
    err, get, integer, members, nest, object, string, Ack, Envelope, ErrorBody, Millis,
    SubmissionId, WireError,
};
use crate::json::Value;

/// First retry delay.
pub const BACKOFF_BASE_MS: Millis = 2_000;
/// Longest wait between tries: a phone offline for days retries every ten minutes.
pub const BACKOFF_CAP_MS: Millis = 10 * 60 * 1_000;

/// Where a submission is on its way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// Saved on the device, to be sent.
    Queued,
    /// A request is under way (since when).
    Sending {
        /// When the attempt started.
        since: Millis,
    },
    /// Waiting after a failure that may pass (offline, timeout, 5xx).
    RetryWait {
        /// Not before this time.
        until: Millis,
        /// What went wrong, for the resident.
        reason: String,
    },
    /// The server has it.
    Acked {
        /// Server's sequence number.
        server_seq: u64,
        /// When the server stored it.
        received_at: Millis,
    },
    /// The server refused it (4xx): kept and shown, never retried blindly.
    Rejected(ErrorBody),
    /// Refused, and the resident has read why: no longer shown as news, still kept
    /// on the device and in the exported history.
    Dismissed(ErrorBody),
}

/// Something that happened to an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A send attempt begins.
    Send {
        /// Now.
        now: Millis,
    },
    /// The server acknowledged it.
    Acked(Ack),
    /// The server refused it for good (a 4xx other than auth or rate limits).
    Rejected(ErrorBody),
    /// The resident has read why it was refused.
    Dismiss,
    /// The attempt failed in a way that may pass.
    Failed {
        /// Now.
        now: Millis,
        /// For the resident: "no network", "server error 503", "timed out".
        reason: String,
        /// Uniform random number in `[0, 1000)` spreading retries of many phones.
        jitter_permille: u16,
    },
}

/// An event that does not fit the entry's state: a bug in the caller, reported
/// rather than silently ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitionError {
    /// The state the entry was in.
    pub from: &'static str,
    /// The event that does not apply there.
    pub event: &'static str,
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "outbox: {} cannot happen while {}",
            self.event, self.from
        )
    }
}

impl std::error::Error for TransitionError {}

/// One submission in the outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// What is sent; its id never changes.
    pub envelope: Envelope,
    /// Where it is.
    pub state: State,
    /// Send attempts so far.
    pub attempts: u32,
}

impl State {
    fn name(&self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending { .. } => "sending",
            State::RetryWait { .. } => "waiting to retry",
            State::Acked { .. } => "acknowledged",
            State::Rejected(_) => "rejected",
            State::Dismissed(_) => "dismissed",
        }
    }
}

impl Event {
    fn name(&self) -> &'static str {
        match self {
            Event::Send { .. } => "send",
            Event::Acked(_) => "ack",
            Event::Rejected(_) => "rejection",
            Event::Dismiss => "dismissal",
            Event::Failed { .. } => "failure",
        }
    }
}

impl Entry {
    /// A new entry, queued.
    pub fn new(envelope: Envelope) -> Entry {
        Entry {
            envelope,
            state: State::Queued,
            attempts: 0,
        }
    }

    /// The id (also the idempotency key).
    pub fn id(&self) -> &SubmissionId {
        &self.envelope.id
    }

    /// The entry after `event`.
    pub fn apply(self, event: Event) -> Result<Entry, TransitionError> {
        let refuse = |entry: &Entry, event: &Event| TransitionError {
            from: entry.state.name(),
            event: event.name(),
        };
        let state = match (&self.state, &event) {
            (State::Queued, Event::Send { now }) => State::Sending { since: *now },
            (State::RetryWait { until, .. }, Event::Send { now }) if now >= until => {
                State::Sending { since: *now }
            }
            (State::Sending { .. }, Event::Acked(ack)) if ack.id == self.envelope.id => {
                State::Acked {
                    server_seq: ack.server_seq,
                    received_at: ack.received_at,
                }
            }
            // A late ack for an attempt that timed out: the server has it all the same.
            (State::RetryWait { .. }, Event::Acked(ack)) if ack.id == self.envelope.id => {
                State::Acked {
                    server_seq: ack.server_seq,
                    received_at: ack.received_at,
                }
            }
            (State::Sending { .. }, Event::Rejected(body)) => State::Rejected(body.clone()),
            (State::Rejected(body), Event::Dismiss) => State::Dismissed(body.clone()),
            (
                State::Sending { .. },
                Event::Failed {
                    now,
                    reason,
                    jitter_permille,
                },
            ) => State::RetryWait {
                until: now + backoff(self.attempts + 1, *jitter_permille),
                reason: reason.clone(),
            },
            _ => return Err(refuse(&self, &event)),
        };
        let attempts = self.attempts + u32::from(matches!(event, Event::Send { .. }));
        Ok(Entry {
            state,
            attempts,
            ..self
        })
    }

    /// At start-up: an entry left `Sending` by a closed app goes back in the queue
    /// (its request may or may not have arrived; the retry's id settles it).
    pub fn recover(self) -> Entry {
        match self.state {
            State::Sending { .. } => Entry {
                state: State::Queued,
                ..self
            },
            _ => self,
        }
    }

    /// Makes a waiting entry due now: when the device comes back online or the app
    /// starts, the failures behind the backoff (no network) have likely passed.
    pub fn wake(self) -> Entry {
        match self.state {
            State::RetryWait { .. } => Entry {
                state: State::Queued,
                ..self
            },
            _ => self,
        }
    }

    /// Whether the sync loop should send it now.
    pub fn is_due(&self, now: Millis) -> bool {
        match &self.state {
            State::Queued => true,
            State::RetryWait { until, .. } => now >= *until,
            _ => false,
        }
    }

    /// Whether it still has to reach the server (what "waiting to send" counts).
    pub fn is_waiting(&self) -> bool {
        matches!(
            self.state,
            State::Queued | State::Sending { .. } | State::RetryWait { .. }
        )
    }
}

/// The reason a send failed, as the resident reads it.
pub fn reason_text(reason: &str, lang: crate::Lang) -> String {
    use crate::Text;
    if reason == NO_NETWORK {
        lang.t(Text::OutboxReasonOffline).to_owned()
    } else {
        lang.fill(Text::OutboxReasonServer, &[("detail", reason)])
    }
}

/// Why the server refused a submission, as the resident reads it: known codes in the
/// resident's language, anything else as the server wrote it.
pub fn refusal_text(body: &ErrorBody, lang: crate::Lang) -> String {
    use crate::Text;
    match body.code.as_str() {
        "unknown_kind" => lang.t(Text::RefusedUnknownKind).to_owned(),
        "invalid" | "malformed_json" => lang.t(Text::RefusedInvalid).to_owned(),
        "too_large" => lang.t(Text::RefusedTooLarge).to_owned(),
        "id_conflict" => lang.t(Text::RefusedConflict).to_owned(),
        _ => body.message.clone(),
    }
}

/// The reason recorded when a request got no answer at all.
pub const NO_NETWORK: &str = "no network";

/// What an HTTP answer to a submission means for the outbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored (or already stored): expect an ack body.
    Stored,
    /// The submission itself is refused: keep it, show why, do not retry.
    Refused,
    /// Nothing wrong with the submission; try again later.
    TryLater,
}

/// Classifies an HTTP status. Authentication (401/403), a missing endpoint (404),
/// timeouts (408), rate limits (429) and server errors are not the submission's fault,
/// so they are retried; other 4xx refuse the submission itself.
pub fn classify(status: u16) -> Outcome {
    match status {
        200..=299 => Outcome::Stored,
        401 | 403 | 404 | 408 | 425 | 429 => Outcome::TryLater,
        400..=499 => Outcome::Refused,
        _ => Outcome::TryLater,
    }
}

/// Version of the stored entry format; a newer app reads every older one.
pub const STORED_FORMAT: u64 = 1;

impl Entry {
    /// The entry as stored on the device (IndexedDB), keyed by `id`.
    pub fn to_value(&self) -> Value {
        let state = match &self.state {
            State::Queued => object(vec![("name", Value::String("queued".into()))]),
            State::Sending { since } => object(vec![
                ("name", Value::String("sending".into())),
                ("since", Value::Number(*since as f64)),
            ]),
            State::RetryWait { until, reason } => object(vec![
                ("name", Value::String("retry_wait".into())),
                ("until", Value::Number(*until as f64)),
                ("reason", Value::String(reason.clone())),
            ]),
            State::Acked {
                server_seq,
                received_at,
            } => object(vec![
                ("name", Value::String("acked".into())),
                ("server_seq", Value::Number(*server_seq as f64)),
                ("received_at", Value::Number(*received_at as f64)),
            ]),
            State::Rejected(body) => object(vec![
                ("name", Value::String("rejected".into())),
                ("error", body.to_value()),
            ]),
            State::Dismissed(body) => object(vec![
                ("name", Value::String("dismissed".into())),
                ("error", body.to_value()),
            ]),
        };
        object(vec![
            ("format", Value::Number(STORED_FORMAT as f64)),
            ("id", Value::String(self.envelope.id.as_str().to_owned())),
            ("envelope", self.envelope.to_value()),
            ("state", state),
            ("attempts", Value::Number(f64::from(self.attempts))),
        ])
    }

    /// Reads a stored entry, with the field at fault when it cannot.
    pub fn from_value(value: &Value) -> Result<Entry, WireError> {
        let m = members(value, &["format", "id", "envelope", "state", "attempts"])?;
        let format = integer(m, "format")?;
        if format > STORED_FORMAT {
            return Err(err(
                "format",
                format!("{format} is newer than this app ({STORED_FORMAT})"),
            ));
        }
        let envelope =
            Envelope::from_value(get(m, "envelope")?).map_err(|e| nest("envelope", e))?;
        if string(m, "id", 36)? != envelope.id.as_str() {
            return Err(err("id", "does not match envelope.id"));
        }
        let state = read_state(get(m, "state")?).map_err(|e| nest("state", e))?;
        let attempts =
            u32::try_from(integer(m, "attempts")?).map_err(|_| err("attempts", "is too large"))?;
        Ok(Entry {
            envelope,
            state,
            attempts,
        })
    }
}

fn read_state(value: &Value) -> Result<State, WireError> {
    let m = members(
        value,
        &[
            "name",
            "since",
            "until",
            "reason",
            "server_seq",
            "received_at",
            "error",
        ],
    )?;
    Ok(match string(m, "name", 20)?.as_str() {
        "queued" => State::Queued,
        "sending" => State::Sending {
            since: integer(m, "since")?,
        },
        "retry_wait" => State::RetryWait {
            until: integer(m, "until")?,
            reason: string(m, "reason", 500)?,
        },
        "acked" => State::Acked {
            server_seq: integer(m, "server_seq")?,
            received_at: integer(m, "received_at")?,
        },
        "rejected" => {
            State::Rejected(ErrorBody::from_value(get(m, "error")?).map_err(|e| nest("error", e))?)
        }
        "dismissed" => {
            State::Dismissed(ErrorBody::from_value(get(m, "error")?).map_err(|e| nest("error", e))?)
        }
        other => return Err(err("name", format!("unknown state \"{other}\""))),
    })
}

/// Entries oldest first (by creation time; equal times keep their order). An
/// insertion sort: outboxes are short, and the slice sort costs kilobytes of WASM.
pub fn oldest_first(entries: Vec<Entry>) -> Vec<Entry> {
    let mut sorted: Vec<Entry> = Vec::with_capacity(entries.len());
    for entry in entries {
        let at = sorted
            .iter()
            .position(|e| e.envelope.created_at > entry.envelope.created_at)
            .unwrap_or(sorted.len());
        sorted.insert(at, entry);
    }
    sorted
}

/// The wait before attempt `attempt + 1` after `attempt` failures: doubling from
/// [`BACKOFF_BASE_MS`], capped at [`BACKOFF_CAP_MS`], then "equal jitter" (half fixed,
/// half random) so thousands of phones coming back online do not retry in step.
pub fn backoff(attempt: u32, jitter_permille: u16) -> Millis {
    let exp = BACKOFF_BASE_MS.saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
    let delay = exp.min(BACKOFF_CAP_MS);
    let half = delay / 2;
    half + half * u64::from(jitter_permille.min(999)) / 1000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Value;

    fn entry() -> Entry {
        Entry::new(Envelope {
            id: SubmissionId::from_random([7; 16]),
            kind: "feedback".into(),
            payload: Value::Null,
            created_at: 1_000,
            device: "d1".into(),
        })
    }

    fn ack(e: &Entry, seq: u64) -> Ack {
        Ack {
            id: e.id().clone(),
            server_seq: seq,
            received_at: 5_000,
        }
    }

    fn fail(now: Millis) -> Event {
        Event::Failed {
            now,
            reason: "timed out".into(),
            jitter_permille: 500,
        }
    }

    #[test]
    fn happy_path_queued_sending_acked() {
        let e = entry().apply(Event::Send { now: 10 }).unwrap();
        assert_eq!(e.state, State::Sending { since: 10 });
        let a = ack(&e, 1);
        let e = e.apply(Event::Acked(a)).unwrap();
        assert_eq!(
            e.state,
            State::Acked {
                server_seq: 1,
                received_at: 5_000
            }
        );
        assert_eq!(e.attempts, 1);
        assert!(!e.is_waiting());
    }

    #[test]
    fn timeout_after_server_stored_it_retries_with_the_same_id() {
        let original = entry();
        let id = original.id().clone();
        let e = original
            .apply(Event::Send { now: 0 })
            .unwrap()
            .apply(fail(30_000))
            .unwrap();
        let State::RetryWait { until, .. } = e.state else {
            panic!("{:?}", e.state)
        };
        assert!(!e.is_due(until - 1));
        assert!(e.is_due(until));
        let e = e.apply(Event::Send { now: until }).unwrap();
        assert_eq!(
            e.id(),
            &id,
            "a retry must reuse the id the server deduplicates on"
        );
        // The server answers the replay with the original ack.
        let e = e.apply(Event::Acked(ack(&entry(), 7))).unwrap();
        assert_eq!(
            e.state,
            State::Acked {
                server_seq: 7,
                received_at: 5_000
            }
        );
        assert_eq!(e.attempts, 2);
    }

    #[test]
    fn late_ack_after_giving_up_on_an_attempt_still_counts() {
        let e = entry()
            .apply(Event::Send { now: 0 })
            .unwrap()
            .apply(fail(1))
            .unwrap();
        let a = ack(&e, 3);
        assert!(matches!(
            e.apply(Event::Acked(a)).unwrap().state,
            State::Acked { .. }
        ));
    }

    #[test]
    fn rejection_is_kept_and_never_retried() {
        let body = ErrorBody {
            code: "invalid_payload".into(),
            message: "bad".into(),
            field: Some("payload.qty".into()),
        };
        let e = entry()
            .apply(Event::Send { now: 0 })
            .unwrap()
            .apply(Event::Rejected(body.clone()))
            .unwrap();
        assert_eq!(e.state, State::Rejected(body));
        assert!(!e.is_due(u64::MAX));
        assert!(!e.is_waiting());
        assert!(e.clone().apply(Event::Send { now: 1 }).is_err());
        let read = e.apply(Event::Dismiss).unwrap();
        assert!(matches!(read.state, State::Dismissed(_)));
        assert!(!read.is_due(u64::MAX) && !read.is_waiting());
    }

    #[test]
    fn only_a_refusal_can_be_dismissed() {
        assert!(entry().apply(Event::Dismiss).is_err());
        let sending = entry().apply(Event::Send { now: 0 }).unwrap();
        assert!(sending.apply(Event::Dismiss).is_err());
    }

    #[test]
    fn server_error_or_offline_waits_then_retries() {
        let e = entry()
            .apply(Event::Send { now: 0 })
            .unwrap()
            .apply(fail(0))
            .unwrap();
        assert!(e.is_waiting());
        assert!(
            e.clone().apply(Event::Send { now: 1 }).is_err(),
            "sent before its time"
        );
    }

    #[test]
    fn app_closed_mid_send_goes_back_to_the_queue() {
        let e = entry().apply(Event::Send { now: 0 }).unwrap().recover();
        assert_eq!(e.state, State::Queued);
        assert!(e.is_due(0));
        let acked = entry().apply(Event::Send { now: 0 }).unwrap();
        let a = ack(&acked, 1);
        let acked = acked.apply(Event::Acked(a)).unwrap();
        assert_eq!(acked.clone().recover(), acked);
    }

    #[test]
    fn waking_makes_a_waiting_entry_due_and_leaves_others_alone() {
        let waiting = entry()
            .apply(Event::Send { now: 0 })
            .unwrap()
            .apply(fail(0))
            .unwrap();
        assert!(!waiting.is_due(1));
        let woken = waiting.clone().wake();
        assert!(woken.is_due(1));
        assert_eq!(woken.attempts, waiting.attempts);
        assert_eq!(woken.id(), waiting.id());
        let sending = entry().apply(Event::Send { now: 0 }).unwrap();
        assert_eq!(sending.clone().wake(), sending);
    }

    #[test]
    fn an_ack_for_another_submission_is_refused() {
        let e = entry().apply(Event::Send { now: 0 }).unwrap();
        let other = Ack {
            id: SubmissionId::from_random([9; 16]),
            server_seq: 1,
            received_at: 1,
        };
        assert_eq!(
            e.apply(Event::Acked(other)).unwrap_err().to_string(),
            "outbox: ack cannot happen while sending"
        );
    }

    #[test]
    fn refusals_read_in_the_residents_language() {
        use crate::Lang;
        let body = |code: &str| ErrorBody {
            code: code.into(),
            message: "server words".into(),
            field: Some("payload.text".into()),
        };
        assert_eq!(
            refusal_text(&body("unknown_kind"), Lang::ZhCn),
            "本街道暂不受理此类事项"
        );
        assert_eq!(
            refusal_text(&body("invalid"), Lang::ZhCn),
            "内容有误，服务器没有收下"
        );
        // A field path or kind id is for developers, never for the resident.
        for code in [
            "invalid",
            "malformed_json",
            "unknown_kind",
            "too_large",
            "id_conflict",
        ] {
            for lang in Lang::ALL {
                let text = refusal_text(&body(code), lang);
                assert!(!text.contains("payload"), "{code}: {text}");
            }
        }
        assert_eq!(
            refusal_text(&body("something_new"), Lang::ZhCn),
            "server words"
        );
    }

    #[test]
    fn reasons_read_as_sentences() {
        use crate::Lang;
        assert_eq!(reason_text(NO_NETWORK, Lang::ZhCn), "网络不通");
        assert_eq!(
            reason_text("HTTP 503", Lang::ZhCn),
            "服务器暂时无法处理（HTTP 503）"
        );
        assert_eq!(
            reason_text("HTTP 503", Lang::En),
            "the server could not take it now (HTTP 503)"
        );
    }

    #[test]
    fn statuses_are_classified_by_whose_fault_they_are() {
        assert_eq!(classify(200), Outcome::Stored);
        for refused in [400, 409, 413, 422] {
            assert_eq!(classify(refused), Outcome::Refused, "{refused}");
        }
        for later in [401, 403, 404, 408, 429, 500, 502, 503, 0, 302] {
            assert_eq!(classify(later), Outcome::TryLater, "{later}");
        }
    }

    #[test]
    fn every_state_round_trips_through_storage() {
        let e = entry();
        let body = ErrorBody {
            code: "invalid".into(),
            message: "m".into(),
            field: None,
        };
        for state in [
            State::Queued,
            State::Sending { since: 5 },
            State::RetryWait {
                until: 9,
                reason: "no network".into(),
            },
            State::Acked {
                server_seq: 3,
                received_at: 4,
            },
            State::Rejected(body.clone()),
            State::Dismissed(body),
        ] {
            let stored = Entry {
                state,
                attempts: 2,
                ..e.clone()
            };
            assert_eq!(Entry::from_value(&stored.to_value()), Ok(stored));
        }
    }

    #[test]
    fn damaged_stored_entries_say_where() {
        let Value::Object(mut m) = entry().to_value() else {
            panic!()
        };
        let state = m.iter_mut().find(|(k, _)| k == "state").unwrap();
        state.1 = Value::Object(vec![("name".into(), Value::String("lost".into()))]);
        assert_eq!(
            Entry::from_value(&Value::Object(m.clone()))
                .unwrap_err()
                .to_string(),
            "state.name: unknown state \"lost\""
        );
        let format = m.iter_mut().find(|(k, _)| k == "format").unwrap();
        format.1 = Value::Number(99.0);
        assert_eq!(
            Entry::from_value(&Value::Object(m))
                .unwrap_err()
                .to_string(),
            "format: 99 is newer than this app (1)"
        );
    }

    #[test]
    fn oldest_first_orders_by_creation_and_keeps_ties_in_order() {
        let at = |byte: u8, created_at: Millis| {
            let mut e = entry();
            e.envelope.id = SubmissionId::from_random([byte; 16]);
            e.envelope.created_at = created_at;
            e
        };
        let sorted = oldest_first(vec![at(1, 30), at(2, 10), at(3, 20), at(4, 10)]);
        let order: Vec<Millis> = sorted.iter().map(|e| e.envelope.created_at).collect();
        assert_eq!(order, [10, 10, 20, 30]);
        assert_eq!(sorted[0].id(), at(2, 0).id());
        assert_eq!(sorted[1].id(), at(4, 0).id());
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        assert_eq!(backoff(1, 0), 1_000);
        assert_eq!(backoff(1, 999), 1_999);
        assert_eq!(backoff(2, 0), 2_000);
        assert_eq!(backoff(3, 0), 4_000);
        assert_eq!(backoff(30, 0), BACKOFF_CAP_MS / 2);
        assert!(backoff(30, 999) < BACKOFF_CAP_MS);
        assert_eq!(backoff(u32::MAX, 999), backoff(30, 999));
        for attempt in 1..40 {
            assert!(backoff(attempt, 0) <= backoff(attempt + 1, 0));
        }
    }
}
