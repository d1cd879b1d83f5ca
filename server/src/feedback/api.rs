//! Device endpoints of the feedback scenario: the household's own reports with their
//! timelines, and their photos.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use linli_core::config::FeedbackConfig;
use linli_core::feedback::{
    FeedbackBoard, FeedbackText, MyCase, TimelineStep, MAX_CASES_SHOWN, MAX_STEPS,
};
use linli_core::sync::wire::SubmissionId;
use linli_core::{Lang, StaffText};

use super::store::{CaseRow, StepRow};
use crate::app::AppState;
use crate::http::extract::{Device, ReqLang};
use crate::http::{json_response, ApiError};

/// The feedback API's routes (merged into the API's route table).
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/api/v1/feedback", get(board)),
        ("/api/v1/feedback/{number}/photos/{n}", get(photo)),
    ]
}

/// Who took a step, as the resident may know it: 您 for the household, 街道 for staff,
/// the department's or grid's name for a handler; never a staff member's name.
pub(super) fn step_by(step: &StepRow, config: Option<&FeedbackConfig>, lang: Lang) -> String {
    match step.actor_kind.as_str() {
        "resident" => lang.t(FeedbackText::ByYou).to_owned(),
        "handler" => step
            .handler
            .as_deref()
            .and_then(|h| config.and_then(|c| c.handler(h)))
            .map_or_else(
                || lang.t(FeedbackText::ByHandler).to_owned(),
                |h| h.name.get(lang).to_owned(),
            ),
        "open311" => lang.t(FeedbackText::ByOpen311).to_owned(),
        _ => lang.t(FeedbackText::ByStaff).to_owned(),
    }
}

/// The note of a step the resident sees: the answer, the household's own words on a
/// rating or reopening, the handler a dispatch went to. Staff's notes on a dispatch,
/// a close or a call back are internal.
fn step_note(step: &StepRow, config: Option<&FeedbackConfig>, lang: Lang) -> String {
    match (step.action.as_str(), step.handler.as_deref()) {
        ("dispatch", Some(h)) => config.and_then(|c| c.handler(h)).map_or_else(
            || lang.t(FeedbackText::ByHandler).to_owned(),
            |x| x.name.get(lang).to_owned(),
        ),
        ("reply" | "rate" | "reopen", _) => step.note.clone(),
        _ => String::new(),
    }
}

/// A case as its household sees it.
pub(super) fn my_case(
    c: &CaseRow,
    steps: &[StepRow],
    config: Option<&FeedbackConfig>,
    overdue: bool,
    lang: Lang,
) -> Option<MyCase> {
    Some(MyCase {
        report: SubmissionId::parse(c.submission.as_deref()?)?,
        number: c.id,
        category: c.category.clone(),
        description: c.description.clone(),
        place: c.place.clone(),
        state: c.state,
        created_at: c.created_at,
        overdue,
        reply: c.reply.clone(),
        rating: c.rating,
        photos: u32::try_from(c.photos).unwrap_or(0),
        reopened: u32::try_from(c.reopened).unwrap_or(u32::MAX),
        steps: steps
            .iter()
            .filter(|s| s.case_id == c.id && s.public)
            .take(MAX_STEPS)
            .map(|s| TimelineStep {
                action: s.action.clone(),
                state: s.state,
                at: s.at,
                by: step_by(s, config, lang),
                note: step_note(s, config, lang),
            })
            .collect(),
    })
}

/// `GET /api/v1/feedback` with a device token → the household's reports
/// (`linli_core::feedback::FeedbackBoard`), newest first, each with its timeline (the
/// steps meant for the resident), the answer, whether it is overdue, its rating. 404
/// when the deployment does not take reports.
async fn board(
    State(state): State<AppState>,
    device: Device,
    ReqLang(lang): ReqLang,
) -> Result<Response, ApiError> {
    let deployment = state.deployment();
    let Some(config) = super::offered(deployment.as_deref()) else {
        return Err(ApiError::NotFound(StaffText::NfFeedback));
    };
    let (cases, steps) = state
        .store
        .feedback_household(device.unit_id, MAX_CASES_SHOWN as i64)
        .await?;
    let now = state.now();
    let offset = state.utc_offset_minutes();
    let board = FeedbackBoard {
        cases: cases
            .iter()
            .filter_map(|c| {
                let overdue = super::pages::overdue(c, config, now, offset);
                my_case(c, &steps, Some(config), overdue, lang)
            })
            .collect(),
    };
    Ok(json_response(StatusCode::OK, &board.to_value()))
}

/// `GET /api/v1/feedback/{number}/photos/{n}` with a device token → photo `n` (from
/// 0) of the household's own report `number`, as a JPEG; 404 for anyone else's.
async fn photo(
    State(state): State<AppState>,
    device: Device,
    Path((number, n)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let case = state
        .store
        .feedback_case(number)
        .await?
        .filter(|c| c.unit_id == Some(device.unit_id))
        .ok_or(ApiError::NotFound(StaffText::NfCase))?;
    let bytes = state
        .store
        .feedback_photo(case.id, n)
        .await?
        .ok_or(ApiError::NotFound(StaffText::NfCase))?;
    Ok(jpeg(bytes))
}

/// A JPEG that is personal: never stored by a cache.
pub(super) fn jpeg(bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        bytes,
    )
        .into_response()
}
