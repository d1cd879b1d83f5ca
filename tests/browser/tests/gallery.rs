//! The widgets gallery mounted in the browser with only the stylesheets the widgets'
//! READMEs list: every widget renders alone, in both languages and both modes.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_gallery_shows_every_widget_alone_in_both_languages_and_modes() {
    install_styles(&[
        TOKENS, BASE, BUTTON, STEPPER, CHOICES, NOTICE, FIELD, DIALOG, MEALS,
    ]);
    let root = mount_point();
    let handle = yew::Renderer::<linli_gallery::Gallery>::with_root(root.clone()).render();
    wait_for(&root, ".ll-meal__dish").await;
    for widget in [
        "switch",
        "read-aloud",
        "stepper",
        "choice-group",
        "meal-ordering",
        "form",
        "form-builder",
    ] {
        assert!(
            root.query_selector(&format!("[data-widget={widget}]"))
                .unwrap()
                .is_some(),
            "{widget} missing"
        );
    }
    assert!(text(&root, "[data-widget=meal-ordering]").contains("为张桂英订餐"));
    assert!(text(&root, "[data-widget=read-aloud]").contains("朗读"));

    // English.
    click(&root.query_selector("[data-lang=en]").unwrap().unwrap());
    settle().await;
    let meals = text(&root, "[data-widget=meal-ordering]");
    assert!(meals.contains("Ordering for 张桂英"), "{meals}");
    assert!(text(&root, "[data-widget=read-aloud]").contains("Read aloud"));

    // 长辈版, switched by the Switch widget itself: larger targets, on <html>.
    let steps = root
        .query_selector(".ll-meal__dish .ll-stepper__step")
        .unwrap()
        .unwrap();
    let normal = computed_px(&steps, "height");
    click(
        &root
            .query_selector("[data-widget=switch] [role=switch]")
            .unwrap()
            .unwrap(),
    );
    settle().await;
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("data-elder")
            .as_deref(),
        Some("true")
    );
    let elder = computed_px(&steps, "height");
    assert!(elder >= 60.0 && elder > normal, "{normal} -> {elder}");
    click(
        &root
            .query_selector("[data-widget=switch] [role=switch]")
            .unwrap()
            .unwrap(),
    );
    settle().await;

    // An order "stored" by the gallery's host, then refused by its pretend server.
    click(&root.query_selector("[data-lang=zh-CN]").unwrap().unwrap());
    settle().await;
    let plus = root
        .query_selector("[data-dish=congee] [data-act=add]")
        .unwrap()
        .unwrap();
    click(&plus);
    settle().await;
    click(&root.query_selector("[data-act=confirm]").unwrap().unwrap());
    settle().await;
    assert!(text(&root, ".ll-meal__message").starts_with("已订好"));
    click(
        &root
            .query_selector("[data-testid=gallery-refuse]")
            .unwrap()
            .unwrap(),
    );
    settle().await;
    assert!(text(&root, ".ll-meal__message.ll-notice--problem").contains("没有订上"));
    unmount(handle, root);
}
