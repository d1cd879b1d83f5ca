//! Elderly meal ordering on the server: storage, the device endpoints and the
//! kitchen's pages. The same `linli_core::meals` rules the browser ran decide here,
//! against the database, inside each submission's transaction.

mod api;
mod apply;
mod pages;
mod rows;
mod store;

pub use api::routes as api_routes;
pub(crate) use apply::apply;
pub use pages::routes as page_routes;
pub(crate) use rows::add_event;
pub use rows::{today, ElderRow, KitchenOrder, NewElder};

use linli_core::json::Value;
use linli_core::meals::{Cancel, MealOrder, Profile};
use linli_core::sync::wire::WireError;

/// The payload rules of the meal kinds (the database rules run in [`apply`]).
pub fn check_order(v: &Value) -> Result<(), WireError> {
    MealOrder::from_value(v, 0).map(|_| ())
}

/// See [`check_order`].
pub fn check_cancel(v: &Value) -> Result<(), WireError> {
    Cancel::from_value(v).map(|_| ())
}

/// See [`check_order`].
pub fn check_profile(v: &Value) -> Result<(), WireError> {
    Profile::from_value(v).map(|_| ())
}
