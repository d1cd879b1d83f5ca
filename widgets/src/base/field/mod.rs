//! A labelled form field: the label, the app's own input, a hint under it and an error
//! that screen readers announce when it appears (a live `role="alert"` region that is
//! always there, empty until there is an error). The input is the app's: give it
//! `id={id}` and `aria-describedby={described_by(id)}`. Styles: `field.css`.

use yew::prelude::*;

/// Props of [`Field`].
#[derive(Properties, PartialEq, Clone)]
pub struct FieldProps {
    /// The input's id; the hint and error are `{id}-hint` and `{id}-error`.
    pub id: AttrValue,
    /// The label.
    pub label: AttrValue,
    /// A line under the input (format, example).
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// What is wrong, in the resident's language; `None` when nothing is.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// The input itself.
    pub children: Html,
    /// Extra classes.
    #[prop_or_default]
    pub class: Classes,
}

/// The `aria-describedby` an input in a [`Field`] with `id` takes.
pub fn described_by(id: &str) -> String {
    format!("{id}-hint {id}-error")
}

/// See the module docs.
#[function_component]
pub fn Field(p: &FieldProps) -> Html {
    field(p)
}

/// The same markup as [`Field`], as a plain function (it has no state): what a view
/// with several fields calls, sparing the residents' download a component's machinery.
#[inline(never)]
pub fn field(p: &FieldProps) -> Html {
    let error = p.error.is_some();
    html! {
        <div class={classes!("ll-field", error.then_some("ll-field--error"), p.class.clone())}>
            <label class="ll-field__label" for={p.id.clone()}>{ p.label.clone() }</label>
            { p.children.clone() }
            if let Some(hint) = &p.hint {
                <p class="ll-field__hint" id={format!("{}-hint", p.id)}>{ hint.clone() }</p>
            }
            <p class="ll-field__error" id={format!("{}-error", p.id)} role="alert">
                if let Some(e) = &p.error {
                    { "⚠ " }{ e.clone() }
                }
            </p>
        </div>
    }
}
