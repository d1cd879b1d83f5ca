//! What the voting view shows for a vote, decided without a browser (host-tested):
//! where the household's ballot stands — open to cast, kept on the phone waiting to
//! be sent, counted with its receipt, refused with the server's reason — and whether
//! the household's ballot is in the published list.

use linli_core::voting::{BallotError, BoardVote, Choice, ListedBallot, MyBallot};

/// Where this household's ballot on a vote stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BallotState {
    /// It may cast (or change) its ballot now; `refused` is the server's reason for
    /// the last one sent from here, if it refused it.
    Open {
        /// Why the last ballot sent from here was not counted.
        refused: Option<String>,
    },
    /// A ballot is kept on the phone (the outbox's IndexedDB transaction committed)
    /// and not yet acknowledged by the server.
    Waiting(Choice),
    /// The server has the owner's ballot (and it may not be changed now).
    Counted(MyBallot),
    /// The server refused the last ballot sent from here and no other can be cast
    /// now: its reason.
    Refused(String),
    /// It cannot vote now: why.
    Closed(BallotError),
}

/// The state of `vote`'s ballot at `now` (server time): `waiting` is the choice of a
/// ballot for it kept in the outbox, `refused` the reason of the last one refused. A
/// ballot on its way comes first; a refusal never reopens a closed vote.
pub fn ballot_state(
    vote: &BoardVote,
    now: i64,
    waiting: Option<Choice>,
    refused: Option<&str>,
) -> BallotState {
    if let Some(choice) = waiting {
        return BallotState::Waiting(choice);
    }
    let refused = refused.map(str::to_owned);
    match (vote.may_cast(now), &vote.ballot, refused) {
        (Ok(()), _, refused) => BallotState::Open { refused },
        (Err(_), Some(b), _) => BallotState::Counted(b.clone()),
        (Err(_), None, Some(reason)) => BallotState::Refused(reason),
        (Err(e), None, None) => BallotState::Closed(e),
    }
}

/// Whether the household's ballot is in the published list, as anyone can check:
/// for a named vote by its unit and choice, for a secret vote by its receipt and
/// choice. `None` before publication or without a ballot.
pub fn in_published_list(vote: &BoardVote) -> Option<bool> {
    let (result, mine) = (vote.result.as_ref()?, vote.ballot.as_ref()?);
    let found = |b: &ListedBallot| {
        b.choice == mine.choice
            && if vote.secret {
                b.receipt == mine.receipt
            } else {
                b.unit == mine.unit
            }
    };
    Some(result.ballots.iter().any(found))
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::voting::{Stage, Turnout, VoteResult};

    fn vote(stage: Stage) -> BoardVote {
        BoardVote {
            id: 1,
            title: "t".into(),
            body: String::new(),
            matter: 4,
            stage,
            opens_at: 100,
            closes_at: 1_000,
            grace_ms: 50,
            secret: false,
            changes_allowed: false,
            eligible: true,
            unit: "1幢101".into(),
            turnout: Turnout::default(),
            ballot: None,
            comments: Vec::new(),
            result: None,
        }
    }

    fn mine(choice: Choice) -> MyBallot {
        MyBallot {
            unit: "1幢102".into(),
            choice,
            receipt: "ABCDEFGHJK".into(),
            source: "online".into(),
            made_at: 200,
            received_at: 200,
            late: false,
        }
    }

    #[test]
    fn a_ballot_is_offered_only_inside_the_window_to_an_owner_on_the_roster() {
        let v = vote(Stage::Voting);
        assert_eq!(
            ballot_state(&v, 50, None, None),
            BallotState::Closed(BallotError::NotOpen)
        );
        assert_eq!(
            ballot_state(&v, 500, None, None),
            BallotState::Open { refused: None }
        );
        assert_eq!(
            ballot_state(&v, 1_000, None, None),
            BallotState::Closed(BallotError::Closed)
        );
        // A refusal never reopens a closed vote: it is said, with no ballot offered.
        assert_eq!(
            ballot_state(&v, 1_000, None, Some("已截止")),
            BallotState::Refused("已截止".into())
        );
        let outsider = BoardVote {
            eligible: false,
            ..v.clone()
        };
        assert_eq!(
            ballot_state(&outsider, 500, None, None),
            BallotState::Closed(BallotError::NotOnRoster)
        );
        assert_eq!(
            ballot_state(&vote(Stage::Deliberation), 500, None, None),
            BallotState::Closed(BallotError::NotOpen)
        );
    }

    #[test]
    fn waiting_is_said_before_counted_and_a_counted_ballot_changes_only_if_allowed() {
        let mut v = vote(Stage::Voting);
        v.ballot = Some(mine(Choice::Agree));
        assert_eq!(
            ballot_state(&v, 500, Some(Choice::Oppose), None),
            BallotState::Waiting(Choice::Oppose)
        );
        assert_eq!(
            ballot_state(&v, 500, None, None),
            BallotState::Counted(mine(Choice::Agree))
        );
        v.changes_allowed = true;
        assert_eq!(
            ballot_state(&v, 500, None, None),
            BallotState::Open { refused: None }
        );
        assert_eq!(
            ballot_state(&v, 500, None, Some("已截止")),
            BallotState::Open {
                refused: Some("已截止".into())
            }
        );
    }

    #[test]
    fn the_owner_finds_their_ballot_in_the_published_list_by_unit_or_by_receipt() {
        let mut v = vote(Stage::Published);
        v.ballot = Some(mine(Choice::Agree));
        assert_eq!(in_published_list(&v), None);
        let listed = |unit: &str, receipt: &str, choice| ListedBallot {
            unit: unit.into(),
            receipt: receipt.into(),
            choice,
        };
        v.result = Some(VoteResult {
            quorum: true,
            passed: true,
            explanation_zh: String::new(),
            explanation_en: String::new(),
            late: 0,
            // Cast through 1幢102, the owner's other unit: found by the unit it was cast
            // through, not the household's own.
            ballots: vec![listed("1幢102", "", Choice::Agree)],
        });
        assert_eq!(in_published_list(&v), Some(true));
        v.secret = true;
        assert_eq!(in_published_list(&v), Some(false));
        if let Some(r) = v.result.as_mut() {
            r.ballots = vec![listed("", "ABCDEFGHJK", Choice::Agree)];
        }
        assert_eq!(in_published_list(&v), Some(true));
        if let Some(r) = v.result.as_mut() {
            r.ballots = vec![listed("", "ABCDEFGHJK", Choice::Oppose)];
        }
        assert_eq!(in_published_list(&v), Some(false));
    }
}
