//! The HTTP API, `/api/v1`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use linli_core::json::{self, Value};
use linli_core::sync::wire::{Envelope, WireError};

use crate::error::ApiError;
use crate::kinds::Kinds;
use crate::staff::{Role, StaffMember};
use crate::store::{Actor, Store};

/// The largest body accepted: a submission is a few kilobytes at most.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Failed household-code attempts allowed per client per window.
pub const CODE_ATTEMPTS: u32 = 10;
/// Failed logins allowed per client and name per window.
pub const LOGIN_ATTEMPTS: u32 = 5;
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
    /// The deployment's config (from its folder), when the server has one.
    pub deployment: Option<Arc<linli_core::config::ShellConfig>>,
}

impl AppState {
    /// State with the system clock.
    pub fn new(store: Arc<Store>, kinds: Kinds) -> AppState {
        AppState {
            store,
            kinds,
            clock: system_now,
            limiter: Arc::new(Limiter::default()),
            deployment: None,
        }
    }

    /// The same state serving a deployment with this config.
    pub fn with_deployment(self, config: linli_core::config::ShellConfig) -> AppState {
        AppState {
            deployment: Some(Arc::new(config)),
            ..self
        }
    }

    /// The meals settings, when the deployment offers meals.
    pub fn meals(&self) -> Option<&linli_core::config::MealsConfig> {
        self.deployment.as_ref()?.meals.as_ref()
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

/// The API's routes, path by path: the router is built from this list, and a test
/// checks it against `openapi.json` both ways.
pub fn api_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/healthz", get(healthz)),
        ("/api/v1/devices", post(register_device)),
        ("/api/v1/submissions", post(submit).get(list_submissions)),
        ("/api/v1/updates", get(updates)),
        ("/api/v1/staff/login", post(staff_login)),
        ("/api/v1/units", get(list_units).post(create_unit)),
        ("/api/v1/units/{id}/code", post(issue_code)),
    ]
    .into_iter()
    .chain(crate::meals::api_routes())
    .collect()
}

/// The router: the API, the staff pages, and the deployment's static folder when given.
pub fn router(state: AppState, static_dir: Option<PathBuf>) -> Router {
    let api = api_routes()
        .into_iter()
        .fold(Router::new(), |r, (path, methods)| r.route(path, methods))
        .merge(crate::pages::routes())
        .merge(crate::meals::page_routes());
    let api = match static_dir {
        Some(dir) => api.fallback_service(
            Router::new()
                .fallback_service(tower_http::services::ServeDir::new(dir))
                .layer(axum::middleware::from_fn(cache_static)),
        ),
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
        &Value::object(vec![("status", Value::String("ok".into()))]),
    )
}

/// Reads a JSON body within the size limit into the core value tree.
pub(crate) async fn read_json(
    request: Request,
) -> Result<(HeaderMap, Option<SocketAddr>, Value), ApiError> {
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

/// English for clients that ask for it first, Chinese otherwise.
pub(crate) fn lang(headers: &HeaderMap) -> linli_core::Lang {
    let wants_en = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("en"));
    if wants_en {
        linli_core::Lang::En
    } else {
        linli_core::Lang::ZhCn
    }
}

/// The staff member behind a request: a bearer token, or the staff pages' cookie.
pub async fn staff_of(state: &AppState, headers: &HeaderMap) -> Result<StaffMember, ApiError> {
    let token = bearer(headers)
        .map(str::to_owned)
        .or_else(|| crate::pages::session_cookie(headers))
        .ok_or(ApiError::Unauthorized)?;
    state
        .store
        .session(&token, (state.clock)())
        .await?
        .ok_or(ApiError::Unauthorized)
}

/// The household (unit) behind a request's device token.
pub(crate) async fn unit_of(state: &AppState, headers: &HeaderMap) -> Result<i64, ApiError> {
    let token = bearer(headers).ok_or(ApiError::Unauthorized)?;
    state
        .store
        .device_unit(token)
        .await?
        .ok_or(ApiError::Unauthorized)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

pub(crate) fn text_field<'v>(value: &'v Value, key: &str, max: usize) -> Result<&'v str, ApiError> {
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
    let code = text_field(&body, "code", 20)?.to_owned();
    let device = text_field(&body, "device", 64)?.to_owned();
    let store = state.store.clone();
    let (token, unit_id) = code_attempt(&state, peer, || async move {
        store.register_device(&code, &device, now).await
    })
    .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &Value::object(vec![
            ("token", Value::String(token)),
            ("unit_id", Value::Number(unit_id as f64)),
        ]),
    ))
}

/// Runs a household-code exchange within the per-client rate limit; an unknown or
/// used code counts as a failed attempt and is a 404.
pub(crate) async fn code_attempt<T, F>(
    state: &AppState,
    peer: Option<SocketAddr>,
    attempt: impl FnOnce() -> F,
) -> Result<T, ApiError>
where
    F: std::future::Future<Output = Result<Option<T>, ApiError>>,
{
    let now = (state.clock)();
    let key = format!(
        "code:{}",
        peer.map(|p| p.ip().to_string()).unwrap_or_default()
    );
    if !state.limiter.allowed(&key, now, CODE_ATTEMPTS) {
        return Err(ApiError::RateLimited);
    }
    match attempt().await? {
        Some(v) => Ok(v),
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
    let unit_id = unit_of(&state, &headers).await?;
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
    let meals = state.meals().map(|m| (m, lang(&headers)));
    let ack = state
        .store
        .submit_with(&envelope, unit_id, (state.clock)(), meals)
        .await?;
    Ok((
        StatusCode::OK,
        json_response(StatusCode::OK, &ack.to_value()),
    )
        .into_response())
}

/// `GET /api/v1/updates?since=N` with a device token → `{updates: [...], next}`:
/// status changes of the unit's own submissions after cursor `N`.
async fn updates(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, ApiError> {
    let unit_id = unit_of(&state, &headers).await?;
    let since = query_number(query.as_deref(), "since")?.unwrap_or(0);
    let rows = state.store.updates(unit_id, since).await?;
    let next = rows.last().map_or(since, |r| r.seq);
    let list = rows
        .into_iter()
        .map(|r| {
            Value::object(vec![
                ("seq", Value::Number(r.seq as f64)),
                ("id", Value::String(r.submission_id)),
                ("status", Value::String(r.status)),
                ("note", Value::String(r.note)),
                ("at", Value::Number(r.at as f64)),
            ])
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &Value::object(vec![
            ("updates", Value::Array(list)),
            ("next", Value::Number(next as f64)),
        ]),
    ))
}

/// A whole-number query parameter (0 or more), if present.
fn query_number(query: Option<&str>, name: &str) -> Result<Option<i64>, ApiError> {
    let prefix = format!("{name}=");
    let value = query
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix(prefix.as_str()));
    match value {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| {
                ApiError::Invalid(WireError {
                    field: name.into(),
                    message: format!("\"{v}\" is not a whole number of 0 or more"),
                })
            }),
    }
}

/// `POST /api/v1/staff/login {username, password}` → `{token, role}`.
async fn staff_login(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (_, peer, body) = read_json(request).await?;
    let username = text_field(&body, "username", 64)?;
    let password = text_field(&body, "password", 200)?;
    let (token, member) = login(&state, peer, username, password).await?;
    Ok(json_response(
        StatusCode::OK,
        &Value::object(vec![
            ("token", Value::String(token)),
            ("role", Value::String(member.role.as_str().into())),
        ]),
    ))
}

/// Checks a login within the rate limit (per client address and name).
pub(crate) async fn login(
    state: &AppState,
    peer: Option<SocketAddr>,
    username: &str,
    password: &str,
) -> Result<(String, StaffMember), ApiError> {
    let now = (state.clock)();
    let key = format!(
        "login:{}:{username}",
        peer.map(|p| p.ip().to_string()).unwrap_or_default()
    );
    if !state.limiter.allowed(&key, now, LOGIN_ATTEMPTS) {
        return Err(ApiError::RateLimited);
    }
    match state.store.login(username, password, now).await? {
        Some(session) => Ok(session),
        None => {
            state.limiter.fail(&key, now);
            Err(ApiError::Unauthorized)
        }
    }
}

/// Roles that manage units and household codes.
pub const MANAGE_UNITS: &[Role] = &[Role::Admin, Role::Staff];
/// Roles that may read submissions.
pub const READ_SUBMISSIONS: &[Role] = &[Role::Admin, Role::Staff, Role::Auditor];

async fn list_units(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    staff_of(&state, &headers)
        .await?
        .require(&[Role::Admin, Role::Staff, Role::Auditor])?;
    let units = state.store.units().await?;
    let list = units
        .into_iter()
        .map(|u| {
            Value::object(vec![
                ("id", Value::Number(u.id as f64)),
                ("label", Value::String(u.label)),
                ("building", Value::String(u.building)),
                ("devices", Value::Number(u.devices as f64)),
                ("code_pending", Value::Bool(u.code_pending)),
            ])
        })
        .collect();
    Ok(json_response(StatusCode::OK, &Value::Array(list)))
}

async fn create_unit(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (headers, _, body) = read_json(request).await?;
    let member = staff_of(&state, &headers).await?;
    member.require(MANAGE_UNITS)?;
    let label = text_field(&body, "label", 64)?;
    let building = text_field(&body, "building", 64)?;
    let id = state
        .store
        .add_unit(label, building, &Actor::staff(&member), (state.clock)())
        .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &Value::object(vec![("id", Value::Number(id as f64))]),
    ))
}

async fn issue_code(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let member = staff_of(&state, &headers).await?;
    member.require(MANAGE_UNITS)?;
    let code = state
        .store
        .issue_code(id, &Actor::staff(&member), (state.clock)())
        .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &Value::object(vec![("code", Value::String(code))]),
    ))
}

async fn list_submissions(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, ApiError> {
    staff_of(&state, &headers)
        .await?
        .require(READ_SUBMISSIONS)?;
    let limit = query_number(query.as_deref(), "limit")?
        .unwrap_or(100)
        .clamp(1, 1000);
    let rows = state.store.recent_submissions(limit).await?;
    let list = rows
        .into_iter()
        .map(|r| {
            Value::object(vec![
                ("seq", Value::Number(r.seq as f64)),
                ("id", Value::String(r.id)),
                ("kind", Value::String(r.kind)),
                ("unit", Value::String(r.unit)),
                ("received_at", Value::Number(r.received_at as f64)),
                ("payload", json::from_str(&r.payload).unwrap_or(Value::Null)),
            ])
        })
        .collect();
    Ok(json_response(StatusCode::OK, &Value::Array(list)))
}

/// Caching for a deployment's files: content-hashed build files never change; the
/// rest (index.html, sw.js, config.json, manifest, icons) is revalidated every time,
/// so a redeployment or an edited config reaches residents on their next start.
async fn cache_static(request: Request, next: axum::middleware::Next) -> Response {
    let policy = cache_control(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static(policy),
        );
    }
    response
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
        "no-cache"
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

    #[test]
    fn the_limiter_counts_failures_per_window() {
        let l = Limiter::default();
        for _ in 0..3 {
            assert!(l.allowed("k", 0, 3));
            l.fail("k", 0);
        }
        assert!(!l.allowed("k", 1, 3));
        assert!(l.allowed("other", 1, 3));
        assert!(l.allowed("k", WINDOW_MS, 3), "a new window starts afresh");
    }
}
