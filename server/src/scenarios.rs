//! The one list of the scenarios this server can run: the only place that names them.
//! Every scenario of the build is registered; each reads the configuration in force
//! (`Site`) on every request, so turning one on or off in the console needs no
//! restart, and one that is off refuses residents' submissions with a reason.

use std::sync::Arc;

use crate::app::{Registry, Scenario, Site};
use crate::feedback::Feedback;
use crate::forms::Forms;
use crate::meals::Meals;
use crate::voting::Voting;

/// The scenarios of this build, reading their settings from `site`, plus `extra` ones
/// (a test's, or an embedding program's).
pub fn registered(site: &Arc<Site>, extra: Vec<Arc<dyn Scenario>>) -> Registry {
    let mut list: Vec<Arc<dyn Scenario>> = vec![
        Arc::new(Meals::new(site.clone())),
        Arc::new(Voting::new(site.clone())),
        Arc::new(Feedback::new(site.clone())),
        Arc::new(Forms::new(site.clone())),
    ];
    list.extend(extra);
    Registry::new(list)
}
