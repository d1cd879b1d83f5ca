//! linli-server: the reference backend a sub-district runs.
//!
//! One process serves a deployment's static folder, the sync API and the staff
//! console, on SQLite by default (a file created and migrated at start). Every
//! submission is checked by the same `linli-core` rules the browser ran, stored once
//! under its client id in one transaction with its scenario's effects and a keyed
//! audit entry, and acknowledged.
//!
//! Layers, each using only those above it in this list:
//! - [`store`]: the database (its own error type, no HTTP); [`audit`]: the keyed hash
//!   chain and the server key file; [`auth`]: password hashing and policy, TOTP;
//!   [`limits`]: guessing limits and the client address; [`log`]: structured lines.
//! - [`app`]: the shared state and the [`app::Scenario`] trait with its registry.
//! - [`http`]: extractors (`Device`, `StaffApi<R>`, `Staff<R>`, `Csrf<R, T>`),
//!   errors mapped to HTTP, the console's layout, CSV, security headers, the
//!   connection loop.
//! - [`api`], the console's [`pages`], and each scenario ([`meals`]); [`sign_in`].
//! - [`scenarios`] (the one list naming them), [`router`], [`cli`].

pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod demo;
pub mod embedded;
pub mod evaluation;
pub mod feedback;
pub mod forms;
pub mod http;
pub mod limits;
pub mod log;
pub mod meals;
pub mod pages;
pub mod picture;
pub mod router;
pub mod scenarios;
pub mod sign_in;
pub mod store;
pub mod voting;

pub use app::{AppState, Clock, Registry, Scenario};
pub use router::router;
pub use store::{Actor, Store};
