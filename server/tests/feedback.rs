//! Residents' feedback on the server (issue 13): a report with a photo round the whole
//! 12345 loop and back to its household, who sees what (分级开放), refused steps, and
//! Open311 GeoReport v2 in the spec's shape without personal data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::{Request, StatusCode};
use axum::Router;
use base64::Engine as _;
use common::meals::envelope;
use common::*;
use linli_core::feedback::{FeedbackBoard, Rating, State};
use linli_core::json::{self, Value};
use linli_core::sync::wire::SubmissionId;
use linli_core::Role;
use linli_server::app::Site;
use linli_server::{router, Actor, AppState, Store};

const T: i64 = 1_796_083_200_000;

struct Town {
    store: Arc<Store>,
    app: Router,
    token: String,
    _db: TestDb,
}

async fn town() -> Town {
    let db = temp_db();
    let store = open_store(&db).await;
    let clock = TestClock::at(T);
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
    let unit = store.add_unit("1幢101", "1幢", &sys, T).await.unwrap();
    let code = store.issue_code(unit, &sys, T).await.unwrap();
    let (status, v) = call(
        &app,
        post(
            "/api/v1/devices",
            None,
            &format!(r#"{{"code": "{code}", "device": "phone"}}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v:?}");
    Town {
        store,
        app,
        token: field(&v, "token"),
        _db: db,
    }
}

/// A small JPEG as a phone's browser would queue it, in base64.
fn photo() -> String {
    let rgb: Vec<u8> = (0..48 * 32)
        .flat_map(|i| [(i % 255) as u8, 120, 200])
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80)
        .encode(&rgb, 48, 32, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    base64::engine::general_purpose::STANDARD.encode(out)
}

async fn submit(t: &Town, kind: &str, payload: &str) -> (StatusCode, Value) {
    let id = SubmissionId::parse(&format!(
        "{:08x}-0000-4000-8000-{:012x}",
        kind.len(),
        payload.len() as u64 * 7919 + T as u64 % 1_000_000
    ))
    .unwrap();
    let body = envelope(&id, kind, json::from_str(payload).unwrap(), T);
    call(&t.app, post("/api/v1/submissions", Some(&t.token), &body)).await
}

async fn report(t: &Town, text: &str, phone: &str) -> (SubmissionId, i64) {
    let id = SubmissionId::from_random([text.len() as u8; 16]);
    let payload = format!(
        r#"{{"category": "lighting", "description": "{text}", "place": "3幢", "phone": "{phone}", "photos": ["{}"]}}"#,
        photo()
    );
    let body = envelope(&id, "feedback_report", json::from_str(&payload).unwrap(), T);
    let (status, v) = call(&t.app, post("/api/v1/submissions", Some(&t.token), &body)).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let number: i64 = sqlx::query_scalar("SELECT id FROM feedback_cases WHERE submission = $1")
        .bind(id.as_str())
        .fetch_one(t.store.pool())
        .await
        .unwrap();
    (id, number)
}

async fn handler(store: &Store, name: &str, of: &str) -> Session {
    let s = staff(store, name, Role::Handler, T).await;
    let (a, _) = store.account_for_login(name).await.unwrap().unwrap();
    store
        .set_feedback_member(a.id, Some(of), &Actor::system(), T)
        .await
        .unwrap();
    s
}

async fn page(app: &Router, path: &str, s: &Session) -> (StatusCode, String) {
    let (status, _, body) = fetch(app, page_get(path, s)).await;
    (status, body)
}

async fn act(app: &Router, path: &str, s: &Session, form: &str) -> (StatusCode, String) {
    let (status, _, body) = fetch(app, page_post(path, s, form)).await;
    (status, body)
}

async fn board(t: &Town) -> FeedbackBoard {
    let (status, v) = call(&t.app, get("/api/v1/feedback", Some(&t.token))).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    FeedbackBoard::from_value(&v).unwrap()
}

#[tokio::test]
async fn a_report_with_a_photo_goes_round_the_loop_and_back_to_its_household() {
    let t = town().await;
    let (rid, n) = report(&t, "3幢门口路灯不亮", "138 1234 5678").await;
    // The photo is kept as this server drew it; the generic table keeps neither it
    // nor the phone.
    let (status, _, jpeg) = fetch(
        &t.app,
        get(&format!("/api/v1/feedback/{n}/photos/0"), Some(&t.token)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!jpeg.is_empty());
    let found = scan(&t.store, "13812345678").await;
    assert!(
        found.iter().all(|(at, _)| at == "feedback_cases.phone"),
        "{found:?}"
    );
    let wang = staff(&t.store, "wang", Role::Staff, T).await;
    let wuye = handler(&t.store, "shizheng", "municipal").await;
    let base = format!("/staff/feedback/{n}");
    let (status, body) = page(&t.app, &base, &wang).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("138****5678") && !body.contains("13812345678"));
    // A step out of order is refused with the state named, on the server too.
    let (status, body) = act(&t.app, &format!("{base}/step"), &wang, "action=close").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("不能办结"), "{body}");
    for (who, form) in [
        (&wang, "action=dispatch&to=municipal&suggested=municipal"),
        (&wuye, "action=accept"),
        (&wuye, "action=reply&note=已更换灯泡"),
        (&wang, "action=close"),
        (&wang, "action=visit&note=居民说已修好"),
    ] {
        let (status, body) = act(&t.app, &format!("{base}/step"), who, form).await;
        assert_eq!(status, StatusCode::OK, "{form}: {body}");
    }
    let b = board(&t).await;
    let mine = &b.cases[0];
    assert_eq!(mine.report, rid);
    assert_eq!(mine.state, State::Visited);
    assert_eq!(mine.reply, "已更换灯泡");
    let actions: Vec<&str> = mine.steps.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(
        actions,
        ["report", "dispatch", "accept", "reply", "close", "visit"]
    );
    assert_eq!(mine.steps[1].note, "市政设施管理所");
    assert!(mine
        .steps
        .iter()
        .all(|s| !s.by.contains("wang") && !s.by.contains("shizheng")));
    // 不满意 reopens it, counted; the limits start again.
    let rate = format!(r#"{{"report": "{rid}", "rating": "dissatisfied", "note": "灯又灭了"}}"#);
    let (status, v) = submit(&t, "feedback_rate", &rate).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let c = t.store.feedback_case(n).await.unwrap().unwrap();
    assert_eq!(
        (c.state, c.reopened, c.handler),
        (State::Submitted, 1, None)
    );
    // A rating now is out of order: refused with the reason.
    let again = format!(r#"{{"report": "{rid}", "rating": "satisfied"}}"#);
    let (status, v) = submit(&t, "feedback_rate", &again).await;
    let (_, message) = common::meals::refusal(status, &v);
    assert!(message.contains("不能评价"), "{message}");
    // The dispatch recorded the suggestion it was given.
    assert_eq!(
        t.store.feedback_dispatches().await.unwrap(),
        [("municipal".to_owned(), "municipal".to_owned())]
    );
    let _ = Rating::Satisfied;
}

#[tokio::test]
async fn each_role_sees_only_its_part_and_wrong_handlers_are_refused() {
    let t = town().await;
    let (_, n) = report(&t, "路灯坏了", "13812345678").await;
    let wang = staff(&t.store, "wang", Role::Staff, T).await;
    let municipal = handler(&t.store, "shizheng", "municipal").await;
    let property = handler(&t.store, "wuye", "property").await;
    let audit = staff(&t.store, "audit", Role::Auditor, T).await;
    let chef = staff(&t.store, "chef", Role::Kitchen, T).await;
    let base = format!("/staff/feedback/{n}");
    // Before dispatch no handler sees it.
    assert_eq!(
        page(&t.app, &base, &municipal).await.0,
        StatusCode::NOT_FOUND
    );
    act(
        &t.app,
        &format!("{base}/step"),
        &wang,
        "action=dispatch&to=municipal",
    )
    .await;
    // The assigned handler sees the phone; another handler neither sees nor acts.
    let (status, body) = page(&t.app, &base, &municipal).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("13812345678"));
    assert_eq!(
        page(&t.app, &base, &property).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _) = act(&t.app, &format!("{base}/step"), &property, "action=accept").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, inbox) = page(&t.app, "/staff/feedback", &property).await;
    assert!(!inbox.contains(&format!("/staff/feedback/{n}\"")));
    // A handler cannot dispatch or close; the auditor cannot act and sees no
    // personal data; the kitchen has no access.
    let (status, body) = act(
        &t.app,
        &format!("{base}/step"),
        &municipal,
        "action=dispatch&to=property",
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = page(&t.app, &base, &audit).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !body.contains("路灯坏了") && !body.contains("5678"),
        "{body}"
    );
    assert_eq!(
        act(&t.app, &format!("{base}/step"), &audit, "action=close")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        page(&t.app, "/staff/feedback", &chef).await.0,
        StatusCode::FORBIDDEN
    );
    // Staff correct the category; the history keeps it and counts use it.
    let (status, body) = act(
        &t.app,
        &format!("{base}/correct"),
        &wang,
        "field=category&value=roads&reason=是路面问题",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let c = t.store.feedback_case(n).await.unwrap().unwrap();
    assert_eq!(
        (c.category.as_str(), c.reported_category.as_str()),
        ("roads", "lighting")
    );
    let fixes = t.store.feedback_corrections(n).await.unwrap();
    assert_eq!(
        (fixes[0].by.as_str(), fixes[0].why.as_str()),
        ("wang", "是路面问题")
    );
    let (_, _, csv) = fetch(&t.app, page_get("/staff/feedback/cases.csv", &audit)).await;
    assert!(
        csv.contains(",roads,lighting,") && !csv.contains("1381234"),
        "{csv}"
    );
}

/// The members of a JSON object.
fn members(v: &Value) -> &[(String, Value)] {
    let Value::Object(m) = v else { panic!("{v:?}") };
    m
}

/// Checks an object's members against the spec's names and JSON types.
fn shaped(v: &Value, spec: &[(&str, &str)], required: &[&str]) {
    for (k, value) in members(v) {
        let Some((_, kind)) = spec.iter().find(|(name, _)| name == k) else {
            panic!("{k} is not a GeoReport v2 field: {v:?}");
        };
        let ok = *value == Value::Null
            || match *kind {
                "string" => matches!(value, Value::String(_)),
                "number" => matches!(value, Value::Number(_)),
                "boolean" => matches!(value, Value::Bool(_)),
                "array" => matches!(value, Value::Array(_)),
                _ => matches!(value, Value::String(_) | Value::Null),
            };
        assert!(ok, "{k} should be a {kind}: {value:?}");
    }
    for r in required {
        assert!(members(v).iter().any(|(k, _)| k == r), "{r} missing: {v:?}");
    }
}

const REQUEST: &[(&str, &str)] = &[
    ("service_request_id", "string"),
    ("status", "string"),
    ("status_notes", "string"),
    ("service_name", "string"),
    ("service_code", "string"),
    ("description", "string"),
    ("agency_responsible", "string"),
    ("service_notice", "string"),
    ("requested_datetime", "string"),
    ("updated_datetime", "string"),
    ("expected_datetime", "string"),
    ("address", "string"),
    ("address_id", "string"),
    ("zipcode", "string"),
    ("lat", "number"),
    ("long", "number"),
    ("media_url", "string"),
];

fn open311_post(body: &str) -> Request<axum::body::Body> {
    Request::post("/open311/v2/requests.json")
        .header("content-type", "application/x-www-form-urlencoded")
        .extension(peer())
        .body(axum::body::Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn open311_answers_in_the_specs_shape_and_never_with_personal_data() {
    let t = town().await;
    report(&t, "我是张阿姨，3幢门口路灯不亮", "13812345678").await;
    let (status, v) = call(&t.app, get("/open311/v2/services.json", None)).await;
    assert_eq!(status, StatusCode::OK);
    let Value::Array(services) = &v else {
        panic!("{v:?}")
    };
    assert_eq!(services.len(), 8);
    let service = [
        ("service_code", "string"),
        ("service_name", "string"),
        ("description", "string"),
        ("metadata", "boolean"),
        ("type", "string"),
        ("keywords", "string"),
        ("group", "string"),
    ];
    for s in services {
        shaped(
            s,
            &service,
            &["service_code", "service_name", "metadata", "type"],
        );
    }
    let (status, def) = call(&t.app, get("/open311/v2/services/lighting.json", None)).await;
    assert_eq!(status, StatusCode::OK);
    shaped(
        &def,
        &[("service_code", "string"), ("attributes", "array")],
        &["service_code", "attributes"],
    );
    let (status, list) = call(&t.app, get("/open311/v2/requests.json", None)).await;
    assert_eq!(status, StatusCode::OK);
    let Value::Array(requests) = &list else {
        panic!("{list:?}")
    };
    assert_eq!(requests.len(), 1);
    shaped(
        &requests[0],
        REQUEST,
        &[
            "service_request_id",
            "status",
            "service_code",
            "requested_datetime",
        ],
    );
    let text = json::to_string(&list);
    for personal in ["张阿姨", "1381234", "phone", "email", "first_name"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    // What the resident wrote is not published: the field is there, empty.
    let Value::Object(m) = &requests[0] else {
        panic!()
    };
    assert!(m
        .iter()
        .any(|(k, v)| k == "description" && *v == Value::Null));
    assert_eq!(field(&requests[0], "status"), "open");
    // Bad parameters answer 400 with an error array, never an empty list.
    for bad in [
        "status=pending",
        "start_date=yesterday",
        "service_code=nope",
        "service_request_id=a,b",
        "start_date=2026-12-02&end_date=2026-11-01",
    ] {
        let (status, v) = call(
            &t.app,
            get(&format!("/open311/v2/requests.json?{bad}"), None),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        let Value::Array(errors) = &v else {
            panic!("{v:?}")
        };
        shaped(
            &errors[0],
            &[("code", "number"), ("description", "string")],
            &["code", "description"],
        );
    }
    let (status, _) = call(&t.app, get("/open311/v2/requests.xml", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, v) = call(&t.app, get("/open311/discovery.json", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(json::to_string(&v).contains("GeoReport_v2"));
    // A machine client posts with the key staff issued; the case joins the loop.
    let (status, _) = call(
        &t.app,
        open311_post("service_code=roads&address_string=南门"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let key = t
        .store
        .create_open311_key("12345热线", &Actor::system(), T)
        .await
        .unwrap();
    let (status, v) = call(
        &t.app,
        open311_post(&format!(
            "api_key={key}&service_code=roads&lat=30.27&long=120.15&attribute%5Bplace%5D=%E5%B0%8F%E5%8C%BA%E5%8D%97%E9%97%A8&description=%E4%BA%95%E7%9B%96%E7%A0%B4%E4%BA%86&first_name=%E4%B8%89&last_name=%E5%BC%A0&phone=13900001111"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v:?}");
    let Value::Array(created) = &v else {
        panic!("{v:?}")
    };
    let id = field(&created[0], "service_request_id");
    let c = t
        .store
        .feedback_case(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (c.place.as_str(), c.source.as_str(), c.state),
        ("小区南门", "open311", State::Submitted)
    );
    let wang = staff(&t.store, "wang", Role::Staff, T).await;
    let (_, inbox) = page(&t.app, "/staff/feedback", &wang).await;
    assert!(inbox.contains(&format!("/staff/feedback/{id}\"")));
    let (status, one) = call(
        &t.app,
        get(&format!("/open311/v2/requests/{id}.json"), None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let Value::Array(one) = &one else { panic!() };
    shaped(&one[0], REQUEST, &["service_request_id", "lat", "long"]);
    assert!(!json::to_string(&one[0]).contains("13900001111"));
    // A bad attribute value is refused, located.
    let (status, v) = call(
        &t.app,
        open311_post(&format!(
            "api_key={key}&service_code=roads&attribute%5Bplace%5D=nowhere"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v:?}");
    assert!(json::to_string(&v).contains("attribute[place]"));
}

#[tokio::test]
async fn a_case_with_coordinates_after_ones_without_is_stored_on_either_engine() {
    // sqlx's Any driver types a NULL double as float4 on PostgreSQL; a statement
    // cached with it would refuse a coordinate later on the same connection.
    let t = town().await;
    for i in 0..6 {
        let coords = (i % 2 == 1).then_some((30.27 + f64::from(i), 120.15));
        let new = linli_server::feedback::NewCase {
            source: "open311",
            category: "roads".into(),
            place: "南门".into(),
            description: "井盖缺失".into(),
            lat: coords.map(|c| c.0),
            lon: coords.map(|c| c.1),
            ..Default::default()
        };
        let id = t
            .store
            .write_tx(async |tx| {
                linli_server::feedback::store::insert_case(tx, &new, &Actor::system(), T).await
            })
            .await
            .unwrap();
        let c = t.store.feedback_case(id).await.unwrap().unwrap();
        assert_eq!(c.lat.zip(c.lon), coords);
    }
}
