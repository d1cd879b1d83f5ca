//! The voting kinds applied inside a submission's transaction: the same
//! `linli_core::voting` rules the browser ran, against the database.

use linli_core::voting::{
    ballot_counts, comments_open, replaces, BallotError, BallotPayload, CommentPayload, Stage,
    VoteKind, MAX_COMMENTS_EACH,
};
use linli_core::Lang;

use super::store::{
    add_comment, ballot_of, building_of, comment_on, comments_by, owner_key, record_ballot,
    roster_unit, vote, Cast,
};
use crate::app::{Effect, Incoming, Refusal};
use crate::store::{unit_label, Actor, Tx};

fn refuse(e: &BallotError, lang: Lang, offset: i64) -> Refusal {
    Refusal::Rule {
        code: e.code(),
        message: e.text(lang, offset),
    }
}

fn invalid(e: linli_core::sync::wire::WireError) -> Refusal {
    Refusal::Invalid(linli_core::sync::wire::WireError {
        field: format!("payload.{}", e.field),
        message: e.message,
    })
}

/// When the device made the submission, as far as the server believes it: its
/// `created_at`, unless that is before the sending token was linked (a clock behind,
/// or a forged time), then the time it arrived, so it earns no grace after the close;
/// never later than it arrived.
fn believed_made_at(incoming: &Incoming<'_>) -> i64 {
    let said = i64::try_from(incoming.envelope.created_at).unwrap_or(i64::MAX);
    if said >= incoming.linked_at {
        said.min(incoming.now)
    } else {
        incoming.now
    }
}

/// Applies a `vote_*` submission; `offset` is the deployment's zone (minutes east of
/// UTC) for times in refusals.
pub(super) async fn apply(
    tx: &mut Tx,
    incoming: Incoming<'_>,
    offset: i64,
) -> Result<Effect, Refusal> {
    let env = incoming.envelope;
    let lang = incoming.lang;
    let no = |e: BallotError| refuse(&e, lang, offset);
    let label = unit_label(tx.conn(), incoming.unit_id).await?;
    match VoteKind::from_id(&env.kind) {
        Some(VoteKind::Ballot) => {
            let b = BallotPayload::from_value(&env.payload).map_err(invalid)?;
            let v = vote(tx.conn(), b.vote)
                .await?
                .filter(|v| v.stage != Stage::Draft)
                .ok_or_else(|| no(BallotError::UnknownVote))?;
            let late = ballot_counts(v.stage, v.window, believed_made_at(&incoming), incoming.now)
                .map_err(no)?;
            let unit = roster_unit(tx.conn(), v.id, &label)
                .await?
                .ok_or_else(|| no(BallotError::NotOnRoster))?;
            if unit.developer_held {
                return Err(no(BallotError::DeveloperHeld));
            }
            let existing = ballot_of(tx.conn(), v.id, &owner_key(&unit)).await?;
            if let Some(e) = &existing {
                replaces(&e.source, e.made_at, &e.receipt, v.changes_allowed).map_err(no)?;
            }
            let cast = Cast {
                vote: v.id,
                unit: &unit,
                choice: b.choice,
                source: "online",
                made_at: believed_made_at(&incoming),
                received_at: incoming.now,
                late,
                submission: Some(env.id.as_str()),
                entered_by: None,
                replace_reason: None,
            };
            let by = Actor::unit(incoming.unit_id);
            record_ballot(tx, cast, existing.as_ref(), &by, incoming.now).await?;
            Ok(Effect::default())
        }
        Some(VoteKind::Comment) => {
            let c = CommentPayload::from_value(&env.payload).map_err(invalid)?;
            let v = vote(tx.conn(), c.vote)
                .await?
                .filter(|v| v.stage != Stage::Draft)
                .ok_or_else(|| no(BallotError::UnknownVote))?;
            if !comments_open(v.stage, v.window.closes_at, incoming.now) {
                return Err(no(BallotError::CommentsClosed));
            }
            if roster_unit(tx.conn(), v.id, &label).await?.is_none() {
                return Err(no(BallotError::NotOnRoster));
            }
            if comments_by(tx.conn(), v.id, incoming.unit_id).await? >= MAX_COMMENTS_EACH {
                return Err(no(BallotError::TooManyComments));
            }
            if let Some(r) = c.reply_to {
                if !comment_on(tx.conn(), v.id, r).await? {
                    return Err(no(BallotError::UnknownComment));
                }
            }
            add_comment(
                tx,
                v.id,
                (Some(incoming.unit_id), None),
                &building_of(&label),
                &c.text,
                c.reply_to,
                incoming.now,
            )
            .await?;
            Ok(Effect::default())
        }
        None => Ok(Effect::default()),
    }
}
