//! The `meals` section of `config.json`: meal slots with their cut-offs, subsidy tiers,
//! how many days ahead residents may order, and the deployment's UTC offset.
//!
//! ```json
//! "meals": {
//!   "days_ahead": 3,
//!   "utc_offset_minutes": 480,
//!   "slots": [{ "id": "lunch", "name": "午餐", "cutoff": "09:30" },
//!             { "id": "dinner", "name": "晚餐", "cutoff": "15:00", "days_before": 0 }],
//!   "tiers": [{ "id": "80plus", "name": "80岁以上", "subsidy": { "percent": 50 } },
//!             { "id": "60to69", "name": "60–69岁", "subsidy": { "fixed": 200 } }]
//! }
//! ```

use super::walk::{Checker, Fields};
use super::{local_text, read_id, LocalText, Problem};
use crate::json::Value;
use crate::meals::{Cutoff, Slot, Subsidy, Tier};

/// The meals scenario's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct MealsConfig {
    /// Days after today residents may order for (0: today only).
    pub days_ahead: u8,
    /// The deployment's offset east of UTC in minutes (China: 480).
    pub utc_offset_minutes: i64,
    /// Meal slots, in the order of the day.
    pub slots: Vec<SlotConfig>,
    /// Subsidy tiers.
    pub tiers: Vec<TierConfig>,
}

/// A slot with its display name.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotConfig {
    /// The rule's view of it.
    pub slot: Slot,
    /// 午餐.
    pub name: LocalText,
}

/// A subsidy tier with its display name.
#[derive(Clone, Debug, PartialEq)]
pub struct TierConfig {
    /// The rule's view of it.
    pub tier: Tier,
    /// 80岁以上.
    pub name: LocalText,
}

impl MealsConfig {
    /// A slot by id.
    pub fn slot(&self, id: &str) -> Option<&SlotConfig> {
        self.slots.iter().find(|s| s.slot.id == id)
    }

    /// A tier by id.
    pub fn tier(&self, id: &str) -> Option<&TierConfig> {
        self.tiers.iter().find(|t| t.tier.id == id)
    }

    /// The subsidy rule behind a board's `tier`: a tier of this config by id, or the
    /// nameless code a helper's board carries instead (see
    /// [`crate::meals::anonymous_tier`]), so a helper can price an order without
    /// learning the elder's subsidy status.
    pub fn pricing_tier(&self, id: &str) -> Option<crate::meals::Tier> {
        self.tier(id)
            .map(|t| t.tier.clone())
            .or_else(|| crate::meals::tier_from_anonymous(id))
    }
}

const FIELDS: &[&str] = &["days_ahead", "utc_offset_minutes", "slots", "tiers"];
const SLOT_FIELDS: &[&str] = &["id", "name", "cutoff", "days_before"];
const TIER_FIELDS: &[&str] = &["id", "name", "subsidy"];
const SUBSIDY_FIELDS: &[&str] = &["fixed", "percent"];

pub(super) fn read(c: &mut Checker, value: &Value, path: &str) -> Option<MealsConfig> {
    let f = c.object(value, path, FIELDS)?;
    let days_ahead = optional_number(c, &f, "days_ahead", 3, 0, 14);
    let offset = optional_number(c, &f, "utc_offset_minutes", 480, -720, 840);
    let slots = c
        .required(&f, "slots")
        .and_then(|v| read_slots(c, v, &f.path("slots")));
    let tiers = c
        .required(&f, "tiers")
        .and_then(|v| read_tiers(c, v, &f.path("tiers")));
    Some(MealsConfig {
        days_ahead: u8::try_from(days_ahead?).ok()?,
        utc_offset_minutes: offset?,
        slots: slots?,
        tiers: tiers?,
    })
}

/// A whole number field from `min` to `max`, `default` when absent.
pub(super) fn optional_number(
    c: &mut Checker,
    f: &Fields<'_>,
    key: &str,
    default: i64,
    min: i64,
    max: i64,
) -> Option<i64> {
    match f.get(key) {
        None => Some(default),
        Some(v) => number(c, v, &f.path(key), min, max),
    }
}

fn number(c: &mut Checker, value: &Value, path: &str, min: i64, max: i64) -> Option<i64> {
    let n = c.number(value, path)?;
    if n.fract() == 0.0 && n >= min as f64 && n <= max as f64 {
        Some(n as i64)
    } else {
        c.push(path, Problem::OutOfRange { min, max });
        None
    }
}

/// Ids unique within a list; the duplicate is reported at its own path.
pub(super) fn unique_id(c: &mut Checker, f: &Fields<'_>, seen: &mut Vec<String>) -> Option<String> {
    let id = read_id(c, f, "id", 20)?;
    if seen.contains(&id) {
        c.push(f.path("id"), Problem::Duplicate(id));
        return None;
    }
    seen.push(id.clone());
    Some(id)
}

fn read_slots(c: &mut Checker, value: &Value, path: &str) -> Option<Vec<SlotConfig>> {
    let mut seen = Vec::new();
    let slots = c.array(value, path, |c, item, item_path| {
        let f = c.object(item, &item_path, SLOT_FIELDS)?;
        let id = unique_id(c, &f, &mut seen);
        let name = c
            .required(&f, "name")
            .and_then(|v| local_text(c, v, &f.path("name"), 20));
        let minute = c.required_text(&f, "cutoff", 5).and_then(|t| {
            let parsed = parse_time(&t);
            if parsed.is_none() {
                c.push(f.path("cutoff"), Problem::BadTime(t));
            }
            parsed
        });
        let days_before = optional_number(c, &f, "days_before", 0, 0, 7);
        Some(SlotConfig {
            slot: Slot {
                id: id?,
                cutoff: Cutoff {
                    days_before: u8::try_from(days_before?).ok()?,
                    minute_of_day: minute?,
                },
            },
            name: name?,
        })
    })?;
    if slots.is_empty() {
        c.push(path, Problem::Empty);
        return None;
    }
    Some(slots)
}

fn read_tiers(c: &mut Checker, value: &Value, path: &str) -> Option<Vec<TierConfig>> {
    let mut seen = Vec::new();
    let tiers = c.array(value, path, |c, item, item_path| {
        let f = c.object(item, &item_path, TIER_FIELDS)?;
        let id = unique_id(c, &f, &mut seen);
        let name = c
            .required(&f, "name")
            .and_then(|v| local_text(c, v, &f.path("name"), 20));
        let subsidy = c
            .required(&f, "subsidy")
            .and_then(|v| read_subsidy(c, v, &f.path("subsidy")));
        Some(TierConfig {
            tier: Tier {
                id: id?,
                subsidy: subsidy?,
            },
            name: name?,
        })
    })?;
    if tiers.is_empty() {
        c.push(path, Problem::Empty);
        return None;
    }
    Some(tiers)
}

/// `{"fixed": fen}` or `{"percent": 0–100}`, exactly one of them.
fn read_subsidy(c: &mut Checker, value: &Value, path: &str) -> Option<Subsidy> {
    let f = c.object(value, path, SUBSIDY_FIELDS)?;
    match (f.get("fixed"), f.get("percent")) {
        (Some(v), None) => {
            number(c, v, &f.path("fixed"), 0, 100_000).map(|n| Subsidy::Fixed(n as u32))
        }
        (None, Some(v)) => {
            number(c, v, &f.path("percent"), 0, 100).map(|n| Subsidy::Percent(n as u8))
        }
        _ => {
            c.push(path, Problem::BadSubsidy);
            None
        }
    }
}

/// `HH:MM`, 24-hour, as minutes after midnight.
pub fn parse_time(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes after midnight as `HH:MM`.
pub fn format_time(minute_of_day: u16) -> String {
    format!("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
}
