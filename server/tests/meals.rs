//! The meals scenario on the server: the core rules again, against the database, the
//! proxy link, the kitchen's pages, the statuses households follow, and privacy.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::meals::*;
use common::*;
use linli_core::date::Date;
use linli_core::json::{self, Value};
use linli_core::meals::{Board, Status};
use linli_core::sync::wire::SubmissionId;
use linli_core::Role;
use linli_server::{router, Actor, AppState, Store};

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
        ("sold_out", "“菜tofu”已售完")
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
    let app = router(AppState::new(m.store.clone()));
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

fn profile_body(n: u8, elder: &str, consent: bool, allergies: &[&str]) -> String {
    let allergies = allergies
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(",");
    let payload = json::from_str(&format!(
        r#"{{"elder": "{elder}", "consent": {consent}, "needs": [], "allergies": [{allergies}]}}"#
    ))
    .unwrap();
    envelope(&new_id(n), "meal_profile", payload, at_0800())
}

#[tokio::test]
async fn a_helpers_consent_change_is_refused() {
    let m = setup().await;
    let app = m.app(at_0800);
    let link = format!(r#"{{"code": "{}"}}"#, m.code_a);
    call(&app, post("/api/v1/meals/proxies", Some(&m.token_b), &link)).await;
    for (n, consent) in [(1, false), (2, true)] {
        let (status, v) = submit(&app, &m.token_b, &profile_body(n, "e1", consent, &[])).await;
        assert_eq!(refusal(status, &v).0, "not_own_consent");
    }
    let e = &m.store.elders().await.unwrap()[0];
    assert!(
        e.consent && e.elder.allergies == vec!["鱼".to_owned()],
        "unchanged"
    );
    // The elder's own household may.
    let (status, v) = submit(&app, &m.token_a, &profile_body(3, "e1", true, &["芒果干"])).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
}

#[tokio::test]
async fn after_withdrawal_no_allergy_string_is_left_in_any_table() {
    let m = setup().await;
    let app = m.app(at_0800);
    let (status, _) = submit(
        &app,
        &m.token_a,
        &profile_body(1, "e1", true, &["芒果干", "鱼"]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // An order confirmed despite the allergy: the kitchen's flag names it.
    let (status, v) = submit(
        &app,
        &m.token_a,
        &order_body(&new_id(2), "e1", &[("fish", 1)], true, at_0800()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    assert!(!scan(&m.store, "芒果干").await.is_empty());
    let (status, _) = submit(&app, &m.token_a, &profile_body(3, "e1", false, &[])).await;
    assert_eq!(status, StatusCode::OK);
    for needle in ["芒果干", "菜fish: 鱼"] {
        let left = scan(&m.store, needle).await;
        assert!(left.is_empty(), "{needle} left in {left:?}");
    }
    let orders = m.store.kitchen_orders(day(), Some("lunch")).await.unwrap();
    assert!(orders
        .iter()
        .all(|o| o.flags.is_empty() && o.elder.elder.allergies.is_empty()
            || o.elder.elder.id != "e1"));
}

/// The stored digests of household `unit`'s submissions of `kind`.
async fn digests(store: &Store, unit: i64, kind: &str) -> Vec<Option<String>> {
    sqlx::query_scalar("SELECT payload_digest FROM submissions WHERE unit_id = $1 AND kind = $2")
        .bind(unit)
        .bind(kind)
        .fetch_all(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_submission_digest_cannot_be_tested_against_guessed_allergies_and_goes_with_consent() {
    use sha2::{Digest, Sha256};
    let m = setup().await;
    let app = m.app(at_0800);
    let sent = profile_body(1, "e1", true, &["花生", "海鲜"]);
    assert_eq!(submit(&app, &m.token_a, &sent).await.0, StatusCode::OK);
    let envelope =
        linli_core::sync::wire::Envelope::from_value(&json::from_str(&sent).unwrap()).unwrap();
    let payload = json::to_string(&envelope.payload);
    let stored = digests(&m.store, m.unit_a, "meal_profile").await;
    let plain = linli_server::audit::hex(&Sha256::digest(payload.as_bytes()));
    assert_eq!(stored.len(), 1);
    assert_ne!(
        stored[0].as_deref(),
        Some(plain.as_str()),
        "a plain hash can be guessed"
    );
    assert_eq!(
        stored[0].as_deref(),
        Some(linli_server::store::submission_digest(m.store.key(), &new_id(1), &payload).as_str())
    );
    // A replay is still recognised.
    let (status, first) = submit(&app, &m.token_a, &sent).await;
    assert_eq!(status, StatusCode::OK, "{first:?}");
    // Withdrawal takes the digests of the household's profiles with it; a replay of
    // the withdrawal is still recognised by its redacted payload.
    let withdraw = profile_body(2, "e1", false, &[]);
    let (_, ack) = submit(&app, &m.token_a, &withdraw).await;
    assert!(digests(&m.store, m.unit_a, "meal_profile")
        .await
        .iter()
        .all(Option::is_none));
    assert_eq!(
        submit(&app, &m.token_a, &withdraw).await,
        (StatusCode::OK, ack)
    );
}

/// A staff member erases household A (1幢101) on its own request; the answer's status.
async fn erase_household_a(m: &Meals, app: &axum::Router) -> StatusCode {
    let wang = member(m, "wang", Role::Staff).await;
    let path = format!("/staff/units/{}/erase", m.unit_a);
    let body = "confirm=1%E5%B9%A2101&reason=request";
    fetch(app, page_post(&path, &wang, body)).await.0
}

/// Whether `needle` is in the database file or its write-ahead log, byte for byte.
fn on_disk(store: &Store, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for suffix in ["", "-wal"] {
        let mut name = store.location().file().unwrap().as_os_str().to_owned();
        name.push(suffix);
        let Ok(bytes) = std::fs::read(&name) else {
            continue;
        };
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            found.push(format!("{}", std::path::Path::new(&name).display()));
        }
    }
    found
}

#[tokio::test]
async fn erased_and_withdrawn_values_leave_the_database_files_too() {
    if sqlite_only("SQLite's file and write-ahead log (PostgreSQL: DEPLOY.md, section 9)") {
        return;
    }
    let m = setup().await;
    let app = m.app(at_0800);
    let note = "门铃坏了请敲门-7Q9";
    let order = order_body(&new_id(1), "e1", &[("tofu", 1)], false, at_0800())
        .replace(r#""note":"""#, &format!(r#""note":"{note}""#))
        .replace(r#""note": """#, &format!(r#""note": "{note}""#));
    let (status, v) = submit(&app, &m.token_a, &order).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let allergy = "芒果干-K4";
    let profile = profile_body(2, "e1", true, &[allergy]);
    assert_eq!(submit(&app, &m.token_a, &profile).await.0, StatusCode::OK);
    assert!(!on_disk(&m.store, note).is_empty(), "the note was written");
    assert!(
        !on_disk(&m.store, allergy).is_empty(),
        "the allergy was written"
    );

    let withdraw = profile_body(3, "e1", false, &[]);
    assert_eq!(submit(&app, &m.token_a, &withdraw).await.0, StatusCode::OK);
    assert_eq!(on_disk(&m.store, allergy), Vec::<String>::new());

    let status = erase_household_a(&m, &app).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(on_disk(&m.store, note), Vec::<String>::new());
}

#[tokio::test]
async fn a_reader_on_an_old_snapshot_holds_up_neither_an_erasure_nor_other_writers() {
    use sqlx::Connection;
    if sqlite_only("SQLite's write-ahead log") {
        return;
    }
    let m = setup().await;
    let app = m.app(at_0800);
    let note = "请放门口的鞋柜上-R2D";
    let order = order_body(&new_id(1), "e1", &[("tofu", 1)], false, at_0800())
        .replace(r#""note":"""#, &format!(r#""note":"{note}""#));
    assert_eq!(submit(&app, &m.token_a, &order).await.0, StatusCode::OK);
    // An operator's sqlite3 (or a backup) keeps a read transaction open.
    let mut reader = sqlx::SqliteConnection::connect(&format!(
        "sqlite://{}",
        m.store.location().file().unwrap().display()
    ))
    .await
    .unwrap();
    sqlx::query("BEGIN").execute(&mut reader).await.unwrap();
    let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meal_orders")
        .fetch_one(&mut reader)
        .await
        .unwrap();
    let status = erase_household_a(&m, &app).await;
    assert_eq!(status, StatusCode::OK, "not the 408 of a request held up");
    // Other writers go on meanwhile.
    let kitchen = member(&m, "chef", Role::Kitchen).await;
    assert_ne!(kitchen.token, "");
    // Once the reader is done, the note leaves the files.
    sqlx::query("COMMIT").execute(&mut reader).await.unwrap();
    reader.close().await.unwrap();
    let mut left = on_disk(&m.store, note);
    for _ in 0..300 {
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = on_disk(&m.store, note);
    }
    assert_eq!(left, Vec::<String>::new());
}

#[tokio::test]
async fn a_helper_sees_only_the_diet_that_makes_a_dish_on_the_board_unsuitable() {
    let m = setup().await;
    let app = m.app(at_0800);
    let payload = json::from_str(
        r#"{"elder": "e1", "consent": true, "needs": ["soft", "halal"], "allergies": ["鱼", "花生"]}"#,
    )
    .unwrap();
    let profile = envelope(&new_id(1), "meal_profile", payload, at_0800());
    let (status, v) = submit(&app, &m.token_a, &profile).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let link = format!(r#"{{"code": "{}"}}"#, m.code_a);
    call(&app, post("/api/v1/meals/proxies", Some(&m.token_b), &link)).await;
    let helper = board(&app, &m.token_b).await;
    let e1 = helper.elders.iter().find(|e| e.elder.id == "e1").unwrap();
    // The menu has fish (鱼) and only soft dishes, none halal: 花生 and 软烂 decide
    // nothing and are not shown.
    assert_eq!(e1.elder.allergies, vec!["鱼".to_owned()]);
    assert_eq!(e1.elder.needs, vec![linli_core::meals::Tag::Halal]);
    let own = board(&app, &m.token_a).await;
    let e1 = own.elders.iter().find(|e| e.elder.id == "e1").unwrap();
    assert_eq!(e1.elder.allergies, vec!["鱼".to_owned(), "花生".to_owned()]);
}

#[tokio::test]
async fn a_helper_sees_masked_labels_and_no_unit_id_or_subsidy_tier() {
    let m = setup().await;
    let app = m.app(at_0800);
    let link = format!(r#"{{"code": "{}"}}"#, m.code_a);
    let (status, linked) = call(&app, post("/api/v1/meals/proxies", Some(&m.token_b), &link)).await;
    assert_eq!(
        (status, json::to_string(&linked).as_str()),
        (StatusCode::CREATED, r#"{"linked":true}"#),
        "linking names no household"
    );
    // The elder's household orders; the helper sees who only masked.
    let (status, _) = submit(
        &app,
        &m.token_a,
        &order_body(&new_id(1), "e2", &[("tofu", 1)], false, at_0800()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, raw) = call(&app, get("/api/v1/meals", Some(&m.token_b))).await;
    let text = json::to_string(&raw);
    assert!(
        !text.contains("80plus") && !text.contains("1幢101"),
        "{text}"
    );
    let b = Board::from_value(&raw).unwrap();
    for e in &b.elders {
        assert_eq!(
            (e.elder.unit_id, e.elder.tier.as_str(), e.consent),
            (0, "~p50", false)
        );
    }
    assert_eq!(b.orders[0].placed_by, "1幢**1");
    // It can still price an order: the nameless tier gives 50 %.
    let tier = m
        .config
        .meals
        .as_ref()
        .unwrap()
        .pricing_tier("~p50")
        .unwrap();
    assert_eq!(tier.subsidy, linli_core::meals::Subsidy::Percent(50));
    // The elder's own household sees everything.
    let a = board(&app, &m.token_a).await;
    assert_eq!(
        (a.elders[0].elder.unit_id, a.elders[0].elder.tier.as_str()),
        (m.unit_a, "80plus")
    );
    assert_eq!(a.orders[0].placed_by, "1幢101");
}

#[tokio::test]
async fn the_elders_household_lists_and_removes_its_helpers() {
    let m = setup().await;
    let app = m.app(at_0800);
    let link = format!(r#"{{"code": "{}"}}"#, m.code_a);
    call(&app, post("/api/v1/meals/proxies", Some(&m.token_b), &link)).await;
    let (status, v) = call(&app, get("/api/v1/meals/proxies", Some(&m.token_a))).await;
    assert_eq!(status, StatusCode::OK);
    let Value::Array(list) = &v else {
        panic!("{v:?}")
    };
    assert_eq!(list.len(), 1);
    assert_eq!(field(&list[0], "household"), "2幢202");
    let path = format!("/api/v1/meals/proxies/{}", field(&list[0], "id"));
    // The helper cannot remove itself from another's list by this route.
    let r = axum::http::Request::delete(&path)
        .header("authorization", format!("Bearer {}", m.token_b))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(call(&app, r).await.0, StatusCode::NOT_FOUND);
    let r = axum::http::Request::delete(&path)
        .header("authorization", format!("Bearer {}", m.token_a))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(call(&app, r).await.0, StatusCode::NO_CONTENT);
    assert!(board(&app, &m.token_b).await.elders.is_empty());
    let (status, v) = submit(
        &app,
        &m.token_b,
        &order_body(&new_id(2), "e2", &[("tofu", 1)], false, at_0800()),
    )
    .await;
    assert_eq!(refusal(status, &v).0, "not_authorized");
}

#[tokio::test]
async fn a_refused_meal_order_leaves_every_count_unchanged() {
    let m = setup().await;
    let app = m.app(at_0950);
    let before = row_counts(&m.store).await;
    let (status, v) = submit(
        &app,
        &m.token_a,
        &order_body(&new_id(1), "e2", &[("tofu", 1)], false, at_0950()),
    )
    .await;
    assert_eq!(refusal(status, &v).0, "past_cutoff");
    assert_eq!(row_counts(&m.store).await, before);
}

#[tokio::test]
async fn the_household_downloads_everything_held_about_it() {
    let m = setup().await;
    let app = m.app(at_0800);
    submit(
        &app,
        &m.token_a,
        &order_body(&new_id(1), "e2", &[("tofu", 1)], false, at_0800()),
    )
    .await;
    let (status, v) = call(&app, get("/api/v1/household", Some(&m.token_a))).await;
    assert_eq!(status, StatusCode::OK);
    let text = json::to_string(&v);
    for expected in [
        "1幢101",
        "张桂英",
        "1幢2单元101",
        "鱼",
        "\"orders\"",
        "meal_order",
        "\"devices\"",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
    assert!(!text.contains("2幢202"), "another household's data");
}

/// Meals pages as a member of `role` (session made in the store).
async fn member(m: &Meals, name: &str, role: Role) -> Session {
    staff(&m.store, name, role, at_0800()).await
}

#[tokio::test]
async fn the_kitchen_counts_lists_prints_and_edits_menus() {
    let m = setup().await;
    let app = m.app(at_0800);
    let chef = member(&m, "chef", Role::Kitchen).await;
    let org = member(&m, "org", Role::Organisation).await;
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

    // The kitchen lands on its own page after signing in.
    let (_, h, _) = fetch(&app, page_get("/staff", &chef)).await;
    assert_eq!(h[axum::http::header::LOCATION], "/staff/meals");
    let (status, _, html) = fetch(&app, page_get("/staff/meals?date=2026-12-01", &chef)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(r#"data-dish="congee" data-slot="lunch" class="count">3<"#),
        "{html}"
    );
    assert!(html.contains("共 2 份订单"));
    assert_eq!(
        fetch(&app, page_get("/staff/meals?date=2026-12-01", &org))
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    let (_, _, html) = fetch(
        &app,
        page_get("/staff/meals/delivery?date=2026-12-01&slot=lunch", &chef),
    )
    .await;
    assert!(
        html.contains("1幢 · 路线：A") && html.contains("菜congee ×2") && html.contains("过敏：鱼"),
        "{html}"
    );
    let (status, h, csv) = fetch(
        &app,
        page_get(
            "/staff/meals/delivery.csv?date=2026-12-01&slot=lunch",
            &chef,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(h[axum::http::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(csv.starts_with('\u{feff}') && csv.contains("\r\n"));
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("楼栋,送餐路线,老人,地址"));
    assert!(
        lines[1].starts_with("1幢,A,张桂英,1幢2单元101,菜congee ×2,送餐上门"),
        "{}",
        lines[1]
    );

    // Next week's menu, copied from this one, then saved with a bad price.
    let (_, _, html) = fetch(
        &app,
        page_get("/staff/meals/menu?date=2026-12-08&slot=lunch&copy=1", &chef),
    )
    .await;
    assert!(
        html.contains(r#"value="菜fish""#) && html.contains(r#"value="15.00""#),
        "{html}"
    );
    let save = |form: &str| page_post("/staff/meals/menu", &chef, form);
    let (status, _, html) = fetch(
        &app,
        save("date=2026-12-08&slot=lunch&id_0=fish&name_0=%E9%B1%BC&price_0=abc&name_1="),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("第 1 行：价格“abc”不是金额"), "{html}");
    // Taking a dish with orders off today's menu is refused.
    let (status, _, html) = fetch(
        &app,
        save("date=2026-12-01&slot=lunch&id_0=fish&name_0=fish&price_0=15"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("已有订单，不能删除"));
}

#[tokio::test]
async fn a_41_character_dish_id_from_the_menu_form_is_refused_and_the_board_still_answers() {
    let m = setup().await;
    let app = m.app(at_0800);
    let chef = member(&m, "chef", Role::Kitchen).await;
    let long_id = "d".repeat(41);
    let cases = [
        format!("id_0={long_id}&name_0=a&price_0=1"),
        "name_0=a&price_0=10001".to_owned(),
        "name_0=a&price_0=1&limit_0=100001".to_owned(),
        format!("name_0={}&price_0=1", "菜".repeat(41)),
        format!("name_0=a&price_0=1&allergens_0={}", "花".repeat(41)),
    ];
    for form in cases {
        let before = m
            .store
            .menu(Date::parse("2026-12-02").unwrap(), "lunch")
            .await
            .unwrap();
        let (status, _, html) = fetch(
            &app,
            page_post(
                "/staff/meals/menu",
                &chef,
                &format!("date=2026-12-02&slot=lunch&{form}"),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        assert!(html.contains("第 1 行"), "{form}: {html}");
        assert_eq!(
            m.store
                .menu(Date::parse("2026-12-02").unwrap(), "lunch")
                .await
                .unwrap(),
            before
        );
    }
    let (status, _) = call(&app, get("/api/v1/meals", Some(&m.token_a))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        fetch(&app, page_get("/staff/meals?date=2026-12-02", &chef))
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_form_from_another_origin_cannot_register_an_elder() {
    let m = setup().await;
    let app = m.app(at_0800);
    let wang = member(&m, "wang", Role::Staff).await;
    let form = format!(
        "name=%E8%B5%B5&unit={}&tier=80plus&fulfilment=delivery",
        m.unit_b
    );
    let cross = axum::http::Request::post("/staff/meals/elders")
        .header(axum::http::header::COOKIE, &wang.cookie)
        .header(axum::http::header::HOST, "127.0.0.1:8080")
        .header(axum::http::header::ORIGIN, "http://127.0.0.1:8081")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!(
            "_csrf={}&{form}",
            wang.csrf
        )))
        .unwrap();
    assert_eq!(fetch(&app, cross).await.0, StatusCode::FORBIDDEN);
    assert_eq!(m.store.elders().await.unwrap().len(), 2);
    let (status, _, _) = fetch(&app, page_post("/staff/meals/elders", &wang, &form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(m.store.elders().await.unwrap().len(), 3);
}

#[tokio::test]
async fn staff_record_consent_on_the_elders_word_and_withdrawal_deletes_it() {
    let m = setup().await;
    let app = m.app(at_0800);
    let wang = member(&m, "wang", Role::Staff).await;
    let (status, _, html) = fetch(
        &app,
        page_post(
            "/staff/meals/elders/e2/diet",
            &wang,
            "consent=on&allergies=%E8%8A%92%E6%9E%9C%E5%B9%B2&note=",
        ),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no note of on whose word"
    );
    assert!(html.contains("请写明依据"));
    let (status, _, _) = fetch(&app, page_post("/staff/meals/elders/e2/diet", &wang, "consent=on&allergies=%E8%8A%92%E6%9E%9C%E5%B9%B2&note=%E6%9C%AC%E4%BA%BA%E7%94%B5%E8%AF%9D")).await;
    assert_eq!(status, StatusCode::OK);
    let e2 = m
        .store
        .elders()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.elder.id == "e2")
        .unwrap();
    assert!(e2.consent && e2.elder.allergies == vec!["芒果干".to_owned()]);
    assert!(e2.consent_note.contains("本人电话"), "{}", e2.consent_note);
    let (status, _, _) = fetch(
        &app,
        page_post(
            "/staff/meals/elders/e2/diet",
            &wang,
            "allergies=&note=%E6%92%A4%E5%9B%9E",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(scan(&m.store, "芒果干").await.is_empty());
    // Registering with a 41-character name is refused with its field.
    let form = format!(
        "name={}&unit={}&tier=80plus&fulfilment=delivery",
        "名".repeat(41),
        m.unit_b
    );
    let (status, _, html) = fetch(&app, page_post("/staff/meals/elders", &wang, &form)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("name"), "{html}");
}

#[tokio::test]
async fn erasing_a_household_removes_its_personal_data_everywhere() {
    let m = setup().await;
    let app = m.app(at_0800);
    let link = format!(r#"{{"code": "{}"}}"#, m.code_a);
    call(&app, post("/api/v1/meals/proxies", Some(&m.token_b), &link)).await;
    submit(
        &app,
        &m.token_b,
        &order_body(&new_id(1), "e2", &[("tofu", 1)], false, at_0800()),
    )
    .await;
    let own = profile_body(9, "e1", true, &["鱼"]);
    assert_eq!(submit(&app, &m.token_a, &own).await.0, StatusCode::OK);
    let wang = member(&m, "wang", Role::Staff).await;
    let path = format!("/staff/units/{}/erase", m.unit_a);
    let (status, _, _) = fetch(
        &app,
        page_post(&path, &wang, "confirm=1%E5%B9%A2999&reason=request"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the wrong label typed"
    );
    let (status, _, html) = fetch(
        &app,
        page_post(&path, &wang, "confirm=1%E5%B9%A2101&reason=request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    for needle in ["张桂英", "李德福", "1幢2单元101", "鱼"] {
        let left: Vec<_> = scan(&m.store, needle)
            .await
            .into_iter()
            .filter(|(c, _)| !c.starts_with("meal_menus"))
            .collect();
        assert!(left.is_empty(), "{needle} left in {left:?}");
    }
    assert_eq!(
        call(&app, get("/api/v1/meals", Some(&m.token_a))).await.0,
        StatusCode::UNAUTHORIZED
    );
    let trail = m.store.audit_entries().await.unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.action, "household.erase");
    assert_eq!(last.subject, format!("unit:{} reason:request", m.unit_a));
    let kept: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM submissions WHERE payload_digest IS NOT NULL AND unit_id = $1",
    )
    .bind(m.unit_a)
    .fetch_one(m.store.pool())
    .await
    .unwrap();
    assert_eq!(kept, 0, "digests of the payloads as sent went with them");
    // The counts stay.
    assert_eq!(order_count(&m.store).await, 1);
}

/// `[tofu ×2, tofu ×2]` against 2 left: each line alone fits, the kitchen would
/// count 4 of 2. One line per dish is a core rule the server applies.
#[tokio::test]
async fn one_dish_on_two_lines_is_refused_and_nothing_is_counted() {
    let m = setup().await;
    let app = m.app(at_0800);
    let (status, v) = submit(
        &app,
        &m.token_a,
        &order_body(
            &new_id(1),
            "e2",
            &[("tofu", 2), ("tofu", 2)],
            false,
            at_0800(),
        ),
    )
    .await;
    assert_eq!(refusal(status, &v).0, "duplicate_dish");
    assert_eq!(order_count(&m.store).await, 0);
}

/// A device clock two days behind cannot claim an order was made before the cut-off:
/// a creation time before the device was linked is not believed, so the arrival grace
/// goes only to a time the device could have made the order at.
#[tokio::test]
async fn a_device_clock_behind_gets_no_grace_after_the_cut_off() {
    let m = setup().await;
    let grace = m.app(at_0940);
    let two_days_behind = at_0940() - 2 * 86_400_000;
    let (status, v) = submit(
        &grace,
        &m.token_a,
        &order_body(&new_id(1), "e2", &[("tofu", 1)], false, two_days_behind),
    )
    .await;
    assert_eq!(refusal(status, &v).0, "past_cutoff");
    assert_eq!(order_count(&m.store).await, 0);
}

/// A phone linked after the cut-off cannot have made an order before it: its forged
/// early `created_at` earns no grace (the time is taken as no earlier than the link).
#[tokio::test]
async fn a_device_linked_after_the_cut_off_gets_no_grace_for_an_earlier_time() {
    let m = setup().await;
    let late = m.app(at_0940);
    let token = device(&late, &m.store, m.unit_a).await;
    let (status, v) = submit(
        &late,
        &token,
        &order_body(&new_id(1), "e2", &[("tofu", 1)], false, beijing(9, 29)),
    )
    .await;
    assert_eq!(refusal(status, &v).0, "past_cutoff");
    // The phone linked before the cut-off still gets it for the same time.
    let (status, v) = submit(
        &late,
        &m.token_a,
        &order_body(&new_id(2), "e2", &[("tofu", 1)], false, beijing(9, 29)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
}

#[tokio::test]
async fn meals_turned_off_in_the_console_refuses_orders_with_a_reason_and_hides_the_board() {
    let m = setup().await;
    // An order placed while meals was on.
    let placed = new_id(7);
    let (status, _) = submit(
        &m.app(at_0800),
        &m.token_a,
        &order_body(&placed, "e2", &[("tofu", 1)], false, at_0800()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut config = m.config.clone();
    config
        .scenarios
        .retain(|s| *s != linli_core::Scenario::Meals);
    let site = std::sync::Arc::new(linli_server::app::Site::fixed(config));
    let app = router(AppState {
        scenarios: linli_server::scenarios::registered(&site, Vec::new()),
        site,
        ..m.state(at_0800)
    });
    let (status, _) = call(&app, get("/api/v1/meals", Some(&m.token_a))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let before = row_counts(&m.store).await;
    let (status, v) = submit(
        &app,
        &m.token_a,
        &order_body(&new_id(1), "e2", &[("tofu", 1)], false, at_0800()),
    )
    .await;
    let (code, message) = refusal(status, &v);
    assert_eq!(code, "scenario_off");
    assert!(message.contains("暂未开通"), "{message}");
    assert_eq!(row_counts(&m.store).await, before);
    // What was ordered can still be cancelled, and consent to dietary data withdrawn.
    let payload = json::from_str(&format!(r#"{{"order": "{placed}"}}"#)).unwrap();
    let (status, v) = submit(
        &app,
        &m.token_a,
        &envelope(&new_id(8), "meal_cancel", payload, at_0800()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let (status, v) = submit(&app, &m.token_a, &profile_body(9, "e1", false, &[])).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
}
