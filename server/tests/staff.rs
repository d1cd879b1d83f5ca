//! Staff accounts, sessions, the second factor, limits, CSRF and the console's pages,
//! against a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use linli_core::Role;
use linli_server::app::Net;
use linli_server::auth::SecondFactor;
use linli_server::limits::TrustedProxies;
use linli_server::router;

/// A sign-in form post, same-origin.
fn login_form(name: &str, password: &str) -> Request<Body> {
    let body = format!("username={}&password={}", percent(name), percent(password));
    Request::post("/staff/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header(header::HOST, "linli.test")
        .header(header::ORIGIN, "http://linli.test")
        .extension(peer())
        .body(Body::from(body))
        .unwrap()
}

fn location(h: &axum::http::HeaderMap) -> String {
    h.get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The session cookie a response set, as a request's `Cookie` value.
fn set_cookie(h: &axum::http::HeaderMap) -> String {
    h.get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// The fixture with the second factor off (as the demo has it), for the tests of
/// password sign-in itself — backing off, device cookies — which every role's second
/// factor would only lengthen.
async fn password_only() -> Fixture {
    let mut f = fixture().await;
    f.state.demo = true;
    f.app = linli_server::router(f.state.clone());
    f
}

async fn api_login(
    f: &Fixture,
    name: &str,
    password: &str,
    totp: Option<&str>,
) -> (StatusCode, linli_core::json::Value) {
    let totp = totp.map_or(String::new(), |t| format!(r#", "totp": "{t}""#));
    let body = format!(r#"{{"username": "{name}", "password": "{password}"{totp}}}"#);
    call(&f.app, post("/api/v1/staff/login", None, &body)).await
}

#[tokio::test]
async fn each_role_gets_what_it_needs_and_no_more() {
    let f = fixture().await;
    let now = f.clock.now();
    let staff = staff(&f.store, "wang", Role::Staff, now).await.token;
    let kitchen = common::staff(&f.store, "chef", Role::Kitchen, now)
        .await
        .token;
    let auditor = common::staff(&f.store, "audit", Role::Auditor, now)
        .await
        .token;

    let (status, _) = call(&f.app, get("/api/v1/submissions", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, b) = call(&f.app, get("/api/v1/submissions", Some(&kitchen))).await;
    assert_eq!(
        (status, error(&b).code.as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let (status, v) = call(&f.app, get("/api/v1/submissions", Some(&auditor))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !linli_core::json::to_string(&v).contains("\"payload\":{"),
        "{v:?}"
    );
    // The households' labels are not the auditor's to list.
    assert_eq!(
        call(&f.app, get("/api/v1/units", Some(&auditor))).await.0,
        StatusCode::FORBIDDEN
    );

    // An auditor reads but does not create households; staff do.
    let unit = r#"{"label": "7幢301", "building": "7"}"#;
    let (status, _) = call(&f.app, post("/api/v1/units", Some(&auditor), unit)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, v) = call(&f.app, post("/api/v1/units", Some(&staff), unit)).await;
    assert_eq!(status, StatusCode::CREATED);
    let path = format!("/api/v1/units/{}/code", field(&v, "id"));
    let (status, _) = call(&f.app, post(&path, Some(&kitchen), "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, v) = call(&f.app, post(&path, Some(&staff), "")).await;
    assert_eq!(status, StatusCode::CREATED);
    let code = field(&v, "code");

    let body = format!(r#"{{"code": "{code}", "device": "phone-9"}}"#);
    let (status, _) = call(&f.app, post("/api/v1/devices", None, &body)).await;
    assert_eq!(status, StatusCode::CREATED);
    // A resident's device token is not a staff session, and the console's cookie is
    // not an API credential.
    let (status, _) = call(&f.app, get("/api/v1/units", Some(&f.token))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let r = Request::get("/api/v1/units")
        .header(header::COOKIE, format!("linli_staff={staff}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&f.app, r).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_failed_login_backs_off_the_account_without_locking_out_its_owner() {
    let f = password_only().await;
    common::staff(&f.store, "li", Role::Organisation, f.clock.now()).await;
    for _ in 0..5 {
        assert_eq!(
            api_login(&f, "li", "wrong", None).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, b) = api_login(&f, "li", PASSWORD, None).await;
    assert_eq!(
        (status, error(&b).code.as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    f.clock.advance(1_000);
    assert_eq!(api_login(&f, "li", PASSWORD, None).await.0, StatusCode::OK);
    // An unknown name answers like a wrong password.
    assert_eq!(
        api_login(&f, "nobody", "x", None).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_stranger_guessing_from_elsewhere_does_not_lock_the_owner_out() {
    let f = password_only().await;
    common::staff(&f.store, "li", Role::Organisation, f.clock.now()).await;
    let from = |addr: [u8; 4], password: &str| {
        Request::post("/api/v1/staff/login")
            .header("content-type", "application/json")
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                addr, 4000,
            ))))
            .body(Body::from(format!(
                r#"{{"username": "li", "password": "{password}"}}"#
            )))
            .unwrap()
    };
    // The stranger keeps trying whenever allowed, for a while.
    for _ in 0..12 {
        let (status, _) = call(&f.app, from([198, 51, 100, 9], "guess")).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            f.clock.advance(60_000);
        }
    }
    let (status, v) = call(&f.app, from([192, 0, 2, 1], PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "{v:?}");
}

#[tokio::test]
async fn a_browser_that_signed_in_before_is_not_locked_out_by_guessing_from_many_addresses() {
    let f = password_only().await;
    common::staff(&f.store, "li", Role::Organisation, f.clock.now()).await;
    common::staff(&f.store, "zhao", Role::Organisation, f.clock.now()).await;
    let from = |addr: [u8; 4], name: &str, password: &str, device: &str| {
        let device = if device.is_empty() {
            String::new()
        } else {
            format!(r#", "device": "{device}""#)
        };
        Request::post("/api/v1/staff/login")
            .header("content-type", "application/json")
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                addr, 4000,
            ))))
            .body(Body::from(format!(
                r#"{{"username": "{name}", "password": "{password}"{device}}}"#
            )))
            .unwrap()
    };
    let (status, v) = call(&f.app, from([192, 0, 2, 1], "li", PASSWORD, "")).await;
    assert_eq!(status, StatusCode::OK);
    let device = field(&v, "device");
    let (_, v) = call(&f.app, from([192, 0, 2, 2], "zhao", PASSWORD, "")).await;
    let zhaos = field(&v, "device");
    // Strangers: 25 addresses, 5 wrong passwords each, past the account's ceiling.
    for i in 0..25u8 {
        for _ in 0..5 {
            call(&f.app, from([198, 51, 100, i], "li", "guess", "")).await;
        }
    }
    let fresh = [203, 0, 113, 5];
    assert_eq!(
        call(&f.app, from(fresh, "li", PASSWORD, "")).await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "a browser that never signed in waits"
    );
    let (status, v) = call(&f.app, from(fresh, "li", PASSWORD, &device)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the owner's browser signs in: {v:?}"
    );
    // Another account's cookie, or a forged one, is no cookie.
    // A forged one: the last hex digit changed (to "0", or "1" if it was "0" already:
    // a fixed "0" matched the real cookie one time in sixteen).
    let last = if device.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &device[..device.len() - 1]);
    assert_ne!(forged, device);
    for other in [zhaos.as_str(), forged.as_str()] {
        assert_eq!(
            call(&f.app, from(fresh, "li", PASSWORD, other)).await.0,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    // A stolen cookie is still limited on its own: 5 free, then back off.
    for _ in 0..5 {
        let status = call(&f.app, from([203, 0, 113, 9], "li", "guess", &device))
            .await
            .0;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        call(&f.app, from([203, 0, 113, 9], "li", "guess", &device))
            .await
            .0,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_password_change_retires_the_device_cookies_of_the_old_password() {
    let f = password_only().await;
    let s = common::staff(&f.store, "li", Role::Organisation, f.clock.now()).await;
    let from = |addr: [u8; 4], password: &str, device: &str| {
        Request::post("/api/v1/staff/login")
            .header("content-type", "application/json")
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                addr, 4000,
            ))))
            .body(Body::from(format!(
                r#"{{"username": "li", "password": "{password}", "device": "{device}"}}"#
            )))
            .unwrap()
    };
    let (_, v) = call(&f.app, from([192, 0, 2, 1], PASSWORD, "x")).await;
    let old = field(&v, "device");
    // The member changes the password in the console: that browser gets a new cookie.
    f.clock.advance(1_000);
    let new_password = "another-long-passphrase";
    let (status, h, _) = fetch(
        &f.app,
        page_post(
            "/staff/account/password",
            &s,
            &format!("current={PASSWORD}&password={new_password}&repeat={new_password}"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let renewed = set_cookie(&h);
    let renewed = renewed
        .strip_prefix("linli_device=")
        .expect("a new device cookie");
    for i in 0..25u8 {
        for _ in 0..5 {
            call(&f.app, from([198, 51, 100, i], "guess", "x")).await;
        }
    }
    let fresh = [203, 0, 113, 5];
    assert_eq!(
        call(&f.app, from(fresh, new_password, &old)).await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "the old password's cookie no longer counts"
    );
    assert_eq!(
        call(&f.app, from(fresh, new_password, renewed)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn signing_in_at_the_console_gives_the_browser_a_device_cookie() {
    let f = password_only().await;
    common::staff(&f.store, "li", Role::Organisation, f.clock.now()).await;
    let (status, h, _) = fetch(&f.app, login_form("li", PASSWORD)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookies: Vec<&str> = h
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(cookies[0].starts_with("linli_staff="), "{cookies:?}");
    let device = cookies
        .iter()
        .find(|c| c.starts_with("linli_device="))
        .expect("a device cookie");
    assert!(device.contains("HttpOnly") && device.contains("SameSite=Strict"));
    assert!(device.contains("Max-Age=15552000"), "{device}");
}

#[tokio::test]
async fn guessing_the_current_password_to_change_it_is_limited_like_signing_in() {
    let f = fixture().await;
    let s = common::staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    let change = |current: &str| {
        page_post(
            "/staff/account/password",
            &s,
            &format!(
                "current={current}&password=a-longer-new-passphrase&repeat=a-longer-new-passphrase"
            ),
        )
    };
    for _ in 0..5 {
        assert_eq!(
            fetch(&f.app, change("guess")).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        fetch(&f.app, change("guess")).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_household_code_expires_after_ninety_days() {
    let f = fixture().await;
    let unit = f
        .store
        .add_unit("6幢601", "6", &linli_server::Actor::system(), 1)
        .await
        .unwrap();
    let code = f
        .store
        .issue_code(unit, &linli_server::Actor::system(), f.clock.now())
        .await
        .unwrap();
    f.clock.advance(linli_server::store::CODE_VALID_MS);
    let body = format!(r#"{{"code": "{code}", "device": "late"}}"#);
    assert_eq!(
        call(&f.app, post("/api/v1/devices", None, &body)).await.0,
        StatusCode::NOT_FOUND
    );
    assert!(
        !f.store
            .unit(unit, f.clock.now())
            .await
            .unwrap()
            .unwrap()
            .code_pending
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_concurrent_wrong_logins_try_at_most_the_limit() {
    let f = fixture().await;
    common::staff(&f.store, "li", Role::Kitchen, f.clock.now()).await;
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let app = f.app.clone();
        let r = post(
            "/api/v1/staff/login",
            None,
            r#"{"username": "li", "password": "wrong"}"#,
        );
        tasks.push(tokio::spawn(async move { call(&app, r).await.0 }));
    }
    let mut tried = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::UNAUTHORIZED => tried += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("{other}"),
        }
    }
    assert!(tried <= 5, "{tried} passwords were tried, the limit is 5");
    println!(
        "40 concurrent wrong logins: {tried} tried, {} refused",
        40 - tried
    );
}

#[tokio::test]
async fn ten_thousand_distinct_usernames_keep_the_limiter_bounded() {
    let f = fixture().await;
    for i in 0..10_000 {
        let name = format!("user{i}-{}", "x".repeat(50));
        let (status, _, _) = fetch(&f.app, login_form(&name, "guess")).await;
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS,
            "{status}"
        );
    }
    // 20 attempts from this address were counted (two keys each) before the address
    // was refused; the other 9,980 left nothing behind.
    let held = f.state.limiter.len(&f.store).await.unwrap();
    assert!(held <= 45, "the limiter holds {held} entries");
    // A username of megabytes is refused before it is hashed or counted.
    let huge = "x".repeat(1_900_000);
    let (status, _, _) = fetch(&f.app, login_form(&huge, "guess")).await;
    assert!(status.is_client_error(), "{status}");
    assert_eq!(f.state.limiter.len(&f.store).await.unwrap(), held);
    println!("10,000 distinct usernames from one address: limiter holds {held} entries");
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_households_wrong_codes_do_not_block_another_address() {
    let f = fixture().await;
    let mut state = f.state.clone();
    state.net = Arc::new(Net {
        trusted: TrustedProxies(vec!["10.0.0.0/8".parse().unwrap()]),
        public_origin: None,
    });
    let app = router(state);
    let from = |client: &str, code: &str| {
        Request::post("/api/v1/devices")
            .header("content-type", "application/json")
            .header("x-forwarded-for", client)
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [10, 0, 0, 1],
                443,
            ))))
            .body(Body::from(format!(
                r#"{{"code": "{code}", "device": "p"}}"#
            )))
            .unwrap()
    };
    for _ in 0..10 {
        assert_eq!(
            call(&app, from("198.51.100.1", "AAAA-AAAA")).await.0,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        call(&app, from("198.51.100.1", "AAAA-AAAA")).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    let unit = f
        .store
        .add_unit("8幢808", "8", &linli_server::Actor::system(), 1)
        .await
        .unwrap();
    let code = f
        .store
        .issue_code(unit, &linli_server::Actor::system(), T0)
        .await
        .unwrap();
    assert_eq!(
        call(&app, from("198.51.100.2", &code)).await.0,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_post_without_the_token_or_from_another_origin_is_refused_and_writes_nothing() {
    let f = fixture().await;
    let s = common::staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    let before = row_counts(&f.store).await;
    let attempts = [
        // The cookie alone, as a form on another site would send it.
        Request::post("/staff/codes")
            .header(header::COOKIE, &s.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("confirm=yes"))
            .unwrap(),
        // Another port of the same host, with a stolen token.
        Request::post("/staff/units")
            .header(header::COOKIE, &s.cookie)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::ORIGIN, "http://127.0.0.1:9999")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "_csrf={}&label=9幢1&building=9",
                s.csrf
            )))
            .unwrap(),
        // A same-site page that is not ours (its browser says so, whatever the Origin).
        Request::post("/staff/units")
            .header(header::COOKIE, &s.cookie)
            .header(header::ORIGIN, "null")
            .header("sec-fetch-site", "same-site")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "_csrf={}&label=9幢2&building=9",
                s.csrf
            )))
            .unwrap(),
        // A wrong token.
        page_post(
            "/staff/units",
            &Session {
                csrf: "0".repeat(64),
                ..s.clone()
            },
            "label=9幢3&building=9",
        ),
    ];
    for r in attempts {
        let (status, _, html) = fetch(&f.app, r).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
        assert!(html.contains("不是从本工作台的页面发出的"));
    }
    assert_eq!(row_counts(&f.store).await, before, "nothing was written");
    let (status, _, _) = fetch(
        &f.app,
        page_post("/staff/units", &s, "label=9%E5%B9%A24&building=9"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_ne!(row_counts(&f.store).await, before);
}

#[tokio::test]
async fn reprinting_every_code_asks_for_confirmation() {
    let f = fixture().await;
    let s = common::staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    let (status, _, html) = fetch(&f.app, page_get("/staff/codes", &s)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("将为全部 1 户重新生成户码"), "{html}");
    let (status, h, _) = fetch(&f.app, page_post("/staff/codes", &s, "")).await;
    assert_eq!(
        (status, location(&h).as_str()),
        (StatusCode::SEE_OTHER, "/staff/codes")
    );
    let (status, _, html) = fetch(&f.app, page_post("/staff/codes", &s, "confirm=yes")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("户码通知单") && html.contains("3幢2单元401"));
    assert_eq!(html.matches("class=\"code\"").count(), 1);
    assert!(!html.contains("onclick"), "no inline script");
}

#[tokio::test]
async fn logout_ends_the_session_for_its_old_token() {
    let f = fixture().await;
    let s = common::staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    assert_eq!(
        fetch(&f.app, page_get("/staff/submissions", &s)).await.0,
        StatusCode::OK
    );
    let (status, h, _) = fetch(&f.app, page_post("/staff/logout", &s, "")).await;
    assert_eq!(
        (status, location(&h).as_str()),
        (StatusCode::SEE_OTHER, "/staff")
    );
    assert!(h[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let (status, h, _) = fetch(&f.app, page_get("/staff/submissions", &s)).await;
    assert_eq!(
        (status, location(&h).as_str()),
        (StatusCode::SEE_OTHER, "/staff")
    );
    // The API's token too.
    let api = common::staff(&f.store, "chef", Role::Kitchen, f.clock.now())
        .await
        .token;
    assert_eq!(
        call(&f.app, post("/api/v1/staff/logout", Some(&api), ""))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&f.app, get("/api/v1/units", Some(&api))).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes_and_twelve_hours() {
    let f = fixture().await;
    let s = common::staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    let open = |s: &Session| fetch(&f.app, page_get("/staff/submissions", s));
    f.clock.advance(29 * 60_000);
    assert_eq!(open(&s).await.0, StatusCode::OK);
    f.clock.advance(31 * 60_000);
    assert_eq!(open(&s).await.0, StatusCode::SEE_OTHER, "30 minutes idle");

    let s = common::staff(&f.store, "li", Role::Staff, f.clock.now()).await;
    for _ in 0..35 {
        f.clock.advance(20 * 60_000);
        assert_eq!(open(&s).await.0, StatusCode::OK);
    }
    // 36 × 20 minutes is 12 hours, though never idle for 30 minutes.
    f.clock.advance(20 * 60_000);
    assert_eq!(open(&s).await.0, StatusCode::SEE_OTHER, "12 hours in all");
}

#[tokio::test]
async fn each_role_lands_on_a_page_it_may_see_and_its_navigation_holds_only_those() {
    let f = fixture().await;
    for role in Role::ALL {
        let s = common::staff(&f.store, role.id(), role, f.clock.now()).await;
        let (status, h, _) = fetch(&f.app, page_get("/staff", &s)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{role:?}");
        let landing = location(&h);
        let (status, _, html) = fetch(&f.app, page_get(&landing, &s)).await;
        assert_eq!(status, StatusCode::OK, "{role:?} lands on {landing}");
        let links: Vec<&str> = html
            .split("<nav aria-label")
            .nth(1)
            .unwrap()
            .split("</nav>")
            .next()
            .unwrap()
            .split("href=\"")
            .skip(1)
            .map(|l| l.split('"').next().unwrap())
            .collect();
        for link in links {
            let (status, _, _) = fetch(&f.app, page_get(link, &s)).await;
            assert_eq!(status, StatusCode::OK, "{role:?} is offered {link}");
        }
    }
}

/// The stored second factor of an account, as its phone would compute it.
async fn factor(f: &Fixture, name: &str) -> SecondFactor {
    let (account, _) = f.store.account_for_login(name).await.unwrap().unwrap();
    let stored = f
        .store
        .totp_state(account.id)
        .await
        .unwrap()
        .secret
        .unwrap();
    SecondFactor::from_stored(f.store.key(), account.id, &stored, &f.state.issuer(), name).unwrap()
}

/// The code for `now` of the secret an enrolment page shows (as text, in groups of
/// four), as the phone that scanned it would compute it.
fn code_from_page(html: &str, now: i64) -> String {
    let shown: String = html
        .split("<code class=\"head\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let secret = totp_rs::Secret::Encoded(shown).to_bytes().unwrap();
    let totp = totp_rs::TOTP::new_unchecked(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        secret,
        None,
        String::new(),
    );
    totp.generate(u64::try_from(now / 1000).unwrap())
}

/// A half-signed-in session from a sign-in form's answer, and its second-factor page.
async fn half_signed_in(f: &Fixture, name: &str, password: &str) -> (String, String, String) {
    let (status, h, _) = fetch(&f.app, login_form(name, password)).await;
    assert_eq!(location(&h), "/staff/second-factor", "{status}");
    let cookie = set_cookie(&h);
    let s = Session {
        cookie: cookie.clone(),
        csrf: String::new(),
        token: String::new(),
    };
    let (status, _, html) = fetch(&f.app, page_get("/staff/second-factor", &s)).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = html
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (cookie, csrf, html)
}

fn send_code(cookie: &str, csrf: &str, code: &str) -> Request<Body> {
    Request::post("/staff/second-factor")
        .header(header::COOKIE, cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .extension(peer())
        .body(Body::from(format!("_csrf={csrf}&code={code}")))
        .unwrap()
}

#[tokio::test]
async fn a_second_factor_being_enrolled_is_shown_to_its_own_session_only() {
    let f = fixture().await;
    let hash = linli_server::auth::hash_now("Qingshan-admin-2026").unwrap();
    let new = linli_server::store::NewAccount {
        username: "li",
        password_hash: &hash,
        role: Role::Admin,
    };
    f.store
        .add_account(&new, &linli_server::Actor::system(), 1)
        .await
        .unwrap();
    // Someone who knows the password signs in first, then the owner.
    let (intruder, intruder_csrf, intruder_page) =
        half_signed_in(&f, "li", "Qingshan-admin-2026").await;
    let (owner, owner_csrf, owner_page) = half_signed_in(&f, "li", "Qingshan-admin-2026").await;
    let now = f.clock.now();
    assert_ne!(
        code_from_page(&intruder_page, now),
        code_from_page(&owner_page, now),
        "each session is shown its own secret"
    );
    // Reloading keeps the session's secret (the phone has scanned it already).
    let s = Session {
        cookie: owner.clone(),
        csrf: String::new(),
        token: String::new(),
    };
    let (_, _, again) = fetch(&f.app, page_get("/staff/second-factor", &s)).await;
    assert_eq!(
        code_from_page(&again, now),
        code_from_page(&owner_page, now)
    );
    // The owner enrols with theirs; the intruder's secret is then worth nothing.
    let (status, h, _) = fetch(
        &f.app,
        send_code(&owner, &owner_csrf, &code_from_page(&owner_page, now)),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_ne!(location(&h), "/staff/second-factor");
    f.clock.advance(30_000);
    let later = f.clock.now();
    let (status, _) = api_login(
        &f,
        "li",
        "Qingshan-admin-2026",
        Some(&code_from_page(&intruder_page, later)),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The other session is told the factor was set up elsewhere, and ends.
    let (status, _, html) = fetch(
        &f.app,
        send_code(
            &intruder,
            &intruder_csrf,
            &code_from_page(&intruder_page, later),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("刚在别处设置好了验证器"), "{html}");
    let (status, _) = api_login(
        &f,
        "li",
        "Qingshan-admin-2026",
        Some(&code_from_page(&owner_page, later)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_admin_enrols_the_second_factor_by_qr_code_and_needs_it_at_every_sign_in() {
    let f = fixture().await;
    let hash = linli_server::auth::hash_now("Qingshan-admin-2026").unwrap();
    f.store
        .add_account(
            &linli_server::store::NewAccount {
                username: "li",
                password_hash: &hash,
                role: Role::Admin,
            },
            &linli_server::Actor::system(),
            1,
        )
        .await
        .unwrap();
    let (pending, csrf, html) = half_signed_in(&f, "li", "Qingshan-admin-2026").await;
    assert!(html.contains("src=\"data:image/svg+xml"), "a QR code");
    let pending_session = Session {
        cookie: pending.clone(),
        csrf: String::new(),
        token: String::new(),
    };
    // Half signed in, no page is open to it.
    let (status, h2, _) = fetch(&f.app, page_get("/staff/accounts", &pending_session)).await;
    assert_eq!(
        (status, location(&h2).as_str()),
        (StatusCode::SEE_OTHER, "/staff")
    );
    let code = code_from_page(&html, f.clock.now());
    let send = |code: &str, cookie: &str| send_code(cookie, &csrf, code);
    let (status, _, html) = fetch(&f.app, send("000000", &pending)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{html}");
    let (status, h, _) = fetch(&f.app, send(&code, &pending)).await;
    assert_eq!(
        (status, location(&h).as_str()),
        (StatusCode::SEE_OTHER, "/staff/submissions")
    );
    let full = set_cookie(&h);
    assert_ne!(full, pending, "a fresh token after the second factor");
    let signed_in = Session {
        cookie: full,
        csrf: String::new(),
        token: String::new(),
    };
    assert_eq!(
        fetch(&f.app, page_get("/staff/accounts", &signed_in))
            .await
            .0,
        StatusCode::OK
    );
    assert!(
        f.store
            .account_for_login("li")
            .await
            .unwrap()
            .unwrap()
            .0
            .totp_enabled
    );

    // The API asks for the code too; the code just used is not accepted twice.
    let (status, b) = api_login(&f, "li", "Qingshan-admin-2026", None).await;
    assert_eq!(
        (status, error(&b).code.as_str()),
        (StatusCode::UNAUTHORIZED, "second_factor")
    );
    let (status, _) = api_login(&f, "li", "Qingshan-admin-2026", Some(&code)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a replayed code");
    f.clock.advance(30_000);
    let next = factor(&f, "li").await.code_at(f.clock.now());
    let (status, v) = api_login(&f, "li", "Qingshan-admin-2026", Some(&next)).await;
    assert_eq!(
        (status, field(&v, "role").as_str()),
        (StatusCode::OK, "admin")
    );
}

#[tokio::test]
async fn passwords_follow_the_policy_on_every_path() {
    let f = fixture().await;
    let admin = common::staff(&f.store, "boss", Role::Admin, f.clock.now()).await;
    let add = |name: &str, role: &str, pw: &str| {
        page_post(
            "/staff/accounts",
            &admin,
            &format!(
                "username={name}&role={role}&password={}&repeat={}",
                percent(pw),
                percent(pw)
            ),
        )
    };
    let (status, _, html) = fetch(&f.app, add("zhao", "admin", "Qingshan-26")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("密码至少要 12 个字符"), "{html}");
    let (status, _, html) = fetch(&f.app, add("zhao", "staff", "Password123")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("常见密码"));
    let (status, _, html) = fetch(&f.app, add("zhao", "staff", "青山街道的早晨有雾")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("已添加账号 zhao"));
    let (status, _, html) = fetch(&f.app, add("zhao", "staff", "青山街道的早晨有雾")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("已有人使用"));
    // One's own change needs the current password.
    let change = |current: &str| {
        page_post(
            "/staff/account/password",
            &admin,
            &format!(
                "current={}&password=a-longer-new-passphrase&repeat=a-longer-new-passphrase",
                percent(current)
            ),
        )
    };
    assert_eq!(
        fetch(&f.app, change("wrong")).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(fetch(&f.app, change(PASSWORD)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn staff_revoke_a_households_device_and_its_token_stops_working() {
    let f = fixture().await;
    let s = common::staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    let (status, _, html) = fetch(&f.app, page_get(&format!("/staff/units/{}", f.unit), &s)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("phone-1"));
    let device = f.store.devices(f.unit).await.unwrap()[0].id;
    assert_eq!(
        call(&f.app, get("/api/v1/updates", Some(&f.token))).await.0,
        StatusCode::OK
    );
    let path = format!("/staff/units/{}/devices/{device}/revoke", f.unit);
    let (status, h, _) = fetch(&f.app, page_post(&path, &s, "")).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "back to the household's page"
    );
    let (_, _, html) = fetch(&f.app, page_get(&location(&h), &s)).await;
    assert!(html.contains("已解除绑定"), "{html}");
    assert_eq!(
        call(&f.app, get("/api/v1/updates", Some(&f.token))).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_auditor_reads_the_trail_and_counts_not_what_residents_wrote() {
    let f = fixture().await;
    let env = linli_core::sync::wire::Envelope {
        id: linli_core::sync::wire::SubmissionId::from_random([9; 16]),
        kind: "test_note".into(),
        payload: linli_core::json::from_str(r#"{"text": "楼道灯坏了，我是王阿姨"}"#).unwrap(),
        created_at: T0 as u64,
        device: "phone-1".into(),
    };
    let body = linli_core::json::to_string(&env.to_value());
    assert_eq!(
        call(&f.app, post("/api/v1/submissions", Some(&f.token), &body))
            .await
            .0,
        StatusCode::OK
    );
    let auditor = common::staff(&f.store, "audit", Role::Auditor, f.clock.now()).await;
    let staff = common::staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    let (_, _, html) = fetch(&f.app, page_get("/staff/submissions", &auditor)).await;
    assert!(
        html.contains("test_note") && !html.contains("王阿姨"),
        "{html}"
    );
    let (_, _, html) = fetch(&f.app, page_get("/staff/submissions", &staff)).await;
    assert!(html.contains("王阿姨"));
    let (status, _, html) = fetch(&f.app, page_get("/staff/audit", &auditor)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("submission.create"));
    let (status, _, html) = fetch(&f.app, page_get("/staff/audit?verify=1", &auditor)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("日志完整"), "{html}");
    assert_eq!(
        fetch(&f.app, page_get("/staff/units", &auditor)).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn staff_pages_work_at_phone_width_without_inline_script_or_style() {
    let f = fixture().await;
    let s = common::staff(&f.store, "boss", Role::Admin, f.clock.now()).await;
    for path in [
        "/staff/submissions",
        "/staff/units",
        "/staff/accounts",
        "/staff/audit",
        "/staff/account",
        "/staff/exports",
    ] {
        let (status, h, html) = fetch(&f.app, page_get(path, &s)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains("name=\"viewport\""), "{path}");
        assert!(
            !html.contains("<script>") && !html.contains("<style") && !html.contains("onclick"),
            "{path}"
        );
        assert_eq!(h[header::CACHE_CONTROL], "no-store");
    }
    let (status, h, css) = fetch(
        &f.app,
        Request::get("/staff/assets/staff.css")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(css.contains("@media (max-width: 640px)"));
}
