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

use crate::limits::{Subject, CODES_EVERYWHERE, CODES_PER_ADDRESS, CODES_PER_ADDRESS_IN_SURGE};
pub use error::ApiError;
use extract::ClientIp;
use linli_core::StaffText;

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

/// Runs a household-code exchange within the per-address limit; an unknown or used
/// code counts as a failed attempt and is a 404. While wrong codes from everywhere are
/// past [`CODES_EVERYWHERE`] (a distributed guess), each address gets one attempt an
/// hour ([`CODES_PER_ADDRESS_IN_SURGE`]) and the log says `code_guessing_surge`.
/// Shared by every endpoint that takes a household code.
pub async fn code_attempt<T, F>(
    state: &AppState,
    ip: ClientIp,
    attempt: impl FnOnce() -> F,
) -> Result<T, ApiError>
where
    F: std::future::Future<Output = Result<Option<T>, ApiError>>,
{
    let now = state.now();
    // Without a known address (never behind the server's own listener) every such
    // request shares one budget rather than none.
    let addr = ip.0.unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
    let client = || crate::log::keyed_tag(state.store.key(), &addr.to_string());
    let limited = |kind: &str, retry_at: i64| {
        crate::log::event("rate_limited", &[("kind", kind), ("client", &client())]);
        ApiError::RateLimited { retry_at, now }
    };
    let subjects = [
        (Subject::Address(addr), CODES_PER_ADDRESS),
        (Subject::Everyone, CODES_EVERYWHERE),
    ];
    let reservation = state
        .limiter
        .reserve(&state.store, "code", &subjects, now)
        .await?
        .map_err(|at| limited("household_code", at))?;
    let surge = if reservation.alarmed() {
        let surge = [(Subject::Address(addr), CODES_PER_ADDRESS_IN_SURGE)];
        match state
            .limiter
            .reserve(&state.store, "code-surge", &surge, now)
            .await?
        {
            Ok(r) => Some(r),
            Err(at) => {
                reservation.failed();
                return Err(limited("code_guessing_surge", at));
            }
        }
    } else {
        None
    };
    match attempt().await? {
        Some(v) => {
            reservation.succeeded().await;
            if let Some(r) = surge {
                r.succeeded().await;
            }
            Ok(v)
        }
        None => {
            reservation.failed();
            let kind = match surge {
                Some(r) => {
                    r.failed();
                    "code_guessing_surge"
                }
                None => "household_code",
            };
            crate::log::event("auth_failure", &[("kind", kind), ("client", &client())]);
            Err(ApiError::NotFound(StaffText::NfCode))
        }
    }
}
