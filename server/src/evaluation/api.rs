//! `POST /api/v1/evaluation` (a device's anonymous counts and ratings) and
//! `GET /api/v1/evaluation` (the published figures).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, MethodRouter};
use linli_core::evaluation::{
    EvalText, Published, PublishedService, RatingPayload, UsePayload, KEEP_DAYS, PUBLISHED_DAYS,
    RATING_KIND, USE_KIND,
};
use linli_core::sync::wire::Ack;

use super::store::{add_rating, add_use};
use crate::api::{payload_error, read_envelope};
use crate::app::AppState;
use crate::http::extract::{Device, JsonBody, ReqLang};
use crate::http::{json_response, ApiError};

/// The largest envelope of either kind, in bytes: a rating's comment is the longest
/// field.
const LIMIT: usize = 8 * 1024;
/// The "你说我改" notes published per service.
const CHANGES_SHOWN: i64 = 5;

pub(super) fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![("/api/v1/evaluation", get(published).post(receive))]
}

/// `POST /api/v1/evaluation` with a device token and an outbox envelope of kind
/// `evaluation_use` ([`UsePayload`]) or `evaluation_rating` ([`RatingPayload`]) →
/// `{id, server_seq: 0, received_at}`. The token shows a resident's phone sent it and
/// is not kept; a resend of the same id adds nothing (a keyed hash of the id is kept
/// for the resend window). A day outside the last [`KEEP_DAYS`] (or after tomorrow) is
/// refused (`evaluation_day`).
async fn receive(
    State(state): State<AppState>,
    device: Device,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    body: JsonBody<LIMIT>,
) -> Result<Response, ApiError> {
    let envelope = read_envelope(&headers, &body.0)?;
    let now = state.now();
    let today = super::day_at(&state, now);
    let in_range = |day: linli_core::date::Date| {
        let age = today.unix_days() - day.unix_days();
        (-1..=KEEP_DAYS).contains(&age)
    };
    let refuse = || ApiError::Rule {
        code: "evaluation_day",
        message: lang.t(EvalText::RefusedDay).to_owned(),
    };
    let digest = crate::audit::hex(&state.store.key().mac_parts(
        b"linli evaluation send v1",
        &[envelope.id.as_str().as_bytes()],
    ));
    match envelope.kind.as_str() {
        USE_KIND => {
            let batch = UsePayload::from_value(&envelope.payload).map_err(payload_error)?;
            if !in_range(batch.day) {
                return Err(refuse());
            }
            state
                .store
                .write_tx(async |tx| add_use(tx, &digest, &batch, today).await)
                .await?;
        }
        RATING_KIND => {
            let rating = RatingPayload::from_value(&envelope.payload).map_err(payload_error)?;
            if !in_range(rating.day) {
                return Err(refuse());
            }
            let unit = rating.contact.then_some(device.unit_id);
            state
                .store
                .write_tx(async |tx| add_rating(tx, &digest, &rating, unit, today).await)
                .await?;
        }
        other => return Err(ApiError::UnknownKind(other.to_owned())),
    }
    let ack = Ack {
        id: envelope.id,
        server_seq: 0,
        received_at: u64::try_from(now).unwrap_or(0),
    };
    Ok(json_response(StatusCode::OK, &ack.to_value()))
}

/// `GET /api/v1/evaluation` → [`Published`]: each service's use and approval over the
/// last [`PUBLISHED_DAYS`] days, approval only from the deployment's `min_ratings`
/// (`evaluation.min_ratings`, default 5) up, with its latest "你说我改" notes. Public,
/// like a notice: no token, and nothing in it about anyone.
async fn published(State(state): State<AppState>) -> Result<Response, ApiError> {
    let min = state
        .deployment()
        .map_or(linli_core::evaluation::DEFAULT_MIN_RATINGS, |c| {
            c.evaluation.min_ratings
        });
    let to = super::day_at(&state, state.now());
    let from = to.add_days(1 - PUBLISHED_DAYS).unwrap_or(to);
    let figures = super::gather(&state, from, to).await?;
    let mut services = Vec::new();
    for f in figures.services {
        let shown = f.approval.published(min);
        services.push(PublishedService {
            service: f.service,
            visits: f.total.visits,
            started: f.total.started,
            completed: f.total.completed,
            ratings: shown.map(|a| a.total()),
            mean: shown.and_then(|a| a.mean_hundredths()),
            high: shown.and_then(|a| a.high_permille()),
            changes: state
                .store
                .evaluation_changes(f.service, CHANGES_SHOWN)
                .await?,
        });
    }
    let body = Published {
        from,
        to,
        min_ratings: min,
        services,
    };
    Ok(json_response(StatusCode::OK, &body.to_value()))
}
