//! 诉求反馈: the feedback widget wired to this device. The household's reports come
//! from `GET /api/v1/feedback` and are kept in IndexedDB as the server sent them, so
//! the timelines show offline; reports (photos included), ratings and "not solved" go
//! into the outbox like every submission, and the page says "kept on this phone" only
//! once the outbox's transaction committed, and lists a report as the household's only
//! once the server's board has it.

use std::rc::Rc;

use linli_core::feedback::{
    FeedbackBoard, FeedbackKind, FeedbackText, RatePayload, ReopenPayload, ReportPayload,
};
use linli_core::json::Value;
use linli_core::sync::outbox::{refusal_text, State};
use linli_core::Text;
use linli_widgets::base::{el, notice_text};
use linli_widgets::feedback::{Feedback, Refusal};
use yew::prelude::*;

use crate::context::use_shell;
use crate::net::parse;
use crate::outbox::submit;
use crate::pages::outbox::use_outbox;

/// Where the last board is kept (settings store), as the server's JSON text.
pub const BOARD_KEY: &str = "feedback_board";
/// How often an open feedback page refreshes its board (new steps), ms.
const REFRESH_MS: i32 = 60_000;

type Load = super::board::Load<FeedbackBoard>;

async fn load(server: Option<String>) -> Load {
    let read = |text: &str| FeedbackBoard::from_value(&parse(text)).ok();
    let reads = |text: &str| FeedbackBoard::from_value(&parse(text)).is_ok();
    super::board::load(server, "api/v1/feedback", BOARD_KEY, true, read, reads).await
}

/// The feedback scenario's way into the shell.
pub const ENTRY: crate::scenarios::Entry = crate::scenarios::Entry {
    scenario: linli_core::Scenario::Feedback,
    page: |_| html! { <FeedbackPage /> },
    me: |_| Html::default(),
    configured: |c| c.feedback.is_some(),
    kind: |kind, lang| FeedbackKind::from_id(kind).map(|k| lang.t(k.text())),
    completes: &["feedback_report"],
};

/// The feedback page.
#[function_component]
pub fn FeedbackPage() -> Html {
    let state = use_state(|| Load::Loading);
    let now = use_state_eq(crate::clock::server_now);
    let save_error = use_state_eq(|| None::<&'static str>);
    // The outbox is keeping what the widget emitted; how many it has kept.
    let saving = use_state_eq(|| false);
    let kept = use_state_eq(|| 0_u32);
    let count = use_mut_ref(|| 0_u32);
    // Loads can overlap on a slow network: only the newest may set the board.
    let generation = use_mut_ref(|| 0_u32);
    let outbox = use_outbox();
    let shell = use_shell();
    let server = shell.as_ref().and_then(|s| s.config.server_url.clone());
    let waiting_count = outbox.as_ref().map(|o| o.waiting());
    {
        let (state, server, generation) = (state.clone(), server.clone(), generation.clone());
        use_effect_with((waiting_count, *now as u64), move |_| {
            super::board::spawn_newest(&generation, state, load(server));
        });
    }
    super::board::use_refresh(&now, Some(REFRESH_MS));
    let lang = shell.as_ref().map(|s| s.lang()).unwrap_or_default();
    // What the outbox holds for the widget: reports and steps waiting, refusals (with
    // the report they are about, and a refused report's content to send again).
    let lists = use_memo((outbox.clone(), lang), |(read, lang)| {
        let entries = read.as_ref().map(|r| r.open.as_slice()).unwrap_or_default();
        let (mut waiting, mut stepping, mut refused) = (Vec::new(), Vec::new(), Vec::new());
        for e in entries {
            let env = &e.envelope;
            let Some(kind) = FeedbackKind::from_id(&env.kind) else {
                continue;
            };
            let (report, payload) = match kind {
                FeedbackKind::Report => match ReportPayload::from_value(&env.payload) {
                    Ok(r) => (env.id.clone(), Some(r)),
                    Err(_) => continue,
                },
                FeedbackKind::Rate => match RatePayload::from_value(&env.payload) {
                    Ok(r) => (r.report, None),
                    Err(_) => continue,
                },
                FeedbackKind::Reopen => match ReopenPayload::from_value(&env.payload) {
                    Ok(r) => (r.report, None),
                    Err(_) => continue,
                },
            };
            match (&e.state, payload) {
                (State::Rejected(body), payload) => refused.push(Refusal {
                    report,
                    reason: refusal_text(body, *lang),
                    payload,
                }),
                (_, Some(r)) if e.is_waiting() => waiting.push(r),
                (_, None) if e.is_waiting() => stepping.push(report),
                _ => {}
            }
        }
        (Rc::new(waiting), Rc::new(stepping), Rc::new(refused))
    });
    // Every hook is called above, on every render.
    let Some(shell) = shell else {
        return Html::default();
    };
    let Some(config) = shell.config.feedback.clone() else {
        return Html::default();
    };
    let queue = {
        let (save_error, saving, kept, count) = (
            save_error.clone(),
            saving.clone(),
            kept.clone(),
            count.clone(),
        );
        Callback::from(move |(kind, payload): (&'static str, Value)| {
            let (save_error, saving, kept, count) = (
                save_error.clone(),
                saving.clone(),
                kept.clone(),
                count.clone(),
            );
            saving.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = submit(kind, payload).await;
                saving.set(false);
                match result {
                    Ok(_) => {
                        save_error.set(None);
                        let n = {
                            let mut c = count.borrow_mut();
                            *c += 1;
                            *c
                        };
                        kept.set(n);
                    }
                    Err(e) => save_error.set(Some(lang.t(e.text()))),
                }
            });
        })
    };
    let message = "ll-fb__message";
    let words = super::board::NotReady {
        loading: shell.t(FeedbackText::Loading),
        unavailable: shell.t(FeedbackText::Unavailable),
        not_linked: shell.t(FeedbackText::NotLinked),
        go_link: shell.t(FeedbackText::GoLink),
    };
    let body = match &*state {
        Load::Ready(board, offline) => {
            let (waiting, stepping, refused) = (*lists).clone();
            let on_report =
                queue.reform(|r: ReportPayload| (FeedbackKind::Report.id(), r.to_value()));
            let on_rate = queue.reform(|r: RatePayload| (FeedbackKind::Rate.id(), r.to_value()));
            let on_reopen =
                queue.reform(|r: ReopenPayload| (FeedbackKind::Reopen.id(), r.to_value()));
            let save_error = (*save_error).map(AttrValue::from);
            html! {
                <>
                    if *offline {
                        { notice_text(false, message, shell.t(FeedbackText::Offline).into()) }
                    }
                    <Feedback board={board.clone()} config={Rc::new(config)} {lang}
                        utc_offset_minutes={shell.config.utc_offset_minutes()}
                        {waiting} {stepping} {refused} saving={*saving} kept={*kept}
                        {on_report} {on_rate} {on_reopen} {save_error} />
                </>
            }
        }
        other => super::board::not_ready(other, words, lang, message).unwrap_or_default(),
    };
    html! {
        <section class="ll-page">
            { el("h1", "ll-page__title", shell.t(Text::ScenarioFeedback).into()) }
            { body }
        </section>
    }
}
