//! The application's shared parts, below the web edge: the state every handler gets
//! (store, clock, limits, hashing, network settings, deployment, navigation, the
//! registered scenarios) and the [`Scenario`] trait each scenario implements.

mod scenario;
pub mod site;
mod state;

pub use scenario::{BoxFuture, Effect, Event, Export, Incoming, Note, Refusal, Registry, Scenario};
pub use site::{Current, Loaded, Site, SiteError, SiteFile};
pub use state::{system_now, AppState, Clock, NavEntry, Net};
