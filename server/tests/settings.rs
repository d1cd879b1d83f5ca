//! Brand and settings from the console: every field edited through the page's own
//! form, each bad value refused beside its field with nothing saved, versions,
//! publishing (the app's files change with it) and rollback, all audited; who may.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::{header, StatusCode};
use axum::Router;
use common::*;
use linli_core::Role;
use linli_server::app::Site;
use linli_server::router;

const QINGSHAN: &str = include_str!("../../examples/qingshan/config.json");

/// A server on a database that took over qingshan's config.json, with a build folder.
async fn settings_fixture() -> (Fixture, Router, TempDir) {
    let f = fixture().await;
    f.store
        .import_config(QINGSHAN, "导入 config.json", T0)
        .await
        .unwrap();
    let build = temp_dir();
    std::fs::write(
        build.join("index.html"),
        include_str!("../../www/index.html"),
    )
    .unwrap();
    std::fs::write(build.join("linli-shell-0123456789abcdef_bg.wasm"), b"wasm").unwrap();
    let site = Arc::new(Site::new(Some(build.to_path_buf())));
    site.load(&f.store).await.unwrap();
    let mut state = f.state.clone();
    state.scenarios = linli_server::scenarios::registered(&site, Vec::new());
    state.site = site;
    let app = router(state);
    (f, app, build)
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in a tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(unescape(&tag[at..at + tag[at..].find('"')?]))
}

/// The settings form's fields as the page fills them (inputs, ticked boxes, selected
/// options, textareas), as a browser would send them back.
fn form_fields(html: &str) -> BTreeMap<String, String> {
    let form_start = html.find("action=\"/staff/settings\"").unwrap();
    let form = &html[form_start..form_start + html[form_start..].find("</form>").unwrap()];
    let mut out = BTreeMap::new();
    for part in form.split('<').skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        if tag.starts_with("input ") {
            let Some(name) = attr(tag, "name") else {
                continue;
            };
            let checkbox = attr(tag, "type").as_deref() == Some("checkbox");
            if name == "_csrf" || (checkbox && !tag.contains(" checked")) {
                continue;
            }
            out.insert(name, attr(tag, "value").unwrap_or_default());
        } else if tag.starts_with("textarea ") {
            let text = &part[part.find('>').unwrap() + 1..];
            out.insert(attr(tag, "name").unwrap(), unescape(text));
        } else if tag.starts_with("select ") {
            let name = attr(tag, "name").unwrap();
            let end = form[form.find(tag).unwrap()..].find("</select>").unwrap();
            let select = &form[form.find(tag).unwrap()..][..end];
            let chosen = select
                .split("<option ")
                .skip(1)
                .find(|o| o.contains(" selected"))
                .or_else(|| select.split("<option ").nth(1))
                .unwrap();
            out.insert(name, attr(&format!(" {chosen}"), "value").unwrap());
        }
    }
    out
}

fn encode(fields: &BTreeMap<String, String>) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn text(app: &Router, path: &str) -> String {
    fetch(app, get(path, None)).await.2
}

async fn actions(f: &Fixture) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'config.%' ORDER BY seq")
        .fetch_all(f.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn every_field_edited_in_the_console_reaches_the_app_once_published() {
    let (f, app, _build) = settings_fixture().await;
    let s = staff(&f.store, "boss", Role::Admin, T0).await;
    let (status, _, html) = fetch(&app, page_get("/staff/settings", &s)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("第 1 版") || html.contains("version 1"),
        "{html}"
    );
    let mut fields = form_fields(&html);
    assert_eq!(fields["name_zh"], "青山街道");
    assert_eq!(fields["primary"], "#b3261e");
    assert_eq!(fields["slot_1_cutoff"], "15:00");
    assert_eq!(fields["tier_0_amount"], "2.00");
    assert!(fields.contains_key("on_meals"));

    // Every field the page has, changed, and published.
    let sw_before = text(&app, "/sw.js").await;
    for (k, v) in [
        ("name_zh", "青山新街道"),
        ("name_en", "New Qingshan"),
        ("primary", "#1d4ed8"),
        ("on_primary", "#ffffff"),
        ("hotline", "0571-8000 1234"),
        ("privacy_zh", "新的隐私说明"),
        ("privacy_en", "New privacy notice"),
        ("default_language", "en"),
        ("order_forms", "0"),
        ("days_ahead", "5"),
        ("slot_0_zh", "中饭"),
        ("slot_0_cutoff", "10:00"),
        ("slot_1_days_before", "1"),
        ("tier_3_kind", "fixed"),
        ("tier_3_amount", "8"),
        ("note", "换成蓝色"),
        ("action", "publish"),
    ] {
        fields.insert(k.into(), v.into());
    }
    fields.remove("on_voting");
    let (status, headers, _) =
        fetch(&app, page_post("/staff/settings", &s, &encode(&fields))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/staff/settings?published=2");

    let config = linli_core::config::parse(&text(&app, "/config.json").await).unwrap();
    assert_eq!(config.name.zh, "青山新街道");
    assert_eq!(config.name.en.as_deref(), Some("New Qingshan"));
    assert_eq!(config.theme.primary.to_string(), "#1d4ed8");
    assert_eq!(config.hotline, "0571-8000 1234");
    assert_eq!(config.privacy.en.as_deref(), Some("New privacy notice"));
    assert_eq!(config.default_language, linli_core::Lang::En);
    let ids: Vec<&str> = config.scenarios.iter().map(|s| s.id()).collect();
    assert_eq!(ids, ["forms", "meals", "feedback"]);
    let meals = config.meals.unwrap();
    assert_eq!(meals.days_ahead, 5);
    assert_eq!(meals.slots[0].name.zh, "中饭");
    assert_eq!(meals.slots[0].slot.cutoff.minute_of_day, 600);
    assert_eq!(meals.slots[1].slot.cutoff.days_before, 1);
    assert_eq!(
        meals.tiers[3].tier.subsidy,
        linli_core::meals::Subsidy::Fixed(800)
    );
    // The app's own files follow: first paint, manifest, and a new worker version.
    let index = text(&app, "/").await;
    assert!(index.contains("<title>New Qingshan</title>"), "{index}");
    assert!(index.contains("content=\"#1d4ed8\" name=theme-color"));
    assert!(index.contains("<html lang=en>"));
    let manifest = text(&app, "/manifest.webmanifest").await;
    assert!(
        manifest.contains("\"theme_color\": \"#1d4ed8\""),
        "{manifest}"
    );
    let sw_after = text(&app, "/sw.js").await;
    assert_ne!(sw_before, sw_after);
    assert!(sw_after.contains("\"linli-shell-0123456789abcdef_bg.wasm\""));
    assert!(sw_after.contains("\"config.json\""));
    // The header policy is the page's own.
    let (_, h, _) = fetch(&app, get("/", None)).await;
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("'sha256-") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(
        actions(&f).await,
        ["config.import", "config.save", "config.publish"]
    );
}

#[tokio::test]
async fn each_bad_value_is_refused_beside_its_field_and_nothing_is_saved() {
    let (f, app, _build) = settings_fixture().await;
    let s = staff(&f.store, "boss", Role::Admin, T0).await;
    let (_, _, html) = fetch(&app, page_get("/staff/settings", &s)).await;
    let good = form_fields(&html);
    let before = row_counts(&f.store).await;
    for (field, value, said) in [
        ("name_zh", "", "name_zh-error"),
        ("primary", "#f0f0f0", "primary-error"),
        ("hotline", "打电话", "hotline-error"),
        ("default_language", "fr", "default_language-error"),
        ("order_meals", "一", "order_meals-error"),
        ("days_ahead", "30", "days_ahead-error"),
        ("slot_0_cutoff", "9点半", "slot_0_cutoff-error"),
        ("slot_1_id", "lunch", "slot_1_id-error"),
        ("tier_1_amount", "两元", "tier_1_amount-error"),
        ("tier_2_kind", "percent", "tier_2_amount-error"),
        ("note", "", "note-error"),
    ] {
        let mut fields = good.clone();
        fields.insert("note".into(), "试一下".into());
        fields.insert(field.into(), value.into());
        if field == "tier_2_kind" {
            fields.insert("tier_2_amount".into(), "150".into());
        }
        let (status, _, page) =
            fetch(&app, page_post("/staff/settings", &s, &encode(&fields))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}");
        assert!(
            page.contains(&format!("id=\"{said}\"")),
            "{field}={value}: {page}"
        );
        assert!(page.contains("什么都没有保存"), "{field}={value}");
        // What was typed is still there.
        if !value.is_empty() && field != "default_language" && field != "tier_2_kind" {
            assert!(
                page.contains(&format!("value=\"{value}\"")),
                "{field}={value}"
            );
        }
    }
    assert_eq!(row_counts(&f.store).await, before, "nothing saved");
    assert!(linli_core::config::parse(&text(&app, "/config.json").await)
        .unwrap()
        .theme
        .primary
        .to_string()
        .eq("#b3261e"));
}

#[tokio::test]
async fn versions_are_saved_previewed_published_and_rolled_back() {
    let (f, app, _build) = settings_fixture().await;
    let s = staff(&f.store, "boss", Role::Admin, T0).await;
    let (_, _, html) = fetch(&app, page_get("/staff/settings", &s)).await;
    let mut fields = form_fields(&html);
    fields.insert("primary".into(), "#1d4ed8".into());
    fields.insert("note".into(), "蓝色".into());
    fields.insert("action".into(), "save".into());
    let (status, headers, _) =
        fetch(&app, page_post("/staff/settings", &s, &encode(&fields))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/staff/settings?saved=2");
    // Saved, not published: residents still have version 1.
    assert!(text(&app, "/config.json").await.contains("#b3261e"));

    // The preview shows version 2 in two frames, and its files are version 2's.
    let (status, h, page) = fetch(&app, page_get("/staff/settings/2/preview", &s)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("src=\"/staff/preview/2/\""));
    assert!(page.contains("src=\"/staff/preview/2/?elder=1\""));
    assert!(h[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("frame-src 'self'"));
    let (status, h, body) = fetch(&app, page_get("/staff/preview/2/config.json", &s)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("#1d4ed8"));
    assert_eq!(h[header::X_FRAME_OPTIONS], "SAMEORIGIN");
    let (_, h, index) = fetch(&app, page_get("/staff/preview/2/", &s)).await;
    assert!(index.contains("content=\"#1d4ed8\" name=theme-color"));
    // The preview runs on storage of its own, first thing, and offers no install.
    let first_script = index.find("<script>").unwrap();
    assert!(index[first_script..].starts_with(&format!(
        "<script>{}",
        linli_server::pages::settings::ISOLATION
    )));
    assert!(!index.contains("rel=\"manifest\"") && !index.contains("rel=manifest"));
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'self'") && csp.contains("'wasm-unsafe-eval'"));
    assert!(csp.contains(&linli_site::csp::hash_source(
        linli_server::pages::settings::ISOLATION
    )));
    // Whatever the preview's app sends is answered "later", never refused or kept.
    let before = row_counts(&f.store).await;
    for path in [
        "/staff/preview/2/api/v1/submissions",
        "/staff/preview/2/api/v1/devices",
    ] {
        let (status, _, _) = fetch(&app, page_post(path, &s, "{}")).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
    }
    assert_eq!(row_counts(&f.store).await, before);
    let (status, _, _) = fetch(&app, page_get("/staff/preview/2/sw.js", &s)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a preview registers no worker"
    );
    let (status, _, _) = fetch(&app, page_get("/staff/preview/2/../../x", &s)).await;
    assert_ne!(status, StatusCode::OK);
    let (status, _, _) = fetch(&app, get("/staff/preview/2/config.json", None)).await;
    assert_ne!(status, StatusCode::OK, "previews are for signed-in admins");

    let publish = |v: i64| page_post(&format!("/staff/settings/{v}/publish"), &s, "");
    assert_eq!(fetch(&app, publish(2)).await.0, StatusCode::SEE_OTHER);
    assert!(text(&app, "/config.json").await.contains("#1d4ed8"));
    let sw2 = text(&app, "/sw.js").await;
    assert_eq!(fetch(&app, publish(1)).await.0, StatusCode::SEE_OTHER);
    assert!(text(&app, "/config.json").await.contains("#b3261e"));
    assert_ne!(
        text(&app, "/sw.js").await,
        sw2,
        "a rollback is offered as an update too"
    );
    // Publishing the version in force again changes nothing.
    assert_eq!(fetch(&app, publish(1)).await.0, StatusCode::SEE_OTHER);
    assert_eq!(fetch(&app, publish(9)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        actions(&f).await,
        [
            "config.import",
            "config.save",
            "config.publish",
            "config.rollback"
        ]
    );
    // The history: version 1 in use, version 2 (with its note) offered to publish.
    let (_, _, html) = fetch(&app, page_get("/staff/settings", &s)).await;
    let row = |v: &str| {
        let at = html.find(&format!("data-version=\"{v}\"")).unwrap();
        html[at..at + html[at..].find("</tr>").unwrap()].to_owned()
    };
    assert!(row("1").contains("使用中"));
    assert!(row("2").contains("蓝色") && row("2").contains("/staff/settings/2/publish"));
}

#[tokio::test]
async fn only_admins_change_settings_and_every_post_needs_the_token() {
    let (f, app, _build) = settings_fixture().await;
    for role in [Role::Staff, Role::Kitchen, Role::Auditor, Role::Handler] {
        let s = staff(&f.store, &format!("u{}", role.id()), role, T0).await;
        let (status, _, _) = fetch(&app, page_get("/staff/settings", &s)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
        let (status, _, _) = fetch(&app, page_post("/staff/settings/1/publish", &s, "")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
        let (status, _, _) = fetch(&app, page_get("/staff/preview/1/config.json", &s)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
    }
    let s = staff(&f.store, "boss", Role::Admin, T0).await;
    let forged = page_post("/staff/settings/1/publish", &s, "");
    let (parts, _) = forged.into_parts();
    let without_token = axum::http::Request::from_parts(parts, axum::body::Body::from(""));
    let (status, _, _) = fetch(&app, without_token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The settings form sent as a browser sends it (multipart), with `file` as a new
/// logo and a note.
async fn upload(
    app: &Router,
    s: &Session,
    file: &[u8],
    token: bool,
) -> axum::http::Request<axum::body::Body> {
    let (_, _, html) = fetch(app, page_get("/staff/settings", s)).await;
    let mut fields = form_fields(&html);
    fields.insert("note".into(), "新标志".into());
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), None, v.as_bytes()))
        .collect();
    parts.push(("logo_file", Some("logo.svg"), file));
    multipart_post("/staff/settings", s, &parts, token)
}

const SVG_WITH_SCRIPT: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" onload="alert(1)"><script>alert(document.cookie)</script><rect width="64" height="64" fill="#1d4ed8"/></svg>"##;

#[tokio::test]
async fn an_uploaded_logo_is_drawn_again_and_its_icons_reach_the_manifest_once_published() {
    let (f, app, _build) = settings_fixture().await;
    let s = staff(&f.store, "boss", Role::Admin, T0).await;
    let icon_before = fetch(&app, get("/icons/icon-192.png", None)).await.2;
    let (status, headers, _) = fetch(&app, upload(&app, &s, SVG_WITH_SCRIPT, true).await).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/staff/settings?saved=2");
    let body = f.store.config_body(2).await.unwrap().unwrap();
    let logo = linli_core::config::parse(&body).unwrap().logo;
    assert!(
        logo.starts_with("brand/logo-") && logo.ends_with(".png"),
        "{logo}"
    );
    // The page it goes back to shows the new logo, from the version not yet published.
    let (_, _, html) = fetch(&app, page_get("/staff/settings?saved=2", &s)).await;
    assert!(html.contains(&format!("src=\"/staff/preview/2/{logo}\"")));

    let (status, _, _) = fetch(&app, page_post("/staff/settings/2/publish", &s, "")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, h, png) = fetch(&app, get(&format!("/{logo}"), None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "image/png");
    assert!(!png.contains("script") && !png.contains("alert"));
    let (status, h, icon) = fetch(&app, get("/icons/icon-192.png", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "image/png");
    assert_ne!(icon, icon_before, "the icon is drawn from the new logo");
    assert!(text(&app, "/sw.js").await.contains(&format!("\"{logo}\"")));
}

#[tokio::test]
async fn a_bad_logo_is_refused_beside_its_field_and_an_upload_needs_the_token() {
    let (f, app, _build) = settings_fixture().await;
    let s = staff(&f.store, "boss", Role::Admin, T0).await;
    let clerk = staff(&f.store, "clerk", Role::Staff, T0).await;
    let before = row_counts(&f.store).await;
    for file in [
        &b"GIF89a"[..],
        b"<svg xmlns='http://www.w3.org/2000/svg'><rect",
        "<svg xmlns='http://www.w3.org/2000/svg'><text>青湖</text></svg>".as_bytes(),
    ] {
        let (status, _, page) = fetch(&app, upload(&app, &s, file, true).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("id=\"logo-error\""), "{page}");
    }
    let (status, _, _) = fetch(&app, upload(&app, &s, SVG_WITH_SCRIPT, false).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let not_admin = multipart_post(
        "/staff/settings",
        &clerk,
        &[("logo_file", Some("logo.svg"), SVG_WITH_SCRIPT)],
        true,
    );
    let (status, _, _) = fetch(&app, not_admin).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(row_counts(&f.store).await, before, "nothing saved");
}

#[tokio::test]
async fn a_change_starts_from_what_residents_have_and_never_overwrites_a_newer_save() {
    let (f, app, _build) = settings_fixture().await;
    let a = staff(&f.store, "li", Role::Admin, T0).await;
    let b = staff(&f.store, "zhang", Role::Admin, T0).await;
    let (_, _, page_a) = fetch(&app, page_get("/staff/settings", &a)).await;
    let (_, _, page_b) = fetch(&app, page_get("/staff/settings", &b)).await;
    let mut fields_b = form_fields(&page_b);
    fields_b.insert("hotline".into(), "0571-1111 2222".into());
    fields_b.insert("note".into(), "新热线".into());
    let (status, _, _) = fetch(&app, page_post("/staff/settings", &b, &encode(&fields_b))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A's page was made before B saved: A's save would drop B's hotline.
    let mut fields_a = form_fields(&page_a);
    fields_a.insert("primary".into(), "#1d4ed8".into());
    fields_a.insert("note".into(), "蓝色".into());
    let before = row_counts(&f.store).await;
    let (status, _, page) = fetch(&app, page_post("/staff/settings", &a, &encode(&fields_a))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("zhang 保存了第 2 版"), "{page}");
    assert!(page.contains("value=\"#1d4ed8\""), "what A typed is kept");
    assert_eq!(row_counts(&f.store).await, before);

    // After a rollback the form starts from what residents have again.
    let publish = |v: i64| page_post(&format!("/staff/settings/{v}/publish"), &a, "");
    fetch(&app, publish(2)).await;
    fetch(&app, publish(1)).await;
    let (_, _, page) = fetch(&app, page_get("/staff/settings", &a)).await;
    assert_eq!(form_fields(&page)["hotline"], "0571-8765 4321");
    let (_, _, page) = fetch(&app, page_get("/staff/settings?from=2", &a)).await;
    assert_eq!(form_fields(&page)["hotline"], "0571-1111 2222");
}

#[tokio::test]
async fn a_tier_with_elders_in_it_cannot_be_removed() {
    let (f, app, _build) = settings_fixture().await;
    let s = staff(&f.store, "boss", Role::Admin, T0).await;
    let elder = linli_server::meals::NewElder {
        unit_id: f.unit,
        name: "张桂英".into(),
        address: "3幢2单元401".into(),
        route: "A".into(),
        tier: "80plus".into(),
        fulfilment: linli_core::meals::Fulfilment::Delivery,
        needs: Vec::new(),
        allergies: Vec::new(),
        consent: false,
        consent_note: String::new(),
    };
    f.store
        .add_elder(&elder, &linli_server::Actor::system(), T0)
        .await
        .unwrap();
    let (_, _, page) = fetch(&app, page_get("/staff/settings", &s)).await;
    let mut fields = form_fields(&page);
    let row = (0..10)
        .find(|i| fields.get(&format!("tier_{i}_id")).map(String::as_str) == Some("80plus"))
        .unwrap();
    fields.insert(format!("tier_{row}_id"), String::new());
    fields.insert(format!("tier_{row}_zh"), String::new());
    fields.insert("note".into(), "删档".into());
    let (status, _, page) = fetch(&app, page_post("/staff/settings", &s, &encode(&fields))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("补贴档次“80plus”还有登记的老人"), "{page}");
    // Another tier, with no one in it, goes.
    let (_, _, page) = fetch(&app, page_get("/staff/settings", &s)).await;
    let mut fields = form_fields(&page);
    let row = (0..10)
        .find(|i| fields.get(&format!("tier_{i}_id")).map(String::as_str) == Some("dibao"))
        .unwrap();
    fields.insert(format!("tier_{row}_id"), String::new());
    fields.insert(format!("tier_{row}_zh"), String::new());
    fields.insert("note".into(), "删低保档".into());
    let (status, _, _) = fetch(&app, page_post("/staff/settings", &s, &encode(&fields))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn published_files_are_revalidated_by_content_and_a_version_that_cannot_be_served_is_not_published(
) {
    let (f, app, _build) = settings_fixture().await;
    let s = staff(&f.store, "boss", Role::Admin, T0).await;
    let (_, h, _) = fetch(&app, get("/sw.js", None)).await;
    let tag = h[header::ETAG].to_str().unwrap().to_owned();
    let check = axum::http::Request::get("/sw.js")
        .header(header::IF_NONE_MATCH, &tag)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(fetch(&app, check).await.0, StatusCode::NOT_MODIFIED);

    // Saved by an older release, refused by today's rules.
    let bad = QINGSHAN
        .replace("\"#b3261e\"", "\"#b3261f\"")
        .replace("\"#ffffff\"", "\"#b3261e\"");
    let v = f
        .store
        .save_config(&bad, "旧版", &linli_server::Actor::system(), T0)
        .await
        .unwrap();
    let (status, _, page) = fetch(
        &app,
        page_post(&format!("/staff/settings/{v}/publish"), &s, ""),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("这一版不能发布"), "{page}");
    assert_eq!(f.store.published_version().await.unwrap(), Some(1));
    assert!(text(&app, "/config.json").await.contains("#b3261e"));
}

#[tokio::test]
async fn a_second_server_on_the_same_database_follows_a_publication() {
    let (f, app, build) = settings_fixture().await;
    let s = staff(&f.store, "boss", Role::Admin, T0).await;
    // Another instance: its own Site, the same database.
    let other_site = Arc::new(Site::new(Some(build.to_path_buf())));
    other_site.load(&f.store).await.unwrap();
    let mut state = f.state.clone();
    state.site = other_site;
    let other = router(state);
    let (_, _, html) = fetch(&app, page_get("/staff/settings", &s)).await;
    let mut fields = form_fields(&html);
    fields.insert("primary".into(), "#1d4ed8".into());
    fields.insert("note".into(), "蓝色".into());
    fields.insert("action".into(), "publish".into());
    fetch(&app, page_post("/staff/settings", &s, &encode(&fields))).await;
    assert!(text(&other, "/config.json").await.contains("#1d4ed8"));
    assert!(text(&other, "/")
        .await
        .contains("content=\"#1d4ed8\" name=theme-color"));
}

#[tokio::test]
async fn a_new_build_copied_in_while_serving_is_offered_as_an_update() {
    let (_f, app, build) = settings_fixture().await;
    let before = text(&app, "/sw.js").await;
    // A redeployment of the folder: a new build's files and page.
    std::fs::write(
        build.join("linli-shell-fedcba9876543210_bg.wasm"),
        b"new wasm",
    )
    .unwrap();
    let page = std::fs::read_to_string(build.join("index.html")).unwrap();
    std::fs::write(build.join("index.html"), page.replace("正在加载", "加载中")).unwrap();
    let after = text(&app, "/sw.js").await;
    assert_ne!(before, after);
    assert!(after.contains("\"linli-shell-fedcba9876543210_bg.wasm\""));
    assert!(text(&app, "/").await.contains("加载中"));
    // Still branded with the config in force.
    assert!(text(&app, "/").await.contains("<title>青山街道</title>"));
}
