//! The meals scenario on the wire: the three submission kinds a device sends
//! (`meal_order`, `meal_cancel`, `meal_profile`) and the board it reads
//! (`GET /api/v1/meals`). Encoded by hand to [`Value`] with located errors, like the
//! sync protocol's own types.

use super::{Dish, Elder, Fulfilment, Line, MealOrder, Menu, Price, Status, Tag};
use crate::date::Date;
use crate::json::Value;
use crate::sync::wire::{err, get, id, integer, members, nest, string, SubmissionId, WireError};

const MAX_NAME: usize = 40;
const MAX_NOTE: usize = 200;
const MAX_LINES: usize = 20;
const MAX_QTY: u64 = 20;

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn num(n: impl Into<f64>) -> Value {
    Value::Number(n.into())
}

fn strings(list: &[String]) -> Value {
    Value::Array(list.iter().map(|s| text(s)).collect())
}

fn array<'v>(m: &'v [(String, Value)], key: &str) -> Result<&'v [Value], WireError> {
    match get(m, key)? {
        Value::Array(items) => Ok(items),
        other => Err(err(
            key,
            format!("expected an array, found {}", other.kind()),
        )),
    }
}

/// Each element of an array field decoded by `decode`, errors located at `key[i]`.
fn each<T>(
    m: &[(String, Value)],
    key: &str,
    max: usize,
    mut decode: impl FnMut(&Value) -> Result<T, WireError>,
) -> Result<Vec<T>, WireError> {
    let mut out = Vec::new();
    visit(m, key, max, &mut |v| {
        out.push(decode(v)?);
        Ok(())
    })?;
    Ok(out)
}

/// The loop behind [`each`], written once (not once per element type) because the
/// browser downloads every copy.
fn visit(
    m: &[(String, Value)],
    key: &str,
    max: usize,
    f: &mut dyn FnMut(&Value) -> Result<(), WireError>,
) -> Result<(), WireError> {
    let items = array(m, key)?;
    if items.len() > max {
        return Err(err(key, format!("has more than {max} items")));
    }
    for (i, v) in items.iter().enumerate() {
        f(v).map_err(|e| nest(&format!("{key}[{i}]"), e))?;
    }
    Ok(())
}

fn string_list(m: &[(String, Value)], key: &str) -> Result<Vec<String>, WireError> {
    each(m, key, 20, |v| match v {
        Value::String(s) if !s.trim().is_empty() && s.chars().count() <= MAX_NAME => {
            Ok(s.trim().to_owned())
        }
        _ => Err(err("", "expected a short non-empty text")),
    })
}

fn tags(m: &[(String, Value)], key: &str) -> Result<Vec<Tag>, WireError> {
    each(m, key, Tag::ALL.len(), |v| match v {
        Value::String(s) => Tag::from_id(s).ok_or_else(|| err("", format!("unknown tag \"{s}\""))),
        other => Err(err(
            "",
            format!("expected a string, found {}", other.kind()),
        )),
    })
}

fn tag_values(list: &[Tag]) -> Value {
    Value::Array(list.iter().map(|t| text(t.id())).collect())
}

fn boolean(m: &[(String, Value)], key: &str) -> Result<bool, WireError> {
    match get(m, key)? {
        Value::Bool(b) => Ok(*b),
        other => Err(err(
            key,
            format!("expected true or false, found {}", other.kind()),
        )),
    }
}

fn optional<'v>(m: &'v [(String, Value)], key: &str) -> Option<&'v Value> {
    m.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .filter(|v| **v != Value::Null)
}

fn date(m: &[(String, Value)], key: &str) -> Result<Date, WireError> {
    let t = string(m, key, 10)?;
    Date::parse(&t).ok_or_else(|| err(key, format!("\"{t}\" is not a YYYY-MM-DD date")))
}

fn small(m: &[(String, Value)], key: &str, max: u64) -> Result<u32, WireError> {
    let n = integer(m, key)?;
    if n > max {
        return Err(err(key, format!("is more than {max}")));
    }
    u32::try_from(n).map_err(|_| err(key, "is too large"))
}

fn fulfilment(m: &[(String, Value)], key: &str) -> Result<Fulfilment, WireError> {
    let t = string(m, key, 20)?;
    Fulfilment::from_id(&t).ok_or_else(|| err(key, format!("unknown way \"{t}\"")))
}

/// An optional text (`""` when absent), trimmed, at most `max` characters.
fn note(m: &[(String, Value)], key: &str, max: usize) -> Result<String, WireError> {
    match optional(m, key) {
        None => Ok(String::new()),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(s.trim().to_owned()),
        Some(Value::String(_)) => Err(err(key, format!("is longer than {max} characters"))),
        Some(other) => Err(err(
            key,
            format!("expected a string, found {}", other.kind()),
        )),
    }
}

const ORDER_FIELDS: &[&str] = &[
    "elder",
    "date",
    "slot",
    "lines",
    "fulfilment",
    "note",
    "confirmed_conflicts",
];

impl MealOrder {
    /// The `meal_order` payload. Who placed it is not sent: the server knows the
    /// device's household.
    pub fn to_value(&self) -> Value {
        let lines = self
            .lines
            .iter()
            .map(|l| Value::object(vec![("dish", text(&l.dish)), ("qty", num(l.qty))]))
            .collect();
        Value::object(vec![
            ("elder", text(&self.elder)),
            ("date", text(&self.date.to_string())),
            ("slot", text(&self.slot)),
            ("lines", Value::Array(lines)),
            ("fulfilment", text(self.fulfilment.id())),
            ("note", text(&self.note)),
            ("confirmed_conflicts", Value::Bool(self.confirmed_conflicts)),
        ])
    }

    /// Reads a `meal_order` payload sent by household `placed_by`.
    pub fn from_value(value: &Value, placed_by: i64) -> Result<MealOrder, WireError> {
        let m = members(value, ORDER_FIELDS)?;
        Ok(MealOrder {
            elder: string(m, "elder", MAX_NAME)?,
            date: date(m, "date")?,
            slot: string(m, "slot", 20)?,
            lines: each(m, "lines", MAX_LINES, |v| {
                let l = members(v, &["dish", "qty"])?;
                Ok(Line {
                    dish: string(l, "dish", MAX_NAME)?,
                    qty: small(l, "qty", MAX_QTY)?,
                })
            })?,
            fulfilment: fulfilment(m, "fulfilment")?,
            note: note(m, "note", MAX_NOTE)?,
            placed_by,
            confirmed_conflicts: boolean(m, "confirmed_conflicts")?,
        })
    }
}

/// `meal_cancel`: cancel an order made earlier (by its submission id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cancel {
    /// The order's submission id.
    pub order: SubmissionId,
}

impl Cancel {
    /// The payload.
    pub fn to_value(&self) -> Value {
        Value::object(vec![("order", text(self.order.as_str()))])
    }

    /// Reads the payload.
    pub fn from_value(value: &Value) -> Result<Cancel, WireError> {
        let m = members(value, &["order"])?;
        Ok(Cancel {
            order: id(m, "order")?,
        })
    }
}

/// `meal_profile`: the elder's dietary needs and allergies, sent only with the separate
/// consent (单独同意) they need; `consent: false` withdraws it and the server deletes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// The elder.
    pub elder: String,
    /// Consent to keep dietary and health data.
    pub consent: bool,
    /// Tags every dish must have.
    pub needs: Vec<Tag>,
    /// Allergies.
    pub allergies: Vec<String>,
}

impl Profile {
    /// The payload.
    pub fn to_value(&self) -> Value {
        Value::object(vec![
            ("elder", text(&self.elder)),
            ("consent", Value::Bool(self.consent)),
            ("needs", tag_values(&self.needs)),
            ("allergies", strings(&self.allergies)),
        ])
    }

    /// Reads the payload; without consent no needs or allergies may be sent.
    pub fn from_value(value: &Value) -> Result<Profile, WireError> {
        let m = members(value, &["elder", "consent", "needs", "allergies"])?;
        let profile = Profile {
            elder: string(m, "elder", MAX_NAME)?,
            consent: boolean(m, "consent")?,
            needs: tags(m, "needs")?,
            allergies: string_list(m, "allergies")?,
        };
        let has_data = !profile.needs.is_empty() || !profile.allergies.is_empty();
        if has_data && !profile.consent {
            return Err(err("consent", "dietary data needs consent"));
        }
        Ok(profile)
    }
}

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
