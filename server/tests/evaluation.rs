//! Public evaluation on the server (issue 14): anonymous counts and ratings stored as
//! per-day totals with no identifier of the sender, a rating's household only with its
//! consent, the minimum-count rule on the published figures, the staff dashboard with
//! its charts, tables, CSV, comments and "你说我改" notes, and the feedback loop's
//! ratings counted toward its approval.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::Router;
use common::*;
use linli_core::evaluation::Published;
use linli_core::json::{self, Value};
use linli_core::sync::wire::{Envelope, SubmissionId};
use linli_core::Role;
use linli_server::app::Site;
use linli_server::{router, Actor, AppState, Store};

/// 2026-12-01 00:00 in Beijing.
const T: i64 = 1_796_054_400_000;

struct Town {
    store: Arc<Store>,
    app: Router,
    token: String,
    unit: i64,
    clock: TestClock,
    _db: TestDb,
}

async fn town() -> Town {
    let db = temp_db();
    let store = open_store(&db).await;
    let clock = TestClock::at(T + 10 * 3_600_000);
    let text = std::fs::read_to_string("../examples/qingshan/config.json").unwrap();
    let config = linli_core::config::parse(&text).unwrap();
    let site = Arc::new(Site::fixed(config));
    let app = router(AppState {
        clock: clock.clock(),
        scenarios: linli_server::scenarios::registered(&site, Vec::new()),
        site,
        ..AppState::new(store.clone())
    });
    let sys = Actor::system();
    let unit = store.add_unit("2幢302", "2幢", &sys, T).await.unwrap();
    let code = store.issue_code(unit, &sys, T).await.unwrap();
    let (status, v) = call(
        &app,
        post(
            "/api/v1/devices",
            None,
            &format!(r#"{{"code": "{code}", "device": "evaluation-phone-7"}}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v:?}");
    Town {
        store,
        app,
        token: field(&v, "token"),
        unit,
        clock,
        _db: db,
    }
}

/// Links one more phone, of a new household `label`; its token.
async fn another_phone(t: &Town, label: &str) -> String {
    let sys = Actor::system();
    let unit = t.store.add_unit(label, "9幢", &sys, T).await.unwrap();
    let code = t.store.issue_code(unit, &sys, T).await.unwrap();
    let (status, v) = call(
        &t.app,
        post(
            "/api/v1/devices",
            None,
            &format!(r#"{{"code": "{code}", "device": "another-phone"}}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v:?}");
    field(&v, "token")
}

fn id(n: u8) -> SubmissionId {
    SubmissionId::from_random([n; 16])
}

/// Sends an outbox entry to `POST /api/v1/evaluation`, as the shell does (the same
/// `device` on every phone).
async fn send(t: &Town, id: &SubmissionId, kind: &str, payload: &str) -> (StatusCode, Value) {
    send_as(t, &t.token, id, kind, payload).await
}

/// [`send`] from the phone with `token`.
async fn send_as(
    t: &Town,
    token: &str,
    id: &SubmissionId,
    kind: &str,
    payload: &str,
) -> (StatusCode, Value) {
    let body = json::to_string(
        &Envelope {
            id: id.clone(),
            kind: kind.into(),
            payload: json::from_str(payload).unwrap(),
            created_at: t.clock.now() as u64,
            device: linli_core::evaluation::ANONYMOUS_DEVICE.into(),
        }
        .to_value(),
    );
    call(&t.app, post("/api/v1/evaluation", Some(token), &body)).await
}

fn day_batch(day: &str, visits: u32) -> String {
    format!(
        r#"{{"day": "{day}", "services": [{{"service": "meals", "visits": {visits}, "started": 2, "completed": 1}}, {{"service": "notices", "visits": 1, "started": 1, "completed": 1}}]}}"#
    )
}

fn rating(score: u8, comment: &str, contact: bool) -> String {
    rating_on("2026-12-01", score, comment, contact)
}

fn rating_on(day: &str, score: u8, comment: &str, contact: bool) -> String {
    format!(
        r#"{{"service": "meals", "day": "{day}", "score": {score}, "comment": "{comment}", "contact": {contact}}}"#
    )
}

async fn published(t: &Town) -> Published {
    let (status, v) = call(&t.app, get("/api/v1/evaluation", None)).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    Published::from_value(&v).unwrap()
}

#[tokio::test]
async fn anonymous_counts_and_ratings_leave_no_identifier_in_any_table() {
    let t = town().await;
    let second = another_phone(&t, "9幢101").await;
    let before = row_counts(&t.store).await;
    let (s, v) = send(&t, &id(1), "evaluation_use", &day_batch("2026-11-30", 3)).await;
    assert_eq!(s, StatusCode::OK, "{v:?}");
    assert_eq!(field(&v, "id"), id(1).as_str());
    // A resend (the ack was lost) adds nothing; a second phone's day adds up.
    let (s, _) = send(&t, &id(1), "evaluation_use", &day_batch("2026-11-30", 3)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = send_as(
        &t,
        &second,
        &id(2),
        "evaluation_use",
        &day_batch("2026-11-30", 4),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = send(
        &t,
        &id(3),
        "evaluation_rating",
        &rating(4, "送餐很准时", false),
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    let totals = t
        .store
        .evaluation_use(
            linli_core::date::Date::parse("2026-11-30").unwrap(),
            linli_core::date::Date::parse("2026-11-30").unwrap(),
        )
        .await
        .unwrap();
    let meals = totals
        .iter()
        .find(|r| r.service == linli_core::evaluation::Service::Meals)
        .unwrap();
    assert_eq!(
        (
            meals.counts.visits,
            meals.counts.started,
            meals.counts.completed
        ),
        (7, 4, 2)
    );
    // Only the evaluation tables grew: no submission, event or audit entry names the
    // household for what it sent.
    let after = row_counts(&t.store).await;
    let grown: Vec<_> = after
        .iter()
        .filter(|(table, n)| before.iter().find(|(b, _)| b == table).map(|(_, m)| m) != Some(n))
        .map(|(table, _)| table.as_str())
        .collect();
    assert_eq!(
        grown,
        [
            "evaluation_ratings",
            "evaluation_received",
            "evaluation_use"
        ]
    );
    // Nothing that identifies the phone, its token, the household or the sends is in
    // any table but where it was before (the device's own row, the unit's).
    for needle in [id(1).as_str(), id(2).as_str(), id(3).as_str(), &t.token] {
        assert_eq!(
            scan(&t.store, needle).await,
            Vec::<(String, String)>::new(),
            "{needle}"
        );
    }
    let found: Vec<String> = scan(&t.store, "evaluation-phone-7")
        .await
        .into_iter()
        .map(|(at, _)| at)
        .collect();
    assert_eq!(found, ["devices.device"]);
    let found: Vec<String> = scan(&t.store, "2幢302")
        .await
        .into_iter()
        .map(|(at, _)| at)
        .collect();
    assert_eq!(found, ["units.label"]);
    let linked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM evaluation_ratings WHERE unit_id IS NOT NULL")
            .fetch_one(t.store.pool())
            .await
            .unwrap();
    assert_eq!(linked, 0);
}

#[tokio::test]
async fn a_rating_keeps_its_household_only_with_consent_and_loses_it_on_erasure() {
    let t = town().await;
    let (s, _) = send(
        &t,
        &id(4),
        "evaluation_rating",
        &rating(2, "饭菜偏咸", true),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let unit: Option<i64> = sqlx::query_scalar("SELECT unit_id FROM evaluation_ratings")
        .fetch_one(t.store.pool())
        .await
        .unwrap();
    assert_eq!(unit, Some(t.unit));
    // The household's own download has it; staff see who may be contacted.
    let (s, v) = call(&t.app, get("/api/v1/household", Some(&t.token))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(json::to_string(&v).contains("饭菜偏咸"), "{v:?}");
    let wang = staff(&t.store, "wang", Role::Staff, t.clock.now()).await;
    let (s, _, body) = fetch(&t.app, page_get("/staff/evaluation/meals", &wang)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("饭菜偏咸") && body.contains("2幢302"),
        "{body}"
    );
    // Erased: the score stays in the figures, the link and the words go.
    t.store
        .write_tx(async |tx| linli_server::store::erase_household(tx.conn(), t.unit).await)
        .await
        .unwrap();
    assert!(scan(&t.store, "饭菜偏咸").await.is_empty());
    let row: (Option<i64>, i64) = sqlx::query_as("SELECT unit_id, score FROM evaluation_ratings")
        .fetch_one(t.store.pool())
        .await
        .unwrap();
    assert_eq!(row, (None, 2));
}

#[tokio::test]
async fn approval_is_published_only_from_the_minimum_count() {
    let t = town().await;
    // Five phones rate yesterday (the published figures are of whole days); a sixth
    // rates today, which shows tomorrow.
    let mut phones = Vec::new();
    for n in 0..6 {
        phones.push(another_phone(&t, &format!("9幢{n}01")).await);
    }
    for (n, score) in [5u8, 4, 4, 2].into_iter().enumerate() {
        let body = rating_on("2026-11-30", score, "", false);
        let (s, v) = send_as(
            &t,
            &phones[n],
            &id(10 + n as u8),
            "evaluation_rating",
            &body,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v:?}");
    }
    let (s, _) = send_as(
        &t,
        &phones[5],
        &id(19),
        "evaluation_rating",
        &rating(1, "", false),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let p = published(&t).await;
    assert_eq!(p.min_ratings, 5);
    let meals = p
        .services
        .iter()
        .find(|s| s.service.id() == "meals")
        .unwrap();
    assert_eq!((meals.ratings, meals.mean, meals.high), (None, None, None));
    let body = rating_on("2026-11-30", 5, "", false);
    let (s, _) = send_as(&t, &phones[4], &id(20), "evaluation_rating", &body).await;
    assert_eq!(s, StatusCode::OK);
    let p = published(&t).await;
    assert_eq!(
        (p.from.to_string(), p.to.to_string()),
        ("2026-11-01".into(), "2026-11-30".into())
    );
    let meals = p
        .services
        .iter()
        .find(|s| s.service.id() == "meals")
        .unwrap();
    assert_eq!(meals.ratings, Some(5));
    assert_eq!(meals.mean, Some(400));
    assert_eq!(meals.high, Some(800));
    // The notice board first, then the deployment's scenarios.
    let ids: Vec<&str> = p.services.iter().map(|s| s.service.id()).collect();
    assert_eq!(ids, ["notices", "meals", "voting", "feedback", "forms"]);
}

#[tokio::test]
async fn the_dashboard_compares_charts_and_exports_and_staff_close_the_loop() {
    let t = town().await;
    send(&t, &id(30), "evaluation_use", &day_batch("2026-11-30", 5)).await;
    send(
        &t,
        &id(31),
        "evaluation_rating",
        &rating(1, "菜单字太小", false),
    )
    .await;
    let wang = staff(&t.store, "wang", Role::Staff, t.clock.now()).await;
    let (s, _, body) = fetch(&t.app, page_get("/staff/evaluation", &wang)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("<svg"), "a server-drawn chart");
    assert!(body.contains("data-compare"));
    let (s, _, body) = fetch(&t.app, page_get("/staff/evaluation/meals", &wang)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body.matches("<svg").count(), 2, "use per day and scores");
    assert!(body.contains("<details>"), "each chart has its table");
    // CSV of the totals, zeros included, and of the scores; nothing personal.
    let (s, _, csv) = fetch(
        &t.app,
        page_get(
            "/staff/evaluation/use.csv?from=2026-11-29&to=2026-11-30",
            &wang,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(csv.contains("2026-11-30,meals,5,2,1"), "{csv}");
    assert!(csv.contains("2026-11-29,meals,0,0,0"), "{csv}");
    let (_, _, csv) = fetch(&t.app, page_get("/staff/evaluation/ratings.csv", &wang)).await;
    assert!(csv.contains("meals,1,非常不满意,1"), "{csv}");
    assert!(!csv.contains("菜单字太小"));
    // A bad period is a located error, not a crash.
    let (s, _, body) = fetch(&t.app, page_get("/staff/evaluation?from=2026-13-01", &wang)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("2026-13-01"), "{body}");
    // Handling a comment and publishing what changed.
    let rid: i64 = sqlx::query_scalar("SELECT id FROM evaluation_ratings")
        .fetch_one(t.store.pool())
        .await
        .unwrap();
    let (s, _, _) = fetch(
        &t.app,
        page_post(
            &format!("/staff/evaluation/meals/comments/{rid}"),
            &wang,
            "handled=1",
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let by: Option<String> = sqlx::query_scalar("SELECT handled_by FROM evaluation_ratings")
        .fetch_one(t.store.pool())
        .await
        .unwrap();
    assert_eq!(by.as_deref(), Some("wang"));
    let (s, _, _) = fetch(
        &t.app,
        page_post(
            "/staff/evaluation/meals/changes",
            &wang,
            &format!("text={}", percent("菜单字号已放大")),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "a reload does not post it again");
    // A comment is marked on its own service's page only.
    let (s, _, _) = fetch(
        &t.app,
        page_post(
            &format!("/staff/evaluation/notices/comments/{rid}"),
            &wang,
            "handled=0",
        ),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = fetch(
        &t.app,
        page_post("/staff/evaluation/meals/changes", &wang, "text="),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let p = published(&t).await;
    let meals = p
        .services
        .iter()
        .find(|s| s.service.id() == "meals")
        .unwrap();
    assert_eq!(meals.changes[0].text, "菜单字号已放大");
    let trail: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('evaluation.comment.handled', 'evaluation.change')",
    )
    .fetch_one(t.store.pool())
    .await
    .unwrap();
    assert_eq!(trail, 2);
    // A note taken back no longer shows to residents; the trail keeps it.
    let note: i64 = sqlx::query_scalar("SELECT id FROM evaluation_changes")
        .fetch_one(t.store.pool())
        .await
        .unwrap();
    let path = format!("/staff/evaluation/meals/changes/{note}/withdraw");
    let (s, _, _) = fetch(&t.app, page_post(&path, &wang, "")).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = fetch(&t.app, page_post(&path, &wang, "")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "once");
    let p = published(&t).await;
    let meals = p
        .services
        .iter()
        .find(|s| s.service.id() == "meals")
        .unwrap();
    assert!(meals.changes.is_empty());
    // The usual periods are one tap away.
    let (_, _, body) = fetch(&t.app, page_get("/staff/evaluation", &wang)).await;
    assert!(
        body.contains("from=2026-11-25&amp;to=2026-12-01"),
        "近 7 天"
    );
    // The auditor reads the figures, not what residents wrote; a kitchen account
    // nothing; nobody marks without the CSRF token.
    let audit = staff(&t.store, "audit", Role::Auditor, t.clock.now()).await;
    let (s, _, body) = fetch(&t.app, page_get("/staff/evaluation/meals", &audit)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!body.contains("菜单字太小"));
    let (s, _, _) = fetch(
        &t.app,
        page_post(
            &format!("/staff/evaluation/meals/comments/{rid}"),
            &audit,
            "handled=0",
        ),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let chef = staff(&t.store, "chef", Role::Kitchen, t.clock.now()).await;
    let (s, _, _) = fetch(&t.app, page_get("/staff/evaluation", &chef)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let mut forged = wang;
    forged.csrf = "forged".into();
    let (s, _, _) = fetch(
        &t.app,
        page_post(
            &format!("/staff/evaluation/meals/comments/{rid}"),
            &forged,
            "handled=0",
        ),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_sends_are_refused_with_their_field_and_store_nothing() {
    let t = town().await;
    let before = row_counts(&t.store).await;
    let (s, v) = send(&t, &id(40), "evaluation_use", &day_batch("2026-10-01", 1)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&v).code, "refused");
    assert_eq!(error(&v).field.as_deref(), Some("evaluation_day"));
    let (s, v) = send(&t, &id(41), "evaluation_rating", &rating(6, "", false)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&v).field.as_deref(), Some("payload.score"));
    let (s, _) = send(&t, &id(42), "feedback_report", "{}").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Phones send a day once it is over: not tomorrow's.
    let (s, v) = send(&t, &id(44), "evaluation_use", &day_batch("2026-12-02", 1)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&v).field.as_deref(), Some("evaluation_day"));
    let body = json::to_string(
        &Envelope {
            id: id(43),
            kind: "evaluation_use".into(),
            payload: json::from_str(&day_batch("2026-11-30", 1)).unwrap(),
            created_at: T as u64,
            device: linli_core::evaluation::ANONYMOUS_DEVICE.into(),
        }
        .to_value(),
    );
    let (s, _) = call(&t.app, post("/api/v1/evaluation", None, &body)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(row_counts(&t.store).await, before);
}

#[tokio::test]
async fn the_feedback_loops_ratings_count_toward_its_approval() {
    let t = town().await;
    let text = std::fs::read_to_string("../examples/qingshan/config.json").unwrap();
    let config = linli_core::config::parse(&text).unwrap();
    let units = vec![(t.unit, "2幢302".to_owned())];
    linli_server::feedback::demo::seed(
        &t.store,
        T - 90 * 86_400_000,
        config.feedback.as_ref().unwrap(),
        &units,
    )
    .await
    .unwrap();
    let loop_ratings: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM feedback_steps WHERE action IN ('rate', 'visit') AND rating IS NOT NULL",
    )
    .fetch_one(t.store.pool())
    .await
    .unwrap();
    assert!(loop_ratings > 0);
    let wang = staff(&t.store, "wang", Role::Staff, t.clock.now()).await;
    let (s, _, body) = fetch(
        &t.app,
        page_get(
            "/staff/evaluation/feedback?from=2026-01-01&to=2026-12-01",
            &wang,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains(&format!("诉求回访评价 {loop_ratings}")),
        "every rating of the loop counted: {body}"
    );
}

#[tokio::test]
async fn one_phone_fills_each_bucket_once_whatever_ids_it_makes_up() {
    let t = town().await;
    // A day's counts once per phone: a resend is answered, another batch refused.
    let (s, _) = send(&t, &id(50), "evaluation_use", &day_batch("2026-11-30", 200)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = send(&t, &id(50), "evaluation_use", &day_batch("2026-11-30", 200)).await;
    assert_eq!(s, StatusCode::OK, "a resend of the same envelope");
    let (s, v) = send(&t, &id(51), "evaluation_use", &day_batch("2026-11-30", 200)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&v).field.as_deref(), Some("evaluation_again"));
    // A service's rating once per phone and rating period (30 days here).
    let (s, _) = send(&t, &id(52), "evaluation_rating", &rating(5, "", false)).await;
    assert_eq!(s, StatusCode::OK);
    for n in 53..60 {
        let body = rating_on("2026-11-29", 5, "", false);
        let (s, _) = send(&t, &id(n), "evaluation_rating", &body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let totals: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT CAST(COALESCE(SUM(visits), 0) AS BIGINT) FROM evaluation_use WHERE service = 'meals'), (SELECT COUNT(*) FROM evaluation_ratings)",
    )
    .fetch_one(t.store.pool())
    .await
    .unwrap();
    assert_eq!(totals, (200, 1));
    // Another service is another bucket; a score without a comment keeps no household
    // even when contact was ticked (there is nothing to contact it about).
    let voting =
        r#"{"service": "voting", "day": "2026-12-01", "score": 3, "comment": "", "contact": true}"#;
    let (s, _) = send(&t, &id(60), "evaluation_rating", voting).await;
    assert_eq!(s, StatusCode::OK);
    let linked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM evaluation_ratings WHERE unit_id IS NOT NULL")
            .fetch_one(t.store.pool())
            .await
            .unwrap();
    assert_eq!(linked, 0);
}
