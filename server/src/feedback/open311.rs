//! Open311 GeoReport v2 (<http://wiki.open311.org/GeoReport_v2>): the deployment's
//! categories as services and its cases as service requests, so existing 311 tools can
//! read them, and machine clients holding a key staff issued can report into the same
//! loop.
//!
//! - `GET /open311/discovery.json` — the discovery document (JSON only).
//! - `GET /open311/v2/services.json`, `GET /open311/v2/services/{code}.json`.
//! - `GET /open311/v2/requests.json` — filters `service_request_id` (a comma list; the
//!   others are then ignored, as the spec says), `service_code`, `status`
//!   (`open`/`closed`), `start_date`, `end_date` (W3C / RFC 3339); by default the last
//!   90 days, at most 1,000.
//! - `GET /open311/v2/requests/{id}.json`.
//! - `POST /open311/v2/requests.json` — form-encoded: `api_key`, `service_code`, a
//!   location (`lat` and `long`, `address_string` or `address_id`), `attribute[place]`,
//!   `description`, `first_name`, `last_name`, `phone`, `email`, … Answered with the
//!   `service_request_id` directly (no tokens).
//!
//! Our seven states map to `open` (受理 to 答复) and `closed` (办结, 回访, 评价), the state
//! itself in `status_notes`. What residents wrote and anything personal (names, phones,
//! emails, photos) is never in a response: `description` is left out, `address` is the
//! place (a building or a public space). Only JSON is served: `.xml` answers 404 with
//! a JSON error array, as the discovery document says. Errors are GeoReport error
//! arrays (`[{"code": 400, "description": "…"}]`), never an empty list.

// The errors here are finished GeoReport error responses, made once on a request's
// error path and returned as they are; boxing them would only add an allocation.
#![allow(clippy::result_large_err)]

use axum::body::to_bytes;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use linli_core::config::{FeedbackConfig, ShellConfig, MAX_PLACE};
use linli_core::feedback::{normalise_phone, State as CaseState, MAX_DESCRIPTION};
use linli_core::json::Value;
use linli_core::Lang;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

use super::store::{insert_case, CaseFilter, CaseRow, NewCase, LIST_LIMIT};
use crate::app::AppState;
use crate::http::json_response;
use crate::store::Actor;

/// The GeoReport v2 routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/open311/discovery.json", get(discovery))
        .route("/open311/discovery.xml", get(xml))
        .route("/open311/v2/services.json", get(services))
        .route("/open311/v2/services.xml", get(xml))
        .route("/open311/v2/services/{file}", get(service))
        .route("/open311/v2/requests.json", get(requests).post(create))
        .route("/open311/v2/requests.xml", get(xml).post(xml))
        .route("/open311/v2/requests/{file}", get(request))
}

/// When this server's GeoReport interface last changed (the discovery's `changeset`).
pub const CHANGESET: &str = "2026-12-02T00:00:00+08:00";
/// The default window of `requests.json`, in days.
pub const DEFAULT_DAYS: i64 = 90;
/// The largest `POST` body, in bytes.
pub const POST_LIMIT: usize = 16 * 1024;

/// A GeoReport error array with its HTTP status.
fn error(status: StatusCode, description: &str) -> Response {
    let mut r = json_response(
        status,
        &Value::Array(vec![Value::object(vec![
            ("code", Value::Number(f64::from(status.as_u16()))),
            ("description", Value::String(description.to_owned())),
        ])]),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}

async fn xml() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "Only JSON is served: use the .json endpoints (see /open311/discovery.json).",
    )
}

fn config_of(state: &AppState) -> Result<std::sync::Arc<ShellConfig>, Response> {
    state
        .deployment()
        .filter(|c| super::offered(Some(c)).is_some())
        .ok_or_else(|| {
            error(
                StatusCode::NOT_FOUND,
                "This deployment does not take reports.",
            )
        })
}

/// What a deployment that does not take reports answers.
fn not_offered() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "This deployment does not take reports.",
    )
}

/// An instant as W3C date-time (RFC 3339) in the deployment's zone.
pub fn w3c(ms: i64, offset_minutes: i64) -> String {
    let offset =
        UtcOffset::from_whole_seconds((offset_minutes * 60) as i32).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .map(|t| t.to_offset(offset).replace_nanosecond(0).unwrap_or(t))
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// A W3C date-time (`2026-12-01T08:00:00+08:00`, `…Z`) or date (`2026-12-01`, the
/// start of that day in the deployment's zone) as ms.
pub fn parse_w3c(text: &str, offset_minutes: i64) -> Option<i64> {
    // An offset's `+` sent unencoded in a query string arrives as a space.
    let text = &text.replace(' ', "+");
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok();
    }
    linli_core::date::Date::parse(text).map(|d| d.local_instant(0, offset_minutes))
}

async fn discovery(State(state): State<AppState>) -> Response {
    let config = match config_of(&state) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let base = state
        .net
        .public_origin
        .as_deref()
        .map(|u| format!("{}/open311/v2", u.trim_end_matches('/')))
        .unwrap_or_else(|| "/open311/v2".to_owned());
    let changeset = CHANGESET.to_owned();
    json_response(
        StatusCode::OK,
        &Value::object(vec![
            ("changeset", Value::String(changeset.clone())),
            (
                "contact",
                Value::String(format!(
                    "{} — {}",
                    config.name.get(Lang::ZhCn),
                    config.hotline
                )),
            ),
            (
                "key_service",
                Value::String(
                    "API keys for POST are issued to machine clients by the sub-district's \
                     administrators (console: 诉求办理 → Open311). Only JSON is served: \
                     .xml endpoints answer 404 with a JSON error array."
                        .into(),
                ),
            ),
            (
                "endpoints",
                Value::Array(vec![Value::object(vec![
                    (
                        "specification",
                        Value::String("http://wiki.open311.org/GeoReport_v2".into()),
                    ),
                    ("url", Value::String(base)),
                    ("changeset", Value::String(changeset)),
                    ("type", Value::String("production".into())),
                    (
                        "formats",
                        Value::Array(vec![Value::String("application/json".into())]),
                    ),
                ])]),
            ),
        ]),
    )
}

fn service_value(config: &FeedbackConfig, id: &str) -> Option<Value> {
    let c = config.category(id)?;
    let group = c
        .handler
        .as_deref()
        .and_then(|h| config.handler(h))
        .map_or_else(String::new, |h| h.name.get(Lang::ZhCn).to_owned());
    let name = match &c.name.en {
        Some(en) => format!("{} / {en}", c.name.zh),
        None => c.name.zh.clone(),
    };
    Some(Value::object(vec![
        ("service_code", Value::String(c.id.clone())),
        ("service_name", Value::String(name.clone())),
        ("description", Value::String(name)),
        ("metadata", Value::Bool(!config.places.is_empty())),
        ("type", Value::String("realtime".into())),
        ("keywords", Value::String(c.id.clone())),
        ("group", Value::String(group)),
    ]))
}

async fn services(State(state): State<AppState>) -> Response {
    let config = match config_of(&state) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(fb) = config.feedback.as_ref() else {
        return not_offered();
    };
    json_response(
        StatusCode::OK,
        &Value::Array(
            fb.categories
                .iter()
                .filter_map(|c| service_value(fb, &c.id))
                .collect(),
        ),
    )
}

/// The `.json` name of a path's last segment, or the error a client gets.
fn json_name(file: &str) -> Result<&str, Response> {
    match file.strip_suffix(".json") {
        Some(name) if !name.is_empty() => Ok(name),
        _ if file.ends_with(".xml") => Err(error(
            StatusCode::NOT_FOUND,
            "Only JSON is served: use the .json endpoints (see /open311/discovery.json).",
        )),
        _ => Err(error(
            StatusCode::NOT_FOUND,
            "Not found: paths end in .json.",
        )),
    }
}

/// `GET /open311/v2/services/{code}.json`: the service definition — one attribute,
/// `place`, a single-value list of the deployment's places (buildings and public
/// spaces), not required.
async fn service(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let config = match config_of(&state) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let code = match json_name(&file) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(fb) = config.feedback.as_ref() else {
        return not_offered();
    };
    if fb.category(code).is_none() {
        return error(
            StatusCode::NOT_FOUND,
            &format!("No service with code \"{code}\"."),
        );
    }
    let attributes = if fb.places.is_empty() {
        Vec::new()
    } else {
        vec![Value::object(vec![
            ("variable", Value::Bool(true)),
            ("code", Value::String("place".into())),
            ("datatype", Value::String("singlevaluelist".into())),
            ("required", Value::Bool(false)),
            (
                "datatype_description",
                Value::String("One of the listed places, or give address_string instead.".into()),
            ),
            ("order", Value::Number(1.0)),
            ("description", Value::String("地点 / Place".into())),
            (
                "values",
                Value::Array(
                    fb.places
                        .iter()
                        .map(|p| {
                            Value::object(vec![
                                ("key", Value::String(p.clone())),
                                ("name", Value::String(p.clone())),
                            ])
                        })
                        .collect(),
                ),
            ),
        ])]
    };
    json_response(
        StatusCode::OK,
        &Value::object(vec![
            ("service_code", Value::String(code.to_owned())),
            ("attributes", Value::Array(attributes)),
        ]),
    )
}

/// `open` or `closed`, as GeoReport v2 has them.
pub fn status_of(s: CaseState) -> &'static str {
    if s.finished() {
        "closed"
    } else {
        "open"
    }
}

/// A case as the public sees it through Open311: no description (`null`: what a
/// resident wrote is not published), no personal data, the place as one of the
/// deployment's places or a building.
fn request_value(c: &CaseRow, fb: &FeedbackConfig, offset: i64) -> Value {
    let service_name = fb
        .category(&c.category)
        .map_or_else(|| c.category.clone(), |k| k.name.zh.clone());
    let agency = c
        .handler
        .as_deref()
        .and_then(|h| fb.handler(h))
        .map_or_else(String::new, |h| h.name.get(Lang::ZhCn).to_owned());
    let mut members = vec![
        ("service_request_id", Value::String(c.id.to_string())),
        ("status", Value::String(status_of(c.state).into())),
        (
            "status_notes",
            Value::String(format!(
                "{} ({})",
                Lang::ZhCn.t(c.state.text()),
                c.state.id()
            )),
        ),
        ("service_name", Value::String(service_name)),
        ("service_code", Value::String(c.category.clone())),
        ("description", Value::Null),
        ("agency_responsible", Value::String(agency)),
        ("service_notice", Value::String(String::new())),
        (
            "requested_datetime",
            Value::String(w3c(c.created_at, offset)),
        ),
        ("updated_datetime", Value::String(w3c(c.updated_at, offset))),
    ];
    let due = fb
        .limits(&c.category)
        .due(c.state, c.recorded_at, &fb.calendar, offset);
    members.push((
        "expected_datetime",
        due.map_or(Value::Null, |d| Value::String(w3c(d, offset))),
    ));
    members.push((
        "address",
        Value::String(super::pages::public_place(&c.place, fb)),
    ));
    members.push(("address_id", Value::Null));
    members.push(("zipcode", Value::Null));
    let (lat, lon) = match (c.lat, c.lon) {
        (Some(lat), Some(lon)) => (Value::Number(lat), Value::Number(lon)),
        _ => (Value::Null, Value::Null),
    };
    members.push(("lat", lat));
    members.push(("long", lon));
    members.push(("media_url", Value::Null));
    Value::object(members)
}

fn query_pairs(uri: &axum::http::Uri) -> Vec<(String, String)> {
    form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn one<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// `GET /open311/v2/requests.json`.
async fn requests(State(state): State<AppState>, request: Request) -> Response {
    let config = match config_of(&state) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(fb) = config.feedback.as_ref() else {
        return not_offered();
    };
    let pairs = query_pairs(request.uri());
    let offset = state.utc_offset_minutes();
    let now = state.now();
    let mut filter = CaseFilter::default();
    if let Some(ids) = one(&pairs, "service_request_id") {
        let parsed: Result<Vec<i64>, _> = ids.split(',').map(|s| s.trim().parse::<i64>()).collect();
        match parsed {
            Ok(list) if !list.is_empty() && list.len() <= 1_000 => filter.ids = list,
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "service_request_id must be a comma-separated list of request ids.",
                )
            }
        }
    } else {
        if let Some(code) = one(&pairs, "service_code") {
            if fb.category(code).is_none() {
                return error(
                    StatusCode::BAD_REQUEST,
                    &format!("Unknown service_code \"{code}\"."),
                );
            }
            filter.category = Some(code.to_owned());
        }
        let bound = |key: &str| match one(&pairs, key) {
            None => Ok(None),
            Some(t) => parse_w3c(t, offset).map(Some).ok_or_else(|| {
                error(
                    StatusCode::BAD_REQUEST,
                    &format!("{key} must be a W3C date-time such as 2026-12-01T08:00:00+08:00."),
                )
            }),
        };
        let start = match bound("start_date") {
            Ok(v) => v,
            Err(r) => return r,
        };
        let end = match bound("end_date") {
            Ok(v) => v,
            Err(r) => return r,
        };
        if let (Some(s), Some(e)) = (start, end) {
            if s > e {
                return error(StatusCode::BAD_REQUEST, "start_date is after end_date.");
            }
        }
        let day = 86_400_000;
        filter.from = Some(start.unwrap_or_else(|| end.unwrap_or(now) - DEFAULT_DAYS * day));
        filter.to = end.map(|e| e + 1);
    }
    // With request ids the other filters are ignored, as the spec says.
    let status = match one(&pairs, "status").filter(|_| filter.ids.is_empty()) {
        None => None,
        Some(s) => {
            let wanted: Result<Vec<&str>, ()> = s
                .split(',')
                .map(|x| match x.trim() {
                    v @ ("open" | "closed") => Ok(v),
                    _ => Err(()),
                })
                .collect();
            match wanted {
                Ok(list) => Some(list),
                Err(()) => return error(StatusCode::BAD_REQUEST, "status must be open or closed."),
            }
        }
    };
    if let Some(wanted) = &status {
        filter.states = CaseState::ALL
            .into_iter()
            .filter(|s| wanted.contains(&status_of(*s)))
            .collect();
    }
    filter.newest_first = true;
    let rows = match state.store.feedback_cases(&filter, LIST_LIMIT).await {
        Ok(r) => r,
        Err(e) => {
            crate::log::event("open311_error", &[("error", &e.to_string())]);
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The request could not be read.",
            );
        }
    };
    let list: Vec<Value> = rows.iter().map(|c| request_value(c, fb, offset)).collect();
    json_response(StatusCode::OK, &Value::Array(list))
}

/// `GET /open311/v2/requests/{id}.json`: one request, as an array of one.
async fn request(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let config = match config_of(&state) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(fb) = config.feedback.as_ref() else {
        return not_offered();
    };
    let id = match json_name(&file).map(|n| n.parse::<i64>()) {
        Ok(Ok(id)) => id,
        Ok(Err(_)) => return error(StatusCode::BAD_REQUEST, "The request id is a number."),
        Err(r) => return r,
    };
    match state.store.feedback_case(id).await {
        Ok(Some(c)) => json_response(
            StatusCode::OK,
            &Value::Array(vec![request_value(&c, fb, state.utc_offset_minutes())]),
        ),
        Ok(None) => error(StatusCode::NOT_FOUND, &format!("No request {id}.")),
        Err(e) => {
            crate::log::event("open311_error", &[("error", &e.to_string())]);
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The request could not be read.",
            )
        }
    }
}

fn capped<'a>(
    pairs: &'a [(String, String)],
    key: &str,
    max: usize,
) -> Result<Option<&'a str>, Response> {
    match one(pairs, key).map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() > max => Err(error(
            StatusCode::BAD_REQUEST,
            &format!("{key} is longer than {max} characters."),
        )),
        other => Ok(other),
    }
}

/// `POST /open311/v2/requests.json` (form-encoded, with `api_key`): a new case in 受理,
/// in the same loop as residents' reports.
async fn create(State(state): State<AppState>, request: Request) -> Response {
    let config = match config_of(&state) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(fb) = config.feedback.as_ref() else {
        return not_offered();
    };
    let form_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return error(
            StatusCode::BAD_REQUEST,
            "POST is form-encoded (application/x-www-form-urlencoded).",
        );
    }
    let Ok(body) = to_bytes(request.into_body(), POST_LIMIT).await else {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request is larger than 16 KB.",
        );
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let Some(key) = one(&pairs, "api_key").filter(|k| !k.is_empty() && k.len() <= 200) else {
        return error(
            StatusCode::FORBIDDEN,
            "api_key is required to create a request.",
        );
    };
    let client = match state.store.open311_client(key).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            crate::log::event("auth_failure", &[("kind", "open311_key")]);
            return error(StatusCode::FORBIDDEN, "The api_key is not valid.");
        }
        Err(e) => {
            crate::log::event("open311_error", &[("error", &e.to_string())]);
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The request could not be stored.",
            );
        }
    };
    let read = || -> Result<NewCase, Response> {
        let code = one(&pairs, "service_code").unwrap_or_default();
        let Some(category) = fb.category(code) else {
            return Err(error(
                StatusCode::BAD_REQUEST,
                &format!("service_code \"{code}\" is not a service (see services.json)."),
            ));
        };
        let number = |key: &str, lo: f64, hi: f64| -> Result<Option<f64>, Response> {
            match one(&pairs, key).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= lo && *x <= hi)
                    .map(Some)
                    .ok_or_else(|| {
                        error(
                            StatusCode::BAD_REQUEST,
                            &format!("{key} is not a coordinate."),
                        )
                    }),
            }
        };
        let lat = number("lat", -90.0, 90.0)?;
        let lon = number("long", -180.0, 180.0)?;
        let address = capped(&pairs, "address_string", 200)?;
        let address_id = capped(&pairs, "address_id", MAX_PLACE)?;
        let place_attr = capped(&pairs, "attribute[place]", MAX_PLACE)?;
        if (lat.is_none() || lon.is_none())
            && address.is_none()
            && address_id.is_none()
            && place_attr.is_none()
        {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "A location is required: lat and long, address_string or address_id.",
            ));
        }
        if let Some(p) = place_attr {
            if !fb.places.iter().any(|x| x == p) {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "attribute[place] is not one of the service definition's values.",
                ));
            }
        }
        let place: String = place_attr
            .or(address_id)
            .or(address)
            .map(|p| p.chars().take(MAX_PLACE).collect())
            .unwrap_or_else(|| "—".to_owned());
        let description = capped(&pairs, "description", MAX_DESCRIPTION)?
            .map_or_else(|| category.name.zh.clone(), str::to_owned);
        let phone = match capped(&pairs, "phone", 30)? {
            None => None,
            Some(p) => Some(normalise_phone(p).map_err(|_| {
                error(
                    StatusCode::BAD_REQUEST,
                    "phone is not an 11-digit mainland mobile number.",
                )
            })?),
        };
        let first = capped(&pairs, "first_name", 40)?;
        let last = capped(&pairs, "last_name", 40)?;
        let name = match (last, first) {
            (None, None) => None,
            (l, f) => Some(format!(
                "{}{}",
                l.unwrap_or_default(),
                f.unwrap_or_default()
            )),
        };
        Ok(NewCase {
            source: "open311",
            category: category.id.clone(),
            place,
            description,
            phone,
            contact_name: name,
            email: capped(&pairs, "email", 100)?.map(str::to_owned),
            lat: lat.filter(|_| lon.is_some()),
            lon: lon.filter(|_| lat.is_some()),
            address: address.map(str::to_owned),
            api_key_id: Some(client.0),
            ..NewCase::default()
        })
    };
    let new = match read() {
        Ok(n) => n,
        Err(r) => return r,
    };
    let by = Actor {
        name: client.1.clone(),
        role: "open311".into(),
    };
    let now = state.now();
    let stored = state
        .store
        .write_tx(async |tx| insert_case(tx, &new, &by, now).await)
        .await;
    match stored {
        Ok(id) => json_response(
            StatusCode::CREATED,
            &Value::Array(vec![Value::object(vec![
                ("service_request_id", Value::String(id.to_string())),
                (
                    "service_notice",
                    Value::String(
                        "已受理，可用 service_request_id 查询办理进度 / Recorded: follow it by its service_request_id."
                            .into(),
                    ),
                ),
                ("account_id", Value::Null),
            ])]),
        ),
        Err(e) => {
            crate::log::event("open311_error", &[("error", &e.to_string())]);
            error(StatusCode::INTERNAL_SERVER_ERROR, "The request could not be stored.")
        }
    }
}
