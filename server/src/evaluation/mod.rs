//! Public evaluation (公众评价, issue 14): every service residents use — the notice
//! board and each scenario — measured the same way, for staff and published to
//! residents.
//!
//! - `POST /api/v1/evaluation` takes a device's finished day of anonymous counts
//!   (`evaluation_use`) and one-tap ratings (`evaluation_rating`) from its outbox. It
//!   needs a linked device's token, so only residents' phones count, but stores
//!   nothing of the sender: counts are added to per-day totals per service, and a
//!   rating keeps its household only when the resident ticked "you may contact me".
//!   It is not `/api/v1/submissions`, which keeps the household and device of
//!   everything it stores.
//! - `GET /api/v1/evaluation` publishes the same figures staff see over the last 30
//!   days, with approval under the minimum count shown as "too few to show", and the
//!   "你说我改" notes.
//! - `/staff/evaluation` is the dashboard: the services compared on one page, and per
//!   service use per day, scores, approval per week, comments to mark handled and the
//!   notes to publish; charts are SVG drawn here, each with its table and a CSV.
//!
//! A scenario's own loop may count too (`Scenario::ratings`): feedback's 满意 /
//! 基本满意 / 不满意 count toward its approval.

mod api;
pub mod chart;
pub mod demo;
pub mod figures;
mod pages;
pub mod store;

use axum::routing::MethodRouter;
use axum::Router;
use linli_core::date::{date_at, Date};
use linli_core::evaluation::{Score, Service};

use crate::app::{AppState, NavEntry};
use crate::http::ApiError;
use figures::Figures;

/// Its device API, checked against `openapi.json` like the rest.
pub fn api_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    api::routes()
}

/// Its console pages.
pub fn routes() -> Router<AppState> {
    pages::routes()
}

/// Its console navigation entry.
pub fn nav() -> NavEntry {
    pages::nav()
}

/// The services measured in this deployment: the notice board and each scenario it
/// offers (every scenario when the server has no deployment yet).
pub fn services(state: &AppState) -> Vec<Service> {
    let offered: Vec<Service> = match state.deployment() {
        Some(c) => c.scenarios.iter().map(|s| Service::of(*s)).collect(),
        None => linli_core::Scenario::ALL
            .into_iter()
            .map(Service::of)
            .collect(),
    };
    Service::ALL
        .into_iter()
        .filter(|s| *s == Service::Notices || offered.contains(s))
        .collect()
}

/// The deployment's calendar day at `ms`.
pub fn day_at(state: &AppState, ms: i64) -> Date {
    date_at(ms, state.utc_offset_minutes()).unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    })
}

/// The figures of the deployment's services over `from`–`to`: the stored totals and
/// ratings, and the ratings of each scenario's own loop.
pub async fn gather(state: &AppState, from: Date, to: Date) -> Result<Figures, ApiError> {
    let uses = state.store.evaluation_use(from, to).await?;
    let scores = state.store.evaluation_scores(from, to).await?;
    let offset = state.utc_offset_minutes();
    let start = from.local_instant(0, offset);
    let end = to
        .add_days(1)
        .map_or(i64::MAX, |d| d.local_instant(0, offset));
    let mut loops: Vec<(Service, Date, Score)> = Vec::new();
    for s in state.scenarios.iter() {
        let service = Service::of(s.id());
        for (at, score) in s.ratings(&state.store, start, end).await? {
            if let Some(day) = date_at(at, offset) {
                loops.push((service, day, score));
            }
        }
    }
    Ok(figures::figures(
        &services(state),
        from,
        to,
        &uses,
        &scores,
        &loops,
    ))
}
