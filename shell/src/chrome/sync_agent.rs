//! Runs the outbox loop: at start, when the browser comes online, when something is
//! submitted, and every half minute; and takes submissions from JavaScript on the
//! page. Renders nothing.

use gloo_events::EventListener;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::clock::Ticker;
use crate::context::use_shell;
use crate::outbox::{submit, sync_once, CHANGED_EVENT, SUBMITTED_EVENT, SUBMIT_EVENT};

/// How often waiting submissions are retried while the page is open.
const INTERVAL_MS: i32 = 30_000;

/// A submission from JavaScript on the page (see [`SUBMIT_EVENT`]).
fn submit_from_page(event: &web_sys::Event) {
    let Some(detail) = event.dyn_ref::<web_sys::CustomEvent>().map(|e| e.detail()) else {
        return;
    };
    let field = |name: &str| js_sys::Reflect::get(&detail, &name.into()).ok();
    let Some(kind) = field("kind").and_then(|k| k.as_string()) else {
        return;
    };
    let payload = crate::js::from_js(&field("payload").unwrap_or(wasm_bindgen::JsValue::NULL));
    let reference = field("ref").unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
    wasm_bindgen_futures::spawn_local(async move {
        // Answer with SUBMITTED_EVENT once saved (or not), carrying the caller's `ref`.
        let reply = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&reply, &"ref".into(), &reference);
        let (key, value) = match submit(&kind, payload).await {
            Ok(id) => ("id", wasm_bindgen::JsValue::from_str(id.as_str())),
            Err(e) => ("error", wasm_bindgen::JsValue::from_str(&e.to_string())),
        };
        let _ = js_sys::Reflect::set(&reply, &key.into(), &value);
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&reply);
        if let (Some(w), Ok(event)) = (
            web_sys::window(),
            web_sys::CustomEvent::new_with_event_init_dict(SUBMITTED_EVENT, &init),
        ) {
            let _ = w.dispatch_event(&event);
        }
    });
}

/// The loop's driver.
#[function_component]
pub fn SyncAgent() -> Html {
    let server = use_shell().and_then(|s| s.config.server_url.clone());
    use_effect_with(server, |server| {
        let run = {
            let server = server.clone();
            move |wake: bool| {
                let server = server.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = sync_once(server.as_deref(), wake).await;
                });
            }
        };
        // At start and on coming back online, retry everything now.
        run(true);
        let window = web_sys::window();
        let listeners = window.as_ref().map(|w| {
            let (a, b) = (run.clone(), run.clone());
            (
                EventListener::new(w, "online", move |_| a(true)),
                EventListener::new(w, CHANGED_EVENT, move |_| b(false)),
                EventListener::new(w, SUBMIT_EVENT, submit_from_page),
            )
        });
        let tick = Ticker::every(INTERVAL_MS, Closure::new(move || run(false)));
        move || drop((tick, listeners))
    });
    Html::default()
}
