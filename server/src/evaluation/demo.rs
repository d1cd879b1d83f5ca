//! The demo's public evaluation: four weeks of anonymous use and one-tap ratings for
//! the notice board and each scenario, a few comments to handle (one from a household
//! that agreed to be contacted), and "你说我改" notes, all written through the same
//! store functions the API uses. Voting has too few ratings to publish, to show the
//! minimum-count rule.

use linli_core::date::{date_at, Date};
use linli_core::evaluation::{Counts, RatingPayload, Score, Service, ServiceUse, UsePayload};

use super::store::{add_rating, add_use, Send};
use crate::store::{Actor, Store, StoreError};

/// The days of use seeded, up to yesterday.
const DAYS: i64 = 28;

type Use = (Service, u32, u32, u32, u32, &'static [u8]);

/// (service, visits a day, share begun in %, share of those done in %, ratings a week,
/// scores drawn from).
const USE: &[Use] = &[
    (Service::Notices, 24, 60, 80, 3, &[5, 4, 4, 3, 5]),
    (Service::Meals, 14, 70, 85, 4, &[5, 4, 5, 3, 4, 2, 5]),
    (Service::Voting, 6, 40, 60, 0, &[4]),
    (Service::Feedback, 9, 50, 70, 2, &[4, 3, 5, 2, 4]),
];

/// Comments residents left: (service, days ago, score, comment, from a household that
/// may be contacted, handled).
const COMMENTS: &[(Service, i64, u8, &str, bool, bool)] = &[
    (
        Service::Meals,
        3,
        2,
        "午餐偏咸，老人吃不消，希望少放点盐",
        true,
        false,
    ),
    (Service::Meals, 9, 4, "送餐很准时，谢谢志愿者", false, true),
    (
        Service::Meals,
        15,
        3,
        "菜单字太小，看不清，希望能放大",
        false,
        true,
    ),
    (Service::Notices, 5, 4, "停水通知发得及时", false, false),
    (
        Service::Feedback,
        6,
        2,
        "反映的问题过了三天才有人联系",
        false,
        false,
    ),
    (
        Service::Voting,
        4,
        3,
        "表决事项的说明能不能写得再简单些",
        false,
        false,
    ),
];

/// "你说我改" notes: (service, days ago, what changed).
const CHANGES: &[(Service, i64, &str)] = &[
    (
        Service::Meals,
        12,
        "根据大家的意见，菜单页面的字号已放大，长辈版更清楚。",
    ),
    (
        Service::Meals,
        2,
        "午餐从下周一起减盐三分之一，低盐菜品每天至少两道。",
    ),
    (
        Service::Notices,
        20,
        "停水停电通知改为提前两天发布，并在电梯口同步张贴。",
    ),
];

/// A small deterministic generator, so every demo has the same figures.
struct Dice(u64);

impl Dice {
    fn next(&mut self, below: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        u32::try_from((self.0 >> 33) % u64::from(below.max(1))).unwrap_or(0)
    }
}

/// Seeds the demo's evaluation; returns lines for the demo's printout. `unit` is the
/// household one comment comes from, with its consent to be contacted.
pub async fn seed(
    store: &Store,
    now: i64,
    offset_minutes: i64,
    unit: Option<i64>,
) -> Result<Vec<String>, StoreError> {
    let Some(today) = date_at(now, offset_minutes) else {
        return Ok(Vec::new());
    };
    let mut dice = Dice(20_261_202);
    let mut n = 0u32;
    let mut send = |prefix: &str| {
        n += 1;
        format!("demo-{prefix}-{n}")
    };
    for ago in 1..=DAYS {
        let Some(day) = today.add_days(-ago) else {
            continue;
        };
        let mut services = Vec::new();
        for (service, visits, begun, done, _, _) in USE {
            let visits =
                visits / 2 + dice.next(*visits) + u32::try_from(DAYS - ago).unwrap_or(0) / 4;
            let started = visits * begun / 100;
            let completed = started * done / 100 + dice.next(2);
            services.push(ServiceUse {
                service: *service,
                counts: Counts {
                    visits,
                    started,
                    completed: completed.min(started),
                },
            });
        }
        let batch = UsePayload { day, services };
        let digest = send("use");
        store
            .write_tx(async |tx| add_use(tx, demo_send(&digest), &batch, today).await)
            .await?;
        for (service, _, _, _, per_week, scores) in USE {
            if dice.next(7) >= *per_week {
                continue;
            }
            let pick = scores[dice.next(u32::try_from(scores.len()).unwrap_or(1)) as usize];
            rate(store, &send("rating"), *service, day, pick, "", None, today).await?;
        }
    }
    for (service, ago, score, comment, contact, handled) in COMMENTS {
        let Some(day) = today.add_days(-ago) else {
            continue;
        };
        let who = if *contact { unit } else { None };
        rate(
            store,
            &send("rating"),
            *service,
            day,
            *score,
            comment,
            who,
            today,
        )
        .await?;
        if *handled {
            let rows = store.evaluation_comments(*service, day, day).await?;
            if let Some(row) = rows.iter().find(|r| r.comment == *comment) {
                store
                    .evaluation_mark(
                        *service,
                        row.id,
                        true,
                        &Actor::staff("wang", linli_core::Role::Staff),
                        now,
                    )
                    .await?;
            }
        }
    }
    for (service, ago, text) in CHANGES {
        let day = today.add_days(-ago).unwrap_or(today);
        store
            .evaluation_add_change(
                *service,
                day,
                text,
                &Actor::staff("wang", linli_core::Role::Staff),
                now,
            )
            .await?;
    }
    Ok(vec![
        "Four weeks of anonymous use and ratings: /staff/evaluation (staff: wang), and residents' 我的 → 公众评价".into(),
        "Voting has fewer than 5 ratings: residents see \"too few to show\"".into(),
        "Order a meal on the phone: the rating prompt appears once; the rating shows on /staff/evaluation at once and on residents' 公众评价 page the next day, as do the day's use counts".into(),
    ])
}

/// A demo send fills a bucket of its own (the demo's phones are made up).
fn demo_send(id: &str) -> Send<'_> {
    Send {
        bucket: id,
        sent: id,
    }
}

#[allow(clippy::too_many_arguments)]
async fn rate(
    store: &Store,
    id: &str,
    service: Service,
    day: Date,
    score: u8,
    comment: &str,
    unit: Option<i64>,
    today: Date,
) -> Result<(), StoreError> {
    let Some(score) = Score::new(score) else {
        return Ok(());
    };
    let rating = RatingPayload {
        service,
        day,
        score,
        comment: comment.to_owned(),
        contact: unit.is_some(),
    };
    store
        .write_tx(async |tx| add_rating(tx, demo_send(id), &rating, unit, today).await)
        .await?;
    Ok(())
}
