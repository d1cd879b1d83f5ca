//! Resident feedback with the 12345 hotline's closed loop (诉求办理闭环): the states of a
//! case — 受理 (submitted) → 派单 (dispatched) → 办理 (in progress) → 答复 (replied) →
//! 办结 (closed) → 回访 (visited) → 评价 (rated) — the one transition function the
//! browser and the server both apply (who may do what, in which state), reopening on a
//! 不满意 rating or the resident's "not solved" (counted), a returned dispatch (退单)
//! going back to the dispatcher with its reason, time limits in working days on a
//! deployment calendar of weekends, public holidays and make-up working days (调休), the
//! overdue rule that raises supervision (督办), corrections of a case's category or
//! place kept in its history (越用越准), and the contact phone rule.
//!
//! Times are ms since the epoch; days are calendar dates in the deployment's zone.

mod calendar;
mod phone;
mod text;
mod wire;

#[cfg(test)]
mod tests;

pub use calendar::{Calendar, Limits};
pub use phone::{mask_phone, normalise_phone, PhoneError};
pub use text::{FeedbackStaffText, FeedbackText};
pub use wire::{
    FeedbackBoard, FeedbackKind, MyCase, RatePayload, ReopenPayload, ReportPayload, TimelineStep,
    MAX_CASES_SHOWN, MAX_DESCRIPTION, MAX_NOTE, MAX_PHOTOS, MAX_PHOTO_BASE64, MAX_PHOTO_BYTES,
    MAX_REPLY, MAX_STEPS, PHOTO_LONGEST, PHOTO_TARGET_BYTES,
};

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// 受理: recorded, waiting to be dispatched (again, after a return or a reopening).
    Submitted,
    /// 派单: sent to a handler (a department or a grid worker), not yet taken up.
    Dispatched,
    /// 办理: the handler is working on it.
    InProgress,
    /// 答复: the handler (or staff) answered the resident.
    Replied,
    /// 办结: staff closed it.
    Closed,
    /// 回访: staff called the resident back and recorded the outcome.
    Visited,
    /// 评价: the resident rated the handling (满意 or 基本满意; 不满意 reopens it).
    Rated,
}

impl State {
    /// Every state, in the loop's order.
    pub const ALL: [State; 7] = [
        State::Submitted,
        State::Dispatched,
        State::InProgress,
        State::Replied,
        State::Closed,
        State::Visited,
        State::Rated,
    ];

    /// Its id on the wire and in the database.
    pub fn id(self) -> &'static str {
        match self {
            State::Submitted => "submitted",
            State::Dispatched => "dispatched",
            State::InProgress => "in_progress",
            State::Replied => "replied",
            State::Closed => "closed",
            State::Visited => "visited",
            State::Rated => "rated",
        }
    }

    /// The state of an id.
    pub fn from_id(id: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.id() == id)
    }

    /// Its name (受理, 派单, …).
    pub fn text(self) -> FeedbackText {
        match self {
            State::Submitted => FeedbackText::StateSubmitted,
            State::Dispatched => FeedbackText::StateDispatched,
            State::InProgress => FeedbackText::StateInProgress,
            State::Replied => FeedbackText::StateReplied,
            State::Closed => FeedbackText::StateClosed,
            State::Visited => FeedbackText::StateVisited,
            State::Rated => FeedbackText::StateRated,
        }
    }

    /// Whether the handling is finished (办结 or later): no time limit runs.
    pub fn finished(self) -> bool {
        self >= State::Closed
    }
}

/// The resident's rating (评价), as the 12345 hotline asks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rating {
    /// 满意.
    Satisfied,
    /// 基本满意.
    BasicallySatisfied,
    /// 不满意: reopens the case.
    Dissatisfied,
}

impl Rating {
    /// Its id on the wire.
    pub fn id(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::BasicallySatisfied => "basically_satisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    /// The rating of an id.
    pub fn from_id(id: &str) -> Option<Rating> {
        [
            Rating::Satisfied,
            Rating::BasicallySatisfied,
            Rating::Dissatisfied,
        ]
        .into_iter()
        .find(|r| r.id() == id)
    }

    /// Its name.
    pub fn text(self) -> FeedbackText {
        match self {
            Rating::Satisfied => FeedbackText::RatingSatisfied,
            Rating::BasicallySatisfied => FeedbackText::RatingBasic,
            Rating::Dissatisfied => FeedbackText::RatingDissatisfied,
        }
    }
}

/// Who acts on a case, as the loop tells them apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// The household that reported it.
    Resident,
    /// Sub-district staff (the dispatcher, front-line staff).
    Staff,
    /// A handler: a department or grid worker, by its handler id.
    Handler(String),
}

/// A step someone asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// 派单: staff send it to a handler.
    Dispatch {
        /// The handler's id (a department or grid from the deployment's list).
        to: String,
    },
    /// 退单: the assigned handler returns it as not theirs, with the reason.
    Return {
        /// Why it is not theirs.
        reason: String,
    },
    /// The assigned handler takes it up (签收).
    Accept,
    /// 答复: the assigned handler (or staff) answers the resident.
    Reply,
    /// 办结: staff close it once answered.
    Close,
    /// 回访: staff record the call back to the resident.
    Visit,
    /// 评价: the resident rates it (staff may record the rating given on the visit).
    Rate(Rating),
    /// The resident says it is not solved: back to 受理 for dispatching again.
    Reopen,
}

impl Action {
    /// Its id on the wire and in the case's history.
    pub fn id(&self) -> &'static str {
        match self {
            Action::Dispatch { .. } => "dispatch",
            Action::Return { .. } => "return",
            Action::Accept => "accept",
            Action::Reply => "reply",
            Action::Close => "close",
            Action::Visit => "visit",
            Action::Rate(_) => "rate",
            Action::Reopen => "reopen",
        }
    }
}

/// What the loop needs to know of a case to decide a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// Where it stands.
    pub state: State,
    /// The handler it is dispatched to (from 派单 until returned or reopened).
    pub handler: Option<String>,
    /// How many times it was reopened (a 不满意 rating or "not solved").
    pub reopened: u32,
    /// How many times it was returned by a handler (退单).
    pub returned: u32,
    /// The resident's rating, once rated.
    pub rating: Option<Rating>,
}

impl Case {
    /// A case just recorded.
    pub fn new() -> Case {
        Case {
            state: State::Submitted,
            handler: None,
            reopened: 0,
            returned: 0,
            rating: None,
        }
    }
}

impl Default for Case {
    fn default() -> Case {
        Case::new()
    }
}

/// Why a step is refused. Each says what would be allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    /// The step does not follow from the case's state (答复 before 派单, …).
    WrongState {
        /// Where the case stands.
        state: State,
        /// The step asked for.
        action: &'static str,
    },
    /// This person may not take this step (a resident dispatching, another handler
    /// replying).
    NotAllowed {
        /// The step asked for.
        action: &'static str,
    },
    /// A return (退单) without its reason, or a dispatch to no one.
    MissingReason,
}

impl StepError {
    /// Its code on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            StepError::WrongState { .. } => "wrong_state",
            StepError::NotAllowed { .. } => "not_allowed",
            StepError::MissingReason => "missing_reason",
        }
    }

    /// The refusal said in `lang`.
    pub fn text(&self, lang: crate::Lang) -> String {
        match self {
            StepError::WrongState { state, action } => lang.fill(
                FeedbackText::ErrWrongState,
                &[
                    ("state", lang.t(state.text())),
                    ("action", lang.t(action_text(action))),
                ],
            ),
            StepError::NotAllowed { action } => lang.fill(
                FeedbackText::ErrNotAllowed,
                &[("action", lang.t(action_text(action)))],
            ),
            StepError::MissingReason => lang.t(FeedbackText::ErrMissingReason).to_owned(),
        }
    }
}

/// A step's name for people, by its id.
pub fn action_text(id: &str) -> FeedbackText {
    match id {
        "dispatch" => FeedbackText::ActDispatch,
        "return" => FeedbackText::ActReturn,
        "accept" => FeedbackText::ActAccept,
        "reply" => FeedbackText::ActReply,
        "close" => FeedbackText::ActClose,
        "visit" => FeedbackText::ActVisit,
        "rate" => FeedbackText::ActRate,
        _ => FeedbackText::ActReopen,
    }
}

/// The case after `action` by `who`, or why not. The one rule of the loop, applied in
/// the browser before queueing and on the server inside the step's transaction:
///
/// | from | step | by | to |
/// | --- | --- | --- | --- |
/// | 受理 | 派单 (to a handler) | staff | 派单 |
/// | 派单 | 签收 | the assigned handler | 办理 |
/// | 派单, 办理 | 退单 (with a reason) | the assigned handler | 受理 (handler cleared, counted) |
/// | 办理 | 答复 | the assigned handler, staff | 答复 |
/// | 答复 | 办结 | staff | 办结 |
/// | 办结 | 回访 | staff | 回访 |
/// | 办结, 回访 | 评价 满意 / 基本满意 | the resident, staff on the resident's word | 评价 |
/// | 办结, 回访 | 评价 不满意 | the resident, staff on the resident's word | 受理 (reopened, counted) |
/// | 答复, 办结, 回访 | not solved | the resident | 受理 (reopened, counted) |
pub fn step(case: &Case, action: &Action, who: &Who) -> Result<Case, StepError> {
    let wrong = || StepError::WrongState {
        state: case.state,
        action: action.id(),
    };
    let refused = || StepError::NotAllowed {
        action: action.id(),
    };
    let assigned =
        |who: &Who| matches!(who, Who::Handler(h) if case.handler.as_deref() == Some(h.as_str()));
    let mut next = case.clone();
    let reopen = |mut next: Case| {
        next.state = State::Submitted;
        next.handler = None;
        next.rating = None;
        next.reopened += 1;
        next
    };
    match action {
        Action::Dispatch { to } => {
            if *who != Who::Staff {
                return Err(refused());
            }
            if case.state != State::Submitted {
                return Err(wrong());
            }
            if to.trim().is_empty() {
                return Err(StepError::MissingReason);
            }
            next.state = State::Dispatched;
            next.handler = Some(to.trim().to_owned());
        }
        Action::Accept => {
            if !assigned(who) {
                return Err(refused());
            }
            if case.state != State::Dispatched {
                return Err(wrong());
            }
            next.state = State::InProgress;
        }
        Action::Return { reason } => {
            if !assigned(who) {
                return Err(refused());
            }
            if !matches!(case.state, State::Dispatched | State::InProgress) {
                return Err(wrong());
            }
            if reason.trim().is_empty() {
                return Err(StepError::MissingReason);
            }
            next.state = State::Submitted;
            next.handler = None;
            next.returned += 1;
        }
        Action::Reply => {
            if !(assigned(who) || *who == Who::Staff) {
                return Err(refused());
            }
            if case.state != State::InProgress {
                return Err(wrong());
            }
            next.state = State::Replied;
        }
        Action::Close | Action::Visit => {
            if *who != Who::Staff {
                return Err(refused());
            }
            let (from, to) = match action {
                Action::Close => (State::Replied, State::Closed),
                _ => (State::Closed, State::Visited),
            };
            if case.state != from {
                return Err(wrong());
            }
            next.state = to;
        }
        Action::Rate(rating) => {
            if !matches!(who, Who::Resident | Who::Staff) {
                return Err(refused());
            }
            if !matches!(case.state, State::Closed | State::Visited) {
                return Err(wrong());
            }
            if *rating == Rating::Dissatisfied {
                return Ok(reopen(next));
            }
            next.state = State::Rated;
            next.rating = Some(*rating);
        }
        Action::Reopen => {
            if *who != Who::Resident {
                return Err(refused());
            }
            if !matches!(case.state, State::Replied | State::Closed | State::Visited) {
                return Err(wrong());
            }
            return Ok(reopen(next));
        }
    }
    Ok(next)
}

/// What a correction changes: the case's category or its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corrected {
    /// The category (a config id).
    Category,
    /// The place (a building/unit from the deployment's list, or free text).
    Place,
}

/// A correction front-line staff made, kept in the case's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// What was corrected.
    pub field: Corrected,
    /// The value before.
    pub before: String,
    /// The value after.
    pub after: String,
    /// Who (a staff username).
    pub by: String,
    /// Why.
    pub why: String,
    /// When (ms).
    pub at: i64,
}

/// The value of `field` after every correction in order, starting from what the
/// resident reported: what counts, statistics and the knowledge base use (越用越准).
pub fn current(reported: &str, field: Corrected, history: &[Correction]) -> String {
    history
        .iter()
        .filter(|c| c.field == field)
        .fold(reported.to_owned(), |_, c| c.after.clone())
}
