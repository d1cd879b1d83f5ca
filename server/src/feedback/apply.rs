//! The feedback kinds applied inside a submission's transaction: a report becomes a
//! case in 受理 (its photos drawn again here, so nothing of the phone's file goes on);
//! a rating or "not solved" is the loop's step by the resident, on the household's own
//! report only.

use base64::Engine as _;
use linli_core::config::FeedbackConfig;
use linli_core::feedback::{
    Action, FeedbackKind, FeedbackText, RatePayload, ReopenPayload, ReportPayload, Who,
    MAX_PHOTO_BYTES,
};
use linli_core::Lang;

use super::store::{case_of_report, insert_case, take_step, FeedbackError, NewCase, StepExtra};
use crate::app::{Effect, Incoming, Refusal};
use crate::store::{Actor, Tx};

fn invalid(e: linli_core::sync::wire::WireError) -> Refusal {
    Refusal::Invalid(linli_core::sync::wire::WireError {
        field: format!("payload.{}", e.field),
        message: e.message,
    })
}

fn rule(code: &'static str, lang: Lang, text: FeedbackText) -> Refusal {
    Refusal::Rule {
        code,
        message: lang.t(text).to_owned(),
    }
}

/// A refusal of the loop, in the resident's language.
pub(super) fn refusal(e: FeedbackError, lang: Lang) -> Refusal {
    match e {
        FeedbackError::Step(s) => Refusal::Rule {
            code: s.code(),
            message: s.text(lang),
        },
        FeedbackError::NotFound => rule("unknown_report", lang, FeedbackText::ErrUnknownReport),
        FeedbackError::UnknownCategory => {
            rule("unknown_category", lang, FeedbackText::ErrUnknownCategory)
        }
        FeedbackError::UnknownHandler | FeedbackError::BadCorrection => {
            rule("not_allowed", lang, FeedbackText::ErrUnknownReport)
        }
        FeedbackError::Store(e) => Refusal::Store(e),
    }
}

/// A photo as sent (base64 JPEG from the browser), drawn again by this server: at most
/// 1,280 px, no EXIF. `None` when it is not a picture this server can read.
pub(super) fn redraw(base64_text: &str) -> Option<Vec<u8>> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64_text)
        .ok()?;
    if bytes.len() > MAX_PHOTO_BYTES {
        return None;
    }
    crate::picture::photo(&bytes).ok()
}

/// Applies a `feedback_*` submission.
pub(super) async fn apply(
    tx: &mut Tx,
    incoming: Incoming<'_>,
    config: &FeedbackConfig,
) -> Result<Effect, Refusal> {
    let env = incoming.envelope;
    let lang = incoming.lang;
    let by = Actor::unit(incoming.unit_id);
    match FeedbackKind::from_id(&env.kind) {
        Some(FeedbackKind::Report) => {
            let r = ReportPayload::from_value(&env.payload).map_err(invalid)?;
            if config.category(&r.category).is_none() {
                return Err(rule(
                    "unknown_category",
                    lang,
                    FeedbackText::ErrUnknownCategory,
                ));
            }
            let mut photos = Vec::with_capacity(r.photos.len());
            for p in &r.photos {
                photos.push(
                    redraw(p).ok_or_else(|| rule("bad_photo", lang, FeedbackText::ErrPhoto))?,
                );
            }
            let new = NewCase {
                submission: Some(env.id.as_str().to_owned()),
                unit_id: Some(incoming.unit_id),
                source: "resident",
                category: r.category,
                place: r.place,
                description: r.description,
                phone: r.phone,
                photos,
                ..NewCase::default()
            };
            insert_case(tx, &new, &by, incoming.now).await?;
        }
        Some(kind @ (FeedbackKind::Rate | FeedbackKind::Reopen)) => {
            let (report, action, note) = if kind == FeedbackKind::Rate {
                let p = RatePayload::from_value(&env.payload).map_err(invalid)?;
                (p.report, Action::Rate(p.rating), p.note)
            } else {
                let p = ReopenPayload::from_value(&env.payload).map_err(invalid)?;
                (p.report, Action::Reopen, p.note)
            };
            let case = case_of_report(tx.conn(), report.as_str(), incoming.unit_id)
                .await?
                .ok_or_else(|| rule("unknown_report", lang, FeedbackText::ErrUnknownReport))?;
            take_step(
                tx,
                case.id,
                &action,
                &Who::Resident,
                &by,
                StepExtra {
                    note: &note,
                    ..StepExtra::default()
                },
                incoming.now,
            )
            .await
            .map_err(|e| refusal(e, lang))?;
        }
        None => {
            return Err(Refusal::Invalid(linli_core::sync::wire::WireError {
                field: "kind".into(),
                message: format!("not a feedback kind: {}", env.kind),
            }))
        }
    }
    Ok(Effect::default())
}
