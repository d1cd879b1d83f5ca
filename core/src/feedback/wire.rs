//! Feedback on the wire: the three submission kinds a household sends through the
//! outbox (`feedback_report`, `feedback_rate`, `feedback_reopen`) and what it reads back
//! (`GET /api/v1/feedback`: its own reports, each with its timeline).

use super::{Action, Case, Rating, State, Who};
use crate::config::MAX_PLACE;
use crate::json::Value;
use crate::meals::declare::wire_type;
use crate::sync::wire::{err, SubmissionId, WireError};

/// The longest description of a problem, in characters.
pub const MAX_DESCRIPTION: usize = 1_000;
/// The longest note on a step (a rating's comment, why it is not solved, a return's
/// reason), in characters.
pub const MAX_NOTE: usize = 500;
/// The longest answer to the resident (答复), in characters.
pub const MAX_REPLY: usize = 2_000;
/// The most photos on a report.
pub const MAX_PHOTOS: usize = 3;
/// The longer side a photo is scaled to in the browser before queueing, in pixels.
pub const PHOTO_LONGEST: u32 = 1_280;
/// The size the browser aims a photo at, in bytes (JPEG quality is lowered until it
/// fits or reaches its floor).
pub const PHOTO_TARGET_BYTES: usize = 300 * 1024;
/// The largest photo accepted, in bytes, once decoded from base64.
pub const MAX_PHOTO_BYTES: usize = 400 * 1024;
/// The longest photo as sent (standard base64 of [`MAX_PHOTO_BYTES`]), in characters.
pub const MAX_PHOTO_BASE64: usize = MAX_PHOTO_BYTES.div_ceil(3) * 4;
/// The most steps a timeline carries.
pub const MAX_STEPS: usize = 200;
/// The most reports a household's list carries (the newest).
pub const MAX_CASES_SHOWN: usize = 100;

/// The submission kinds of the feedback scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedbackKind {
    /// `feedback_report`: a new report ([`ReportPayload`]).
    Report,
    /// `feedback_rate`: the resident's rating of a handled report ([`RatePayload`]).
    Rate,
    /// `feedback_reopen`: "not solved" ([`ReopenPayload`]).
    Reopen,
}

impl FeedbackKind {
    /// Every kind.
    pub const ALL: [FeedbackKind; 3] = [
        FeedbackKind::Report,
        FeedbackKind::Rate,
        FeedbackKind::Reopen,
    ];

    /// Its id in the envelope's `kind`.
    pub fn id(self) -> &'static str {
        match self {
            FeedbackKind::Report => "feedback_report",
            FeedbackKind::Rate => "feedback_rate",
            FeedbackKind::Reopen => "feedback_reopen",
        }
    }

    /// The kind of an id.
    pub fn from_id(id: &str) -> Option<FeedbackKind> {
        FeedbackKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// What a resident calls it (the outbox's list).
    pub fn text(self) -> super::FeedbackText {
        match self {
            FeedbackKind::Report => super::FeedbackText::KindReport,
            FeedbackKind::Rate => super::FeedbackText::KindRate,
            FeedbackKind::Reopen => super::FeedbackText::KindReopen,
        }
    }
}

/// `feedback_report`: a problem as the resident reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportPayload {
    /// A category id of the deployment's config.
    pub category: String,
    /// What is wrong, 1–[`MAX_DESCRIPTION`] characters.
    pub description: String,
    /// Where: a place of the config's list, or the resident's own words
    /// (≤ [`MAX_PLACE`] characters).
    pub place: String,
    /// A contact number, normalised (`13812345678`), when the resident left one.
    pub phone: Option<String>,
    /// Up to [`MAX_PHOTOS`] JPEGs as standard base64, each at most
    /// [`MAX_PHOTO_BYTES`] decoded, already scaled down and stripped of their EXIF
    /// data (location included) by the browser; the server draws them again.
    pub photos: Vec<String>,
}

wire_type! {
    ReportPayload {
        category: text(20),
        description: text(MAX_DESCRIPTION),
        place: text(MAX_PLACE),
        phone: maybe_text(30),
        photos: photos,
    }
}

impl ReportPayload {
    /// Reads a `feedback_report` payload; errors name the field. A blank description
    /// or place, or a phone that is not a mainland mobile number (after removing
    /// `+86`, spaces and dashes), is refused; the phone comes back normalised.
    pub fn from_value(value: &Value) -> Result<ReportPayload, WireError> {
        let mut r = ReportPayload::decode(value)?;
        r.description = r.description.trim().to_owned();
        r.place = r.place.trim().to_owned();
        if r.description.is_empty() {
            return Err(err("description", "is blank"));
        }
        if r.place.is_empty() {
            return Err(err("place", "is blank"));
        }
        if let Some(p) = &r.phone {
            let normal = super::normalise_phone(p)
                .map_err(|_| err("phone", "is not an 11-digit mainland mobile number"))?;
            r.phone = Some(normal);
        }
        Ok(r)
    }

    /// The photos' total size as queued, in bytes (what the outbox shows).
    pub fn photo_bytes(&self) -> usize {
        self.photos.iter().map(|p| p.len() / 4 * 3).sum()
    }
}

/// `feedback_rate`: the resident's rating (评价) of a report that was closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatePayload {
    /// The report's submission id.
    pub report: SubmissionId,
    /// 满意, 基本满意 or 不满意 (which reopens it).
    pub rating: Rating,
    /// What the resident adds (optional).
    pub note: String,
}

wire_type! {
    RatePayload { report: uuid, rating: rating, note: note(MAX_NOTE) }
}

impl RatePayload {
    /// Reads a `feedback_rate` payload; errors name the field.
    pub fn from_value(value: &Value) -> Result<RatePayload, WireError> {
        RatePayload::decode(value)
    }
}

/// `feedback_reopen`: the resident says the problem is not solved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReopenPayload {
    /// The report's submission id.
    pub report: SubmissionId,
    /// What is still wrong (optional).
    pub note: String,
}

wire_type! {
    ReopenPayload { report: uuid, note: note(MAX_NOTE) }
}

impl ReopenPayload {
    /// Reads a `feedback_reopen` payload; errors name the field.
    pub fn from_value(value: &Value) -> Result<ReopenPayload, WireError> {
        ReopenPayload::decode(value)
    }
}

/// A step of a report's timeline as the resident sees it: what happened, when, the
/// state after it, by whom (街道, or the handling department's name — never a staff
/// member's name) and the note meant for the resident (the answer, a return's reason
/// is not shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineStep {
    /// The step's id (`dispatch`, `reply`, …; `report` for the report itself).
    pub action: String,
    /// The state after it.
    pub state: State,
    /// When (ms).
    pub at: i64,
    /// Who, as the resident may know it.
    pub by: String,
    /// The note shown to the resident.
    pub note: String,
}

wire_type! {
    TimelineStep {
        action: text(20),
        state: case_state,
        at: int,
        by: note(40),
        note: note(MAX_REPLY),
    }
}

/// One of the household's reports, as `GET /api/v1/feedback` sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MyCase {
    /// The report's submission id.
    pub report: SubmissionId,
    /// The case number (受理编号), as the hotline would say it.
    pub number: i64,
    /// The category id (after any correction).
    pub category: String,
    /// What the resident wrote.
    pub description: String,
    /// Where (after any correction).
    pub place: String,
    /// Where it stands.
    pub state: State,
    /// When it was recorded (ms).
    pub created_at: i64,
    /// Past its time limit: under supervision (督办).
    pub overdue: bool,
    /// The latest answer (答复), "" before one.
    pub reply: String,
    /// The rating given, once rated.
    pub rating: Option<Rating>,
    /// How many photos it has.
    pub photos: u32,
    /// How many times it was reopened.
    pub reopened: u32,
    /// Every step, oldest first.
    pub steps: Vec<TimelineStep>,
}

wire_type! {
    MyCase {
        report: uuid,
        number: int,
        category: text(20),
        description: text(MAX_DESCRIPTION),
        place: text(MAX_PLACE),
        state: case_state,
        created_at: int,
        overdue: flag,
        reply: note(MAX_REPLY),
        rating: maybe_rating,
        photos: count(MAX_PHOTOS as u64),
        reopened: count(10_000),
        steps: list(MAX_STEPS, TimelineStep::decode),
    }
}

impl MyCase {
    /// Whether the resident may take `action` now: the loop's own rule
    /// ([`super::step`]), so the page offers only what the server will accept.
    pub fn may(&self, action: &Action) -> bool {
        let case = Case {
            state: self.state,
            handler: None,
            reopened: self.reopened,
            returned: 0,
            rating: self.rating,
        };
        super::step(&case, action, &Who::Resident).is_ok()
    }
}

/// A household's reports, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedbackBoard {
    /// At most [`MAX_CASES_SHOWN`].
    pub cases: Vec<MyCase>,
}

wire_type! {
    FeedbackBoard { cases: list(MAX_CASES_SHOWN, MyCase::decode) }
}

impl FeedbackBoard {
    /// Reads the board; errors name the field.
    pub fn from_value(value: &Value) -> Result<FeedbackBoard, WireError> {
        FeedbackBoard::decode(value)
    }
}
