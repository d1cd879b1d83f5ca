//! The HTTP API, `/api/v1`: linking a device with a household code, the submission
//! path every scenario shares, status updates, the household's own data, and the
//! staff API (sign-in with the second factor, households and codes, submissions).
//! Scenarios add theirs through [`crate::app::Scenario::api`]; the list below and
//! theirs are checked against `openapi.json` both ways.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use linli_core::household::{check_name, MAX_BUILDING_CHARS, MAX_LABEL_CHARS};
use linli_core::json::{self, Value};
use linli_core::sync::clock::check_device_time;
use linli_core::sync::wire::{Envelope, WireError};
use linli_core::{StaffText, Text};
use serde::Deserialize;

use crate::app::{AppState, Incoming};
use crate::http::extract::{
    AnyStaff, ClientIp, Device, Households, JsonBody, Query, Records, ReqLang, StaffApi,
};
use crate::http::{code_attempt, json_response, number, ApiError};
use crate::sign_in::{self, Checked, FactorChecked, MAX_USERNAME_CHARS};
use crate::store::{self, Actor, SessionStage, Stored, StoredSubmission};

/// The generic API's routes, path by path, then every scenario's: the router is
/// built from this list, and a test checks it against `openapi.json` both ways.
pub fn api_routes(state: &AppState) -> Vec<(&'static str, MethodRouter<AppState>)> {
    let generic = vec![
        ("/healthz", get(healthz)),
        ("/api/v1/devices", post(register_device)),
        ("/api/v1/submissions", post(submit).get(list_submissions)),
        ("/api/v1/updates", get(updates)),
        ("/api/v1/notices", get(notices)),
        ("/api/v1/household", get(household)),
        ("/api/v1/staff/login", post(staff_login)),
        ("/api/v1/staff/logout", post(staff_logout)),
        ("/api/v1/units", get(list_units).post(create_unit)),
        ("/api/v1/units/{id}/code", post(issue_code)),
    ];
    generic
        .into_iter()
        .chain(crate::evaluation::api_routes())
        .chain(state.scenarios.iter().flat_map(|s| s.api()))
        .collect()
}

/// `GET /api/v1/notices` → `{notices, now}`: the notices residents see now (live,
/// pinned first, then the latest published), each as `linli_core::notices::to_value`
/// writes it. Public, like the notice board by the lifts: no token, no personal data.
pub(crate) async fn notices(State(state): State<AppState>) -> Result<Response, ApiError> {
    let now = state.now();
    let up = state.store.live_notices(now).await?;
    let live = linli_core::notices::live(&up, now)
        .into_iter()
        .map(|p| linli_core::notices::to_value(&p.notice))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &Value::object(vec![
            ("notices", Value::Array(live)),
            ("now", Value::Number(now as f64)),
        ]),
    ))
}

/// `GET /healthz`: `{"status": "ok"}` when this instance can reach its database
/// within 2 s, else 503 `{"status": "database_unavailable"}`, so a load balancer sends
/// residents to an instance that can store what they send.
async fn healthz(State(state): State<AppState>) -> Response {
    let reached = tokio::time::timeout(std::time::Duration::from_secs(2), state.store.ping())
        .await
        .is_ok_and(|r| r.is_ok());
    let (status, word) = if reached {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database_unavailable")
    };
    json_response(
        status,
        &Value::object(vec![("status", Value::String(word.into()))]),
    )
}

/// `POST /api/v1/devices {code, device}` → `{token, unit_id, unit}`: a household
/// code, once, for a device token bound to the code's unit; `unit` is its label
/// (3幢2单元401), so the phone can say which household it is linked to.
async fn register_device(
    State(state): State<AppState>,
    ip: ClientIp,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let now = state.now();
    let code = body.text("code", 20)?.to_owned();
    let device = body.text("device", 64)?.to_owned();
    let store = state.store.clone();
    let (token, unit_id) = code_attempt(&state, ip, || async move {
        Ok(store.register_device(&code, &device, now).await?)
    })
    .await?;
    // The code is spent and the token made: a failure to read the label must not lose
    // them (the phone then just does not name its household).
    let label = state
        .store
        .unit(unit_id, now)
        .await
        .ok()
        .flatten()
        .map(|u| u.label)
        .unwrap_or_default();
    Ok(json_response(
        StatusCode::CREATED,
        &Value::object(vec![
            ("token", Value::String(token)),
            ("unit_id", number(unit_id)),
            ("unit", Value::String(label)),
        ]),
    ))
}

/// `POST /api/v1/submissions` with a device token: the envelope, the kind's owner and
/// its payload rule checked; then in one transaction the submission stored once under
/// its id (a replay gets the original ack), the scenario's `apply`, the status events
/// and the audit entry. A refusal rolls everything back.
async fn submit(
    State(state): State<AppState>,
    device: Device,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    body: JsonBody<{ crate::http::extract::SUBMISSION_LIMIT }>,
) -> Result<Response, ApiError> {
    let envelope = read_envelope(&headers, &body.0)?;
    let scenario = state
        .scenarios
        .owner(&envelope.kind)
        .cloned()
        .ok_or_else(|| ApiError::UnknownKind(envelope.kind.clone()))?;
    scenario
        .check(&envelope.kind, &envelope.payload)
        .map_err(payload_error)?;
    let kept = json::to_string(&scenario.redact(&envelope.kind, &envelope.payload));
    let prepared = Envelope {
        payload: scenario
            .prepare(&envelope.kind, envelope.payload.clone())
            .await
            .map_err(ApiError::from)?,
        ..envelope.clone()
    };
    let digest = store::submission_digest(
        state.store.key(),
        &envelope.id,
        &json::to_string(&envelope.payload),
    );
    let now = state.now();
    let unit_id = device.unit_id;
    let created_at = i64::try_from(envelope.created_at).unwrap_or(i64::MAX);
    let ack = state
        .store
        .write_tx(async |tx| {
            let stored = StoredSubmission {
                envelope: &envelope,
                unit_id,
                payload: &kept,
                digest: &digest,
            };
            let seq = match store::insert_submission(tx.conn(), stored, now).await? {
                Stored::Replay(ack) => return Ok(ack),
                Stored::New(seq) => seq,
            };
            // A time no phone of this household could have made it at; checked after
            // the replay, so a resend of what is stored gets its ack whatever time it
            // carries. The refusal rolls the new row back.
            check_device_time(created_at, now, device.household_since).map_err(|e| {
                ApiError::Rule {
                    code: e.code(),
                    message: lang.t(Text::RefusedDeviceClock).to_owned(),
                }
            })?;
            store::add_event(tx.conn(), envelope.id.as_str(), unit_id, "received", now).await?;
            let incoming = Incoming {
                envelope: &prepared,
                unit_id,
                now,
                lang,
                linked_at: device.linked_at,
            };
            let effect = scenario.apply(tx, incoming).await.map_err(ApiError::from)?;
            for e in effect.events {
                store::add_event(tx.conn(), &e.submission, e.unit, e.status, now).await?;
            }
            tx.audit(
                now,
                &Actor::unit(unit_id),
                "submission.create",
                envelope.id.as_str(),
            )
            .await?;
            Ok::<_, ApiError>(store::new_ack(&envelope.id, seq, now)?)
        })
        .await?;
    Ok(json_response(StatusCode::OK, &ack.to_value()))
}

/// Reads a submission's envelope and checks its `Idempotency-Key` header, when sent,
/// against its id (every path that takes an outbox entry does).
pub(crate) fn read_envelope(headers: &HeaderMap, body: &Value) -> Result<Envelope, ApiError> {
    let envelope = Envelope::from_value(body).map_err(ApiError::Invalid)?;
    if let Some(key) = headers.get("idempotency-key") {
        if key.to_str().ok() != Some(envelope.id.as_str()) {
            return Err(ApiError::Invalid(WireError {
                field: "id".into(),
                message: "does not match the Idempotency-Key header".into(),
            }));
        }
    }
    Ok(envelope)
}

/// A payload's error, located under `payload`.
pub(crate) fn payload_error(e: WireError) -> ApiError {
    ApiError::Invalid(WireError {
        field: if e.field.is_empty() {
            "payload".into()
        } else {
            format!("payload.{}", e.field)
        },
        message: e.message,
    })
}

#[derive(Deserialize)]
struct Since {
    #[serde(default)]
    since: u64,
}

/// `GET /api/v1/updates?since=N` with a device token → `{updates: [...], next}`:
/// status changes of the unit's own submissions after cursor `N`.
async fn updates(
    State(state): State<AppState>,
    device: Device,
    Query(q): Query<Since>,
) -> Result<Response, ApiError> {
    let since = i64::try_from(q.since).unwrap_or(i64::MAX);
    let rows = state.store.updates(device.unit_id, since).await?;
    let next = rows.last().map_or(since, |r| r.seq);
    let list = rows
        .into_iter()
        .map(|r| {
            Value::object(vec![
                ("seq", number(r.seq)),
                ("id", Value::String(r.submission_id)),
                ("status", Value::String(r.status)),
                ("note", Value::String(r.note)),
                ("at", number(r.at)),
            ])
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &Value::object(vec![
            ("updates", Value::Array(list)),
            ("next", number(next)),
        ]),
    ))
}

/// `GET /api/v1/household` with a device token: everything the server holds about
/// this household (个人信息保护法 art. 45), as JSON, for the resident to download.
async fn household(State(state): State<AppState>, device: Device) -> Result<Response, ApiError> {
    let record = state
        .store
        .household_record(device.unit_id, state.now())
        .await?;
    let devices = record.devices.iter().map(|d| {
        Value::object(vec![
            ("id", number(d.id)),
            ("device", Value::String(d.device.clone())),
            ("linked_at", number(d.created_at)),
        ])
    });
    let submissions = record.submissions.iter().map(|s| {
        Value::object(vec![
            ("id", Value::String(s.id.clone())),
            ("kind", Value::String(s.kind.clone())),
            ("received_at", number(s.received_at)),
            ("payload", json::from_str(&s.payload).unwrap_or(Value::Null)),
        ])
    });
    let events = record.events.iter().map(|e| {
        Value::object(vec![
            ("id", Value::String(e.submission_id.clone())),
            ("status", Value::String(e.status.clone())),
            ("note", Value::String(e.note.clone())),
            ("at", number(e.at)),
        ])
    });
    let mut parts = Vec::new();
    for s in state.scenarios.iter() {
        if let Some((name, value)) = s.household(&state.store, device.unit_id).await? {
            parts.push((name.to_owned(), value));
        }
    }
    let rated = state.store.evaluation_household(device.unit_id).await?;
    if !rated.is_empty() {
        let list = rated.into_iter().map(|(service, day, score, comment)| {
            Value::object(vec![
                ("service", Value::String(service.id().to_owned())),
                ("day", Value::String(day.to_string())),
                ("score", number(i64::from(score.get()))),
                ("comment", Value::String(comment)),
            ])
        });
        parts.push(("evaluation".to_owned(), Value::Array(list.collect())));
    }
    let body = Value::object(vec![
        ("household", Value::String(record.unit.label)),
        ("building", Value::String(record.unit.building)),
        ("exported_at", number(state.now())),
        ("devices", Value::Array(devices.collect())),
        ("submissions", Value::Array(submissions.collect())),
        ("updates", Value::Array(events.collect())),
        ("scenarios", Value::Object(parts)),
    ]);
    Ok(json_response(StatusCode::OK, &body))
}

/// `POST /api/v1/staff/login {username, password, totp?, device?}` →
/// `{token, role, device}`. Roles that need a second factor send its code as `totp`;
/// an account that has not enrolled one enrols in the console first (401
/// `second_factor`). `device` is the device cookie value answered by an earlier
/// sign-in: a client that keeps and sends it is not locked out by strangers guessing
/// the account's password (see [`crate::sign_in`]).
async fn staff_login(
    State(state): State<AppState>,
    ip: ClientIp,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let username = body.text("username", MAX_USERNAME_CHARS)?;
    let password = body.text("password", crate::auth::MAX_PASSWORD_CHARS)?;
    let totp = body.optional_text("totp", 12)?;
    let device = body.optional_text("device", 256)?;
    let now = state.now();
    let checked = sign_in::check_password(&state, ip.0, device, username, password).await?;
    let (account, stage) = match checked {
        Checked::Ok(account, stage) => (account, stage),
        Checked::Wrong => return Err(ApiError::Unauthorized),
        Checked::Limited(retry_at) => return Err(ApiError::RateLimited { retry_at, now }),
    };
    match (stage, totp) {
        (SessionStage::Full, _) => {}
        (SessionStage::SecondFactor, Some(code)) => {
            match sign_in::check_code(&state, ip.0, device, &account, code, None).await? {
                FactorChecked::Ok => {}
                FactorChecked::Wrong => return Err(ApiError::SecondFactor),
                FactorChecked::Limited(retry_at) => {
                    return Err(ApiError::RateLimited { retry_at, now })
                }
            }
        }
        (SessionStage::SecondFactor | SessionStage::Enrol, _) => {
            return Err(ApiError::SecondFactor)
        }
    }
    let token = state
        .store
        .open_session(&account, SessionStage::Full, now)
        .await?;
    Ok(json_response(
        StatusCode::OK,
        &Value::object(vec![
            ("token", Value::String(token)),
            ("role", Value::String(account.role.id().into())),
            (
                "device",
                Value::String(sign_in::issue_device_cookie(&state, &account, now)?),
            ),
        ]),
    ))
}

/// `POST /api/v1/staff/logout` with a staff token: the session ends at once.
async fn staff_logout(
    State(state): State<AppState>,
    staff: StaffApi<AnyStaff>,
) -> Result<Response, ApiError> {
    let by = Actor::staff(&staff.account.username, staff.account.role);
    state
        .store
        .close_session(&staff.token, &by, state.now())
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct Limit {
    limit: Option<u16>,
}

/// `GET /api/v1/submissions?limit=N` (staff): the newest submissions, as stored
/// (health data is kept only in its scenario's records). The auditor reads the trail
/// and counts, not what residents wrote: `payload` is `null` for it.
async fn list_submissions(
    State(state): State<AppState>,
    staff: StaffApi<Records>,
    Query(q): Query<Limit>,
) -> Result<Response, ApiError> {
    let contents = staff.account.role != linli_core::Role::Auditor;
    let limit = i64::from(q.limit.unwrap_or(100).clamp(1, 1000));
    let rows = state.store.recent_submissions(limit).await?;
    let list = rows
        .into_iter()
        .map(|r| {
            Value::object(vec![
                ("seq", number(r.seq)),
                ("id", Value::String(r.id)),
                ("kind", Value::String(r.kind)),
                ("unit", Value::String(r.unit)),
                ("received_at", number(r.received_at)),
                (
                    "payload",
                    contents
                        .then(|| json::from_str(&r.payload).ok())
                        .flatten()
                        .unwrap_or(Value::Null),
                ),
            ])
        })
        .collect();
    Ok(json_response(StatusCode::OK, &Value::Array(list)))
}

/// `GET /api/v1/units` (admin, staff): the households with their devices and codes.
async fn list_units(
    State(state): State<AppState>,
    _staff: StaffApi<Households>,
) -> Result<Response, ApiError> {
    let list = state
        .store
        .units(state.now())
        .await?
        .into_iter()
        .map(|u| {
            Value::object(vec![
                ("id", number(u.id)),
                ("label", Value::String(u.label)),
                ("building", Value::String(u.building)),
                ("devices", number(u.devices)),
                ("code_pending", Value::Bool(u.code_pending)),
            ])
        })
        .collect();
    Ok(json_response(StatusCode::OK, &Value::Array(list)))
}

/// `POST /api/v1/units {label, building}` (staff): a household; its label is at most
/// 40 characters (boards carry it), its building 20.
async fn create_unit(
    State(state): State<AppState>,
    staff: StaffApi<Households>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let label = check_name("label", body.text("label", 200)?, MAX_LABEL_CHARS)
        .map_err(ApiError::Invalid)?;
    let building = check_name("building", body.text("building", 200)?, MAX_BUILDING_CHARS)
        .map_err(ApiError::Invalid)?;
    let by = Actor::staff(&staff.account.username, staff.account.role);
    let id = state
        .store
        .add_unit(&label, &building, &by, state.now())
        .await
        .map_err(|e| match e {
            store::StoreError::Exists(_) => ApiError::Invalid(WireError {
                field: "label".into(),
                message: "a household with this label exists".into(),
            }),
            other => ApiError::from(other),
        })?;
    Ok(json_response(
        StatusCode::CREATED,
        &Value::object(vec![("id", number(id))]),
    ))
}

async fn issue_code(
    State(state): State<AppState>,
    staff: StaffApi<Households>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let by = Actor::staff(&staff.account.username, staff.account.role);
    let code = state
        .store
        .issue_code(id, &by, state.now())
        .await
        .map_err(|e| match e {
            store::StoreError::NotFound(_) => ApiError::NotFound(StaffText::NfUnit),
            other => ApiError::from(other),
        })?;
    Ok(json_response(
        StatusCode::CREATED,
        &Value::object(vec![("code", Value::String(code))]),
    ))
}
