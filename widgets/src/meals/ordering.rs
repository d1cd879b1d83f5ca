//! The ordering view: elder, day and meal, dish cards with steppers, the priced order
//! with one big confirm button, same-as-last-time, history with cancel, and the
//! separately consented diet card. Every decision is a `linli_core::meals` rule
//! (see `view.rs`); the markup is in `parts.rs`.

use std::rc::Rc;

use linli_core::config::MealsConfig;
use linli_core::date::Date;
use linli_core::meals::{
    conflicts, price, repeat, Board, Fulfilment, Line, MealOrder, OrderError, Profile, Tag,
    MAX_NOTE,
};
use linli_core::sync::wire::SubmissionId;
use linli_core::{Lang, Text};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::parts;
use super::view::{holds, Draft, View};

/// Props of [`MealOrdering`].
#[derive(Properties, Clone)]
pub struct MealOrderingProps {
    /// What the household may see: elders, menus with portions taken, orders.
    pub board: Rc<Board>,
    /// The deployment's meal slots, tiers and time zone.
    pub config: Rc<MealsConfig>,
    /// Now, ms since the epoch, for drawing open and closed meals; confirming checks
    /// again against the later of this and the browser's clock.
    pub now: f64,
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
    }
}

/// What a button asks for.
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
    /// How the meal arrives.
    Way(Fulfilment),
    /// Same as last time.
    Repeat,
    /// Check and emit the order.
    Confirm,
    /// Cancel an order.
    Cancel(SubmissionId),
    /// Show the diet form (after the resident agrees).
    DietOpen,
    /// Emit the diet profile.
    DietSave,
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
    let draft = use_state(Draft::default);
    let root = use_node_ref();
    let note = use_node_ref();
    let tick = use_node_ref();
    let lang = p.lang;
    // An order handed to the host is "saved" once the host holds it; until then the
    // draft stays, and a failure the host reports replaces the "saving" message.
    let stored = draft.awaiting.as_ref().is_some_and(|k| holds(p, k));
    {
        let draft = draft.clone();
        use_effect_with(stored, move |stored| {
            if *stored {
                let mut d = (*draft).clone();
                d.reset();
                d.message = Some((false, lang.t(Text::MealSaved).to_owned()));
                draft.set(d);
            }
        });
    }
    let Some(v) = View::new(p, &draft) else {
        return html! { <p class="ll-meal__empty">{ lang.t(Text::MealNoElders) }</p> };
    };
    let send = {
        let (draft, p) = (draft.clone(), p.clone());
        let refs = (root.clone(), note.clone(), tick.clone());
        Callback::from(move |act: Act| {
            let mut d = (*draft).clone();
            act_on(&p, &mut d, &refs, act);
            draft.set(d);
        })
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
            .map(|e| (true, lang.fill(Text::MealSaveFailed, &[("reason", e)])));
    let message = failed.as_ref().or(v.d.message.as_ref()).or(closed.as_ref());
    html! {
        <div class="ll-meal" ref={root}>
            { parts::elders(&v, &send) }
            if v.last.is_some() && open {
                <button type="button" class="ll-button ll-meal__repeat" data-act="repeat"
                    onclick={parts::on(&send, Act::Repeat)}>{ lang.t(Text::MealRepeat) }</button>
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
                <p class={classes!("ll-meal__message", problem.then_some("ll-meal__message--problem"))}
                    role={if *problem { "alert" } else { "status" }}>{ text }</p>
            }
            if open {
                { parts::form(&v, &send, priced, unsuitable, (&note, &tick)) }
            }
            { parts::diet_card(&v, &send) }
            { parts::history(&v, &send, now) }
        </div>
    }
}

/// What an [`Act`] does to the draft, and what it emits.
fn act_on(p: &MealOrderingProps, d: &mut Draft, refs: &(NodeRef, NodeRef, NodeRef), act: Act) {
    let lang = p.lang;
    match act {
        Act::Elder(i) => {
            d.elder = i;
            d.meal = None;
            d.reset();
        }
        Act::Day(date) => {
            let first = p.board.menus.iter().find(|m| m.menu.date == date);
            d.meal = first.map(|m| (date, m.menu.slot.clone()));
            d.reset();
        }
        Act::Meal(date, slot) => {
            d.meal = Some((date, slot));
            d.reset();
        }
        Act::Add(dish) => {
            match d.lines.iter_mut().find(|l| l.dish == dish) {
                Some(l) => l.qty += 1,
                None => d.lines.push(Line { dish, qty: 1 }),
            }
            d.message = None;
        }
        Act::Sub(dish) => {
            if let Some(l) = d.lines.iter_mut().find(|l| l.dish == dish) {
                l.qty = l.qty.saturating_sub(1);
            }
            d.lines.retain(|l| l.qty > 0);
            d.message = None;
        }
        Act::Way(way) => d.way = Some(way),
        Act::DietOpen => d.diet_open = true,
        Act::Cancel(id) => p.on_cancel.emit(id),
        Act::Repeat => {
            let Some(v) = View::new(p, d) else { return };
            let (Some(last), Some(menu)) = (v.last, v.chosen) else {
                return;
            };
            let (again, dropped) = repeat(last, &menu.menu);
            let text = if dropped.is_empty() {
                lang.t(Text::MealRepeatDone).to_owned()
            } else {
                let names: Vec<String> = dropped.iter().map(|id| v.dish_name(id)).collect();
                lang.fill(Text::MealRepeatDropped, &[("dishes", &names.join("、"))])
            };
            d.lines = again.lines;
            d.way = Some(again.fulfilment);
            d.message = Some((false, text));
        }
        Act::Confirm => {
            let note = refs
                .1
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value().trim().chars().take(MAX_NOTE).collect())
                .unwrap_or_default();
            let confirmed = refs
                .2
                .cast::<HtmlInputElement>()
                .is_some_and(|i| i.checked());
            let now = p.now.max(js_sys::Date::now()) as i64;
            let Some(v) = View::new(p, d) else { return };
            match v.check(now, note, confirmed) {
                Ok(order) => {
                    d.awaiting = Some((order.elder.clone(), order.date, order.slot.clone()));
                    d.message = Some((false, lang.t(Text::MealSaving).to_owned()));
                    p.on_order.emit(order);
                }
                Err(reason) => d.message = Some((true, reason)),
            }
        }
        Act::DietSave => {
            let Some(root) = refs.0.cast::<Element>() else {
                return;
            };
            let input = |selector: &str| {
                root.query_selector(selector)
                    .ok()
                    .flatten()
                    .map(|e| e.unchecked_into::<HtmlInputElement>())
            };
            let needs = Tag::ALL
                .into_iter()
                .filter(|t| {
                    input(&format!(".ll-meal__diet input[value={}]", t.id()))
                        .is_some_and(|i| i.checked())
                })
                .collect();
            let allergies = input(".ll-meal__diet input[name=allergies]")
                .map(|i| i.value())
                .unwrap_or_default()
                .split(['、', ',', '，', ' '])
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            let Some(elder) = View::new(p, d).map(|v| v.elder.elder.id.clone()) else {
                return;
            };
            p.on_profile.emit(Profile {
                elder: elder.clone(),
                consent: true,
                needs,
                allergies,
            });
            d.diet_open = false;
            d.diet_sent.push(elder);
        }
    }
}
