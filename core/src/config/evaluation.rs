//! The `evaluation` section of `config.json`: how often residents are asked to rate a
//! service, and the fewest ratings published (公众评价). Optional; every field has a
//! default.
//!
//! ```json
//! "evaluation": { "period_days": 30, "min_ratings": 5 }
//! ```

use super::walk::Checker;
use crate::evaluation::{DEFAULT_MIN_RATINGS, DEFAULT_PERIOD_DAYS};
use crate::json::Value;

/// Public evaluation's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvaluationConfig {
    /// A resident is asked to rate a service at most once in this many days (1–365,
    /// default 30); "not now" counts as asked.
    pub period_days: u32,
    /// Approval with fewer ratings than this is published as "too few to show"
    /// (3–100, default 5), so no one can be singled out (fewer than 3 would let one
    /// rating be read off the figures).
    pub min_ratings: u32,
}

impl Default for EvaluationConfig {
    fn default() -> EvaluationConfig {
        EvaluationConfig {
            period_days: DEFAULT_PERIOD_DAYS,
            min_ratings: DEFAULT_MIN_RATINGS,
        }
    }
}

const FIELDS: &[&str] = &["period_days", "min_ratings"];

pub(super) fn read(c: &mut Checker, value: &Value, path: &str) -> Option<EvaluationConfig> {
    let f = c.object(value, path, FIELDS)?;
    let period = super::meals::optional_number(c, &f, "period_days", 30, 1, 365);
    let min = super::meals::optional_number(c, &f, "min_ratings", 5, 3, 100);
    Some(EvaluationConfig {
        period_days: u32::try_from(period?).ok()?,
        min_ratings: u32::try_from(min?).ok()?,
    })
}
