//! The meal kinds applied inside a submission's transaction: the same
//! `linli_core::meals` rules the browser ran, now against the database.

use linli_core::config::MealsConfig;
use linli_core::meals::{
    check_arrival, check_cancel, conflicts, may_order_for, validate, Cancel, ConflictReason,
    Context, MealOrder, Menu, OrderError, Profile, Status,
};
use linli_core::sync::wire::Envelope;
use linli_core::{Lang, Text};
use sqlx::{Row, SqliteConnection};

use super::rows::*;
use crate::error::ApiError;
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
