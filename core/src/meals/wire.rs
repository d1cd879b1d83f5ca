//! The meals scenario on the wire: the three submission kinds a device sends
//! (`meal_order`, `meal_cancel`, `meal_profile`) and the board it reads
//! (`GET /api/v1/meals`, declared in `board.rs`). Each type is declared once with
//! `wire_type!` (see `declare.rs`); the field readers it uses live here.

use super::{Line, MealOrder, Tag, MAX_LINES};
use crate::date::Date;
use crate::json::Value;
use crate::sync::wire::{err, get, integer, nest, string, SubmissionId, WireError};

pub(super) const MAX_NAME: usize = 40;
/// The longest note for the kitchen, in characters.
pub const MAX_NOTE: usize = 200;
/// The longest elder's address, in characters.
pub const MAX_ADDRESS: usize = 100;
/// The longest delivery route name, in characters.
pub const MAX_ROUTE: usize = 20;

pub(crate) fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

pub(crate) fn strings(list: &[String]) -> Value {
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
pub(crate) fn each<T>(
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
pub(crate) fn visit(
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

pub(crate) fn string_list(m: &[(String, Value)], key: &str) -> Result<Vec<String>, WireError> {
    each(m, key, 20, |v| match v {
        Value::String(s) if !s.trim().is_empty() && s.chars().count() <= MAX_NAME => {
            Ok(s.trim().to_owned())
        }
        _ => Err(err("", "expected a short non-empty text")),
    })
}

pub(crate) fn tags(m: &[(String, Value)], key: &str) -> Result<Vec<Tag>, WireError> {
    each(m, key, Tag::ALL.len(), |v| match v {
        Value::String(s) => Tag::from_id(s).ok_or_else(|| err("", format!("unknown tag \"{s}\""))),
        other => Err(err(
            "",
            format!("expected a string, found {}", other.kind()),
        )),
    })
}

pub(crate) fn boolean(m: &[(String, Value)], key: &str) -> Result<bool, WireError> {
    match get(m, key)? {
        Value::Bool(b) => Ok(*b),
        other => Err(err(
            key,
            format!("expected true or false, found {}", other.kind()),
        )),
    }
}

pub(crate) fn optional<'v>(m: &'v [(String, Value)], key: &str) -> Option<&'v Value> {
    m.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .filter(|v| **v != Value::Null)
}

pub(crate) fn date(m: &[(String, Value)], key: &str) -> Result<Date, WireError> {
    let t = string(m, key, 10)?;
    Date::parse(&t).ok_or_else(|| err(key, format!("\"{t}\" is not a YYYY-MM-DD date")))
}

pub(crate) fn small(m: &[(String, Value)], key: &str, max: u64) -> Result<u32, WireError> {
    let n = integer(m, key)?;
    if n > max {
        return Err(err(key, format!("is more than {max}")));
    }
    u32::try_from(n).map_err(|_| err(key, "is too large"))
}

/// An optional text (`""` when absent), trimmed, at most `max` characters.
pub(crate) fn note(m: &[(String, Value)], key: &str, max: usize) -> Result<String, WireError> {
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

super::declare::wire_type! {
    Line { dish: text(MAX_NAME), qty: count(u64::from(super::MAX_PORTIONS)) }
}

impl Line {
    /// Reads one order line.
    pub fn from_value(value: &Value) -> Result<Line, WireError> {
        Line::decode(value)
    }
}

// The `meal_order` payload. Who placed it is not sent: the server knows the device's
// household.
super::declare::wire_type! {
    MealOrder {
        elder: text(MAX_NAME),
        date: date,
        slot: text(20),
        lines: list(MAX_LINES, Line::decode),
        fulfilment: way,
        note: note(MAX_NOTE),
        confirmed_conflicts: flag,
    }
    extra { placed_by: i64 }
}

impl MealOrder {
    /// Reads a `meal_order` payload sent by household `placed_by`.
    pub fn from_value(value: &Value, placed_by: i64) -> Result<MealOrder, WireError> {
        MealOrder::decode(value, placed_by)
    }
}

/// `meal_cancel`: cancel an order made earlier (by its submission id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cancel {
    /// The order's submission id.
    pub order: SubmissionId,
}

super::declare::wire_type! {
    Cancel { order: uuid }
}

impl Cancel {
    /// Reads the payload.
    pub fn from_value(value: &Value) -> Result<Cancel, WireError> {
        Cancel::decode(value)
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

super::declare::wire_type! {
    Profile { elder: text(MAX_NAME), consent: flag, needs: tags, allergies: names }
}

impl Profile {
    /// Reads the payload; without consent no needs or allergies may be sent.
    pub fn from_value(value: &Value) -> Result<Profile, WireError> {
        let profile = Profile::decode(value)?;
        let has_data = !profile.needs.is_empty() || !profile.allergies.is_empty();
        if has_data && !profile.consent {
            return Err(err("consent", "dietary data needs consent"));
        }
        Ok(profile)
    }

    /// What may be kept of the payload outside the elder's own record: who and
    /// whether consent was given, without the health data (needs and allergies are
    /// stored once, in the elder's record, and deleted with the consent).
    pub fn redacted(&self) -> Profile {
        Profile {
            needs: Vec::new(),
            allergies: Vec::new(),
            ..self.clone()
        }
    }
}

/// What staff type when registering an elder, checked by the limits the board is read
/// with: name (≤ 40 characters), address (≤ 100), route (≤ 20), allergies (≤ 20 of
/// ≤ 40 characters each). The error names the field, so no value a staff form accepts
/// can later make a household's board unreadable.
pub fn check_elder_fields(
    name: &str,
    address: &str,
    route: &str,
    allergies: &[String],
) -> Result<(), WireError> {
    let m = [
        ("name".to_owned(), text(name)),
        ("address".to_owned(), text(address)),
        ("route".to_owned(), text(route)),
        ("allergies".to_owned(), strings(allergies)),
    ];
    string(&m, "name", MAX_NAME)?;
    note(&m, "address", MAX_ADDRESS)?;
    note(&m, "route", MAX_ROUTE)?;
    string_list(&m, "allergies")?;
    Ok(())
}

/// The `tier` a helper's board shows instead of the elder's tier id: only the subsidy
/// rule, nameless (`~p50` for 50 %, `~f400` for 4.00 yuan off), so the helper sees
/// what an order costs but not the elder's status (低保, age band).
pub fn anonymous_tier(subsidy: super::Subsidy) -> String {
    match subsidy {
        super::Subsidy::Percent(p) => format!("~p{p}"),
        super::Subsidy::Fixed(f) => format!("~f{f}"),
    }
}

/// Reads a code made by [`anonymous_tier`].
pub fn tier_from_anonymous(code: &str) -> Option<super::Tier> {
    let rest = code.strip_prefix('~')?;
    let subsidy = match (rest.strip_prefix('p'), rest.strip_prefix('f')) {
        (Some(p), _) => super::Subsidy::Percent(p.parse().ok().filter(|p: &u8| *p <= 100)?),
        (_, Some(f)) => super::Subsidy::Fixed(f.parse().ok()?),
        _ => return None,
    };
    Some(super::Tier {
        id: code.to_owned(),
        subsidy,
    })
}
