//! JSON over HTTP to the sub-district's server, with the core value tree on both ends.

use linli_core::json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use crate::js::{error_message, to_js};

/// How long a request may take before it counts as failed.
pub const TIMEOUT_MS: i32 = 30_000;

/// A request that got no HTTP answer (offline, refused, timed out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoAnswer(pub String);

/// The API address for `path` (`api/v1/...`): under the config's `server_url`, or
/// relative to the page when the server also serves the app.
pub fn api_url(server_url: Option<&str>, path: &str) -> String {
    match server_url {
        Some(base) => format!("{}/{path}", base.trim_end_matches('/')),
        None => path.to_owned(),
    }
}

/// POSTs JSON; answers the status and the parsed body (`Null` if not JSON).
pub async fn post_json(
    url: &str,
    body: &Value,
    bearer: Option<&str>,
    idempotency_key: Option<&str>,
) -> Result<(u16, Value), NoAnswer> {
    let (status, text) = request(url, "POST", Some(body), bearer, idempotency_key).await?;
    Ok((status, parse(&text)))
}

/// DELETEs with a bearer token; answers the status.
pub async fn delete(url: &str, bearer: &str) -> Result<u16, NoAnswer> {
    Ok(request(url, "DELETE", None, Some(bearer), None).await?.0)
}

/// GETs, with a bearer token where the resource needs one; the status and the body as
/// text (kept as it came, so a page can store it for offline use without encoding it
/// again).
pub async fn get_text(url: &str, bearer: Option<&str>) -> Result<(u16, String), NoAnswer> {
    request(url, "GET", None, bearer, None).await
}

pub use linli_widgets::interop::parse;

/// A GET whose last good answer the phone keeps for offline use (the notices, a
/// household's meals board) under `key` in `storage`'s settings: the fresh answer when
/// one came (200) that `reads` accepts, kept when `keep`, with `false`; else the copy
/// kept from before, with `true`; `None` when there is neither. Without `storage` (no
/// IndexedDB) only a fresh answer comes. A copy that cannot be
/// kept (storage full) is not an error: the fresh answer still shows until the app
/// closes. A kept copy that no longer reads (written by an older version) is left in
/// place for the next good answer to replace.
pub async fn get_kept(
    storage: Option<&crate::storage::Storage>,
    url: &str,
    bearer: Option<&str>,
    key: &str,
    keep: bool,
    reads: fn(&str) -> bool,
) -> Option<(String, bool)> {
    if let Ok((200, text)) = get_text(url, bearer).await {
        if reads(&text) {
            if let (true, Some(storage)) = (keep, storage) {
                let _ = storage.set_setting(key, &text).await;
            }
            return Some((text, false));
        }
    }
    let kept = storage?.setting(key).await.ok().flatten()?;
    reads(&kept).then_some((kept, true))
}

/// A request, with a JSON body or without. It asks for answers in the interface
/// language (`<html lang>`), so refusals reach the resident in their words.
async fn request(
    url: &str,
    method: &str,
    body: Option<&Value>,
    bearer: Option<&str>,
    idempotency_key: Option<&str>,
) -> Result<(u16, String), NoAnswer> {
    let window = web_sys::window().ok_or_else(|| NoAnswer("no window".into()))?;
    let headers = Headers::new().map_err(|e| NoAnswer(error_message(&e)))?;
    let set = |k: &str, v: &str| headers.set(k, v).map_err(|e| NoAnswer(error_message(&e)));
    if let Some(lang) = crate::dom::root_element().and_then(|e| e.get_attribute("lang")) {
        set("Accept-Language", &lang)?;
    }
    if let Some(token) = bearer {
        set("Authorization", &format!("Bearer {token}"))?;
    }
    if let Some(key) = idempotency_key {
        set("Idempotency-Key", key)?;
    }
    let init = RequestInit::new();
    init.set_headers(&headers);
    init.set_method(method);
    if let Some(body) = body {
        set("Content-Type", "application/json")?;
        let text =
            js_sys::JSON::stringify(&to_js(body)).map_err(|e| NoAnswer(error_message(&e)))?;
        init.set_body(&JsValue::from(text));
    }
    // A bad network can leave a request hanging for minutes: give up after a while
    // (the outbox retries, and the server deduplicates a request that did arrive).
    let abort = web_sys::AbortController::new().ok();
    let timer = abort.as_ref().and_then(|a| {
        init.set_signal(Some(&a.signal()));
        let a = a.clone();
        let cancel = Closure::once_into_js(move || a.abort());
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                cancel.unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok()
    });
    let fetched = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    if let Some(t) = timer {
        window.clear_timeout_with_handle(t);
    }
    let response: Response = fetched
        .map_err(|e| NoAnswer(error_message(&e)))?
        .dyn_into()
        .map_err(|e| NoAnswer(error_message(&e)))?;
    let status = response.status();
    if let Ok(Some(date)) = response.headers().get("date") {
        crate::clock::observe(&date);
    }
    let text = match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok((status, text))
}

/// 16 random bytes from the browser's cryptographic generator; `None` without one
/// (ids made from anything weaker could collide).
pub fn random_bytes() -> Option<[u8; 16]> {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window()?.crypto().ok()?;
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(bytes)
}
