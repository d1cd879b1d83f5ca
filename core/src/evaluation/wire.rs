//! Public evaluation on the wire: the two kinds a device sends to
//! `POST /api/v1/evaluation` (a finished day's counts, a rating) and what
//! `GET /api/v1/evaluation` publishes.

use super::{Counts, Score, Service};
use crate::date::Date;
use crate::json::Value;
use crate::meals::declare::wire_type;
use crate::sync::wire::{err, WireError};

/// The most one device reports of one count for one service and day; the server
/// refuses more, so no one device can move the figures far.
pub const MAX_COUNT: u32 = 200;
/// The longest comment on a rating, in characters.
pub const MAX_COMMENT: usize = 500;
/// The longest "你说我改" note, in characters.
pub const MAX_CHANGE: usize = 300;

wire_type! {
    Counts {
        visits: count(u64::from(MAX_COUNT)),
        started: count(u64::from(MAX_COUNT)),
        completed: count(u64::from(MAX_COUNT)),
    }
}

/// A day's use of one service, as sent: `{service, visits, started, completed}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceUse {
    /// The service.
    pub service: Service,
    /// Its counts, each at most [`MAX_COUNT`].
    pub counts: Counts,
}

wire_type! {
    ServiceUse { .. counts: Counts, service: service }
}

/// `evaluation_use`: one finished day's counts from one device,
/// `{day: "YYYY-MM-DD", services: [ServiceUse]}`, each service at most once. No
/// household, device or person is in it, and the server keeps only its sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsePayload {
    /// The deployment's calendar day counted.
    pub day: Date,
    /// Per service, at most one each.
    pub services: Vec<ServiceUse>,
}

wire_type! {
    UsePayload { day: date, services: list(Service::ALL.len(), ServiceUse::decode) }
}

impl UsePayload {
    /// Reads an `evaluation_use` payload; errors name the field. An empty list, or a
    /// service listed twice, is refused.
    pub fn from_value(value: &Value) -> Result<UsePayload, WireError> {
        let p = UsePayload::decode(value)?;
        if p.services.is_empty() {
            return Err(err("services", "is empty"));
        }
        for (i, s) in p.services.iter().enumerate() {
            if p.services[..i].iter().any(|t| t.service == s.service) {
                return Err(err(&format!("services[{i}].service"), "is listed twice"));
            }
        }
        Ok(p)
    }
}

/// `evaluation_rating`: a one-tap rating after a completed action,
/// `{service, day, score: 1–5, comment, contact}`. The server keeps the household only
/// when `contact` is true (the resident ticked "you may contact me about this").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingPayload {
    /// The service rated.
    pub service: Service,
    /// The deployment's calendar day it was given.
    pub day: Date,
    /// 1 (非常不满意) – 5 (非常满意).
    pub score: Score,
    /// What the resident adds, trimmed, at most [`MAX_COMMENT`] characters ("" when
    /// none).
    pub comment: String,
    /// Whether staff may contact the household about it.
    pub contact: bool,
}

wire_type! {
    RatingPayload {
        service: service,
        day: date,
        score: score,
        comment: note(MAX_COMMENT),
        contact: flag,
    }
}

impl RatingPayload {
    /// Reads an `evaluation_rating` payload; errors name the field.
    pub fn from_value(value: &Value) -> Result<RatingPayload, WireError> {
        RatingPayload::decode(value)
    }
}

/// A "你说我改" note: what changed because of residents' comments, as staff wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The day it was written.
    pub date: Date,
    /// What changed, at most [`MAX_CHANGE`] characters.
    pub text: String,
}

wire_type! {
    Change { date: date, text: text(MAX_CHANGE) }
}

/// One service's published figures over the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedService {
    /// The service.
    pub service: Service,
    /// Its pages opened over the period (every device's counts added up).
    pub visits: u32,
    /// Actions begun over the period.
    pub started: u32,
    /// Actions completed over the period.
    pub completed: u32,
    /// Ratings over the period, `None` when fewer than the minimum ("too few to
    /// show"); the three approval figures are then `None` too.
    pub ratings: Option<u32>,
    /// The mean score in hundredths (`412` for 4.12).
    pub mean: Option<u32>,
    /// The share of 4–5 in thousandths.
    pub high: Option<u32>,
    /// The latest "你说我改" notes, newest first, at most 5.
    pub changes: Vec<Change>,
}

wire_type! {
    PublishedService {
        service: service,
        visits: count(u64::from(u32::MAX)),
        started: count(u64::from(u32::MAX)),
        completed: count(u64::from(u32::MAX)),
        ratings: maybe_count(u64::from(u32::MAX)),
        mean: maybe_count(500),
        high: maybe_count(1000),
        changes: list(5, Change::decode),
    }
}

/// `GET /api/v1/evaluation`: the sub-district's figures for residents, the same staff
/// see, over `from`–`to` (the last [`super::PUBLISHED_DAYS`] days).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The first day counted.
    pub from: Date,
    /// The last day counted.
    pub to: Date,
    /// The fewest ratings shown.
    pub min_ratings: u32,
    /// Each service the deployment offers, notices first.
    pub services: Vec<PublishedService>,
}

wire_type! {
    Published {
        from: date,
        to: date,
        min_ratings: count(1000),
        services: list(Service::ALL.len(), PublishedService::decode),
    }
}

impl Published {
    /// Reads the published figures; errors name the field.
    pub fn from_value(value: &Value) -> Result<Published, WireError> {
        Published::decode(value)
    }
}
