//! Device endpoints of the voting scenario.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, MethodRouter};
use linli_core::StaffText;

use crate::app::AppState;
use crate::http::extract::Device;
use crate::http::{json_response, ApiError};

/// The voting API's routes (merged into the API's route table).
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![("/api/v1/voting", get(board))]
}

/// `GET /api/v1/voting` with a device token → the household's voting board
/// (`linli_core::voting::VotingBoard`): the votes shown to residents, newest first,
/// with the household's place on each roster, its ballot and receipt, live turnout
/// (never partial results), the deliberation and published results. 404 when the
/// deployment does not offer voting.
async fn board(State(state): State<AppState>, device: Device) -> Result<Response, ApiError> {
    if !super::offered(state.deployment().as_deref()) {
        return Err(ApiError::NotFound(StaffText::NfVoting));
    }
    let board = state
        .store
        .voting_board(device.unit_id, state.now())
        .await?;
    Ok(json_response(StatusCode::OK, &board.to_value()))
}
