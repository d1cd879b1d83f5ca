//! The figures of public evaluation, made once for the staff dashboard, the CSV
//! exports and the residents' page: per service, use per day (every day of the period,
//! zeros included) and in all, approval (the one-tap ratings and the ratings its own
//! loop collected, such as feedback's 满意 / 基本满意 / 不满意) in all and per week.

use linli_core::date::Date;
use linli_core::evaluation::{Approval, Counts, Score, Service};

use super::store::{ScoreRow, UseRow};

/// The most days a period may cover (a year and a day).
pub const MAX_DAYS: i64 = 367;

/// The figures of every service measured over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures {
    /// The first day.
    pub from: Date,
    /// The last day (included).
    pub to: Date,
    /// The services measured, in [`Service::ALL`]'s order.
    pub services: Vec<ServiceFigures>,
}

/// One service's figures over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceFigures {
    /// The service.
    pub service: Service,
    /// Use on every day of the period, oldest first (zeros where nothing came).
    pub daily: Vec<(Date, Counts)>,
    /// Use over the whole period.
    pub total: Counts,
    /// Every rating of the period.
    pub approval: Approval,
    /// How many of them came from the service's own loop (feedback's 评价 and 回访).
    pub from_loop: u32,
    /// Ratings per week, each week named by its first day (the period's first day,
    /// then every seventh).
    pub weekly: Vec<(Date, Approval)>,
}

impl ServiceFigures {
    /// Actions completed of those begun, in thousandths; `None` when none was begun.
    pub fn completion_permille(&self) -> Option<u32> {
        let started = u64::from(self.total.started);
        (started > 0).then(|| {
            let done = u64::from(self.total.completed).min(started);
            u32::try_from((done * 2000 + started) / (started * 2)).unwrap_or(1000)
        })
    }
}

/// Makes the figures of `services` over `from`–`to` from the stored rows and the
/// loops' ratings (`(service, day, score)`); rows outside the period or of other
/// services are left out.
pub fn figures(
    services: &[Service],
    from: Date,
    to: Date,
    uses: &[UseRow],
    scores: &[ScoreRow],
    loops: &[(Service, Date, Score)],
) -> Figures {
    let days: Vec<Date> = (0..=(to.unix_days() - from.unix_days()).clamp(0, MAX_DAYS))
        .filter_map(|i| from.add_days(i))
        .collect();
    let week_of = |day: Date| from.add_days((day.unix_days() - from.unix_days()) / 7 * 7);
    let services = services
        .iter()
        .map(|&service| {
            let daily: Vec<(Date, Counts)> = days
                .iter()
                .map(|&day| {
                    let counts = uses
                        .iter()
                        .filter(|u| u.service == service && u.day == day)
                        .fold(Counts::default(), |a, u| a.plus(u.counts));
                    (day, counts)
                })
                .collect();
            let total = daily.iter().fold(Counts::default(), |a, d| a.plus(d.1));
            let mut approval = Approval::default();
            let mut weekly: Vec<(Date, Approval)> = days
                .iter()
                .step_by(7)
                .map(|&d| (d, Approval::default()))
                .collect();
            let mut add = |day: Date, score: Score, n: u32| {
                if day < from || day > to {
                    return false;
                }
                approval.add_many(score, n);
                if let Some(week) = week_of(day) {
                    if let Some(w) = weekly.iter_mut().find(|w| w.0 == week) {
                        w.1.add_many(score, n);
                    }
                }
                true
            };
            for s in scores.iter().filter(|s| s.service == service) {
                add(s.day, s.score, s.count);
            }
            let mut from_loop = 0u32;
            for (_, day, score) in loops.iter().filter(|l| l.0 == service) {
                if add(*day, *score, 1) {
                    from_loop += 1;
                }
            }
            ServiceFigures {
                service,
                daily,
                total,
                approval,
                from_loop,
                weekly,
            }
        })
        .collect();
    Figures { from, to, services }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn score(n: u8) -> Score {
        Score::new(n).unwrap()
    }

    #[test]
    fn chart_data_has_every_day_of_the_period_and_sums_the_devices() {
        let uses = [
            UseRow {
                day: day("2026-11-02"),
                service: Service::Meals,
                counts: Counts {
                    visits: 3,
                    started: 2,
                    completed: 1,
                },
            },
            UseRow {
                day: day("2026-11-04"),
                service: Service::Meals,
                counts: Counts {
                    visits: 5,
                    started: 2,
                    completed: 2,
                },
            },
            // Another service, and a day outside the period: not meals' figures.
            UseRow {
                day: day("2026-11-04"),
                service: Service::Voting,
                counts: Counts {
                    visits: 9,
                    started: 0,
                    completed: 0,
                },
            },
            UseRow {
                day: day("2026-12-01"),
                service: Service::Meals,
                counts: Counts {
                    visits: 100,
                    started: 0,
                    completed: 0,
                },
            },
        ];
        let f = figures(
            &[Service::Meals, Service::Voting],
            day("2026-11-01"),
            day("2026-11-10"),
            &uses,
            &[],
            &[],
        );
        let meals = &f.services[0];
        assert_eq!(meals.daily.len(), 10);
        assert_eq!(meals.daily[0], (day("2026-11-01"), Counts::default()));
        assert_eq!(meals.daily[1].1.visits, 3);
        assert_eq!(meals.daily[3].1.visits, 5);
        assert_eq!(
            meals.total,
            Counts {
                visits: 8,
                started: 4,
                completed: 3
            }
        );
        assert_eq!(meals.completion_permille(), Some(750));
        assert_eq!(f.services[1].total.visits, 9);
        assert_eq!(f.services[1].completion_permille(), None);
    }

    #[test]
    fn approval_adds_the_prompts_and_the_loops_ratings_by_week() {
        let scores = [
            ScoreRow {
                day: day("2026-11-01"),
                service: Service::Feedback,
                score: score(5),
                count: 3,
            },
            ScoreRow {
                day: day("2026-11-09"),
                service: Service::Feedback,
                score: score(1),
                count: 1,
            },
        ];
        let loops = [
            (
                Service::Feedback,
                day("2026-11-08"),
                Score::of_feedback(linli_core::feedback::Rating::BasicallySatisfied),
            ),
            (Service::Feedback, day("2026-10-01"), score(2)),
        ];
        let f = figures(
            &[Service::Feedback],
            day("2026-11-01"),
            day("2026-11-14"),
            &[],
            &scores,
            &loops,
        );
        let fb = &f.services[0];
        assert_eq!(fb.approval.by_score, [1, 0, 0, 1, 3]);
        assert_eq!(fb.from_loop, 1);
        assert_eq!(fb.weekly.len(), 2);
        assert_eq!(fb.weekly[0].0, day("2026-11-01"));
        assert_eq!(fb.weekly[0].1.total(), 3);
        assert_eq!(fb.weekly[1].0, day("2026-11-08"));
        assert_eq!(fb.weekly[1].1.by_score, [1, 0, 0, 1, 0]);
    }
}
