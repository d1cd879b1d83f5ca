//! Scenarios are plug-ins of one shape (DESIGN.md, "Architecture"): each implements
//! [`Scenario`] once — the submission kinds it owns, the core check of their payloads,
//! what of a payload the generic table may keep, `apply` inside the submission's
//! transaction, its routes and console pages, navigation entries, CSV exports, and its
//! part of a household's data for download and erasure — and is registered in one
//! list (`crate::scenarios`). The generic submission path, the store and the router
//! name no scenario; adding one never edits them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::routing::MethodRouter;
use axum::Router;
use linli_core::evaluation::Score;
use linli_core::json::Value;
use linli_core::sync::wire::{Envelope, WireError};
use linli_core::{Lang, Role, StaffText};

use super::{AppState, NavEntry};
use crate::store::{Store, StoreError, Tx};

/// A boxed future, so the trait can be used as `dyn Scenario`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A submission arriving, after the generic path checked its envelope, the device and
/// the kind's payload rule, and stored it (in the same transaction).
#[derive(Clone, Copy, Debug)]
pub struct Incoming<'a> {
    /// The envelope as sent (the full payload, health data included).
    pub envelope: &'a Envelope,
    /// The household whose device sent it.
    pub unit_id: i64,
    /// The server's clock (ms).
    pub now: i64,
    /// The resident's language, for refusals.
    pub lang: Lang,
    /// When the sending token was linked (ms): the earliest a submission is believed
    /// made, whatever its `created_at` says, for a cut-off's grace.
    pub linked_at: i64,
}

/// A status event for a household to pull (besides the `received` every submission
/// gets for its sender).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The submission it is about.
    pub submission: String,
    /// The household that sees it.
    pub unit: i64,
    /// The status (`received`, `delivered`, `cancelled`, …).
    pub status: &'static str,
}

/// What applying a submission changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effect {
    /// Events for other households (or later statuses).
    pub events: Vec<Event>,
}

/// Why a scenario refused a submission; the whole submission is rolled back.
#[derive(Debug)]
#[non_exhaustive]
pub enum Refusal {
    /// A rule of the scenario (`past_cutoff`, `sold_out`, …) with the reason in the
    /// resident's language.
    Rule {
        /// The rule.
        code: &'static str,
        /// The reason.
        message: String,
    },
    /// The payload does not read (the generic check passed, so rarely seen).
    Invalid(WireError),
    /// Storage failed.
    Store(StoreError),
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Refusal {
        Refusal::Store(e)
    }
}

/// A CSV export a scenario offers, listed on the console's export page for the roles
/// that may download it. The path takes `?date=YYYY-MM-DD` (today by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Export {
    /// The download (`/staff/meals/delivery.csv`).
    pub path: &'static str,
    /// Its name.
    pub label: StaffText,
    /// Who may download it.
    pub roles: &'static [Role],
}

/// One scenario on the server.
pub trait Scenario: Send + Sync + 'static {
    /// Which scenario of `config.json` this is.
    fn id(&self) -> linli_core::Scenario;

    /// Whether a submission kind (the envelope's `kind`) is one of this scenario's.
    fn owns(&self, kind: &str) -> bool;

    /// The core rule of a kind's payload (the same the browser ran before queueing);
    /// errors name the field relative to the payload.
    fn check(&self, kind: &str, payload: &Value) -> Result<(), WireError>;

    /// What the generic submissions table keeps of a payload: health and other
    /// sensitive data removed (it lives in the scenario's own tables, where consent
    /// withdrawal and erasure reach it). By default the payload itself.
    fn redact(&self, _kind: &str, payload: &Value) -> Value {
        payload.clone()
    }

    /// Work on a payload that must not hold the write lock (decoding and drawing a
    /// report's photos again), done before the submission's transaction: the payload
    /// `apply` gets. A refusal here stores nothing. By default the payload itself.
    fn prepare<'a>(
        &'a self,
        _kind: &'a str,
        payload: Value,
    ) -> BoxFuture<'a, Result<Value, Refusal>> {
        Box::pin(async move { Ok(payload) })
    }

    /// Applies a submission inside its transaction: the scenario's rules against the
    /// database, its own rows, and the events other households see. A refusal rolls
    /// the whole submission back.
    fn apply<'a>(
        &'a self,
        tx: &'a mut Tx,
        incoming: Incoming<'a>,
    ) -> BoxFuture<'a, Result<Effect, Refusal>>;

    /// Its device API: (path, methods), checked against `openapi.json` like the
    /// generic API's.
    fn api(&self) -> Vec<(&'static str, MethodRouter<AppState>)> {
        Vec::new()
    }

    /// Its console pages (under `/staff/`).
    fn pages(&self) -> Router<AppState> {
        Router::new()
    }

    /// Its console navigation entries.
    fn nav(&self) -> Vec<NavEntry> {
        Vec::new()
    }

    /// Its CSV exports.
    fn exports(&self) -> Vec<Export> {
        Vec::new()
    }

    /// The ratings its own loop collected from `from` to `to` (ms, `to` excluded), as
    /// (when, score): public evaluation counts them toward this scenario's approval
    /// beside the one-tap ratings (feedback's 评价 and 回访, 满意 / 基本满意 / 不满意 as
    /// `Score::of_feedback`). None by default.
    fn ratings<'a>(
        &'a self,
        _store: &'a Store,
        _from: i64,
        _to: i64,
    ) -> BoxFuture<'a, Result<Vec<(i64, Score)>, StoreError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    /// Its part of what is held about a household, for the household's own download
    /// (`None` when it holds nothing about it).
    fn household<'a>(
        &'a self,
        _store: &'a Store,
        _unit: i64,
    ) -> BoxFuture<'a, Result<Option<(&'static str, Value)>, StoreError>> {
        Box::pin(async { Ok(None) })
    }

    /// Erases its personal data about a household inside the erasure's transaction.
    fn erase<'a>(
        &'a self,
        _tx: &'a mut Tx,
        _unit: i64,
        _now: i64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }
}

/// The scenarios a server runs, in order.
#[derive(Clone, Default)]
pub struct Registry(Arc<Vec<Arc<dyn Scenario>>>);

impl Registry {
    /// A registry of these scenarios.
    pub fn new(scenarios: Vec<Arc<dyn Scenario>>) -> Registry {
        Registry(Arc::new(scenarios))
    }

    /// The scenario that owns a submission kind.
    pub fn owner(&self, kind: &str) -> Option<&Arc<dyn Scenario>> {
        self.0.iter().find(|s| s.owns(kind))
    }

    /// Every scenario.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<dyn Scenario>> {
        self.0.iter()
    }
}

/// A minimal scenario with one kind, `test_note` (`{"text": non-empty string}`), that
/// stores nothing of its own: the generic submission path's tests and the end-to-end
/// sync tests use it, and it shows the trait's smallest implementation.
pub struct Note;

impl Scenario for Note {
    fn id(&self) -> linli_core::Scenario {
        linli_core::Scenario::Forms
    }

    fn owns(&self, kind: &str) -> bool {
        kind == "test_note"
    }

    fn check(&self, _kind: &str, payload: &Value) -> Result<(), WireError> {
        match payload {
            Value::Object(m) => match m.iter().find(|(k, _)| k == "text") {
                Some((_, Value::String(s))) if !s.is_empty() => Ok(()),
                _ => Err(WireError {
                    field: "text".into(),
                    message: "must be a non-empty string".into(),
                }),
            },
            _ => Err(WireError {
                field: String::new(),
                message: "expected an object".into(),
            }),
        }
    }

    fn apply<'a>(
        &'a self,
        _tx: &'a mut Tx,
        _incoming: Incoming<'a>,
    ) -> BoxFuture<'a, Result<Effect, Refusal>> {
        Box::pin(async { Ok(Effect::default()) })
    }
}
