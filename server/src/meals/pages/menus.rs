//! The day's counts per dish and meal, and the menu form (with last week's to copy).

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::meals::{parse_yuan, yuan, Dish, Menu, Status, Tag};
use linli_core::{Lang, StaffText};
use maud::html;

use super::*;
use crate::http::extract::{Csrf, Query, Staff, StaffCx};
use crate::http::layout::{csrf_field, page};
use crate::meals::rows::KitchenOrder;
use crate::meals::MenuError;

/// `GET /staff/meals?date=`: per meal of the day, portions ordered per dish.
pub(in crate::meals) async fn day(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Counts>,
    Query(q): Query<MealQuery>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let config = config(&state)?;
    let date = date_param(&state, q.date.as_deref(), &config);
    let orders = state.store.kitchen_orders(date, None).await?;
    let runs_kitchen = KITCHEN.contains(&cx.account.role);
    let mut menus = Vec::new();
    for slot in &config.slots {
        menus.push((slot, state.store.menu(date, &slot.slot.id).await?));
    }
    let body = html! {
        (sub_nav(lang))
        form.no-print method="get" {
            p {
                @if let Some(d) = date.add_days(-1) { a href={ "/staff/meals?date=" (d) } { (lang.t(StaffText::KitPrevDay)) } " " }
                label { (lang.t(StaffText::KitDate)) " " input type="date" name="date" value=(date.to_string()); }
                " " button { (lang.t(StaffText::KitGo)) } " "
                @if let Some(d) = date.add_days(1) { a href={ "/staff/meals?date=" (d) } { (lang.t(StaffText::KitNextDay)) } }
            }
        }
        @for (slot, menu) in &menus {
            @let id = &slot.slot.id;
            h2 { (slot.name.get(lang)) }
            @if runs_kitchen {
                p.no-print {
                    a href={ "/staff/meals/menu?date=" (date) "&slot=" (id) } { (lang.t(StaffText::KitEditMenu)) } " · "
                    a href={ "/staff/meals/delivery?date=" (date) "&slot=" (id) } { (lang.t(StaffText::KitDelivery)) } " · "
                    a href={ "/staff/meals/delivery.csv?date=" (date) "&slot=" (id) } { (lang.t(StaffText::KitCsv)) }
                }
            }
            @match menu {
                None => p { (lang.t(StaffText::KitNoMenu)) },
                Some(menu) => {
                    @let live: Vec<&KitchenOrder> = orders.iter()
                        .filter(|o| o.order.slot == *id && o.status != Status::Cancelled).collect();
                    p { (lang.fill(StaffText::KitOrders, &[("count", &live.len().to_string())])) }
                    table {
                        thead { tr {
                            th { (lang.t(StaffText::KitColDish)) }
                            th { (lang.t(StaffText::KitColPortions)) }
                            th { (lang.t(StaffText::KitColLimit)) }
                        } }
                        tbody {
                            @for dish in &menu.dishes {
                                @let n: u32 = live.iter().flat_map(|o| &o.order.lines)
                                    .filter(|l| l.dish == dish.id).map(|l| l.qty).sum();
                                tr {
                                    td { (dish.name) }
                                    td data-dish=(dish.id) data-slot=(id) class="count" { (n) }
                                    td { @if let Some(l) = dish.daily_limit { (l) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let title = lang.fill(StaffText::KitDay, &[("date", &date.to_string())]);
    Ok(page(cx.frame(), &title, body))
}

/// The menu form: the menu's dishes (or last week's with `copy=1`) and blank rows.
fn menu_page(
    cx: &StaffCx,
    config: &MealsConfig,
    menu: &Menu,
    problem: Option<String>,
    saved: bool,
) -> Response {
    let lang = cx.lang;
    let slot = &menu.slot;
    let date = menu.date;
    let blank = Dish::new("", "", 0, &[], &[], None);
    let rows: Vec<&Dish> = menu
        .dishes
        .iter()
        .chain(std::iter::repeat_n(&blank, BLANK_ROWS))
        .collect();
    let body = html! {
        (sub_nav(lang))
        @if let Some(p) = &problem { p.error role="alert" { (p) } }
        @if saved { p.ok role="status" { (lang.t(StaffText::KitSaved)) } }
        p.no-print { a href={ "/staff/meals/menu?date=" (date) "&slot=" (slot) "&copy=1" } { (lang.t(StaffText::KitCopyLastWeek)) } }
        form method="post" action="/staff/meals/menu" {
            (csrf_field(cx))
            input type="hidden" name="date" value=(date.to_string());
            input type="hidden" name="slot" value=(slot);
            table.cards {
                thead { tr {
                    th { (lang.t(StaffText::KitColName)) }
                    th { (lang.t(StaffText::KitColPrice)) }
                    th { (lang.t(StaffText::KitColTags)) }
                    th { (lang.t(StaffText::KitColAllergens)) }
                    th { (lang.t(StaffText::KitColLimitShort)) }
                } }
                tbody {
                    @for (i, d) in rows.iter().enumerate() {
                        @let row = (i + 1).to_string();
                        tr {
                            td data-label=(lang.t(StaffText::KitColName)) {
                                input type="hidden" name={ "id_" (i) } value=(d.id);
                                input name={ "name_" (i) } value=(d.name) maxlength="40"
                                    aria-label={ (lang.t(StaffText::KitColName)) " " (row) };
                            }
                            td data-label=(lang.t(StaffText::KitColPrice)) {
                                input name={ "price_" (i) } value=(if d.name.is_empty() { String::new() } else { yuan(d.price) })
                                    inputmode="decimal" size="6" maxlength="10"
                                    aria-label={ (lang.t(StaffText::KitColPrice)) " " (row) };
                            }
                            td data-label=(lang.t(StaffText::KitColTags)) {
                                @for tag in Tag::ALL {
                                    label {
                                        input type="checkbox" name={ "tag_" (i) "_" (tag.id()) } checked[d.tags.contains(&tag)];
                                        " " (lang.t(tag.text()))
                                    }
                                    " "
                                }
                            }
                            td data-label=(lang.t(StaffText::KitColAllergens)) {
                                input name={ "allergens_" (i) } value=(d.allergens.join("、")) maxlength="200"
                                    aria-label={ (lang.t(StaffText::KitColAllergens)) " " (row) };
                            }
                            td data-label=(lang.t(StaffText::KitColLimitShort)) {
                                input name={ "limit_" (i) } value=(d.daily_limit.map(|l| l.to_string()).unwrap_or_default())
                                    inputmode="numeric" size="4" maxlength="6"
                                    aria-label={ (lang.t(StaffText::KitColLimitShort)) " " (row) };
                            }
                        }
                    }
                }
            }
            p { button { (lang.t(StaffText::KitSave)) } }
        }
    };
    let title = lang.fill(
        StaffText::KitMenuTitle,
        &[
            ("date", &date.to_string()),
            ("slot", &slot_name(config, slot, lang)),
        ],
    );
    page(cx.frame(), &title, body)
}

/// `GET /staff/meals/menu?date=&slot=[&copy=1]`.
pub(in crate::meals) async fn menu_form(
    State(state): State<AppState>,
    Staff { cx, .. }: Staff<Kitchen>,
    Query(q): Query<MealQuery>,
) -> Result<Response, ApiError> {
    let config = config(&state)?;
    let date = date_param(&state, q.date.as_deref(), &config);
    let slot = slot_param(q.slot.as_deref(), &config)?;
    let from = if q.copy.is_some() {
        date.add_days(-7).unwrap_or(date)
    } else {
        date
    };
    let mut menu = state.store.menu(from, &slot).await?.unwrap_or(Menu {
        date,
        slot,
        dishes: Vec::new(),
    });
    menu.date = date;
    Ok(menu_page(&cx, &config, &menu, None, q.saved.is_some()))
}

/// The most dish rows a menu form may carry.
const MAX_ROWS: usize = 50;

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
    while i < MAX_ROWS && form.contains_key(&format!("name_{i}")) {
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
                name,
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

/// A dish field's name for a located problem.
fn field_name(field: &str, lang: Lang) -> &'static str {
    lang.t(match field {
        "name" => StaffText::KitColName,
        "price" => StaffText::KitColPrice,
        "limit" => StaffText::KitColLimitShort,
        f if f.starts_with("allergens") => StaffText::KitColAllergens,
        _ => StaffText::KitDishId,
    })
}

/// `POST /staff/meals/menu`: every row checked by the core dish rule before anything
/// is saved; a problem is shown at its row, with the form as typed.
pub(in crate::meals) async fn save_menu(
    State(state): State<AppState>,
    Csrf { cx, form, .. }: Csrf<Kitchen, HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = cx.lang;
    let config = config(&state)?;
    let date = date_param(&state, form.get("date").map(String::as_str), &config);
    let slot = slot_param(form.get("slot").map(String::as_str), &config)?;
    let (menu, problem) = read_menu(&form, date, &slot, lang);
    let refused = |p: String| {
        let mut r = menu_page(&cx, &config, &menu, Some(p), false);
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    if let Some(p) = problem {
        return Ok(refused(p));
    }
    match state.store.put_menu(&menu, &cx.actor(), state.now()).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/staff/meals/menu?date={date}&slot={slot}&saved=1"
        ))
        .into_response()),
        Err(MenuError::Dish(id, e)) => {
            let row = menu
                .dishes
                .iter()
                .position(|d| d.id == id)
                .map_or(0, |i| i + 1);
            let p = lang.fill(
                StaffText::KitRowError,
                &[
                    ("row", &row.to_string()),
                    (
                        "problem",
                        &format!("{}：{}", field_name(&e.field, lang), e.text(lang)),
                    ),
                ],
            );
            Ok(refused(p))
        }
        Err(MenuError::HasOrders(dish)) => {
            let name = dish.clone();
            Ok(refused(
                lang.fill(StaffText::KitHasOrders, &[("dish", &name)]),
            ))
        }
        Err(MenuError::Store(e)) => Err(e.into()),
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
