//! An on/off switch whose state is written out, not only coloured.

use linli_core::{Lang, Text};
use yew::prelude::*;

/// Props of [`Switch`].
#[derive(Properties, PartialEq, Clone)]
pub struct SwitchProps {
    /// The visible label, which is also the accessible name.
    pub label: AttrValue,
    /// A line under the label saying what the switch does.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Whether it is on.
    pub checked: bool,
    /// Called with the new state when pressed.
    pub on_change: Callback<bool>,
    /// Interface language, for the 已开启 / 已关闭 state text.
    #[prop_or_default]
    pub lang: Lang,
    /// Extra classes.
    #[prop_or_default]
    pub class: Classes,
}

/// A `role="switch"` button: the whole row is the target, the state is spoken by
/// screen readers (`aria-checked`) and written beside the knob, so colour is never
/// the only cue.
///
/// ```no_run
/// use linli_widgets::base::Switch;
/// use yew::prelude::*;
///
/// fn elder_row(elder: bool, on_change: Callback<bool>) -> Html {
///     html! { <Switch label="长辈版" checked={elder} {on_change} /> }
/// }
/// ```
///
/// CSS variables: `--ll-switch-on-bg`, `--ll-switch-off-bg`, `--ll-switch-knob`.
#[function_component]
pub fn Switch(props: &SwitchProps) -> Html {
    let onclick = {
        let on_change = props.on_change.clone();
        let next = !props.checked;
        Callback::from(move |_: MouseEvent| on_change.emit(next))
    };
    let state = if props.checked { Text::On } else { Text::Off };
    html! {
        <button type="button" role="switch"
            class={classes!("ll-switch", props.class.clone())}
            aria-checked={if props.checked { "true" } else { "false" }}
            data-state={if props.checked { "on" } else { "off" }}
            {onclick}>
            <span class="ll-switch__text">
                <span class="ll-switch__label">{ &props.label }</span>
                if let Some(hint) = &props.hint {
                    <span class="ll-switch__hint">{ hint }</span>
                }
            </span>
            <span class="ll-switch__state">{ props.lang.t(state) }</span>
            <span class="ll-switch__track" aria-hidden="true"><span class="ll-switch__knob"></span></span>
        </button>
    }
}
