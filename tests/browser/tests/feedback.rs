//! The feedback widget mounted alone, as a developer would compose it into their own
//! Yew app: no shell, no storage, no server. A report missing its fields is refused at
//! each field with nothing typed lost; a complete one is emitted with its phone
//! normalised and the form clears once the host keeps it; a closed report offers the
//! rating, and a rating kept by the host is said as waiting.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use linli_core::feedback::{RatePayload, Rating, ReopenPayload, ReportPayload};
use linli_core::sync::wire::SubmissionId;
use linli_core::Lang;
use linli_widgets::feedback::Feedback;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct HostProps {
    reports: Rc<RefCell<Vec<ReportPayload>>>,
    rates: Rc<RefCell<Vec<RatePayload>>>,
}

/// A host that keeps what the widget emits in its "outbox" at once, as the shell does
/// once IndexedDB has it.
#[function_component]
fn Host(p: &HostProps) -> Html {
    let now = js_sys::Date::now() as i64;
    let board = use_memo((), move |_| linli_gallery::feedback_board(now));
    let config = linli_gallery::feedback_config().unwrap();
    let waiting = use_state(|| Rc::new(Vec::<ReportPayload>::new()));
    let stepping = use_state(|| Rc::new(Vec::<SubmissionId>::new()));
    let kept = use_state(|| 0_u32);
    let on_report = {
        let (reports, waiting, kept) = (p.reports.clone(), waiting.clone(), kept.clone());
        Callback::from(move |r: ReportPayload| {
            reports.borrow_mut().push(r.clone());
            waiting.set(Rc::new(vec![r]));
            kept.set(*kept + 1);
        })
    };
    let on_rate = {
        let (rates, stepping, kept) = (p.rates.clone(), stepping.clone(), kept.clone());
        Callback::from(move |r: RatePayload| {
            rates.borrow_mut().push(r.clone());
            stepping.set(Rc::new(vec![r.report]));
            kept.set(*kept + 1);
        })
    };
    let on_reopen = Callback::from(|_: ReopenPayload| {});
    html! {
        <Feedback board={board} config={Rc::new(config)} lang={Lang::ZhCn}
            waiting={(*waiting).clone()} stepping={(*stepping).clone()} kept={*kept}
            {on_report} {on_rate} {on_reopen} />
    }
}

/// What the host was given: reports and ratings, in order.
type Kept<T> = Rc<RefCell<Vec<T>>>;

fn mount() -> (
    yew::AppHandle<Host>,
    web_sys::Element,
    Kept<ReportPayload>,
    Kept<RatePayload>,
) {
    install_styles(&[
        TOKENS, BASE, READ_ALOUD, BUTTON, NOTICE, CHOICES, FIELD, FEEDBACK,
    ]);
    let root = mount_point();
    let props = HostProps {
        reports: Rc::new(RefCell::new(Vec::new())),
        rates: Rc::new(RefCell::new(Vec::new())),
    };
    let (reports, rates) = (props.reports.clone(), props.rates.clone());
    let handle = yew::Renderer::<Host>::with_root_and_props(root.clone(), props).render();
    (handle, root, reports, rates)
}

#[wasm_bindgen_test]
async fn a_report_is_checked_at_each_field_then_emitted_and_the_form_clears_once_kept() {
    let (handle, root, reports, _) = mount();
    wait_for(&root, ".ll-fb__form").await;
    type_into(&root, "#ll-fb-description", "路灯不亮");
    settle().await;
    click(&wait_for(&root, "[data-act=report]").await);
    settle().await;
    assert!(text(&root, ".ll-fb__categories .ll-fb__problem").contains("请选择问题类别"));
    assert!(root.inner_html().contains("请写下地点"));
    assert!(reports.borrow().is_empty());
    let kept = root.query_selector("#ll-fb-description").unwrap().unwrap();
    use wasm_bindgen::JsCast;
    let kept = kept.dyn_into::<web_sys::HtmlTextAreaElement>().unwrap();
    assert_eq!(kept.value(), "路灯不亮");

    click(&wait_for(&root, "[data-act=category][data-arg=lighting]").await);
    type_into(&root, "#ll-fb-place", "3幢");
    type_into(&root, "#ll-fb-phone", "+86 138 1234 5678");
    settle().await;
    click(&wait_for(&root, "[data-act=report]").await);
    settle().await;
    // A second tap while it is being kept sends nothing more.
    click(&wait_for(&root, "[data-act=report]").await);
    settle().await;
    let sent = reports.borrow().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (
            sent[0].category.as_str(),
            sent[0].place.as_str(),
            sent[0].phone.as_deref()
        ),
        ("lighting", "3幢", Some("13812345678"))
    );
    wait_for(&root, "[data-report=waiting]").await;
    settle().await;
    assert_eq!(
        kept.value(),
        "",
        "the form clears once the host keeps the report"
    );
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn a_closed_report_offers_the_rating_and_a_kept_rating_is_said_as_waiting() {
    let (handle, root, _, rates) = mount();
    let card = wait_for(&root, ".ll-fb__card[data-state=closed]").await;
    // An overdue report with a handler offers nothing to rate.
    let other = wait_for(&root, ".ll-fb__card[data-state=dispatched]").await;
    assert!(other.query_selector("[data-act=rate]").unwrap().is_none());
    assert!(other.text_content().unwrap().contains("督办"));
    let rate = card.query_selector("[data-act=rate]").unwrap().unwrap();
    assert!(rate.has_attribute("disabled"));
    click(
        &card
            .query_selector("[data-act=rating][data-arg=basically_satisfied]")
            .unwrap()
            .unwrap(),
    );
    settle().await;
    click(&card.query_selector("[data-act=rate]").unwrap().unwrap());
    settle().await;
    assert_eq!(rates.borrow().len(), 1);
    assert_eq!(rates.borrow()[0].rating, Rating::BasicallySatisfied);
    wait_for(&root, "[data-step-waiting]").await;
    assert!(text(&root, "[data-step-waiting]").contains("等待发送"));
    unmount(handle, root);
}
