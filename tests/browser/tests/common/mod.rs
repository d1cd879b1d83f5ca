//! Mounting helpers for the browser tests (each test file uses some of them).
#![allow(dead_code)]

use std::time::Duration;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// The page the tests run in.
pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element to mount into, appended to `<body>`.
pub fn mount_point() -> Element {
    let el = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

/// Lets yew render and effects run.
pub async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(50)).await;
}

/// Waits until `selector` matches inside `root`, up to about 5 s.
pub async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..100 {
        if let Some(el) = root.query_selector(selector).unwrap() {
            return el;
        }
        settle().await;
    }
    panic!("{selector} never appeared; page: {}", root.inner_html());
}

/// Clicks an element.
pub fn click(el: &Element) {
    el.dyn_ref::<HtmlElement>().unwrap().click();
}

/// Types `value` into the input or textarea at `selector` as a person would: the value
/// changes and an `input` event bubbles (a widget keeps what is typed in its state).
pub fn type_into(root: &Element, selector: &str, value: &str) {
    use wasm_bindgen::JsCast;
    let el = root
        .query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {selector}: {}", root.inner_html()));
    match el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        Some(area) => area.set_value(value),
        None => el
            .dyn_ref::<web_sys::HtmlInputElement>()
            .unwrap_or_else(|| panic!("{selector} is not a text field"))
            .set_value(value),
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", init.unchecked_ref())
        .unwrap_or_else(|_| panic!("no InputEvent"));
    el.dispatch_event(&event).ok();
}

/// Picks `value` in the `<select>` at `selector` as a person would: the value changes
/// and a `change` event bubbles.
pub fn choose(root: &Element, selector: &str, value: &str) {
    use wasm_bindgen::JsCast;
    let el = root
        .query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {selector}: {}", root.inner_html()));
    el.dyn_ref::<web_sys::HtmlSelectElement>()
        .unwrap_or_else(|| panic!("{selector} is not a select"))
        .set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init)
        .unwrap_or_else(|_| panic!("no Event"));
    el.dispatch_event(&event).ok();
}

/// The trimmed text of the first match of `selector`.
pub fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// A computed style property of an element, in pixels.
pub fn computed_px(el: &Element, property: &str) -> f64 {
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(el)
        .unwrap()
        .unwrap();
    let value = style.get_property_value(property).unwrap();
    value
        .trim_end_matches("px")
        .parse()
        .unwrap_or_else(|_| panic!("{property} = {value:?}"))
}

/// Puts exactly these stylesheets on the page (as trunk inlines them), replacing any
/// a previous test put there.
pub fn install_styles(sheets: &[&str]) {
    if let Some(old) = document().get_element_by_id("ll-test-styles") {
        old.remove();
    }
    let style = document().create_element("style").unwrap();
    style.set_id("ll-test-styles");
    style.set_text_content(Some(&sheets.concat()));
    document().head().unwrap().append_child(&style).unwrap();
}

/// The global tokens every stylesheet's variables default to.
pub const TOKENS: &str = include_str!("../../../../www/css/tokens.css");
/// The shell's own stylesheet.
pub const SHELL: &str = include_str!("../../../../www/css/shell.css");
/// The base widgets' stylesheet.
pub const BASE: &str = include_str!("../../../../widgets/src/base/base.css");
/// ReadAloud's stylesheet.
pub const READ_ALOUD: &str = include_str!("../../../../widgets/src/base/read_aloud/read_aloud.css");
/// The switch's stylesheet.
pub const SWITCH: &str = include_str!("../../../../widgets/src/base/switch/switch.css");
/// The button's stylesheet (`.ll-button`).
pub const BUTTON: &str = include_str!("../../../../widgets/src/base/button/button.css");
/// The notice's stylesheet.
pub const NOTICE: &str = include_str!("../../../../widgets/src/base/notice/notice.css");
/// The field's stylesheet.
pub const FIELD: &str = include_str!("../../../../widgets/src/base/field/field.css");
/// The dialog's stylesheet.
pub const DIALOG: &str = include_str!("../../../../widgets/src/base/dialog/dialog.css");
/// The stepper's stylesheet.
pub const STEPPER: &str = include_str!("../../../../widgets/src/base/stepper/stepper.css");
/// The choice group's stylesheet.
pub const CHOICES: &str =
    include_str!("../../../../widgets/src/base/choice_group/choice_group.css");
/// The meals widget's stylesheet.
pub const MEALS: &str = include_str!("../../../../widgets/src/meals/meals.css");
/// The voting widget's stylesheet.
pub const VOTING: &str = include_str!("../../../../widgets/src/voting/voting.css");
/// The feedback widget's stylesheet.
pub const FEEDBACK: &str = include_str!("../../../../widgets/src/feedback/feedback.css");
/// The rating prompt's stylesheet.
pub const EVALUATION: &str = include_str!("../../../../widgets/src/evaluation/evaluation.css");
/// The form renderer's styles.
pub const FORMS: &str = include_str!("../../../../widgets/src/forms/forms.css");

/// Forgets stored preferences and the route, so each test starts as a first visit.
pub fn fresh_visit(hash: &str) {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    window.location().set_hash(hash).unwrap();
    let root = document().document_element().unwrap();
    root.remove_attribute("data-elder").unwrap();
}

/// Unmounts an app and removes its element, so the next test starts clean.
pub fn unmount<C: yew::BaseComponent>(handle: yew::AppHandle<C>, root: Element) {
    handle.destroy();
    root.remove();
}
