//! Elderly meal ordering (老年助餐) on the server: the first scenario on the registry.
//! The same `linli_core::meals` rules the browser ran decide here, against the
//! database, inside each submission's transaction. Dietary data (health data under
//! 个人信息保护法 art. 28) lives only in the elder's record, given and withdrawn by the
//! elder's own household or by staff on the elder's word, and is never kept in the
//! generic submissions table.

mod api;
mod apply;
mod pages;
mod rows;
mod store;

use std::sync::Arc;

use axum::routing::MethodRouter;
use axum::Router;
use linli_core::config::{MealsConfig, ShellConfig};
use linli_core::json::Value;
use linli_core::meals::{Cancel, MealKind, MealOrder, Profile};
use linli_core::sync::wire::WireError;

use crate::app::{
    AppState, BoxFuture, Effect, Export, Incoming, NavEntry, Refusal, Scenario, Site,
};
use crate::store::{Store, StoreError, Tx};

pub use pages::{Counts, Elders, Kitchen, COUNTS, ELDERS, KITCHEN};
pub use rows::{today, ElderRow, KitchenOrder, NewElder};
pub use store::MenuError;

/// The meals scenario, with the slots, tiers and time zone of the configuration in
/// force (the console's published version: a change applies from the next request).
pub struct Meals {
    site: Arc<Site>,
}

impl Meals {
    /// Meals reading its settings from `site`.
    pub fn new(site: Arc<Site>) -> Meals {
        Meals { site }
    }
}

/// The meals settings of the deployment a request is served for: its `meals` section,
/// whether or not meals is on yet (staff set up menus and elders before turning it on).
pub(crate) fn config(state: &AppState) -> Option<MealsConfig> {
    state.deployment()?.meals.clone()
}

/// The meals settings when residents are offered meals: the section is there and
/// `scenarios` lists meals.
fn offered(config: Option<&ShellConfig>) -> Option<MealsConfig> {
    let config = config?;
    if !config.scenarios.contains(&linli_core::Scenario::Meals) {
        return None;
    }
    config.meals.clone()
}

/// The meals settings for residents' requests, or 404 when meals is not offered.
pub(crate) fn offered_config(state: &AppState) -> Option<MealsConfig> {
    offered(state.deployment().as_deref())
}

impl Scenario for Meals {
    fn id(&self) -> linli_core::Scenario {
        linli_core::Scenario::Meals
    }

    fn owns(&self, kind: &str) -> bool {
        MealKind::from_id(kind).is_some()
    }

    fn check(&self, kind: &str, payload: &Value) -> Result<(), WireError> {
        match MealKind::from_id(kind) {
            Some(MealKind::Order) => MealOrder::from_value(payload, 0).map(|_| ()),
            Some(MealKind::Cancel) => Cancel::from_value(payload).map(|_| ()),
            Some(MealKind::Profile) => Profile::from_value(payload).map(|_| ()),
            None => Err(WireError {
                field: String::new(),
                message: format!("not a meals kind: {kind}"),
            }),
        }
    }

    /// A profile's needs and allergies, and an order's note (free text, often about
    /// the elder's health), are kept only in the meals tables, where consent
    /// withdrawal and erasure reach them.
    fn redact(&self, kind: &str, payload: &Value) -> Value {
        let emptied: &[(&str, Value)] = match MealKind::from_id(kind) {
            Some(MealKind::Profile) => &[
                ("needs", Value::Array(Vec::new())),
                ("allergies", Value::Array(Vec::new())),
            ],
            Some(MealKind::Order) => &[("note", Value::String(String::new()))],
            _ => &[],
        };
        match payload {
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| {
                        let empty = emptied.iter().find(|(e, _)| e == k).map(|(_, e)| e.clone());
                        (k.clone(), empty.unwrap_or_else(|| v.clone()))
                    })
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
            let current = self.site.config();
            // Meals turned off takes no new orders; a cancellation or a withdrawal of
            // consent to dietary data is still taken while the settings are there.
            let order = MealKind::from_id(&incoming.envelope.kind) == Some(MealKind::Order);
            let config = match offered(current.as_deref()) {
                Some(c) => Some(c),
                None if !order => current.as_ref().and_then(|c| c.meals.clone()),
                None => None,
            };
            let Some(config) = config else {
                return Err(Refusal::Rule {
                    code: "scenario_off",
                    message: incoming
                        .lang
                        .t(linli_core::meals::MealServerText::MealErrOff)
                        .to_owned(),
                });
            };
            apply::apply(tx, incoming, &config).await
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
        pages::exports()
    }

    fn household<'a>(
        &'a self,
        store: &'a Store,
        unit: i64,
    ) -> BoxFuture<'a, Result<Option<(&'static str, Value)>, StoreError>> {
        Box::pin(async move {
            let part = store.meals_household(unit).await?;
            Ok(Some(("meals", part)))
        })
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
