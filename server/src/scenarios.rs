//! The one list of the scenarios this server can run: the only place that names them.
//! A scenario is registered when the deployment's config enables it (meals needs its
//! `meals` section); its kinds are refused as unknown otherwise.

use std::sync::Arc;

use linli_core::config::ShellConfig;

use crate::app::{Registry, Scenario};
use crate::meals::Meals;

/// The scenarios of this build that `config` enables, in order, plus `extra` ones
/// (a test's, or an embedding program's).
pub fn registered(config: Option<&ShellConfig>, extra: Vec<Arc<dyn Scenario>>) -> Registry {
    let mut list: Vec<Arc<dyn Scenario>> = Vec::new();
    if let Some(meals) = config.and_then(|c| c.meals.clone()) {
        list.push(Arc::new(Meals::new(meals)));
    }
    list.extend(extra);
    Registry::new(list)
}
