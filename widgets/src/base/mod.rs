//! Building blocks shared by every scenario. Styles: `base.css` beside this file.

use yew::prelude::*;

mod button;
mod choice_group;
mod dialog;
mod field;
mod notice;
mod read_aloud;
mod stepper;
mod switch;

pub use button::{button, Button, ButtonProps};
pub use choice_group::{choice_group, Choice, ChoiceGroup, ChoiceGroupProps};
pub use dialog::{CloseAt, Dialog, DialogProps};
pub use field::{described_by, field, Field, FieldProps};
pub use notice::{notice, notice_text, Notice, NoticeKind, NoticeProps};
pub use read_aloud::{ReadAloud, ReadAloudProps};
pub use stepper::{stepper, Stepper, StepperProps};
pub use switch::{Switch, SwitchProps};

/// `<tag class>text</tag>`: an element of one text, drawn by one function. An `html!`
/// element is built inline where it is written (a few hundred bytes of WASM each), so
/// views call this for their many one-text elements; an empty `class` is left out.
#[inline(never)]
pub fn el(tag: &'static str, class: &'static str, text: AttrValue) -> Html {
    html! { <@{tag} class={(!class.is_empty()).then_some(class)}>{ text }</@> }
}

/// The value of the input or textarea an event came from.
pub fn value_of(e: &impl AsRef<web_sys::Event>) -> String {
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
