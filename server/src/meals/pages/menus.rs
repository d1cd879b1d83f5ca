//! The day's counts per dish and meal, and the menu form (with last week's to copy).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::meals::{parse_yuan, yuan, Dish, Menu, Status, Tag};
use linli_core::{Lang, StaffText};

use super::*;
use crate::api::AppState;
use crate::error::ApiError;
use crate::meals::rows::KitchenOrder;
use crate::pages::esc;
use crate::staff::StaffMember;
use crate::store::Actor;

pub(super) async fn day(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Params,
) -> Response {
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

pub(super) async fn menu_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Params,
) -> Response {
    let (member, lang, config) = try_open!(open(&state, &headers, KITCHEN).await);
    let date = date_param(&state, &q, &config);
    let slot = try_open!(slot_param(&q, &config).map_err(IntoResponse::into_response));
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

pub(super) async fn save_menu(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (member, lang, config) = try_open!(open(&state, &headers, KITCHEN).await);
    let date = date_param(&state, &form, &config);
    let slot = try_open!(slot_param(&form, &config).map_err(IntoResponse::into_response));
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

#[cfg(test)]
mod tests {
    use super::*;

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
