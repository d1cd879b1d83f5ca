//! What one render of the ordering view works out from its props and draft: the
//! elder, the meals from today, the chosen meal, the drafted order and the checks,
//! all through `linli_core::meals` rules. The view and the click handler share it.

use linli_core::date::Date;
use linli_core::meals::MealText;
use linli_core::meals::{
    cutoff_instant, validate, BoardElder, BoardMenu, BoardOrder, Context, MealOrder, Status,
};
use linli_core::Lang;

use super::ordering::{MealOrderingProps, Refused};
use super::state::{Draft, MealKey, Message};

/// Whether the host holds an order for this meal (elder, date, slot): waiting in its
/// outbox (`pending`) or on the board and not cancelled.
pub(super) fn holds(p: &MealOrderingProps, (elder, date, slot): &MealKey) -> bool {
    let same = |o: &MealOrder| o.elder == *elder && o.date == *date && o.slot == *slot;
    p.pending.iter().any(same)
        || p.board
            .orders
            .iter()
            .any(|o| o.status != Status::Cancelled && same(&o.order))
}

/// Everything one render works out, shared by the view and the click handler.
pub(super) struct View<'a> {
    pub(super) p: &'a MealOrderingProps,
    pub(super) d: &'a Draft,
    pub(super) elder: &'a BoardElder,
    pub(super) today: Option<Date>,
    /// Meals from today on.
    pub(super) upcoming: Vec<&'a BoardMenu>,
    pub(super) chosen: Option<&'a BoardMenu>,
    /// The order as drafted (for the chosen meal).
    pub(super) order: Option<MealOrder>,
    /// The elder's last order, for "same as last time".
    pub(super) last: Option<&'a MealOrder>,
}

impl<'a> View<'a> {
    pub(super) fn new(p: &'a MealOrderingProps, d: &'a Draft) -> Option<View<'a>> {
        let board = &p.board;
        let elder = board.elders.get(d.elder).or(board.elders.first())?;
        let offset = p.config.utc_offset_minutes;
        let now = p.now as i64;
        let today = linli_core::date::date_at(now, offset);
        let upcoming: Vec<&BoardMenu> = board
            .menus
            .iter()
            .filter(|m| today.is_some_and(|t| m.menu.date >= t))
            .collect();
        let mut v = View {
            p,
            d,
            elder,
            today,
            chosen: None,
            order: None,
            last: None,
            upcoming,
        };
        v.chosen = d
            .meal
            .as_ref()
            .and_then(|(date, slot)| board.menu(*date, slot))
            .or_else(|| v.upcoming.iter().copied().find(|m| v.open(m, now)))
            .or_else(|| v.upcoming.first().copied());
        v.order = v.chosen.map(|m| MealOrder {
            elder: elder.elder.id.clone(),
            date: m.menu.date,
            slot: m.menu.slot.clone(),
            lines: d.lines.clone(),
            fulfilment: d.way.unwrap_or(elder.elder.fulfilment),
            note: String::new(),
            placed_by: elder.elder.unit_id,
            confirmed_conflicts: false,
        });
        v.last = p
            .pending
            .iter()
            .rfind(|o| o.elder == elder.elder.id)
            .or_else(|| {
                v.history()
                    .find(|o| o.status != Status::Cancelled)
                    .map(|o| &o.order)
            });
        Some(v)
    }

    /// A refusal of the order this draft just handed over (same meal), if the server
    /// refused it.
    pub(super) fn refused_here(&self) -> Option<&'a Refused> {
        let (elder, date, slot) = self.d.awaiting.as_ref().or(self.d.saved.as_ref())?;
        self.p
            .refused
            .iter()
            .find(|r| r.order.elder == *elder && r.order.date == *date && r.order.slot == *slot)
    }

    /// What a [`Message`] says, as (is a problem, text).
    pub(super) fn message(&self, m: &Message) -> (bool, String) {
        let lang = self.lang();
        match m {
            Message::Saving => (false, lang.t(MealText::MealSaving).to_owned()),
            Message::Saved => (false, lang.t(MealText::MealSaved).to_owned()),
            Message::Repeated(dropped) if dropped.is_empty() => {
                (false, lang.t(MealText::MealRepeatDone).to_owned())
            }
            Message::Repeated(dropped) => (
                false,
                lang.fill(
                    MealText::MealRepeatDropped,
                    &[("dishes", &dropped.join("、"))],
                ),
            ),
            Message::Problem(text) => (true, text.clone()),
        }
    }

    pub(super) fn lang(&self) -> Lang {
        self.p.lang
    }

    pub(super) fn closes_at(&self, date: Date, slot: &str) -> Option<i64> {
        let s = self.p.config.slot(slot)?;
        Some(cutoff_instant(
            date,
            s.slot.cutoff,
            self.p.config.utc_offset_minutes,
        ))
    }

    pub(super) fn open(&self, m: &BoardMenu, now: i64) -> bool {
        self.closes_at(m.menu.date, &m.menu.slot)
            .is_some_and(|c| now < c)
    }

    pub(super) fn history(&self) -> impl Iterator<Item = &'a BoardOrder> {
        let id = &self.elder.elder.id;
        self.p
            .board
            .orders
            .iter()
            .filter(move |o| o.order.elder == *id)
    }

    pub(super) fn dish_name(&self, id: &str) -> String {
        self.p
            .board
            .menus
            .iter()
            .find_map(|m| m.menu.dish(id))
            .map_or_else(|| id.to_owned(), |d| d.name.clone())
    }

    pub(super) fn day(&self, date: Date) -> String {
        let lang = self.lang();
        match self.today.map(|t| date.unix_days() - t.unix_days()) {
            Some(0) => lang.t(MealText::MealToday).to_owned(),
            Some(1) => lang.t(MealText::MealTomorrow).to_owned(),
            _ => lang.fill(
                MealText::MealDate,
                &[
                    ("month", &date.month.to_string()),
                    ("day", &date.day.to_string()),
                ],
            ),
        }
    }

    pub(super) fn slot_name(&self, slot: &str) -> String {
        self.p
            .config
            .slot(slot)
            .map_or_else(|| slot.to_owned(), |s| s.name.get(self.lang()).to_owned())
    }

    pub(super) fn money(&self, fen: u32) -> String {
        self.lang().fill(
            MealText::MealPrice,
            &[("yuan", &linli_core::meals::yuan(fen))],
        )
    }

    /// Checks the drafted order at `now`; the order ready to queue, or the reason.
    pub(super) fn check(
        &self,
        now: i64,
        note: String,
        confirmed: bool,
    ) -> Result<MealOrder, String> {
        let lang = self.lang();
        let offset = self.p.config.utc_offset_minutes;
        let (Some(order), Some(menu)) = (&self.order, self.chosen) else {
            return Err(lang.t(MealText::MealNoMenu).to_owned());
        };
        let order = MealOrder {
            note,
            confirmed_conflicts: confirmed,
            ..order.clone()
        };
        let same =
            |o: &MealOrder| o.elder == order.elder && o.date == order.date && o.slot == order.slot;
        let (Some(slot), Some(tier)) = (
            self.p.config.slot(&order.slot),
            self.p.config.pricing_tier(&self.elder.elder.tier),
        ) else {
            return Err(lang.t(MealText::MealErrWrongMenu).to_owned());
        };
        let cx = Context {
            menu: &menu.menu,
            slot: &slot.slot,
            elder: &self.elder.elder,
            tier: &tier,
            ordered: &menu.ordered,
            proxies: &[],
            already_ordered: self.p.pending.iter().any(same)
                || self
                    .history()
                    .any(|o| o.status != Status::Cancelled && same(&o.order)),
            now,
            offset_minutes: offset,
        };
        validate(&order, &cx)
            .map(|_| order.clone())
            .map_err(|e| e.text(lang, Some(&menu.menu), offset))
    }
}
