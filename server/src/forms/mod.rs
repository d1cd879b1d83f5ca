//! Forms by social organisations (表单问卷, issue 15) on the server: the scenario on
//! the registry that takes residents' answers (`form_answer`), checked with the same
//! `linli_core::forms::answers::validate` the renderer ran, against the published
//! version they were given to, and stored once per submission as the validator keeps
//! them (hidden fields have no answer); the API residents read open forms from; the
//! organisation's pages; and the XLSForm files read for import.

mod api;
pub mod demo;
pub mod import;
mod pages;
pub mod store;

use std::sync::Arc;

use axum::routing::MethodRouter;
use axum::Router;
use linli_core::config::ShellConfig;
use linli_core::forms::answers::{clean, validate, Patterns};
use linli_core::forms::definition::{check_form, Column, DefinitionError, DefinitionProblem};
use linli_core::forms::wire::{AnswerPayload, ANSWER_KIND};
use linli_core::forms::FormStaffText;
use linli_core::json::{self, Value};
use linli_core::sync::wire::WireError;

use crate::app::{AppState, BoxFuture, Effect, Incoming, NavEntry, Refusal, Scenario, Site};
use crate::store::{Store, StoreError, Tx};

pub use store::{AnswerRow, FormRow, State};

/// The forms scenario, reading the configuration in force on every request.
pub struct Forms {
    site: Arc<Site>,
}

impl Forms {
    /// Forms reading its settings from `site`.
    pub fn new(site: Arc<Site>) -> Forms {
        Forms { site }
    }
}

/// Whether residents are offered forms: `scenarios` lists it.
pub(crate) fn offered(config: Option<&ShellConfig>) -> bool {
    config.is_some_and(|c| c.scenarios.contains(&linli_core::Scenario::Forms))
}

/// Patterns matched with the `regex` crate, found anywhere in the answer unless the
/// pattern anchors itself, as the browser's `RegExp.test` finds them in the renderer
/// (and XLSForm's `regex()`).
pub struct RegexPatterns;

/// A pattern compiled, its size capped (a form is written by staff, but a pattern
/// should not be able to take the server's memory).
fn compile(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
}

impl Patterns for RegexPatterns {
    fn matches(&self, pattern: &str, text: &str) -> Option<bool> {
        compile(pattern).ok().map(|r| r.is_match(text))
    }
}

/// Every problem of a definition: core's checks, and each pattern that does not
/// compile (core has no regular-expression engine), at its field.
pub fn problems(form: &linli_core::forms::form::Form) -> Vec<DefinitionError> {
    let mut out = check_form(form);
    for (at, (path, field)) in form.all_fields().into_iter().enumerate() {
        if let Some(Err(e)) = field.pattern.as_ref().map(|p| compile(&p.regex)) {
            let why = e.to_string();
            let first = why.lines().last().unwrap_or_default().trim().to_owned();
            out.push(DefinitionError {
                path,
                at,
                column: Column::Pattern,
                problem: DefinitionProblem::BadPattern(first),
            });
        }
    }
    out
}

impl Scenario for Forms {
    fn id(&self) -> linli_core::Scenario {
        linli_core::Scenario::Forms
    }

    fn owns(&self, kind: &str) -> bool {
        kind == ANSWER_KIND
    }

    fn check(&self, kind: &str, payload: &Value) -> Result<(), WireError> {
        if kind != ANSWER_KIND {
            return Err(WireError {
                field: String::new(),
                message: format!("not a forms kind: {kind}"),
            });
        }
        AnswerPayload::from_value(payload).map(|_| ())
    }

    /// The generic table keeps which form and version, not the answers: they live in
    /// `form_answers`, where a respondent's deletion and a household's erasure reach
    /// them.
    fn redact(&self, _kind: &str, payload: &Value) -> Value {
        match payload {
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .filter(|(k, _)| k != "answers")
                    .cloned()
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut Tx,
        incoming: Incoming<'a>,
    ) -> BoxFuture<'a, Result<Effect, Refusal>> {
        Box::pin(async move {
            let lang = incoming.lang;
            let current = self.site.config();
            if !offered(current.as_deref()) {
                return Err(Refusal::Rule {
                    code: "scenario_off",
                    message: lang.t(linli_core::StaffText::NfForms).to_owned(),
                });
            }
            let offset = current.as_deref().map_or(
                linli_core::date::CHINA_OFFSET_MINUTES,
                ShellConfig::utc_offset_minutes,
            );
            let payload =
                AnswerPayload::from_value(&incoming.envelope.payload).map_err(Refusal::Invalid)?;
            let Some((form_id, form)) =
                store::open_version(tx, &payload.form, i64::from(payload.version)).await?
            else {
                return Err(Refusal::Rule {
                    code: "form_closed",
                    message: lang.t(FormStaffText::Closed).to_owned(),
                });
            };
            let today = linli_core::date::date_at(incoming.now, offset)
                .map(|d| d.to_string())
                .unwrap_or_default();
            let errors = validate(&form, &payload.answers, &today, &RegexPatterns);
            if let Some(first) = errors.first() {
                return Err(Refusal::Rule {
                    code: "form_invalid",
                    message: lang.fill(
                        FormStaffText::Invalid,
                        &[
                            ("path", &first.path),
                            ("problem", &first.problem.message(lang)),
                        ],
                    ),
                });
            }
            let kept = clean(&form, &payload.answers, &today);
            store::add_answer(
                tx,
                incoming.envelope.id.as_str(),
                form_id,
                i64::from(payload.version),
                incoming.unit_id,
                &json::to_string(&kept.to_value()),
                incoming.now,
            )
            .await?;
            Ok(Effect::default())
        })
    }

    fn api(&self) -> Vec<(&'static str, MethodRouter<AppState>)> {
        api::routes()
    }

    fn pages(&self) -> Router<AppState> {
        pages::routes()
    }

    fn nav(&self) -> Vec<NavEntry> {
        vec![pages::nav()]
    }

    fn erase<'a>(
        &'a self,
        tx: &'a mut Tx,
        unit: i64,
        _now: i64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move { store::erase_household(tx.conn(), unit).await })
    }

    fn household<'a>(
        &'a self,
        store: &'a Store,
        unit: i64,
    ) -> BoxFuture<'a, Result<Option<(&'static str, Value)>, StoreError>> {
        Box::pin(async move {
            let rows = store.forms_household(unit).await?;
            if rows.is_empty() {
                return Ok(None);
            }
            let list = rows
                .into_iter()
                .map(|(key, version, at, answers)| {
                    Value::object(vec![
                        ("form", Value::String(key)),
                        ("version", Value::Number(version as f64)),
                        ("received_at", Value::Number(at as f64)),
                        ("answers", json::from_str(&answers).unwrap_or(Value::Null)),
                    ])
                })
                .collect();
            Ok(Some(("forms", Value::Array(list))))
        })
    }
}
