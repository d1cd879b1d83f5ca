//! API errors: each a status, a stable code and a sentence in the client's language
//! (`Accept-Language`), sent as the core's [`ErrorBody`]. Storage errors map here, at
//! the edge; nothing below HTTP knows statuses.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use linli_core::sync::wire::{ErrorBody, WireError};
use linli_core::{Lang, StaffText};

use super::json_response;
use crate::store::StoreError;

/// Everything an API call can fail with.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// No or unknown credentials (401 `unauthorized`).
    Unauthorized,
    /// The account needs its second-factor code (401 `second_factor`).
    SecondFactor,
    /// Known credentials without the right (403 `forbidden`).
    Forbidden,
    /// The body is not JSON (400 `malformed_json`), with the parser's detail.
    Malformed(String),
    /// The body is JSON of the wrong shape (422 `invalid`), with the field.
    Invalid(WireError),
    /// A submission kind no scenario of this server handles (422 `unknown_kind`).
    UnknownKind(String),
    /// An id reused for a different submission (409 `id_conflict`).
    Conflict(String),
    /// Not found (404 `not_found`): what, as a sentence of the staff text table.
    NotFound(StaffText),
    /// Too many attempts (429 `rate_limited`); try again at this instant (ms).
    RateLimited {
        /// When an attempt is allowed again (ms since the epoch).
        retry_at: i64,
        /// Now (ms), to say how long that is.
        now: i64,
    },
    /// The body is over the size limit (413 `too_large`).
    TooLarge,
    /// A scenario rule refused the submission (422 `refused`): `code` is the rule
    /// (`past_cutoff`, `sold_out`, …), `message` the reason in the resident's language.
    Rule {
        /// The rule.
        code: &'static str,
        /// The reason, for the resident.
        message: String,
    },
    /// Our fault (500 `internal`); the detail goes to the log, never to the client.
    Internal(String),
    /// The database cannot be reached just now (503 `unavailable`, with
    /// `Retry-After`): a load balancer takes the instance out, a phone's outbox tries
    /// again later. The detail goes to the log.
    Unavailable(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound(_) => ApiError::NotFound(StaffText::NfRecord),
            StoreError::Exists(what) => ApiError::Invalid(WireError {
                field: String::new(),
                message: format!("{what} already exists"),
            }),
            StoreError::Conflict(id) => ApiError::Conflict(id),
            other if other.is_unavailable() => ApiError::Unavailable(other.to_string()),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl ApiError {
    /// The status and stable code.
    pub fn status_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::SecondFactor => (StatusCode::UNAUTHORIZED, "second_factor"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            ApiError::UnknownKind(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_kind"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "id_conflict"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::Rule { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "refused"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        }
    }

    /// The error body a client sees, in `lang`.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let (_, code) = self.status_code();
        let (message, field) = match self {
            ApiError::Unauthorized => (lang.t(StaffText::ApiUnauthorized).to_owned(), None),
            ApiError::SecondFactor => (lang.t(StaffText::ApiSecondFactor).to_owned(), None),
            ApiError::Forbidden => (lang.t(StaffText::ApiForbidden).to_owned(), None),
            ApiError::Malformed(detail) => (
                lang.fill(
                    StaffText::ApiMalformed,
                    &[("detail", &linli_core::sync::wire::localized(detail, lang))],
                ),
                None,
            ),
            ApiError::Invalid(e) if e.field.is_empty() => (
                lang.fill(StaffText::ApiInvalidBody, &[("message", &e.text(lang))]),
                None,
            ),
            ApiError::Invalid(e) => (
                lang.fill(
                    StaffText::ApiInvalid,
                    &[("field", &e.field), ("message", &e.text(lang))],
                ),
                Some(e.field.clone()).filter(|f| !f.is_empty()),
            ),
            ApiError::UnknownKind(kind) => (
                lang.fill(StaffText::ApiUnknownKind, &[("kind", kind)]),
                Some("kind".to_owned()),
            ),
            ApiError::Conflict(id) => (
                lang.fill(StaffText::ApiConflict, &[("id", id)]),
                Some("id".to_owned()),
            ),
            ApiError::NotFound(what) => (lang.t(*what).to_owned(), None),
            ApiError::RateLimited { retry_at, now } => (
                lang.fill(
                    StaffText::ApiRateLimited,
                    &[("minutes", &minutes_until(*retry_at, *now).to_string())],
                ),
                None,
            ),
            ApiError::TooLarge => (lang.t(StaffText::ApiTooLarge).to_owned(), None),
            ApiError::Rule { code, message } => (message.clone(), Some((*code).to_owned())),
            ApiError::Internal(_) => (lang.t(StaffText::ApiInternal).to_owned(), None),
            ApiError::Unavailable(_) => (lang.t(StaffText::ApiUnavailable).to_owned(), None),
        };
        ErrorBody {
            code: code.into(),
            message,
            field,
        }
    }

    /// The response in `lang`.
    pub fn response(&self, lang: Lang) -> Response {
        let (status, _) = self.status_code();
        let mut response = json_response(status, &self.body(lang).to_value());
        if let ApiError::RateLimited { retry_at, now } = self {
            let seconds = ((retry_at - now).max(0) + 999) / 1000;
            if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if let ApiError::Unavailable(_) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}

/// Whole minutes from `now` until `at` (ms), at least 1: how long to wait, as said to
/// a person.
pub fn minutes_until(at: i64, now: i64) -> i64 {
    (((at - now).max(0) + 59_999) / 60_000).max(1)
}

/// "Too many attempts, try again in N minutes" for a console page, in `lang`.
pub fn try_again_in(lang: Lang, at: i64, now: i64) -> String {
    let minutes = minutes_until(at, now).to_string();
    lang.fill(StaffText::StaffRateLimited, &[("minutes", &minutes)])
}

/// Carried in a response so [`localise`] can write it again in the client's language.
#[derive(Clone)]
struct Untranslated(ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(detail) => {
                crate::log::event("internal_error", &[("detail", detail)])
            }
            ApiError::Unavailable(detail) => {
                crate::log::event("database_unavailable", &[("detail", detail)]);
            }
            _ => {}
        }
        let mut response = self.response(Lang::ZhCn);
        response.extensions_mut().insert(Untranslated(self));
        response
    }
}

/// Middleware: an API error answered in Chinese is written again in English when the
/// request prefers English (`Accept-Language`).
pub async fn localise(request: Request, next: Next) -> Response {
    let lang = super::extract::lang_of(request.headers());
    let response = next.run(request).await;
    if lang == Lang::ZhCn {
        return response;
    }
    match response.extensions().get::<Untranslated>().cloned() {
        Some(Untranslated(e)) => e.response(lang),
        None => response,
    }
}

/// One example of every variant, for the test that every code is documented. The
/// `match` has no wildcard: a new variant does not compile until it has an example.
pub fn examples() -> Vec<ApiError> {
    let wire = || WireError {
        field: "x".into(),
        message: String::new(),
    };
    let all = vec![
        ApiError::Unauthorized,
        ApiError::SecondFactor,
        ApiError::Forbidden,
        ApiError::Malformed(String::new()),
        ApiError::Invalid(wire()),
        ApiError::UnknownKind(String::new()),
        ApiError::Conflict(String::new()),
        ApiError::NotFound(StaffText::NfRecord),
        ApiError::RateLimited {
            retry_at: 0,
            now: 0,
        },
        ApiError::TooLarge,
        ApiError::Rule {
            code: "x",
            message: String::new(),
        },
        ApiError::Internal(String::new()),
        ApiError::Unavailable(String::new()),
    ];
    for e in &all {
        match e {
            ApiError::Unauthorized
            | ApiError::SecondFactor
            | ApiError::Forbidden
            | ApiError::Malformed(_)
            | ApiError::Invalid(_)
            | ApiError::UnknownKind(_)
            | ApiError::Conflict(_)
            | ApiError::NotFound(_)
            | ApiError::RateLimited { .. }
            | ApiError::TooLarge
            | ApiError::Rule { .. }
            | ApiError::Internal(_)
            | ApiError::Unavailable(_) => {}
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_distinct_code_in_both_languages() {
        let all = examples();
        let mut codes: Vec<&str> = all.iter().map(|e| e.status_code().1).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for e in &all {
            for lang in Lang::ALL {
                let body = e.body(lang);
                assert!(
                    !body.message.is_empty() || matches!(e, ApiError::Rule { .. }),
                    "{e:?}"
                );
            }
        }
    }

    #[test]
    fn rate_limits_say_when_to_come_back() {
        let e = ApiError::RateLimited {
            retry_at: 90_000,
            now: 0,
        };
        let r = e.response(Lang::En);
        assert_eq!(r.headers()[header::RETRY_AFTER], "90");
        assert!(e.body(Lang::ZhCn).message.contains("2 分钟"));
    }
}
