//! Device endpoints of the meals scenario.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, MethodRouter};
use linli_core::json::Value;
use linli_core::StaffText;

use crate::app::AppState;
use crate::http::extract::{ClientIp, Device, JsonBody};
use crate::http::{code_attempt, json_response, number, ApiError};
use crate::store::{Actor, StoreError};

/// The meals API's routes (merged into the API's route table).
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/api/v1/meals", get(board)),
        ("/api/v1/meals/proxies", get(helpers).post(link_proxy)),
        ("/api/v1/meals/proxies/{unit}", delete(unlink_proxy)),
    ]
}

fn meals(state: &AppState) -> Result<linli_core::config::MealsConfig, ApiError> {
    super::offered_config(state).ok_or(ApiError::NotFound(StaffText::NfMeals))
}

/// `GET /api/v1/meals` with a device token → the household's board: elders, menus
/// ahead with portions taken, recent orders with their status.
async fn board(State(state): State<AppState>, device: Device) -> Result<Response, ApiError> {
    let config = meals(&state)?;
    let board = state
        .store
        .board(device.unit_id, &config, state.now())
        .await?;
    Ok(json_response(StatusCode::OK, &board.to_value()))
}

/// `POST /api/v1/meals/proxies {code}` with a device token: this household may order
/// for the elders of the household whose code it is (the code is used up) → 201
/// `{linked: true}`. The elder's household is not named: a helper sees it masked on
/// the board, never its id.
async fn link_proxy(
    State(state): State<AppState>,
    device: Device,
    ip: ClientIp,
    body: JsonBody,
) -> Result<Response, ApiError> {
    meals(&state)?;
    let code = body.text("code", 20)?.to_owned();
    let store = state.store.clone();
    let now = state.now();
    let unit = device.unit_id;
    code_attempt(&state, ip, || async move {
        match store.link_proxy_by_code(&code, unit, now).await {
            Err(StoreError::NotFound(_)) => Ok(None),
            other => Ok(other?),
        }
    })
    .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &Value::object(vec![("linked", Value::Bool(true))]),
    ))
}

/// `GET /api/v1/meals/proxies` with a device token → the households that may order for
/// this household's elders: `[{id, household (masked), since}]`.
async fn helpers(State(state): State<AppState>, device: Device) -> Result<Response, ApiError> {
    meals(&state)?;
    let list = state
        .store
        .helpers_of(device.unit_id)
        .await?
        .into_iter()
        .map(|(id, label, since)| {
            Value::object(vec![
                ("id", number(id)),
                ("household", Value::String(label)),
                ("since", number(since)),
            ])
        })
        .collect();
    Ok(json_response(StatusCode::OK, &Value::Array(list)))
}

/// `DELETE /api/v1/meals/proxies/{unit}` with a device token: the elder's household
/// removes a helper; it can no longer see or order for its elders.
async fn unlink_proxy(
    State(state): State<AppState>,
    device: Device,
    Path(helper): Path<i64>,
) -> Result<Response, ApiError> {
    meals(&state)?;
    let gone = state
        .store
        .unlink_proxy(
            device.unit_id,
            helper,
            &Actor::unit(device.unit_id),
            state.now(),
        )
        .await?;
    if gone {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::NotFound(StaffText::NfHelper))
    }
}
