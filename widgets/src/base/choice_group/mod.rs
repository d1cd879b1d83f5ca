//! One choice among a few, as a radio group (WAI-ARIA APG "Radio Group"): buttons
//! with `role="radio"`, `aria-checked` and `data-state`, the chosen one written with a
//! ✓ as well as outlined (never colour alone), and the arrow keys moving the choice
//! (roving `tabindex`: Tab enters the group once). Styles: `choice_group.css`.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// One option of a [`ChoiceGroup`]. The group speaks of options by their index, so
/// the host keeps its own values (a language, a date, an action) in the same order
/// and nothing is parsed back from text.
#[derive(Clone, PartialEq)]
pub struct Choice {
    /// The option as text, in `data-arg` (a hook for tests and styles: `lunch`).
    pub arg: AttrValue,
    /// What it says.
    pub label: AttrValue,
    /// A second, smaller line (a meal's cut-off).
    pub hint: Option<AttrValue>,
    /// The label's language when it differs from the page's (`en` for "English" on a
    /// Chinese page), so a screen reader says it in the right voice (WCAG 3.1.2).
    pub lang: Option<AttrValue>,
}

/// Props of [`ChoiceGroup`].
#[derive(Properties, PartialEq, Clone)]
pub struct ChoiceGroupProps {
    /// The group's name, shown above it and read by screen readers.
    pub legend: AttrValue,
    /// The options, in order.
    pub options: Rc<Vec<Choice>>,
    /// The chosen option's index.
    #[prop_or_default]
    pub selected: Option<usize>,
    /// An option was chosen (by tap or arrow key): its index.
    pub on_select: Callback<usize>,
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
/// widget that draws several groups (the meals view) calls this and spares the
/// residents' download a component's machinery.
pub fn choice_group(p: &ChoiceGroupProps) -> Html {
    let count = p.options.len();
    let chosen = p.selected.filter(|&i| i < count);
    let options = p.options.iter().enumerate().map(|(i, c)| {
        let on = chosen == Some(i);
        let onclick = p.on_select.reform(move |_: MouseEvent| i);
        // Arrow keys choose the next or previous option and move the focus with it.
        let onkeydown = {
            let pick = p.on_select.clone();
            Callback::from(move |e: KeyboardEvent| {
                let to = match e.key().as_str() {
                    "ArrowRight" | "ArrowDown" => (i + 1) % count,
                    "ArrowLeft" | "ArrowUp" => (i + count - 1) % count,
                    _ => return,
                };
                e.prevent_default();
                // The only option: nothing to move to, nothing chosen again.
                if to == i {
                    return;
                }
                pick.emit(to);
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
                {tabindex} data-act={p.hook.clone()} data-arg={c.arg.clone()} lang={c.lang.clone()} {onclick} {onkeydown}>
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
