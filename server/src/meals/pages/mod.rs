//! The kitchen's and staff's meal pages: the day's counts, menus (with last week's to
//! copy), the delivery list (printable, CSV) with "delivered" buttons, and the elders'
//! register with their ordering helpers. Server-rendered and role-gated like the rest
//! of `/staff`.

use std::collections::HashMap;

use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::{Lang, StaffText, Table};

use super::rows::today;
use crate::api::AppState;
use crate::error::ApiError;
use crate::pages::{esc, gate, lang, page};
use crate::staff::{Role, StaffMember};

/// Roles that run the kitchen: menus, counts, deliveries.
pub const KITCHEN: &[Role] = &[Role::Admin, Role::Staff, Role::Kitchen];
/// Roles that register elders and their helpers.
pub const ELDERS: &[Role] = &[Role::Admin, Role::Staff];
/// Blank rows offered under a menu's dishes.
pub(super) const BLANK_ROWS: usize = 4;

/// The meal pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/meals", get(menus::day))
        .route(
            "/staff/meals/menu",
            get(menus::menu_form).post(menus::save_menu),
        )
        .route("/staff/meals/delivery", get(delivery::delivery))
        .route("/staff/meals/delivery.csv", get(delivery::delivery_csv))
        .route(
            "/staff/meals/orders/{id}/delivered",
            post(delivery::delivered),
        )
        .route(
            "/staff/meals/elders",
            get(elders::elders).post(elders::add_elder),
        )
        .route("/staff/meals/proxies", post(elders::add_proxy))
}

pub(super) type Params = Query<HashMap<String, String>>;

/// The signed-in member and the meals config, or the response to send instead.
pub(super) async fn open(
    state: &AppState,
    headers: &HeaderMap,
    roles: &[Role],
) -> Result<(StaffMember, Lang, MealsConfig), Response> {
    let member = gate(state, headers, roles).await?;
    let config = state
        .meals()
        .cloned()
        .ok_or_else(|| ApiError::NotFound("meals scenario").into_response())?;
    Ok((member, lang(headers), config))
}

/// The `date` parameter, today by default.
pub(super) fn date_param(
    state: &AppState,
    q: &HashMap<String, String>,
    config: &MealsConfig,
) -> Date {
    q.get("date")
        .and_then(|d| Date::parse(d))
        .unwrap_or_else(|| today((state.clock)(), config.utc_offset_minutes))
}

/// The `slot` parameter, one of the config's slots.
pub(super) fn slot_param(
    q: &HashMap<String, String>,
    config: &MealsConfig,
) -> Result<String, ApiError> {
    q.get("slot")
        .and_then(|s| config.slot(s))
        .map(|s| s.slot.id.clone())
        .ok_or(ApiError::NotFound("meal slot"))
}

pub(super) fn slot_name(config: &MealsConfig, slot: &str, lang: Lang) -> String {
    config
        .slot(slot)
        .map_or_else(|| slot.to_owned(), |s| s.name.get(lang).to_owned())
}

pub(super) fn t(lang: Lang, text: impl Table) -> String {
    esc(lang.t(text))
}

pub(super) fn meals_page(lang: Lang, member: &StaffMember, title: &str, body: &str) -> Response {
    let nav = format!(
        "<nav class=\"no-print\"><a href=\"/staff/meals\">{}</a> · <a href=\"/staff/meals/elders\">{}</a></nav>",
        t(lang, StaffText::KitNav),
        t(lang, StaffText::KitEldersTitle)
    );
    page(lang, Some(member), title, &format!("{nav}{body}")).into_response()
}

macro_rules! try_open {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(r) => return r,
        }
    };
}

mod delivery;
mod elders;
mod menus;
