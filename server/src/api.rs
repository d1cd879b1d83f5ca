//! The HTTP API, `/api/v1`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use linli_core::json::{self, Value};
use linli_core::sync::wire::{Envelope, WireError};

use crate::error::ApiError;
use crate::kinds::Kinds;
use crate::store::Store;

/// The largest body accepted: a submission is a few kilobytes at most.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Failed household-code attempts allowed per client per window.
pub const CODE_ATTEMPTS: u32 = 10;
/// The rate-limit window, in ms.
pub const WINDOW_MS: i64 = 10 * 60 * 1000;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<Store>,
    /// Accepted submission kinds.
    pub kinds: Kinds,
    /// Now, in ms since the epoch (a parameter so tests can set the time).
    pub clock: fn() -> i64,
    /// Failed attempts per client.
    pub limiter: Arc<Limiter>,
}

impl AppState {
    /// State with the system clock.
    pub fn new(store: Arc<Store>, kinds: Kinds) -> AppState {
        AppState {
            store,
            kinds,
            clock: system_now,
            limiter: Arc::new(Limiter::default()),
        }
    }
}

/// Milliseconds since the Unix epoch from the system clock.
pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Counts failures per key in fixed windows.
#[derive(Default)]
pub struct Limiter(Mutex<HashMap<String, (i64, u32)>>);

impl Limiter {
    /// Whether `key` may try again now.
    pub fn allowed(&self, key: &str, now: i64, max: u32) -> bool {
        let Ok(map) = self.0.lock() else { return false };
        match map.get(key) {
            Some((start, n)) if now - start < WINDOW_MS => *n < max,
            _ => true,
        }
    }

    /// Records a failure for `key`.
    pub fn fail(&self, key: &str, now: i64) {
        if let Ok(mut map) = self.0.lock() {
            let slot = map.entry(key.to_owned()).or_insert((now, 0));
            if now - slot.0 >= WINDOW_MS {
                *slot = (now, 0);
            }
            slot.1 += 1;
        }
    }
}

/// The router: the API, and the deployment's static folder when given.
pub fn router(state: AppState, static_dir: Option<PathBuf>) -> Router {
    let api = Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/devices", post(register_device))
        .route("/api/v1/submissions", post(submit));
    let api = match static_dir {
        Some(dir) => {
            api.fallback_service(tower_http::services::ServeDir::new(dir).precompressed_gzip())
        }
        None => api,
    };
    api.layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// A JSON response from a core value.
pub fn json_response(status: StatusCode, value: &Value) -> Response {
    let mut response = Response::new(Body::from(json::to_string(value)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

async fn healthz() -> Response {
    json_response(
        StatusCode::OK,
        &Value::Object(vec![("status".into(), Value::String("ok".into()))]),
    )
}

/// Reads a JSON body within the size limit into the core value tree.
async fn read_json(request: Request) -> Result<(HeaderMap, Option<SocketAddr>, Value), ApiError> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| ApiError::TooLarge)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| ApiError::Malformed("not UTF-8".into()))?;
    let value = json::from_str(text).map_err(|e| ApiError::Malformed(e.to_string()))?;
    Ok((parts.headers, peer, value))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn text_field<'v>(value: &'v Value, key: &str, max: usize) -> Result<&'v str, ApiError> {
    let invalid = |message: &str| {
        ApiError::Invalid(WireError {
            field: key.into(),
            message: message.into(),
        })
    };
    let Value::Object(members) = value else {
        return Err(ApiError::Invalid(WireError {
            field: String::new(),
            message: format!("expected an object, found {}", value.kind()),
        }));
    };
    match members.iter().find(|(k, _)| k == key).map(|(_, v)| v) {
        Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= max => Ok(s),
        Some(Value::String(_)) => Err(invalid("must be 1 to 64 characters")),
        Some(other) => Err(invalid(&format!("expected string, found {}", other.kind()))),
        None => Err(invalid("is missing")),
    }
}

/// `POST /api/v1/devices {code, device}` → `{token, unit_id}`: a household code,
/// once, for a device token bound to the code's unit.
async fn register_device(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (_, peer, body) = read_json(request).await?;
    let now = (state.clock)();
    let key = format!(
        "code:{}",
        peer.map(|p| p.ip().to_string()).unwrap_or_default()
    );
    if !state.limiter.allowed(&key, now, CODE_ATTEMPTS) {
        return Err(ApiError::RateLimited);
    }
    let code = text_field(&body, "code", 20)?;
    let device = text_field(&body, "device", 64)?;
    match state.store.register_device(code, device, now).await? {
        Some((token, unit_id)) => Ok(json_response(
            StatusCode::CREATED,
            &Value::Object(vec![
                ("token".into(), Value::String(token)),
                ("unit_id".into(), Value::Number(unit_id as f64)),
            ]),
        )),
        None => {
            state.limiter.fail(&key, now);
            Err(ApiError::NotFound(
                "household code (or it was already used)",
            ))
        }
    }
}

/// `POST /api/v1/submissions` with a device token: stores once, answers the ack.
async fn submit(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let (headers, _, body) = read_json(request).await?;
    let token = bearer(&headers).ok_or(ApiError::Unauthorized)?;
    let unit_id = state
        .store
        .device_unit(token)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let envelope = Envelope::from_value(&body).map_err(ApiError::Invalid)?;
    if let Some(key) = headers.get("idempotency-key") {
        if key.to_str().ok() != Some(envelope.id.as_str()) {
            return Err(ApiError::Invalid(WireError {
                field: "id".into(),
                message: "does not match the Idempotency-Key header".into(),
            }));
        }
    }
    state.kinds.check(&envelope.kind, &envelope.payload)?;
    let ack = state
        .store
        .submit(&envelope, unit_id, (state.clock)())
        .await?;
    Ok((
        StatusCode::OK,
        json_response(StatusCode::OK, &ack.to_value()),
    )
        .into_response())
}
