//! A button at least the tap target, outlined in the brand colour; `primary` for the
//! one main action of a view. Styles: `button.css` (the `.ll-button` classes, which
//! links styled as buttons use too).

use yew::prelude::*;

/// Props of [`Button`].
#[derive(Properties, PartialEq, Clone)]
pub struct ButtonProps {
    /// What it says.
    pub children: Html,
    /// The view's one main action: filled with the brand colour.
    #[prop_or_default]
    pub primary: bool,
    /// Off.
    #[prop_or_default]
    pub disabled: bool,
    /// A press.
    #[prop_or_default]
    pub onclick: Callback<MouseEvent>,
    /// `data-act`, a hook for tests and styles.
    #[prop_or_default]
    pub hook: Option<AttrValue>,
    /// Extra classes.
    #[prop_or_default]
    pub class: Classes,
}

/// See the module docs.
#[function_component]
pub fn Button(p: &ButtonProps) -> Html {
    button(p)
}

/// The same markup as [`Button`], as a plain function (it has no state): what a view
/// with several buttons calls, sparing the residents' download a component's
/// machinery and the inline copies of the markup.
#[inline(never)]
pub fn button(p: &ButtonProps) -> Html {
    html! {
        <button type="button" class={classes!("ll-button", p.primary.then_some("ll-button--primary"), p.class.clone())}
            disabled={p.disabled} data-act={p.hook.clone()} onclick={p.onclick.clone()}>
            { p.children.clone() }
        </button>
    }
}
