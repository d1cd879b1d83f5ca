//! The shell mounted in a real browser page.
#![cfg(target_arch = "wasm32")]
// A test crate: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::rc::Rc;

use common::*;
use linli_core::config::{self, ShellConfig};
use linli_shell::{load, App, ShellRoot, ShellRootProps};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const QINGSHAN: &str = include_str!("../../../examples/qingshan/config.json");

fn qingshan() -> Rc<ShellConfig> {
    Rc::new(config::parse(QINGSHAN).unwrap())
}

/// The config's notices kept on the phone as the last list from `api/v1/notices`
/// (what `cargo xtask dist` writes for a static deployment), so the shell shows them
/// with no server, from the copy it keeps for offline use.
async fn keep_notices() {
    use linli_core::json::Value;
    let c = config::parse(QINGSHAN).unwrap();
    let list = c
        .notices_newest_first()
        .into_iter()
        .map(linli_core::notices::to_value)
        .collect();
    let value = Value::object(vec![("notices", Value::Array(list))]);
    let storage = linli_shell::storage::Storage::open().await.unwrap();
    storage
        .set_setting(
            linli_shell::notices::LIST_KEY,
            &linli_core::json::to_string(&value),
        )
        .await
        .unwrap();
    storage.close();
}

fn mount_shell(hash: &str) -> (web_sys::Element, yew::AppHandle<ShellRoot>) {
    fresh_visit(hash);
    install_styles(&[
        TOKENS, SHELL, BASE, READ_ALOUD, SWITCH, BUTTON, STEPPER, CHOICES, MEALS,
    ]);
    let root = mount_point();
    let handle = yew::Renderer::<ShellRoot>::with_root_and_props(
        root.clone(),
        ShellRootProps { config: qingshan() },
    )
    .render();
    (root, handle)
}

#[wasm_bindgen_test]
async fn shell_shows_the_deployment_name_brand_and_tiles() {
    let (root, handle) = mount_shell("#/");
    wait_for(&root, ".ll-tiles").await;
    assert_eq!(text(&root, ".ll-header__name"), "青山街道");
    // Tiles for what this build offers: meals, voting, feedback and forms, notices and
    // the hotline.
    let tiles = root.query_selector_all(".ll-tile").unwrap();
    assert_eq!(tiles.length(), 6);
    assert_eq!(
        text(&root, "[data-scenario=forms] .ll-tile__title"),
        "表单问卷"
    );
    assert_eq!(
        text(&root, "[data-scenario=feedback] .ll-tile__title"),
        "诉求反馈"
    );
    assert_eq!(
        text(&root, "[data-scenario=meals] .ll-tile__title"),
        "老年助餐"
    );
    assert_eq!(
        text(&root, "[data-scenario=voting] .ll-tile__title"),
        "业主议事表决"
    );
    let hotline = root.query_selector("a[href^='tel:']").unwrap().unwrap();
    assert_eq!(hotline.get_attribute("href").unwrap(), "tel:057187654321");
    let html = document().document_element().unwrap();
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&html)
        .unwrap()
        .unwrap();
    assert_eq!(
        style
            .get_property_value("--ll-color-primary")
            .unwrap()
            .trim(),
        "#b3261e"
    );
    assert_eq!(document().title(), "青山街道");
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn elder_mode_toggle_enlarges_text_and_targets_and_is_remembered() {
    let (root, handle) = mount_shell("#/");
    let toggle = wait_for(&root, ".ll-header__elder").await;
    let body = document().body().unwrap();
    assert_eq!(computed_px(&body, "font-size"), 16.0);
    click(&toggle);
    settle().await;
    assert!(computed_px(&body, "font-size") >= 18.0);
    assert!(computed_px(&body, "line-height") / computed_px(&body, "font-size") >= 1.3);
    let tab = root.query_selector(".ll-tabbar__tab").unwrap().unwrap();
    assert!(computed_px(&tab, "height") >= 60.0);
    assert!(computed_px(&toggle, "height") >= 60.0);
    let title = root.query_selector(".ll-page__title").unwrap().unwrap();
    assert!(computed_px(&title, "font-size") >= 30.0);
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("linli.elder")
        .unwrap();
    assert_eq!(stored.as_deref(), Some("1"));
    assert_eq!(
        toggle.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn language_switch_on_me_page_turns_the_shell_english() {
    let (root, handle) = mount_shell("#/me");
    let english = wait_for(&root, "[data-act=lang][data-arg=en]").await;
    // Each language's name is said in its own voice (WCAG 3.1.2).
    assert_eq!(english.get_attribute("lang").as_deref(), Some("en"));
    click(&english);
    settle().await;
    assert_eq!(text(&root, ".ll-header__name"), "Qingshan Sub-district");
    assert_eq!(text(&root, ".ll-page__title"), "Me");
    let html = document().document_element().unwrap();
    assert_eq!(html.get_attribute("lang").as_deref(), Some("en"));
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn notice_page_has_read_aloud_and_paragraphs() {
    keep_notices().await;
    let (root, handle) = mount_shell("#/notices/2026-water");
    wait_for(&root, ".ll-notice-page").await;
    assert_eq!(
        text(&root, ".ll-page__title"),
        "12月2日青山三区临时停水通知"
    );
    let button = root.query_selector(".ll-read-aloud").unwrap().unwrap();
    assert!(button.text_content().unwrap().contains("朗读"));
    let paragraphs = root.query_selector_all(".ll-notice-page__body p").unwrap();
    assert_eq!(paragraphs.length(), 2);
    let tab = root
        .query_selector("[aria-current='page']")
        .unwrap()
        .unwrap();
    assert!(tab.text_content().unwrap().contains("公告"));
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn notice_list_is_newest_first_and_can_be_read_aloud() {
    keep_notices().await;
    let (root, handle) = mount_shell("#/notices");
    wait_for(&root, ".ll-cards").await;
    let titles: Vec<String> = (0..3)
        .map(|i| {
            let cards = root.query_selector_all(".ll-card__title").unwrap();
            cards.get(i).unwrap().text_content().unwrap()
        })
        .collect();
    assert_eq!(
        titles,
        [
            "12月2日青山三区临时停水通知",
            "社区卫生服务站周六免费测血压",
            "长者食堂冬季供餐时间调整"
        ]
    );
    assert!(root.query_selector(".ll-read-aloud").unwrap().is_some());
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn with_no_list_ever_had_the_notices_say_they_need_a_connection() {
    linli_shell::storage::Storage::destroy().await.unwrap();
    let (root, handle) = mount_shell("#/notices");
    // No server here and nothing kept: first 正在加载公告…, then what to do, never
    // "暂无公告", which would be untrue.
    let unavailable = "公告要联网后才能查看：请联网后再打开这一页，之后离线也能看到";
    for _ in 0..100 {
        if root
            .query_selector(".ll-empty")
            .unwrap()
            .and_then(|e| e.text_content())
            .as_deref()
            == Some(unavailable)
        {
            break;
        }
        settle().await;
    }
    assert_eq!(text(&root, ".ll-empty"), unavailable);
    unmount(handle, root);
}

#[wasm_bindgen_test]
fn browser_json_parse_and_host_parser_agree() {
    for text in [
        QINGSHAN,
        include_str!("../../../examples/hehua/config.json"),
    ] {
        assert_eq!(load::parse_config(text), config::parse(text));
    }
    let bad = r##"{"id": "x", "name": "n", "logo": "l.svg", "theme": {"primary": "#12"},
        "hotline": "123", "privacy": "p", "scenarios": ["meals", "vot"]}"##;
    let located: Vec<String> = load::parse_config(bad)
        .unwrap_err()
        .errors
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        located,
        [
            r##"theme.primary: "#12" is not a colour (use #RRGGBB or #RGB)"##,
            r#"scenarios[1]: unknown scenario "vot" (known: meals, voting, feedback, forms)"#,
        ]
    );
    let syntax = load::parse_config("{").unwrap_err();
    assert!(
        syntax.to_string().starts_with("is not valid JSON"),
        "{syntax}"
    );
}

#[wasm_bindgen_test]
async fn app_without_a_config_file_says_so_instead_of_a_blank_page() {
    fresh_visit("#/");
    let root = mount_point();
    // The test page has no config.json beside it, so the fetch fails with 404.
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    let problem = wait_for(&root, ".ll-problem").await;
    let message = problem.text_content().unwrap();
    assert!(message.contains("无法加载配置文件"), "{message}");
    assert!(message.contains("404"), "{message}");
    assert!(root.query_selector("button").unwrap().is_some());
    unmount(handle, root);
}
