//! The kitchen's and staff's meal pages: the day's counts, menus (with last week's to
//! copy), the delivery list (printable, CSV) with "delivered" buttons, and the elders'
//! register with their consented diet and their helpers. Server-rendered and
//! role-gated like the rest of `/staff`.

use axum::routing::{get, post};
use axum::Router;
use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::{Lang, Role, StaffText};
use maud::{html, Markup};
use serde::Deserialize;

use super::rows::today;
use crate::app::{AppState, Export, NavEntry};
use crate::http::extract::Roles;
use crate::http::ApiError;

mod delivery;
mod elders;
mod menus;

/// Roles that run the kitchen: menus, counts, deliveries.
pub struct Kitchen;
impl Roles for Kitchen {
    const ALLOWED: &'static [Role] = KITCHEN;
}
/// Roles that register elders, their diet and their helpers.
pub struct Elders;
impl Roles for Elders {
    const ALLOWED: &'static [Role] = ELDERS;
}
/// Roles that see the day's counts (the auditor sees counts, not names).
pub struct Counts;
impl Roles for Counts {
    const ALLOWED: &'static [Role] = COUNTS;
}

/// Who runs the kitchen.
pub const KITCHEN: &[Role] = &[Role::Admin, Role::Staff, Role::Kitchen];
/// Who registers elders.
pub const ELDERS: &[Role] = &[Role::Admin, Role::Staff];
/// Who sees the day's counts.
pub const COUNTS: &[Role] = &[Role::Admin, Role::Staff, Role::Kitchen, Role::Auditor];

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
        .route("/staff/meals/elders/{id}/diet", post(elders::set_diet))
        .route("/staff/meals/proxies", post(elders::add_proxy))
        .route("/staff/meals/proxies/remove", post(elders::remove_proxy))
}

/// The meal pages in the console's navigation.
pub fn nav() -> Vec<NavEntry> {
    vec![
        NavEntry {
            path: "/staff/meals",
            label: StaffText::KitNav,
            roles: COUNTS,
        },
        NavEntry {
            path: "/staff/meals/elders",
            label: StaffText::KitEldersTitle,
            roles: ELDERS,
        },
    ]
}

/// The meals CSV exports.
pub fn exports() -> Vec<Export> {
    vec![Export {
        path: "/staff/meals/delivery.csv",
        label: StaffText::KitDelivery,
        roles: KITCHEN,
    }]
}

/// A page's `date` and `slot` parameters.
#[derive(Deserialize, Default)]
pub(super) struct MealQuery {
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub slot: Option<String>,
    #[serde(default)]
    pub copy: Option<String>,
    #[serde(default)]
    pub saved: Option<String>,
}

/// The deployment's meals settings, or 404 when it offers no meals.
pub(super) fn config(state: &AppState) -> Result<MealsConfig, ApiError> {
    super::config(state).ok_or(ApiError::NotFound(StaffText::NfMeals))
}

/// The `date` parameter, today (in the deployment's zone) by default.
pub(super) fn date_param(state: &AppState, date: Option<&str>, config: &MealsConfig) -> Date {
    date.and_then(Date::parse)
        .unwrap_or_else(|| today(state.now(), config.utc_offset_minutes))
}

/// The `slot` parameter, one of the config's slots.
pub(super) fn slot_param(slot: Option<&str>, config: &MealsConfig) -> Result<String, ApiError> {
    slot.and_then(|s| config.slot(s))
        .map(|s| s.slot.id.clone())
        .ok_or(ApiError::NotFound(StaffText::NfSlot))
}

pub(super) fn slot_name(config: &MealsConfig, slot: &str, lang: Lang) -> String {
    config
        .slot(slot)
        .map_or_else(|| slot.to_owned(), |s| s.name.get(lang).to_owned())
}

/// The meal pages' own links under the console's navigation.
pub(super) fn sub_nav(lang: Lang) -> Markup {
    html! {
        nav.sub aria-label=(lang.t(StaffText::KitNav)) {
            a href="/staff/meals" { (lang.t(StaffText::KitNav)) }
            a href="/staff/meals/elders" { (lang.t(StaffText::KitEldersTitle)) }
        }
    }
}
