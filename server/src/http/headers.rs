//! Security headers on every response (DESIGN.md, "Identity and access"):
//!
//! - `Content-Security-Policy`: the residents' app gets the policy `cargo xtask dist`
//!   wrote into its `index.html` (script hashes of its own inline scripts, no
//!   `unsafe-inline` or `unsafe-eval` for scripts) plus `frame-ancestors 'none'`; the
//!   console and the API get fixed policies with no inline script at all.
//! - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
//!   `X-Frame-Options: DENY` (for browsers without `frame-ancestors`), and
//!   `Strict-Transport-Security` when served over HTTPS.
//! - `Cache-Control: no-store` on the console and the API: personal data is never
//!   kept by a browser or a proxy cache.
//! - `charset=utf-8` on HTML.

use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;

/// The console: its own files only, forms post only to itself.
pub const CSP_STAFF: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/// An SVG file (a deployment's logo): drawn, never run, even opened on its own.
pub const CSP_SVG: &str =
    "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";
/// API answers: nothing to run or show.
pub const CSP_API: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
/// The residents' app when its `index.html` carries no policy of its own (a build not
/// made by `xtask dist`): inline scripts do not run.
pub const CSP_APP_FALLBACK: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'";

/// The policy read from the deployment's `index.html`, cached while the file is
/// unchanged (a redeployment replaces it while the server runs).
static APP_POLICY: Mutex<Option<(std::path::PathBuf, SystemTime, String)>> = Mutex::new(None);

pub use linli_site::csp::meta_policy;

fn app_policy(dir: &Path) -> String {
    let index = dir.join("index.html");
    let modified = std::fs::metadata(&index).and_then(|m| m.modified()).ok();
    if let (Ok(cache), Some(m)) = (APP_POLICY.lock(), modified) {
        if let Some((file, at, policy)) = cache.as_ref() {
            if *at == m && *file == index {
                return policy.clone();
            }
        }
    }
    let policy = std::fs::read_to_string(&index)
        .ok()
        .and_then(|html| meta_policy(&html))
        .map_or_else(
            || CSP_APP_FALLBACK.to_owned(),
            |p| format!("{}; frame-ancestors 'none'", p.trim().trim_end_matches(';')),
        );
    if let (Ok(mut cache), Some(m)) = (APP_POLICY.lock(), modified) {
        *cache = Some((index.clone(), m, policy.clone()));
    }
    policy
}

fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, v);
    }
}

/// Middleware: the headers above, chosen by path.
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let https = super::extract::is_https(&state, peer, request.headers());
    let mut response = next.run(request).await;
    let staff = path == "/staff" || path.starts_with("/staff/");
    let api = path.starts_with("/api/") || path == "/healthz";
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // A version's preview: the app in a frame of the console's preview page.
    let preview = path.starts_with("/staff/preview/");
    let own = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .cloned();
    let svg = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("image/svg+xml"));
    // The form designer's page carries the policy of its build's scripts.
    let designer = staff && path.starts_with("/staff/forms/") && path.ends_with("/build");
    let csp = if let (true, Some(own)) = (
        preview || designer,
        own.and_then(|v| v.to_str().ok().map(str::to_owned)),
    ) {
        // A preview's page carries its own policy (its scripts, framed by the console).
        own
    } else if svg {
        // An SVG opened on its own is a document: nothing in it runs.
        CSP_SVG.to_owned()
    } else if preview {
        let policy = match (
            state.site.current().and_then(|c| c.app_policy.clone()),
            state.site.build(),
        ) {
            (Some(policy), _) => policy,
            (None, Some(dir)) => app_policy(dir),
            (None, None) => CSP_APP_FALLBACK.to_owned(),
        };
        policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    } else if staff && path.ends_with("/preview") {
        format!("{CSP_STAFF}; frame-src 'self'")
    } else if staff {
        CSP_STAFF.to_owned()
    } else if api {
        CSP_API.to_owned()
    } else if html {
        match (
            state.site.current().and_then(|c| c.app_policy.clone()),
            state.site.build(),
        ) {
            (Some(policy), _) => policy,
            (None, Some(dir)) => app_policy(dir),
            (None, None) => CSP_APP_FALLBACK.to_owned(),
        }
    } else {
        // Scripts, WASM, images: only framing matters.
        "frame-ancestors 'none'".to_owned()
    };
    set(&mut response, header::CONTENT_SECURITY_POLICY, &csp);
    // The clock the server judges cut-offs and windows by, so the phone can correct
    // its own against the one that counts (RFC 9110 §6.6.1).
    let at = std::time::UNIX_EPOCH
        + std::time::Duration::from_millis(u64::try_from(state.now()).unwrap_or(0));
    set(&mut response, header::DATE, &httpdate::fmt_http_date(at));
    set(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(&mut response, header::REFERRER_POLICY, "no-referrer");
    let framing = if preview { "SAMEORIGIN" } else { "DENY" };
    set(&mut response, header::X_FRAME_OPTIONS, framing);
    if https {
        // Two years, as the proxy examples in DEPLOY.md send it too.
        set(
            &mut response,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        );
    }
    if (staff && !path.starts_with("/staff/assets/")) || api {
        set(&mut response, header::CACHE_CONTROL, "no-store");
    }
    if html {
        set(
            &mut response,
            header::CONTENT_TYPE,
            "text/html; charset=utf-8",
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meta_policy_is_read_quoted_or_not() {
        let quoted = r#"<head><meta http-equiv="Content-Security-Policy" content="script-src 'self' 'sha256-abc='"><title>x</title>"#;
        assert_eq!(
            meta_policy(quoted).as_deref(),
            Some("script-src 'self' 'sha256-abc='")
        );
        let minified = r#"<meta content="default-src 'self'" http-equiv=Content-Security-Policy>"#;
        assert_eq!(meta_policy(minified).as_deref(), Some("default-src 'self'"));
        assert_eq!(meta_policy("<meta charset=utf-8>"), None);
    }
}
