//! linli-builder: the form designer page of linli-server's console
//! (`/staff/forms/{id}/build`, social organisations, staff and admins). It reads the
//! form's draft from `GET /staff/forms/{id}/draft.json` (with the session's CSRF
//! token, the member's language and the deployment's today), shows
//! `linli_widgets::forms::builder::FormBuilder`, saves the draft with
//! `POST /staff/forms/{id}/draft` (multipart: `_csrf`, `json`, `updated_at`; a draft
//! changed elsewhere meanwhile is refused, never overwritten) and publishes through the
//! console's own `POST /staff/forms/{id}/publish`, whose page then says what came of
//! it. It says "saved" only once the server has answered that it stored the draft.

use std::cell::Cell;
use std::rc::Rc;

use linli_core::forms::form::Form;
use linli_core::forms::FormBuilderText as B;
use linli_core::json::Value;
use linli_core::Lang;
use linli_widgets::forms::builder::{problems, FormBuilder};
use linli_widgets::interop::{parse, to_js};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// What `draft.json` gives.
#[derive(Clone, PartialEq)]
struct Draft {
    id: i64,
    form: Form,
    updated_at: f64,
    csrf: String,
    lang: Lang,
    today: String,
}

/// The form's id from this page's path, `/staff/forms/{id}/build`.
fn form_id() -> Option<i64> {
    let path = web_sys::window()?.location().pathname().ok()?;
    let mut parts = path.trim_end_matches('/').rsplit('/');
    (parts.next()? == "build").then_some(())?;
    parts.next()?.parse().ok()
}

/// A member of a JSON object.
fn member<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    match v {
        Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn text_of(v: &Value, key: &str) -> Option<String> {
    match member(v, key)? {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn number_of(v: &Value, key: &str) -> Option<f64> {
    match member(v, key)? {
        Value::Number(n) => Some(*n),
        _ => None,
    }
}

fn read_draft(id: i64, v: &Value) -> Option<Draft> {
    let text = |k: &str| text_of(v, k);
    Some(Draft {
        id,
        form: Form::from_value(member(v, "form")?).ok()?,
        updated_at: number_of(v, "updated_at")?,
        csrf: text("csrf")?,
        lang: if text("lang").as_deref() == Some("en") {
            Lang::En
        } else {
            Lang::ZhCn
        },
        today: text("today")?,
    })
}

/// A fetch's outcome: the status, the body and whether it was redirected (a console
/// route answers a lapsed session with a redirect to its sign-in page, which the
/// browser follows), or `None` when the server could not be reached.
async fn fetch(url: &str, body: Option<web_sys::FormData>) -> Option<(u16, String, bool)> {
    let window = web_sys::window()?;
    let init = web_sys::RequestInit::new();
    if let Some(body) = body {
        init.set_method("POST");
        init.set_body(&body.into());
    }
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let text = JsFuture::from(response.text().ok()?).await.ok()?;
    Some((
        response.status(),
        text.as_string().unwrap_or_default(),
        response.redirected(),
    ))
}

/// Why a save did not happen, in the member's language; `conflict` when the draft was
/// saved elsewhere since it was loaded (409), so the page can offer the way out.
struct Failure {
    why: String,
    conflict: bool,
}

impl From<String> for Failure {
    fn from(why: String) -> Failure {
        Failure {
            why,
            conflict: false,
        }
    }
}

/// Saves `sent` over the draft changed at `since` (`None`: over whatever the server
/// has now, after the member confirmed overwriting it): the draft's new time of change
/// and the session's token, or why not. The token is read afresh first, so a member
/// who signed in again in another tab can save what is still on this page.
async fn save(
    id: i64,
    lang: Lang,
    sent: &Form,
    since: Option<f64>,
) -> Result<(f64, String), Failure> {
    let signed_out = || lang.t(B::SignedOut).to_owned();
    let unreadable = || lang.t(B::Unreadable).to_owned();
    let network = || lang.t(B::Network).to_owned();
    let fresh = fetch(&format!("/staff/forms/{id}/draft.json"), None)
        .await
        .ok_or_else(network)?;
    let (csrf, now) = match fresh {
        (_, _, true) | (401 | 403, _, _) => return Err(signed_out().into()),
        (200, body, false) => {
            let v = parse(&body);
            let csrf = text_of(&v, "csrf").ok_or_else(unreadable)?;
            (csrf, number_of(&v, "updated_at").ok_or_else(unreadable)?)
        }
        (status, body, false) => return Err(refusal(lang, status, &body).into()),
    };
    let since = since.unwrap_or(now);
    let body = web_sys::FormData::new().map_err(|_| unreadable())?;
    let text = js_sys::JSON::stringify(&to_js(&sent.to_value()))
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(unreadable)?;
    for (k, v) in [
        ("_csrf", csrf.clone()),
        ("json", text),
        ("updated_at", format!("{since}")),
    ] {
        body.append_with_str(k, &v).map_err(|_| unreadable())?;
    }
    match fetch(&format!("/staff/forms/{id}/draft"), Some(body)).await {
        None => Err(network().into()),
        Some((_, _, true)) => Err(signed_out().into()),
        Some((200, answer, false)) => Ok((
            number_of(&parse(&answer), "updated_at").ok_or_else(unreadable)?,
            csrf,
        )),
        Some((status, answer, false)) => Err(Failure {
            why: refusal(lang, status, &answer),
            conflict: status == 409,
        }),
    }
}

/// Where the saving stands.
#[derive(Clone, PartialEq)]
enum Saving {
    /// As loaded.
    Loaded,
    /// A request is out.
    Busy,
    /// The server stored it, at this local time (`HH:MM`).
    Saved(String),
    /// Not saved, and why.
    Failed(String),
    /// Not saved: the draft was saved elsewhere since it was loaded (and why, as the
    /// server put it).
    Conflict(String),
}

fn now_hm() -> String {
    let d = js_sys::Date::new_0();
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// The why of a refused request, from the server's JSON (`{"error": "…"}`, or an API
/// error's `message`) or its status.
fn refusal(lang: Lang, status: u16, body: &str) -> String {
    if status == 401 || status == 403 {
        return lang.t(B::SignedOut).to_owned();
    }
    let answer = parse(body);
    text_of(&answer, "error")
        .or_else(|| text_of(&answer, "message"))
        .unwrap_or_else(|| lang.fill(B::Refused, &[("status", &status.to_string())]))
}

#[function_component]
fn App() -> Html {
    let loaded = use_state(|| None::<Result<Draft, String>>);
    let form = use_state(|| None::<Rc<Form>>);
    // The definition the server has, and its time of change, as last answered.
    let stored = use_mut_ref(|| None::<(Form, f64)>);
    let saving = use_state(|| Saving::Loaded);
    let dirty = use_mut_ref(|| Rc::new(Cell::new(false)));
    let publish_form = use_node_ref();
    let publish_token = use_node_ref();
    // The design as on screen now, for a save that ends after further edits.
    let latest = use_mut_ref(|| None::<Form>);

    {
        let (loaded, form, stored) = (loaded.clone(), form.clone(), stored.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let lang = Lang::ZhCn;
                let Some(id) = form_id() else {
                    loaded.set(Some(Err(lang.t(B::Unreadable).to_owned())));
                    return;
                };
                let got = fetch(&format!("/staff/forms/{id}/draft.json"), None).await;
                let draft = match got {
                    None => Err(lang.t(B::Network).to_owned()),
                    Some((_, _, true)) => Err(lang.t(B::SignedOut).to_owned()),
                    Some((200, body, false)) => read_draft(id, &parse(&body))
                        .ok_or_else(|| lang.t(B::Unreadable).to_owned()),
                    Some((status, body, false)) => Err(refusal(lang, status, &body)),
                };
                if let Ok(d) = &draft {
                    *stored.borrow_mut() = Some((d.form.clone(), d.updated_at));
                    form.set(Some(Rc::new(d.form.clone())));
                }
                loaded.set(Some(draft));
            });
        });
    }
    // Leaving with changes not saved asks first.
    {
        let flag = dirty.borrow().clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "beforeunload", move |e| {
                    if flag.get() {
                        if let Some(e) = e.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                            e.prevent_default();
                            e.set_return_value("unsaved");
                        }
                    }
                })
            });
            move || drop(listener)
        });
    }

    let draft = match &*loaded {
        None => return html! { <p role="status">{ Lang::ZhCn.t(B::Loading) }</p> },
        Some(Err(why)) => {
            let text = Lang::ZhCn.fill(B::LoadFailed, &[("why", why)]);
            return html! { <p role="alert" class="ll-page__state ll-page__state--bad">{ text }</p> };
        }
        Some(Ok(d)) => d.clone(),
    };
    let lang = draft.lang;
    let Some(current) = (*form).clone() else {
        return html! {};
    };
    let changed = stored.borrow().as_ref().is_none_or(|(f, _)| *f != *current);
    dirty.borrow().set(changed);

    *latest.borrow_mut() = Some((*current).clone());
    let save_now = {
        let (saving, stored, draft) = (saving.clone(), stored.clone(), draft.clone());
        let (flag, latest, token) = (
            dirty.borrow().clone(),
            latest.clone(),
            publish_token.clone(),
        );
        Rc::new(
            move |sent: Form, then_publish: Option<web_sys::HtmlFormElement>, overwrite: bool| {
                let (saving, stored, draft) = (saving.clone(), stored.clone(), draft.clone());
                let (flag, latest, token) = (flag.clone(), latest.clone(), token.clone());
                saving.set(Saving::Busy);
                wasm_bindgen_futures::spawn_local(async move {
                    let since = stored.borrow().as_ref().map(|(_, at)| *at);
                    let since = if overwrite { None } else { since };
                    match save(draft.id, draft.lang, &sent, since).await {
                        Ok((at, csrf)) => {
                            let publish = latest.borrow().as_ref() == Some(&sent);
                            *stored.borrow_mut() = Some((sent, at));
                            saving.set(Saving::Saved(now_hm()));
                            // Saved: the console's own publish (with the token just
                            // read), whose page says the outcome — unless the design
                            // changed while it was saved.
                            if let (Some(f), true) = (then_publish, publish) {
                                if let Some(input) = token.cast::<web_sys::HtmlInputElement>() {
                                    input.set_value(&csrf);
                                }
                                flag.set(false);
                                f.submit().ok();
                            }
                        }
                        Err(Failure {
                            why,
                            conflict: true,
                        }) => saving.set(Saving::Conflict(why)),
                        Err(Failure { why, .. }) => saving.set(Saving::Failed(why)),
                    }
                });
            },
        )
    };
    let on_change = {
        let (form, saving) = (form.clone(), saving.clone());
        Callback::from(move |next: Form| {
            if matches!(*saving, Saving::Saved(_)) {
                saving.set(Saving::Loaded);
            }
            form.set(Some(Rc::new(next)));
        })
    };
    let save = {
        let (save_now, current) = (save_now.clone(), current.clone());
        Callback::from(move |_: MouseEvent| save_now((*current).clone(), None, false))
    };
    let overwrite = {
        let (save_now, current) = (save_now.clone(), current.clone());
        let question = lang.t(B::ConfirmOverwrite);
        Callback::from(move |_: MouseEvent| {
            let yes = web_sys::window()
                .and_then(|w| w.confirm_with_message(question).ok())
                .unwrap_or(false);
            if yes {
                save_now((*current).clone(), None, true)
            }
        })
    };
    let download = {
        let (current, key) = (current.clone(), draft.form.id.clone());
        Callback::from(move |_: MouseEvent| download_json(&current, &key))
    };
    let publish = {
        let (save_now, current, node) = (save_now.clone(), current.clone(), publish_form.clone());
        Callback::from(move |_: MouseEvent| {
            save_now(
                (*current).clone(),
                node.cast::<web_sys::HtmlFormElement>(),
                false,
            )
        })
    };
    let busy = *saving == Saving::Busy;
    let (state_text, bad) = match (&*saving, changed) {
        (Saving::Busy, _) => (lang.t(B::Saving).to_owned(), false),
        (Saving::Failed(why) | Saving::Conflict(why), _) => {
            (lang.fill(B::SaveFailed, &[("why", why)]), true)
        }
        (_, true) => (lang.t(B::Unsaved).to_owned(), false),
        (Saving::Saved(at), false) => (lang.fill(B::SavedAt, &[("time", at)]), false),
        (Saving::Loaded, false) => (lang.t(B::NothingChanged).to_owned(), false),
    };
    let sound = problems(&current).is_empty();
    let back = format!("/staff/forms/{}", draft.id);
    html! {
        <>
            <header class="ll-page__head">
                <h1>{ lang.t(B::Title) }{ "：" }{ current.title.get(lang).to_owned() }</h1>
                <p role="status" data-save-state={if bad { "failed" } else if busy { "busy" } else if changed { "unsaved" } else { "saved" }}
                    class={classes!("ll-page__state", bad.then_some("ll-page__state--bad"))}>{ state_text }</p>
                <button type="button" class="ll-button" data-act="save" disabled={busy} onclick={save}>{ lang.t(B::Save) }</button>
                <button type="button" class="ll-button ll-button--primary" data-act="publish" disabled={busy || !sound} onclick={publish}>{ lang.t(B::Publish) }</button>
                <form ref={publish_form} method="post" action={format!("{back}/publish")} hidden=true>
                    <input ref={publish_token} type="hidden" name="_csrf" value={draft.csrf.clone()} />
                </form>
                if matches!(*saving, Saving::Conflict(_)) {
                    <button type="button" class="ll-button" data-act="download" onclick={download}>{ lang.t(B::DownloadMine) }</button>
                    <button type="button" class="ll-button" data-act="overwrite" onclick={overwrite}>{ lang.t(B::Overwrite) }</button>
                }
                if !sound { <p class="ll-page__hint" data-blocked="publish">{ lang.t(B::FixFirst) }</p> }
                <p class="ll-page__hint">{ lang.t(B::PublishHint) }{ " " }<a href={back}>{ lang.t(B::BackToForm) }</a></p>
            </header>
            <FormBuilder form={current} {lang} today={AttrValue::from(draft.today.clone())} {on_change} />
        </>
    }
}

/// Offers `form` as a JSON file (`<key>.json`), to upload again on the form's page.
fn download_json(form: &Form, key: &str) {
    let Some(text) = js_sys::JSON::stringify(&to_js(&form.to_value()))
        .ok()
        .and_then(|t| t.as_string())
    else {
        return;
    };
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = link {
        a.set_href(&url);
        a.set_download(&format!("{key}.json"));
        a.click();
    }
    // Not revoked here: a revoke in the same task can cancel the download in some
    // browsers; the page holds one small file until it is left.
}

fn main() {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    else {
        return;
    };
    yew::Renderer::<App>::with_root(root).render();
}
