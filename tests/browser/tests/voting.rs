//! The voting widget mounted alone, as a developer would compose it into their own Yew
//! app: no shell, no storage, no server. It emits a typed ballot only for the choice
//! picked, says a ballot kept by its host is not yet counted, and offers no ballot on
//! a vote that has not opened.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use linli_core::voting::{
    BallotPayload, BoardVote, Choice, CommentPayload, Stage, Turnout, VotingBoard,
};
use linli_core::Lang;
use linli_widgets::voting::Voting;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn board(now: i64, stage: Stage) -> Rc<VotingBoard> {
    Rc::new(VotingBoard {
        votes: vec![BoardVote {
            id: 7,
            title: "选聘新的物业服务企业".into(),
            body: "拟选聘安居物业。".into(),
            matter: 4,
            stage,
            opens_at: now - 3_600_000,
            closes_at: now + 3_600_000,
            grace_ms: 900_000,
            secret: false,
            changes_allowed: false,
            eligible: true,
            unit: "1幢101".into(),
            turnout: Turnout {
                owners: 3,
                of_owners: 12,
                area: 30_000,
                of_area: 120_000,
            },
            ballot: None,
            comments: Vec::new(),
            result: None,
        }],
        now,
    })
}

#[derive(Properties, PartialEq)]
struct HostProps {
    board: Rc<VotingBoard>,
    now: i64,
    ballots: Rc<RefCell<Vec<BallotPayload>>>,
}

/// A host that keeps what is cast in its "outbox" at once, as the shell does once
/// IndexedDB has it.
#[function_component]
fn Host(p: &HostProps) -> Html {
    let waiting = use_state(|| Rc::new(Vec::<BallotPayload>::new()));
    let on_ballot = {
        let (ballots, waiting) = (p.ballots.clone(), waiting.clone());
        Callback::from(move |b: BallotPayload| {
            ballots.borrow_mut().push(b.clone());
            waiting.set(Rc::new(vec![b]));
        })
    };
    let on_comment = Callback::from(|_: CommentPayload| {});
    html! {
        <Voting board={p.board.clone()} now={p.now} lang={Lang::ZhCn}
            waiting={(*waiting).clone()} {on_ballot} {on_comment} />
    }
}

fn mount(
    stage: Stage,
) -> (
    yew::AppHandle<Host>,
    web_sys::Element,
    Rc<RefCell<Vec<BallotPayload>>>,
) {
    install_styles(&[TOKENS, BASE, READ_ALOUD, BUTTON, NOTICE, CHOICES, VOTING]);
    let root = mount_point();
    let now = js_sys::Date::now() as i64;
    let ballots = Rc::new(RefCell::new(Vec::new()));
    let props = HostProps {
        board: board(now, stage),
        now,
        ballots: ballots.clone(),
    };
    let handle = yew::Renderer::<Host>::with_root_and_props(root.clone(), props).render();
    (handle, root, ballots)
}

#[wasm_bindgen_test]
async fn the_widget_alone_emits_the_ballot_picked_and_says_it_is_not_yet_counted() {
    let (handle, root, ballots) = mount(Stage::Voting);
    let cast = wait_for(&root, "[data-act=cast]").await;
    // Nothing picked: the button does nothing.
    assert!(cast.has_attribute("disabled"));
    click(&wait_for(&root, "[data-act=choice][data-arg=oppose]").await);
    settle().await;
    click(&wait_for(&root, "[data-act=cast]").await);
    settle().await;
    assert_eq!(
        *ballots.borrow(),
        vec![BallotPayload {
            vote: 7,
            choice: Choice::Oppose
        }]
    );
    let waiting = wait_for(&root, "[data-ballot=waiting]").await;
    assert!(waiting.text_content().unwrap().contains("送达前还没有计票"));
    assert!(text(&root, "[data-turnout]").contains("3 / 12"));
    unmount(handle, root);
}

#[wasm_bindgen_test]
async fn no_ballot_is_offered_before_voting_opens() {
    let (handle, root, ballots) = mount(Stage::Deliberation);
    wait_for(&root, ".ll-vote__card").await;
    assert!(root.query_selector("[data-act=cast]").unwrap().is_none());
    assert!(root.query_selector("[data-turnout]").unwrap().is_none());
    assert!(ballots.borrow().is_empty());
    unmount(handle, root);
}
