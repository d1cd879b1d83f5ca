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
            pinned,
            expires_at: expires.map(at),
            image: None,
            attachment: None,
        },
        publish_at: at(publish),
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
        .add_notice(
            &posting("water", "2026-12-02 08:00", Some("2026-12-05 00:00"), false),
            &wang,
            T0,
        )
        .await
        .unwrap();
    f.store
        .add_notice(&posting("lift", "2026-12-01 09:00", None, true), &wang, T0)
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
    f.store.add_notice(&p, &wang, T0).await.unwrap();
    f.store.withdraw_notice("gas", &wang, T0 + 1).await.unwrap();
    // Withdrawing again (a second click) changes nothing and is logged once.
    f.store.withdraw_notice("gas", &wang, T0 + 5).await.unwrap();
    // Editing it (a typo fixed) does not bring it back.
    f.store.edit_notice(&p, &wang, T0 + 2).await.unwrap();
    let stored = f.store.notices().await.unwrap();
    assert_eq!(stored[0].withdrawn_at, Some(T0 + 1));
    assert_eq!(stored[0].notice.body.en, None);
    assert_eq!(stored[0].notice.title.en.as_deref(), Some("gas notice"));
    f.clock.set(T0 + 3);
    assert!(listed(&f).await.is_empty());
    let actions: Vec<String> = f
        .store
        .audit_entries()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("notice."))
        .collect();
    assert_eq!(
        actions,
        ["notice.publish", "notice.withdraw", "notice.edit"]
    );
}

#[tokio::test]
async fn a_new_notice_never_writes_over_another_with_the_same_id() {
    let f = fixture().await;
    let wang = Actor::staff("wang", Role::Staff);
    let first = posting("same", "2026-12-01 09:00", None, false);
    f.store.add_notice(&first, &wang, T0).await.unwrap();
    let mut second = posting("same", "2026-12-01 10:00", None, true);
    second.notice.title.zh = "另一条".into();
    assert!(matches!(
        f.store.add_notice(&second, &wang, T0).await,
        Err(StoreError::Exists("notice"))
    ));
    let stored = f.store.notices().await.unwrap();
    assert_eq!(
        (stored.len(), stored[0].notice.title.zh.as_str()),
        (1, "same 通知")
    );
    assert!(matches!(
        f.store
            .edit_notice(
                &posting("other", "2026-12-01 09:00", None, false),
                &wang,
                T0
            )
            .await,
        Err(StoreError::NotFound("notice"))
    ));
}

/// The water notice for 08:00 on 2 December, pinned, in both languages.
fn good_form() -> String {
    form(&[
        ("title_zh", "停水通知"),
        ("title_en", "Water off"),
        ("body_zh", "12月2日停水。"),
        ("publish_at", "2026-12-02T08:00"),
        ("pinned", "yes"),
    ])
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn staff_publish_at_a_local_time_and_withdraw_from_the_console_and_a_refusal_keeps_what_was_typed(
) {
    let f = fixture().await;
    f.clock.set(at("2026-12-01 10:00"));
    let s = common::staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    let before = row_counts(&f.store).await;

    // Coming down before it goes up: refused, the page keeps the form, nothing saved.
    let bad = form(&[
        ("title_zh", "停水通知"),
        ("body_zh", "12月2日停水。"),
        ("publish_at", "2026-12-02T08:00"),
        ("expires_at", "2026-12-02T07:00"),
    ]);
    let (status, _, html) = fetch(&f.app, page_post("/staff/notices", &s, &bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("下架时间要晚于发布时间"), "{html}");
    assert!(html.contains("12月2日停水。"), "what was typed is kept");
    // Each field's problem is named as the form labels it.
    for (fields, says) in [
        (vec![("body_zh", "正文")], "请填写标题（中文）"),
        (
            vec![
                ("title_zh", "标题"),
                ("body_zh", "x"),
                ("publish_at", "明天早上"),
            ],
            "发布时间（不填则立即发布）的格式不对",
        ),
        (
            vec![("title_zh", &"长".repeat(81)[..]), ("body_zh", "x")],
            "最多 80 字",
        ),
        (
            vec![
                ("title_zh", "标题"),
                ("body_zh", "x"),
                ("publish_at", "0226-12-02T08:00"),
            ],
            "发布时间不能早于一天前",
        ),
    ] {
        let (status, _, html) =
            fetch(&f.app, page_post("/staff/notices", &s, &form(&fields))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains(says), "{says}: {html}");
    }
    // Without the form's token: refused, whatever the cookie.
    let (status, _, _) = fetch(
        &f.app,
        page_post(
            "/staff/notices",
            &Session {
                csrf: "0".repeat(64),
                ..s.clone()
            },
            &good_form(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(row_counts(&f.store).await, before, "nothing was saved");
    // A body the browser allowed (line breaks counted once) is not refused as too long.
    let lines = format!("{}\r\n{}", "长".repeat(2_499), "长".repeat(2_500));
    let (status, _, html) = fetch(
        &f.app,
        page_post(
            "/staff/notices",
            &s,
            &form(&[("title_zh", "x"), ("body_zh", &lines)]),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let stored = f.store.notices().await.unwrap();
    assert!(!stored[0].notice.body.zh.contains('\r'));
    f.store
        .withdraw_notice(&stored[0].notice.id, &Actor::system(), f.clock.now())
        .await
        .unwrap();

    // Scheduled for 08:00 tomorrow, Beijing time.
    let (status, _, _) = fetch(&f.app, page_post("/staff/notices", &s, &good_form())).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let stored = f.store.notices().await.unwrap();
    assert_eq!(stored.len(), 2);
    let p = stored
        .iter()
        .find(|p| p.notice.title.zh == "停水通知")
        .unwrap();
    assert_eq!(
        (p.publish_at, p.notice.pinned),
        (at("2026-12-02 08:00"), true)
    );
    assert_eq!(p.notice.title.en.as_deref(), Some("Water off"));
    let (_, _, page) = fetch(&f.app, page_get("/staff/notices", &s)).await;
    assert!(
        page.contains("待发布") && page.contains("2026-12-02 08:00"),
        "{page}"
    );
    assert!(listed(&f).await.is_empty());
    f.clock.set(at("2026-12-02 08:00"));
    assert_eq!(listed(&f).await, std::slice::from_ref(&p.notice.id));

    // Withdrawn from the console (signed in again: a session ends after 12 hours).
    let s = common::staff(&f.store, "wang2", Role::Staff, f.clock.now()).await;
    let path = format!("/staff/notices/{}/withdraw", p.notice.id);
    let (status, h, _) = fetch(&f.app, page_post(&path, &s, "")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(h.get("location").unwrap(), "/staff/notices");
    assert!(listed(&f).await.is_empty());
    let (status, _, _) = fetch(&f.app, page_post("/staff/notices/nope/withdraw", &s, "")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_admins_and_staff_manage_notices() {
    let f = fixture().await;
    for role in [
        Role::Kitchen,
        Role::Auditor,
        Role::Handler,
        Role::Organisation,
    ] {
        let s = common::staff(&f.store, role.id(), role, f.clock.now()).await;
        let (status, _, _) = fetch(&f.app, page_get("/staff/notices", &s)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
        let body = form(&[("title_zh", "x"), ("body_zh", "y")]);
        let (status, _, _) = fetch(&f.app, page_post("/staff/notices", &s, &body)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
        let (status, _, _) = fetch(&f.app, page_post("/staff/notices/x/withdraw", &s, "")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
        let (status, _, _) = fetch(&f.app, page_get("/staff/notices/x/edit", &s)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
        let (status, _, _) = fetch(&f.app, page_post("/staff/notices/x", &s, &body)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
    }
    assert!(f.store.notices().await.unwrap().is_empty());
    let admin = common::staff(&f.store, "boss", Role::Admin, f.clock.now()).await;
    let (status, _, _) = fetch(&f.app, page_get("/staff/notices", &admin)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn config_json_notices_are_taken_over_once_at_the_start_of_their_day_and_never_again() {
    let f = fixture().await;
    let config =
        linli_core::config::parse(include_str!("../../examples/qingshan/config.json")).unwrap();
    let wang = Actor::staff("wang", Role::Staff);
    // Staff already used one of the ids: theirs stays.
    let mut taken = posting("2026-water", "2026-11-30 09:00", None, false);
    taken.notice.title = LocalText::zh("工作人员的停水通知");
    f.store.add_notice(&taken, &wang, T0).await.unwrap();

    let offset = config.utc_offset_minutes();
    let added = f
        .store
        .import_config_notices(&config.notices, offset, T0)
        .await
        .unwrap();
    assert_eq!(added, Some(config.notices.len() - 1));
    // A second start, or a second instance, takes nothing over again, even with
    // notices staff withdrew since.
    let all = f.store.notices().await.unwrap();
    for p in all.iter().filter(|p| p.notice.id != "2026-water") {
        f.store
            .withdraw_notice(&p.notice.id, &wang, T0)
            .await
            .unwrap();
    }
    let again = f
        .store
        .import_config_notices(&config.notices, offset, T0)
        .await;
    assert_eq!(again.unwrap(), None);
    assert_eq!(f.store.notices().await.unwrap().len(), config.notices.len());

    let kept = all.iter().find(|p| p.notice.id == "2026-water").unwrap();
    assert_eq!(kept.notice.title.zh, "工作人员的停水通知");
    for n in config.notices.iter().filter(|n| n.id != "2026-water") {
        let p = all.iter().find(|p| p.notice.id == n.id).unwrap();
        assert_eq!(p.notice, *n, "taken over as written");
        assert_eq!(p.publish_at, at(&format!("{} 00:00", n.date)), "{}", n.id);
    }
    let imports = f
        .store
        .audit_entries()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "notice.import")
        .map(|e| (e.actor, e.subject))
        .collect::<Vec<_>>();
    assert_eq!(imports.len(), config.notices.len() - 1);
    assert!(imports.iter().all(|(actor, _)| actor == "system"));
}

fn camera_jpeg(w: u16, h: u16) -> Vec<u8> {
    let rgb: Vec<u8> = (0..u32::from(w) * u32::from(h))
        .flat_map(|_| [40u8, 120, 200])
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

#[tokio::test]
async fn a_notice_with_a_photo_and_an_attachment_reaches_residents_and_a_refusal_keeps_the_photo() {
    let f = fixture().await;
    f.clock.set(at("2026-12-01 10:00"));
    let s = staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    let photo = camera_jpeg(3000, 2000);
    // No title: refused, the photo kept for the next try.
    let (status, _, page) = fetch(
        &f.app,
        multipart_post(
            "/staff/notices",
            &s,
            &[
                ("body_zh", None, "3幢电梯维修。".as_bytes()),
                (
                    "attachment_zh",
                    None,
                    "维修时间：12月3日9:00–17:00".as_bytes(),
                ),
                ("image", Some("IMG_2041.JPG"), &photo),
            ],
            true,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let kept = page
        .split("name=\"image_kept\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    assert!(
        kept.starts_with("notice-images/notice-") && kept.ends_with(".jpg"),
        "{kept}"
    );
    assert!(
        page.contains("维修时间：12月3日9:00–17:00"),
        "the attachment text is kept"
    );

    let (status, _, _) = fetch(
        &f.app,
        multipart_post(
            "/staff/notices",
            &s,
            &[
                ("title_zh", None, "电梯维修".as_bytes()),
                ("body_zh", None, "3幢电梯维修。".as_bytes()),
                (
                    "attachment_zh",
                    None,
                    "维修时间：12月3日9:00–17:00".as_bytes(),
                ),
                ("image", Some(""), b""),
                ("image_kept", None, kept.as_bytes()),
            ],
            true,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, body) = call(
        &f.app,
        Request::get("/api/v1/notices").body(Body::empty()).unwrap(),
    )
    .await;
    let notices = linli_core::config::notices_from_value(&body).unwrap();
    let n = notices.iter().find(|n| n.title.zh == "电梯维修").unwrap();
    assert_eq!(n.image.as_deref(), Some(kept.as_str()));
    assert_eq!(
        n.attachment.as_ref().map(|a| a.zh.as_str()),
        Some("维修时间：12月3日9:00–17:00")
    );
    // The photo residents get: small, a JPEG, cached for good.
    let (status, h, _) = fetch(&f.app, get(&format!("/{kept}"), None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[axum::http::header::CONTENT_TYPE], "image/jpeg");
    assert!(h[axum::http::header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let stored = f.store.asset(&kept).await.unwrap().unwrap();
    assert!(
        stored.bytes.len() < photo.len() / 4,
        "{} bytes",
        stored.bytes.len()
    );
    let mut d = jpeg_decoder::Decoder::new(std::io::Cursor::new(&stored.bytes));
    d.read_info().unwrap();
    assert_eq!(d.info().unwrap().width, 1280);
    // Only photo paths are served there.
    let (status, _, _) = fetch(&f.app, get("/notice-images/..%2Fconfig.json", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_file_that_is_not_a_photo_is_refused_beside_its_field_and_nothing_is_published() {
    let f = fixture().await;
    f.clock.set(at("2026-12-01 10:00"));
    let s = staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    let before = row_counts(&f.store).await;
    let (status, _, page) = fetch(
        &f.app,
        multipart_post(
            "/staff/notices",
            &s,
            &[
                ("title_zh", None, "通知".as_bytes()),
                ("body_zh", None, "正文".as_bytes()),
                ("image", Some("x.gif"), b"GIF89a...."),
            ],
            true,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"image-error\""), "{page}");
    assert_eq!(row_counts(&f.store).await, before);
    // Without the token nothing is read at all.
    let (status, _, _) = fetch(
        &f.app,
        multipart_post("/staff/notices", &s, &[("title_zh", None, b"x")], false),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn staff_correct_a_live_notice_keeping_its_time_and_the_change_is_audited() {
    let f = fixture().await;
    f.clock.set(at("2026-12-05 10:00"));
    let s = staff(&f.store, "wang", Role::Staff, f.clock.now()).await;
    let mut p = posting("water", "2026-12-01 08:00", None, false);
    p.notice.image = Some("notice-images/notice-0123456789ab.jpg".into());
    f.store
        .add_notice(
            &p,
            &Actor::staff("wang", Role::Staff),
            at("2026-12-01 07:00"),
        )
        .await
        .unwrap();
    // The form comes filled, times as the browser's field shows them.
    let (status, _, page) = fetch(&f.app, page_get("/staff/notices/water/edit", &s)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("value=\"water 通知\""), "{page}");
    assert!(page.contains("value=\"2026-12-01T08:00\""));
    assert!(page.contains("action=\"/staff/notices/water\""));
    // Four days after it went up its time stays; the typo is fixed, the photo taken off.
    let (status, _, _) = fetch(
        &f.app,
        multipart_post(
            "/staff/notices/water",
            &s,
            &[
                ("title_zh", None, "12月2日停水通知（更正）".as_bytes()),
                ("body_zh", None, "正文已更正。".as_bytes()),
                ("publish_at", None, b"2026-12-01T08:00"),
                ("image_kept", None, b"notice-images/notice-0123456789ab.jpg"),
                ("remove_image", None, b"yes"),
            ],
            true,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let all = f.store.notices().await.unwrap();
    let n = &all.iter().find(|p| p.notice.id == "water").unwrap();
    assert_eq!(n.notice.title.zh, "12月2日停水通知（更正）");
    assert_eq!(n.publish_at, at("2026-12-01 08:00"));
    assert_eq!(n.notice.image, None);
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE subject = 'notice:water' ORDER BY seq",
    )
    .fetch_all(f.store.pool())
    .await
    .unwrap();
    assert_eq!(actions, ["notice.publish", "notice.edit"]);
    // A refusal keeps what was typed and changes nothing.
    let (status, _, page) = fetch(
        &f.app,
        multipart_post(
            "/staff/notices/water",
            &s,
            &[
                ("title_zh", None, b""),
                ("body_zh", None, "新正文".as_bytes()),
                ("publish_at", None, b"2026-12-01T08:00"),
            ],
            true,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("新正文"));
    assert_eq!(
        f.store.notices().await.unwrap()[0].notice.body.zh,
        "正文已更正。"
    );
    let (status, _, _) = fetch(&f.app, page_get("/staff/notices/nope/edit", &s)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
