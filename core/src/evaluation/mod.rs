//! Public evaluation (公众评价, DESIGN.md "Public evaluation"): every service residents
//! use is measured the same way — anonymous use per day (visits, actions started,
//! actions completed) and a one-tap rating after a completed action — so the
//! sub-district can keep, fix or retire each one, and residents see the same figures.
//!
//! - [`Service`]: what is measured (the four scenarios and the notice board).
//! - [`Tally`]: the device's own counts, per day, until a finished day leaves in one
//!   anonymous batch ([`UsePayload`], kind `evaluation_use`).
//! - [`may_ask`]: the once-per-period rule of the rating prompt.
//! - [`RatingPayload`] (kind `evaluation_rating`): a rating, anonymous unless the
//!   resident ticks "you may contact me".
//! - [`Approval`]: a distribution of scores, its mean and share of 4–5, and the
//!   minimum-count rule ([`Approval::published`]) that keeps anyone from being singled
//!   out.
//! - [`Published`]: what `GET /api/v1/evaluation` answers residents.
//!
//! Neither kind goes through `/api/v1/submissions`, which keeps the household and
//! device of everything it stores: both go to `POST /api/v1/evaluation`, which keeps
//! only per-day totals per service, and a rating's household only with its consent.

mod text;
mod wire;

#[cfg(test)]
mod tests;

pub use text::{EvalStaffText, EvalText};
pub use wire::{
    Change, Published, PublishedService, RatingPayload, ServiceUse, UsePayload, MAX_CHANGE,
    MAX_COMMENT, MAX_COUNT,
};

use crate::date::{date_at, Date};
use crate::feedback::Rating;
use crate::i18n::Text;
use crate::json::Value;
use crate::sync::wire::WireError;

/// The kind of a day's anonymous use counts ([`UsePayload`]).
pub const USE_KIND: &str = "evaluation_use";
/// The kind of a rating ([`RatingPayload`]).
pub const RATING_KIND: &str = "evaluation_rating";
/// The envelope's `device` of both kinds: the same on every phone, so nothing in what
/// is sent tells one device from another (the server ignores it).
pub const ANONYMOUS_DEVICE: &str = "anonymous";
/// Where both kinds are sent, instead of `/api/v1/submissions`.
pub const ENDPOINT: &str = "api/v1/evaluation";
/// The days a device keeps unsent counts: a batch older than this is dropped on the
/// device, and refused by the server.
pub const KEEP_DAYS: i64 = 30;
/// How often a resident is asked to rate a service, by default, in days.
pub const DEFAULT_PERIOD_DAYS: u32 = 30;
/// Approval with fewer ratings than this is "too few to show", by default.
pub const DEFAULT_MIN_RATINGS: u32 = 5;
/// The days residents' published figures cover.
pub const PUBLISHED_DAYS: i64 = 30;

/// Whether a submission kind is one of public evaluation's (sent to [`ENDPOINT`]).
pub fn is_evaluation(kind: &str) -> bool {
    kind == USE_KIND || kind == RATING_KIND
}

/// A service residents use and rate: one of the scenarios, or the notice board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// 通知公告: the notice board every deployment has.
    Notices,
    /// 老年助餐.
    Meals,
    /// 业主议事表决.
    Voting,
    /// 诉求反馈.
    Feedback,
    /// 表单问卷.
    Forms,
}

impl Service {
    /// Every service, in the order the figures list them.
    pub const ALL: [Service; 5] = [
        Service::Notices,
        Service::Meals,
        Service::Voting,
        Service::Feedback,
        Service::Forms,
    ];

    /// Its id on the wire and in storage (`notices`, `meals`, …).
    pub fn id(self) -> &'static str {
        match self {
            Service::Notices => "notices",
            Service::Meals => "meals",
            Service::Voting => "voting",
            Service::Feedback => "feedback",
            Service::Forms => "forms",
        }
    }

    /// The service of an id.
    pub fn from_id(id: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The service a scenario is.
    pub fn of(scenario: crate::Scenario) -> Service {
        match scenario {
            crate::Scenario::Meals => Service::Meals,
            crate::Scenario::Voting => Service::Voting,
            crate::Scenario::Feedback => Service::Feedback,
            crate::Scenario::Forms => Service::Forms,
        }
    }

    /// Its name as residents know it.
    pub fn title(self) -> Text {
        match self {
            Service::Notices => Text::TabNotices,
            Service::Meals => Text::ScenarioMeals,
            Service::Voting => Text::ScenarioVoting,
            Service::Feedback => Text::ScenarioFeedback,
            Service::Forms => Text::ScenarioForms,
        }
    }
}

/// A score of the one-tap rating, 1 (非常不满意) to 5 (非常满意).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Score(u8);

impl Score {
    /// Every score, lowest first.
    pub const ALL: [Score; 5] = [Score(1), Score(2), Score(3), Score(4), Score(5)];

    /// A score of 1–5; `None` otherwise.
    pub fn new(n: u8) -> Option<Score> {
        (1..=5).contains(&n).then_some(Score(n))
    }

    /// 1–5.
    pub fn get(self) -> u8 {
        self.0
    }

    /// Its written label (非常不满意, 不满意, 一般, 满意, 非常满意): a number alone is
    /// not a cue everyone reads the same way.
    pub fn label(self) -> EvalText {
        match self.0 {
            1 => EvalText::Score1,
            2 => EvalText::Score2,
            3 => EvalText::Score3,
            4 => EvalText::Score4,
            _ => EvalText::Score5,
        }
    }

    /// The score a closed-loop rating (评价) counts as toward the feedback service's
    /// approval: 满意 5, 基本满意 4, 不满意 2. So the share of 4–5 is the 满意率 the
    /// 12345 platforms publish (满意 and 基本满意 over all ratings).
    pub fn of_feedback(rating: Rating) -> Score {
        match rating {
            Rating::Satisfied => Score(5),
            Rating::BasicallySatisfied => Score(4),
            Rating::Dissatisfied => Score(2),
        }
    }
}

/// One step of use that is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The service's page was opened.
    Visit,
    /// An action was begun (a dish chosen, a report's first word, a notice opened).
    Start,
    /// An action was completed (an order confirmed, a ballot cast, a report submitted,
    /// a notice read to the end).
    Complete,
}

/// A day's use of one service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Pages opened.
    pub visits: u32,
    /// Actions begun.
    pub started: u32,
    /// Actions completed.
    pub completed: u32,
}

impl Counts {
    /// Counts one step; a count stops at [`MAX_COUNT`] (what one device may report
    /// for a day).
    pub fn add(&mut self, step: Step) {
        let n = match step {
            Step::Visit => &mut self.visits,
            Step::Start => &mut self.started,
            Step::Complete => &mut self.completed,
        };
        *n = (*n + 1).min(MAX_COUNT);
    }

    /// Adds another day's or device's counts.
    pub fn plus(self, other: Counts) -> Counts {
        Counts {
            visits: self.visits.saturating_add(other.visits),
            started: self.started.saturating_add(other.started),
            completed: self.completed.saturating_add(other.completed),
        }
    }

    /// Whether nothing was counted.
    pub fn is_empty(self) -> bool {
        self == Counts::default()
    }
}

/// The device's own counts, per day and service, kept in IndexedDB until a day is
/// over and leaves in one batch. No identifier of the device or household is in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// The days counted and not yet sent, oldest first.
    pub days: Vec<UsePayload>,
}

impl Tally {
    /// Counts one step of a service on `day`.
    pub fn add(&mut self, day: Date, service: Service, step: Step) {
        let i = match self.days.binary_search_by_key(&day, |d| d.day) {
            Ok(i) => i,
            Err(i) => {
                let services = Vec::new();
                self.days.insert(i, UsePayload { day, services });
                i
            }
        };
        let services = &mut self.days[i].services;
        match services.iter_mut().find(|s| s.service == service) {
            Some(s) => s.counts.add(step),
            None => {
                let mut counts = Counts::default();
                counts.add(step);
                services.push(ServiceUse { service, counts });
            }
        }
    }

    /// Takes the days that are over (before `today`) as batches to send, dropping
    /// those older than [`KEEP_DAYS`] and those with nothing counted; today's counts
    /// stay.
    pub fn take_due(&mut self, today: Date) -> Vec<UsePayload> {
        let oldest = today.add_days(-KEEP_DAYS);
        let (due, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut self.days)
            .into_iter()
            .partition(|d| d.day < today);
        self.days = keep;
        due.into_iter()
            .filter(|d| oldest.is_some_and(|o| d.day >= o))
            .filter(|d| d.services.iter().any(|s| !s.counts.is_empty()))
            .collect()
    }

    /// What is counted for `day` and not sent (what 我的 shows).
    pub fn on(&self, day: Date) -> Counts {
        self.days
            .iter()
            .filter(|d| d.day == day)
            .flat_map(|d| d.services.iter().map(|s| s.counts))
            .fold(Counts::default(), Counts::plus)
    }

    /// For IndexedDB: the days as a list of [`UsePayload`]s.
    pub fn to_value(&self) -> Value {
        Value::Array(self.days.iter().map(UsePayload::to_value).collect())
    }

    /// Reads what [`Tally::to_value`] wrote; errors name the day.
    pub fn from_value(value: &Value) -> Result<Tally, WireError> {
        match value {
            Value::Array(list) => list
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    UsePayload::from_value(v)
                        .map_err(|e| crate::sync::wire::nest(&format!("[{i}]"), e))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|days| Tally { days }),
            _ => Err(crate::sync::wire::err("", "expected a list of days")),
        }
    }
}

/// The once-per-period rule of the rating prompt: a resident last asked (answered or
/// "not now") at `last_asked` (ms since the epoch) is asked again about the same
/// service from the `period_days`-th calendar day after, in the deployment's time zone
/// (`offset_minutes` east of UTC, `ShellConfig::utc_offset_minutes`), whatever zone the
/// phone is set to: asked on 1 March at 23:59 with a 30-day period, again from 31 March
/// 00:00. Never asked is askable.
pub fn may_ask(last_asked: Option<i64>, now: i64, period_days: u32, offset_minutes: i64) -> bool {
    let Some(last) = last_asked else {
        return true;
    };
    match (date_at(last, offset_minutes), date_at(now, offset_minutes)) {
        (Some(then), Some(today)) => today.unix_days() - then.unix_days() >= i64::from(period_days),
        _ => true,
    }
}

/// A service's ratings: how many gave each score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Approval {
    /// Ratings per score, `by_score[0]` for 1 through `by_score[4]` for 5.
    pub by_score: [u32; 5],
}

impl Approval {
    /// Counts one rating.
    pub fn add(&mut self, score: Score) {
        self.add_many(score, 1);
    }

    /// Counts `n` ratings of one score.
    pub fn add_many(&mut self, score: Score, n: u32) {
        let slot = &mut self.by_score[usize::from(score.get() - 1)];
        *slot = slot.saturating_add(n);
    }

    /// Ratings in all.
    pub fn total(&self) -> u32 {
        self.by_score.iter().fold(0, |a, n| a.saturating_add(*n))
    }

    /// The mean score in hundredths (`412` for 4.12), rounded half up; `None` without
    /// ratings.
    pub fn mean_hundredths(&self) -> Option<u32> {
        let total = u64::from(self.total());
        if total == 0 {
            return None;
        }
        let sum: u64 = self
            .by_score
            .iter()
            .zip(1u64..)
            .map(|(n, s)| u64::from(*n) * s)
            .sum();
        u32::try_from((sum * 200 + total) / (total * 2)).ok()
    }

    /// The share of 4 and 5 (满意 and 非常满意) in thousandths, rounded half up;
    /// `None` without ratings.
    pub fn high_permille(&self) -> Option<u32> {
        let total = u64::from(self.total());
        if total == 0 {
            return None;
        }
        let high = u64::from(self.by_score[3]) + u64::from(self.by_score[4]);
        u32::try_from((high * 2000 + total) / (total * 2)).ok()
    }

    /// The minimum-count rule: the figures when there are at least `min` ratings, so
    /// that no one's rating can be told from the figures; `None` ("too few to show")
    /// otherwise.
    pub fn published(&self, min: u32) -> Option<&Approval> {
        (self.total() >= min.max(1)).then_some(self)
    }
}

/// A mean as residents read it: hundredths rounded to one decimal (`415` → `4.2`), so a
/// published mean does not move by a single rating's exact weight.
pub fn mean_text(hundredths: u32) -> String {
    let tenths = (hundredths + 5) / 10;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A share as residents read it: thousandths rounded to a whole percent (`923` → `92`).
pub fn share_text(permille: u32) -> String {
    ((permille + 5) / 10).to_string()
}

/// The rating period a day belongs to, for the server's rule of one rating per phone,
/// service and period: days since the epoch over `period_days`. Two ratings
/// [`may_ask`] allows (at least `period_days` apart) always fall in different periods.
pub fn period_of(day: Date, period_days: u32) -> i64 {
    day.unix_days().div_euclid(i64::from(period_days.max(1)))
}

/// Formats thousandths as a percentage with one decimal (`873` → `87.3`).
pub fn percent(permille: u32) -> String {
    format!("{}.{}", permille / 10, permille % 10)
}

/// Formats hundredths with two decimals (`412` → `4.12`).
pub fn hundredths(n: u32) -> String {
    format!("{}.{:02}", n / 100, n % 100)
}
