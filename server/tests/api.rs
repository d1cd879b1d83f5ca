//! The API against a real SQLite file: auth, bad bodies, idempotency under
//! concurrency, household codes, and the audit chain.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use linli_core::json::{self, Value};
use linli_core::sync::wire::{Ack, Envelope, SubmissionId};
use linli_server::{audit, Actor};

fn envelope(id_byte: u8, text: &str) -> Envelope {
    Envelope {
        id: SubmissionId::from_random([id_byte; 16]),
        kind: "test_note".into(),
        payload: Value::Object(vec![("text".into(), Value::String(text.into()))]),
        created_at: T0 as u64,
        device: "phone-1".into(),
    }
}

fn body_of(e: &Envelope) -> String {
    json::to_string(&e.to_value())
}

async fn rows(f: &Fixture) -> i64 {
    f.store.submission_count().await.unwrap()
}

#[tokio::test]
async fn healthz_answers() {
    let f = fixture().await;
    let (status, _) = call(
        &f.app,
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn submission_without_or_with_a_wrong_token_is_refused_and_not_stored() {
    let f = fixture().await;
    let body = body_of(&envelope(1, "hi"));
    let (status, b) = call(&f.app, post("/api/v1/submissions", None, &body)).await;
    assert_eq!(
        (status, error(&b).code.as_str()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let (status, _) = call(&f.app, post("/api/v1/submissions", Some("nope"), &body)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(rows(&f).await, 0);
}

#[tokio::test]
async fn bad_bodies_get_a_code_and_a_field_and_write_nothing() {
    let f = fixture().await;
    let t = Some(f.token.as_str());
    let good = envelope(1, "hi").to_value();
    let with = |key: &str, v: Value| {
        let Value::Object(mut m) = good.clone() else {
            panic!()
        };
        m.iter_mut().find(|(k, _)| k == key).unwrap().1 = v;
        json::to_string(&Value::Object(m))
    };
    let cases = [
        ("{not json", StatusCode::BAD_REQUEST, "malformed_json", None),
        ("[1,2]", StatusCode::UNPROCESSABLE_ENTITY, "invalid", None),
        (
            &with("created_at", Value::String("yesterday".into())),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some("created_at"),
        ),
        (
            &with("id", Value::String("123".into())),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some("id"),
        ),
        (
            &with("kind", Value::String("vote_for_me".into())),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_kind",
            Some("kind"),
        ),
        (
            &with("payload", Value::Object(vec![])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some("payload.text"),
        ),
    ];
    for (body, status, code, field) in cases {
        // Every refusal in Chinese says it in Chinese (a field path and the sender's
        // own words aside), and in English when asked.
        for lang in ["zh-CN", "en"] {
            let mut request = post("/api/v1/submissions", t, body);
            request
                .headers_mut()
                .insert("accept-language", lang.parse().unwrap());
            let (_, b) = call(&f.app, request).await;
            let e = error(&b);
            let words: String = e
                .message
                .replace(e.field.as_deref().unwrap_or("\u{0}"), "")
                .replace("vote_for_me", "")
                .replace("UUID", "")
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .collect();
            if lang == "zh-CN" {
                assert!(
                    words.is_empty() || words == "JSON",
                    "{lang} {body}: {}",
                    e.message
                );
            } else {
                assert!(
                    !e.message
                        .chars()
                        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}",
                    e.message
                );
            }
        }
        let (got, b) = call(&f.app, post("/api/v1/submissions", t, body)).await;
        let e = error(&b);
        assert_eq!(
            (got, e.code.as_str(), e.field.as_deref()),
            (status, code, field),
            "{body}"
        );
    }
    let huge = body_of(&envelope(
        2,
        &"x".repeat(linli_server::http::extract::SUBMISSION_LIMIT),
    ));
    let (got, b) = call(&f.app, post("/api/v1/submissions", t, &huge)).await;
    assert_eq!(
        (got, error(&b).code.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
    );
    assert_eq!(rows(&f).await, 0);
}

#[tokio::test]
async fn a_replay_gets_the_original_ack_and_a_reused_id_is_a_conflict() {
    let f = fixture().await;
    let t = Some(f.token.as_str());
    let e = envelope(3, "first");
    let (s1, a1) = call(&f.app, post("/api/v1/submissions", t, &body_of(&e))).await;
    let (s2, a2) = call(&f.app, post("/api/v1/submissions", t, &body_of(&e))).await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(Ack::from_value(&a1).unwrap(), Ack::from_value(&a2).unwrap());
    let other = Envelope {
        payload: Value::Object(vec![("text".into(), Value::String("second".into()))]),
        ..e
    };
    let (s3, b3) = call(&f.app, post("/api/v1/submissions", t, &body_of(&other))).await;
    assert_eq!(
        (s3, error(&b3).code.as_str()),
        (StatusCode::CONFLICT, "id_conflict")
    );
    assert_eq!(rows(&f).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_posts_of_one_submission_store_one_row_with_identical_acks() {
    let f = fixture().await;
    let body = body_of(&envelope(4, "once"));
    let mut tasks = Vec::new();
    for _ in 0..1000 {
        let app = f.app.clone();
        let request = post("/api/v1/submissions", Some(&f.token), &body);
        tasks.push(tokio::spawn(async move { call(&app, request).await }));
    }
    let mut acks = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body:?}");
        acks.push(Ack::from_value(&body).unwrap());
    }
    assert!(acks.windows(2).all(|w| w[0] == w[1]), "acks differ");
    assert_eq!(rows(&f).await, 1);
    println!(
        "1000 concurrent POSTs: 1 row, 1000 identical acks (seq {})",
        acks[0].server_seq
    );
}

/// A new household's code.
async fn household_with_code(f: &Fixture, label: &str) -> String {
    let unit = f
        .store
        .add_unit(label, "5", &Actor::system(), 3)
        .await
        .unwrap();
    f.store
        .issue_code(unit, &Actor::system(), T0)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_household_code_works_once_and_guessing_is_rate_limited() {
    let f = fixture().await;
    let code = household_with_code(&f, "5幢101").await;
    let typed = code.to_lowercase().replace('-', " ");
    let register = |c: &str| {
        post(
            "/api/v1/devices",
            None,
            &format!(r#"{{"code": "{c}", "device": "phone-2"}}"#),
        )
    };
    let (status, _) = call(&f.app, register(&typed)).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a code typed in lower case with a space still works"
    );
    let (status, _) = call(&f.app, register(&code)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a code works once");
    // One wrong code was counted above; nine more are allowed.
    for _ in 0..9 {
        let (status, _) = call(&f.app, register("AAAA-AAAA")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, b) = call(&f.app, register("AAAA-AAAA")).await;
    assert_eq!(
        (status, error(&b).code.as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
}

#[tokio::test]
async fn a_distributed_guess_slows_each_address_but_a_resident_with_the_slip_still_links() {
    let f = fixture().await;
    let code = household_with_code(&f, "5幢102").await;
    let from = |addr: std::net::IpAddr, c: &str| {
        let mut r = post(
            "/api/v1/devices",
            None,
            &format!(r#"{{"code": "{c}", "device": "phone-9"}}"#),
        );
        r.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(
                addr, 4000,
            )));
        r
    };
    // 30 addresses, 10 wrong codes each: the alarm for everyone is full.
    for i in 0..30u8 {
        for _ in 0..10 {
            let (status, _) = call(&f.app, from([198, 51, 100, i].into(), "AAAA-AAAA")).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
        }
    }
    // A guesser's new address gets one try, then waits an hour.
    let fresh: std::net::IpAddr = [203, 0, 113, 7].into();
    assert_eq!(
        call(&f.app, from(fresh, "AAAA-AAAA")).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, b) = call(&f.app, from(fresh, "AAAA-AAAA")).await;
    assert_eq!(
        (status, error(&b).code.as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    // The resident, typing the slip's code right, links.
    let (status, b) = call(&f.app, from([192, 0, 2, 44].into(), &code)).await;
    assert_eq!(status, StatusCode::CREATED, "{b:?}");
}

#[tokio::test]
async fn the_audit_chain_verifies_and_an_edited_row_is_found() {
    let f = fixture().await;
    for i in 0..5 {
        let (status, _) = call(
            &f.app,
            post(
                "/api/v1/submissions",
                Some(&f.token),
                &body_of(&envelope(10 + i, "x")),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let entries = f.store.audit_entries().await.unwrap();
    // unit.create, code.issue, device.register, then 5 submissions
    let key = f.store.key();
    assert_eq!(audit::verify(&entries, key, None).unwrap().unwrap().seq, 8);
    sqlx::query("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 5")
        .execute(f.store.pool())
        .await
        .unwrap();
    let broken = audit::verify(&f.store.audit_entries().await.unwrap(), key, None).unwrap_err();
    assert_eq!(broken.seq, 5);

    // The command-line check says the same about the file.
    drop(f.app);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_linli-server"))
        .args(["audit", "verify"])
        .args(f.db.args())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(text.contains("TAMPERED at entry 5"), "{text}");
}

#[tokio::test]
async fn a_device_pulls_the_status_of_its_own_submissions_only() {
    let f = fixture().await;
    // A second household with its own device.
    let unit = f
        .store
        .add_unit("9幢909", "9", &Actor::system(), 5)
        .await
        .unwrap();
    let code = f
        .store
        .issue_code(unit, &Actor::system(), T0)
        .await
        .unwrap();
    let (_, v) = call(
        &f.app,
        post(
            "/api/v1/devices",
            None,
            &format!(r#"{{"code": "{code}", "device": "p2"}}"#),
        ),
    )
    .await;
    let other = field(&v, "token");

    for i in 0..3 {
        call(
            &f.app,
            post(
                "/api/v1/submissions",
                Some(&f.token),
                &body_of(&envelope(20 + i, "mine")),
            ),
        )
        .await;
    }
    call(
        &f.app,
        post(
            "/api/v1/submissions",
            Some(&other),
            &body_of(&envelope(30, "theirs")),
        ),
    )
    .await;

    let pull =
        |since: &str, token: &str| get(&format!("/api/v1/updates?since={since}"), Some(token));
    let (status, v) = call(&f.app, pull("0", &f.token)).await;
    assert_eq!(status, StatusCode::OK);
    let text = json::to_string(&v);
    assert_eq!(text.matches("\"received\"").count(), 3, "{text}");
    assert!(
        !text.contains(envelope(30, "").id.as_str()),
        "another unit's submission leaked"
    );
    let Value::Object(m) = v else { panic!() };
    let Some((_, Value::Number(next))) = m.into_iter().find(|(k, _)| k == "next") else {
        panic!()
    };
    let (_, v) = call(&f.app, pull(&next.to_string(), &f.token)).await;
    assert!(
        json::to_string(&v).contains(r#""updates":[]"#),
        "nothing new after the cursor: {v:?}"
    );

    let (status, b) = call(&f.app, pull("-1", &f.token)).await;
    assert_eq!(
        (status, error(&b).field.as_deref()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("since"))
    );
    let (status, _) = call(&f.app, get("/api/v1/updates", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn reopening_a_database_keeps_its_data_and_migrates_once() {
    let f = fixture().await;
    call(
        &f.app,
        post(
            "/api/v1/submissions",
            Some(&f.token),
            &body_of(&envelope(40, "kept")),
        ),
    )
    .await;
    let db = f.db.clone();
    drop(f);
    let reopened = open_store(&db).await;
    assert_eq!(reopened.submission_count().await.unwrap(), 1);
    let entries = reopened.audit_entries().await.unwrap();
    assert_eq!(
        audit::verify(&entries, reopened.key(), None)
            .unwrap()
            .unwrap()
            .seq,
        4
    );
    // Every migration of its engine applied once: SQLite's 1…latest, PostgreSQL's
    // schema at 13 and each later one.
    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(reopened.pool())
            .await
            .unwrap();
    let latest = linli_server::store::latest_version();
    let want: Vec<i64> = match reopened.engine() {
        linli_server::store::Engine::Sqlite => (1..=latest).collect(),
        linli_server::store::Engine::Postgres => (13..=latest).collect(),
    };
    assert_eq!(versions, want);
}

/// A device's clock decides nothing the server cannot check: a creation time ahead of
/// the server's clock, or before the household was registered (no phone of it can
/// have made anything then), is refused with a reason the resident can act on, in the
/// resident's language; one within five minutes, or from before this phone's link (a
/// phone linked again keeps what it queued), is kept.
#[tokio::test]
async fn a_device_time_ahead_of_the_server_or_before_the_household_is_refused() {
    let f = fixture().await;
    for (n, (created_at, ok)) in [
        (T0 + 4 * 60_000, true),
        (T0 + 6 * 60_000, false),
        (T0 + 10 * 365 * 86_400_000, false),
        (0, false),
        (T0 - 31 * 86_400_000, false),
        (T0 - 86_400_000, true),
    ]
    .into_iter()
    .enumerate()
    {
        let mut e = envelope(40 + n as u8, "停水了");
        e.created_at = created_at as u64;
        for (lang, words) in [("zh-CN", "手机的时间不对"), ("en", "clock is wrong")] {
            let mut request = post("/api/v1/submissions", Some(&f.token), &body_of(&e));
            request
                .headers_mut()
                .insert("accept-language", lang.parse().unwrap());
            let (status, body) = call(&f.app, request).await;
            if ok {
                assert_eq!(status, StatusCode::OK, "{created_at}: {body:?}");
            } else {
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{created_at}");
                let e = error(&body);
                assert_eq!(e.field.as_deref(), Some("device_clock"));
                assert!(e.message.contains(words), "{lang}: {}", e.message);
            }
        }
    }
    assert_eq!(rows(&f).await, 2);
}

/// A resend of a stored submission gets its ack whatever time it carries: after the
/// server's clock was set back ten minutes, the phone's retry of what was stored is
/// "ahead", and must not be refused as a wrong clock (its outbox would call a stored
/// order refused). A new submission at that time is refused.
#[tokio::test]
async fn a_resend_of_a_stored_submission_is_acked_even_when_its_time_is_now_ahead() {
    let f = fixture().await;
    let e = envelope(60, "已经收下");
    let (s1, a1) = call(
        &f.app,
        post("/api/v1/submissions", Some(&f.token), &body_of(&e)),
    )
    .await;
    assert_eq!(s1, StatusCode::OK);
    f.clock.set(T0 - 10 * 60_000);
    let (s2, a2) = call(
        &f.app,
        post("/api/v1/submissions", Some(&f.token), &body_of(&e)),
    )
    .await;
    assert_eq!(s2, StatusCode::OK, "{a2:?}");
    assert_eq!(Ack::from_value(&a1).unwrap(), Ack::from_value(&a2).unwrap());
    let fresh = envelope(61, "新的");
    let (s3, b3) = call(
        &f.app,
        post("/api/v1/submissions", Some(&f.token), &body_of(&fresh)),
    )
    .await;
    assert_eq!(
        (s3, error(&b3).field.as_deref()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("device_clock"))
    );
    assert_eq!(rows(&f).await, 1);
}

/// `Accept-Language` tags are case-insensitive and weighed by `q`.
#[tokio::test]
async fn the_answer_language_follows_accept_language_weights_and_any_case() {
    let f = fixture().await;
    for (header, english) in [
        ("EN", true),
        ("en-GB,en;q=0.9", true),
        ("zh-CN,zh;q=0.9,en;q=0.8", false),
        ("en;q=0, zh", false),
        ("zh;q=0.5, en", true),
        ("fr", false),
    ] {
        let mut request = post("/api/v1/submissions", Some(&f.token), "[1]");
        request
            .headers_mut()
            .insert("accept-language", header.parse().unwrap());
        let (_, b) = call(&f.app, request).await;
        let message = error(&b).message;
        let chinese = message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert_eq!(!chinese, english, "{header}: {message}");
    }
}

/// An instance that cannot reach its database says so at once: `/healthz` 503 for the
/// load balancer, and 503 `unavailable` with `Retry-After` to a phone, whose outbox
/// keeps what it sent and tries again.
#[tokio::test]
async fn a_database_out_of_reach_is_answered_503_and_healthz_says_so() {
    let f = fixture().await;
    let healthz = || Request::get("/healthz").body(Body::empty()).unwrap();
    let (status, body) = call(&f.app, healthz()).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    f.store.close().await;
    let (status, body) = call(&f.app, healthz()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(field(&body, "status"), "database_unavailable");
    let request = post(
        "/api/v1/submissions",
        Some(&f.token),
        &body_of(&envelope(60, "停电了")),
    );
    let (status, headers, text) = fetch(&f.app, request).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    assert!(text.contains("\"unavailable\""), "{text}");
    assert_eq!(headers.get("retry-after").unwrap(), "5");
}
