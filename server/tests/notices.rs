//! Notices (公告) staff publish: what `GET /api/v1/notices` lists at each instant of
//! their schedule, and the audit of every publish and withdrawal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use linli_core::config::{LocalText, Notice};
use linli_core::date::{Date, CHINA_OFFSET_MINUTES};
use linli_core::json::Value;
use linli_core::notices::{parse_local, Posting};
use linli_core::Role;
use linli_server::store::StoreError;
use linli_server::Actor;

fn at(local: &str) -> i64 {
    parse_local(local, CHINA_OFFSET_MINUTES).unwrap()
}

fn posting(id: &str, publish: &str, expires: Option<&str>, pinned: bool) -> Posting {
    Posting {
        notice: Notice {
            id: id.into(),
            date: Date::parse(&publish[..10]).unwrap(),
            title: LocalText {
                zh: format!("{id} 通知"),
                en: Some(format!("{id} notice")),
            },
            body: LocalText::zh("正文"),
        },
        publish_at: at(publish),
        expires_at: expires.map(at),
        pinned,
        withdrawn_at: None,
    }
}

/// The ids `GET /api/v1/notices` lists now, in order.
async fn listed(f: &Fixture) -> Vec<String> {
    let (status, body) = call(
        &f.app,
        Request::get("/api/v1/notices").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let Value::Object(m) = body else { panic!() };
    let Some((_, Value::Array(list))) = m.iter().find(|(k, _)| k == "notices") else {
        panic!()
    };
    list.iter().map(|n| field(n, "id")).collect()
}

#[tokio::test]
async fn the_notice_list_follows_schedules_pins_and_withdrawals_in_the_deployments_zone() {
    let f = fixture().await;
    let wang = Actor::staff("wang", Role::Staff);
    f.store
        .put_notice(
            &posting("water", "2026-12-02 08:00", Some("2026-12-05 00:00"), false),
            &wang,
            T0,
        )
        .await
        .unwrap();
    f.store
        .put_notice(&posting("lift", "2026-12-01 09:00", None, true), &wang, T0)
        .await
        .unwrap();

    f.clock.set(at("2026-12-02 07:59"));
    assert_eq!(listed(&f).await, ["lift"], "water is not up before 08:00");
    f.clock.set(at("2026-12-02 08:00"));
    assert_eq!(listed(&f).await, ["lift", "water"], "pinned first");

    f.store
        .withdraw_notice("lift", &wang, at("2026-12-03 10:00"))
        .await
        .unwrap();
    f.clock.set(at("2026-12-03 10:00"));
    assert_eq!(listed(&f).await, ["water"]);
    f.clock.set(at("2026-12-05 00:00"));
    assert!(listed(&f).await.is_empty(), "water expired at midnight");

    // Withdrawn notices are kept, and every change is in the audit log.
    assert_eq!(f.store.notices().await.unwrap().len(), 2);
    let actions: Vec<(String, String)> = f
        .store
        .audit_entries()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with("notice."))
        .map(|e| (e.action, e.subject))
        .collect();
    assert_eq!(
        actions,
        [
            ("notice.publish".into(), "notice:water".into()),
            ("notice.publish".into(), "notice:lift".into()),
            ("notice.withdraw".into(), "notice:lift".into()),
        ]
    );
    assert!(matches!(
        f.store.withdraw_notice("nope", &wang, T0).await,
        Err(StoreError::NotFound("notice"))
    ));
}

#[tokio::test]
async fn an_edited_notice_keeps_its_withdrawal_and_its_english_is_optional() {
    let f = fixture().await;
    let wang = Actor::staff("wang", Role::Staff);
    let p = posting("gas", "2026-12-01 00:00", None, false);
    f.store.put_notice(&p, &wang, T0).await.unwrap();
    f.store.withdraw_notice("gas", &wang, T0 + 1).await.unwrap();
    // Saving it again (a typo fixed) does not bring it back.
    f.store.put_notice(&p, &wang, T0 + 2).await.unwrap();
    let stored = f.store.notices().await.unwrap();
    assert_eq!(stored[0].withdrawn_at, Some(T0 + 1));
    assert_eq!(stored[0].notice.body.en, None);
    assert_eq!(stored[0].notice.title.en.as_deref(), Some("gas notice"));
    f.clock.set(T0 + 3);
    assert!(listed(&f).await.is_empty());
}
