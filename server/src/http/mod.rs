//! The web edge every route module builds on: the extractors that check who is
//! asking, errors mapped to HTTP, the console's layout, CSV downloads, security
//! headers, and the connection loop with its timeouts. Nothing here names a scenario.

pub mod error;
pub mod export;
pub mod extract;
pub mod headers;
pub mod layout;
pub mod serve;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use linli_core::json::{self, Value};

pub use crate::app::{AppState, NavEntry};
pub use error::ApiError;

/// A JSON response from a core value.
pub fn json_response(status: StatusCode, value: &Value) -> Response {
    let mut response = Response::new(Body::from(json::to_string(value)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// A JSON number from an integer (ids, times in ms, counts).
pub fn number(n: i64) -> Value {
    Value::Number(n as f64)
}

impl From<crate::app::Refusal> for ApiError {
    fn from(r: crate::app::Refusal) -> ApiError {
        match r {
            crate::app::Refusal::Rule { code, message } => ApiError::Rule { code, message },
            crate::app::Refusal::Invalid(e) => ApiError::Invalid(e),
            crate::app::Refusal::Store(e) => ApiError::from(e),
        }
    }
}
