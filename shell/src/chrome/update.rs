//! "A new version is ready": shown when the service worker has installed a new build
//! in the background. Updating is the resident's choice, so nothing they are doing is
//! cut off; the boot script in `index.html` does the service-worker side.

use gloo_events::EventListener;
use linli_core::Text;
use linli_widgets::base::el;
use yew::prelude::*;

use crate::context::use_shell;
use crate::dom;

/// Event the boot script fires on `window` when a new version is waiting.
const READY_EVENT: &str = "linli-update-ready";
/// Flag it sets, for when the event fired before this component mounted.
const READY_FLAG: &str = "linliUpdateReady";
/// Function it defines to activate the waiting version and reload.
const APPLY_FN: &str = "linliApplyUpdate";

/// The banner; renders nothing until an update is waiting.
#[function_component]
pub fn UpdateBanner() -> Html {
    let ready = use_state_eq(|| dom::window_flag(READY_FLAG));
    {
        let ready = ready.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, READY_EVENT, move |_| ready.set(true)));
            move || drop(listener)
        });
    }
    let Some(shell) = use_shell() else {
        return Html::default();
    };
    if !*ready {
        return Html::default();
    }
    let apply = Callback::from(|_: MouseEvent| {
        if let Some(f) = dom::window_function(APPLY_FN) {
            let _ = f.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    html! {
        <div class="ll-update" role="status">
            { el("span", "", AttrValue::from(shell.t(Text::UpdateReady))) }
            <button type="button" class="ll-button ll-button--primary" onclick={apply}>
                { shell.t(Text::UpdateApply) }
            </button>
        </div>
    }
}
