use super::*;
use crate::date::CHINA_OFFSET_MINUTES;
use crate::json;

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// ms since the epoch of a wall-clock time in Beijing.
fn beijing(date: &str, hour: i64, minute: i64) -> i64 {
    day(date).local_instant(hour * 60 + minute, CHINA_OFFSET_MINUTES)
}

#[test]
fn the_prompt_returns_after_the_period_in_the_deployments_days() {
    // Asked late on 1 March (Beijing): not again until 31 March, whatever the hour.
    let asked = beijing("2026-03-01", 23, 59);
    assert!(!may_ask(
        Some(asked),
        beijing("2026-03-30", 23, 59),
        30,
        CHINA_OFFSET_MINUTES
    ));
    assert!(may_ask(
        Some(asked),
        beijing("2026-03-31", 0, 0),
        30,
        CHINA_OFFSET_MINUTES
    ));
    assert!(may_ask(None, asked, 30, CHINA_OFFSET_MINUTES));
    // Asked just after midnight: the same calendar rule, not 30 × 24 hours.
    let early = beijing("2026-03-02", 0, 1);
    assert!(!may_ask(
        Some(early),
        beijing("2026-03-31", 23, 59),
        30,
        CHINA_OFFSET_MINUTES
    ));
    assert!(may_ask(
        Some(early),
        beijing("2026-04-01", 0, 0),
        30,
        CHINA_OFFSET_MINUTES
    ));
}

#[test]
fn the_once_per_period_rule_ignores_the_phones_time_zone() {
    // A phone set to New York (UTC−5) or London asks with the same instants: the rule
    // reads only ms since the epoch and the deployment's zone, so the day a phone
    // calls "today" does not move it. 2026-03-01 20:00 in New York is 2 March 09:00
    // in Beijing.
    let asked = day("2026-03-01").local_instant(20 * 60, -300);
    assert_eq!(
        date_at(asked, CHINA_OFFSET_MINUTES),
        Some(day("2026-03-02"))
    );
    let before = day("2026-03-31").local_instant(11 * 60, -300); // 1 Apr 00:00 Beijing
    assert_eq!(
        date_at(before, CHINA_OFFSET_MINUTES),
        Some(day("2026-04-01"))
    );
    assert!(may_ask(Some(asked), before, 30, CHINA_OFFSET_MINUTES));
    let still = day("2026-03-31").local_instant(11 * 60 - 1, -300); // 31 Mar 23:59
    assert!(!may_ask(Some(asked), still, 30, CHINA_OFFSET_MINUTES));
    // A one-day period: the next calendar day in Beijing.
    assert!(!may_ask(
        Some(asked),
        beijing("2026-03-02", 23, 0),
        1,
        CHINA_OFFSET_MINUTES
    ));
    assert!(may_ask(
        Some(asked),
        beijing("2026-03-03", 0, 0),
        1,
        CHINA_OFFSET_MINUTES
    ));
}

#[test]
fn a_day_leaves_the_device_once_it_is_over_and_only_its_totals() {
    let mut t = Tally::default();
    t.add(day("2026-12-01"), Service::Meals, Step::Visit);
    t.add(day("2026-12-01"), Service::Meals, Step::Visit);
    t.add(day("2026-12-01"), Service::Meals, Step::Start);
    t.add(day("2026-12-01"), Service::Meals, Step::Complete);
    t.add(day("2026-12-01"), Service::Notices, Step::Visit);
    t.add(day("2026-12-02"), Service::Voting, Step::Visit);
    t.add(day("2026-11-30"), Service::Voting, Step::Visit);
    assert_eq!(t.on(day("2026-12-01")).visits, 3);
    // Nothing of today leaves.
    let due = t.take_due(day("2026-12-02"));
    assert_eq!(
        due.iter().map(|d| d.day.to_string()).collect::<Vec<_>>(),
        ["2026-11-30", "2026-12-01"]
    );
    let meals = &due[1].services[0];
    assert_eq!(meals.service, Service::Meals);
    assert_eq!(
        meals.counts,
        Counts {
            visits: 2,
            started: 1,
            completed: 1
        }
    );
    assert_eq!(t.days.len(), 1);
    assert!(t.take_due(day("2026-12-02")).is_empty());
    // What a batch carries is the day and the counts: nothing else to identify anyone.
    let wire = json::to_string(&due[1].to_value());
    assert_eq!(
        wire,
        r#"{"day":"2026-12-01","services":[{"completed":1,"service":"meals","started":1,"visits":2},{"completed":0,"service":"notices","started":0,"visits":1}]}"#
    );
    // It round-trips through IndexedDB.
    let back = Tally::from_value(&t.to_value()).unwrap();
    assert_eq!(back, t);
}

#[test]
fn old_and_empty_days_are_dropped_not_sent() {
    let mut t = Tally::default();
    t.add(day("2026-10-01"), Service::Meals, Step::Visit);
    t.add(day("2026-11-15"), Service::Meals, Step::Visit);
    let due = t.take_due(day("2026-12-02"));
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].day, day("2026-11-15"));
    assert!(t.days.is_empty());
}

#[test]
fn a_count_stops_at_what_one_device_may_report() {
    let mut t = Tally::default();
    for _ in 0..(MAX_COUNT + 50) {
        t.add(day("2026-12-01"), Service::Notices, Step::Visit);
    }
    let due = t.take_due(day("2026-12-02"));
    assert_eq!(due[0].services[0].counts.visits, MAX_COUNT);
    assert!(UsePayload::from_value(&due[0].to_value()).is_ok());
}

#[test]
fn a_batch_is_refused_with_the_field_that_is_wrong() {
    let twice = json::from_str(
        r#"{"day":"2026-12-01","services":[{"service":"meals","visits":1,"started":0,"completed":0},{"service":"meals","visits":1,"started":0,"completed":0}]}"#,
    )
    .unwrap();
    assert_eq!(
        UsePayload::from_value(&twice).unwrap_err().field,
        "services[1].service"
    );
    let many = json::from_str(
        r#"{"day":"2026-12-01","services":[{"service":"meals","visits":201,"started":0,"completed":0}]}"#,
    )
    .unwrap();
    assert_eq!(
        UsePayload::from_value(&many).unwrap_err().field,
        "services[0].visits"
    );
    // An identifier smuggled in is an unknown member, refused rather than stored.
    let device = json::from_str(r#"{"day":"2026-12-01","device":"abc","services":[]}"#).unwrap();
    assert!(UsePayload::from_value(&device).is_err());
    let unknown = json::from_str(
        r#"{"day":"2026-12-01","services":[{"service":"games","visits":1,"started":0,"completed":0}]}"#,
    )
    .unwrap();
    assert_eq!(
        UsePayload::from_value(&unknown).unwrap_err().field,
        "services[0].service"
    );
}

#[test]
fn a_rating_reads_its_score_comment_and_consent() {
    let v = json::from_str(
        r#"{"service":"meals","day":"2026-12-01","score":4,"comment":"  饭菜偏咸 ","contact":false}"#,
    )
    .unwrap();
    let r = RatingPayload::from_value(&v).unwrap();
    assert_eq!(r.score.get(), 4);
    assert_eq!(r.comment, "饭菜偏咸");
    assert!(!r.contact);
    for bad in ["0", "6", "4.5", "\"4\""] {
        let v = json::from_str(&format!(
            r#"{{"service":"meals","day":"2026-12-01","score":{bad},"comment":"","contact":false}}"#
        ))
        .unwrap();
        assert_eq!(
            RatingPayload::from_value(&v).unwrap_err().field,
            "score",
            "{bad}"
        );
    }
    let long = "长".repeat(MAX_COMMENT + 1);
    let v = json::from_str(&format!(
        r#"{{"service":"meals","day":"2026-12-01","score":3,"comment":"{long}","contact":false}}"#
    ))
    .unwrap();
    assert_eq!(RatingPayload::from_value(&v).unwrap_err().field, "comment");
}

#[test]
fn approval_gives_mean_share_and_hides_under_the_minimum() {
    let mut a = Approval::default();
    assert_eq!(a.mean_hundredths(), None);
    assert_eq!(a.high_permille(), None);
    for s in [5, 5, 4, 3, 1] {
        a.add(Score::new(s).unwrap());
    }
    assert_eq!(a.by_score, [1, 0, 1, 1, 2]);
    assert_eq!(a.mean_hundredths(), Some(360));
    assert_eq!(a.high_permille(), Some(600));
    assert!(a.published(5).is_some());
    assert!(a.published(6).is_none());
    // A minimum of 0 still needs one rating.
    assert!(Approval::default().published(0).is_none());
    // Rounding half up: 2 of 3 is 666.67‰ → 667; mean of 4, 4, 5 is 4.333 → 433.
    let mut b = Approval::default();
    b.add_many(Score::new(4).unwrap(), 2);
    b.add(Score::new(2).unwrap());
    assert_eq!(b.high_permille(), Some(667));
    assert_eq!(percent(667), "66.7");
    assert_eq!(
        (mean_text(415), mean_text(433), mean_text(496)),
        ("4.2".into(), "4.3".into(), "5.0".into())
    );
    assert_eq!(
        (share_text(923), share_text(925), share_text(1000)),
        ("92".into(), "93".into(), "100".into())
    );
    assert_eq!(hundredths(433), "4.33");
}

#[test]
fn the_loops_ratings_count_toward_feedback_approval_as_its_satisfaction_rate() {
    let mut a = Approval::default();
    for r in [
        Rating::Satisfied,
        Rating::BasicallySatisfied,
        Rating::Dissatisfied,
        Rating::Satisfied,
    ] {
        a.add(Score::of_feedback(r));
    }
    // 满意 + 基本满意 over all: 3 of 4.
    assert_eq!(a.high_permille(), Some(750));
}

#[test]
fn every_service_and_score_has_its_words() {
    for s in Service::ALL {
        assert_eq!(Service::from_id(s.id()), Some(s));
    }
    assert_eq!(Service::of(crate::Scenario::Feedback), Service::Feedback);
    let labels: Vec<_> = Score::ALL
        .iter()
        .map(|s| crate::Lang::ZhCn.t(s.label()))
        .collect();
    assert_eq!(labels, ["非常不满意", "不满意", "一般", "满意", "非常满意"]);
    assert!(is_evaluation(USE_KIND) && is_evaluation(RATING_KIND));
    assert!(!is_evaluation("feedback_rate"));
}

#[test]
fn published_figures_round_trip_with_totals_above_one_devices_cap() {
    let p = Published {
        from: day("2026-11-02"),
        to: day("2026-12-01"),
        min_ratings: 5,
        services: vec![PublishedService {
            service: Service::Meals,
            // Totals of every device over 30 days: far above one device's day.
            visits: 4_900,
            started: 332,
            completed: 278,
            ratings: None,
            mean: None,
            high: None,
            changes: vec![Change {
                date: day("2026-11-20"),
                text: "午餐减盐".into(),
            }],
        }],
    };
    assert_eq!(Published::from_value(&p.to_value()).unwrap(), p);
}

#[test]
fn ratings_the_prompt_allows_never_share_a_period_on_the_server() {
    // Asked at least `period` days apart (the phone's rule) means different periods
    // (the server's rule), whatever day the first one was.
    for first in 0..90 {
        let a = day("2026-01-01").add_days(first).unwrap();
        let b = a.add_days(30).unwrap();
        assert_ne!(period_of(a, 30), period_of(b, 30), "{a} and {b}");
    }
    assert_eq!(
        period_of(day("2026-12-01"), 30),
        period_of(day("2026-12-02"), 30)
    );
}

#[test]
fn an_empty_batch_is_refused() {
    let empty = json::from_str(r#"{"day":"2026-12-01","services":[]}"#).unwrap();
    assert_eq!(
        UsePayload::from_value(&empty).unwrap_err().field,
        "services"
    );
}
