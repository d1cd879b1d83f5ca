//! The base widgets mounted alone, each with only the stylesheets its README lists.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use linli_widgets::base::{Choice, ChoiceGroup, Stepper};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct StepperHostProps {
    over: Rc<RefCell<Vec<u32>>>,
}

/// A host keeping the value, as an app would.
#[function_component]
fn StepperHost(p: &StepperHostProps) -> Html {
    let value = use_state(|| 1u32);
    let on_change = {
        let value = value.clone();
        Callback::from(move |n| value.set(n))
    };
    let over = p.over.clone();
    let on_over_limit = Callback::from(move |max| over.borrow_mut().push(max));
    html! {
        <Stepper value={*value} min={1} max={3} {on_change} {on_over_limit}
            more_label="多一份" less_label="少一份" />
    }
}

#[wasm_bindgen_test]
async fn a_stepper_keeps_within_its_limits_and_says_when_one_is_met() {
    install_styles(&[TOKENS, STEPPER]);
    let root = mount_point();
    let over = Rc::new(RefCell::new(Vec::new()));
    let handle = yew::Renderer::<StepperHost>::with_root_and_props(
        root.clone(),
        StepperHostProps { over: over.clone() },
    )
    .render();
    let less = wait_for(&root, "[data-act=sub]").await;
    let more = wait_for(&root, "[data-act=add]").await;
    assert!(less.has_attribute("disabled"), "at min");
    assert_eq!(more.get_attribute("aria-label").as_deref(), Some("多一份"));
    click(&more);
    settle().await;
    click(&more);
    settle().await;
    assert_eq!(text(&root, ".ll-stepper__value"), "3");
    assert_eq!(more.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert_eq!(
        root.query_selector(".ll-stepper")
            .unwrap()
            .unwrap()
            .get_attribute("data-state")
            .as_deref(),
        Some("at-max")
    );
    // At the limit a press is an over-limit event, not a change.
    click(&more);
    settle().await;
    assert_eq!(text(&root, ".ll-stepper__value"), "3");
    assert_eq!(*over.borrow(), vec![3]);
    // Its own stylesheet alone makes it a real, round, full-size button.
    assert!(computed_px(&more, "height") >= 44.0);
    click(&less);
    settle().await;
    assert_eq!(text(&root, ".ll-stepper__value"), "2");
    unmount(handle, root);
}

#[function_component]
fn ChoiceHost() -> Html {
    let chosen = use_state(|| Some(1_usize));
    let options = Rc::new(
        [("breakfast", "早餐"), ("lunch", "午餐"), ("dinner", "晚餐")]
            .into_iter()
            .map(|(v, l)| Choice {
                arg: v.into(),
                label: l.into(),
                hint: (v == "lunch").then(|| "09:30 前可订".into()),
                lang: None,
            })
            .collect::<Vec<_>>(),
    );
    let on_select = {
        let chosen = chosen.clone();
        Callback::from(move |v| chosen.set(Some(v)))
    };
    html! {
        <ChoiceGroup legend="餐次" {options} selected={*chosen} {on_select} one_row=true hook="meal" />
    }
}

fn key(el: &web_sys::Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    let e = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    el.dispatch_event(&e).unwrap();
}

#[wasm_bindgen_test]
async fn a_choice_group_is_a_radio_group_the_arrow_keys_move() {
    install_styles(&[TOKENS, CHOICES]);
    let root = mount_point();
    let handle = yew::Renderer::<ChoiceHost>::with_root(root.clone()).render();
    wait_for(&root, "[role=radiogroup]").await;
    let group = root.query_selector("[role=radiogroup]").unwrap().unwrap();
    assert_eq!(group.get_attribute("aria-label").as_deref(), Some("餐次"));
    let state = |v: &str| {
        let b = root
            .query_selector(&format!("[data-arg={v}]"))
            .unwrap()
            .unwrap();
        (
            b.get_attribute("role").unwrap_or_default(),
            b.get_attribute("aria-checked").unwrap_or_default(),
            b.get_attribute("data-state").unwrap_or_default(),
            b.get_attribute("tabindex").unwrap_or_default(),
        )
    };
    assert_eq!(
        state("lunch"),
        ("radio".into(), "true".into(), "on".into(), "0".into())
    );
    assert_eq!(
        state("dinner"),
        ("radio".into(), "false".into(), "off".into(), "-1".into())
    );
    assert!(text(&root, "[data-arg=lunch]").contains("09:30 前可订"));
    // Right moves to dinner; right again wraps to breakfast; left back to dinner.
    let lunch = root.query_selector("[data-arg=lunch]").unwrap().unwrap();
    key(&lunch, "ArrowRight");
    settle().await;
    assert_eq!(state("dinner").1, "true");
    let dinner = root.query_selector("[data-arg=dinner]").unwrap().unwrap();
    assert_eq!(
        document()
            .active_element()
            .map(|e| e.get_attribute("data-arg")),
        Some(Some("dinner".into())),
        "the focus moves with the choice"
    );
    key(&dinner, "ArrowRight");
    settle().await;
    assert_eq!(state("breakfast").1, "true");
    let breakfast = root
        .query_selector("[data-arg=breakfast]")
        .unwrap()
        .unwrap();
    key(&breakfast, "ArrowLeft");
    settle().await;
    assert_eq!(state("dinner").1, "true");
    // A tap chooses too; the chosen one is outlined by its own stylesheet alone.
    click(&lunch);
    settle().await;
    assert_eq!(state("lunch").1, "true");
    let width = web_sys::window()
        .unwrap()
        .get_computed_style(&lunch)
        .unwrap()
        .unwrap()
        .get_property_value("border-top-width")
        .unwrap();
    assert_eq!(width, "2px");
    unmount(handle, root);
}

#[derive(Properties, PartialEq)]
struct LoneHostProps {
    picks: Rc<RefCell<Vec<usize>>>,
}

/// A group of one option, chosen, in another language than the page's.
#[function_component]
fn LoneHost(p: &LoneHostProps) -> Html {
    let options = Rc::new(vec![Choice {
        arg: "en".into(),
        label: "English".into(),
        hint: None,
        lang: Some("en".into()),
    }]);
    let picks = p.picks.clone();
    let on_select = Callback::from(move |i| picks.borrow_mut().push(i));
    html! { <ChoiceGroup legend="语言" {options} selected={Some(0)} {on_select} /> }
}

#[wasm_bindgen_test]
async fn an_arrow_key_on_a_lone_choice_chooses_nothing_again_and_labels_keep_their_language() {
    install_styles(&[TOKENS, CHOICES]);
    let root = mount_point();
    let picks = Rc::new(RefCell::new(Vec::new()));
    let handle = yew::Renderer::<LoneHost>::with_root_and_props(
        root.clone(),
        LoneHostProps {
            picks: picks.clone(),
        },
    )
    .render();
    let only = wait_for(&root, "[data-arg=en]").await;
    assert_eq!(only.get_attribute("lang").as_deref(), Some("en"));
    key(&only, "ArrowRight");
    key(&only, "ArrowUp");
    settle().await;
    assert!(
        picks.borrow().is_empty(),
        "chosen again: {:?}",
        picks.borrow()
    );
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn a_button_is_a_full_size_target_and_primary_is_filled() {
    use linli_widgets::base::Button;
    install_styles(&[TOKENS, BUTTON]);
    let root = mount_point();
    #[function_component]
    fn Host() -> Html {
        let pressed = use_state(|| 0);
        let onclick = {
            let pressed = pressed.clone();
            Callback::from(move |_| pressed.set(*pressed + 1))
        };
        html! {
            <>
                <Button primary=true {onclick} hook="go">{ "确认" }</Button>
                <Button disabled=true>{ "不可用" }</Button>
                <output>{ *pressed }</output>
            </>
        }
    }
    let handle = yew::Renderer::<Host>::with_root(root.clone()).render();
    let go = wait_for(&root, "[data-act=go]").await;
    assert!(go.class_list().contains("ll-button--primary"));
    assert!(computed_px(&go, "min-height") >= 44.0);
    click(&go);
    settle().await;
    assert_eq!(text(&root, "output"), "1");
    assert!(root.query_selector("button[disabled]").unwrap().is_some());
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn a_notice_is_a_status_or_an_alert_and_a_problem_is_marked_not_only_coloured() {
    use linli_widgets::base::{Notice, NoticeKind};
    install_styles(&[TOKENS, NOTICE]);
    let root = mount_point();
    #[function_component]
    fn Host() -> Html {
        html! {
            <>
                <Notice>{ "已保存" }</Notice>
                <Notice kind={NoticeKind::Problem}>{ "没有保存" }</Notice>
            </>
        }
    }
    let handle = yew::Renderer::<Host>::with_root(root.clone()).render();
    let info = wait_for(&root, "[data-state=info]").await;
    assert_eq!(info.get_attribute("role").as_deref(), Some("status"));
    let problem = wait_for(&root, "[data-state=problem]").await;
    assert_eq!(problem.get_attribute("role").as_deref(), Some("alert"));
    let marker = web_sys::window()
        .unwrap()
        .get_computed_style_with_pseudo_elt(&problem, "::before")
        .unwrap()
        .unwrap()
        .get_property_value("content")
        .unwrap();
    assert!(marker.contains('⚠'), "{marker}");
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn a_field_labels_its_input_and_announces_an_error() {
    use linli_widgets::base::{described_by, Field};
    install_styles(&[TOKENS, FIELD]);
    let root = mount_point();
    #[function_component]
    fn Host() -> Html {
        let error = use_state(|| None::<AttrValue>);
        let onclick = {
            let error = error.clone();
            Callback::from(move |_: MouseEvent| error.set(Some("户码是 8 位".into())))
        };
        html! {
            <>
                <Field id="code" label="户码" hint="8 位字母和数字" error={(*error).clone()}>
                    <input id="code" aria-describedby={described_by("code")} />
                </Field>
                <button id="check" {onclick}>{ "check" }</button>
            </>
        }
    }
    let handle = yew::Renderer::<Host>::with_root(root.clone()).render();
    let label = wait_for(&root, ".ll-field__label").await;
    assert_eq!(label.get_attribute("for").as_deref(), Some("code"));
    let alert = root.query_selector("#code-error").unwrap().unwrap();
    assert_eq!(alert.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        text(&root, "#code-error"),
        "",
        "no error yet, but the live region is there"
    );
    assert_eq!(text(&root, "#code-hint"), "8 位字母和数字");
    click(&root.query_selector("#check").unwrap().unwrap());
    settle().await;
    assert_eq!(text(&root, "#code-error"), "⚠ 户码是 8 位");
    assert!(root.query_selector(".ll-field--error").unwrap().is_some());
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn a_dialog_keeps_the_focus_inside_and_closes_where_it_was_put() {
    use linli_widgets::base::{CloseAt, Dialog};
    install_styles(&[TOKENS, BUTTON, DIALOG]);
    #[derive(Properties, PartialEq)]
    struct HostProps {
        at: CloseAt,
    }
    #[function_component]
    fn Host(p: &HostProps) -> Html {
        let open = use_state(|| true);
        let on_close = {
            let open = open.clone();
            Callback::from(move |_| open.set(false))
        };
        html! {
            <>
                <button id="outside">{ "outside" }</button>
                <Dialog open={*open} title="确认取消？" close_label="关闭" {on_close} close_at={p.at}>
                    <button id="inside">{ "确定" }</button>
                </Dialog>
            </>
        }
    }
    for (at, class) in [
        (CloseAt::TopLeft, "ll-dialog--close-top-left"),
        (CloseAt::TopRight, "ll-dialog--close-top-right"),
        (CloseAt::BottomCentre, "ll-dialog--close-bottom"),
    ] {
        let root = mount_point();
        let handle =
            yew::Renderer::<Host>::with_root_and_props(root.clone(), HostProps { at }).render();
        let dialog = wait_for(&root, "[role=dialog]").await;
        settle().await;
        assert!(dialog.class_list().contains(class));
        assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
        let active = || {
            document().active_element().and_then(|e| {
                e.get_attribute("id")
                    .or_else(|| e.get_attribute("data-act"))
            })
        };
        // The focus starts inside; Tab from the last control wraps to the first.
        let first = active();
        assert!(
            first.as_deref() == Some("close") || first.as_deref() == Some("inside"),
            "{first:?}"
        );
        let last = if at == CloseAt::BottomCentre {
            "close"
        } else {
            "inside"
        };
        let last_el = dialog
            .query_selector(if last == "close" {
                "[data-act=close]"
            } else {
                "#inside"
            })
            .unwrap()
            .unwrap();
        wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&last_el)
            .unwrap()
            .focus()
            .unwrap();
        key(&last_el, "Tab");
        settle().await;
        assert_ne!(active().as_deref(), Some("outside"));
        assert_ne!(
            active().as_deref(),
            Some(last),
            "Tab wrapped to the first control"
        );
        // Escape closes.
        key(&dialog, "Escape");
        settle().await;
        assert!(root.query_selector("[role=dialog]").unwrap().is_none());
        unmount(handle, root);
    }
}

#[wasm_bindgen_test]
async fn read_aloud_is_a_full_size_button_that_says_its_state() {
    use linli_core::Lang;
    use linli_widgets::base::ReadAloud;
    install_styles(&[TOKENS, READ_ALOUD]);
    let root = mount_point();
    #[function_component]
    fn Host() -> Html {
        html! { <ReadAloud text="周三停水" lang={Lang::ZhCn} /> }
    }
    let handle = yew::Renderer::<Host>::with_root(root.clone()).render();
    let button = wait_for(&root, ".ll-read-aloud").await;
    assert_eq!(button.get_attribute("data-state").as_deref(), Some("idle"));
    assert_eq!(
        button.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    assert!(text(&root, ".ll-read-aloud").contains("朗读"));
    assert!(computed_px(&button, "min-height") >= 44.0);
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn a_switch_is_a_switch_that_writes_its_state() {
    use linli_core::Lang;
    use linli_widgets::base::Switch;
    install_styles(&[TOKENS, SWITCH]);
    let root = mount_point();
    #[function_component]
    fn Host() -> Html {
        let on = use_state(|| false);
        let on_change = {
            let on = on.clone();
            Callback::from(move |v| on.set(v))
        };
        html! { <Switch label="长辈版" checked={*on} {on_change} lang={Lang::ZhCn} /> }
    }
    let handle = yew::Renderer::<Host>::with_root(root.clone()).render();
    let switch = wait_for(&root, "[role=switch]").await;
    assert_eq!(
        switch.get_attribute("aria-checked").as_deref(),
        Some("false")
    );
    assert!(text(&root, ".ll-switch__state").contains("已关闭"));
    click(&switch);
    settle().await;
    assert_eq!(
        switch.get_attribute("aria-checked").as_deref(),
        Some("true")
    );
    assert!(text(&root, ".ll-switch__state").contains("已开启"));
    unmount(handle, root);
}
