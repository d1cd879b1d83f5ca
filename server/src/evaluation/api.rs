//! `POST /api/v1/evaluation` (a device's anonymous counts and ratings) and
//! `GET /api/v1/evaluation` (the published figures).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, MethodRouter};
use linli_core::evaluation::{
    period_of, EvalText, Published, PublishedService, RatingPayload, UsePayload,
    DEFAULT_PERIOD_DAYS, KEEP_DAYS, PUBLISHED_DAYS, RATING_KIND, USE_KIND,
};
use linli_core::sync::wire::Ack;

use super::store::{add_rating, add_use, Received, Send};
use crate::api::{payload_error, read_envelope};
use crate::app::AppState;
use crate::http::extract::{bearer, Device, JsonBody, ReqLang};
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
/// `{id, server_seq: 0, received_at}`. The token shows a resident's phone sent it and is
/// not kept. What is kept of the sender is a keyed hash of its token with the bucket it
/// may fill once — a day's counts, a service's rating in a rating period
/// (`evaluation.period_days`) — pruned after the resend window: a resend of the same
/// envelope is answered as before, another send in a filled bucket is refused
/// (`evaluation_again`), so one phone cannot move the figures by more than its own
/// day and its own rating. Counts of a day after today, or of more than [`KEEP_DAYS`]
/// ago, are refused (`evaluation_day`); a rating may be of tomorrow (a phone's clock a
/// moment ahead at midnight).
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
    let age = |day: linli_core::date::Date| today.unix_days() - day.unix_days();
    let refuse = |code: &'static str, text: EvalText| ApiError::Rule {
        code,
        message: lang.t(text).to_owned(),
    };
    // The extractor checked the token; it is read again only to be hashed.
    let token = bearer(&headers).unwrap_or_default();
    let key = state.store.key();
    let hash =
        |parts: &[&[u8]]| crate::audit::hex(&key.mac_parts(b"linli evaluation send v2", parts));
    let sent = hash(&[b"envelope", envelope.id.as_str().as_bytes()]);
    let received = match envelope.kind.as_str() {
        USE_KIND => {
            let batch = UsePayload::from_value(&envelope.payload).map_err(payload_error)?;
            if !(0..=KEEP_DAYS).contains(&age(batch.day)) {
                return Err(refuse("evaluation_day", EvalText::RefusedDay));
            }
            let bucket = hash(&[b"use", token.as_bytes(), batch.day.to_string().as_bytes()]);
            let send = Send {
                bucket: &bucket,
                sent: &sent,
            };
            state
                .store
                .write_tx(async |tx| add_use(tx, send, &batch, today).await)
                .await?
        }
        RATING_KIND => {
            let rating = RatingPayload::from_value(&envelope.payload).map_err(payload_error)?;
            if !(-1..=KEEP_DAYS).contains(&age(rating.day)) {
                return Err(refuse("evaluation_day", EvalText::RefusedDay));
            }
            let period = state
                .deployment()
                .map_or(DEFAULT_PERIOD_DAYS, |c| c.evaluation.period_days);
            let bucket = hash(&[
                b"rating",
                token.as_bytes(),
                rating.service.id().as_bytes(),
                period_of(rating.day, period).to_string().as_bytes(),
            ]);
            let send = Send {
                bucket: &bucket,
                sent: &sent,
            };
            let unit = rating.contact.then_some(device.unit_id);
            state
                .store
                .write_tx(async |tx| add_rating(tx, send, &rating, unit, today).await)
                .await?
        }
        other => return Err(ApiError::UnknownKind(other.to_owned())),
    };
    if received == Received::Taken {
        return Err(refuse("evaluation_again", EvalText::RefusedAgain));
    }
    let ack = Ack {
        id: envelope.id,
        server_seq: 0,
        received_at: u64::try_from(now).unwrap_or(0),
    };
    Ok(json_response(StatusCode::OK, &ack.to_value()))
}

/// `GET /api/v1/evaluation` → [`Published`]: each service's use and approval over the
/// last [`PUBLISHED_DAYS`] whole days (up to yesterday, so the figures move once a day
/// rather than with each rating), approval only from the deployment's `min_ratings`
/// (`evaluation.min_ratings`, default 5) up, its mean rounded to 0.1 and its share of
/// 4–5 to 1%, with the latest "你说我改" notes. Public, like a notice: no token, and
/// nothing in it about anyone.
async fn published(State(state): State<AppState>) -> Result<Response, ApiError> {
    let min = state
        .deployment()
        .map_or(linli_core::evaluation::DEFAULT_MIN_RATINGS, |c| {
            c.evaluation.min_ratings
        });
    // Whole days that are over: the figures change once a day, not with each rating.
    let today = super::day_at(&state, state.now());
    let to = today.add_days(-1).unwrap_or(today);
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
            // Rounded (to 0.1 and to 1%), so one rating's exact weight does not show.
            mean: shown
                .and_then(|a| a.mean_hundredths())
                .map(|m| (m + 5) / 10 * 10),
            high: shown
                .and_then(|a| a.high_permille())
                .map(|h| (h + 5) / 10 * 10),
            changes: state
                .store
                .evaluation_changes(f.service, CHANGES_SHOWN)
                .await?
                .into_iter()
                .map(|(_, c)| c)
                .collect(),
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
