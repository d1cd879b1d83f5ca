//! The meal kinds applied inside a submission's transaction: the same
//! `linli_core::meals` rules the browser ran, now against the database.

use linli_core::config::MealsConfig;
use linli_core::meals::MealServerText;
use linli_core::meals::{
    check_arrival, check_cancel, conflicts, may_order_for, validate, Cancel, ConflictReason,
    Context, MealKind, MealOrder, Menu, OrderError, Profile, Status,
};
use linli_core::sync::wire::WireError;
use linli_core::Lang;
use sqlx::Row;

use super::rows::*;
use crate::app::{Effect, Event, Incoming, Refusal};
use crate::store::Tx;

/// A refusal by a meal rule, in the resident's language.
fn refuse(e: &OrderError, lang: Lang, menu: Option<&Menu>, offset: i64) -> Refusal {
    Refusal::Rule {
        code: e.code(),
        message: e.text(lang, menu, offset),
    }
}

fn missing(text: MealServerText, code: &'static str, lang: Lang) -> Refusal {
    Refusal::Rule {
        code,
        message: lang.t(text).to_owned(),
    }
}

fn invalid(e: WireError) -> Refusal {
    Refusal::Invalid(WireError {
        field: format!("payload.{}", e.field),
        message: e.message,
    })
}

/// When the device made the submission, as far as the server believes it: its
/// `created_at`, unless that is before the sending token was linked, which no device
/// could have done (a clock behind, or a forged time); then the time it arrived, so it
/// earns no grace after a cut-off.
fn believed_made_at(incoming: &Incoming<'_>) -> i64 {
    let said = i64::try_from(incoming.envelope.created_at).unwrap_or(i64::MAX);
    if said >= incoming.linked_at {
        said
    } else {
        incoming.now
    }
}

/// Applies a `meal_*` submission: checks the rules against the database and records
/// the order, cancellation or profile. A refusal rolls back the whole submission.
pub(super) async fn apply(
    tx: &mut Tx,
    incoming: Incoming<'_>,
    config: &MealsConfig,
) -> Result<Effect, Refusal> {
    let env = incoming.envelope;
    match MealKind::from_id(&env.kind) {
        Some(MealKind::Order) => {
            let order = MealOrder::from_value(&env.payload, incoming.unit_id).map_err(invalid)?;
            order_meal(tx, incoming, config, order).await
        }
        Some(MealKind::Cancel) => {
            let cancel = Cancel::from_value(&env.payload).map_err(invalid)?;
            cancel_meal(tx, incoming, config, cancel).await
        }
        Some(MealKind::Profile) => {
            let profile = Profile::from_value(&env.payload).map_err(invalid)?;
            set_profile(tx, incoming, profile).await
        }
        None => Ok(Effect::default()),
    }
}

async fn order_meal(
    tx: &mut Tx,
    incoming: Incoming<'_>,
    config: &MealsConfig,
    order: MealOrder,
) -> Result<Effect, Refusal> {
    let (lang, unit_id, now) = (incoming.lang, incoming.unit_id, incoming.now);
    let env = incoming.envelope;
    let offset = config.utc_offset_minutes;
    let conn = tx.conn();
    let elder = elder_by_id(conn, &order.elder)
        .await?
        .ok_or_else(|| missing(MealServerText::MealErrNoElder, "unknown_elder", lang))?;
    let proxies = proxies_of(conn, elder.elder.unit_id).await?;
    if !may_order_for(unit_id, &elder.elder, &proxies) {
        return Err(refuse(&OrderError::NotAuthorized, lang, None, offset));
    }
    let slot = config
        .slot(&order.slot)
        .ok_or_else(|| missing(MealServerText::MealErrNoMenu, "no_menu", lang))?;
    let tier = config
        .tier(&elder.elder.tier)
        .ok_or_else(|| crate::store::StoreError::corrupt("elder's tier", &elder.elder.tier))?;
    let menu = menu_in(conn, order.date, &order.slot)
        .await?
        .ok_or_else(|| missing(MealServerText::MealErrNoMenu, "no_menu", lang))?;
    let created_at = believed_made_at(&incoming);
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
    .await
    .map_err(crate::store::StoreError::from)?
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
    // What the orderer confirmed, for the kitchen: dietary data, so only while the
    // elder's consent stands (withdrawal empties it).
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
    .await
    .map_err(crate::store::StoreError::from)?;
    let mut events = Vec::new();
    if elder.elder.unit_id != unit_id {
        // The elder's own household follows orders placed for them.
        events.push(Event {
            submission: env.id.to_string(),
            unit: elder.elder.unit_id,
            status: "received",
        });
    }
    Ok(Effect { events })
}

async fn cancel_meal(
    tx: &mut Tx,
    incoming: Incoming<'_>,
    config: &MealsConfig,
    cancel: Cancel,
) -> Result<Effect, Refusal> {
    let (lang, unit_id, now) = (incoming.lang, incoming.unit_id, incoming.now);
    let offset = config.utc_offset_minutes;
    let conn = tx.conn();
    let row = sqlx::query(
        "SELECT o.elder_id, o.date, o.slot, o.status, o.placed_by, e.unit_id \
         FROM meal_orders o JOIN elders e ON e.id = o.elder_id WHERE o.submission_id = $1",
    )
    .bind(cancel.order.as_str())
    .fetch_optional(&mut *conn)
    .await
    .map_err(crate::store::StoreError::from)?
    .ok_or_else(|| missing(MealServerText::MealErrNoOrder, "unknown_order", lang))?;
    let read = |e: sqlx::Error| Refusal::Store(e.into());
    let elder_unit: i64 = row.try_get("unit_id").map_err(read)?;
    let placed_by: i64 = row.try_get("placed_by").map_err(read)?;
    let proxies = proxies_of(conn, elder_unit).await?;
    if unit_id != elder_unit && !proxies.contains(&unit_id) {
        return Err(refuse(&OrderError::NotAuthorized, lang, None, offset));
    }
    let slot_id: String = row.try_get("slot").map_err(read)?;
    let slot = config
        .slot(&slot_id)
        .ok_or_else(|| missing(MealServerText::MealErrNoMenu, "no_menu", lang))?;
    let date = date_of(&row.try_get::<String, _>("date").map_err(read)?)?;
    let status = Status::from_id(&row.try_get::<String, _>("status").map_err(read)?)
        .unwrap_or(Status::Received);
    let created_at = believed_made_at(&incoming);
    check_cancel(status, created_at.min(now), date, &slot.slot, offset)
        .and_then(|()| check_arrival(created_at, now, date, &slot.slot, offset))
        .map_err(|e| refuse(&e, lang, None, offset))?;
    sqlx::query(
        "UPDATE meal_orders SET status = 'cancelled', updated_at = $1 WHERE submission_id = $2",
    )
    .bind(now)
    .bind(cancel.order.as_str())
    .execute(&mut *conn)
    .await
    .map_err(crate::store::StoreError::from)?;
    let event = |unit| Event {
        submission: cancel.order.to_string(),
        unit,
        status: "cancelled",
    };
    let mut events = vec![event(elder_unit)];
    if placed_by != elder_unit {
        events.push(event(placed_by));
    }
    Ok(Effect { events })
}

/// The separate consent to dietary data is the elder's own (个人信息保护法 art. 29): only
/// the elder's household may give, change or withdraw it from a phone — a helper may
/// order, not consent — and staff may record it on the elder's word.
async fn set_profile(
    tx: &mut Tx,
    incoming: Incoming<'_>,
    profile: Profile,
) -> Result<Effect, Refusal> {
    let (lang, unit_id, now) = (incoming.lang, incoming.unit_id, incoming.now);
    let elder = elder_by_id(tx.conn(), &profile.elder)
        .await?
        .ok_or_else(|| missing(MealServerText::MealErrNoElder, "unknown_elder", lang))?;
    if elder.elder.unit_id != unit_id {
        return Err(missing(
            MealServerText::MealErrNotOwnConsent,
            "not_own_consent",
            lang,
        ));
    }
    let note = format!("resident:unit:{unit_id}");
    super::store::write_diet(tx, &profile, now, &note).await?;
    Ok(Effect::default())
}
