//! The rating prompt mounted alone, as a developer would put it under a completed
//! action in their own Yew app: no shell, no storage, no server. A chosen score with a
//! comment is emitted once as a typed rating and said as being kept until the host
//! says it is; 以后再说 emits no rating; 提交评价 without a score says so at the scores
//! and emits nothing; the scores are 44 px targets, 60 px in 长辈版.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::*;
use linli_core::evaluation::{Score, Service};
use linli_core::Lang;
use linli_widgets::evaluation::{Rating, RatingPrompt};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct HostProps {
    ratings: Rc<RefCell<Vec<Rating>>>,
    dismissals: Rc<Cell<u32>>,
}

/// A host that records what the prompt emits, and says the rating is kept only when
/// its "IndexedDB" does (the test presses `host-keep`).
#[function_component]
fn Host(p: &HostProps) -> Html {
    let saved = use_state(|| None::<Result<(), AttrValue>>);
    let on_rate = {
        let (ratings, saved) = (p.ratings.clone(), saved.clone());
        Callback::from(move |r: Rating| {
            ratings.borrow_mut().push(r);
            saved.set(None);
        })
    };
    let on_dismiss = {
        let dismissals = p.dismissals.clone();
        Callback::from(move |()| dismissals.set(dismissals.get() + 1))
    };
    let keep = {
        let saved = saved.clone();
        Callback::from(move |_: MouseEvent| saved.set(Some(Ok(()))))
    };
    html! {
        <>
            <RatingPrompt service={Service::Meals} lang={Lang::ZhCn} saved={(*saved).clone()}
                {on_rate} {on_dismiss} />
            <button type="button" data-testid="host-keep" onclick={keep}>{ "keep" }</button>
        </>
    }
}

/// What the host was given.
struct Given {
    ratings: Rc<RefCell<Vec<Rating>>>,
    dismissals: Rc<Cell<u32>>,
}

fn mount() -> (yew::AppHandle<Host>, web_sys::Element, Given) {
    install_styles(&[TOKENS, BASE, BUTTON, FIELD, EVALUATION]);
    let root = mount_point();
    let props = HostProps {
        ratings: Rc::new(RefCell::new(Vec::new())),
        dismissals: Rc::new(Cell::new(0)),
    };
    let given = Given {
        ratings: props.ratings.clone(),
        dismissals: props.dismissals.clone(),
    };
    let handle = yew::Renderer::<Host>::with_root_and_props(root.clone(), props).render();
    (handle, root, given)
}

#[wasm_bindgen_test]
async fn a_chosen_score_with_a_comment_is_emitted_once_and_kept_only_when_the_host_says() {
    let (handle, root, given) = mount();
    let prompt = wait_for(&root, ".ll-eval[data-service=meals]").await;
    assert!(text(&root, ".ll-eval h2").contains("您对“老年助餐”这项服务满意吗？"));
    let four = wait_for(&root, "[data-act=score][data-arg='4']").await;
    click(&four);
    settle().await;
    let label = root.query_selector("[data-score='4']").unwrap().unwrap();
    assert_eq!(label.get_attribute("data-state").as_deref(), Some("on"));
    assert!(label.text_content().unwrap().contains("满意"));
    type_into(&root, "#ll-eval-meals-comment", "  送餐很准时 ");
    settle().await;

    click(&wait_for(&root, "[data-act=send]").await);
    settle().await;
    // A second tap while it is being kept sends nothing more.
    click(&wait_for(&root, "[data-act=send]").await);
    settle().await;
    assert_eq!(
        *given.ratings.borrow(),
        [Rating {
            score: Score::new(4).unwrap(),
            comment: "送餐很准时".into(),
            contact: false,
        }]
    );
    assert_eq!(given.dismissals.get(), 0);
    // Not "saved" on its own word: being kept until the host says so.
    assert_eq!(
        prompt.get_attribute("data-state").as_deref(),
        Some("saving")
    );
    assert!(text(&root, ".ll-eval__status").contains("正在保存到手机上"));
    assert!(!root.inner_html().contains("已保存"));

    click(&wait_for(&root, "[data-testid=host-keep]").await);
    wait_for(&root, ".ll-eval[data-state=saved]").await;
    assert!(text(&root, ".ll-eval__status").contains("评价已保存在手机上"));
    assert_eq!(given.ratings.borrow().len(), 1);
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn not_now_dismisses_and_emits_no_rating() {
    let (handle, root, given) = mount();
    click(&wait_for(&root, "[data-act=score][data-arg='2']").await);
    settle().await;
    click(&wait_for(&root, "[data-act=not-now]").await);
    settle().await;
    assert_eq!(given.dismissals.get(), 1);
    assert!(given.ratings.borrow().is_empty());
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn sending_without_a_score_says_so_at_the_scores_and_emits_nothing() {
    let (handle, root, given) = mount();
    wait_for(&root, "#ll-eval-meals-comment").await;
    type_into(&root, "#ll-eval-meals-comment", "还行");
    settle().await;
    click(&wait_for(&root, "[data-act=send]").await);
    settle().await;
    let problem = wait_for(&root, "[data-problem=score]").await;
    assert_eq!(problem.get_attribute("role").as_deref(), Some("alert"));
    assert!(text(&root, "[data-problem=score]").contains("请先点选一个满意程度"));
    assert!(given.ratings.borrow().is_empty());
    assert!(
        !text(&root, ".ll-eval").contains("正在保存"),
        "nothing is being kept"
    );
    // The focus is at the scores, and what was typed stays.
    let focused = document().active_element().unwrap();
    assert_eq!(focused.get_attribute("data-arg").as_deref(), Some("1"));
    use wasm_bindgen::JsCast;
    let comment = root
        .query_selector("#ll-eval-meals-comment")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap();
    assert_eq!(comment.value(), "还行");
    // Choosing a score takes the problem away.
    click(&wait_for(&root, "[data-act=score][data-arg='5']").await);
    settle().await;
    assert_eq!(text(&root, "[data-problem=score]"), "");
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn the_scores_are_44_px_targets_and_60_px_in_elder_mode() {
    let (handle, root, _) = mount();
    let score = wait_for(&root, "[data-score='3']").await;
    assert!(computed_px(&score, "height") >= 44.0);
    let html = document().document_element().unwrap();
    html.set_attribute("data-elder", "true").unwrap();
    settle().await;
    for selector in ["[data-score='3']", ".ll-eval__tick", "[data-act=send]"] {
        let el = root.query_selector(selector).unwrap().unwrap();
        let (h, w) = (computed_px(&el, "height"), computed_px(&el, "width"));
        assert!(h >= 60.0 && w >= 60.0, "{selector}: {w}×{h}");
    }
    html.remove_attribute("data-elder").unwrap();
    unmount(handle, root);
}
