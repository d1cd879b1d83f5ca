//! The `feedback` section of `config.json`: who handles residents' reports (the
//! sub-district's departments and grid workers), the categories residents choose from,
//! each with the handler usually sent it and its time limits in working days, the
//! places residents pick (buildings, the estate's public spaces), and the calendar's
//! public holidays and make-up working days (调休). Required when `scenarios` lists
//! `feedback`.
//!
//! ```json
//! "feedback": {
//!   "handlers": [{ "id": "property", "name": "物业服务中心" },
//!                { "id": "grid-3", "name": "第三网格", "kind": "grid" }],
//!   "categories": [{ "id": "sanitation", "name": "环境卫生", "handler": "property",
//!                    "limits": { "dispatch": 1, "reply": 3, "close": 5 } }],
//!   "places": ["1栋", "2栋", "南门"],
//!   "holidays": ["2026-10-01"], "workdays": ["2026-10-10"]
//! }
//! ```

use super::LocalText;
use crate::feedback::{Calendar, Limits};

/// The feedback scenario's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackConfig {
    /// Departments and grid workers a report can be dispatched to (派单).
    pub handlers: Vec<HandlerConfig>,
    /// Categories, in the order residents see them.
    pub categories: Vec<CategoryConfig>,
    /// Places residents pick from (free text is allowed too), at most 200.
    pub places: Vec<String>,
    /// The working calendar of the time limits.
    pub calendar: Calendar,
}

/// Whether a handler is a department or a grid worker (网格员).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandlerKind {
    /// A department (物业, 城管, 市政, …).
    Department,
    /// A grid (网格) and its worker.
    Grid,
}

impl HandlerKind {
    /// Its id in config.
    pub fn id(self) -> &'static str {
        match self {
            HandlerKind::Department => "department",
            HandlerKind::Grid => "grid",
        }
    }
}

/// A handler reports are dispatched to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerConfig {
    /// Its id (`property`), lowercase letters, digits and hyphens.
    pub id: String,
    /// 物业服务中心.
    pub name: LocalText,
    /// Department or grid.
    pub kind: HandlerKind,
}

/// A category of report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryConfig {
    /// Its id (`sanitation`).
    pub id: String,
    /// 环境卫生.
    pub name: LocalText,
    /// The handler usually sent it, suggested when dispatching (a handler id).
    pub handler: Option<String>,
    /// Its time limits in working days from 受理.
    pub limits: Limits,
}

impl FeedbackConfig {
    /// A category by id.
    pub fn category(&self, id: &str) -> Option<&CategoryConfig> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// A handler by id.
    pub fn handler(&self, id: &str) -> Option<&HandlerConfig> {
        self.handlers.iter().find(|h| h.id == id)
    }

    /// The time limits of a category; the defaults for one config no longer lists.
    pub fn limits(&self, category: &str) -> Limits {
        self.category(category).map_or(DEFAULT_LIMITS, |c| c.limits)
    }
}

/// Limits when a category gives none: dispatch within 1 working day, answer within 3,
/// close within 5 (the common 12345 practice for ordinary requests).
pub const DEFAULT_LIMITS: Limits = Limits {
    dispatch: 1,
    reply: 3,
    close: 5,
};

/// The most places config may list.
pub const MAX_PLACES: usize = 200;
/// The longest place name, in characters (a resident's free text too).
pub const MAX_PLACE: usize = 60;

#[cfg(feature = "feedback")]
pub(super) use reader::read;

/// The section's reader (the `feedback` feature).
#[cfg(feature = "feedback")]
mod reader {
    use super::super::walk::{Checker, Fields};
    use super::super::{local_text, read_id, Problem};
    use super::*;
    use crate::date::Date;
    use crate::json::Value;

    const FIELDS: &[&str] = &["handlers", "categories", "places", "holidays", "workdays"];
    const HANDLER_FIELDS: &[&str] = &["id", "name", "kind"];
    const CATEGORY_FIELDS: &[&str] = &["id", "name", "handler", "limits"];
    const LIMIT_FIELDS: &[&str] = &["dispatch", "reply", "close"];

    pub(in crate::config) fn read(
        c: &mut Checker,
        value: &Value,
        path: &str,
    ) -> Option<FeedbackConfig> {
        let f = c.object(value, path, FIELDS)?;
        let handlers = c
            .required(&f, "handlers")
            .and_then(|v| read_handlers(c, v, &f.path("handlers")));
        let categories = c
            .required(&f, "categories")
            .and_then(|v| read_categories(c, v, &f.path("categories"), handlers.as_deref()));
        let places = match f.get("places") {
            None => Some(Vec::new()),
            Some(v) => read_places(c, v, &f.path("places")),
        };
        let holidays = dates(c, &f, "holidays");
        let workdays = dates(c, &f, "workdays");
        Some(FeedbackConfig {
            handlers: handlers?,
            categories: categories?,
            places: places?,
            calendar: Calendar {
                holidays: holidays?,
                workdays: workdays?,
            },
        })
    }

    fn read_handlers(c: &mut Checker, value: &Value, path: &str) -> Option<Vec<HandlerConfig>> {
        let mut seen = Vec::new();
        let list = c.array(value, path, |c, item, item_path| {
            let f = c.object(item, &item_path, HANDLER_FIELDS)?;
            let id = super::super::meals::unique_id(c, &f, &mut seen);
            let name = c
                .required(&f, "name")
                .and_then(|v| local_text(c, v, &f.path("name"), 40));
            let kind = match f.get("kind") {
                None => Some(HandlerKind::Department),
                Some(v) => {
                    let p = f.path("kind");
                    match c.text(v, &p, 20)?.as_str() {
                        "department" => Some(HandlerKind::Department),
                        "grid" => Some(HandlerKind::Grid),
                        other => {
                            c.push(p, Problem::BadId(other.to_owned()));
                            None
                        }
                    }
                }
            };
            Some(HandlerConfig {
                id: id?,
                name: name?,
                kind: kind?,
            })
        })?;
        if list.is_empty() {
            c.push(path, Problem::Empty);
            return None;
        }
        Some(list)
    }

    fn read_categories(
        c: &mut Checker,
        value: &Value,
        path: &str,
        handlers: Option<&[HandlerConfig]>,
    ) -> Option<Vec<CategoryConfig>> {
        let mut seen = Vec::new();
        let list = c.array(value, path, |c, item, item_path| {
            let f = c.object(item, &item_path, CATEGORY_FIELDS)?;
            let id = super::super::meals::unique_id(c, &f, &mut seen);
            let name = c
                .required(&f, "name")
                .and_then(|v| local_text(c, v, &f.path("name"), 20));
            let handler = match f.get("handler") {
                None => Some(None),
                Some(_) => read_id(c, &f, "handler", 20).and_then(|h| {
                    let known = handlers.is_none_or(|list| list.iter().any(|x| x.id == h));
                    if known {
                        Some(Some(h))
                    } else {
                        c.push(f.path("handler"), Problem::UnknownHandler(h));
                        None
                    }
                }),
            };
            let limits = match f.get("limits") {
                None => Some(DEFAULT_LIMITS),
                Some(v) => read_limits(c, v, &f.path("limits")),
            };
            Some(CategoryConfig {
                id: id?,
                name: name?,
                handler: handler?,
                limits: limits?,
            })
        })?;
        if list.is_empty() {
            c.push(path, Problem::Empty);
            return None;
        }
        Some(list)
    }

    fn read_limits(c: &mut Checker, value: &Value, path: &str) -> Option<Limits> {
        let f = c.object(value, path, LIMIT_FIELDS)?;
        let n = |c: &mut Checker, f: &Fields<'_>, key: &str, default: u32| {
            super::super::meals::optional_number(c, f, key, i64::from(default), 0, 60)
                .and_then(|n| u32::try_from(n).ok())
        };
        let dispatch = n(c, &f, "dispatch", DEFAULT_LIMITS.dispatch);
        let reply = n(c, &f, "reply", DEFAULT_LIMITS.reply);
        let close = n(c, &f, "close", DEFAULT_LIMITS.close);
        Some(Limits {
            dispatch: dispatch?,
            reply: reply?,
            close: close?,
        })
    }

    fn read_places(c: &mut Checker, value: &Value, path: &str) -> Option<Vec<String>> {
        let mut seen: Vec<String> = Vec::new();
        let list = c.array(value, path, |c, item, item_path| {
            let place = c.text(item, &item_path, MAX_PLACE)?;
            if seen.contains(&place) {
                c.push(item_path, Problem::Duplicate(place));
                return None;
            }
            seen.push(place.clone());
            Some(place)
        })?;
        if list.len() > MAX_PLACES {
            c.push(
                path,
                Problem::OutOfRange {
                    min: 0,
                    max: MAX_PLACES as i64,
                },
            );
            return None;
        }
        Some(list)
    }

    fn dates(c: &mut Checker, f: &Fields<'_>, key: &str) -> Option<Vec<Date>> {
        let Some(v) = f.get(key) else {
            return Some(Vec::new());
        };
        c.array(v, &f.path(key), |c, item, item_path| {
            let t = c.text(item, &item_path, 10)?;
            let d = Date::parse(&t);
            if d.is_none() {
                c.push(item_path, Problem::BadDate(t));
            }
            d
        })
    }
}
