//! Time limits in working days (工作日) on the deployment's calendar: Monday to Friday
//! are working days, except the public holidays config lists; a weekend day config lists
//! as a make-up working day (调休) is one. A limit of `n` working days runs from the day
//! after the case was recorded (受理) to the end of the `n`-th working day, local time.

use super::State;
use crate::date::{date_at, Date};

/// The deployment's working calendar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Public holidays falling on weekdays (国庆, 春节, …), as config lists them.
    pub holidays: Vec<Date>,
    /// Weekend days that are working days (调休上班).
    pub workdays: Vec<Date>,
}

/// Monday is 0, Sunday 6 (1970-01-01 was a Thursday).
fn weekday(d: Date) -> i64 {
    (d.unix_days() + 3).rem_euclid(7)
}

impl Calendar {
    /// Whether `d` is a working day.
    pub fn is_working_day(&self, d: Date) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        weekday(d) < 5 && !self.holidays.contains(&d)
    }

    /// The end of the `days`-th working day after the day of `from` (ms) in a zone
    /// `offset_minutes` east of UTC, as an instant (the next midnight, local): the
    /// deadline of a limit of `days` working days. `None` outside years 1–9999.
    pub fn deadline(&self, from: i64, days: u32, offset_minutes: i64) -> Option<i64> {
        let mut day = date_at(from, offset_minutes)?;
        let mut left = days;
        while left > 0 {
            day = day.add_days(1)?;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Some(day.add_days(1)?.local_instant(0, offset_minutes))
    }
}

/// A category's time limits, in working days from 受理 (the deployment's config).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// To dispatch (派单).
    pub dispatch: u32,
    /// To answer the resident (答复).
    pub reply: u32,
    /// To close (办结).
    pub close: u32,
}

impl Limits {
    /// The limit that runs in `state`, in working days from 受理: dispatching while it
    /// waits, answering while it is with a handler, closing once answered; none once
    /// closed.
    pub fn running(&self, state: State) -> Option<u32> {
        match state {
            State::Submitted => Some(self.dispatch),
            State::Dispatched | State::InProgress => Some(self.reply),
            State::Replied => Some(self.close),
            _ => None,
        }
    }

    /// The deadline (ms) of the limit running in `state` for a case recorded at
    /// `recorded_at`, on `calendar` in the zone `offset_minutes`.
    pub fn due(
        &self,
        state: State,
        recorded_at: i64,
        calendar: &Calendar,
        offset_minutes: i64,
    ) -> Option<i64> {
        calendar.deadline(recorded_at, self.running(state)?, offset_minutes)
    }

    /// Whether the case is overdue at `now`: its running limit has passed. An overdue
    /// case is under supervision (督办), shown to staff and the handler.
    pub fn overdue(
        &self,
        state: State,
        recorded_at: i64,
        now: i64,
        calendar: &Calendar,
        offset_minutes: i64,
    ) -> bool {
        self.due(state, recorded_at, calendar, offset_minutes)
            .is_some_and(|due| now >= due)
    }
}
