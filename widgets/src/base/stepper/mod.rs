//! A number stepper: − value +, within `min..=max` by `step`. At `max` the + button
//! stays focusable but says it is at the limit (`aria-disabled`) and a press emits
//! `on_over_limit` instead of a change, so the host can say why (最多 20 份), which
//! a silently disabled button never does. Styles: `stepper.css`.

use yew::prelude::*;

/// Props of [`Stepper`].
#[derive(Properties, PartialEq, Clone)]
pub struct StepperProps {
    /// The value shown.
    pub value: u32,
    /// The least value (the − button is disabled there).
    #[prop_or(0)]
    pub min: u32,
    /// The most value (a + press there emits `on_over_limit`).
    pub max: u32,
    /// How much one press changes the value.
    #[prop_or(1)]
    pub step: u32,
    /// The new value, after a press within the limits.
    pub on_change: Callback<u32>,
    /// A + press at `max`: the limit it met.
    #[prop_or_default]
    pub on_over_limit: Callback<u32>,
    /// Accessible name of the + button ("多订一份南瓜小米粥").
    pub more_label: AttrValue,
    /// Accessible name of the − button.
    pub less_label: AttrValue,
    /// Both buttons off (a meal that closed).
    #[prop_or_default]
    pub disabled: bool,
    /// Extra classes on the root.
    #[prop_or_default]
    pub class: Classes,
}

/// − value +, see the module docs. `data-act="add"` / `"sub"` on the buttons,
/// `data-state="at-max"` on the root at the limit.
#[function_component]
pub fn Stepper(p: &StepperProps) -> Html {
    stepper(p)
}

/// The same markup as [`Stepper`], as a plain function (it has no state): what a
/// widget drawing a stepper per dish calls, sparing a component's machinery.
pub fn stepper(p: &StepperProps) -> Html {
    let at_max = p.value >= p.max;
    let less = {
        let (on_change, value, step, min) = (p.on_change.clone(), p.value, p.step, p.min);
        Callback::from(move |_: MouseEvent| on_change.emit(value.saturating_sub(step).max(min)))
    };
    let more = {
        let (on_change, over) = (p.on_change.clone(), p.on_over_limit.clone());
        let (value, step, max) = (p.value, p.step, p.max);
        Callback::from(move |_: MouseEvent| {
            if value >= max {
                over.emit(max);
            } else {
                on_change.emit(value.saturating_add(step).min(max));
            }
        })
    };
    html! {
        <div class={classes!("ll-stepper", p.class.clone())} data-state={if at_max { "at-max" } else { "" }}>
            <button type="button" class="ll-stepper__step" data-act="sub" aria-label={p.less_label.clone()}
                disabled={p.disabled || p.value <= p.min} onclick={less}>{ "−" }</button>
            <output class="ll-stepper__value" aria-live="polite">{ p.value }</output>
            <button type="button" class="ll-stepper__step" data-act="add" aria-label={p.more_label.clone()}
                disabled={p.disabled} aria-disabled={if at_max { "true" } else { "false" }} onclick={more}>{ "+" }</button>
        </div>
    }
}
