//! The delivery list by building and route: printable, as CSV, with 标记已送达.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::meals::{yuan, Menu, Status};
use linli_core::{Lang, StaffText};

use super::*;
use crate::api::AppState;
use crate::meals::rows::KitchenOrder;
use crate::pages::esc;
use crate::store::Actor;

/// The cells of one delivery row, as text (escaped by the HTML writer, quoted by CSV).
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

/// The live orders of one meal and its menu.
async fn meal_orders(
    state: &AppState,
    q: &HashMap<String, String>,
    config: &MealsConfig,
) -> Result<(Date, String, Vec<KitchenOrder>, Option<Menu>), Response> {
    let date = date_param(state, q, config);
    let slot = slot_param(q, config).map_err(IntoResponse::into_response)?;
    let orders = state
        .store
        .kitchen_orders(date, Some(&slot))
        .await
        .map_err(IntoResponse::into_response)?
        .into_iter()
        .filter(|o| o.status != Status::Cancelled)
        .collect();
    let menu = state
        .store
        .menu(date, &slot)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok((date, slot, orders, menu))
}

pub(super) async fn delivery(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Params,
) -> Response {
    let (member, lang, config) = try_open!(open(&state, &headers, KITCHEN).await);
    let (date, slot, orders, menu) = try_open!(meal_orders(&state, &q, &config).await);
    let mut body = format!(
        "<p class=\"no-print\"><button onclick=\"print()\">{}</button> <a href=\"/staff/meals/delivery.csv?date={date}&slot={slot}\">{}</a></p>",
        t(lang, StaffText::StaffPrint),
        t(lang, StaffText::KitCsv)
    );
    if orders.is_empty() {
        body.push_str(&format!("<p>{}</p>", t(lang, StaffText::KitNoOrders)));
    }
    let mut group = None;
    for o in &orders {
        let key = (o.elder.building.clone(), o.elder.route.clone());
        if group.as_ref() != Some(&key) {
            if group.is_some() {
                body.push_str("</table>");
            }
            let route = if key.1.is_empty() {
                "—"
            } else {
                key.1.as_str()
            };
            body.push_str(&format!(
                "<h3>{}</h3><table><tr>{}<th class=\"no-print\"></th></tr>",
                esc(&lang.fill(
                    StaffText::KitRoute,
                    &[("building", &key.0), ("route", route)]
                )),
                DELIVERY_HEADERS
                    .iter()
                    .map(|h| format!("<th>{}</th>", t(lang, *h)))
                    .collect::<String>(),
            ));
            group = Some(key);
        }
        let cells = delivery_cells(o, menu.as_ref(), lang);
        let flagged = if cells[5].is_empty() {
            ""
        } else {
            " class=\"flag\""
        };
        let button = if o.status == Status::Received {
            format!(
                "<form class=\"inline\" method=\"post\" action=\"/staff/meals/orders/{}/delivered?date={date}&slot={slot}\"><button>{}</button></form>",
                esc(&o.id),
                t(lang, StaffText::KitMarkDelivered)
            )
        } else {
            String::new()
        };
        body.push_str(&format!(
            "<tr{flagged} data-order=\"{}\">{}<td class=\"no-print\">{button}</td></tr>",
            esc(&o.id),
            cells
                .iter()
                .map(|c| format!("<td>{}</td>", esc(c)))
                .collect::<String>(),
        ));
    }
    if group.is_some() {
        body.push_str("</table>");
    }
    let title = lang.fill(
        StaffText::KitDeliveryTitle,
        &[
            ("date", &date.to_string()),
            ("slot", &slot_name(&config, &slot, lang)),
        ],
    );
    meals_page(lang, &member, &title, &body)
}

/// A CSV field, quoted when it needs to be; a leading `=`, `+`, `-` or `@` is
/// neutralised so a spreadsheet never runs it as a formula.
fn csv_field(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

pub(super) async fn delivery_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Params,
) -> Response {
    let (_, lang, config) = try_open!(open(&state, &headers, KITCHEN).await);
    let (date, slot, orders, menu) = try_open!(meal_orders(&state, &q, &config).await);
    // A byte-order mark so spreadsheet programs read the Chinese as UTF-8.
    let mut csv = String::from("\u{feff}");
    let head: Vec<String> = [
        lang.t(StaffText::StaffColBuilding),
        lang.t(StaffText::KitFieldRoute),
    ]
    .into_iter()
    .chain(DELIVERY_HEADERS.iter().map(|h| lang.t(*h)))
    .map(csv_field)
    .collect();
    csv.push_str(&head.join(","));
    csv.push_str("\r\n");
    for o in &orders {
        let row: Vec<String> = [o.elder.building.clone(), o.elder.route.clone()]
            .into_iter()
            .chain(delivery_cells(o, menu.as_ref(), lang))
            .map(|c| csv_field(&c))
            .collect();
        csv.push_str(&row.join(","));
        csv.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"delivery-{date}-{slot}.csv\""),
            ),
        ],
        csv,
    )
        .into_response()
}

pub(super) async fn delivered(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(q): Params,
) -> Response {
    let (member, _, config) = try_open!(open(&state, &headers, KITCHEN).await);
    match state
        .store
        .mark_delivered(&id, &Actor::staff(&member), (state.clock)())
        .await
    {
        Ok(_) => {
            let date = date_param(&state, &q, &config);
            let slot = q.get("slot").cloned().unwrap_or_default();
            Redirect::to(&format!(
                "/staff/meals/delivery?date={date}&slot={}",
                esc(&slot)
            ))
            .into_response()
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("豆腐 ×1"), "豆腐 ×1");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
