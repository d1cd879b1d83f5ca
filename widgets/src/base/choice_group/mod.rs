//! One choice among a few, as a radio group (WAI-ARIA APG "Radio Group"): buttons
//! with `role="radio"`, `aria-checked` and `data-state`, the chosen one written with a
//! ✓ as well as outlined (never colour alone), and the arrow keys moving the choice
//! (roving `tabindex`: Tab enters the group once). Styles: `choice_group.css`.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// One option of a [`ChoiceGroup`].
#[derive(Clone, PartialEq)]
pub struct Choice {
    /// What `on_select` gives back, and `data-arg`.
    pub value: AttrValue,
    /// What it says.
    pub label: AttrValue,
    /// A second, smaller line (a meal's cut-off).
    pub hint: Option<AttrValue>,
}

/// Props of [`ChoiceGroup`].
#[derive(Properties, PartialEq, Clone)]
pub struct ChoiceGroupProps {
    /// The group's name, shown above it and read by screen readers.
    pub legend: AttrValue,
    /// The options, in order.
    pub options: Rc<Vec<Choice>>,
    /// The chosen option's value.
    #[prop_or_default]
    pub selected: Option<AttrValue>,
    /// An option was chosen (by tap or arrow key).
    pub on_select: Callback<AttrValue>,
    /// Keep the options on one row, sharing it, rather than wrapping.
    #[prop_or_default]
    pub one_row: bool,
    /// `data-act` on every option, a hook for tests and styles (`day`).
    #[prop_or_default]
    pub hook: Option<AttrValue>,
    /// Extra classes on the root.
    #[prop_or_default]
    pub class: Classes,
}

/// See the module docs.
#[function_component]
pub fn ChoiceGroup(p: &ChoiceGroupProps) -> Html {
    choice_group(p)
}

/// The same markup as [`ChoiceGroup`], as a plain function: it has no state, so a
/// widget that draws many groups (the meals view) calls this and spares the residents'
/// download a component's machinery.
pub fn choice_group(p: &ChoiceGroupProps) -> Html {
    let chosen = p
        .options
        .iter()
        .position(|c| Some(&c.value) == p.selected.as_ref());
    let count = p.options.len();
    let options = p.options.iter().enumerate().map(|(i, c)| {
        let on = chosen == Some(i);
        let onclick = {
            let (select, value) = (p.on_select.clone(), c.value.clone());
            Callback::from(move |_: MouseEvent| select.emit(value.clone()))
        };
        // Arrow keys choose the next or previous option and move the focus with it.
        let onkeydown = {
            let (select, options) = (p.on_select.clone(), p.options.clone());
            Callback::from(move |e: KeyboardEvent| {
                let to = match e.key().as_str() {
                    "ArrowRight" | "ArrowDown" => (i + 1) % count,
                    "ArrowLeft" | "ArrowUp" => (i + count - 1) % count,
                    _ => return,
                };
                e.prevent_default();
                if let Some(c) = options.get(to) {
                    select.emit(c.value.clone());
                }
                let sibling = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|b| b.parent_element())
                    .and_then(|row| row.children().item(to as u32))
                    .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(b) = sibling {
                    let _ = b.focus();
                }
            })
        };
        let tabindex = if on || (chosen.is_none() && i == 0) { "0" } else { "-1" };
        html! {
            <button type="button" class="ll-choice-group__option" role="radio"
                aria-checked={if on { "true" } else { "false" }} data-state={if on { "on" } else { "off" }}
                {tabindex} data-act={p.hook.clone()} data-arg={c.value.clone()} {onclick} {onkeydown}>
                { c.label.clone() }
                if let Some(hint) = &c.hint {
                    <small>{ hint.clone() }</small>
                }
            </button>
        }
    });
    html! {
        <div class={classes!("ll-choice-group", p.class.clone())} role="radiogroup" aria-label={p.legend.clone()}>
            <span class="ll-choice-group__legend" aria-hidden="true">{ p.legend.clone() }</span>
            <div class={classes!("ll-choice-group__options", p.one_row.then_some("ll-choice-group__options--row"))}>
                { for options }
            </div>
        </div>
    }
}
