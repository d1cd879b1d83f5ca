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
use yew::prelude::*;

use super::ordering::Act;
use super::view::View;
use crate::base::ReadAloud;

/// A click that sends `act`. Every button uses this one closure type, which keeps the
/// component's code small in the residents' download.
pub(super) fn on(send: &Callback<Act>, act: Act) -> Callback<MouseEvent> {
    let send = send.clone();
    Callback::from(move |_: MouseEvent| send.emit(act.clone()))
}

/// A toggle button: pressed is outlined and written (✓ in CSS), never colour alone.
fn pill(send: &Callback<Act>, act: Act, pressed: bool, label: Html) -> Html {
    let (hook, arg) = act.hook();
    html! {
        <button type="button" class="ll-pill" aria-pressed={if pressed { "true" } else { "false" }}
            data-act={hook} data-arg={arg} onclick={on(send, act)}>{ label }</button>
    }
}

/// A labelled group of pills, on as many rows as they need.
fn choice(legend: MealText, lang: Lang, pills: Html) -> Html {
    choice_in("ll-meal__choice", legend, lang, pills)
}

/// A labelled group of pills that share one row (days, meals): they shrink to fit
/// rather than wrap, so the choice reads as one line in 长辈版 too.
fn choice_row(legend: MealText, lang: Lang, pills: Html) -> Html {
    let pills = html! { <div class="ll-meal__pills">{ pills }</div> };
    choice_in("ll-meal__choice", legend, lang, pills)
}

fn choice_in(class: &'static str, legend: MealText, lang: Lang, pills: Html) -> Html {
    html! {
        <div {class} role="group" aria-label={lang.t(legend)}>
            <span class="ll-meal__legend" aria-hidden="true">{ lang.t(legend) }</span>
            { pills }
        </div>
    }
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
        return html! { <p class="ll-meal__for">{ line }</p> };
    }
    choice(
        MealText::MealFor,
        lang,
        html! {
            for (i, e) in elders.iter().enumerate() {
                { pill(send, Act::Elder(i), std::ptr::eq(e, v.elder), html! { name(e) }) }
            }
        },
    )
}

/// Day and meal choices.
pub(super) fn meals(v: &View<'_>, send: &Callback<Act>, now: i64) -> Html {
    let lang = v.lang();
    let Some(chosen) = v.chosen else {
        return html! { <p class="ll-meal__empty">{ lang.t(MealText::MealNoMenu) }</p> };
    };
    // A meal chosen before midnight on a page left open: that day is over.
    if v.today.is_some_and(|t| chosen.menu.date < t) {
        return html! { <p class="ll-meal__empty">{ lang.t(MealText::MealDayPassed) }</p> };
    }
    let mut dates: Vec<Date> = v.upcoming.iter().map(|m| m.menu.date).collect();
    dates.dedup();
    let days = html! {
        for date in dates {
            { pill(send, Act::Day(date), chosen.menu.date == date, html! { v.day(date) }) }
        }
    };
    let slots = html! {
        for m in v.upcoming.iter().filter(|m| m.menu.date == chosen.menu.date) {
            {{
                let state = match v.p.config.slot(&m.menu.slot) {
                    Some(s) if v.open(m, now) => lang.fill(MealText::MealCutoff, &[("time", &format_time(s.slot.cutoff.minute_of_day))]),
                    _ => lang.t(MealText::MealClosed).to_owned(),
                };
                let act = Act::Meal(m.menu.date, m.menu.slot.clone());
                pill(send, act, std::ptr::eq(*m, chosen), html! {
                    <>{ v.slot_name(&m.menu.slot) }<small>{ state }</small></>
                })
            }}
        }
    };
    html! {
        <>
            { choice_row(MealText::MealDay, lang, days) }
            { choice_row(MealText::MealSlot, lang, slots) }
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
    let step = |act: Act, label: MealText, sign: &'static str, disabled: bool| {
        html! {
            <button type="button" class="ll-stepper__step" aria-label={lang.fill(label, &[("dish", &dish.name)])}
                data-act={if matches!(act, Act::Add(_)) { "add" } else { "sub" }}
                {disabled} onclick={on(send, act)}>{ sign }</button>
        }
    };
    html! {
        <li class={classes!("ll-meal__dish", (!reasons.is_empty()).then_some("ll-meal__dish--unsuitable"))} data-dish={dish.id.clone()}>
            <div>
                <h3 class="ll-meal__dish-name">{ &dish.name }</h3>
                <p class="ll-meal__facts">{ facts.join(" · ") }</p>
                if !reasons.is_empty() {
                    <p class="ll-meal__unsuitable">{ "⚠ " }{ lang.fill(MealText::MealUnsuitable, &[("reasons", &reasons.join("，"))]) }</p>
                }
            </div>
            <div class="ll-stepper">
                { step(Act::Sub(dish.id.clone()), MealText::MealLess, "−", !open || qty == 0) }
                <output class="ll-stepper__value" aria-live="polite">{ qty }</output>
                { step(Act::Add(dish.id.clone()), MealText::MealMore, "+", !open || qty >= max) }
            </div>
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
            <ul>{ for lines.into_iter().map(|l| html! { <li>{ l }</li> }) }</ul>
            <dl class="ll-meal__money">
                <dt>{ lang.t(MealText::MealList) }</dt><dd>{ v.money(price.list) }</dd>
                <dt>{ lang.t(MealText::MealSubsidy) }</dt><dd>{ "−" }{ v.money(price.subsidy) }</dd>
                <dt class="ll-meal__pay">{ lang.t(MealText::MealPay) }</dt>
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
            { choice(MealText::MealWay, lang, html! {
                for f in Fulfilment::ALL {
                    { pill(send, Act::Way(f), way == f, html! { lang.t(f.text()) }) }
                }
            }) }
            <label class="ll-meal__note">
                <span>{ lang.t(MealText::MealNote) }</span>
                <textarea rows="2" maxlength={MAX_NOTE.to_string()} value={v.d.note.clone()} oninput={note} />
            </label>
            if unsuitable {
                <label class="ll-meal__confirm-conflicts">
                    <input type="checkbox" checked={v.d.confirmed} onchange={tick} />
                    <span>{ lang.t(MealText::MealConfirmConflicts) }</span>
                </label>
            }
            <button type="button" class="ll-button ll-button--primary ll-meal__confirm" data-act="confirm"
                disabled={v.d.lines.is_empty()} onclick={on(send, Act::Confirm)}>{ label }</button>
        </div>
    }
}

/// The value of the input or textarea an event came from.
fn value_of(e: &impl AsRef<web_sys::Event>) -> String {
    use wasm_bindgen::JsCast;
    let Some(t) = e.as_ref().target() else {
        return String::new();
    };
    match t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        Some(area) => area.value(),
        None => t
            .dyn_ref::<web_sys::HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default(),
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
        return html! { <p class="ll-meal__diet-now">{ lang.fill(MealText::MealDietNow, &[("summary", &kept)]) }</p> };
    }
    html! {
        <section class="ll-meal__diet" aria-label={lang.t(MealText::MealDietTitle)}>
            <h2>{ lang.t(MealText::MealDietTitle) }</h2>
            <p>{ lang.t(MealText::MealDietWhy) }</p>
            if v.d.diet_sent.contains(&elder.id) {
                <p role="status">{ lang.t(MealText::MealDietSent) }</p>
            } else if v.d.diet_open {
                <div class="ll-meal__choice" role="group" aria-label={lang.t(MealText::MealDietNeeds)}>
                    for t in Tag::ALL {
                        <label class="ll-pill"><input type="checkbox" value={t.id()} checked={v.d.diet_needs.contains(&t)}
                            onchange={send.reform(move |e: Event| Act::DietNeed(t, checked_of(&e)))} />{ lang.t(t.text()) }</label>
                    }
                </div>
                <label class="ll-meal__note">
                    <span>{ lang.t(MealText::MealDietAllergies) }</span>
                    <input name="allergies" maxlength="100" value={v.d.diet_allergies.clone()}
                        oninput={send.reform(|e: InputEvent| Act::DietAllergies(value_of(&e)))} />
                </label>
                <button type="button" class="ll-button ll-button--primary" data-act="diet-save"
                    onclick={on(send, Act::DietSave)}>{ lang.t(MealText::MealDietSave) }</button>
            } else {
                <button type="button" class="ll-button" data-act="diet" onclick={on(send, Act::DietOpen)}>
                    { lang.t(MealText::MealDietAgree) }
                </button>
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
            <h2>{ lang.t(MealText::MealHistory) }</h2>
            <ul class="ll-meal__orders">
                if rows.is_empty() {
                    <li class="ll-muted">{ lang.t(MealText::MealNoHistory) }</li>
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
                                <b>{ v.day(o.date) }{ " " }{ v.slot_name(&o.slot) }</b>
                                <span>{ dishes.join("，") }</span>
                                <b class="ll-meal__status">{ status }</b>
                                if let Some(why) = why {
                                    <span class="ll-meal__why">{ why }</span>
                                }
                                if let Some(pay) = pay {
                                    <span>{ lang.t(MealText::MealPay) }{ " " }{ v.money(pay) }</span>
                                }
                                if let Some(act) = act {
                                    <button type="button" class="ll-button" data-act={hook} onclick={on(send, act)}>
                                        { lang.t(label) }
                                    </button>
                                }
                            </li>
                        }
                    }}
                }
            </ul>
        </section>
    }
}
