//! What waits to be sent, on every page (a bar) and in full on 我的: each submission's
//! state, why a retry waits, why the server refused one, and an export of everything
//! still waiting as a JSON file.

use std::rc::Rc;

use gloo_events::EventListener;
use linli_core::date::format_timestamp;
use linli_core::json::Value;
use linli_core::sync::outbox::{oldest_first, reason_text, refusal_text, Entry, State};
use linli_core::{Lang, Text};
use linli_widgets::base::el;
use yew::prelude::*;

use crate::context::use_shell;
use crate::js::to_js;
use crate::outbox::CHANGED_EVENT;
use crate::storage::{Storage, StorageError};

/// The outbox as last read: entries not yet acknowledged, and unreadable records.
#[derive(Clone, Default)]
pub struct OutboxView {
    /// Entries still waiting or refused (read or not), oldest first.
    pub open: Vec<Entry>,
    /// Records that could not be read.
    pub unreadable: usize,
    /// The device's storage could not be read at all: why.
    pub problem: Option<StorageError>,
}

impl OutboxView {
    /// How many still have to reach the server.
    pub fn waiting(&self) -> usize {
        self.open.iter().filter(|e| e.is_waiting()).count()
    }

    /// How many the server refused.
    pub fn rejected(&self) -> usize {
        self.open
            .iter()
            .filter(|e| matches!(e.state, State::Rejected(_)))
            .count()
    }
}

async fn read_outbox() -> OutboxView {
    let read = match Storage::open().await {
        Ok(storage) => {
            let read = storage.entries().await;
            storage.close();
            read
        }
        Err(e) => Err(e),
    };
    match read {
        Ok((mut entries, unreadable)) => {
            entries.retain(|e| !matches!(e.state, State::Acked { .. }));
            OutboxView {
                open: oldest_first(entries),
                unreadable: unreadable.len(),
                problem: None,
            }
        }
        Err(e) => OutboxView {
            problem: Some(e),
            ..OutboxView::default()
        },
    }
}

/// One reading of the outbox, compared by identity: each read is a new `Rc`, so a
/// memo keyed by it is rebuilt exactly when the outbox was read again.
pub type Read = ById<OutboxView>;

/// A shared value compared by identity (a new `Rc` only when it was made again), so a
/// memo keyed by it costs no deep comparison.
pub struct ById<T>(pub Rc<T>);

impl<T> Clone for ById<T> {
    fn clone(&self) -> Self {
        ById(self.0.clone())
    }
}

impl<T> PartialEq for ById<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for ById<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The outbox, re-read whenever it changes; `None` until first read (a storage that
/// cannot be read is an answer too: [`OutboxView::problem`]).
#[hook]
pub fn use_outbox() -> Option<Read> {
    let view = use_state(|| None::<Read>);
    {
        let view = view.clone();
        use_effect_with((), move |_| {
            let refresh = move || {
                let view = view.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    view.set(Some(ById(Rc::new(read_outbox().await))))
                });
            };
            refresh();
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, CHANGED_EVENT, move |_| refresh()));
            move || drop(listener)
        });
    }
    (*view).clone()
}

fn state_text(entry: &Entry, lang: Lang, offset: i64) -> String {
    match &entry.state {
        State::Queued => lang.t(Text::OutboxQueued).to_owned(),
        State::Sending { .. } => lang.t(Text::OutboxSending).to_owned(),
        State::RetryWait { until, reason } => {
            let time = format_timestamp(*until as i64, offset);
            let time = time.get(11..).unwrap_or(&time).to_owned();
            lang.fill(
                Text::OutboxRetry,
                &[("time", &time), ("reason", &reason_text(reason, lang))],
            )
        }
        State::Rejected(body) | State::Dismissed(body) => lang.fill(
            Text::OutboxRejected,
            &[("message", &refusal_text(body, lang))],
        ),
        State::Acked { .. } => String::new(),
    }
}

/// Downloads what is on this phone and not with the server as a JSON file, each entry
/// as the phone keeps it (`{format, id, envelope, state, attempts}`): waiting
/// submissions, so nothing is lost even if the phone never gets online again (a
/// resident can hand the file to staff), and refused ones with why, read or not.
fn export(view: &OutboxView, offset: i64) {
    let waiting: Vec<Value> = view.open.iter().map(Entry::to_value).collect();
    let Ok(text) = js_sys::JSON::stringify_with_replacer_and_space(
        &to_js(&Value::Array(waiting)),
        &wasm_bindgen::JsValue::NULL,
        &wasm_bindgen::JsValue::from(2),
    ) else {
        return;
    };
    let day = format_timestamp(crate::outbox::now_ms() as i64, offset);
    let name = format!("linli-outbox-{}.json", day.get(..10).unwrap_or("export"));
    crate::dom::download(&name, &String::from(text), "application/json");
}

/// The 待发送 group of 我的: what waits, what was refused and why (with what to do and
/// a button to say it was read), and the export.
#[function_component]
pub fn OutboxPanel() -> Html {
    let outbox = use_outbox();
    let Some(shell) = use_shell() else {
        return Html::default();
    };
    let lang = shell.lang();
    let offset = shell.config.utc_offset_minutes();
    // Until IndexedDB answers, the group keeps its place, so the page does not jump.
    let loading = outbox.is_none();
    let view = outbox.map(|r| r.0).unwrap_or_default();
    let waiting = view.waiting();
    let summary = match &view.problem {
        _ if loading => shell.t(Text::Loading).to_owned(),
        Some(e) => shell.t(e.text()).to_owned(),
        None if waiting == 0 => shell.t(Text::OutboxEmpty).to_owned(),
        None => lang.fill(Text::OutboxWaiting, &[("count", &waiting.to_string())]),
    };
    let onclick = {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| export(&view, offset))
    };
    let dismiss = |id: &linli_core::sync::wire::SubmissionId| {
        let id = id.clone();
        Callback::from(move |_: MouseEvent| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = crate::outbox::dismiss(&id).await;
            });
        })
    };
    let hotline = &shell.config.hotline;
    html! {
        <div class="ll-group" id="outbox">
            { el("h2", "ll-group__title", AttrValue::from(shell.t(Text::OutboxTitle))) }
            <p data-testid="outbox-waiting">{ summary }</p>
            if !view.open.is_empty() {
                <ul class="ll-outbox">
                    { for view.open.iter().map(|e| {
                        let state = match e.state {
                            State::Rejected(_) => "rejected",
                            State::Dismissed(_) => "read",
                            _ => "waiting",
                        };
                        html! {
                            <li class="ll-outbox__item" data-state={state}>
                                <span class="ll-outbox__what">
                                    { crate::scenarios::kind_text(&e.envelope.kind, lang) }{ " · " }
                                    { format_timestamp(e.envelope.created_at as i64, offset) }
                                    if let Some(kb) = large_kb(e) {
                                        { " · " }{ lang.fill(Text::OutboxSize, &[("kb", &kb.to_string())]) }
                                    }
                                </span>
                                { el("span", "ll-outbox__state", AttrValue::from(state_text(e, lang, offset))) }
                                if matches!(e.state, State::Rejected(_)) {
                                    { el("span", "ll-muted", AttrValue::from(lang.fill(Text::OutboxWhatToDo, &[("hotline", hotline)]))) }
                                    <button type="button" class="ll-button" data-act="dismiss" onclick={dismiss(e.id())}>
                                        { shell.t(Text::OutboxDismiss) }
                                    </button>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
            if view.unreadable > 0 {
                { el("p", "", AttrValue::from(lang.fill(Text::OutboxUnreadable, &[("count", &view.unreadable.to_string())]))) }
            }
            if !view.open.is_empty() {
                <button type="button" class="ll-button" {onclick}>{ shell.t(Text::OutboxExport) }</button>
            }
        </div>
    }
}

/// An entry's size in KB when it is large enough to matter on a slow network (a report
/// with photos): what it will cost to send.
fn large_kb(e: &Entry) -> Option<usize> {
    let bytes = text_bytes(&e.envelope.payload);
    (bytes >= 20 * 1024).then(|| bytes.div_ceil(1024))
}

/// The bytes of a value's texts (keys and strings): nearly all of a payload's size.
fn text_bytes(v: &Value) -> usize {
    match v {
        Value::String(s) => s.len(),
        Value::Array(items) => items.iter().map(text_bytes).sum(),
        Value::Object(members) => members.iter().map(|(k, v)| k.len() + text_bytes(v)).sum(),
        _ => 8,
    }
}

/// The bar under the header on every page while something waits or was refused.
#[function_component]
pub fn OutboxBar() -> Html {
    let outbox = use_outbox();
    let (Some(shell), Some(view)) = (use_shell(), outbox) else {
        return Html::default();
    };
    let (waiting, rejected) = (view.waiting(), view.rejected());
    if waiting == 0 && rejected == 0 {
        return Html::default();
    }
    let lang = shell.lang();
    let mut parts = Vec::new();
    if waiting > 0 {
        parts.push(lang.fill(Text::OutboxBar, &[("count", &waiting.to_string())]));
    }
    if rejected > 0 {
        parts.push(lang.fill(Text::OutboxRejectedBar, &[("count", &rejected.to_string())]));
    }
    html! {
        <div class="ll-outbox-bar" role="status" data-state={if rejected > 0 { "rejected" } else { "waiting" }}>
            { el("span", "", AttrValue::from(parts.join(" · "))) }
            <a href="#/me" class="ll-outbox-bar__link">{ shell.t(Text::OutboxSeeAll) }</a>
        </div>
    }
}
