//! Loading `config.json` at start.
//!
//! The text is parsed by the browser's own `JSON.parse` and converted into the core's
//! [`Value`], which the core checks exactly as the command-line check does; no JSON
//! parser is compiled into the WASM.

use linli_core::config::{self, ConfigError, ShellConfig};
use linli_core::json::{SyntaxError, Value};
use linli_core::{Lang, Text};
use wasm_bindgen::{JsCast, JsValue};

use crate::js::error_message;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

/// Where the config lives, relative to the page, so a deployment can sit in any folder.
pub const CONFIG_URL: &str = "config.json";

/// Why the shell could not start.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    /// The file could not be fetched (offline on a first visit, or missing).
    Fetch(String),
    /// The file was fetched but is wrong; each problem is located.
    Invalid(ConfigError),
}

impl LoadError {
    /// A one-line summary for a resident, in `lang`.
    pub fn summary(&self, lang: Lang) -> String {
        match self {
            LoadError::Fetch(detail) => lang.fill(Text::ConfigLoadFailed, &[("detail", detail)]),
            LoadError::Invalid(_) => lang.t(Text::ConfigErrorTitle).to_owned(),
        }
    }
}

/// Fetches, parses and checks the config.
pub async fn load_config() -> Result<ShellConfig, LoadError> {
    let text = fetch_text(CONFIG_URL).await.map_err(LoadError::Fetch)?;
    parse_config(&text).map_err(LoadError::Invalid)
}

/// Parses config text with `JSON.parse` and checks it with the core rules.
pub fn parse_config(text: &str) -> Result<ShellConfig, ConfigError> {
    let parsed = js_sys::JSON::parse(text).map_err(|e| {
        ConfigError::syntax(SyntaxError {
            line: 0,
            column: 0,
            detail: error_message(&e),
        })
    })?;
    config::from_value(&to_value(&parsed))
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    // Default request mode, so the page's <link rel="preload"> is reused; the server
    // sends `Cache-Control: no-cache` and the service worker keeps an offline copy.
    let response: Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| error_message(&e))?
        .dyn_into()
        .map_err(|e| error_message(&e))?;
    if !response.ok() {
        return Err(format!("HTTP {} {}", response.status(), url));
    }
    let text = JsFuture::from(response.text().map_err(|e| error_message(&e))?)
        .await
        .map_err(|e| error_message(&e))?;
    text.as_string()
        .ok_or_else(|| "response is not text".to_owned())
}

/// Converts what `JSON.parse` returned into the core's value tree.
pub fn to_value(v: &JsValue) -> Value {
    crate::js::from_js(v)
}
