//! The meals scenario on the server: the core rules again, against the database, the
//! proxy link, the kitchen's pages and the statuses households follow.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::Router;
use common::*;
use linli_core::date::Date;
use linli_core::json::{self, Value};
use linli_core::meals::{Board, Dish, Fulfilment, Menu, Status, Tag};
use linli_core::sync::wire::{Envelope, SubmissionId};
use linli_server::meals::NewElder;
use linli_server::{router, Actor, AppState, Kinds, Role, Store};

/// 2026-12-01 at hh:mm Beijing time, in ms.
const fn beijing(hh: i64, mm: i64) -> i64 {
    // 2026-12-01 is day 20_788 since the epoch.
    (20_788 * 86_400 + hh * 3_600 + mm * 60 - 8 * 3_600) * 1_000
}
fn at_0800() -> i64 {
    beijing(8, 0)
}
fn at_0940() -> i64 {
    beijing(9, 40)
}
fn at_0950() -> i64 {
    beijing(9, 50)
}

fn day() -> Date {
    Date::parse("2026-12-01").unwrap()
}

struct Meals {
    store: Arc<Store>,
    config: linli_core::config::ShellConfig,
    /// Elder 张 (unit A, allergic to fish, needs soft food) and 李 (unit A).
    token_a: String,
    token_b: String,
    code_a: String,
}

impl Meals {
    fn app(&self, clock: fn() -> i64) -> Router {
        let mut state = AppState::new(self.store.clone(), Kinds::builtin())
            .with_deployment(self.config.clone());
        state.clock = clock;
        router(state, None)
    }
}

async fn device(app: &Router, store: &Store, unit: i64) -> String {
    let code = store.issue_code(unit, &Actor::system(), 1).await.unwrap();
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

fn field(v: &Value, key: &str) -> String {
    let Value::Object(m) = v else { panic!("{v:?}") };
    match m.iter().find(|(k, _)| k == key).map(|(_, v)| v) {
        Some(Value::String(s)) => s.clone(),
        other => panic!("{key}: {other:?}"),
    }
}

async fn setup() -> Meals {
    let store = Arc::new(Store::open(&temp_db()).await.unwrap());
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
    };
    let app = m.app(at_0800);
    m.token_a = device(&app, &m.store, unit_a).await;
    m.token_b = device(&app, &m.store, unit_b).await;
    m.code_a = m
        .store
        .issue_code(unit_a, &Actor::system(), 2)
        .await
        .unwrap();
    m
}

fn order_body(
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

fn envelope(id: &SubmissionId, kind: &str, payload: Value, created: i64) -> String {
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

fn new_id(n: u8) -> SubmissionId {
    SubmissionId::from_random([n; 16])
}

async fn board(app: &Router, token: &str) -> Board {
    let (status, v) = call(app, get("/api/v1/meals", Some(token))).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    Board::from_value(&v).unwrap()
}

async fn submit(app: &Router, token: &str, body: &str) -> (StatusCode, Value) {
    call(app, post("/api/v1/submissions", Some(token), body)).await
}

fn refusal(status: StatusCode, v: &Value) -> (String, String) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v:?}");
    let e = error(v);
    assert_eq!(e.code, "refused");
    (e.field.unwrap_or_default(), e.message)
}

async fn order_count(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM meal_orders")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_unlinked_household_is_refused_until_it_links_with_the_elders_code() {
    let m = setup().await;
    let app = m.app(at_0800);
    let body = order_body(&new_id(1), "e2", &[("tofu", 1)], false, at_0800());
    let (status, v) = submit(&app, &m.token_b, &body).await;
    assert_eq!(refusal(status, &v).0, "not_authorized");
    assert_eq!(order_count(&m.store).await, 0);
    assert!(board(&app, &m.token_b).await.elders.is_empty());

    let link = format!(r#"{{"code": "{}"}}"#, m.code_a);
    let (status, _) = call(&app, post("/api/v1/meals/proxies", Some(&m.token_b), &link)).await;
    assert_eq!(status, StatusCode::CREATED);
    // The code is used up.
    let (status, _) = call(&app, post("/api/v1/meals/proxies", Some(&m.token_b), &link)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, v) = submit(&app, &m.token_b, &body).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let b = board(&app, &m.token_b).await;
    assert_eq!(b.elders.len(), 2);
    assert!(
        b.elders.iter().all(|e| !e.own && e.address == "1幢*****1"),
        "{:?}",
        b.elders
    );
    // The elder's own household sees the full address and who placed the order.
    let a = board(&app, &m.token_a).await;
    assert!(a.elders.iter().all(|e| e.own && e.address == "1幢2单元101"));
    let o = &a.orders[0];
    assert_eq!(
        (o.status, o.placed_by.as_str()),
        (Status::Received, "2幢202")
    );
    // 80+ tier: 50 % of 9.00.
    assert_eq!(
        (o.price.list, o.price.subsidy, o.price.pay),
        (900, 450, 450)
    );
    assert_eq!(
        a.menu(day(), "lunch").unwrap().ordered,
        vec![("tofu".to_owned(), 1)]
    );
}

#[tokio::test]
async fn cut_off_sold_out_conflicts_and_duplicates_are_refused_with_reasons() {
    let m = setup().await;
    let late = m.app(at_0950);
    let (status, v) = submit(
        &late,
        &m.token_a,
        &order_body(&new_id(1), "e2", &[("tofu", 1)], false, at_0950()),
    )
    .await;
    let (code, message) = refusal(status, &v);
    assert_eq!(code, "past_cutoff");
    assert_eq!(message, "已过订餐截止时间（2026-12-01 09:30）");
    // Made at 09:29 offline, arriving at 09:40: within the grace.
    let grace = m.app(at_0940);
    let (status, v) = submit(
        &grace,
        &m.token_a,
        &order_body(&new_id(2), "e2", &[("tofu", 2)], false, beijing(9, 29)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v:?}");

    let app = m.app(at_0800);
    let (status, v) = submit(
        &app,
        &m.token_a,
        &order_body(&new_id(3), "e1", &[("tofu", 1)], false, at_0800()),
    )
    .await;
    let (code, message) = refusal(status, &v);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("sold_out", "“菜tofu”只剩 0 份")
    );
    let (status, v) = submit(
        &app,
        &m.token_a,
        &order_body(&new_id(4), "e1", &[("fish", 1)], false, at_0800()),
    )
    .await;
    assert_eq!(refusal(status, &v).0, "unconfirmed");
    let (status, v) = submit(
        &app,
        &m.token_a,
        &order_body(&new_id(5), "e1", &[("fish", 1)], true, at_0800()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let (status, v) = submit(
        &app,
        &m.token_a,
        &order_body(&new_id(6), "e1", &[("congee", 1)], false, at_0800()),
    )
    .await;
    assert_eq!(refusal(status, &v).0, "already_ordered");
    // An English phone reads the reason in English.
    let mut r = post(
        "/api/v1/submissions",
        Some(&m.token_a),
        &order_body(&new_id(7), "e1", &[("congee", 1)], false, at_0800()),
    );
    r.headers_mut()
        .insert("accept-language", "en-GB,en".parse().unwrap());
    let (_, v) = call(&app, r).await;
    assert_eq!(
        error(&v).message,
        "This meal is already ordered; cancel that order to change it"
    );
    assert_eq!(order_count(&m.store).await, 2);
    // The kitchen sees the confirmed conflict flagged.
    let orders = m.store.kitchen_orders(day(), Some("lunch")).await.unwrap();
    let fish = orders.iter().find(|o| o.elder.name == "张桂英").unwrap();
    assert_eq!(fish.flags, "菜fish: 鱼");
}

#[tokio::test]
async fn cancelling_before_the_cut_off_frees_the_portions_and_delivered_reaches_both_households() {
    let m = setup().await;
    let app = m.app(at_0800);
    let link = format!(r#"{{"code": "{}"}}"#, m.code_a);
    call(&app, post("/api/v1/meals/proxies", Some(&m.token_b), &link)).await;
    let first = new_id(1);
    let (status, _) = submit(
        &app,
        &m.token_b,
        &order_body(&first, "e2", &[("tofu", 2)], false, at_0800()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let cancel = |id: &SubmissionId, n: u8, created: i64| {
        let payload = json::from_str(&format!(r#"{{"order": "{id}"}}"#)).unwrap();
        envelope(&new_id(n), "meal_cancel", payload, created)
    };
    // After the cut-off it is too late.
    let (status, v) = submit(&m.app(at_0950), &m.token_a, &cancel(&first, 2, at_0950())).await;
    assert_eq!(refusal(status, &v).0, "past_cutoff");
    let (status, v) = submit(&app, &m.token_a, &cancel(&first, 3, at_0800())).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let a = board(&app, &m.token_a).await;
    assert_eq!(a.orders[0].status, Status::Cancelled);
    assert_eq!(a.menu(day(), "lunch").unwrap().ordered, vec![]);
    // A second order may now take the portions; the kitchen marks it delivered.
    let second = new_id(4);
    let (status, _) = submit(
        &app,
        &m.token_b,
        &order_body(&second, "e2", &[("tofu", 2)], false, at_0800()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(m
        .store
        .mark_delivered(second.as_str(), &Actor::system(), at_0940())
        .await
        .unwrap());
    assert!(!m
        .store
        .mark_delivered(second.as_str(), &Actor::system(), at_0940())
        .await
        .unwrap());
    for token in [&m.token_a, &m.token_b] {
        let (_, v) = call(&app, get("/api/v1/updates?since=0", Some(token))).await;
        let Value::Object(m) = &v else { panic!() };
        let Some((_, Value::Array(updates))) = m.iter().find(|(k, _)| k == "updates") else {
            panic!()
        };
        let delivered = updates
            .iter()
            .any(|u| field(u, "id") == second.as_str() && field(u, "status") == "delivered");
        assert!(delivered, "{v:?}");
        assert_eq!(board(&app, token).await.orders[0].status, Status::Delivered);
    }
}

#[tokio::test]
async fn withdrawing_consent_deletes_the_dietary_data() {
    let m = setup().await;
    let app = m.app(at_0800);
    let payload =
        json::from_str(r#"{"elder": "e1", "consent": false, "needs": [], "allergies": []}"#)
            .unwrap();
    let (status, v) = submit(
        &app,
        &m.token_a,
        &envelope(&new_id(1), "meal_profile", payload, at_0800()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let e = &m.store.elders().await.unwrap()[0];
    assert!(!e.consent && e.elder.allergies.is_empty() && e.elder.needs.is_empty());
    // Dietary data without consent is refused as invalid.
    let payload =
        json::from_str(r#"{"elder": "e1", "consent": false, "needs": ["soft"], "allergies": []}"#)
            .unwrap();
    let (status, v) = submit(
        &app,
        &m.token_a,
        &envelope(&new_id(2), "meal_profile", payload, at_0800()),
    )
    .await;
    assert_eq!(
        (status, error(&v).field.as_deref()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("payload.consent"))
    );
}

#[tokio::test]
async fn without_a_meals_config_the_meal_kinds_are_unknown() {
    let m = setup().await;
    let app = router(AppState::new(m.store.clone(), Kinds::builtin()), None);
    let (status, v) = submit(
        &app,
        &m.token_a,
        &order_body(&new_id(1), "e2", &[("tofu", 1)], false, at_0800()),
    )
    .await;
    assert_eq!(
        (status, error(&v).code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "unknown_kind")
    );
}

async fn staff_token(app: &Router, store: &Store, name: &str, role: Role) -> String {
    store
        .add_staff(name, "correct horse 42", role, &Actor::system(), 1)
        .await
        .unwrap();
    let body = format!(r#"{{"username": "{name}", "password": "correct horse 42"}}"#);
    let (_, v) = call(app, post("/api/v1/staff/login", None, &body)).await;
    field(&v, "token")
}

async fn page(app: &Router, path: &str, token: &str) -> (StatusCode, String) {
    let (status, v) = call(app, get(path, Some(token))).await;
    match v {
        Value::String(s) => (status, s),
        other => (status, json::to_string(&other)),
    }
}

#[tokio::test]
async fn the_kitchen_counts_lists_prints_and_edits_menus() {
    let m = setup().await;
    let app = m.app(at_0800);
    let chef = staff_token(&app, &m.store, "chef", Role::Kitchen).await;
    let org = staff_token(&app, &m.store, "org", Role::Organisation).await;
    submit(
        &app,
        &m.token_a,
        &order_body(&new_id(1), "e1", &[("congee", 2)], false, at_0800()),
    )
    .await;
    submit(
        &app,
        &m.token_a,
        &order_body(
            &new_id(2),
            "e2",
            &[("congee", 1), ("tofu", 1)],
            false,
            at_0800(),
        ),
    )
    .await;

    let (status, html) = page(&app, "/staff/meals?date=2026-12-01", &chef).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(r#"data-dish="congee" data-slot="lunch" class="count">3<"#),
        "{html}"
    );
    assert!(html.contains("共 2 份订单"));
    let (status, _) = page(&app, "/staff/meals?date=2026-12-01", &org).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, html) = page(
        &app,
        "/staff/meals/delivery?date=2026-12-01&slot=lunch",
        &chef,
    )
    .await;
    assert!(
        html.contains("1幢 · 路线：A") && html.contains("菜congee ×2") && html.contains("过敏：鱼"),
        "{html}"
    );
    let (status, csv) = page(
        &app,
        "/staff/meals/delivery.csv?date=2026-12-01&slot=lunch",
        &chef,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("楼栋,送餐路线,老人,地址"));
    assert!(
        lines[1].starts_with("1幢,A,张桂英,1幢2单元101,菜congee ×2,送餐上门"),
        "{}",
        lines[1]
    );

    // Next week's menu, copied from this one, then saved with a bad price.
    let (_, html) = page(
        &app,
        "/staff/meals/menu?date=2026-12-08&slot=lunch&copy=1",
        &chef,
    )
    .await;
    assert!(html.contains(r#"value="菜fish""#) && html.contains(r#"value="15.00""#));
    let save = |form: &'static str| {
        let r = axum::http::Request::post("/staff/meals/menu")
            .header("authorization", format!("Bearer {chef}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(form))
            .unwrap();
        call(&app, r)
    };
    let (status, v) =
        save("date=2026-12-08&slot=lunch&id_0=fish&name_0=%E9%B1%BC&price_0=abc&name_1=").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json::to_string(&v).contains("第 1 行：价格“abc”不是金额"));
    // Taking a dish with orders off today's menu is refused.
    let (status, v) = save("date=2026-12-01&slot=lunch&id_0=fish&name_0=fish&price_0=15").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json::to_string(&v).contains("已有订单，不能删除"));
}
