//! The few direct DOM and storage touches of the shell, each failing softly: a
//! browser that refuses storage (private mode, a full disk) still gets a working app,
//! it just does not remember preferences.

use web_sys::{HtmlElement, Storage};

/// The `<html>` element.
pub fn root_element() -> Option<HtmlElement> {
    use wasm_bindgen::JsCast;
    web_sys::window()?
        .document()?
        .document_element()?
        .dyn_into::<HtmlElement>()
        .ok()
}

fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a stored string.
pub fn load(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores a string; a refusal is ignored (the preference just will not persist).
pub fn store(key: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key, value);
    }
}

/// Sets (or, with `None`, removes) an attribute on `<html>`.
pub fn set_root_attribute(name: &str, value: Option<&str>) {
    if let Some(root) = root_element() {
        let _ = match value {
            Some(v) => root.set_attribute(name, v),
            None => root.remove_attribute(name),
        };
    }
}

/// Sets a CSS custom property on `<html>`, so every token that derives from it follows.
pub fn set_root_css_var(name: &str, value: &str) {
    if let Some(root) = root_element() {
        let _ = root.style().set_property(name, value);
    }
}

/// Sets the `content` of `<meta name="…">`.
pub fn set_meta(name: &str, content: &str) {
    let meta = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.query_selector(&format!("meta[name=\"{name}\"]"))
            .ok()
            .flatten()
    });
    if let Some(meta) = meta {
        let _ = meta.set_attribute("content", content);
    }
}

/// Sets the document title.
pub fn set_title(title: &str) {
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        d.set_title(title);
    }
}

/// A function the page's boot script defined on `window` (see `www/index.html`).
pub fn window_function(name: &str) -> Option<js_sys::Function> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &name.into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()
}

/// The page's service worker container; `None` where the browser has none (some
/// in-app browsers, insecure origins), where web-sys's getter would throw.
pub fn service_worker() -> Option<web_sys::ServiceWorkerContainer> {
    use wasm_bindgen::JsCast;
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &"serviceWorker".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// A boolean flag the page's boot script set on `window`.
pub fn window_flag(name: &str) -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &name.into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Saves `text` as a file named `name` through the browser's download (a JSON export
/// the resident keeps). `false` when the browser refused.
pub fn download(name: &str, text: &str, kind: &str) -> bool {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = &link {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
    link.is_some()
}
