//! A scenario's household board as its page loads it: fresh from the server and kept
//! in IndexedDB as the server sent it (so it reads offline), else the kept copy; or
//! why there is none. Shared by the scenarios' pages.

use std::rc::Rc;

use crate::household::DEVICE_TOKEN;
use crate::net::{api_url, get_kept};
use crate::storage::{Storage, StorageError};

/// A page's words for a board that is not ready: loading, unreachable, this phone
/// not linked, and the way to link it.
pub struct NotReady {
    /// While it loads.
    pub loading: &'static str,
    /// Neither the server nor a kept copy answered.
    pub unavailable: &'static str,
    /// This phone is not linked with a household.
    pub not_linked: &'static str,
    /// The button to link it.
    pub go_link: &'static str,
}

/// What a board page shows while its board is not ready (`None` once it is), its
/// notices in `class`.
pub fn not_ready<T>(
    load: &Load<T>,
    words: NotReady,
    lang: linli_core::Lang,
    class: &'static str,
) -> Option<yew::Html> {
    use linli_widgets::base::{el, notice_text};
    use yew::html;
    Some(match load {
        Load::Loading => el("p", "ll-muted", words.loading.into()),
        Load::Unavailable => notice_text(false, class, words.unavailable.into()),
        Load::NotLinked => html! {
            <div class="ll-group">
                { el("p", "", words.not_linked.into()) }
                { crate::chrome::route_link(&crate::route::Route::Me, "ll-button ll-button--primary", false, html! { words.go_link }) }
            </div>
        },
        Load::NoStorage(e) => notice_text(true, class, lang.t(e.text()).into()),
        Load::Ready(..) => return None,
    })
}

/// Runs `load` and sets `state` to what it gives, unless a newer load was started
/// with the same `generation` meanwhile: on a slow network loads overlap, and an older
/// answer (or an older kept copy) must not replace a newer board.
pub fn spawn_newest<T: 'static>(
    generation: &std::rc::Rc<std::cell::RefCell<u32>>,
    state: yew::UseStateHandle<T>,
    load: impl std::future::Future<Output = T> + 'static,
) {
    let this = {
        let mut g = generation.borrow_mut();
        *g = g.wrapping_add(1);
        *g
    };
    let generation = generation.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = load.await;
        if *generation.borrow() == this {
            state.set(loaded);
        }
    });
}

/// Where a page's board stands.
#[derive(Clone)]
pub enum Load<T> {
    /// Not answered yet.
    Loading,
    /// This browser keeps nothing for the page (no IndexedDB, blocked, full, lost).
    NoStorage(StorageError),
    /// This phone is not linked with a household.
    NotLinked,
    /// Neither the server nor a readable saved copy answered.
    Unavailable,
    /// A board; `true` when it is the saved copy because the server was unreachable.
    Ready(Rc<T>, bool),
}

/// The board at `path` (`api/v1/meals`), read from the server's text with `read`
/// (`reads` says whether it would, without keeping the board: plain function pointers,
/// one copy of the fetching code in the download); with `save`, the server's answer is
/// kept under `key` for offline use.
pub async fn load<T>(
    server: Option<String>,
    path: &str,
    key: &str,
    save: bool,
    read: fn(&str) -> Option<T>,
    reads: fn(&str) -> bool,
) -> Load<T> {
    let storage = match Storage::open().await {
        Ok(s) => s,
        Err(e) => return Load::NoStorage(e),
    };
    let result = match storage.setting(DEVICE_TOKEN).await.ok().flatten() {
        None => Load::NotLinked,
        Some(token) => {
            let url = api_url(server.as_deref(), path);
            get_kept(Some(&storage), &url, Some(&token), key, save, reads)
                .await
                .and_then(|(text, kept)| Some(Load::Ready(Rc::new(read(&text)?), kept)))
                .unwrap_or(Load::Unavailable)
        }
    };
    storage.close();
    result
}

/// Keeps `now` (the server's clock, ms) moving for a board's page: every `every_ms`
/// when given (a page, not 我的), and at once on going online, on this phone being
/// linked and on a new reading of the server's clock. A page reloads its board when
/// `now` changes.
#[yew::hook]
pub fn use_refresh(now: &yew::UseStateHandle<f64>, every_ms: Option<i32>) {
    let now = now.clone();
    yew::use_effect_with((), move |_| {
        let set = {
            let now = now.clone();
            move || now.set(crate::clock::server_now())
        };
        let tick = every_ms.and_then(|ms| {
            let set = set.clone();
            crate::clock::Ticker::every(ms, wasm_bindgen::closure::Closure::new(set))
        });
        let listeners = web_sys::window().map(|w| {
            let again = move |_: &web_sys::Event| set();
            (
                gloo_events::EventListener::new(&w, "online", again.clone()),
                gloo_events::EventListener::new(&w, crate::household::LINKED_EVENT, again.clone()),
                gloo_events::EventListener::new(&w, crate::clock::CLOCK_EVENT, again),
            )
        });
        move || drop((tick, listeners))
    });
}
