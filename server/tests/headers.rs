//! Security headers on every response: CSP (the app's from its index.html, fixed ones
//! for the console and the API), frame-ancestors, nosniff, no-referrer, no-store on
//! anything personal, charset on HTML.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use common::*;
use linli_core::Role;
use linli_server::app::Site;
use linli_server::router;

const INDEX: &str = r#"<!doctype html><html lang=zh-CN><head><meta charset=utf-8><meta content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-AbC='; style-src 'self' 'unsafe-inline'" http-equiv=Content-Security-Policy><title>t</title></head><body></body></html>"#;

fn check(path: &str, status: StatusCode, h: &HeaderMap) {
    let csp = h
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap_or_else(|| panic!("{path} ({status}): no CSP"))
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    assert!(
        !csp.contains("unsafe-eval") || csp.contains("wasm-unsafe-eval"),
        "{path}: {csp}"
    );
    assert!(
        !csp.split(';')
            .any(|d| d.trim().starts_with("script-src") && d.contains("'unsafe-inline'")),
        "{path}: {csp}"
    );
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
    assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "{path}");
    let personal = path.starts_with("/staff") && !path.starts_with("/staff/assets")
        || path.starts_with("/api/");
    if personal {
        assert_eq!(h[header::CACHE_CONTROL], "no-store", "{path}");
    }
    if let Some(kind) = h.get(header::CONTENT_TYPE) {
        let kind = kind.to_str().unwrap();
        if kind.starts_with("text/html") {
            assert_eq!(kind, "text/html; charset=utf-8", "{path}");
        }
    }
}

#[tokio::test]
async fn every_route_answers_with_the_security_headers() {
    let f = fixture().await;
    let dir = temp_dir();
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join("sw.js"), "self.x = 1;").unwrap();
    let mut state = f.state.clone();
    state.site = Arc::new(Site::new(Some(dir.to_path_buf())));
    let app = router(state);
    let s = staff(&f.store, "boss", Role::Admin, f.clock.now()).await;
    let mut paths: Vec<(String, bool)> = [
        "/",
        "/index.html",
        "/sw.js",
        "/missing.png",
        "/staff",
        "/staff/assets/staff.css",
    ]
    .iter()
    .map(|p| (p.to_string(), false))
    .collect();
    for p in [
        "/staff/submissions",
        "/staff/units",
        "/staff/accounts",
        "/staff/audit",
        "/staff/account",
        "/staff/exports",
        "/staff/codes",
        "/staff/nowhere",
    ] {
        paths.push((p.to_string(), true));
    }
    let doc: serde_json::Value = serde_json::from_str(include_str!("../openapi.json")).unwrap();
    for p in doc["paths"].as_object().unwrap().keys() {
        paths.push((p.replace("{id}", "1").replace("{unit}", "1"), false));
    }
    for (path, signed_in) in paths {
        let mut r = Request::get(&path).extension(peer());
        if signed_in {
            r = r.header(header::COOKIE, &s.cookie);
        }
        let (status, h, _) = fetch(&app, r.body(Body::empty()).unwrap()).await;
        assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        check(&path, status, &h);
    }
    // A POST refused by the API, and a console form refused as cross-site.
    let (status, h, _) = fetch(&app, post("/api/v1/submissions", None, "{}")).await;
    check("/api/v1/submissions", status, &h);
    let (status, h, _) = fetch(
        &app,
        Request::post("/staff/units")
            .header(header::COOKIE, &s.cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    check("/staff/units", status, &h);
}

#[tokio::test]
async fn the_apps_policy_comes_from_its_index_html() {
    let f = fixture().await;
    let dir = temp_dir();
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    let mut state = f.state.clone();
    state.site = Arc::new(Site::new(Some(dir.to_path_buf())));
    let app = router(state);
    let (_, h, _) = fetch(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert_eq!(
        csp,
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-AbC='; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
    );
    let (_, h, _) = fetch(&app, Request::get("/staff").body(Body::empty()).unwrap()).await;
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self';") && !csp.contains("sha256"),
        "{csp}"
    );
}

#[tokio::test]
async fn cookies_are_secure_and_host_prefixed_over_https_only() {
    let f = fixture().await;
    common::staff(&f.store, "chef", Role::Kitchen, f.clock.now()).await;
    let login = || {
        Request::post("/staff/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .extension(peer())
            .body(Body::from(format!(
                "username=chef&password={}",
                PASSWORD.replace(' ', "+")
            )))
            .unwrap()
    };
    let (status, h, _) = fetch(&f.app, login()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = h[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.starts_with("linli_staff=") && !cookie.contains("Secure"),
        "{cookie}"
    );
    let mut state = f.state.clone();
    state.net = Arc::new(linli_server::app::Net {
        trusted: Default::default(),
        public_origin: Some("https://linli.example.gov.cn".into()),
    });
    let (_, h, _) = fetch(&router(state), login()).await;
    let cookie = h[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.starts_with("__Host-linli_staff=")
            && cookie.contains("; Secure")
            && cookie.contains("Path=/;"),
        "{cookie}"
    );
}

#[tokio::test]
async fn a_file_rewritten_within_the_same_second_is_never_answered_not_modified() {
    let f = fixture().await;
    let dir = temp_dir();
    std::fs::write(dir.join("sw.js"), r#"const VERSION = "aaaa";"#).unwrap();
    let mut state = f.state.clone();
    state.site = Arc::new(Site::new(Some(dir.to_path_buf())));
    let app = router(state);
    let get = |validators: &[(header::HeaderName, String)]| {
        let mut r = Request::get("/sw.js");
        for (name, value) in validators {
            r = r.header(name, value);
        }
        r.body(Body::empty()).unwrap()
    };
    let (status, h, body) = fetch(&app, get(&[])).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"const VERSION = "aaaa";"#)
    );
    let tag = h[header::ETAG].to_str().unwrap().to_owned();
    assert!(
        h.get(header::LAST_MODIFIED).is_none(),
        "no time to revalidate against"
    );
    // The same content: not modified.
    let (status, _, body) = fetch(&app, get(&[(header::IF_NONE_MATCH, tag.clone())])).await;
    assert_eq!((status, body.as_str()), (StatusCode::NOT_MODIFIED, ""));
    // A new deployment in the same second, and a browser asking with both validators.
    std::fs::write(dir.join("sw.js"), r#"const VERSION = "bbbb";"#).unwrap();
    let since = httpdate_now();
    let (status, h, body) = fetch(
        &app,
        get(&[
            (header::IF_NONE_MATCH, tag.clone()),
            (header::IF_MODIFIED_SINCE, since),
        ]),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"const VERSION = "bbbb";"#)
    );
    assert_ne!(h[header::ETAG].to_str().unwrap(), tag);
}

/// An HTTP date a little in the future: any file written before it is "not modified
/// since" by its time.
fn httpdate_now() -> String {
    httpdate::fmt_http_date(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
}

/// `cargo xtask dist` writes `.br` and `.gz` beside each hashed asset: the server
/// sends the one the browser accepts, says so in `Vary`, and the plain file to a
/// browser that accepts neither.
#[tokio::test]
async fn hashed_assets_are_served_precompressed_by_what_the_browser_accepts() {
    let f = fixture().await;
    let dir = temp_dir();
    let wasm = "linli-shell-0123456789abcdef_bg.wasm";
    std::fs::write(dir.join(wasm), b"plain").unwrap();
    std::fs::write(dir.join(format!("{wasm}.br")), b"brotli").unwrap();
    std::fs::write(dir.join(format!("{wasm}.gz")), b"gzip").unwrap();
    let mut state = f.state.clone();
    state.site = Arc::new(Site::new(Some(dir.to_path_buf())));
    let app = router(state);
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br"), Some("br"), "brotli"),
        (Some("gzip"), Some("gzip"), "gzip"),
        (None, None, "plain"),
    ] {
        let mut r = Request::get(format!("/{wasm}"));
        if let Some(a) = accept {
            r = r.header(header::ACCEPT_ENCODING, a);
        }
        let (status, h, got) = fetch(&app, r.body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            h.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
            encoding,
            "{accept:?}"
        );
        assert_eq!(got, body);
        assert!(
            h.get_all(header::VARY).iter().any(|v| v
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding")),
            "{h:?}"
        );
        assert_eq!(h[header::CONTENT_TYPE], "application/wasm");
    }
}
