//! The pieces of the ordering view, as `html!`: choices, dish cards, the priced order,
//! the diet card and the history. Every button sends one typed [`Act`] through the
//! component's single callback.

use linli_core::config::format_time;
use linli_core::date::Date;
use linli_core::meals::MealText;
use linli_core::meals::{
    check_cancel, dish_conflicts, max_portions, portions_left, BoardMenu, ConflictReason, Dish,
    Fulfilment, MealOrder, Price, Tag, MAX_NOTE,
};
use linli_core::Lang;
use std::rc::Rc;
use yew::prelude::*;

use super::ordering::Act;
use super::view::View;
use crate::base::{
    button, choice_group, el, notice_text, stepper, value_of, ButtonProps, Choice,
    ChoiceGroupProps, ReadAloud, StepperProps,
};

/// A click that sends `act`. Every button uses this one closure type, which keeps the
/// component's code small in the residents' download.
pub(super) fn on(send: &Callback<Act>, act: Act) -> Callback<MouseEvent> {
    let send = send.clone();
    Callback::from(move |_: MouseEvent| send.emit(act.clone()))
}

/// A button that sends `act`, drawn by the base [`button`]; `hook` is its `data-act`.
pub(super) fn act_button(
    send: &Callback<Act>,
    act: Act,
    hook: &'static str,
    primary: bool,
    class: &'static str,
    label: AttrValue,
    disabled: bool,
) -> Html {
    button(&ButtonProps {
        children: html! { label },
        primary,
        disabled,
        onclick: on(send, act),
        hook: Some(hook.into()),
        class: Classes::from(class),
    })
}

/// One choice among a few (whom, which day, which meal, how it arrives), drawn by the
/// base [`choice_group`]: radio semantics and arrow keys. Each option is the [`Act`]
/// it sends, kept by index, so nothing is parsed back from text.
fn choose(
    send: &Callback<Act>,
    legend: MealText,
    lang: Lang,
    one_row: bool,
    options: Vec<(Act, String, Option<String>)>,
    chosen: Option<usize>,
) -> Html {
    let hook = options
        .first()
        .map(|(act, ..)| AttrValue::from(act.hook().0));
    let mut acts = Vec::with_capacity(options.len());
    let mut shown = Vec::with_capacity(options.len());
    for (act, label, hint) in options {
        shown.push(Choice {
            arg: act.hook().1.into(),
            label: label.into(),
            hint: hint.map(AttrValue::from),
            lang: None,
        });
        acts.push(act);
    }
    let send = send.clone();
    choice_group(&ChoiceGroupProps {
        legend: lang.t(legend).into(),
        options: Rc::new(shown),
        selected: chosen,
        // Choosing what is already chosen (a tap, an arrow on a lone option) would start
        // the draft afresh: nothing to do.
        on_select: Callback::from(move |i: usize| {
            if let Some(act) = acts.get(i).filter(|_| Some(i) != chosen) {
                send.emit(act.clone());
            }
        }),
        one_row,
        hook,
        class: Classes::new(),
    })
}

/// Who is ordered for: a line for one elder, a choice for several.
pub(super) fn elders(v: &View<'_>, send: &Callback<Act>) -> Html {
    let lang = v.lang();
    let elders = &v.p.board.elders;
    // "（代订）" marks an elder this household orders for as a helper.
    let mark = |e: &linli_core::meals::BoardElder| {
        if e.own {
            String::new()
        } else {
            format!("（{}）", lang.t(MealText::MealProxyMark))
        }
    };
    let name = |e: &linli_core::meals::BoardElder| format!("{}{}", e.name, mark(e));
    if elders.len() == 1 {
        let line = lang.fill(MealText::MealForName, &[("name", &v.elder.name)]) + &mark(v.elder);
        return el("p", "ll-meal__for", line.into());
    }
    choose(
        send,
        MealText::MealFor,
        lang,
        false,
        (0..elders.len())
            .map(|i| (Act::Elder(i), name(&elders[i]), None))
            .collect(),
        elders.iter().position(|e| std::ptr::eq(e, v.elder)),
    )
}

/// Day and meal choices.
pub(super) fn meals(v: &View<'_>, send: &Callback<Act>, now: i64) -> Html {
    let lang = v.lang();
    let Some(chosen) = v.chosen else {
        return el("p", "ll-meal__empty", lang.t(MealText::MealNoMenu).into());
    };
    // A meal chosen before midnight on a page left open: that day is over.
    if v.today.is_some_and(|t| chosen.menu.date < t) {
        return el(
            "p",
            "ll-meal__empty",
            lang.t(MealText::MealDayPassed).into(),
        );
    }
    let mut dates: Vec<Date> = v.upcoming.iter().map(|m| m.menu.date).collect();
    dates.dedup();
    let days = dates
        .iter()
        .map(|&date| (Act::Day(date), v.day(date), None))
        .collect();
    let day = dates.iter().position(|&d| d == chosen.menu.date);
    let meals: Vec<&BoardMenu> = v
        .upcoming
        .iter()
        .copied()
        .filter(|m| m.menu.date == chosen.menu.date)
        .collect();
    let slots = meals
        .iter()
        .map(|m| {
            let state = match v.p.config.slot(&m.menu.slot) {
                Some(s) if v.open(m, now) => lang.fill(
                    MealText::MealCutoff,
                    &[("time", &format_time(s.slot.cutoff.minute_of_day))],
                ),
                _ => lang.t(MealText::MealClosed).to_owned(),
            };
            let act = Act::Meal(m.menu.date, m.menu.slot.clone());
            (act, v.slot_name(&m.menu.slot), Some(state))
        })
        .collect();
    let slot = meals.iter().position(|m| std::ptr::eq(*m, chosen));
    html! {
        <>
            { choose(send, MealText::MealDay, lang, true, days, day) }
            { choose(send, MealText::MealSlot, lang, true, slots, slot) }
        </>
    }
}

/// A dish: name, price, tags, allergens, portions left, why it does not suit the elder,
/// and its stepper.
pub(super) fn dish_card(
    v: &View<'_>,
    send: &Callback<Act>,
    m: &BoardMenu,
    dish: &Dish,
    open: bool,
) -> Html {
    let lang = v.lang();
    let qty = v.d.qty(&dish.id);
    let left = portions_left(dish, &m.ordered);
    let max = max_portions(dish, &m.ordered);
    let reasons: Vec<String> = dish_conflicts(dish, &v.elder.elder)
        .into_iter()
        .map(|reason| match reason {
            ConflictReason::Allergen(a) => lang.fill(MealText::MealAllergic, &[("allergen", &a)]),
            ConflictReason::Lacks(t) => {
                lang.fill(MealText::MealLacks, &[("tag", lang.t(t.text()))])
            }
        })
        .collect();
    let mut facts = vec![v.money(dish.price)];
    facts.extend(dish.tags.iter().map(|t| lang.t(t.text()).to_owned()));
    if !dish.allergens.is_empty() {
        facts.push(lang.fill(
            MealText::MealContains,
            &[("allergens", &dish.allergens.join("、"))],
        ));
    }
    if let Some(left) = left {
        facts.push(match left {
            0 => lang.t(MealText::MealSoldOut).to_owned(),
            n => lang.fill(MealText::MealLeft, &[("left", &n.to_string())]),
        });
    }
    let name = |label: MealText| AttrValue::from(lang.fill(label, &[("dish", &dish.name)]));
    let (id, sent) = (dish.id.clone(), send.clone());
    let steps = stepper(&StepperProps {
        value: qty,
        min: 0,
        max,
        step: 1,
        on_change: send.reform({
            let id = id.clone();
            move |n| {
                if n > qty {
                    Act::Add(id.clone())
                } else {
                    Act::Sub(id.clone())
                }
            }
        }),
        on_over_limit: Callback::from(move |_| sent.emit(Act::Full(id.clone()))),
        more_label: name(MealText::MealMore),
        less_label: name(MealText::MealLess),
        disabled: !open,
        class: Classes::new(),
    });
    html! {
        <li class={classes!("ll-meal__dish", (!reasons.is_empty()).then_some("ll-meal__dish--unsuitable"))} data-dish={dish.id.clone()}>
            <div>
                { el("h3", "ll-meal__dish-name", dish.name.clone().into()) }
                { el("p", "ll-meal__facts", facts.join(" · ").into()) }
                if !reasons.is_empty() {
                    { el("p", "ll-meal__unsuitable", format!("⚠ {}", lang.fill(MealText::MealUnsuitable, &[("reasons", &reasons.join("，"))])).into()) }
                }
            </div>
            { steps }
        </li>
    }
}

/// The priced order, with a button that reads it aloud.
pub(super) fn summary(v: &View<'_>, price: Price) -> Html {
    let lang = v.lang();
    let yuan = linli_core::meals::yuan;
    let lines: Vec<String> =
        v.d.lines
            .iter()
            .map(|l| {
                lang.fill(
                    MealText::MealSpeechLine,
                    &[("dish", &v.dish_name(&l.dish)), ("qty", &l.qty.to_string())],
                )
            })
            .collect();
    let spoken = lang.fill(
        MealText::MealSpeech,
        &[
            ("elder", &v.elder.name),
            (
                "date",
                &v.chosen.map(|m| v.day(m.menu.date)).unwrap_or_default(),
            ),
            (
                "slot",
                &v.chosen
                    .map(|m| v.slot_name(&m.menu.slot))
                    .unwrap_or_default(),
            ),
            ("dishes", &lines.join("，")),
            ("list", &yuan(price.list)),
            ("subsidy", &yuan(price.subsidy)),
            ("pay", &yuan(price.pay)),
        ],
    );
    html! {
        <section class="ll-meal__summary" aria-label={lang.t(MealText::MealSummary)}>
            <ul>{ for lines.into_iter().map(|l| el("li", "", l.into())) }</ul>
            <dl class="ll-meal__money">
                { el("dt", "", lang.t(MealText::MealList).into()) }{ el("dd", "", v.money(price.list).into()) }
                { el("dt", "", lang.t(MealText::MealSubsidy).into()) }{ el("dd", "", format!("−{}", v.money(price.subsidy)).into()) }
                { el("dt", "ll-meal__pay", lang.t(MealText::MealPay).into()) }
                <dd class="ll-meal__pay" data-testid="meal-pay">{ v.money(price.pay) }</dd>
            </dl>
            <ReadAloud text={spoken} {lang} />
        </section>
    }
}

/// How it arrives, a note, the tick for unsuitable dishes and the confirm button. The
/// note and the tick are the draft's: typing sends them to the state.
pub(super) fn form(
    v: &View<'_>,
    send: &Callback<Act>,
    price: Option<Price>,
    unsuitable: bool,
) -> Html {
    let lang = v.lang();
    let way = v.d.way.unwrap_or(v.elder.elder.fulfilment);
    let label = match price {
        Some(p) => lang.fill(
            MealText::MealConfirm,
            &[("pay", &linli_core::meals::yuan(p.pay))],
        ),
        None => lang.t(MealText::MealNothing).to_owned(),
    };
    let note = send.reform(|e: InputEvent| Act::Note(value_of(&e)));
    let tick = send.reform(|e: Event| Act::Tick(checked_of(&e)));
    html! {
        <div class="ll-meal__form">
            { choose(send, MealText::MealWay, lang, false,
                Fulfilment::ALL.iter().map(|&f| (Act::Way(f), lang.t(f.text()).to_owned(), None)).collect(),
                Fulfilment::ALL.iter().position(|&f| f == way)) }
            <label class="ll-meal__note">
                { el("span", "", lang.t(MealText::MealNote).into()) }
                <textarea rows="2" maxlength={MAX_NOTE.to_string()} value={v.d.note.clone()} oninput={note} />
            </label>
            if unsuitable {
                <label class="ll-meal__confirm-conflicts">
                    <input type="checkbox" checked={v.d.confirmed} onchange={tick} />
                    { el("span", "", lang.t(MealText::MealConfirmConflicts).into()) }
                </label>
            }
            { act_button(send, Act::Confirm, "confirm", true, "ll-meal__confirm", label.into(), v.d.lines.is_empty()) }
        </div>
    }
}

/// Whether the checkbox an event came from is ticked.
fn checked_of(e: &impl AsRef<web_sys::Event>) -> bool {
    use wasm_bindgen::JsCast;
    e.as_ref()
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// What is kept of the elder's diet, or the request for the separate consent.
pub(super) fn diet_card(v: &View<'_>, send: &Callback<Act>) -> Html {
    let lang = v.lang();
    let elder = &v.elder.elder;
    // The separate consent is the elder's own: a helper is never asked for it.
    if !v.elder.own {
        return Html::default();
    }
    if v.elder.consent {
        let needs: Vec<&str> = elder.needs.iter().map(|t| lang.t(t.text())).collect();
        let kept = [needs.join("、"), elder.allergies.join("、")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("；");
        let kept = if kept.is_empty() {
            lang.t(MealText::MealDietNone).to_owned()
        } else {
            kept
        };
        return el(
            "p",
            "ll-meal__diet-now",
            lang.fill(MealText::MealDietNow, &[("summary", &kept)])
                .into(),
        );
    }
    html! {
        <section class="ll-meal__diet" aria-label={lang.t(MealText::MealDietTitle)}>
            { el("h2", "", lang.t(MealText::MealDietTitle).into()) }
            { el("p", "", lang.t(MealText::MealDietWhy).into()) }
            if v.d.diet_sent.contains(&elder.id) {
                { notice_text(false, "", lang.t(MealText::MealDietSent).into()) }
            } else if v.d.diet_open {
                <div class="ll-meal__choice" role="group" aria-label={lang.t(MealText::MealDietNeeds)}>
                    for t in Tag::ALL {
                        <label class="ll-pill"><input type="checkbox" value={t.id()} checked={v.d.diet_needs.contains(&t)}
                            onchange={send.reform(move |e: Event| Act::DietNeed(t, checked_of(&e)))} />{ lang.t(t.text()) }</label>
                    }
                </div>
                <label class="ll-meal__note">
                    { el("span", "", lang.t(MealText::MealDietAllergies).into()) }
                    <input name="allergies" maxlength="100" value={v.d.diet_allergies.clone()}
                        oninput={send.reform(|e: InputEvent| Act::DietAllergies(value_of(&e)))} />
                </label>
                { act_button(send, Act::DietSave, "diet-save", true, "", lang.t(MealText::MealDietSave).into(), false) }
            } else {
                { act_button(send, Act::DietOpen, "diet", false, "", lang.t(MealText::MealDietAgree).into(), false) }
            }
        </section>
    }
}

/// One line of the history: the order, its status, what it costs, a button (cancel
/// or dismiss), why it was refused.
type Row<'a> = (
    &'a MealOrder,
    &'a str,
    Option<u32>,
    Option<Act>,
    Option<&'a str>,
);

/// The elder's orders by meal date, latest first: waiting to be sent, refused by the
/// server (with why, until dismissed) and the board's, with cancel before the cut-off.
pub(super) fn history<'a>(v: &View<'a>, send: &Callback<Act>, now: i64) -> Html {
    let lang = v.lang();
    let p = v.p;
    let elder = &v.elder.elder.id;
    let offset = p.config.utc_offset_minutes;
    // Latest meal first; within a day, in the config's slot order. Kept sorted as rows
    // go in: the slice sort costs kilobytes of WASM for lists this short.
    let rank = |o: &MealOrder| {
        let slot = p.config.slots.iter().position(|s| s.slot.id == o.slot);
        (-o.date.unix_days(), slot.unwrap_or(usize::MAX))
    };
    let mut rows: Vec<Row<'_>> = Vec::new();
    let mut push = |row: Row<'a>| {
        let at = rows
            .iter()
            .position(|r| rank(r.0) > rank(row.0))
            .unwrap_or(rows.len());
        rows.insert(at, row);
    };
    for o in p.pending.iter().filter(|o| o.elder == *elder) {
        push((o, lang.t(MealText::MealWaiting), None, None, None));
    }
    for r in p.refused.iter().filter(|r| r.order.elder == *elder) {
        let dismiss = Some(Act::Dismiss(r.id.clone()));
        push((
            &r.order,
            lang.t(MealText::MealRefusedStatus),
            None,
            dismiss,
            Some(&r.reason),
        ));
    }
    for o in v.history() {
        let cancelling = p.cancelling.contains(&o.id);
        let cancellable = !cancelling
            && p.config.slot(&o.order.slot).is_some_and(|s| {
                check_cancel(o.status, now, o.order.date, &s.slot, offset).is_ok()
            });
        let status = lang.t(if cancelling {
            MealText::MealCancelling
        } else {
            o.status.text()
        });
        let cancel = cancellable.then(|| Act::Cancel(o.id.clone()));
        push((&o.order, status, Some(o.price.pay), cancel, None));
    }
    html! {
        <section class="ll-meal__history" aria-label={lang.t(MealText::MealHistory)}>
            { el("h2", "", lang.t(MealText::MealHistory).into()) }
            <ul class="ll-meal__orders">
                if rows.is_empty() {
                    { el("li", "ll-muted", lang.t(MealText::MealNoHistory).into()) }
                }
                for (o, status, pay, act, why) in rows {
                    {{
                        let dishes: Vec<String> = o
                            .lines
                            .iter()
                            .map(|l| format!("{}×{}", v.dish_name(&l.dish), l.qty))
                            .collect();
                        let label = match &act {
                            Some(Act::Dismiss(_)) => MealText::MealDismiss,
                            _ => MealText::MealCancel,
                        };
                        let (hook, class) = match &act {
                            Some(Act::Dismiss(_)) => ("dismiss", "ll-meal__order ll-meal__order--refused"),
                            _ => ("cancel", "ll-meal__order"),
                        };
                        html! {
                            <li {class}>
                                { el("b", "", format!("{} {}", v.day(o.date), v.slot_name(&o.slot)).into()) }
                                { el("span", "", dishes.join("，").into()) }
                                { el("b", "ll-meal__status", status.into()) }
                                if let Some(why) = why {
                                    { el("span", "ll-meal__why", why.to_owned().into()) }
                                }
                                if let Some(pay) = pay {
                                    { el("span", "", format!("{} {}", lang.t(MealText::MealPay), v.money(pay)).into()) }
                                }
                                if let Some(act) = act {
                                    { act_button(send, act, hook, false, "", lang.t(label).into(), false) }
                                }
                            </li>
                        }
                    }}
                }
            </ul>
        </section>
    }
}
