//! The delivery list by building and route: printable, as CSV, with 标记已送达.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::meals::{yuan, Menu, Status};
use linli_core::{Lang, StaffText};
use maud::html;
use serde::Deserialize;

use super::*;
use crate::http::export::csv_response;
use crate::http::extract::{Csrf, Query, Staff};
use crate::http::layout::{csrf_field, page, print_button};
use crate::meals::rows::KitchenOrder;

/// The cells of one delivery row, as text (escaped by the page, made safe by the CSV).
fn delivery_cells(o: &KitchenOrder, menu: Option<&Menu>, lang: Lang) -> [String; 9] {
    let dishes = o
        .order
        .lines
        .iter()
        .map(|l| {
            let name = menu
                .and_then(|m| m.dish(&l.dish))
                .map_or(l.dish.as_str(), |d| d.name.as_str());
            format!("{name} ×{}", l.qty)
        })
        .collect::<Vec<_>>()
        .join("，");
    let mut flags = Vec::new();
    if !o.elder.elder.allergies.is_empty() {
        flags.push(format!(
            "{}：{}",
            lang.t(StaffText::KitColAllergies),
            o.elder.elder.allergies.join("、")
        ));
    }
    if !o.flags.is_empty() {
        flags.push(o.flags.clone());
    }
    [
        o.elder.name.clone(),
        o.elder.address.clone(),
        dishes,
        lang.t(o.order.fulfilment.text()).to_owned(),
        o.order.note.clone(),
        flags.join("；"),
        yuan(o.price.pay),
        lang.t(o.status.text()).to_owned(),
        o.placed_by.clone(),
    ]
}

const DELIVERY_HEADERS: [StaffText; 9] = [
    StaffText::KitColElder,
    StaffText::KitColAddress,
    StaffText::KitColOrder,
    StaffText::KitColWay,
    StaffText::KitColNote,
    StaffText::KitColFlags,
    StaffText::KitColPay,
    StaffText::KitColStatus,
    StaffText::KitColPlacedBy,
];

/// The live orders of one meal (or of every meal of the day, without a slot) and the
/// menus they were ordered from.
async fn meal_orders(
    state: &AppState,
    q: &MealQuery,
    config: &MealsConfig,
) -> Result<(Date, Option<String>, Vec<KitchenOrder>, Vec<Menu>), ApiError> {
    let date = date_param(state, q.date.as_deref(), config);
    let slot = match q.slot.as_deref() {
        Some(s) => Some(slot_param(Some(s), config)?),
        None => None,
    };
    let orders = state
        .store
        .kitchen_orders(date, slot.as_deref())
        .await?
        .into_iter()
        .filter(|o| o.status != Status::Cancelled)
        .collect();
    let mut menus = Vec::new();
    for s in &config.slots {
        if slot.as_deref().is_none_or(|id| id == s.slot.id) {
            if let Some(m) = state.store.menu(date, &s.slot.id).await? {
                menus.push(m);
            }
        }
    }
    Ok((date, slot, orders, menus))
}

fn menu_of<'m>(menus: &'m [Menu], o: &KitchenOrder) -> Option<&'m Menu> {
    menus.iter().find(|m| m.slot == o.order.slot)
}

/// `GET /staff/meals/delivery?date=&slot=`.
pub(in crate::meals) async fn delivery(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Kitchen>,
    Query(q): Query<MealQuery>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let config = config(&state)?;
    let (date, slot, orders, menus) = meal_orders(&state, &q, &config).await?;
    let slot_q = slot.clone().unwrap_or_default();
    let mut groups: Vec<((String, String), Vec<&KitchenOrder>)> = Vec::new();
    for o in &orders {
        let key = (o.elder.building.clone(), o.elder.route.clone());
        match groups.last_mut() {
            Some((k, list)) if *k == key => list.push(o),
            _ => groups.push((key, vec![o])),
        }
    }
    let body = html! {
        (sub_nav(lang))
        p.no-print {
            (print_button(lang)) " "
            a href={ "/staff/meals/delivery.csv?date=" (date) "&slot=" (slot_q) } { (lang.t(StaffText::KitCsv)) }
        }
        @if orders.is_empty() { p { (lang.t(StaffText::KitNoOrders)) } }
        @for ((building, route), list) in &groups {
            h2 { (lang.fill(StaffText::KitRoute, &[("building", building), ("route", if route.is_empty() { "—" } else { route })])) }
            table.cards {
                thead { tr {
                    @for h in DELIVERY_HEADERS { th { (lang.t(h)) } }
                    th.no-print {}
                } }
                tbody {
                    @for o in list {
                        @let cells = delivery_cells(o, menu_of(&menus, o), lang);
                        tr.flag[!cells[5].is_empty()] data-order=(o.id) {
                            @for (h, c) in DELIVERY_HEADERS.iter().zip(cells.iter()) {
                                td data-label=(lang.t(*h)) { (c) }
                            }
                            td.no-print {
                                @if o.status == Status::Received {
                                    form.inline method="post" action={ "/staff/meals/orders/" (o.id) "/delivered" } {
                                        (csrf_field(&cx))
                                        input type="hidden" name="date" value=(date.to_string());
                                        input type="hidden" name="slot" value=(slot_q);
                                        button { (lang.t(StaffText::KitMarkDelivered)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let slot_title = slot.as_deref().map_or_else(
        || lang.t(StaffText::KitAllMeals).to_owned(),
        |s| slot_name(&config, s, lang),
    );
    let title = lang.fill(
        StaffText::KitDeliveryTitle,
        &[("date", &date.to_string()), ("slot", &slot_title)],
    );
    Ok(page(cx.frame(), &title, body))
}

/// `GET /staff/meals/delivery.csv?date=&slot=`: the same list for a spreadsheet.
pub(in crate::meals) async fn delivery_csv(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Kitchen>,
    Query(q): Query<MealQuery>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let config = config(&state)?;
    let (date, slot, orders, menus) = meal_orders(&state, &q, &config).await?;
    let head: Vec<&str> = [
        lang.t(StaffText::StaffColBuilding),
        lang.t(StaffText::KitFieldRoute),
    ]
    .into_iter()
    .chain(DELIVERY_HEADERS.iter().map(|h| lang.t(*h)))
    .collect();
    let rows: Vec<Vec<String>> = orders
        .iter()
        .map(|o| {
            [o.elder.building.clone(), o.elder.route.clone()]
                .into_iter()
                .chain(delivery_cells(o, menu_of(&menus, o), lang))
                .collect()
        })
        .collect();
    let name = format!("delivery-{date}-{}.csv", slot.as_deref().unwrap_or("all"));
    Ok(csv_response(&name, &head, &rows))
}

#[derive(Deserialize)]
pub(in crate::meals) struct Back {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    slot: Option<String>,
}

/// `POST /staff/meals/orders/{id}/delivered`.
pub(in crate::meals) async fn delivered(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Csrf { cx, form, .. }: Csrf<Kitchen, Back>,
) -> Result<Response, ApiError> {
    let config = config(&state)?;
    state
        .store
        .mark_delivered(&id, &cx.actor(), state.now())
        .await?;
    let date = date_param(&state, form.date.as_deref(), &config);
    let slot = slot_param(form.slot.as_deref(), &config).unwrap_or_default();
    Ok(Redirect::to(&format!("/staff/meals/delivery?date={date}&slot={slot}")).into_response())
}
