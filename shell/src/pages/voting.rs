//! 业主议事表决: the voting widget wired to this device. The household's board comes
//! from `GET /api/v1/voting` and is kept in IndexedDB as the server sent it, so the
//! proposal, turnout and receipts show offline; ballots and comments go into the
//! outbox like every submission, and the page says "kept on this phone" only once the
//! outbox's transaction committed, "counted" only once the server's board has it.

use std::rc::Rc;

use linli_core::json::Value;
use linli_core::sync::outbox::{refusal_text, State};
use linli_core::voting::{BallotPayload, CommentPayload, VoteKind, VoteText, VotingBoard};
use linli_core::Text;
use linli_widgets::base::{el, notice_text};
use linli_widgets::voting::Voting;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::clock::Ticker;
use crate::context::use_shell;
use crate::net::parse;
use crate::outbox::submit;
use crate::pages::outbox::use_outbox;

/// Where the last board is kept (settings store), as the server's JSON text.
pub const BOARD_KEY: &str = "voting_board";
/// How often an open voting page refreshes its board (turnout, receipts), ms.
const REFRESH_MS: i32 = 30_000;

type Load = super::board::Load<VotingBoard>;

async fn load(server: Option<String>) -> Load {
    let read = |text: &str| VotingBoard::from_value(&parse(text)).ok();
    let reads = |text: &str| VotingBoard::from_value(&parse(text)).is_ok();
    super::board::load(server, "api/v1/voting", BOARD_KEY, true, read, reads).await
}

/// The voting scenario's way into the shell.
pub const ENTRY: crate::scenarios::Entry = crate::scenarios::Entry {
    scenario: linli_core::Scenario::Voting,
    page: |_| html! { <VotingPage /> },
    me: |_| Html::default(),
    configured: |_| true,
    kind: |kind, lang| VoteKind::from_id(kind).map(|k| lang.t(k.text())),
    completes: &["vote_ballot"],
};

/// The voting page.
#[function_component]
pub fn VotingPage() -> Html {
    let state = use_state(|| Load::Loading);
    let now = use_state_eq(crate::clock::server_now);
    let save_error = use_state_eq(|| None::<&'static str>);
    let outbox = use_outbox();
    let shell = use_shell();
    let server = shell.as_ref().and_then(|s| s.config.server_url.clone());
    let waiting_count = outbox.as_ref().map(|o| o.waiting());
    // Loads can overlap on a slow network: only the newest may set the board.
    let generation = use_mut_ref(|| 0_u32);
    {
        let (state, server, generation) = (state.clone(), server.clone(), generation.clone());
        use_effect_with((waiting_count, *now as u64), move |_| {
            super::board::spawn_newest(&generation, state, load(server));
        });
    }
    super::board::use_refresh(&now, Some(REFRESH_MS));
    // A window opening or closing between two refreshes: look again just after it
    // (a phone's estimate of the server's clock may be a moment behind), so a ballot
    // is offered, or withdrawn, on screen when the server would take it.
    let next = match &*state {
        Load::Ready(board, _) => board
            .votes
            .iter()
            .flat_map(|v| [v.opens_at, v.closes_at])
            .filter(|t| *t as f64 > *now)
            .min(),
        _ => None,
    };
    {
        let now_handle = now.clone();
        let delay =
            next.map(|t| (t as f64 - *now + 1_000.0).clamp(1_000.0, REFRESH_MS as f64) as i32);
        use_effect_with(delay, move |delay| {
            let tick = delay.and_then(|ms| {
                Ticker::every(
                    ms,
                    Closure::new(move || now_handle.set(crate::clock::server_now())),
                )
            });
            move || drop(tick)
        });
    }
    let lang = shell.as_ref().map(|s| s.lang()).unwrap_or_default();
    // What the outbox holds for the widget: ballots and comments waiting, refusals.
    let lists = use_memo((outbox.clone(), lang), |(read, lang)| {
        let entries = read.as_ref().map(|r| r.open.as_slice()).unwrap_or_default();
        let (mut waiting, mut commenting, mut refused) = (Vec::new(), Vec::new(), Vec::new());
        for e in entries {
            let env = &e.envelope;
            match (VoteKind::from_id(&env.kind), &e.state) {
                (Some(VoteKind::Ballot), _) if e.is_waiting() => {
                    waiting.extend(BallotPayload::from_value(&env.payload).ok())
                }
                (Some(VoteKind::Ballot), State::Rejected(body)) => {
                    if let Ok(b) = BallotPayload::from_value(&env.payload) {
                        refused.push((b.vote, refusal_text(body, *lang)));
                    }
                }
                (Some(VoteKind::Comment), _) if e.is_waiting() => {
                    commenting.extend(CommentPayload::from_value(&env.payload).ok())
                }
                _ => {}
            }
        }
        (Rc::new(waiting), Rc::new(commenting), Rc::new(refused))
    });
    // Every hook is called above, on every render.
    let Some(shell) = shell else {
        return Html::default();
    };
    let queue = {
        let save_error = save_error.clone();
        Callback::from(move |(kind, payload): (&'static str, Value)| {
            let save_error = save_error.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let kept = submit(kind, payload).await;
                save_error.set(kept.err().map(|e| lang.t(e.text())));
            });
        })
    };
    let message = "ll-vote__message";
    let words = super::board::NotReady {
        loading: shell.t(VoteText::Loading),
        unavailable: shell.t(VoteText::Unavailable),
        not_linked: shell.t(VoteText::NotLinked),
        go_link: shell.t(VoteText::GoLink),
    };
    let body = match &*state {
        Load::Ready(board, offline) => {
            let (waiting, commenting, refused) = (*lists).clone();
            let on_ballot = queue.reform(|b: BallotPayload| (VoteKind::Ballot.id(), b.to_value()));
            let on_comment =
                queue.reform(|c: CommentPayload| (VoteKind::Comment.id(), c.to_value()));
            let save_error = (*save_error).map(AttrValue::from);
            html! {
                <>
                    if *offline {
                        { notice_text(false, message, shell.t(VoteText::Offline).into()) }
                    }
                    <Voting board={board.clone()} now={*now as i64} {lang}
                        utc_offset_minutes={shell.config.utc_offset_minutes()}
                        {waiting} {commenting} {refused} {on_ballot} {on_comment} {save_error} />
                </>
            }
        }
        other => super::board::not_ready(other, words, lang, message).unwrap_or_default(),
    };
    html! {
        <section class="ll-page">
            { el("h1", "ll-page__title", shell.t(Text::ScenarioVoting).into()) }
            { body }
        </section>
    }
}
