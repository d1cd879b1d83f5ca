//! Runs the outbox loop: at start, when the browser comes online, when something is
//! submitted, and every half minute. Renders nothing.

use gloo_events::EventListener;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::context::use_shell;
use crate::outbox::{sync_once, CHANGED_EVENT};

/// How often waiting submissions are retried while the page is open.
const INTERVAL_MS: i32 = 30_000;

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
            )
        });
        let tick = Closure::<dyn FnMut()>::new(move || run(false));
        let interval = window.as_ref().and_then(|w| {
            w.set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                INTERVAL_MS,
            )
            .ok()
        });
        move || {
            if let (Some(w), Some(id)) = (window, interval) {
                w.clear_interval_with_handle(id);
            }
            drop(tick);
            drop(listeners);
        }
    });
    Html::default()
}
