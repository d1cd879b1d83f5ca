//! A modal dialog: a title, the app's content, and one close button at a place the
//! app chooses among three (top-left, top-right, bottom-centre: where older residents
//! look for it, and never a corner a thumb cannot reach and the centre cannot show).
//! While open the focus stays inside: it starts on the close button, Tab and
//! Shift+Tab wrap around the dialog's own controls, and Escape closes. Styles:
//! `dialog.css`.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Where the close button sits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CloseAt {
    /// Top-left corner.
    TopLeft,
    /// Top-right corner.
    #[default]
    TopRight,
    /// A full-width button under the content.
    BottomCentre,
}

impl CloseAt {
    fn class(self) -> &'static str {
        match self {
            CloseAt::TopLeft => "ll-dialog--close-top-left",
            CloseAt::TopRight => "ll-dialog--close-top-right",
            CloseAt::BottomCentre => "ll-dialog--close-bottom",
        }
    }
}

/// Props of [`Dialog`].
#[derive(Properties, PartialEq, Clone)]
pub struct DialogProps {
    /// Shown or not.
    pub open: bool,
    /// The title, which names the dialog for screen readers.
    pub title: AttrValue,
    /// The close button's words (关闭).
    pub close_label: AttrValue,
    /// The close button, or Escape.
    pub on_close: Callback<()>,
    /// Where the close button sits.
    #[prop_or_default]
    pub close_at: CloseAt,
    /// The content.
    #[prop_or_default]
    pub children: Html,
    /// Extra classes on the dialog.
    #[prop_or_default]
    pub class: Classes,
}

/// The dialog's controls a keyboard reaches, in order.
fn focusables(dialog: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = dialog.query_selector_all(
        "button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex='-1'])",
    ) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// See the module docs.
#[function_component]
pub fn Dialog(p: &DialogProps) -> Html {
    let dialog = use_node_ref();
    {
        // On opening, the focus goes into the dialog (its close button).
        let dialog = dialog.clone();
        use_effect_with(p.open, move |open| {
            if *open {
                if let Some(first) = dialog
                    .cast::<web_sys::Element>()
                    .and_then(|d| focusables(&d).into_iter().next())
                {
                    let _ = first.focus();
                }
            }
        });
    }
    if !p.open {
        return Html::default();
    }
    let onkeydown = {
        let (dialog, on_close) = (dialog.clone(), p.on_close.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
                return;
            }
            if e.key() != "Tab" {
                return;
            }
            let Some(d) = dialog.cast::<web_sys::Element>() else {
                return;
            };
            let all = focusables(&d);
            let (Some(first), Some(last)) = (all.first(), all.last()) else {
                return;
            };
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|doc| doc.active_element());
            let at = |el: &web_sys::HtmlElement| {
                active
                    .as_ref()
                    .is_some_and(|a| a == el.as_ref() as &web_sys::Element)
            };
            if e.shift_key() && at(first) {
                e.prevent_default();
                let _ = last.focus();
            } else if !e.shift_key() && at(last) {
                e.prevent_default();
                let _ = first.focus();
            }
        })
    };
    let close = {
        let on_close = p.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let button = html! {
        <button type="button" class="ll-button ll-dialog__close" data-act="close" onclick={close}>
            { p.close_label.clone() }
        </button>
    };
    let bottom = p.close_at == CloseAt::BottomCentre;
    html! {
        <div class="ll-dialog__backdrop">
            <div ref={dialog} class={classes!("ll-dialog", p.close_at.class(), p.class.clone())} role="dialog"
                aria-modal="true" aria-labelledby="ll-dialog-title" {onkeydown}>
                if !bottom {
                    { button.clone() }
                }
                <h2 class="ll-dialog__title" id="ll-dialog-title">{ p.title.clone() }</h2>
                <div class="ll-dialog__body">{ p.children.clone() }</div>
                if bottom {
                    { button }
                }
            </div>
        </div>
    }
}
