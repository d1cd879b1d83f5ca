//! Staff accounts, roles and the staff pages, against a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use linli_core::json::Value;
use linli_server::{Actor, Role};
use tower::ServiceExt;

async fn staff_token(f: &Fixture, name: &str, role: Role) -> String {
    f.store
        .add_staff(name, "correct horse 42", role, &Actor::system(), 10)
        .await
        .unwrap();
    let body = format!(r#"{{"username": "{name}", "password": "correct horse 42"}}"#);
    let (status, v) = call(&f.app, post("/api/v1/staff/login", None, &body)).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
    let Value::Object(m) = v else { panic!() };
    let Some((_, Value::String(t))) = m.into_iter().find(|(k, _)| k == "token") else {
        panic!()
    };
    t
}

#[tokio::test]
async fn each_role_gets_what_it_needs_and_no_more() {
    let f = fixture().await;
    let staff = staff_token(&f, "wang", Role::Staff).await;
    let kitchen = staff_token(&f, "chef", Role::Kitchen).await;
    let auditor = staff_token(&f, "audit", Role::Auditor).await;

    let (status, _) = call(&f.app, get("/api/v1/submissions", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, b) = call(&f.app, get("/api/v1/submissions", Some(&kitchen))).await;
    assert_eq!(
        (status, error(&b).code.as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let (status, _) = call(&f.app, get("/api/v1/submissions", Some(&auditor))).await;
    assert_eq!(status, StatusCode::OK);

    // An auditor reads but does not issue codes; staff do.
    let unit = r#"{"label": "7幢301", "building": "7"}"#;
    let (status, _) = call(&f.app, post("/api/v1/units", Some(&auditor), unit)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, v) = call(&f.app, post("/api/v1/units", Some(&staff), unit)).await;
    assert_eq!(status, StatusCode::CREATED);
    let Value::Object(m) = v else { panic!() };
    let Some((_, Value::Number(id))) = m.into_iter().find(|(k, _)| k == "id") else {
        panic!()
    };
    let path = format!("/api/v1/units/{id}/code");
    let (status, _) = call(&f.app, post(&path, Some(&kitchen), "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, v) = call(&f.app, post(&path, Some(&staff), "")).await;
    assert_eq!(status, StatusCode::CREATED);
    let Value::Object(m) = v else { panic!() };
    let Some((_, Value::String(code))) = m.into_iter().find(|(k, _)| k == "code") else {
        panic!()
    };

    // The resident uses the code staff issued.
    let body = format!(r#"{{"code": "{code}", "device": "phone-9"}}"#);
    let (status, _) = call(&f.app, post("/api/v1/devices", None, &body)).await;
    assert_eq!(status, StatusCode::CREATED);
    // A resident's device token is not a staff session.
    let (status, _) = call(&f.app, get("/api/v1/units", Some(&f.token))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_passwords_are_refused_then_rate_limited() {
    let f = fixture().await;
    f.store
        .add_staff("li", "right password", Role::Admin, &Actor::system(), 1)
        .await
        .unwrap();
    let wrong = r#"{"username": "li", "password": "wrong"}"#;
    for _ in 0..5 {
        let (status, _) = call(&f.app, post("/api/v1/staff/login", None, wrong)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let right = r#"{"username": "li", "password": "right password"}"#;
    let (status, b) = call(&f.app, post("/api/v1/staff/login", None, right)).await;
    assert_eq!(
        (status, error(&b).code.as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    let (status, _) = call(
        &f.app,
        post(
            "/api/v1/staff/login",
            None,
            r#"{"username": "nobody", "password": "x"}"#,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn page(
    f: &Fixture,
    request: Request<Body>,
) -> (StatusCode, Option<String>, Option<String>, String) {
    let response = f.app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let header_of = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (cookie, location) = (header_of(header::SET_COOKIE), header_of(header::LOCATION));
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (
        status,
        cookie,
        location,
        String::from_utf8(bytes.to_vec()).unwrap(),
    )
}

fn form(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

fn page_get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn staff_pages_sign_in_list_and_print_codes() {
    let f = fixture().await;
    f.store
        .add_staff("wang", "pw 123456", Role::Staff, &Actor::system(), 1)
        .await
        .unwrap();
    f.store
        .add_staff("chef", "pw 123456", Role::Kitchen, &Actor::system(), 1)
        .await
        .unwrap();

    let (status, _, _, html) = page(&f, Request::get("/staff").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("工作人员登录"));

    let (status, _, _, html) = page(
        &f,
        form("/staff/login", "username=wang&password=nope", None),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html.contains("用户名或密码不正确"));

    let (status, cookie, location, _) = page(
        &f,
        form("/staff/login", "username=wang&password=pw+123456", None),
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/staff/submissions"))
    );
    let cookie = cookie.unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let cookie = cookie.split(';').next().unwrap().to_owned();

    let (status, _, _, html) = page(&f, page_get("/staff/submissions", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("最近收到的提交"));

    let (status, _, _, html) = page(&f, page_get("/staff/units", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("3幢2单元401"));

    let (status, _, _, html) = page(&f, form("/staff/codes", "", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("户码通知单") && html.contains("3幢2单元401"));
    assert_eq!(html.matches("class=\"code\"").count(), 1);

    // The kitchen role may not manage households.
    let (_, kitchen, _, _) = page(
        &f,
        form("/staff/login", "username=chef&password=pw+123456", None),
    )
    .await;
    let kitchen = kitchen.unwrap().split(';').next().unwrap().to_owned();
    let (status, _, _, html) = page(&f, page_get("/staff/units", &kitchen)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("无权"));

    // Without a session, pages send you to sign in.
    let (status, _, location, _) = page(
        &f,
        Request::get("/staff/units").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/staff"))
    );
}
