//! The form renderer mounted alone, as a developer composes it in their own Yew app:
//! no shell, no storage, no server. A question appears when its skip rule holds and
//! goes when it no longer does; a constraint blocks 提交 with its message at its
//! question; fixed, the answers are emitted once, without the hidden question's answer.
//! And the designer mounted alone: a question added, its skip rule picked, the preview
//! following, the focus where the work goes on.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use linli_core::forms::answers::Answers;
use linli_core::forms::form::{Field, Form, Text, Type};
use linli_core::Lang;
use linli_widgets::forms::builder::FormBuilder;
use linli_widgets::forms::FormView;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn form() -> Rc<Form> {
    let mut pet = Field::new("pet_name", Type::Text, "宠物叫什么");
    pet.relevant = Some("${has_pet} = 'yes'".into());
    let mut age = Field::new("age", Type::Integer, "您的年龄");
    age.required = true;
    age.constraint = Some(". >= 60".into());
    age.constraint_message = Some(Text::zh("本活动只限 60 岁以上的老人"));
    Rc::new(Form {
        id: "pets".into(),
        version: "1".into(),
        title: Text::zh("养宠登记"),
        description: None,
        fields: vec![Field::new("has_pet", Type::YesNo, "家里养宠物吗"), pet, age],
    })
}

#[derive(Properties, PartialEq)]
struct HostProps {
    submitted: Rc<RefCell<Vec<Answers>>>,
}

/// A host keeping the answers in its state (its "draft") and recording submissions.
#[function_component]
fn Host(p: &HostProps) -> Html {
    let answers = use_state(|| Rc::new(Answers::default()));
    let on_change = {
        let answers = answers.clone();
        Callback::from(move |a: Answers| answers.set(Rc::new(a)))
    };
    let on_submit = {
        let submitted = p.submitted.clone();
        Callback::from(move |a: Answers| submitted.borrow_mut().push(a))
    };
    html! {
        <FormView form={form()} answers={(*answers).clone()} lang={Lang::ZhCn}
            today="2026-12-01" {on_change} {on_submit} />
    }
}

#[wasm_bindgen_test]
async fn a_skip_rule_shows_and_hides_a_question_and_a_constraint_blocks_submit() {
    install_styles(&[TOKENS, BASE, BUTTON, FIELD, NOTICE, CHOICES, FORMS]);
    let root = mount_point();
    let submitted = Rc::new(RefCell::new(Vec::new()));
    let handle = yew::Renderer::<Host>::with_root_and_props(
        root.clone(),
        HostProps {
            submitted: submitted.clone(),
        },
    )
    .render();
    wait_for(&root, ".ll-form").await;
    assert!(
        root.query_selector("#ll-form-pet_name").unwrap().is_none(),
        "hidden until 是"
    );
    click(&wait_for(&root, "[data-act=ll-form-has_pet][data-arg=yes]").await);
    wait_for(&root, "#ll-form-pet_name").await;
    type_into(&root, "#ll-form-pet_name", "旺财");
    settle().await;
    // The age breaks the constraint: its message at the question, nothing emitted.
    type_into(&root, "#ll-form-age", "45");
    settle().await;
    assert!(text(&root, "#ll-form-age-error").contains("本活动只限 60 岁以上的老人"));
    click(&wait_for(&root, "[data-act=form-submit]").await);
    settle().await;
    assert!(submitted.borrow().is_empty());
    assert!(text(&root, ".ll-form__problems").contains("还有 1 处需要修改"));
    // Fixed, and 否 after all: the pet's name goes with its question.
    type_into(&root, "#ll-form-age", "72");
    click(&wait_for(&root, "[data-act=ll-form-has_pet][data-arg=no]").await);
    settle().await;
    assert!(root.query_selector("#ll-form-pet_name").unwrap().is_none());
    assert_eq!(text(&root, "#ll-form-age-error"), "");
    click(&wait_for(&root, "[data-act=form-submit]").await);
    settle().await;
    let got = submitted.borrow();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].text("age"), "72");
    assert_eq!(got[0].text("has_pet"), "no");
    assert_eq!(
        got[0].get("pet_name"),
        None,
        "a hidden question has no answer"
    );
    drop(got);
    unmount(handle, root);
}

#[derive(Properties, PartialEq)]
struct ElderProps {
    submitted: Rc<RefCell<Vec<Answers>>>,
}

#[function_component]
fn ElderHost(p: &ElderProps) -> Html {
    let answers = use_state(|| Rc::new(Answers::default()));
    let on_change = {
        let answers = answers.clone();
        Callback::from(move |a: Answers| answers.set(Rc::new(a)))
    };
    let on_submit = {
        let submitted = p.submitted.clone();
        Callback::from(move |a: Answers| submitted.borrow_mut().push(a))
    };
    html! {
        <FormView form={form()} answers={(*answers).clone()} lang={Lang::ZhCn} elder=true
            today="2026-12-01" {on_change} {on_submit} />
    }
}

#[wasm_bindgen_test]
async fn in_elder_mode_each_question_has_its_screen_and_next_waits_for_a_good_answer() {
    install_styles(&[TOKENS, BASE, BUTTON, FIELD, NOTICE, CHOICES, FORMS]);
    document()
        .document_element()
        .unwrap()
        .set_attribute("data-elder", "true")
        .unwrap();
    let root = mount_point();
    let submitted = Rc::new(RefCell::new(Vec::new()));
    let handle = yew::Renderer::<ElderHost>::with_root_and_props(
        root.clone(),
        ElderProps {
            submitted: submitted.clone(),
        },
    )
    .render();
    // 否: the pet's question is skipped, two screens in all.
    assert!(
        text(&wait_for(&root, ".ll-form--elder").await, ".ll-form__step")
            .contains("第 1 题，共 2 题")
    );
    let no = wait_for(&root, "[data-act=ll-form-has_pet][data-arg=no]").await;
    assert!(
        computed_px(&no, "min-height") >= 60.0,
        "60 px targets in 长辈版"
    );
    click(&no);
    settle().await;
    click(&wait_for(&root, "[data-act=form-next]").await);
    settle().await;
    assert!(text(&root, ".ll-form__step").contains("第 2 题，共 2 题"));
    // The new screen's step line has the focus, so a screen reader reads it out.
    assert_eq!(
        document()
            .active_element()
            .map(|e| e.class_name())
            .as_deref(),
        Some("ll-form__step")
    );
    // The age is required: 提交 says so at the question and emits nothing.
    click(&wait_for(&root, "[data-act=form-submit]").await);
    settle().await;
    assert!(text(&root, "#ll-form-age-error").contains("这一题必须回答"));
    assert!(submitted.borrow().is_empty());
    type_into(&root, "#ll-form-age", "80");
    settle().await;
    click(&wait_for(&root, "[data-act=form-back]").await);
    settle().await;
    assert!(text(&root, ".ll-form__step").contains("第 1 题"));
    click(&wait_for(&root, "[data-act=form-next]").await);
    settle().await;
    click(&wait_for(&root, "[data-act=form-submit]").await);
    settle().await;
    assert_eq!(submitted.borrow().len(), 1);
    assert_eq!(submitted.borrow()[0].text("age"), "80");
    document()
        .document_element()
        .unwrap()
        .remove_attribute("data-elder")
        .unwrap();
    unmount(handle, root);
}

#[derive(Properties, PartialEq)]
struct DesignerProps {
    changes: Rc<RefCell<Vec<Form>>>,
}

/// A host keeping the definition in its state, as the console's designer page does,
/// and recording each change.
#[function_component]
fn Designer(p: &DesignerProps) -> Html {
    let form = use_state(|| {
        Rc::new(Form {
            id: "visit".into(),
            version: "0".into(),
            title: Text::zh("探访登记"),
            description: None,
            fields: vec![Field::new("alone", Type::YesNo, "是否独居")],
        })
    });
    let on_change = {
        let (form, changes) = (form.clone(), p.changes.clone());
        Callback::from(move |f: Form| {
            changes.borrow_mut().push(f.clone());
            form.set(Rc::new(f));
        })
    };
    html! { <FormBuilder form={(*form).clone()} lang={Lang::ZhCn} today="2026-12-01" {on_change} /> }
}

fn focused_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_designer_adds_a_question_picks_its_skip_rule_and_the_preview_follows() {
    install_styles(&[TOKENS, BASE, BUTTON, FIELD, NOTICE, CHOICES, FORMS]);
    let root = mount_point();
    let changes = Rc::new(RefCell::new(Vec::new()));
    let handle = yew::Renderer::<Designer>::with_root_and_props(
        root.clone(),
        DesignerProps {
            changes: changes.clone(),
        },
    )
    .render();
    wait_for(&root, ".ll-build").await;
    // A text question, added after the selected one: its first box takes the focus.
    choose(
        &root,
        ".ll-build__design > .ll-build__add [data-edit=add_type]",
        "text",
    );
    click(&wait_for(&root, "[data-act=add]").await);
    wait_for(&root, ".ll-build__item--open[data-name=q1]").await;
    settle().await;
    assert_eq!(focused_id(), "ll-build-1-label");
    type_into(
        &root,
        ".ll-build__item--open [data-edit=label]",
        "陪同人姓名",
    );
    settle().await;
    // 显示条件 picked: the question before it, 等于, 是; the expression shown.
    choose(&root, ".ll-build__item--open [data-edit=shown]", "when");
    settle().await;
    assert_eq!(
        text(&root, ".ll-build__item--open [data-expr=relevant]"),
        "${alone} = 'yes'"
    );
    let last = changes.borrow().last().cloned().unwrap();
    assert_eq!(last.fields[1].relevant.as_deref(), Some("${alone} = 'yes'"));
    assert_eq!(last.fields[1].label.zh, "陪同人姓名");
    // The preview is the residents' renderer: the question only after 是.
    assert!(root
        .query_selector(".ll-build__preview #ll-form-q1")
        .unwrap()
        .is_none());
    click(
        &wait_for(
            &root,
            ".ll-build__preview [data-act=ll-form-alone][data-arg=yes]",
        )
        .await,
    );
    wait_for(&root, ".ll-build__preview #ll-form-q1").await;
    // 否 in the picker: the expression follows, and so does the preview.
    choose(
        &root,
        ".ll-build__item--open [data-edit=condition_value]",
        "no",
    );
    settle().await;
    assert_eq!(
        changes.borrow().last().unwrap().fields[1]
            .relevant
            .as_deref(),
        Some("${alone} = 'no'")
    );
    assert!(root
        .query_selector(".ll-build__preview #ll-form-q1")
        .unwrap()
        .is_none());
    // Moved to the top, where 上移 no longer applies: the focus stays on the question.
    click(&wait_for(&root, ".ll-build__item[data-name=q1] [data-act=up]").await);
    settle().await;
    assert_eq!(changes.borrow().last().unwrap().fields[0].name, "q1");
    assert_eq!(focused_id(), "ll-build-0-pick");
    unmount(handle, root);
}
