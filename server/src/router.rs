//! The whole router: the API (generic and every scenario's), the console (generic
//! pages and every scenario's), the deployment's static folder, and the layers every
//! response passes: security headers, request timeout, API errors in the client's
//! language, compression.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

use crate::app::AppState;
use crate::http::error::localise;
use crate::http::headers::security_headers;
use crate::http::serve::REQUEST_TIMEOUT;
use crate::{api, pages};

/// The router of `state`: its navigation is built here from the generic pages and the
/// registered scenarios.
pub fn router(mut state: AppState) -> Router {
    let (first, last) = pages::nav();
    let mut nav = first;
    for s in state.scenarios.iter() {
        nav.extend(s.nav());
    }
    nav.push(crate::evaluation::nav());
    nav.extend(last);
    state.nav = Arc::new(nav);

    let mut routes = Router::new();
    for (path, methods) in api::api_routes(&state) {
        routes = routes.route(path, methods);
    }
    routes = routes.merge(pages::routes());
    routes = routes.merge(crate::evaluation::routes());
    for s in state.scenarios.iter() {
        routes = routes.merge(s.pages());
    }
    // The files made from the published config come first, then the build's folder.
    let files = Router::new();
    let files = match state.site.build() {
        // `cargo xtask dist` writes `.br` and `.gz` beside each hashed asset: served as
        // they are, no compressing on every request.
        Some(dir) => files.fallback_service(
            tower_http::services::ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip(),
        ),
        None => files.fallback(|| async { StatusCode::NOT_FOUND.into_response() }),
    };
    let routes = routes.fallback_service(
        files
            .layer(middleware::from_fn_with_state(state.clone(), site_file))
            .layer(middleware::from_fn(cache_static))
            .with_state(state.clone()),
    );
    routes
        .layer(middleware::from_fn(localise))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// A file made from the published config (`config.json`, `index.html` for `/`, the
/// manifest, the service worker, the console's logo and icons), when there is one;
/// any other request goes on to the build's folder. Only GET and HEAD.
async fn site_file(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method();
    if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        return next.run(request).await;
    }
    let path = request.uri().path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    if matches!(path, "index.html" | "sw.js" | "config.json") {
        // What an app checks for updates: follow a publication another server process
        // made, and a build copied into the folder.
        state.site.follow(&state.store).await;
        state.site.refresh();
    }
    match state.site.file(path) {
        Some(file) => {
            let length = file.bytes.len();
            let mut response =
                axum::body::Body::from(axum::body::Bytes::copy_from_slice(&file.bytes))
                    .into_response();
            let headers = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&file.mime) {
                headers.insert(header::CONTENT_TYPE, v);
            }
            // Known here, so the content ETag below is given (and a check answered 304).
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            response
        }
        None => next.run(request).await,
    }
}

/// Caching for a deployment's files: content-hashed build files never change; the
/// rest (index.html, sw.js, config.json, manifest, icons) is revalidated every time,
/// so a redeployment or an edited config reaches residents on their next start.
///
/// Revalidation is by content, not by time: `ServeDir` answers `If-Modified-Since`
/// from the file's modification time in whole seconds, so a file rewritten within the
/// second (or put back with an older time by `rsync -a`, a rollback) was answered 304
/// and the browser kept the old `sw.js`: the new version was never offered. These
/// small files get an `ETag` of their content instead, and time-based conditions are
/// not used for them.
async fn cache_static(mut request: Request, next: Next) -> Response {
    let policy = cache_control(request.uri().path());
    if policy != NO_CACHE {
        let mut response = next.run(request).await;
        if response.status().is_success() {
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
            // The same URL is sent brotli, gzip or plain by what the browser accepts.
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        return response;
    }
    let get = request.method() == axum::http::Method::GET;
    let headers = request.headers_mut();
    // These small files are sent whole: no part by range, no condition by time.
    for name in [
        header::IF_MODIFIED_SINCE,
        header::IF_UNMODIFIED_SINCE,
        header::RANGE,
        header::IF_RANGE,
    ] {
        headers.remove(name);
    }
    let wanted = headers.remove(header::IF_NONE_MATCH);
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Any file may have a precompressed sibling: the answer depends on the encoding.
    parts
        .headers
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    parts.headers.remove(header::LAST_MODIFIED);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
    let small = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|n| n <= MAX_REVALIDATED);
    if !get || !small {
        // HEAD, or a large file: sent whole every time, never answered from a time.
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_REVALIDATED).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let tag = content_tag(&bytes);
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    let matches = wanted
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// How a revalidated file is cached.
const NO_CACHE: &str = "no-cache";
/// The largest file served with a content `ETag` (an icon is tens of kilobytes); larger
/// ones are sent whole every time.
const MAX_REVALIDATED: usize = 4 * 1024 * 1024;

/// A weak `ETag` of a file's content (weak: compression changes the bytes sent).
fn content_tag(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    format!("W/\"{}\"", crate::audit::hex(&digest[..12]))
}

/// The `Cache-Control` for a static path.
pub fn cache_control(path: &str) -> &'static str {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let hashed = stem
        .trim_end_matches("_bg")
        .rsplit_once('-')
        .is_some_and(|(_, h)| {
            (12..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit())
        });
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        NO_CACHE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_build_files_are_immutable_and_the_rest_revalidates() {
        assert_eq!(
            cache_control("/linli-shell-0123456789abcdef_bg.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("/linli-shell-d59b83a324e6563.js"),
            "public, max-age=31536000, immutable"
        );
        for path in [
            "/",
            "/index.html",
            "/sw.js",
            "/config.json",
            "/icons/icon-192.png",
            "/manifest.webmanifest",
        ] {
            assert_eq!(cache_control(path), "no-cache", "{path}");
        }
    }
}
