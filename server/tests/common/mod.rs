//! Shared set-up for the server tests: a fresh SQLite file per test, requests through
//! the real router.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use linli_core::json::{self, Value};
use linli_core::sync::wire::{ErrorBody, WireError};
use linli_server::{router, Actor, AppState, Kinds, Store};
use tower::ServiceExt;

pub static DB_COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn temp_db() -> PathBuf {
    let n = DB_COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("linli-server-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("test.sqlite3")
}

/// A kind for tests: `{"text": non-empty string}`.
pub fn note(payload: &Value) -> Result<(), WireError> {
    match payload {
        Value::Object(m) => match m.iter().find(|(k, _)| k == "text") {
            Some((_, Value::String(s))) if !s.is_empty() => Ok(()),
            _ => Err(WireError {
                field: "text".into(),
                message: "must be a non-empty string".into(),
            }),
        },
        _ => Err(WireError {
            field: String::new(),
            message: "expected an object".into(),
        }),
    }
}

pub struct Fixture {
    pub app: Router,
    pub store: Arc<Store>,
    pub token: String,
    pub db: PathBuf,
}

pub async fn fixture() -> Fixture {
    let db = temp_db();
    let store = Arc::new(Store::open(&db).await.unwrap());
    let unit = store
        .add_unit("3幢2单元401", "3", &Actor::system(), 1)
        .await
        .unwrap();
    let code = store.issue_code(unit, &Actor::system(), 2).await.unwrap();
    let app = router(
        AppState::new(store.clone(), Kinds::builtin().with("test_note", note)),
        None,
    );
    let (status, body) = call(
        &app,
        post(
            "/api/v1/devices",
            None,
            &format!(r#"{{"code": "{code}", "device": "phone-1"}}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body:?}");
    let Value::Object(m) = body else { panic!() };
    let Some((_, Value::String(token))) = m.into_iter().find(|(k, _)| k == "token") else {
        panic!()
    };
    Fixture {
        app,
        store,
        token,
        db,
    }
}

pub fn post(path: &str, token: Option<&str>, body: &str) -> Request<Body> {
    let mut r = Request::post(path).header("content-type", "application/json");
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

pub async fn call(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    (status, json::from_str(&text).unwrap_or(Value::String(text)))
}

pub fn error(body: &Value) -> ErrorBody {
    ErrorBody::from_value(body).unwrap()
}

pub fn get(path: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::get(path);
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::empty()).unwrap()
}
