//! API errors: each a status, a stable code and a sentence, sent as the core's
//! [`ErrorBody`](linli_core::sync::wire::ErrorBody).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use linli_core::sync::wire::{ErrorBody, WireError};

/// Everything an API call can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// No or unknown credentials (401).
    Unauthorized,
    /// Known credentials without the right (403).
    Forbidden,
    /// The body is not JSON (400).
    Malformed(String),
    /// The body is JSON of the wrong shape (422), with the field.
    Invalid(WireError),
    /// A submission kind no scenario of this server handles (422).
    UnknownKind(String),
    /// An id reused for a different submission (409).
    Conflict(String),
    /// Not found (404).
    NotFound(&'static str),
    /// Too many attempts (429).
    RateLimited,
    /// The body is over the size limit (413).
    TooLarge,
    /// A scenario rule refused the submission (422): `code` is the rule
    /// (`past_cutoff`, `sold_out`, …), `message` the reason in the resident's language.
    Rule {
        /// The rule.
        code: &'static str,
        /// The reason, for the resident.
        message: String,
    },
    /// Our fault (500); the detail goes to the log, not the client.
    Internal(String),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        ApiError::Internal(e.to_string())
    }
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, String, Option<String>) {
        match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "sign in or register this device first".into(),
                None,
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role does not allow this".into(),
                None,
            ),
            ApiError::Malformed(detail) => (
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not JSON: {detail}"),
                None,
            ),
            ApiError::Invalid(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                e.message.clone(),
                Some(e.field.clone()).filter(|f| !f.is_empty()),
            ),
            ApiError::UnknownKind(kind) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_kind",
                format!("no scenario here accepts \"{kind}\""),
                Some("kind".into()),
            ),
            ApiError::Conflict(id) => (
                StatusCode::CONFLICT,
                "id_conflict",
                format!("{id} was already used for a different submission"),
                Some("id".into()),
            ),
            ApiError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{what} not found"),
                None,
            ),
            ApiError::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many attempts; wait a few minutes".into(),
                None,
            ),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the body is too large".into(),
                None,
            ),
            ApiError::Rule { code, message } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "refused",
                message.clone(),
                Some((*code).to_owned()),
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the server failed; try again later".into(),
                None,
            ),
        }
    }

    /// The error body a client sees.
    pub fn body(&self) -> ErrorBody {
        let (_, code, message, field) = self.parts();
        ErrorBody {
            code: code.into(),
            message,
            field,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            eprintln!("linli-server: internal error: {detail}");
        }
        let status = self.parts().0;
        crate::api::json_response(status, &self.body().to_value())
    }
}
