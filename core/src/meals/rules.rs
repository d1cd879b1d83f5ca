//! The ordering rules.

use super::MealText;
use super::{
    Conflict, ConflictReason, Cutoff, Dish, Elder, Fen, MealOrder, Menu, OrderError, Price, Slot,
    Subsidy, Tier,
};
use crate::date::{format_timestamp, Date};
use crate::i18n::Lang;

impl OrderError {
    /// The reason as a resident reads it, dish names taken from `menu` where it has them.
    pub fn text(&self, lang: Lang, menu: Option<&Menu>, offset_minutes: i64) -> String {
        let name = |id: &str| {
            menu.and_then(|m| m.dish(id))
                .map_or_else(|| id.to_owned(), |d| d.name.clone())
        };
        let dish = |text: MealText, id: &str| lang.fill(text, &[("dish", &name(id))]);
        match self {
            OrderError::Empty => lang.t(MealText::MealErrEmpty).into(),
            OrderError::UnknownDish(id) => dish(MealText::MealErrUnknownDish, id),
            OrderError::ZeroQuantity(id) => dish(MealText::MealErrZero, id),
            OrderError::WrongMenu => lang.t(MealText::MealErrWrongMenu).into(),
            OrderError::PastCutoff { closed_at } => lang.fill(
                MealText::MealErrPastCutoff,
                &[("time", &format_timestamp(*closed_at, offset_minutes))],
            ),
            OrderError::SoldOut { dish: id, left: 0 } => {
                lang.fill(MealText::MealErrSoldOutAll, &[("dish", &name(id))])
            }
            OrderError::SoldOut { dish: id, left } => lang.fill(
                MealText::MealErrSoldOut,
                &[("dish", &name(id)), ("left", &left.to_string())],
            ),
            OrderError::Unconfirmed(_) => lang.t(MealText::MealErrUnconfirmed).into(),
            OrderError::NotAuthorized => lang.t(MealText::MealErrNotAuthorized).into(),
            OrderError::Overflow => lang.t(MealText::MealErrOverflow).into(),
            OrderError::AlreadyOrdered => lang.t(MealText::MealErrAlreadyOrdered).into(),
            OrderError::Closed => lang.t(MealText::MealErrClosed).into(),
            OrderError::DuplicateDish(id) => dish(MealText::MealErrDuplicate, id),
            OrderError::TooMany { dish: id, max } => lang.fill(
                MealText::MealErrTooMany,
                &[("dish", &name(id)), ("max", &max.to_string())],
            ),
        }
    }

    /// A stable code for the API (`past_cutoff`, `sold_out`, …).
    pub fn code(&self) -> &'static str {
        match self {
            OrderError::Empty => "empty",
            OrderError::UnknownDish(_) => "unknown_dish",
            OrderError::ZeroQuantity(_) => "zero_quantity",
            OrderError::WrongMenu => "wrong_menu",
            OrderError::PastCutoff { .. } => "past_cutoff",
            OrderError::SoldOut { .. } => "sold_out",
            OrderError::Unconfirmed(_) => "unconfirmed",
            OrderError::NotAuthorized => "not_authorized",
            OrderError::Overflow => "overflow",
            OrderError::AlreadyOrdered => "already_ordered",
            OrderError::Closed => "closed",
            OrderError::DuplicateDish(_) => "duplicate_dish",
            OrderError::TooMany { .. } => "too_many",
        }
    }
}

/// What an order is checked against.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The menu of the order's date and slot.
    pub menu: &'a Menu,
    /// The slot (for its cut-off).
    pub slot: &'a Slot,
    /// The elder.
    pub elder: &'a Elder,
    /// The elder's subsidy tier.
    pub tier: &'a Tier,
    /// Portions already ordered per dish for this date and slot, by other orders.
    pub ordered: &'a [(String, u32)],
    /// Households linked to the elder as proxies (family, volunteers).
    pub proxies: &'a [i64],
    /// The elder already has an order (not cancelled) for this date and slot.
    pub already_ordered: bool,
    /// Now, ms since the epoch.
    pub now: i64,
    /// The deployment's UTC offset in minutes (China: 480).
    pub offset_minutes: i64,
}

/// Most portions of one dish in one order: more is a slip of the finger, and a group
/// meal is arranged with the kitchen, not ordered from a phone. The wire codec, the
/// widget's stepper and [`validate`] all use this one number.
pub const MAX_PORTIONS: u32 = 20;

/// Most lines (dishes) in one order.
pub const MAX_LINES: usize = 20;

/// Portions of `dish` still to be had when `ordered` (dish id, portions) are taken by
/// other orders of the same meal; `None` when the dish has no daily limit.
pub fn portions_left(dish: &Dish, ordered: &[(String, u32)]) -> Option<u32> {
    let limit = dish.daily_limit?;
    let taken: u32 = ordered
        .iter()
        .filter(|(id, _)| *id == dish.id)
        .map(|(_, n)| *n)
        .fold(0, u32::saturating_add);
    Some(limit.saturating_sub(taken))
}

/// The most portions of `dish` one order may hold now: [`MAX_PORTIONS`], or fewer when
/// fewer are left. The stepper's + says why beyond it ([`check_portions`]); [`validate`]
/// refuses beyond it.
pub fn max_portions(dish: &Dish, ordered: &[(String, u32)]) -> u32 {
    portions_left(dish, ordered).map_or(MAX_PORTIONS, |left| left.min(MAX_PORTIONS))
}

/// Whether `qty` portions of `dish` fit in one order, `ordered` being the portions
/// already taken per dish: [`OrderError::SoldOut`] beyond what is left,
/// [`OrderError::TooMany`] beyond [`MAX_PORTIONS`]. One rule for what [`validate`]
/// refuses and what a stepper at its limit says.
pub fn check_portions(dish: &Dish, ordered: &[(String, u32)], qty: u32) -> Result<(), OrderError> {
    if let Some(left) = portions_left(dish, ordered).filter(|&left| qty > left) {
        return Err(OrderError::SoldOut {
            dish: dish.id.clone(),
            left,
        });
    }
    if qty > MAX_PORTIONS {
        return Err(OrderError::TooMany {
            dish: dish.id.clone(),
            max: MAX_PORTIONS,
        });
    }
    Ok(())
}

/// Prices an order: list price, subsidy, amount to pay, in fen.
pub fn price(order: &super::MealOrder, menu: &Menu, tier: &Tier) -> Result<Price, OrderError> {
    let mut list: Fen = 0;
    for line in &order.lines {
        let dish = menu
            .dish(&line.dish)
            .ok_or_else(|| OrderError::UnknownDish(line.dish.clone()))?;
        let cost = dish
            .price
            .checked_mul(line.qty)
            .ok_or(OrderError::Overflow)?;
        list = list.checked_add(cost).ok_or(OrderError::Overflow)?;
    }
    let subsidy = match tier.subsidy {
        Subsidy::Fixed(amount) => amount.min(list),
        Subsidy::Percent(p) => {
            let p = u64::from(p.min(100));
            // Half up: 12.5 fen of subsidy becomes 13.
            let fen = (u64::from(list) * p + 50) / 100;
            Fen::try_from(fen)
                .map_err(|_| OrderError::Overflow)?
                .min(list)
        }
    };
    Ok(Price {
        list,
        subsidy,
        pay: list - subsidy,
    })
}

/// The instant (ms since the epoch) ordering for `date` closes under `cutoff`, in a
/// deployment `offset_minutes` east of UTC.
pub fn cutoff_instant(date: Date, cutoff: Cutoff, offset_minutes: i64) -> i64 {
    let day = date.unix_days() - i64::from(cutoff.days_before);
    (day * 1_440 + i64::from(cutoff.minute_of_day) - offset_minutes) * 60_000
}

/// Refuses once the slot's cut-off has passed (the cut-off minute itself is closed).
pub fn check_cutoff(
    now: i64,
    date: Date,
    slot: &Slot,
    offset_minutes: i64,
) -> Result<(), OrderError> {
    let closed_at = cutoff_instant(date, slot.cutoff, offset_minutes);
    if now < closed_at {
        Ok(())
    } else {
        Err(OrderError::PastCutoff { closed_at })
    }
}

/// How long after a cut-off the server still takes an order the device made before
/// it: a phone on a bad network should not cost an elder a meal over a minute's delay,
/// and the kitchen has started cooking by the end of it.
pub const ARRIVAL_GRACE_MS: i64 = 15 * 60_000;

/// The server's cut-off rule: an order made (by the device's clock) before the cut-off
/// and arriving within [`ARRIVAL_GRACE_MS`] of it is on time; anything later is not.
pub fn check_arrival(
    created_at: i64,
    received_at: i64,
    date: Date,
    slot: &Slot,
    offset_minutes: i64,
) -> Result<(), OrderError> {
    let closed_at = cutoff_instant(date, slot.cutoff, offset_minutes);
    if received_at < closed_at
        || (created_at < closed_at && received_at < closed_at + ARRIVAL_GRACE_MS)
    {
        Ok(())
    } else {
        Err(OrderError::PastCutoff { closed_at })
    }
}

/// Why one dish does not suit the elder: each allergen of the elder's it contains,
/// then each need of the elder's it lacks. Empty when it suits.
pub fn dish_conflicts(dish: &Dish, elder: &Elder) -> Vec<ConflictReason> {
    let allergens = dish
        .allergens
        .iter()
        .filter(|a| elder.allergies.contains(a))
        .map(|a| ConflictReason::Allergen(a.clone()));
    let needs = elder
        .needs
        .iter()
        .filter(|n| !dish.tags.contains(n))
        .map(|n| ConflictReason::Lacks(*n));
    allergens.chain(needs).collect()
}

/// Dishes in the order that do not suit the elder ([`dish_conflicts`] of each line).
pub fn conflicts(order: &MealOrder, menu: &Menu, elder: &Elder) -> Vec<Conflict> {
    order
        .lines
        .iter()
        .filter_map(|line| menu.dish(&line.dish))
        .flat_map(|dish| {
            dish_conflicts(dish, elder)
                .into_iter()
                .map(|reason| Conflict {
                    dish: dish.id.clone(),
                    reason,
                })
        })
        .collect()
}

/// The part of an elder's dietary data that decides which of `menus`' dishes suit:
/// the allergies some dish contains and the needs some dish lacks. [`conflicts`]
/// answers the same for every dish of these menus with the narrowed elder as with the
/// whole one, so a helper ordering for the elder is warned (不适合) without being told
/// the rest of the elder's health data (PIPL art. 6, the minimum necessary).
pub fn narrowed_to(elder: &Elder, menus: &[&Menu]) -> Elder {
    let dishes = || menus.iter().flat_map(|m| m.dishes.iter());
    Elder {
        needs: elder
            .needs
            .iter()
            .filter(|n| dishes().any(|d| !d.tags.contains(n)))
            .copied()
            .collect(),
        allergies: elder
            .allergies
            .iter()
            .filter(|a| dishes().any(|d| d.allergens.contains(a)))
            .cloned()
            .collect(),
        ..elder.clone()
    }
}

/// Whether an order may still be cancelled: only while it is received, not delivered or
/// cancelled, and before its slot's cut-off (the kitchen cooks to the count after it).
pub fn check_cancel(
    status: super::Status,
    now: i64,
    date: Date,
    slot: &Slot,
    offset_minutes: i64,
) -> Result<(), OrderError> {
    if status != super::Status::Received {
        return Err(OrderError::Closed);
    }
    check_cutoff(now, date, slot, offset_minutes)
}

/// Whether the household `actor` may order or cancel for `elder`.
pub fn may_order_for(actor: i64, elder: &Elder, proxies: &[i64]) -> bool {
    actor == elder.unit_id || proxies.contains(&actor)
}

/// Every rule an order must pass, in the order a resident would want to hear them;
/// answers its price.
pub fn validate(order: &MealOrder, cx: &Context<'_>) -> Result<Price, OrderError> {
    if !may_order_for(order.placed_by, cx.elder, cx.proxies) {
        return Err(OrderError::NotAuthorized);
    }
    if order.date != cx.menu.date || order.slot != cx.menu.slot || order.slot != cx.slot.id {
        return Err(OrderError::WrongMenu);
    }
    if order.lines.is_empty() {
        return Err(OrderError::Empty);
    }
    if cx.already_ordered {
        return Err(OrderError::AlreadyOrdered);
    }
    if let Some(line) = order.lines.iter().find(|l| l.qty == 0) {
        return Err(OrderError::ZeroQuantity(line.dish.clone()));
    }
    // One line per dish: two lines of one dish would each pass the limits below.
    let lines = &order.lines;
    if let Some(line) = (1..lines.len())
        .filter_map(|i| {
            lines
                .get(i)
                .filter(|l| lines[..i].iter().any(|e| e.dish == l.dish))
        })
        .next()
    {
        return Err(OrderError::DuplicateDish(line.dish.clone()));
    }
    check_cutoff(cx.now, order.date, cx.slot, cx.offset_minutes)?;
    let priced = price(order, cx.menu, cx.tier)?;
    for line in &order.lines {
        if let Some(dish) = cx.menu.dish(&line.dish) {
            check_portions(dish, cx.ordered, line.qty)?;
        }
    }
    let found = conflicts(order, cx.menu, cx.elder);
    if !found.is_empty() && !order.confirmed_conflicts {
        return Err(OrderError::Unconfirmed(found));
    }
    Ok(priced)
}

/// "Same as last time": the last order rebuilt for another menu; lines whose dish is
/// not on it are dropped and named.
pub fn repeat(last: &MealOrder, menu: &Menu) -> (MealOrder, Vec<String>) {
    let (kept, dropped): (Vec<_>, Vec<_>) = last
        .lines
        .iter()
        .cloned()
        .partition(|l| menu.dish(&l.dish).is_some());
    let order = MealOrder {
        date: menu.date,
        slot: menu.slot.clone(),
        lines: kept,
        confirmed_conflicts: false,
        ..last.clone()
    };
    (order, dropped.into_iter().map(|l| l.dish).collect())
}
