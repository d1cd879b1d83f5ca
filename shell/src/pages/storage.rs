//! How this device keeps the app: space used, whether the browser may clear it, and
//! whether the app is ready to start offline.

use gloo_events::EventListener;
use linli_core::prefs::format_bytes;
use linli_core::Text;
use linli_widgets::base::el;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::context::use_shell;

/// Whether the app can start without a network here.
#[derive(Clone, Copy, Default, PartialEq)]
enum Offline {
    /// A service worker controls the page.
    Ready,
    /// Not yet: the first load has not finished installing it.
    #[default]
    Pending,
    /// The browser has no service workers.
    Unsupported,
    /// The browser refused to install ours (blocked by a setting or a policy).
    Blocked,
}

#[derive(Clone, Default, PartialEq)]
struct StorageInfo {
    /// (used, quota) in bytes.
    usage: Option<(u64, u64)>,
    persisted: Option<bool>,
    offline: Offline,
    /// IndexedDB cannot be opened: why.
    problem: Option<crate::storage::StorageError>,
}

fn number(obj: &JsValue, key: &str) -> Option<u64> {
    let n = js_sys::Reflect::get(obj, &key.into()).ok()?.as_f64()?;
    (n.is_finite() && n >= 0.0).then_some(n as u64)
}

async fn read_storage() -> StorageInfo {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return StorageInfo::default();
    };
    let offline = match crate::dom::service_worker() {
        None => Offline::Unsupported,
        Some(_) if crate::dom::window_flag("linliOfflineBlocked") => Offline::Blocked,
        Some(sw) if sw.controller().is_some() => Offline::Ready,
        Some(_) => Offline::Pending,
    };
    let problem = match crate::storage::Storage::open().await {
        Ok(s) => {
            s.close();
            None
        }
        Err(e) => Some(e),
    };
    let manager = navigator.storage();
    let usage = match manager.estimate() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|est| Some((number(&est, "usage")?, number(&est, "quota")?))),
        Err(_) => None,
    };
    let persisted = match manager.persisted() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    StorageInfo {
        usage,
        persisted,
        offline,
        problem,
    }
}

/// The storage section of 我的.
#[function_component]
pub fn StorageStatus() -> Html {
    let info = use_state(|| None::<StorageInfo>);
    {
        let info = info.clone();
        use_effect_with((), move |_| {
            let refresh = move || {
                let info = info.clone();
                wasm_bindgen_futures::spawn_local(
                    async move { info.set(Some(read_storage().await)) },
                );
            };
            refresh();
            // The outbox changes as submissions are made and sent: keep the count true.
            let listener = web_sys::window().map(|w| {
                let again = refresh.clone();
                (
                    EventListener::new(&w, crate::outbox::CHANGED_EVENT, move |_| refresh()),
                    EventListener::new(&w, "linli-offline-blocked", move |_| again()),
                )
            });
            move || drop(listener)
        });
    }
    let Some(shell) = use_shell() else {
        return Html::default();
    };
    let Some(info) = &*info else {
        return html! { { el("p", "ll-muted", AttrValue::from(shell.t(Text::Loading))) } };
    };
    let lang = shell.lang();
    html! {
        <ul class="ll-facts" data-testid="storage-status">
            <li>
                { match info.usage {
                    Some((used, quota)) => lang.fill(Text::StorageUsed, &[
                        ("used", &format_bytes(used)),
                        ("quota", &format_bytes(quota)),
                    ]),
                    None => shell.t(Text::StorageUnknown).to_owned(),
                } }
            </li>
            if let Some(persisted) = info.persisted {
                <li>{ shell.t(if persisted { Text::StoragePersisted } else { Text::StorageNotPersisted }) }</li>
            }
            if let Some(e) = &info.problem {
                <li data-state="no-storage" role="alert">{ shell.t(e.text()) }</li>
            }
            {{
                let (state, text) = match info.offline {
                    Offline::Ready => ("ready", Text::OfflineReady),
                    Offline::Pending => ("pending", Text::OfflineNotReady),
                    Offline::Unsupported => ("unsupported", Text::OfflineUnsupported),
                    Offline::Blocked => ("blocked", Text::OfflineBlocked),
                };
                html! { <li data-state={state}>{ shell.t(text) }</li> }
            }}
        </ul>
    }
}
