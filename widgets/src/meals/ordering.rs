//! The ordering view: elder, day and meal, dish cards with steppers, the priced order
//! with one big confirm button, same-as-last-time, history with cancel, and the
//! separately consented diet card. Every decision is a `linli_core::meals` rule
//! (see `view.rs`); the markup is in `parts.rs`.

use linli_core::meals::MealText;
use std::rc::Rc;

use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::meals::{
    check_portions, conflicts, max_portions, price, repeat, Board, Fulfilment, MealOrder,
    OrderError, Profile, Tag, MAX_NOTE,
};
use linli_core::sync::wire::SubmissionId;
use linli_core::Lang;
use yew::prelude::*;

use super::parts;
use super::state::{Action, Draft};
use super::view::{holds, View};
use crate::base::notice_text;

/// An order the server refused, as the host kept it: shown where the resident made it
/// until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    /// The submission's id (what `on_dismiss` gives back).
    pub id: SubmissionId,
    /// The order as it was sent.
    pub order: MealOrder,
    /// Why, in the resident's language and plain words (never a code or field path).
    pub reason: String,
}

/// Props of [`MealOrdering`].
#[derive(Properties, Clone)]
pub struct MealOrderingProps {
    /// What the household may see: elders, menus with portions taken, orders.
    pub board: Rc<Board>,
    /// The deployment's meal slots, tiers and time zone.
    pub config: Rc<MealsConfig>,
    /// Now by the server's clock, ms since the epoch, for drawing open and closed
    /// meals; confirming checks again against the later of this and the browser's
    /// clock plus `clock_skew_ms`.
    pub now: f64,
    /// What to add to the browser's clock to get the server's (ms; 0 when the phone's
    /// clock is right): the host measures it (the shell from each answer's `Date`).
    #[prop_or_default]
    pub clock_skew_ms: f64,
    /// Interface language.
    #[prop_or_default]
    pub lang: Lang,
    /// Orders made on this device and not yet acknowledged (shown as waiting).
    #[prop_or_default]
    pub pending: Rc<Vec<MealOrder>>,
    /// Orders whose cancellation waits to be sent.
    #[prop_or_default]
    pub cancelling: Rc<Vec<SubmissionId>>,
    /// A checked order the resident confirmed. The widget says "saved" only once the
    /// host shows the order in `pending` (its outbox committed it) or on the board.
    pub on_order: Callback<MealOrder>,
    /// Why the host could not keep the last order (storage full, unavailable), in the
    /// resident's language; shown in place of "saved", with the draft kept.
    #[prop_or_default]
    pub save_error: Option<AttrValue>,
    /// The resident cancels an order (by its submission id).
    #[prop_or_default]
    pub on_cancel: Callback<SubmissionId>,
    /// The resident consented and entered dietary needs and allergies.
    #[prop_or_default]
    pub on_profile: Callback<Profile>,
    /// Orders made here that the server refused, not yet dismissed: shown in the
    /// history with the reason, and in place of "saved" when just made.
    #[prop_or_default]
    pub refused: Rc<Vec<Refused>>,
    /// The resident has read a refusal (its submission id); the host may hide it.
    #[prop_or_default]
    pub on_dismiss: Callback<SubmissionId>,
    /// Classes added to the root element.
    #[prop_or_default]
    pub class: Classes,
}

/// Shared data compares by identity: a new board is a new `Rc`, and comparing two
/// boards field by field would cost more code than it saves renders.
impl PartialEq for MealOrderingProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.board, &o.board)
            && Rc::ptr_eq(&self.config, &o.config)
            && Rc::ptr_eq(&self.pending, &o.pending)
            && Rc::ptr_eq(&self.cancelling, &o.cancelling)
            && self.now == o.now
            && self.lang == o.lang
            && self.on_order == o.on_order
            && self.on_cancel == o.on_cancel
            && self.on_profile == o.on_profile
            && self.save_error == o.save_error
            && self.clock_skew_ms == o.clock_skew_ms
            && Rc::ptr_eq(&self.refused, &o.refused)
            && self.on_dismiss == o.on_dismiss
            && self.class == o.class
    }
}

/// What a button or field asks for; [`act_on`] turns it into a state [`Action`] with
/// the data the props give (portions left, the last order, the checked order).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Act {
    /// Order for another elder (index in the board).
    Elder(usize),
    /// Show a day's meals.
    Day(Date),
    /// Choose a meal (date, slot).
    Meal(Date, String),
    /// One more portion of a dish.
    Add(String),
    /// One portion less.
    Sub(String),
    /// + pressed at the stepper's limit: say why no more fit.
    Full(String),
    /// How the meal arrives.
    Way(Fulfilment),
    /// The note as typed.
    Note(String),
    /// The tick for unsuitable dishes.
    Tick(bool),
    /// Same as last time.
    Repeat,
    /// Check and emit the order.
    Confirm,
    /// Cancel an order.
    Cancel(SubmissionId),
    /// Show the diet form (after the resident agrees).
    DietOpen,
    /// A need ticked in the diet form.
    DietNeed(Tag, bool),
    /// Allergies as typed.
    DietAllergies(String),
    /// Emit the diet profile.
    DietSave,
    /// The resident has read a refusal (by submission id).
    Dismiss(SubmissionId),
}

impl Act {
    /// The `data-act` / `data-arg` a choice carries, for tests and for styling hooks
    /// (`data-act="meal" data-arg="2026-12-01|lunch"`).
    pub(super) fn hook(&self) -> (&'static str, String) {
        match self {
            Act::Elder(i) => ("elder", i.to_string()),
            Act::Day(d) => ("day", d.to_string()),
            Act::Meal(d, s) => ("meal", format!("{d}|{s}")),
            Act::Way(w) => ("way", w.id().to_owned()),
            _ => ("", String::new()),
        }
    }
}

/// The ordering view of the meals scenario. Emits a checked [`MealOrder`] on confirm;
/// the caller queues it (the shell puts it in the outbox).
///
/// ```no_run
/// use std::rc::Rc;
/// use linli_core::{config::MealsConfig, meals::{Board, MealOrder}, Lang};
/// use linli_widgets::meals::MealOrdering;
/// use yew::prelude::*;
///
/// fn view(board: Rc<Board>, config: Rc<MealsConfig>, now: f64) -> Html {
///     let on_order = Callback::from(|order: MealOrder| { /* queue it */ });
///     html! { <MealOrdering {board} {config} {now} lang={Lang::ZhCn} {on_order} /> }
/// }
/// ```
#[function_component]
pub fn MealOrdering(p: &MealOrderingProps) -> Html {
    let draft = use_reducer(Draft::default);
    let lang = p.lang;
    // An order handed to the host is "saved" once the host holds it; until then the
    // draft stays, and a failure the host reports replaces the "saving" message.
    let stored = draft.awaiting.as_ref().is_some_and(|k| holds(p, k));
    {
        let draft = draft.dispatcher();
        use_effect_with(stored, move |stored| {
            if *stored {
                draft.dispatch(Action::Stored);
            }
        });
    }
    let Some(v) = View::new(p, &draft) else {
        return html! { <p class={classes!("ll-meal__empty", p.class.clone())}>{ lang.t(MealText::MealNoElders) }</p> };
    };
    let send = {
        let (draft, p) = (draft.clone(), p.clone());
        Callback::from(move |act: Act| act_on(&p, &draft, act))
    };
    let now = p.now as i64;
    let offset = p.config.utc_offset_minutes;
    let open = v.chosen.is_some_and(|m| v.open(m, now));
    let priced = match (
        &v.order,
        v.chosen,
        p.config.pricing_tier(&v.elder.elder.tier),
    ) {
        (Some(o), Some(m), Some(t)) if !o.lines.is_empty() => price(o, &m.menu, &t).ok(),
        _ => None,
    };
    let unsuitable = match (&v.order, v.chosen) {
        (Some(o), Some(m)) => !conflicts(o, &m.menu, &v.elder.elder).is_empty(),
        _ => false,
    };
    // A meal that has closed says why, in place of the form.
    let closed = v.chosen.filter(|_| !open).and_then(|m| {
        let closed_at = v.closes_at(m.menu.date, &m.menu.slot)?;
        Some((
            true,
            OrderError::PastCutoff { closed_at }.text(lang, None, offset),
        ))
    });
    let failed =
        v.d.awaiting
            .as_ref()
            .and(p.save_error.as_ref())
            .map(|e| (true, lang.fill(MealText::MealSaveFailed, &[("reason", e)])));
    // The server refused the order just made here: that replaces "saved".
    let refused = v.refused_here().map(|r| {
        (
            true,
            lang.fill(MealText::MealRefused, &[("reason", &r.reason)]),
        )
    });
    let said = v.d.message.as_ref().map(|m| v.message(m));
    let message = failed.or(refused).or(said).or(closed);
    html! {
        <div class={classes!("ll-meal", p.class.clone())}>
            { parts::elders(&v, &send) }
            if v.last.is_some() && open {
                { parts::act_button(&send, Act::Repeat, "repeat", false, "ll-meal__repeat", lang.t(MealText::MealRepeat).into(), false) }
            }
            { parts::meals(&v, &send, now) }
            if let Some(m) = v.chosen {
                <ul class="ll-meal__dishes">
                    for dish in m.menu.dishes.iter() {
                        { parts::dish_card(&v, &send, m, dish, open) }
                    }
                </ul>
            }
            if let Some(price) = priced {
                { parts::summary(&v, price) }
            }
            if let Some((problem, text)) = message {
                { notice_text(problem, "ll-meal__message", text.into()) }
            }
            if open {
                { parts::form(&v, &send, priced, unsuitable) }
            }
            { parts::diet_card(&v, &send) }
            { parts::history(&v, &send, now) }
        </div>
    }
}

/// What an [`Act`] does: the state [`Action`] it dispatches, with what the props and
/// the core rules say, and what it emits to the host.
fn act_on(p: &MealOrderingProps, draft: &UseReducerHandle<Draft>, act: Act) {
    let Some(v) = View::new(p, draft) else { return };
    let action = match act {
        Act::Elder(i) => Action::Elder(i),
        Act::Day(date) => {
            let Some(first) = p.board.menus.iter().find(|m| m.menu.date == date) else {
                return;
            };
            Action::Meal(date, first.menu.slot.clone())
        }
        Act::Meal(date, slot) => Action::Meal(date, slot),
        Act::Add(dish) => {
            let max = v
                .chosen
                .and_then(|m| Some(max_portions(m.menu.dish(&dish)?, &m.ordered)))
                .unwrap_or(0);
            Action::Add { dish, max }
        }
        Act::Sub(dish) => Action::Sub(dish),
        Act::Full(dish) => {
            let Some(m) = v.chosen else { return };
            let Some(d) = m.menu.dish(&dish) else { return };
            let more = v.d.qty(&dish).saturating_add(1);
            match check_portions(d, &m.ordered, more) {
                Err(e) => {
                    Action::Refused(e.text(p.lang, Some(&m.menu), p.config.utc_offset_minutes))
                }
                Ok(()) => return,
            }
        }
        Act::Way(way) => Action::Way(way),
        Act::Note(text) => Action::Note(text),
        Act::Tick(on) => Action::Tick(on),
        Act::DietOpen => Action::DietOpen,
        Act::DietNeed(tag, on) => Action::DietNeed(tag, on),
        Act::DietAllergies(text) => Action::DietAllergies(text),
        Act::Cancel(id) => return p.on_cancel.emit(id),
        Act::Dismiss(id) => return p.on_dismiss.emit(id),
        Act::Repeat => {
            let (Some(last), Some(menu)) = (v.last, v.chosen) else {
                return;
            };
            let (again, dropped) = repeat(last, &menu.menu);
            Action::Repeat {
                lines: again.lines,
                way: again.fulfilment,
                dropped: dropped.iter().map(|id| v.dish_name(id)).collect(),
            }
        }
        Act::Confirm => {
            // The clock read at the tap, as the server counts it: a phone whose clock
            // is wrong is corrected by the host's `clock_skew_ms`.
            let now = p.now.max(js_sys::Date::now() + p.clock_skew_ms) as i64;
            let note = v.d.note.trim().chars().take(MAX_NOTE).collect();
            match v.check(now, note, v.d.confirmed) {
                Ok(order) => {
                    let key = (order.elder.clone(), order.date, order.slot.clone());
                    p.on_order.emit(order);
                    Action::Sent(key)
                }
                Err(reason) => Action::Refused(reason),
            }
        }
        Act::DietSave => {
            let elder = v.elder.elder.id.clone();
            p.on_profile.emit(Profile {
                elder: elder.clone(),
                consent: true,
                needs: v.d.diet_needs.clone(),
                allergies: v.d.allergies(),
            });
            Action::DietSent(elder)
        }
    };
    draft.dispatch(action);
}
