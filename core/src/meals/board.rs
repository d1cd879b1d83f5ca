//! The household's board on the wire (`GET /api/v1/meals`): its elders, the menus
//! ahead with portions taken, and the orders it follows.

use super::wire::{
    boolean, date, each, fulfilment, note, num, optional, small, string_list, strings, tag_values,
    tags, text, MAX_NAME,
};
use super::{Dish, Elder, MealOrder, Menu, Price, Status};
use crate::date::Date;
use crate::json::Value;
use crate::sync::wire::{err, get, id, integer, members, nest, string, SubmissionId, WireError};

/// What a device may see to order: its elders, the menus ahead with portions taken,
/// and the orders it can follow.
#[derive(Clone, Debug, PartialEq)]
pub struct Board {
    /// Elders this household may order for: its own and those it is a proxy for.
    pub elders: Vec<BoardElder>,
    /// Menus from today on.
    pub menus: Vec<BoardMenu>,
    /// Orders for those elders, newest first.
    pub orders: Vec<BoardOrder>,
    /// The server's clock when it answered (ms).
    pub now: i64,
}

/// An elder as a household sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardElder {
    /// The rules' view.
    pub elder: Elder,
    /// Name (surname and given name; staff chose what to write).
    pub name: String,
    /// The address, masked unless the elder's own household asks.
    pub address: String,
    /// The elder lives in this household (rather than being ordered for by proxy).
    pub own: bool,
    /// Dietary data is kept with the elder's consent.
    pub consent: bool,
}

/// A menu with the portions already ordered per dish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardMenu {
    /// The menu.
    pub menu: Menu,
    /// Portions taken per dish id.
    pub ordered: Vec<(String, u32)>,
}

/// An order as its household follows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardOrder {
    /// Its submission id.
    pub id: SubmissionId,
    /// The order.
    pub order: MealOrder,
    /// Where it stands.
    pub status: Status,
    /// What it cost.
    pub price: Price,
    /// Who placed it (the household's label).
    pub placed_by: String,
}

/// Encodes one dish.
pub fn dish_to_value(d: &Dish) -> Value {
    Value::object(vec![
        ("id", text(&d.id)),
        ("name", text(&d.name)),
        ("price", num(d.price)),
        ("tags", tag_values(&d.tags)),
        ("allergens", strings(&d.allergens)),
        ("limit", d.daily_limit.map_or(Value::Null, num)),
        ("photo", d.photo.as_deref().map_or(Value::Null, text)),
    ])
}

/// Reads one dish (menus from staff pages and from the board).
pub fn dish_from_value(v: &Value) -> Result<Dish, WireError> {
    let m = members(
        v,
        &["id", "name", "price", "tags", "allergens", "limit", "photo"],
    )?;
    Ok(Dish {
        id: string(m, "id", MAX_NAME)?,
        name: string(m, "name", MAX_NAME)?,
        price: small(m, "price", 1_000_000)?,
        tags: tags(m, "tags")?,
        allergens: string_list(m, "allergens")?,
        daily_limit: match optional(m, "limit") {
            None => None,
            Some(_) => Some(small(m, "limit", 100_000)?),
        },
        photo: match optional(m, "photo") {
            None => None,
            Some(_) => Some(string(m, "photo", 500)?),
        },
    })
}

impl Dish {
    /// Checks a dish as a kitchen entered it against the limits boards are read with
    /// (id and name ≤ 40 characters, price ≤ 10,000 yuan, limit ≤ 100,000 portions,
    /// ≤ 20 allergens of ≤ 40 characters): the dish must read back exactly as it was
    /// written, so no menu a staff form accepts can make a board unreadable. The error
    /// names the field (`name`, `price`, …).
    pub fn check(&self) -> Result<(), WireError> {
        match dish_from_value(&dish_to_value(self)) {
            Ok(back) if back == *self => Ok(()),
            Ok(_) => Err(err(
                "",
                "does not read back as written (spaces around a name?)",
            )),
            Err(e) => Err(e),
        }
    }
}

fn price_value(p: &Price) -> Value {
    Value::object(vec![
        ("list", num(p.list)),
        ("subsidy", num(p.subsidy)),
        ("pay", num(p.pay)),
    ])
}

impl Board {
    /// Encodes for the wire.
    pub fn to_value(&self) -> Value {
        let elders = self.elders.iter().map(|e| {
            Value::object(vec![
                ("id", text(&e.elder.id)),
                ("unit", num(e.elder.unit_id as f64)),
                ("name", text(&e.name)),
                ("address", text(&e.address)),
                ("tier", text(&e.elder.tier)),
                ("needs", tag_values(&e.elder.needs)),
                ("allergies", strings(&e.elder.allergies)),
                ("fulfilment", text(e.elder.fulfilment.id())),
                ("own", Value::Bool(e.own)),
                ("consent", Value::Bool(e.consent)),
            ])
        });
        let menus = self.menus.iter().map(|b| {
            let ordered = b
                .ordered
                .iter()
                .map(|(d, n)| Value::object(vec![("dish", text(d)), ("qty", num(*n))]));
            Value::object(vec![
                ("date", text(&b.menu.date.to_string())),
                ("slot", text(&b.menu.slot)),
                (
                    "dishes",
                    Value::Array(b.menu.dishes.iter().map(dish_to_value).collect()),
                ),
                ("ordered", Value::Array(ordered.collect())),
            ])
        });
        let orders = self.orders.iter().map(|o| {
            let mut v = o.order.to_value();
            if let Value::Object(m) = &mut v {
                m.push(("id".into(), text(o.id.as_str())));
                m.push(("status".into(), text(o.status.id())));
                m.push(("price".into(), price_value(&o.price)));
                m.push(("placed_by".into(), text(&o.placed_by)));
            }
            v
        });
        Value::object(vec![
            ("elders", Value::Array(elders.collect())),
            ("menus", Value::Array(menus.collect())),
            ("orders", Value::Array(orders.collect())),
            ("now", num(self.now as f64)),
        ])
    }

    /// Reads a board (in the browser, from the server or the device's cache).
    pub fn from_value(value: &Value) -> Result<Board, WireError> {
        let m = members(value, &["elders", "menus", "orders", "now"])?;
        let elders = each(m, "elders", 50, |v| {
            let e = members(
                v,
                &[
                    "id",
                    "unit",
                    "name",
                    "address",
                    "tier",
                    "needs",
                    "allergies",
                    "fulfilment",
                    "own",
                    "consent",
                ],
            )?;
            Ok(BoardElder {
                elder: Elder {
                    id: string(e, "id", MAX_NAME)?,
                    unit_id: integer(e, "unit")? as i64,
                    tier: string(e, "tier", 20)?,
                    needs: tags(e, "needs")?,
                    allergies: string_list(e, "allergies")?,
                    fulfilment: fulfilment(e, "fulfilment")?,
                },
                name: string(e, "name", MAX_NAME)?,
                address: note(e, "address", 100)?,
                own: boolean(e, "own")?,
                consent: boolean(e, "consent")?,
            })
        })?;
        let menus = each(m, "menus", 100, |v| {
            let b = members(v, &["date", "slot", "dishes", "ordered"])?;
            Ok(BoardMenu {
                menu: Menu {
                    date: date(b, "date")?,
                    slot: string(b, "slot", 20)?,
                    dishes: each(b, "dishes", 50, dish_from_value)?,
                },
                ordered: each(b, "ordered", 50, |v| {
                    let o = members(v, &["dish", "qty"])?;
                    Ok((string(o, "dish", MAX_NAME)?, small(o, "qty", 100_000)?))
                })?,
            })
        })?;
        let orders = each(m, "orders", 500, |v| {
            let Value::Object(all) = v else {
                return Err(err("", format!("expected an object, found {}", v.kind())));
            };
            let (extra, own): (Vec<_>, Vec<_>) = all
                .iter()
                .cloned()
                .partition(|(k, _)| matches!(k.as_str(), "id" | "status" | "price" | "placed_by"));
            let order = MealOrder::from_value(&Value::Object(own), 0)?;
            let x = &extra[..];
            let status = string(x, "status", 20)?;
            let p = members(get(x, "price")?, &["list", "subsidy", "pay"])
                .map_err(|e| nest("price", e))?;
            let money = |k: &str| small(p, k, u64::from(u32::MAX)).map_err(|e| nest("price", e));
            Ok(BoardOrder {
                id: id(x, "id")?,
                order,
                status: Status::from_id(&status)
                    .ok_or_else(|| err("status", format!("unknown status \"{status}\"")))?,
                price: Price {
                    list: money("list")?,
                    subsidy: money("subsidy")?,
                    pay: money("pay")?,
                },
                placed_by: note(x, "placed_by", 60)?,
            })
        })?;
        Ok(Board {
            elders,
            menus,
            orders,
            now: integer(m, "now")? as i64,
        })
    }

    /// The menu of a date and slot, with its portions taken.
    pub fn menu(&self, date: Date, slot: &str) -> Option<&BoardMenu> {
        self.menus
            .iter()
            .find(|b| b.menu.date == date && b.menu.slot == slot)
    }
}
