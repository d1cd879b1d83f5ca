//! Device endpoints of the meals scenario.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post, MethodRouter};
use linli_core::json::Value;

use crate::api::{code_attempt, json_response, read_json, text_field, unit_of, AppState};
use crate::error::ApiError;

/// The meals API's routes (merged into the API's route table).
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/api/v1/meals", get(board)),
        ("/api/v1/meals/proxies", post(link_proxy)),
    ]
}

/// `GET /api/v1/meals` with a device token → the household's board: elders, menus
/// ahead with portions taken, recent orders with their status.
async fn board(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let unit = unit_of(&state, &headers).await?;
    let config = state.meals().ok_or(ApiError::NotFound("meals scenario"))?;
    let board = state.store.board(unit, config, (state.clock)()).await?;
    Ok(json_response(StatusCode::OK, &board.to_value()))
}

/// `POST /api/v1/meals/proxies {code}` with a device token: this household may order
/// for the elders of the household whose code it is (the code is used up).
async fn link_proxy(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let (headers, peer, body) = read_json(request).await?;
    let unit = unit_of(&state, &headers).await?;
    state.meals().ok_or(ApiError::NotFound("meals scenario"))?;
    let code = text_field(&body, "code", 20)?.to_owned();
    let store = state.store.clone();
    let now = (state.clock)();
    let linked = code_attempt(&state, peer, || async move {
        store.link_proxy_by_code(&code, unit, now).await
    })
    .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &Value::object(vec![("unit_id", Value::Number(linked as f64))]),
    ))
}
