//! Residents' API of forms: `GET /api/v1/forms`, the open forms' published
//! definitions, which the shell keeps for answering offline.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, MethodRouter};
use linli_core::json::Value;
use linli_core::StaffText;

use crate::app::AppState;
use crate::http::extract::Device;
use crate::http::{json_response, ApiError};

pub(super) fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![("/api/v1/forms", get(open_forms))]
}

/// `GET /api/v1/forms` with a device token → `{forms: [definition]}`: each open form's
/// newest published version (`linli_core::forms::form` JSON, its `version` the number
/// to send back with the answers). 404 when the sub-district does not offer forms.
async fn open_forms(State(state): State<AppState>, _device: Device) -> Result<Response, ApiError> {
    if !super::offered(state.deployment().as_deref()) {
        return Err(ApiError::NotFound(StaffText::NfForms));
    }
    let forms = state.store.forms_open().await?;
    let list = forms.iter().map(|f| f.to_value()).collect();
    Ok(json_response(
        StatusCode::OK,
        &Value::object(vec![("forms", Value::Array(list))]),
    ))
}
