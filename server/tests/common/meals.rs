//! A meals deployment for the tests: examples/qingshan's config, two households
//! (1幢101 with elders 张桂英 e1 and 李德福 e2; 2幢202), a lunch menu on 2026-12-01.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use axum::http::StatusCode;
use axum::Router;
use linli_core::date::Date;
use linli_core::json::{self, Value};
use linli_core::meals::{Board, Dish, Fulfilment, Menu, Tag};
use linli_core::sync::wire::{Envelope, SubmissionId};
use linli_server::app::Site;
use linli_server::meals::NewElder;
use linli_server::{router, Actor, AppState, Clock, Store};

use super::*;

/// 2026-12-01 at hh:mm Beijing time, in ms.
pub const fn beijing(hh: i64, mm: i64) -> i64 {
    // 2026-12-01 is day 20_788 since the epoch.
    (20_788 * 86_400 + hh * 3_600 + mm * 60 - 8 * 3_600) * 1_000
}
pub fn at_0800() -> i64 {
    beijing(8, 0)
}
pub fn at_0940() -> i64 {
    beijing(9, 40)
}
pub fn at_0950() -> i64 {
    beijing(9, 50)
}

pub fn day() -> Date {
    Date::parse("2026-12-01").unwrap()
}

pub struct Meals {
    pub store: Arc<Store>,
    pub config: linli_core::config::ShellConfig,
    /// Elder 张 (unit A, allergic to fish, needs soft food) and 李 (unit A).
    pub token_a: String,
    pub token_b: String,
    pub code_a: String,
    pub unit_a: i64,
    pub unit_b: i64,
    /// The database's folder, kept while the fixture lives.
    pub db: super::TestDb,
}

impl Meals {
    pub fn state(&self, clock: fn() -> i64) -> AppState {
        let site = Arc::new(Site::fixed(self.config.clone()));
        AppState {
            clock: Clock::from_fn(clock),
            scenarios: linli_server::scenarios::registered(&site, Vec::new()),
            site,
            ..AppState::new(self.store.clone())
        }
    }

    pub fn app(&self, clock: fn() -> i64) -> Router {
        router(self.state(clock))
    }
}

pub async fn device(app: &Router, store: &Store, unit: i64) -> String {
    let code = store
        .issue_code(unit, &Actor::system(), at_0800())
        .await
        .unwrap();
    let (status, v) = call(
        app,
        post(
            "/api/v1/devices",
            None,
            &format!(r#"{{"code": "{code}", "device": "d{unit}"}}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    field(&v, "token")
}

pub async fn setup() -> Meals {
    let db = temp_db();
    let store = open_store(&db).await;
    let text = std::fs::read_to_string("../examples/qingshan/config.json").unwrap();
    let config = linli_core::config::parse(&text).unwrap();
    let sys = Actor::system();
    let unit_a = store.add_unit("1幢101", "1幢", &sys, 1).await.unwrap();
    let unit_b = store.add_unit("2幢202", "2幢", &sys, 1).await.unwrap();
    for (name, needs, allergies) in [
        ("张桂英", vec![Tag::Soft], vec!["鱼".to_owned()]),
        ("李德福", vec![], vec![]),
    ] {
        let elder = NewElder {
            unit_id: unit_a,
            name: name.into(),
            address: "1幢2单元101".into(),
            route: "A".into(),
            tier: "80plus".into(),
            fulfilment: Fulfilment::Delivery,
            needs,
            allergies,
            consent: true,
            consent_note: "签字同意书".into(),
        };
        store.add_elder(&elder, &sys, 1).await.unwrap();
    }
    let dish = |id: &str, price, tags: &[Tag], allergens: &[&str], limit| {
        Dish::new(id, &format!("菜{id}"), price, tags, allergens, limit)
    };
    let menu = Menu {
        date: day(),
        slot: "lunch".into(),
        dishes: vec![
            dish("fish", 1500, &[Tag::Soft], &["鱼"], None),
            dish("tofu", 900, &[Tag::Soft], &[], Some(2)),
            dish("congee", 301, &[Tag::Soft], &[], None),
        ],
    };
    store.put_menu(&menu, &sys, 1).await.unwrap();
    let mut m = Meals {
        store,
        config,
        token_a: String::new(),
        token_b: String::new(),
        code_a: String::new(),
        unit_a,
        unit_b,
        db,
    };
    let app = m.app(at_0800);
    m.token_a = device(&app, &m.store, unit_a).await;
    m.token_b = device(&app, &m.store, unit_b).await;
    m.code_a = m
        .store
        .issue_code(unit_a, &Actor::system(), at_0800())
        .await
        .unwrap();
    m
}

pub fn order_body(
    id: &SubmissionId,
    elder: &str,
    lines: &[(&str, u32)],
    confirmed: bool,
    created: i64,
) -> String {
    let lines = lines
        .iter()
        .map(|(d, q)| format!(r#"{{"dish": "{d}", "qty": {q}}}"#))
        .collect::<Vec<_>>()
        .join(",");
    let payload = json::from_str(&format!(
        r#"{{"elder": "{elder}", "date": "2026-12-01", "slot": "lunch", "lines": [{lines}],
            "fulfilment": "delivery", "note": "", "confirmed_conflicts": {confirmed}}}"#
    ))
    .unwrap();
    envelope(id, "meal_order", payload, created)
}

pub fn envelope(id: &SubmissionId, kind: &str, payload: Value, created: i64) -> String {
    json::to_string(
        &Envelope {
            id: id.clone(),
            kind: kind.into(),
            payload,
            created_at: created as u64,
            device: "phone".into(),
        }
        .to_value(),
    )
}

pub fn new_id(n: u8) -> SubmissionId {
    SubmissionId::from_random([n; 16])
}

pub async fn board(app: &Router, token: &str) -> Board {
    let (status, v) = call(app, get("/api/v1/meals", Some(token))).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    Board::from_value(&v).unwrap()
}

pub async fn submit(app: &Router, token: &str, body: &str) -> (StatusCode, Value) {
    call(app, post("/api/v1/submissions", Some(token), body)).await
}

pub fn refusal(status: StatusCode, v: &Value) -> (String, String) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:?}");
    let e = error(v);
    assert_eq!(e.code, "refused");
    (e.field.unwrap_or_default(), e.message)
}

pub async fn order_count(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM meal_orders")
        .fetch_one(store.pool())
        .await
        .unwrap()
}
