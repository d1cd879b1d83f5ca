//! The kitchen's and staff's meal pages: the day's counts, menus (with last week's to
//! copy), the delivery list (printable, CSV) with "delivered" buttons, and the elders'
//! register with their ordering helpers. Server-rendered and role-gated like the rest
//! of `/staff`.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::meals::{parse_yuan, yuan, Dish, Fulfilment, Menu, Status, Tag};
use linli_core::{Lang, StaffText, Table};

use super::store::{today, KitchenOrder, NewElder};
use crate::api::AppState;
use crate::error::ApiError;
use crate::pages::{esc, gate, lang, page};
use crate::staff::{Role, StaffMember};
use crate::store::Actor;

/// Roles that run the kitchen: menus, counts, deliveries.
pub const KITCHEN: &[Role] = &[Role::Admin, Role::Staff, Role::Kitchen];
/// Roles that register elders and their helpers.
pub const ELDERS: &[Role] = &[Role::Admin, Role::Staff];
/// Blank rows offered under a menu's dishes.
const BLANK_ROWS: usize = 4;

/// The meal pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/meals", get(day))
        .route("/staff/meals/menu", get(menu_form).post(save_menu))
        .route("/staff/meals/delivery", get(delivery))
        .route("/staff/meals/delivery.csv", get(delivery_csv))
        .route("/staff/meals/orders/{id}/delivered", post(delivered))
        .route("/staff/meals/elders", get(elders).post(add_elder))
        .route("/staff/meals/proxies", post(add_proxy))
}

type Params = Query<HashMap<String, String>>;

/// The signed-in member and the meals config, or the response to send instead.
async fn open(
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
fn date_param(state: &AppState, q: &HashMap<String, String>, config: &MealsConfig) -> Date {
    q.get("date")
        .and_then(|d| Date::parse(d))
        .unwrap_or_else(|| today((state.clock)(), config.utc_offset_minutes))
}

fn slot_name(config: &MealsConfig, slot: &str, lang: Lang) -> String {
    config
        .slot(slot)
        .map_or_else(|| slot.to_owned(), |s| s.name.get(lang).to_owned())
}

fn t(lang: Lang, text: impl Table) -> String {
    esc(lang.t(text))
}

fn meals_page(lang: Lang, member: &StaffMember, title: &str, body: &str) -> Response {
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

async fn day(State(state): State<AppState>, headers: HeaderMap, Query(q): Params) -> Response {
    let (member, lang, config) = try_open!(open(&state, &headers, KITCHEN).await);
    let date = date_param(&state, &q, &config);
    let orders = try_open!(state
        .store
        .kitchen_orders(date, None)
        .await
        .map_err(IntoResponse::into_response));
    let link = |d: Option<Date>, text: StaffText| {
        d.map(|d| format!("<a href=\"/staff/meals?date={d}\">{}</a>", t(lang, text)))
            .unwrap_or_default()
    };
    let mut body = format!(
        "<form class=\"no-print\" method=\"get\"><p>{} <label>{} <input type=\"date\" name=\"date\" value=\"{date}\"></label> <button>{}</button> {}</p></form>",
        link(date.add_days(-1), StaffText::KitPrevDay),
        t(lang, StaffText::KitDate),
        t(lang, StaffText::KitGo),
        link(date.add_days(1), StaffText::KitNextDay),
    );
    for slot in &config.slots {
        let id = &slot.slot.id;
        let name = esc(slot.name.get(lang));
        body.push_str(&format!(
            "<h3>{name}</h3><p class=\"no-print\"><a href=\"/staff/meals/menu?date={date}&slot={id}\">{}</a> · \
             <a href=\"/staff/meals/delivery?date={date}&slot={id}\">{}</a> · <a href=\"/staff/meals/delivery.csv?date={date}&slot={id}\">{}</a></p>",
            t(lang, StaffText::KitEditMenu),
            t(lang, StaffText::KitDelivery),
            t(lang, StaffText::KitCsv),
        ));
        let menu = try_open!(state
            .store
            .menu(date, id)
            .await
            .map_err(IntoResponse::into_response));
        let Some(menu) = menu else {
            body.push_str(&format!("<p>{}</p>", t(lang, StaffText::KitNoMenu)));
            continue;
        };
        let live: Vec<&KitchenOrder> = orders
            .iter()
            .filter(|o| o.order.slot == *id && o.status != Status::Cancelled)
            .collect();
        body.push_str(&format!(
            "<p>{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(&lang.fill(StaffText::KitOrders, &[("count", &live.len().to_string())])),
            t(lang, StaffText::KitColDish),
            t(lang, StaffText::KitColPortions),
            t(lang, StaffText::KitColLimit),
        ));
        for dish in &menu.dishes {
            let n: u32 = live
                .iter()
                .flat_map(|o| &o.order.lines)
                .filter(|l| l.dish == dish.id)
                .map(|l| l.qty)
                .sum();
            body.push_str(&format!(
                "<tr><td>{}</td><td data-dish=\"{}\" data-slot=\"{id}\" class=\"count\">{n}</td><td>{}</td></tr>",
                esc(&dish.name),
                esc(&dish.id),
                dish.daily_limit.map(|l| l.to_string()).unwrap_or_default(),
            ));
        }
        body.push_str("</table>");
    }
    let title = lang.fill(StaffText::KitDay, &[("date", &date.to_string())]);
    meals_page(lang, &member, &title, &body)
}

/// The menu form: the menu's dishes (or last week's with `copy=1`) and blank rows.
fn menu_page(
    lang: Lang,
    member: &StaffMember,
    config: &MealsConfig,
    menu: &Menu,
    problem: Option<String>,
    saved: bool,
) -> Response {
    let slot = &menu.slot;
    let date = menu.date;
    let mut body = String::new();
    if let Some(p) = problem {
        body.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            esc(&p)
        ));
    }
    if saved {
        body.push_str(&format!(
            "<p role=\"status\">{}</p>",
            t(lang, StaffText::KitSaved)
        ));
    }
    body.push_str(&format!(
        "<p class=\"no-print\"><a href=\"/staff/meals/menu?date={date}&slot={slot}&copy=1\">{}</a></p>\
         <form method=\"post\" action=\"/staff/meals/menu\"><input type=\"hidden\" name=\"date\" value=\"{date}\">\
         <input type=\"hidden\" name=\"slot\" value=\"{}\"><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t(lang, StaffText::KitCopyLastWeek),
        esc(slot),
        t(lang, StaffText::KitColName),
        t(lang, StaffText::KitColPrice),
        t(lang, StaffText::KitColTags),
        t(lang, StaffText::KitColAllergens),
        t(lang, StaffText::KitColLimitShort),
    ));
    let blank = Dish {
        id: String::new(),
        name: String::new(),
        price: 0,
        tags: Vec::new(),
        allergens: Vec::new(),
        daily_limit: None,
        photo: None,
    };
    let rows = menu
        .dishes
        .iter()
        .chain(std::iter::repeat_n(&blank, BLANK_ROWS));
    for (i, d) in rows.enumerate() {
        let row = i + 1;
        let tags: String = Tag::ALL
            .iter()
            .map(|tag| {
                format!(
                    "<label><input type=\"checkbox\" name=\"tag_{i}_{}\"{}> {}</label> ",
                    tag.id(),
                    if d.tags.contains(tag) { " checked" } else { "" },
                    t(lang, tag.text()),
                )
            })
            .collect();
        let price = if d.name.is_empty() {
            String::new()
        } else {
            yuan(d.price)
        };
        body.push_str(&format!(
            "<tr><td><input type=\"hidden\" name=\"id_{i}\" value=\"{}\"><input name=\"name_{i}\" value=\"{}\" aria-label=\"{} {row}\"></td>\
             <td><input name=\"price_{i}\" value=\"{price}\" inputmode=\"decimal\" size=\"6\" aria-label=\"{} {row}\"></td><td>{tags}</td>\
             <td><input name=\"allergens_{i}\" value=\"{}\" aria-label=\"{} {row}\"></td>\
             <td><input name=\"limit_{i}\" value=\"{}\" inputmode=\"numeric\" size=\"4\" aria-label=\"{} {row}\"></td></tr>",
            esc(&d.id),
            esc(&d.name),
            t(lang, StaffText::KitColName),
            t(lang, StaffText::KitColPrice),
            esc(&d.allergens.join("、")),
            t(lang, StaffText::KitColAllergens),
            d.daily_limit.map(|l| l.to_string()).unwrap_or_default(),
            t(lang, StaffText::KitColLimitShort),
        ));
    }
    body.push_str(&format!(
        "</table><p><button>{}</button></p></form>",
        t(lang, StaffText::KitSave)
    ));
    let title = lang.fill(
        StaffText::KitMenuTitle,
        &[
            ("date", &date.to_string()),
            ("slot", &slot_name(config, slot, lang)),
        ],
    );
    meals_page(lang, member, &title, &body)
}

async fn menu_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Params,
) -> Response {
    let (member, lang, config) = try_open!(open(&state, &headers, KITCHEN).await);
    let date = date_param(&state, &q, &config);
    let Some(slot) = q
        .get("slot")
        .and_then(|s| config.slot(s))
        .map(|s| s.slot.id.clone())
    else {
        return ApiError::NotFound("meal slot").into_response();
    };
    let from = if q.contains_key("copy") {
        date.add_days(-7).unwrap_or(date)
    } else {
        date
    };
    let found = try_open!(state
        .store
        .menu(from, &slot)
        .await
        .map_err(IntoResponse::into_response));
    let mut menu = found.unwrap_or(Menu {
        date,
        slot,
        dishes: Vec::new(),
    });
    menu.date = date;
    menu_page(lang, &member, &config, &menu, None, q.contains_key("saved"))
}

/// Reads the menu form's rows; a problem names its row.
fn read_menu(
    form: &HashMap<String, String>,
    date: Date,
    slot: &str,
    lang: Lang,
) -> (Menu, Option<String>) {
    let field = |k: String| {
        form.get(&k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut dishes: Vec<Dish> = Vec::new();
    let mut problem = None;
    let mut i = 0;
    while form.contains_key(&format!("name_{i}")) {
        let name = field(format!("name_{i}"));
        let row = (i + 1).to_string();
        let mut fail = |p: String| {
            problem.get_or_insert_with(|| {
                lang.fill(StaffText::KitRowError, &[("row", &row), ("problem", &p)])
            });
        };
        if !name.is_empty() {
            let price_text = field(format!("price_{i}"));
            let price = parse_yuan(&price_text).unwrap_or_else(|| {
                fail(lang.fill(StaffText::KitBadPrice, &[("value", &price_text)]));
                0
            });
            let limit_text = field(format!("limit_{i}"));
            let daily_limit = if limit_text.is_empty() {
                None
            } else {
                limit_text.parse().ok().or_else(|| {
                    fail(lang.fill(StaffText::KitBadLimit, &[("value", &limit_text)]));
                    None
                })
            };
            let mut id = field(format!("id_{i}"));
            if id.is_empty() {
                id = format!("d{}", i + 1);
            }
            while dishes.iter().any(|d| d.id == id) {
                id.push('x');
            }
            dishes.push(Dish {
                id,
                name: name.chars().take(40).collect(),
                price,
                tags: Tag::ALL
                    .into_iter()
                    .filter(|t| form.contains_key(&format!("tag_{i}_{}", t.id())))
                    .collect(),
                allergens: field(format!("allergens_{i}"))
                    .split(['、', ',', '，', ';', '；'])
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect(),
                daily_limit,
                photo: None,
            });
        }
        i += 1;
    }
    if dishes.is_empty() && problem.is_none() {
        problem = Some(lang.t(StaffText::KitNoDishes).to_owned());
    }
    (
        Menu {
            date,
            slot: slot.to_owned(),
            dishes,
        },
        problem,
    )
}

async fn save_menu(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (member, lang, config) = try_open!(open(&state, &headers, KITCHEN).await);
    let date = date_param(&state, &form, &config);
    let Some(slot) = form
        .get("slot")
        .and_then(|s| config.slot(s))
        .map(|s| s.slot.id.clone())
    else {
        return ApiError::NotFound("meal slot").into_response();
    };
    let (menu, problem) = read_menu(&form, date, &slot, lang);
    if problem.is_some() {
        let mut r = menu_page(lang, &member, &config, &menu, problem, false);
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return r;
    }
    match state
        .store
        .put_menu(&menu, &Actor::staff(&member), (state.clock)())
        .await
    {
        Ok(()) => Redirect::to(&format!(
            "/staff/meals/menu?date={date}&slot={slot}&saved=1"
        ))
        .into_response(),
        Err(ApiError::Invalid(e)) => {
            let dish = e.field.trim_start_matches("dishes.").to_owned();
            let p = lang.fill(StaffText::KitHasOrders, &[("dish", &dish)]);
            let mut r = menu_page(lang, &member, &config, &menu, Some(p), false);
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(e) => e.into_response(),
    }
}

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
    let slot = q
        .get("slot")
        .and_then(|s| config.slot(s))
        .map(|s| s.slot.id.clone())
        .ok_or_else(|| ApiError::NotFound("meal slot").into_response())?;
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

async fn delivery(State(state): State<AppState>, headers: HeaderMap, Query(q): Params) -> Response {
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

async fn delivery_csv(
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

async fn delivered(
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

async fn elders(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (member, lang, config) = try_open!(open(&state, &headers, ELDERS).await);
    elders_page(&state, lang, &member, &config, None).await
}

async fn elders_page(
    state: &AppState,
    lang: Lang,
    member: &StaffMember,
    config: &MealsConfig,
    problem: Option<String>,
) -> Response {
    let elders = try_open!(state
        .store
        .elders()
        .await
        .map_err(IntoResponse::into_response));
    let units = try_open!(state
        .store
        .units()
        .await
        .map_err(IntoResponse::into_response));
    let yes_no = |b: bool| {
        t(
            lang,
            if b {
                StaffText::StaffYes
            } else {
                StaffText::StaffNo
            },
        )
    };
    let mut body = problem
        .map(|p| {
            format!(
                "<p class=\"error\" role=\"alert\">{}</p>",
                esc(&lang.fill(StaffText::KitFormError, &[("problem", &p)]))
            )
        })
        .unwrap_or_default();
    body.push_str(&format!(
        "<table><tr>{}</tr>",
        [
            StaffText::KitFieldName,
            StaffText::KitColAddress,
            StaffText::KitFieldRoute,
            StaffText::KitColTier,
            StaffText::KitColWay,
            StaffText::KitColNeeds,
            StaffText::KitColAllergies,
            StaffText::KitColConsent,
            StaffText::KitColProxies,
        ]
        .iter()
        .map(|h| format!("<th>{}</th>", t(lang, *h)))
        .collect::<String>()
    ));
    for e in &elders {
        let tier = config
            .tier(&e.elder.tier)
            .map_or(e.elder.tier.clone(), |t| t.name.get(lang).to_owned());
        let needs: Vec<&str> = e.elder.needs.iter().map(|n| lang.t(n.text())).collect();
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.name),
            esc(&e.address),
            esc(&e.route),
            esc(&tier),
            t(lang, e.elder.fulfilment.text()),
            esc(&needs.join("、")),
            esc(&e.elder.allergies.join("、")),
            yes_no(e.consent),
            esc(&e.proxies.join("、")),
        ));
    }
    body.push_str("</table>");
    let unit_options = |name: &str| {
        format!(
            "<select name=\"{name}\" required>{}</select>",
            units
                .iter()
                .map(|u| format!("<option value=\"{}\">{}</option>", u.id, esc(&u.label)))
                .collect::<String>()
        )
    };
    let options = |items: Vec<(String, String)>| -> String {
        items
            .into_iter()
            .map(|(v, l)| format!("<option value=\"{}\">{}</option>", esc(&v), esc(&l)))
            .collect()
    };
    let tiers = options(
        config
            .tiers
            .iter()
            .map(|t| (t.tier.id.clone(), t.name.get(lang).to_owned()))
            .collect(),
    );
    let ways = options(
        Fulfilment::ALL
            .iter()
            .map(|f| (f.id().to_owned(), lang.t(f.text()).to_owned()))
            .collect(),
    );
    let needs: String = Tag::ALL
        .iter()
        .map(|tag| {
            format!(
                "<label><input type=\"checkbox\" name=\"need_{}\"> {}</label> ",
                tag.id(),
                t(lang, tag.text())
            )
        })
        .collect();
    body.push_str(&format!(
        "<h3>{}</h3><form method=\"post\" action=\"/staff/meals/elders\">\
         <p><label>{} <input name=\"name\" required maxlength=\"40\"></label></p>\
         <p><label>{} {}</label></p>\
         <p><label>{} <input name=\"address\" maxlength=\"100\"></label></p>\
         <p><label>{} <input name=\"route\" maxlength=\"40\"></label></p>\
         <p><label>{} <select name=\"tier\">{tiers}</select></label></p>\
         <p><label>{} <select name=\"fulfilment\">{ways}</select></label></p>\
         <p>{}: {needs}</p><p><label>{} <input name=\"allergies\" maxlength=\"200\"></label></p>\
         <p><label><input type=\"checkbox\" name=\"consent\"> {}</label></p><p><button>{}</button></p></form>",
        t(lang, StaffText::KitRegister),
        t(lang, StaffText::KitFieldName),
        t(lang, StaffText::KitFieldUnit),
        unit_options("unit"),
        t(lang, StaffText::KitFieldAddress),
        t(lang, StaffText::KitFieldRoute),
        t(lang, StaffText::KitColTier),
        t(lang, StaffText::KitColWay),
        t(lang, StaffText::KitColNeeds),
        t(lang, StaffText::KitColAllergies),
        t(lang, StaffText::KitConsentBox),
        t(lang, StaffText::KitRegister),
    ));
    body.push_str(&format!(
        "<h3>{}</h3><form method=\"post\" action=\"/staff/meals/proxies\"><p><label>{} {}</label> <label>{} {}</label> <button>{}</button></p></form>",
        t(lang, StaffText::KitLinkProxy),
        t(lang, StaffText::KitFieldElderUnit),
        unit_options("unit"),
        t(lang, StaffText::KitFieldProxyUnit),
        unit_options("proxy"),
        t(lang, StaffText::KitLinkProxy),
    ));
    meals_page(lang, member, lang.t(StaffText::KitEldersTitle), &body)
}

async fn add_elder(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (member, lang, config) = try_open!(open(&state, &headers, ELDERS).await);
    let field = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let name = field("name");
    let tier = field("tier");
    let unit_id = field("unit").parse::<i64>().ok();
    let problem = if name.is_empty() {
        Some(lang.t(StaffText::KitFieldName).to_owned())
    } else if config.tier(&tier).is_none() {
        Some(lang.t(StaffText::KitColTier).to_owned())
    } else if unit_id.is_none() {
        Some(lang.t(StaffText::KitFieldUnit).to_owned())
    } else {
        None
    };
    if problem.is_some() {
        let mut r = elders_page(&state, lang, &member, &config, problem).await;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return r;
    }
    let elder = NewElder {
        unit_id: unit_id.unwrap_or_default(),
        name: name.chars().take(40).collect(),
        address: field("address"),
        route: field("route"),
        tier,
        fulfilment: Fulfilment::from_id(&field("fulfilment")).unwrap_or_default(),
        needs: Tag::ALL
            .into_iter()
            .filter(|t| form.contains_key(&format!("need_{}", t.id())))
            .collect(),
        allergies: field("allergies")
            .split(['、', ',', '，'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        consent: form.contains_key("consent"),
    };
    match state
        .store
        .add_elder(&elder, &Actor::staff(&member), (state.clock)())
        .await
    {
        Ok(_) => Redirect::to("/staff/meals/elders").into_response(),
        Err(e) => e.into_response(),
    }
}

async fn add_proxy(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (member, _, _) = try_open!(open(&state, &headers, ELDERS).await);
    let id = |k: &str| form.get(k).and_then(|v| v.parse::<i64>().ok());
    let (Some(unit), Some(proxy)) = (id("unit"), id("proxy")) else {
        return ApiError::NotFound("unit").into_response();
    };
    match state
        .store
        .link_proxy(unit, proxy, &Actor::staff(&member), (state.clock)())
        .await
    {
        Ok(()) => Redirect::to("/staff/meals/elders").into_response(),
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

    #[test]
    fn menu_rows_are_read_with_located_problems() {
        let form: HashMap<String, String> = [
            ("name_0", "清蒸鱼"),
            ("price_0", "15.5"),
            ("tag_0_low_salt", "on"),
            ("allergens_0", "鱼、 大豆"),
            ("limit_0", "30"),
            ("id_0", "fish"),
            ("name_1", ""),
            ("price_1", ""),
            ("name_2", "红烧肉"),
            ("price_2", "十二"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let date = Date::parse("2026-12-01").unwrap();
        let (menu, problem) = read_menu(&form, date, "lunch", Lang::ZhCn);
        assert_eq!(problem.as_deref(), Some("第 3 行：价格“十二”不是金额"));
        let fish = &menu.dishes[0];
        assert_eq!(
            (fish.id.as_str(), fish.price, fish.daily_limit),
            ("fish", 1550, Some(30))
        );
        assert_eq!(fish.tags, vec![Tag::LowSalt]);
        assert_eq!(fish.allergens, vec!["鱼", "大豆"]);
        assert_eq!(menu.dishes[1].id, "d3");
    }
}
