//! Residents' feedback with the 12345 hotline's closed loop (诉求办理) on the server:
//! the third scenario on the registry. Residents report through the outbox (photos
//! included), rate and reopen; staff dispatch (派单) with the knowledge base's
//! suggestion, handlers take up, return (退单) or answer (答复) what is theirs, staff
//! close (办结), call back (回访) and correct a case's category or place; every step
//! runs the core loop's rule inside its transaction and is kept with who, role, when
//! and a note. The same cases are served through Open311 GeoReport v2.

mod api;
mod apply;
pub mod demo;
pub mod knowledge;
pub mod open311;
mod pages;
pub mod store;

use std::sync::Arc;

use axum::routing::MethodRouter;
use axum::Router;
use linli_core::config::{FeedbackConfig, ShellConfig};
use linli_core::evaluation::Score;
use linli_core::feedback::{FeedbackKind, RatePayload, ReopenPayload, ReportPayload};
use linli_core::json::Value;
use linli_core::sync::wire::WireError;

use crate::app::{
    AppState, BoxFuture, Effect, Export, Incoming, NavEntry, Refusal, Scenario, Site,
};
use crate::store::{Store, StoreError, Tx};

pub use pages::{Dispatchers, DISPATCHERS};
pub use store::{CaseFilter, CaseRow, FeedbackError, NewCase, StepRow};

/// The feedback scenario, reading the configuration in force on every request.
pub struct Feedback {
    site: Arc<Site>,
}

impl Feedback {
    /// Feedback reading its settings from `site`.
    pub fn new(site: Arc<Site>) -> Feedback {
        Feedback { site }
    }
}

/// The feedback section when residents are offered feedback: `scenarios` lists it.
pub(crate) fn offered(config: Option<&ShellConfig>) -> Option<&FeedbackConfig> {
    config
        .filter(|c| c.scenarios.contains(&linli_core::Scenario::Feedback))
        .and_then(|c| c.feedback.as_ref())
}

impl Scenario for Feedback {
    fn id(&self) -> linli_core::Scenario {
        linli_core::Scenario::Feedback
    }

    fn owns(&self, kind: &str) -> bool {
        FeedbackKind::from_id(kind).is_some()
    }

    fn check(&self, kind: &str, payload: &Value) -> Result<(), WireError> {
        match FeedbackKind::from_id(kind) {
            Some(FeedbackKind::Report) => ReportPayload::from_value(payload).map(|_| ()),
            Some(FeedbackKind::Rate) => RatePayload::from_value(payload).map(|_| ()),
            Some(FeedbackKind::Reopen) => ReopenPayload::from_value(payload).map(|_| ()),
            None => Err(WireError {
                field: String::new(),
                message: format!("not a feedback kind: {kind}"),
            }),
        }
    }

    /// The generic table keeps a report without its photos and phone: they live in
    /// the case, where erasure reaches them.
    fn redact(&self, kind: &str, payload: &Value) -> Value {
        match (FeedbackKind::from_id(kind), payload) {
            (Some(FeedbackKind::Report), Value::Object(members)) => Value::Object(
                members
                    .iter()
                    .filter(|(k, _)| k != "photos" && k != "phone")
                    .cloned()
                    .collect(),
            ),
            _ => payload.clone(),
        }
    }

    /// A report's photos are decoded and drawn again here, off the async workers and
    /// before the write lock: `apply` gets JPEGs this server made.
    fn prepare<'a>(
        &'a self,
        kind: &'a str,
        payload: Value,
    ) -> BoxFuture<'a, Result<Value, Refusal>> {
        Box::pin(async move {
            if FeedbackKind::from_id(kind) != Some(FeedbackKind::Report) {
                return Ok(payload);
            }
            tokio::task::spawn_blocking(move || apply::redraw_photos(payload))
                .await
                .map_err(|e| Refusal::Store(StoreError::Io(e.to_string())))?
        })
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut Tx,
        incoming: Incoming<'a>,
    ) -> BoxFuture<'a, Result<Effect, Refusal>> {
        Box::pin(async move {
            let current = self.site.config();
            let Some(config) = offered(current.as_deref()) else {
                return Err(Refusal::Rule {
                    code: "scenario_off",
                    message: incoming
                        .lang
                        .t(linli_core::feedback::FeedbackText::Off)
                        .to_owned(),
                });
            };
            apply::apply(tx, incoming, config).await
        })
    }

    fn api(&self) -> Vec<(&'static str, MethodRouter<AppState>)> {
        api::routes()
    }

    fn pages(&self) -> Router<AppState> {
        pages::routes().merge(open311::routes())
    }

    fn nav(&self) -> Vec<NavEntry> {
        pages::nav()
    }

    fn exports(&self) -> Vec<Export> {
        Vec::new()
    }

    fn ratings<'a>(
        &'a self,
        store: &'a Store,
        from: i64,
        to: i64,
    ) -> BoxFuture<'a, Result<Vec<(i64, Score)>, StoreError>> {
        Box::pin(async move {
            let rated = store.feedback_rated(from, to).await?;
            Ok(rated
                .into_iter()
                .map(|(at, r)| (at, Score::of_feedback(r)))
                .collect())
        })
    }

    fn household<'a>(
        &'a self,
        store: &'a Store,
        unit: i64,
    ) -> BoxFuture<'a, Result<Option<(&'static str, Value)>, StoreError>> {
        Box::pin(async move {
            let (cases, steps) = store.feedback_household(unit, 1_000).await?;
            let list = cases
                .iter()
                .map(|c| {
                    Value::object(vec![
                        ("number", Value::Number(c.id as f64)),
                        ("category", Value::String(c.category.clone())),
                        ("place", Value::String(c.place.clone())),
                        ("description", Value::String(c.description.clone())),
                        ("phone", c.phone.clone().map_or(Value::Null, Value::String)),
                        ("state", Value::String(c.state.id().to_owned())),
                        ("reply", Value::String(c.reply.clone())),
                        ("created_at", Value::Number(c.created_at as f64)),
                        (
                            "steps",
                            Value::Array(
                                steps
                                    .iter()
                                    .filter(|s| s.case_id == c.id && s.public)
                                    .map(|s| {
                                        Value::object(vec![
                                            ("action", Value::String(s.action.clone())),
                                            ("at", Value::Number(s.at as f64)),
                                            ("note", Value::String(s.note.clone())),
                                        ])
                                    })
                                    .collect(),
                            ),
                        ),
                    ])
                })
                .collect();
            Ok(Some(("feedback", Value::Array(list))))
        })
    }

    fn erase<'a>(
        &'a self,
        tx: &'a mut Tx,
        unit: i64,
        now: i64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let places = self
            .site
            .config()
            .and_then(|c| c.feedback.as_ref().map(|f| f.places.clone()))
            .unwrap_or_default();
        Box::pin(async move { store::erase_household(tx, unit, &places, now).await })
    }
}
