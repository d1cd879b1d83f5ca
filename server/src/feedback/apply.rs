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
use linli_core::json::Value;
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
fn redraw(base64_text: &str) -> Option<Vec<u8>> {
    let bytes = B64.decode(base64_text).ok()?;
    if bytes.len() > MAX_PHOTO_BYTES {
        return None;
    }
    crate::picture::photo(&bytes).ok()
}

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A report's payload with each photo drawn again by this server (base64 of the new
/// JPEG), or the refusal naming a photo it cannot read. Blocking: run it off the async
/// workers.
pub(super) fn redraw_photos(payload: Value) -> Result<Value, Refusal> {
    let Value::Object(members) = payload else {
        return Ok(payload);
    };
    let mut out = Vec::with_capacity(members.len());
    for (k, v) in members {
        match (k.as_str(), v) {
            ("photos", Value::Array(list)) => {
                let mut drawn = Vec::with_capacity(list.len());
                for p in list {
                    let again = match &p {
                        Value::String(text) => redraw(text),
                        _ => None,
                    };
                    let Some(jpeg) = again else {
                        // The resident's language is not known here: both, Chinese first.
                        return Err(Refusal::Rule {
                            code: "bad_photo",
                            message: format!(
                                "{} / {}",
                                Lang::ZhCn.t(FeedbackText::ErrPhoto),
                                Lang::En.t(FeedbackText::ErrPhoto)
                            ),
                        });
                    };
                    drawn.push(Value::String(B64.encode(jpeg)));
                }
                out.push((k, Value::Array(drawn)));
            }
            (_, v) => out.push((k, v)),
        }
    }
    Ok(Value::Object(out))
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
