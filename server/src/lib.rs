//! linli-server: the reference backend a sub-district runs.
//!
//! One process serves a deployment's static folder and the sync API, on SQLite by
//! default (a file created and migrated at start). Every submission is checked by the
//! same `linli-core` rules the browser ran, stored once under its client id in one
//! transaction with its audit entry, and acknowledged; the audit log is hash-chained
//! (`linli-server audit verify`).
//!
//! - [`api`]: routes and handlers (`/api/v1/...`, `/healthz`).
//! - [`store`]: the database behind them.
//! - [`audit`]: the hash chain.
//! - [`kinds`]: which submission kinds are accepted, with their core rules.
//! - staff pages (`/staff`): sign in, households and printable household codes,
//!   recent submissions; server-rendered, role-gated.

pub mod api;
pub mod audit;
pub mod cli;
pub mod demo;
pub mod error;
pub mod kinds;
pub mod meals;
mod pages;
mod secret;
pub mod staff;
pub mod store;

pub use api::{router, AppState};
pub use kinds::Kinds;
pub use staff::Role;
pub use store::{Actor, Store};
