//! Whether the browser believes it is online, updated as it changes.

use gloo_events::EventListener;
use yew::prelude::*;

fn navigator_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// `true` while online; re-renders on the window's `online` / `offline` events.
#[hook]
pub fn use_online() -> bool {
    let online = use_state_eq(navigator_online);
    {
        let online = online.clone();
        use_effect_with((), move |_| {
            let listeners = web_sys::window().map(|w| {
                let on = online.clone();
                let off = online.clone();
                (
                    EventListener::new(&w, "online", move |_| on.set(true)),
                    EventListener::new(&w, "offline", move |_| off.set(false)),
                )
            });
            move || drop(listeners)
        });
    }
    *online
}
