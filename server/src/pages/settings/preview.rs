//! A saved version as residents would see it, before it is published: the console
//! shows the app at 412×823 twice, standard and 长辈版, side by side. The app in the
//! frames is the build's, under `/staff/preview/{version}/` (signed-in admins only,
//! never cached, outside the service worker's reach): it reads that version's
//! `config.json` and the live notices, and registers no worker.
//!
//! The frames share the origin of the residents' app, which may be installed in the
//! same browser (an admin's own phone, a community centre's tablet) with submissions
//! waiting. So the preview's page is given storage of its own before the app starts
//! ([`ISOLATION`]): preferences in memory (the 长辈版 frame starts with 长辈版 on) and
//! IndexedDB databases under a name of their own, removed when the frame goes. The app's
//! outbox, household link and preferences are never read or written by a preview, and
//! anything but reading its files is answered 503 (try later), never a refusal.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use linli_core::config::ShellConfig;
use linli_core::StaffText;
use maud::html;

use crate::app::AppState;
use crate::http::extract::{Admins, Staff};
use crate::http::layout::page;
use crate::http::ApiError;

/// Runs before anything else on a preview's page: storage of the preview's own (see
/// the module's documentation), and no manifest to install.
pub const ISOLATION: &str = "(function () {\
var data = /[?&]elder=1/.test(location.search) ? { \"linli.elder\": \"1\" } : {};\
var has = function (k) { return Object.prototype.hasOwnProperty.call(data, k); };\
var memory = { getItem: function (k) { return has(k) ? data[k] : null; },\
setItem: function (k, v) { data[k] = String(v); }, removeItem: function (k) { delete data[k]; },\
clear: function () { data = {}; }, key: function (i) { return Object.keys(data)[i] || null; },\
get length() { return Object.keys(data).length; } };\
Object.defineProperty(window, \"localStorage\", { value: memory, configurable: true });\
Object.defineProperty(window, \"sessionStorage\", { value: memory, configurable: true });\
var real = window.indexedDB;\
var tag = \"linli-preview-\" + Math.random().toString(36).slice(2) + \":\";\
Object.defineProperty(window, \"indexedDB\", { configurable: true, value: {\
open: function (n, v) { return v === undefined ? real.open(tag + n) : real.open(tag + n, v); },\
deleteDatabase: function (n) { return real.deleteDatabase(tag + n); },\
cmp: function (a, b) { return real.cmp(a, b); } } });\
addEventListener(\"pagehide\", function () { if (real.databases) real.databases().then(function (l) {\
l.forEach(function (d) { if (d.name.indexOf(tag) === 0) real.deleteDatabase(d.name); }); }); });\
window.linliPreview = true; })();";

/// The preview's page: the build's `index.html` with [`ISOLATION`] first, no manifest,
/// branded for `config` (its policy hashes the scripts as served).
pub fn preview_page_html(html: &str, config: &ShellConfig) -> Result<String, String> {
    let at = html.find("<script").ok_or("index.html has no <script>")?;
    let mut page = format!("{}<script>{ISOLATION}</script>{}", &html[..at], &html[at..]);
    for manifest in [
        "<link rel=manifest href=manifest.webmanifest>",
        "<link rel=\"manifest\" href=\"manifest.webmanifest\">",
    ] {
        page = page.replacen(manifest, "", 1);
    }
    linli_site::brand_index(&page, config).map_err(|e| e.to_string())
}

/// A version's text and config, or 404.
async fn version(state: &AppState, version: i64) -> Result<(String, ShellConfig), ApiError> {
    let body = state
        .store
        .config_body(version)
        .await?
        .ok_or(ApiError::NotFound(StaffText::NfConfig))?;
    let config =
        linli_core::config::parse(&body).map_err(|_| ApiError::NotFound(StaffText::NfConfig))?;
    Ok((body, config))
}

/// `GET /staff/settings/{version}/preview`: the two frames.
pub async fn preview_page(
    State(state): State<AppState>,
    Path(v): Path<i64>,
    Staff { cx, .. }: Staff<Admins>,
) -> Result<Response, ApiError> {
    version(&state, v).await?;
    let in_force = state.store.published_version().await?;
    let lang = cx.lang;
    let src = format!("/staff/preview/{v}/");
    let body = html! {
        p.muted { (lang.t(StaffText::SetPreviewNote)) }
        div.previews {
            figure {
                figcaption { (lang.t(StaffText::SetPreviewNormal)) }
                iframe.phone src=(src) width="412" height="823" title=(lang.t(StaffText::SetPreviewNormal)) {}
            }
            figure {
                figcaption { (lang.t(StaffText::SetPreviewElder)) }
                iframe.phone src=(format!("{src}?elder=1")) width="412" height="823" title=(lang.t(StaffText::SetPreviewElder)) {}
            }
        }
        p.buttons {
            @if in_force != Some(v) {
                (super::confirmed_post(&cx, &format!("/staff/settings/{v}/publish"), lang.t(StaffText::SetPublish), &lang.fill(StaffText::SetConfirmPublish, &[("version", &v.to_string())])))
            }
            a href=(format!("/staff/settings?from={v}")) { (lang.t(StaffText::SetEdit)) }
            a href="/staff/settings" { (lang.t(StaffText::SetNav)) }
        }
    };
    let title = lang.fill(StaffText::SetPreviewTitle, &[("version", &v.to_string())]);
    Ok(page(cx.frame(), &title, body))
}

fn file(mime: &str, bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    if let Ok(v) = HeaderValue::from_str(mime) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    response
}

/// Whether a path is a plain relative file path (no `..`, no empty or hidden part).
fn plain(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 200
        && !path.contains('\\')
        && path
            .split('/')
            .all(|p| !p.is_empty() && !p.starts_with('.'))
}

/// `GET /staff/preview/{version}/` and `/staff/preview/{version}/{*path}`: the app's
/// files for a preview frame.
pub async fn preview_file(
    State(state): State<AppState>,
    Path((v, path)): Path<(i64, String)>,
    Staff { .. }: Staff<Admins>,
) -> Result<Response, ApiError> {
    let (body, config) = version(&state, v).await?;
    let path = path.trim_start_matches('/');
    let build = state.site.build().map(std::path::Path::to_path_buf);
    let not_found = || ApiError::NotFound(StaffText::NfRecord);
    match path {
        "" | "index.html" => {
            let build = build.ok_or_else(not_found)?;
            let html =
                std::fs::read_to_string(build.join("index.html")).map_err(|_| not_found())?;
            let page = preview_page_html(&html, &config).map_err(ApiError::Internal)?;
            // The page's own policy (its scripts, the preview's among them), framed by
            // the console only.
            let policy = linli_site::csp::meta_policy(&page).unwrap_or_default();
            let mut response = file("text/html; charset=utf-8", page.into_bytes());
            if let Ok(v) = HeaderValue::from_str(&format!(
                "{}; frame-ancestors 'self'",
                policy.trim_end_matches(';')
            )) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_SECURITY_POLICY, v);
            }
            Ok(response)
        }
        "config.json" => Ok(file("application/json", body.into_bytes())),
        "manifest.webmanifest" => Ok(file(
            "application/manifest+json",
            linli_site::manifest(&config).into_bytes(),
        )),
        "api/v1/notices" => crate::api::notices(State(state)).await,
        // No worker for a preview: it would take over the app's scope.
        "sw.js" => Ok(StatusCode::NOT_FOUND.into_response()),
        _ if plain(path) => {
            if let Some(asset) = state.store.asset(path).await? {
                return Ok(file(&asset.mime, asset.bytes));
            }
            let build = build.ok_or_else(not_found)?;
            let bytes = std::fs::read(build.join(path)).map_err(|_| not_found())?;
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            Ok(file(mime.essence_str(), bytes))
        }
        _ => Err(not_found()),
    }
}

/// Anything but reading under `/staff/preview/` (a submission, linking a household):
/// 503, so the preview's app tries later and nothing is refused or stored.
pub async fn preview_elsewhere() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "3600")],
    )
        .into_response()
}

/// `GET /staff/preview/{version}/`: the app's page for a preview frame.
pub async fn preview_index(
    state: State<AppState>,
    Path(v): Path<i64>,
    staff: Staff<Admins>,
) -> Result<Response, ApiError> {
    preview_file(state, Path((v, String::new())), staff).await
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn preview_paths_stay_inside_the_build() {
        for bad in ["", "../x", "a/../b", "/etc/passwd", ".env", "a//b", "a\\b"] {
            assert!(!plain(bad), "{bad}");
        }
        assert!(plain("linli-shell-0123456789abcdef_bg.wasm") && plain("icons/icon-192.png"));
    }
}
