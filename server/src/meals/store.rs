//! The meals tables behind the `Store`: elders, proxies, menus and orders, and the
//! rules applied to `meal_*` submissions inside the submission's own transaction.

use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::json::{self, Value};
use linli_core::meals::{
    check_arrival, check_cancel, conflicts, dish_from_value, dish_to_value, mask_address,
    may_order_for, validate, Board, BoardElder, BoardMenu, BoardOrder, Cancel, ConflictReason,
    Context, Dish, Elder, Fulfilment, Line, MealOrder, Menu, OrderError, Price, Profile, Status,
    Tag,
};
use linli_core::sync::wire::{Envelope, SubmissionId};
use linli_core::{Lang, Text};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::error::ApiError;
use crate::store::{append_audit, map_rows, take_code, Actor, Store};

/// An elder as staff see them (full address, dietary data if consented).
#[derive(Clone, Debug, PartialEq)]
pub struct ElderRow {
    /// The rules' view.
    pub elder: Elder,
    /// Name.
    pub name: String,
    /// Full address.
    pub address: String,
    /// The household's label.
    pub unit: String,
    /// The household's building.
    pub building: String,
    /// Delivery route (a volunteer's round).
    pub route: String,
    /// Dietary data is kept with consent.
    pub consent: bool,
    /// Labels of the households that may order for this elder.
    pub proxies: Vec<String>,
}

/// What staff enter to register an elder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewElder {
    /// The household.
    pub unit_id: i64,
    /// Name.
    pub name: String,
    /// Address (the unit's label when left empty).
    pub address: String,
    /// Route.
    pub route: String,
    /// Subsidy tier id.
    pub tier: String,
    /// Usual fulfilment.
    pub fulfilment: Fulfilment,
    /// Dietary needs (kept only with consent).
    pub needs: Vec<Tag>,
    /// Allergies (kept only with consent).
    pub allergies: Vec<String>,
    /// The elder signed the separate consent for dietary data.
    pub consent: bool,
}

/// An order as the kitchen sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct KitchenOrder {
    /// Submission id.
    pub id: String,
    /// The elder (full details).
    pub elder: ElderRow,
    /// The order.
    pub order: MealOrder,
    /// Its status.
    pub status: Status,
    /// What it costs.
    pub price: Price,
    /// Dietary warnings the orderer confirmed, for the kitchen.
    pub flags: String,
    /// Label of the household that placed it.
    pub placed_by: String,
}

fn tags_json(tags: &[Tag]) -> String {
    json::to_string(&Value::Array(
        tags.iter().map(|t| Value::String(t.id().into())).collect(),
    ))
}

fn strings_json(list: &[String]) -> String {
    json::to_string(&Value::Array(
        list.iter().map(|s| Value::String(s.clone())).collect(),
    ))
}

fn strings_of(text: &str) -> Vec<String> {
    match json::from_str(text) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn lines_json(lines: &[Line]) -> String {
    json::to_string(&Value::Array(
        lines
            .iter()
            .map(|l| {
                Value::object(vec![
                    ("dish", Value::String(l.dish.clone())),
                    ("qty", Value::Number(f64::from(l.qty))),
                ])
            })
            .collect(),
    ))
}

fn lines_of(text: &str) -> Vec<Line> {
    let Ok(Value::Array(items)) = json::from_str(text) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|v| {
            let Value::Object(m) = v else { return None };
            let get = |k: &str| m.iter().find(|(key, _)| key == k).map(|(_, v)| v);
            match (get("dish"), get("qty")) {
                (Some(Value::String(d)), Some(Value::Number(q))) => Some(Line {
                    dish: d.clone(),
                    qty: *q as u32,
                }),
                _ => None,
            }
        })
        .collect()
}

fn dishes_of(text: &str) -> Result<Vec<Dish>, ApiError> {
    match json::from_str(text) {
        Ok(Value::Array(items)) => items
            .iter()
            .map(|v| {
                dish_from_value(v).map_err(|e| ApiError::Internal(format!("stored dish: {e}")))
            })
            .collect(),
        _ => Err(ApiError::Internal("stored menu is not a list".into())),
    }
}

fn date_of(text: &str) -> Result<Date, ApiError> {
    Date::parse(text).ok_or_else(|| ApiError::Internal(format!("stored date {text}")))
}

const ELDER_COLUMNS: &str =
    "e.id, e.unit_id, e.name, e.address, e.route, e.tier, e.fulfilment AS elder_fulfilment, \
     e.needs, e.allergies, e.consent_at, u.label AS unit_label, u.building";

fn elder_row(r: &SqliteRow) -> Result<ElderRow, sqlx::Error> {
    let consent = r.try_get::<Option<i64>, _>("consent_at")?.is_some();
    let needs: String = r.try_get("needs")?;
    let allergies: String = r.try_get("allergies")?;
    let fulfilment: String = r.try_get("elder_fulfilment")?;
    Ok(ElderRow {
        elder: Elder {
            id: r.try_get("id")?,
            unit_id: r.try_get("unit_id")?,
            tier: r.try_get("tier")?,
            needs: strings_of(&needs)
                .iter()
                .filter_map(|t| Tag::from_id(t))
                .collect(),
            allergies: strings_of(&allergies),
            fulfilment: Fulfilment::from_id(&fulfilment).unwrap_or_default(),
        },
        name: r.try_get("name")?,
        address: r.try_get("address")?,
        unit: r.try_get("unit_label")?,
        building: r.try_get("building")?,
        route: r.try_get("route")?,
        consent,
        proxies: Vec::new(),
    })
}

/// A refusal by a meal rule, in the resident's language.
fn refuse(e: &OrderError, lang: Lang, menu: Option<&Menu>, offset: i64) -> ApiError {
    ApiError::Rule {
        code: e.code(),
        message: e.text(lang, menu, offset),
    }
}

fn missing(text: Text, code: &'static str, lang: Lang) -> ApiError {
    ApiError::Rule {
        code,
        message: lang.t(text).to_owned(),
    }
}

/// How a `meal_*` submission changed things, for the events the devices pull.
pub(crate) struct Effect {
    /// (submission id, unit, status) events to append besides the submission's own.
    pub events: Vec<(String, i64, &'static str)>,
}

async fn elder_by_id(conn: &mut SqliteConnection, id: &str) -> Result<Option<ElderRow>, ApiError> {
    let row = sqlx::query(&format!(
        "SELECT {ELDER_COLUMNS} FROM elders e JOIN units u ON u.id = e.unit_id WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.as_ref().map(elder_row).transpose()?)
}

async fn proxies_of(conn: &mut SqliteConnection, unit_id: i64) -> Result<Vec<i64>, ApiError> {
    let rows = sqlx::query("SELECT proxy_unit_id FROM meal_proxies WHERE unit_id = $1")
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?;
    map_rows(&rows, |r| r.try_get("proxy_unit_id"))
}

async fn menu_in(
    conn: &mut SqliteConnection,
    date: Date,
    slot: &str,
) -> Result<Option<Menu>, ApiError> {
    let row = sqlx::query("SELECT dishes FROM meal_menus WHERE date = $1 AND slot = $2")
        .bind(date.to_string())
        .bind(slot)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        None => Ok(None),
        Some(r) => Ok(Some(Menu {
            date,
            slot: slot.to_owned(),
            dishes: dishes_of(&r.try_get::<String, _>("dishes")?)?,
        })),
    }
}

/// Portions taken per dish by orders that are not cancelled.
async fn ordered_in(
    conn: &mut SqliteConnection,
    date: Date,
    slot: &str,
) -> Result<Vec<(String, u32)>, ApiError> {
    let rows = sqlx::query(
        "SELECT lines FROM meal_orders WHERE date = $1 AND slot = $2 AND status <> 'cancelled'",
    )
    .bind(date.to_string())
    .bind(slot)
    .fetch_all(&mut *conn)
    .await?;
    let mut totals: Vec<(String, u32)> = Vec::new();
    for r in &rows {
        for line in lines_of(&r.try_get::<String, _>("lines")?) {
            match totals.iter_mut().find(|(d, _)| *d == line.dish) {
                Some((_, n)) => *n += line.qty,
                None => totals.push((line.dish, line.qty)),
            }
        }
    }
    Ok(totals)
}

/// Applies a `meal_*` submission inside its transaction: checks the rules against the
/// database and records the order, cancellation or profile. An error rolls back the
/// whole submission.
pub(crate) async fn apply(
    conn: &mut SqliteConnection,
    env: &Envelope,
    unit_id: i64,
    now: i64,
    config: &MealsConfig,
    lang: Lang,
) -> Result<Effect, ApiError> {
    let offset = config.utc_offset_minutes;
    let invalid = |e| {
        ApiError::Invalid(linli_core::sync::wire::WireError {
            field: "payload".into(),
            message: format!("{e}"),
        })
    };
    match env.kind.as_str() {
        "meal_order" => {
            let order = MealOrder::from_value(&env.payload, unit_id).map_err(invalid)?;
            let elder = elder_by_id(conn, &order.elder)
                .await?
                .ok_or_else(|| missing(Text::MealErrNoElder, "unknown_elder", lang))?;
            let proxies = proxies_of(conn, elder.elder.unit_id).await?;
            if !may_order_for(unit_id, &elder.elder, &proxies) {
                return Err(refuse(&OrderError::NotAuthorized, lang, None, offset));
            }
            let slot = config
                .slot(&order.slot)
                .ok_or_else(|| missing(Text::MealErrNoMenu, "no_menu", lang))?;
            let tier = config
                .tier(&elder.elder.tier)
                .ok_or(ApiError::Internal(format!(
                    "tier {} not in config",
                    elder.elder.tier
                )))?;
            let menu = menu_in(conn, order.date, &order.slot)
                .await?
                .ok_or_else(|| missing(Text::MealErrNoMenu, "no_menu", lang))?;
            let created_at = i64::try_from(env.created_at).unwrap_or(i64::MAX);
            check_arrival(created_at, now, order.date, &slot.slot, offset)
                .map_err(|e| refuse(&e, lang, Some(&menu), offset))?;
            let ordered = ordered_in(conn, order.date, &order.slot).await?;
            let already = sqlx::query(
                "SELECT 1 FROM meal_orders WHERE elder_id = $1 AND date = $2 AND slot = $3 AND status <> 'cancelled'",
            )
            .bind(&order.elder)
            .bind(order.date.to_string())
            .bind(&order.slot)
            .fetch_optional(&mut *conn)
            .await?
            .is_some();
            let cx = Context {
                menu: &menu,
                slot: &slot.slot,
                elder: &elder.elder,
                tier: &tier.tier,
                ordered: &ordered,
                proxies: &proxies,
                already_ordered: already,
                // The arrival rule above already judged the cut-off with its grace.
                now: created_at.min(now),
                offset_minutes: offset,
            };
            let price = validate(&order, &cx).map_err(|e| refuse(&e, lang, Some(&menu), offset))?;
            let flags = conflicts(&order, &menu, &elder.elder)
                .iter()
                .map(|c| {
                    let dish = menu
                        .dish(&c.dish)
                        .map_or(c.dish.as_str(), |d| d.name.as_str());
                    match &c.reason {
                        ConflictReason::Allergen(a) => format!("{dish}: {a}"),
                        ConflictReason::Lacks(t) => format!("{dish}: !{}", t.id()),
                    }
                })
                .collect::<Vec<_>>()
                .join("; ");
            sqlx::query(
                "INSERT INTO meal_orders (submission_id, elder_id, date, slot, lines, fulfilment, note, \
                 placed_by, list_fen, subsidy_fen, pay_fen, flags, status, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received', $13)",
            )
            .bind(env.id.as_str())
            .bind(&order.elder)
            .bind(order.date.to_string())
            .bind(&order.slot)
            .bind(lines_json(&order.lines))
            .bind(order.fulfilment.id())
            .bind(&order.note)
            .bind(unit_id)
            .bind(i64::from(price.list))
            .bind(i64::from(price.subsidy))
            .bind(i64::from(price.pay))
            .bind(flags)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            let mut events = Vec::new();
            if elder.elder.unit_id != unit_id {
                // The elder's own household follows orders placed for them.
                events.push((env.id.to_string(), elder.elder.unit_id, "received"));
            }
            Ok(Effect { events })
        }
        "meal_cancel" => {
            let cancel = Cancel::from_value(&env.payload).map_err(invalid)?;
            let row = sqlx::query(
                "SELECT o.elder_id, o.date, o.slot, o.status, o.placed_by, e.unit_id \
                 FROM meal_orders o JOIN elders e ON e.id = o.elder_id WHERE o.submission_id = $1",
            )
            .bind(cancel.order.as_str())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| missing(Text::MealErrNoOrder, "unknown_order", lang))?;
            let elder_unit: i64 = row.try_get("unit_id")?;
            let placed_by: i64 = row.try_get("placed_by")?;
            let proxies = proxies_of(conn, elder_unit).await?;
            if unit_id != elder_unit && !proxies.contains(&unit_id) {
                return Err(refuse(&OrderError::NotAuthorized, lang, None, offset));
            }
            let slot_id: String = row.try_get("slot")?;
            let slot = config
                .slot(&slot_id)
                .ok_or_else(|| missing(Text::MealErrNoMenu, "no_menu", lang))?;
            let date = date_of(&row.try_get::<String, _>("date")?)?;
            let status =
                Status::from_id(&row.try_get::<String, _>("status")?).unwrap_or(Status::Received);
            let created_at = i64::try_from(env.created_at).unwrap_or(i64::MAX);
            check_cancel(status, created_at.min(now), date, &slot.slot, offset)
                .and_then(|()| check_arrival(created_at, now, date, &slot.slot, offset))
                .map_err(|e| refuse(&e, lang, None, offset))?;
            sqlx::query("UPDATE meal_orders SET status = 'cancelled', updated_at = $1 WHERE submission_id = $2")
                .bind(now)
                .bind(cancel.order.as_str())
                .execute(&mut *conn)
                .await?;
            let mut events = vec![(cancel.order.to_string(), elder_unit, "cancelled")];
            if placed_by != elder_unit {
                events.push((cancel.order.to_string(), placed_by, "cancelled"));
            }
            Ok(Effect { events })
        }
        "meal_profile" => {
            let profile = Profile::from_value(&env.payload).map_err(invalid)?;
            let elder = elder_by_id(conn, &profile.elder)
                .await?
                .ok_or_else(|| missing(Text::MealErrNoElder, "unknown_elder", lang))?;
            let proxies = proxies_of(conn, elder.elder.unit_id).await?;
            if !may_order_for(unit_id, &elder.elder, &proxies) {
                return Err(refuse(&OrderError::NotAuthorized, lang, None, offset));
            }
            let (consent_at, via) = if profile.consent {
                (Some(now), format!("resident:unit:{unit_id}"))
            } else {
                (None, String::new())
            };
            sqlx::query(
                "UPDATE elders SET needs = $1, allergies = $2, consent_at = $3, consent_via = $4 WHERE id = $5",
            )
            .bind(tags_json(&profile.needs))
            .bind(strings_json(&profile.allergies))
            .bind(consent_at)
            .bind(via)
            .bind(&profile.elder)
            .execute(&mut *conn)
            .await?;
            Ok(Effect { events: Vec::new() })
        }
        _ => Ok(Effect { events: Vec::new() }),
    }
}

/// Today in the deployment's time zone.
pub fn today(now: i64, offset_minutes: i64) -> Date {
    let days = (now.div_euclid(60_000) + offset_minutes).div_euclid(1_440);
    Date::from_unix_days(days).unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    })
}

impl Store {
    /// Registers an elder; dietary data is dropped unless `consent`.
    pub async fn add_elder(&self, e: &NewElder, by: &Actor, now: i64) -> Result<String, ApiError> {
        let _guard = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        let unit = sqlx::query("SELECT label FROM units WHERE id = $1")
            .bind(e.unit_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(ApiError::NotFound("unit"))?;
        let label: String = unit.try_get("label")?;
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM elders")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let id = format!("e{}", n + 1);
        let address = if e.address.trim().is_empty() {
            label
        } else {
            e.address.trim().to_owned()
        };
        let (needs, allergies) = if e.consent {
            (tags_json(&e.needs), strings_json(&e.allergies))
        } else {
            ("[]".to_owned(), "[]".to_owned())
        };
        sqlx::query(
            "INSERT INTO elders (id, unit_id, name, address, route, tier, fulfilment, needs, allergies, \
             consent_at, consent_via, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&id)
        .bind(e.unit_id)
        .bind(e.name.trim())
        .bind(address)
        .bind(e.route.trim())
        .bind(&e.tier)
        .bind(e.fulfilment.id())
        .bind(needs)
        .bind(allergies)
        .bind(e.consent.then_some(now))
        .bind(if e.consent { format!("staff:{}", by.name) } else { String::new() })
        .bind(now)
        .execute(&mut *tx)
        .await?;
        append_audit(&mut tx, now, by, "elder.register", &id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every elder with the households that may order for them.
    pub async fn elders(&self) -> Result<Vec<ElderRow>, ApiError> {
        let rows = sqlx::query(&format!(
            "SELECT {ELDER_COLUMNS} FROM elders e JOIN units u ON u.id = e.unit_id ORDER BY u.building, u.label, e.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut elders = map_rows(&rows, elder_row)?;
        let links = sqlx::query(
            "SELECT p.unit_id, u.label FROM meal_proxies p JOIN units u ON u.id = p.proxy_unit_id ORDER BY u.label",
        )
        .fetch_all(&self.pool)
        .await?;
        for link in &links {
            let unit: i64 = link.try_get("unit_id")?;
            let label: String = link.try_get("label")?;
            for e in elders.iter_mut().filter(|e| e.elder.unit_id == unit) {
                e.proxies.push(label.clone());
            }
        }
        Ok(elders)
    }

    /// Lets household `proxy` order for the elders of household `unit`.
    pub async fn link_proxy(
        &self,
        unit: i64,
        proxy: i64,
        by: &Actor,
        now: i64,
    ) -> Result<(), ApiError> {
        let _guard = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        insert_proxy(&mut tx, unit, proxy, &by.name, now).await?;
        append_audit(
            &mut tx,
            now,
            by,
            "meals.proxy",
            &format!("unit:{unit}<-unit:{proxy}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A household links itself as proxy with the elder's household code (used up).
    /// Answers the elder household's id, `None` for an unknown or used code.
    pub async fn link_proxy_by_code(
        &self,
        code: &str,
        proxy: i64,
        now: i64,
    ) -> Result<Option<i64>, ApiError> {
        let _guard = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        let Some(unit) = take_code(&mut tx, code, now).await? else {
            return Ok(None);
        };
        let has_elder = sqlx::query("SELECT 1 FROM elders WHERE unit_id = $1")
            .bind(unit)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !has_elder || unit == proxy {
            // Leave the code unused: it belongs to a household without elders.
            return Err(ApiError::NotFound("elder in that household"));
        }
        insert_proxy(&mut tx, unit, proxy, "code", now).await?;
        append_audit(
            &mut tx,
            now,
            &Actor::unit(proxy),
            "meals.proxy",
            &format!("unit:{unit}<-unit:{proxy}"),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(unit))
    }

    /// The menu of a date and slot.
    pub async fn menu(&self, date: Date, slot: &str) -> Result<Option<Menu>, ApiError> {
        let mut conn = self.pool.acquire().await?;
        menu_in(&mut conn, date, slot).await
    }

    /// Publishes (or replaces) a menu. A dish that already has orders cannot be taken
    /// off; its error names it.
    pub async fn put_menu(&self, menu: &Menu, by: &Actor, now: i64) -> Result<(), ApiError> {
        let _guard = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        let taken = ordered_in(&mut tx, menu.date, &menu.slot).await?;
        if let Some((dish, _)) = taken.iter().find(|(d, n)| *n > 0 && menu.dish(d).is_none()) {
            return Err(ApiError::Invalid(linli_core::sync::wire::WireError {
                field: format!("dishes.{dish}"),
                message: "has orders and cannot be removed".into(),
            }));
        }
        let dishes = json::to_string(&Value::Array(
            menu.dishes.iter().map(dish_to_value).collect(),
        ));
        sqlx::query(
            "INSERT INTO meal_menus (date, slot, dishes, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (date, slot) DO UPDATE SET dishes = excluded.dishes, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(menu.date.to_string())
        .bind(&menu.slot)
        .bind(dishes)
        .bind(now)
        .bind(&by.name)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            now,
            by,
            "meals.menu",
            &format!("{} {}", menu.date, menu.slot),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What household `unit` sees: its elders and those it orders for, the menus from
    /// today to `days_ahead`, and their orders of the last two weeks.
    pub async fn board(
        &self,
        unit: i64,
        config: &MealsConfig,
        now: i64,
    ) -> Result<Board, ApiError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(&format!(
            "SELECT {ELDER_COLUMNS} FROM elders e JOIN units u ON u.id = e.unit_id \
             WHERE e.unit_id = $1 OR e.unit_id IN (SELECT unit_id FROM meal_proxies WHERE proxy_unit_id = $1) \
             ORDER BY e.unit_id <> $1, e.id"
        ))
        .bind(unit)
        .fetch_all(&mut *conn)
        .await?;
        let elders: Vec<BoardElder> = map_rows(&rows, elder_row)?
            .into_iter()
            .map(|e| {
                let own = e.elder.unit_id == unit;
                BoardElder {
                    address: if own {
                        e.address.clone()
                    } else {
                        mask_address(&e.address)
                    },
                    name: e.name,
                    own,
                    consent: e.consent,
                    elder: e.elder,
                }
            })
            .collect();
        let first = today(now, config.utc_offset_minutes);
        let mut menus = Vec::new();
        for day in 0..=i64::from(config.days_ahead) {
            let Some(date) = first.add_days(day) else {
                continue;
            };
            for slot in &config.slots {
                if let Some(menu) = menu_in(&mut conn, date, &slot.slot.id).await? {
                    let ordered = ordered_in(&mut conn, date, &slot.slot.id).await?;
                    menus.push(BoardMenu { menu, ordered });
                }
            }
        }
        let since = first.add_days(-14).unwrap_or(first).to_string();
        let mut orders = Vec::new();
        for e in &elders {
            let rows = sqlx::query(
                "SELECT o.*, u.label AS placed_label FROM meal_orders o JOIN units u ON u.id = o.placed_by \
                 WHERE o.elder_id = $1 AND o.date >= $2 ORDER BY o.date DESC, o.slot LIMIT 60",
            )
            .bind(&e.elder.id)
            .bind(&since)
            .fetch_all(&mut *conn)
            .await?;
            for r in &rows {
                orders.push(board_order(r)?);
            }
        }
        orders.sort_by_key(|o| std::cmp::Reverse(o.order.date));
        // The menus of past orders too, so a household sees its dishes by name and
        // "same as last time" can say what it left out.
        for o in &orders {
            let (date, slot) = (o.order.date, &o.order.slot);
            if date < first
                && !menus
                    .iter()
                    .any(|m: &BoardMenu| m.menu.date == date && m.menu.slot == *slot)
            {
                if let Some(menu) = menu_in(&mut conn, date, slot).await? {
                    menus.push(BoardMenu {
                        menu,
                        ordered: Vec::new(),
                    });
                }
            }
        }
        Ok(Board {
            elders,
            menus,
            orders,
            now,
        })
    }

    /// Orders of a date (and slot, if given) for the kitchen, by building, route, elder.
    pub async fn kitchen_orders(
        &self,
        date: Date,
        slot: Option<&str>,
    ) -> Result<Vec<KitchenOrder>, ApiError> {
        let rows = sqlx::query(&format!(
            "SELECT o.*, p.label AS placed_label, {ELDER_COLUMNS} FROM meal_orders o \
             JOIN elders e ON e.id = o.elder_id JOIN units u ON u.id = e.unit_id \
             JOIN units p ON p.id = o.placed_by \
             WHERE o.date = $1 AND ($2 IS NULL OR o.slot = $2) \
             ORDER BY u.building, e.route, u.label, e.id, o.slot"
        ))
        .bind(date.to_string())
        .bind(slot)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let b = board_order(r)?;
                Ok(KitchenOrder {
                    id: b.id.to_string(),
                    elder: elder_row(r)?,
                    order: b.order,
                    status: b.status,
                    price: b.price,
                    flags: r.try_get("flags")?,
                    placed_by: b.placed_by,
                })
            })
            .collect()
    }

    /// Marks an order delivered; both the elder's household and the one that placed it
    /// see it in their updates. `false` when it is not a live order.
    pub async fn mark_delivered(&self, id: &str, by: &Actor, now: i64) -> Result<bool, ApiError> {
        let _guard = self.write.lock().await;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE meal_orders SET status = 'delivered', updated_at = $1 \
             WHERE submission_id = $2 AND status = 'received' RETURNING placed_by, elder_id",
        )
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(false) };
        let placed_by: i64 = row.try_get("placed_by")?;
        let elder_id: String = row.try_get("elder_id")?;
        let elder_unit: i64 = sqlx::query("SELECT unit_id FROM elders WHERE id = $1")
            .bind(&elder_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let mut units = vec![elder_unit];
        if placed_by != elder_unit {
            units.push(placed_by);
        }
        for unit in units {
            add_event(&mut tx, id, unit, "delivered", now).await?;
        }
        append_audit(&mut tx, now, by, "meals.delivered", id).await?;
        tx.commit().await?;
        Ok(true)
    }
}

pub(crate) async fn add_event(
    conn: &mut SqliteConnection,
    id: &str,
    unit: i64,
    status: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO submission_events (submission_id, unit_id, status, at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(unit)
        .bind(status)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn insert_proxy(
    conn: &mut SqliteConnection,
    unit: i64,
    proxy: i64,
    via: &str,
    now: i64,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO meal_proxies (unit_id, proxy_unit_id, via, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (unit_id, proxy_unit_id) DO NOTHING",
    )
    .bind(unit)
    .bind(proxy)
    .bind(via)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn board_order(r: &SqliteRow) -> Result<BoardOrder, ApiError> {
    let id: String = r.try_get("submission_id")?;
    let fulfilment: String = r.try_get("fulfilment")?;
    let status: String = r.try_get("status")?;
    let fen = |k: &str| -> Result<u32, ApiError> {
        u32::try_from(r.try_get::<i64, _>(k)?)
            .map_err(|_| ApiError::Internal(format!("{k} out of range")))
    };
    Ok(BoardOrder {
        id: SubmissionId::parse(&id)
            .ok_or_else(|| ApiError::Internal(format!("stored id {id}")))?,
        order: MealOrder {
            elder: r.try_get("elder_id")?,
            date: date_of(&r.try_get::<String, _>("date")?)?,
            slot: r.try_get("slot")?,
            lines: lines_of(&r.try_get::<String, _>("lines")?),
            fulfilment: Fulfilment::from_id(&fulfilment).unwrap_or_default(),
            note: r.try_get("note")?,
            placed_by: r.try_get("placed_by")?,
            confirmed_conflicts: !r.try_get::<String, _>("flags")?.is_empty(),
        },
        status: Status::from_id(&status).unwrap_or(Status::Received),
        price: Price {
            list: fen("list_fen")?,
            subsidy: fen("subsidy_fen")?,
            pay: fen("pay_fen")?,
        },
        placed_by: r.try_get("placed_label")?,
    })
}
