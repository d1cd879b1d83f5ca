//! Owners' assembly deliberation and voting (业主议事表决, Civil Code art. 278) on the
//! server: the second scenario on the registry. The same `linli_core::voting` rules the
//! browser ran decide here, against the database, inside each submission's
//! transaction; one ballot per owner per vote is the primary key of `vote_ballots`.
//! Staff pages create a vote, import and correct its roster, follow turnout by
//! building, enter paper ballots, close, publish and export the two files anyone can
//! recompute the result from with `linli-server vote tally`.

mod api;
mod apply;
pub mod files;
mod pages;
pub mod store;

use std::sync::Arc;

use axum::routing::MethodRouter;
use axum::Router;
use linli_core::config::ShellConfig;
use linli_core::sync::wire::WireError;
use linli_core::voting::{BallotPayload, CommentPayload, VoteKind, VoteServerText};

use crate::app::{
    AppState, BoxFuture, Effect, Export, Incoming, NavEntry, Refusal, Scenario, Site,
};
use crate::store::{Store, StoreError, Tx};

pub use pages::{Organisers, ORGANISERS};
pub use store::{BallotRow, NewVote, VoteError, VoteRow};

/// The voting scenario, reading the configuration in force on every request.
pub struct Voting {
    site: Arc<Site>,
}

impl Voting {
    /// Voting reading its settings from `site`.
    pub fn new(site: Arc<Site>) -> Voting {
        Voting { site }
    }
}

/// Whether residents are offered voting: `scenarios` lists it.
pub(crate) fn offered(config: Option<&ShellConfig>) -> bool {
    config.is_some_and(|c| c.scenarios.contains(&linli_core::Scenario::Voting))
}

impl Scenario for Voting {
    fn id(&self) -> linli_core::Scenario {
        linli_core::Scenario::Voting
    }

    fn owns(&self, kind: &str) -> bool {
        VoteKind::from_id(kind).is_some()
    }

    fn check(&self, kind: &str, payload: &Value) -> Result<(), WireError> {
        match VoteKind::from_id(kind) {
            Some(VoteKind::Ballot) => BallotPayload::from_value(payload).map(|_| ()),
            Some(VoteKind::Comment) => CommentPayload::from_value(payload).map(|_| ()),
            None => Err(WireError {
                field: String::new(),
                message: format!("not a voting kind: {kind}"),
            }),
        }
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut Tx,
        incoming: Incoming<'a>,
    ) -> BoxFuture<'a, Result<Effect, Refusal>> {
        Box::pin(async move {
            let current = self.site.config();
            if !offered(current.as_deref()) {
                return Err(Refusal::Rule {
                    code: "scenario_off",
                    message: incoming.lang.t(VoteServerText::VoteOff).to_owned(),
                });
            }
            let offset = current.as_deref().map_or(
                linli_core::date::CHINA_OFFSET_MINUTES,
                ShellConfig::utc_offset_minutes,
            );
            apply::apply(tx, incoming, offset).await
        })
    }

    fn api(&self) -> Vec<(&'static str, MethodRouter<AppState>)> {
        api::routes()
    }

    fn pages(&self) -> Router<AppState> {
        pages::routes()
    }

    fn nav(&self) -> Vec<NavEntry> {
        pages::nav()
    }

    fn exports(&self) -> Vec<Export> {
        Vec::new()
    }

    fn household<'a>(
        &'a self,
        store: &'a Store,
        unit: i64,
    ) -> BoxFuture<'a, Result<Option<(&'static str, Value)>, StoreError>> {
        Box::pin(async move { Ok(Some(("voting", store.voting_household(unit).await?))) })
    }

    fn erase<'a>(
        &'a self,
        tx: &'a mut Tx,
        unit: i64,
        now: i64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(store::erase_household(tx, unit, now))
    }
}

use linli_core::json::Value;
use linli_core::voting::{Check, Comparison, Measure, Tally};
use linli_core::Lang;

/// A check as JSON: its value, whole, percentage, threshold and whether it is met.
fn check(c: &Check) -> Value {
    let comparison = match c.comparison {
        Comparison::AtLeast => "at_least",
        Comparison::MoreThan => "more_than",
    };
    Value::object(vec![
        ("value", Value::Number(c.value as f64)),
        ("of", Value::Number(c.of as f64)),
        (
            "threshold",
            Value::String(format!("{}/{}", c.threshold.num, c.threshold.den)),
        ),
        ("comparison", Value::String(comparison.into())),
        ("passed", Value::Bool(c.passed)),
    ])
}

fn measure(m: Measure) -> Value {
    Value::object(vec![
        ("area", Value::Number(m.area as f64)),
        ("owners", Value::Number(m.owners as f64)),
    ])
}

fn both(text: impl Fn(Lang) -> String) -> Value {
    Value::object(vec![
        ("zh-CN", Value::String(text(Lang::ZhCn))),
        ("en", Value::String(text(Lang::En))),
    ])
}

/// The tally as JSON: `quorum`, `passed`, `participation` and `agreement` (each an
/// `area` and an `owners` check: value and whole in 0.01 m² or owners, the threshold
/// as a fraction), the totals, and the `explanation` in both languages. Areas are in
/// 0.01 m².
pub fn tally_json(t: &Tally) -> Value {
    let mut members = vec![
        ("matter", Value::Number(f64::from(t.matter.item()))),
        (
            "matter_name",
            both(|lang| lang.t(t.matter.text()).to_owned()),
        ),
        ("quorum", Value::Bool(t.quorum)),
        ("passed", Value::Bool(t.passed)),
        ("total", measure(t.total)),
        (
            "participation",
            Value::object(vec![
                ("area", check(&t.checks[0])),
                ("owners", check(&t.checks[1])),
            ]),
        ),
        (
            "agreement",
            Value::object(vec![
                ("area", check(&t.checks[2])),
                ("owners", check(&t.checks[3])),
            ]),
        ),
        ("agree", measure(t.agree)),
        ("oppose", measure(t.oppose)),
        ("abstain", measure(t.abstain)),
        ("explanation", both(|lang| t.explanation(lang))),
    ];
    if let Some(rule) = &t.silent_rule {
        members.push((
            "assembly_rule",
            Value::object(vec![
                (
                    "silent_counted_as_agreeing",
                    Value::Bool(rule.counted_as_agreeing),
                ),
                ("area", check(&rule.checks[0])),
                ("owners", check(&rule.checks[1])),
                ("passed", Value::Bool(rule.passed)),
            ]),
        ));
    }
    Value::object(members)
}

/// What a published vote's stored tally (as [`tally_json`] wrote it) says: the outcome
/// and the explanation in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Enough owners took part.
    pub quorum: bool,
    /// The matter is decided.
    pub passed: bool,
    /// The explanation, zh-CN.
    pub explanation_zh: String,
    /// The explanation, English.
    pub explanation_en: String,
}

impl Outcome {
    /// Reads a stored tally; `None` when it is not one (a hand edit).
    pub fn read(stored: &str) -> Option<Outcome> {
        let v: serde_json::Value = serde_json::from_str(stored).ok()?;
        let text = |lang: &str| v["explanation"][lang].as_str().map(str::to_owned);
        Some(Outcome {
            quorum: v["quorum"].as_bool()?,
            passed: v["passed"].as_bool()?,
            explanation_zh: text("zh-CN")?,
            explanation_en: text("en")?,
        })
    }

    /// The explanation in `lang`.
    pub fn explanation(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.explanation_en,
            _ => &self.explanation_zh,
        }
    }
}
