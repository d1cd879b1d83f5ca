//! Rows and small queries the meal rules and the store share: the tables' JSON
//! columns, elders with their households, menus, portions taken, status events.

use linli_core::date::Date;
use linli_core::json::{self, Value};
use linli_core::meals::{
    BoardOrder, Dish, Elder, Fulfilment, Line, MealOrder, Menu, Price, Status, Tag,
};
use linli_core::sync::wire::SubmissionId;
use sqlx::Row;

use crate::store::{map_rows, Conn, DbRow, StoreError};

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
    /// On whose word consent was given or withdrawn (staff's note, or the household).
    pub consent_note: String,
    /// The households that may order for this elder: (unit id, label).
    pub proxies: Vec<(i64, String)>,
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
    /// On whose word (the signed form, the elder in person), when consent is given.
    pub consent_note: String,
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

pub(super) fn tags_json(tags: &[Tag]) -> String {
    json::to_string(&Value::Array(
        tags.iter().map(|t| Value::String(t.id().into())).collect(),
    ))
}

pub(super) fn strings_json(list: &[String]) -> String {
    json::to_string(&Value::Array(
        list.iter().map(|s| Value::String(s.clone())).collect(),
    ))
}

pub(super) fn strings_of(text: &str) -> Vec<String> {
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

pub(super) fn lines_json(lines: &[Line]) -> String {
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

pub(super) fn lines_of(text: &str) -> Vec<Line> {
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

pub(super) fn dishes_of(text: &str) -> Result<Vec<Dish>, StoreError> {
    match json::from_str(text) {
        Ok(Value::Array(items)) => items
            .iter()
            .map(|v| Dish::from_value(v).map_err(|e| StoreError::corrupt("dish", e)))
            .collect(),
        _ => Err(StoreError::corrupt("menu", "not a list")),
    }
}

pub(super) fn date_of(text: &str) -> Result<Date, StoreError> {
    Date::parse(text).ok_or_else(|| StoreError::corrupt("date", text))
}

pub(super) const ELDER_COLUMNS: &str =
    "e.id, e.unit_id, e.name, e.address, e.route, e.tier, e.fulfilment AS elder_fulfilment, \
     e.needs, e.allergies, e.consent_at, e.consent_note, u.label AS unit_label, u.building";

pub(super) fn elder_row(r: &DbRow) -> Result<ElderRow, sqlx::Error> {
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
        consent_note: r.try_get("consent_note")?,
        proxies: Vec::new(),
    })
}

/// Today in the deployment's time zone.
pub fn today(now: i64, offset_minutes: i64) -> Date {
    linli_core::date::date_at(now, offset_minutes).unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    })
}

pub(super) async fn insert_proxy(
    conn: &mut Conn,
    unit: i64,
    proxy: i64,
    via: &str,
    now: i64,
) -> Result<(), StoreError> {
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

pub(super) fn board_order(r: &DbRow) -> Result<BoardOrder, StoreError> {
    let id: String = r.try_get("submission_id")?;
    let fulfilment: String = r.try_get("fulfilment")?;
    let status: String = r.try_get("status")?;
    let fen = |k: &str| -> Result<u32, StoreError> {
        u32::try_from(r.try_get::<i64, _>(k)?).map_err(|_| StoreError::corrupt("amount", k))
    };
    Ok(BoardOrder {
        id: SubmissionId::parse(&id).ok_or_else(|| StoreError::corrupt("submission id", &id))?,
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

pub(super) async fn elder_by_id(conn: &mut Conn, id: &str) -> Result<Option<ElderRow>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {ELDER_COLUMNS} FROM elders e JOIN units u ON u.id = e.unit_id WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.as_ref().map(elder_row).transpose()?)
}

pub(super) async fn proxies_of(conn: &mut Conn, unit_id: i64) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query("SELECT proxy_unit_id FROM meal_proxies WHERE unit_id = $1")
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?;
    map_rows(&rows, |r| r.try_get("proxy_unit_id"))
}

pub(super) async fn menu_in(
    conn: &mut Conn,
    date: Date,
    slot: &str,
) -> Result<Option<Menu>, StoreError> {
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
pub(super) async fn ordered_in(
    conn: &mut Conn,
    date: Date,
    slot: &str,
) -> Result<Vec<(String, u32)>, StoreError> {
    let rows = sqlx::query(
        "SELECT lines FROM meal_orders WHERE date = $1 AND slot = $2 AND status <> 'cancelled' \
         ORDER BY submission_id",
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
