//! Owners' assembly voting (业主议事表决): the resident's view of the votes shown to
//! owners — the proposal (read aloud in 长辈版), the window, live turnout (never the
//! choices of an open vote), the ballot as a radio group of 同意 / 反对 / 弃权, where
//! the owner's ballot stands (kept on the phone, counted with its receipt, refused
//! with the reason), the deliberation's comments, and the published result with its
//! explanation and whether the owner's ballot is in the published list. Styles:
//! `voting.css` beside this file; the host queues what it emits through its outbox.

pub mod state;

use std::collections::HashMap;
use std::rc::Rc;

use linli_core::date::format_timestamp;
use linli_core::voting::{
    BallotPayload, BoardVote, Choice, CommentPayload, Stage, VoteText, VotingBoard, MAX_COMMENT,
};
use linli_core::Lang;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::base::{choice_group, el, notice_text, ChoiceGroupProps, ReadAloud};
use state::{ballot_state, in_published_list, BallotState};

/// The three choices, in the order the radio group shows them.
const CHOICES: [Choice; 3] = [Choice::Agree, Choice::Oppose, Choice::Abstain];

/// Props of [`Voting`].
#[derive(Properties, PartialEq)]
pub struct VotingProps {
    /// The household's board (`GET /api/v1/voting`).
    pub board: Rc<VotingBoard>,
    /// Now by the server's clock (ms): decides whether the window is open.
    pub now: i64,
    /// Interface language.
    #[prop_or_default]
    pub lang: Lang,
    /// The deployment's zone, minutes east of UTC (480 for China).
    #[prop_or(480)]
    pub utc_offset_minutes: i64,
    /// Ballots kept in the host's outbox, not yet acknowledged.
    #[prop_or_default]
    pub waiting: Rc<Vec<BallotPayload>>,
    /// Comments kept in the host's outbox, not yet acknowledged.
    #[prop_or_default]
    pub commenting: Rc<Vec<CommentPayload>>,
    /// The server's refusals of ballots sent from here: (vote, reason in `lang`).
    #[prop_or_default]
    pub refused: Rc<Vec<(i64, String)>>,
    /// A ballot to queue.
    pub on_ballot: Callback<BallotPayload>,
    /// A comment to queue.
    pub on_comment: Callback<CommentPayload>,
    /// Why the last ballot or comment could not be kept on the phone, if so.
    #[prop_or_default]
    pub save_error: Option<AttrValue>,
}

/// See the module docs.
#[function_component]
pub fn Voting(p: &VotingProps) -> Html {
    // The choice picked on each vote's radio group, before it is cast.
    let picked = use_state(HashMap::<i64, usize>::new);
    // The comment each vote's form answers, when the owner chose 回复 on one.
    let replying = use_state(HashMap::<i64, i64>::new);
    let lang = p.lang;
    if p.board.votes.is_empty() {
        return html! { <div class="ll-vote">{ el("p", "ll-muted", lang.t(VoteText::NoVotes).into()) }</div> };
    }
    html! {
        <div class="ll-vote">
            if let Some(problem) = &p.save_error {
                { notice_text(true, "ll-vote__message", problem.clone()) }
            }
            { for p.board.votes.iter().map(|v| vote_card(p, v, &picked, &replying)) }
        </div>
    }
}

fn when(p: &VotingProps, ms: i64) -> String {
    format_timestamp(ms, p.utc_offset_minutes)
}

fn vote_card(
    p: &VotingProps,
    v: &BoardVote,
    picked: &UseStateHandle<HashMap<i64, usize>>,
    replying: &UseStateHandle<HashMap<i64, i64>>,
) -> Html {
    let lang = p.lang;
    let stage = v.stage.shown(v.closes_at, p.now);
    let matter = v.matter().map(|m| lang.t(m.text())).unwrap_or_default();
    let (owners_pct, area_pct) = v.turnout.percentages();
    let turnout = lang.fill(
        VoteText::TurnoutLine,
        &[
            ("owners", &v.turnout.owners.to_string()),
            ("of_owners", &v.turnout.of_owners.to_string()),
            ("owners_pct", &owners_pct),
            ("area_pct", &area_pct),
        ],
    );
    let kind = lang.t(if v.secret {
        VoteText::Secret
    } else {
        VoteText::Named
    });
    let window = (v.closes_at > 0).then(|| {
        lang.fill(
            VoteText::WindowLine,
            &[
                ("opens", &when(p, v.opens_at)),
                ("closes", &when(p, v.closes_at)),
            ],
        )
    });
    let read = format!("{}。{}", v.title, v.body);
    html! {
        <article class="ll-vote__card" data-vote={v.id.to_string()} data-stage={stage.id()}>
            { el("h2", "", v.title.clone().into()) }
            <p class="ll-vote__meta">
                <span class="ll-vote__stage">{ lang.t(stage.text()) }</span>{ " · " }{ kind }
            </p>
            { el("p", "ll-vote__matter", lang.fill(VoteText::MatterLine, &[("matter", matter)]).into()) }
            if let Some(w) = window { { el("p", "", w.into()) } }
            <details class="ll-vote__body" open={stage <= Stage::Voting}>
                <summary>{ lang.t(VoteText::Proposal) }</summary>
                { el("p", "ll-vote__text", v.body.clone().into()) }
                <ReadAloud text={read} {lang} />
            </details>
            if stage >= Stage::Voting {
                <p class="ll-vote__turnout" data-turnout="">{ turnout }</p>
            }
            { ballot_part(p, v, picked) }
            { result_part(p, v) }
            { comments_part(p, v, replying) }
        </article>
    }
}

fn ballot_part(
    p: &VotingProps,
    v: &BoardVote,
    picked: &UseStateHandle<HashMap<i64, usize>>,
) -> Html {
    let lang = p.lang;
    if v.stage < Stage::Voting {
        return Html::default();
    }
    let waiting = p
        .waiting
        .iter()
        .rev()
        .find(|b| b.vote == v.id)
        .map(|b| b.choice);
    let refused = p
        .refused
        .iter()
        .rev()
        .find(|(id, _)| *id == v.id)
        .map(|(_, r)| r.as_str());
    let choice_text = |c: Choice| lang.t(c.text());
    let counted = |b: &linli_core::voting::MyBallot| {
        let key = if b.source == "paper" {
            VoteText::BallotPaper
        } else {
            VoteText::BallotCounted
        };
        let text = lang.fill(
            key,
            &[("choice", choice_text(b.choice)), ("receipt", &b.receipt)],
        );
        html! {
            <>
                <p class="ll-vote__ballot" data-ballot="counted" data-receipt={b.receipt.clone()}>{ text }</p>
                if b.late { { el("p", "ll-muted", lang.t(VoteText::BallotLate).into()) } }
            </>
        }
    };
    match ballot_state(v, p.now, waiting, refused) {
        BallotState::Waiting(c) => html! {
            <p class="ll-vote__ballot" role="status" data-ballot="waiting">
                { lang.fill(VoteText::BallotWaiting, &[("choice", choice_text(c))]) }
            </p>
        },
        BallotState::Counted(b) => counted(&b),
        BallotState::Closed(e) => html! {
            <p class="ll-vote__ballot ll-muted" data-ballot="closed">{ e.text(lang, p.utc_offset_minutes) }</p>
        },
        BallotState::Refused(reason) => html! {
            <div data-ballot="refused">
                { notice_text(true, "ll-vote__message", lang.fill(VoteText::BallotRefused, &[("reason", &reason)]).into()) }
            </div>
        },
        BallotState::Open { refused } => {
            let id = v.id;
            let selected = picked.get(&id).copied();
            let options = Rc::new(
                CHOICES
                    .iter()
                    .map(|c| crate::base::Choice {
                        arg: c.id().into(),
                        label: choice_text(*c).into(),
                        hint: None,
                        lang: None,
                    })
                    .collect::<Vec<_>>(),
            );
            let on_select = {
                let picked = picked.clone();
                Callback::from(move |i: usize| {
                    let mut next = (*picked).clone();
                    next.insert(id, i);
                    picked.set(next);
                })
            };
            let cast = {
                let on_ballot = p.on_ballot.clone();
                Callback::from(move |_: MouseEvent| {
                    if let Some(c) = selected.and_then(|i| CHOICES.get(i)) {
                        on_ballot.emit(BallotPayload {
                            vote: id,
                            choice: *c,
                        });
                    }
                })
            };
            let label = if v.ballot.is_some() {
                VoteText::BallotChange
            } else {
                VoteText::BallotCast
            };
            html! {
                <div class="ll-vote__cast" data-ballot="open">
                    if let Some(reason) = &refused {
                        { notice_text(true, "ll-vote__message", lang.fill(VoteText::BallotRefused, &[("reason", reason)]).into()) }
                    }
                    if let Some(b) = &v.ballot { { counted(b) } }
                    { choice_group(&ChoiceGroupProps {
                        legend: lang.t(VoteText::BallotLegend).into(),
                        options,
                        selected,
                        on_select,
                        one_row: true,
                        hook: Some("choice".into()),
                        class: Classes::new(),
                    }) }
                    <button type="button" class="ll-button ll-button--primary" data-act="cast"
                        disabled={selected.is_none()} onclick={cast}>{ lang.t(label) }</button>
                </div>
            }
        }
    }
}

fn result_part(p: &VotingProps, v: &BoardVote) -> Html {
    let lang = p.lang;
    let Some(result) = &v.result else {
        return Html::default();
    };
    let found = in_published_list(v).map(|found| {
        let (problem, key) = if found {
            (false, VoteText::FoundInList)
        } else {
            (true, VoteText::NotFoundInList)
        };
        notice_text(problem, "ll-vote__found", lang.t(key).into())
    });
    let heading = lang.fill(
        VoteText::ListTitle,
        &[("count", &result.ballots.len().to_string())],
    );
    html! {
        <section class="ll-vote__result" data-result={if result.passed { "passed" } else { "not_passed" }}>
            { el("h3", "", lang.t(VoteText::ResultTitle).into()) }
            { el("p", "ll-vote__explanation", result.explanation(lang).to_owned().into()) }
            <ReadAloud text={result.explanation(lang).to_owned()} {lang} />
            if result.late > 0 {
                { el("p", "ll-muted", lang.fill(VoteText::LateCount, &[("count", &result.late.to_string())]).into()) }
            }
            { found.unwrap_or_default() }
            <details>
                <summary>{ heading }</summary>
                <ul class="ll-vote__list">
                    { for result.ballots.iter().map(|b| {
                        let who = if b.unit.is_empty() { b.receipt.clone() } else { b.unit.clone() };
                        html! { <li>{ who }{ "：" }{ lang.t(b.choice.text()) }</li> }
                    }) }
                </ul>
            </details>
        </section>
    }
}

fn comments_part(
    p: &VotingProps,
    v: &BoardVote,
    replying: &UseStateHandle<HashMap<i64, i64>>,
) -> Html {
    let lang = p.lang;
    let waiting: Vec<&CommentPayload> = p.commenting.iter().filter(|c| c.vote == v.id).collect();
    if v.comments.is_empty() && waiting.is_empty() && !v.may_comment(p.now) {
        return Html::default();
    }
    let answering = replying.get(&v.id).copied();
    // Chooses the comment the form answers (`None`: a comment of one's own).
    let reply_to = |target: Option<i64>| {
        let (replying, id) = (replying.clone(), v.id);
        Callback::from(move |_: MouseEvent| {
            let mut next = (*replying).clone();
            match target {
                Some(c) => next.insert(id, c),
                None => next.remove(&id),
            };
            replying.set(next);
        })
    };
    let onsubmit = {
        let (on_comment, id) = (p.on_comment.clone(), v.id);
        let replying = replying.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let area = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|f| f.query_selector("textarea").ok().flatten())
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
            let Some(area) = area else { return };
            let text = area.value().trim().to_owned();
            if text.is_empty() {
                return;
            }
            area.set_value("");
            let mut next = (*replying).clone();
            let reply_to = next.remove(&id);
            replying.set(next);
            on_comment.emit(CommentPayload {
                vote: id,
                text,
                reply_to,
            });
        })
    };
    let author = |c: &linli_core::voting::BoardComment| {
        if c.staff {
            lang.t(VoteText::CommentStaff).to_owned()
        } else if c.mine {
            lang.t(VoteText::CommentMine).to_owned()
        } else {
            lang.fill(VoteText::CommentOwner, &[("building", &c.author)])
        }
    };
    let field_id = format!("ll-vote-comment-{}", v.id);
    let open = v.may_comment(p.now) && v.eligible;
    html! {
        <section class="ll-vote__comments">
            { el("h3", "", lang.t(VoteText::CommentsTitle).into()) }
            <ul>
                { for v.comments.iter().map(|c| html! {
                    <li class={classes!("ll-vote__comment", c.staff.then_some("ll-vote__comment--staff"), c.reply_to.is_some().then_some("ll-vote__comment--reply"))}
                        data-comment={c.id.to_string()}>
                        <p class="ll-muted">{ author(c) }{ " · " }{ when(p, c.at) }</p>
                        { el("p", "", c.text.clone().into()) }
                        if open && !c.mine {
                            <button type="button" class="ll-button ll-vote__reply" data-act="reply"
                                onclick={reply_to(Some(c.id))}>{ lang.t(VoteText::CommentReply) }</button>
                        }
                    </li>
                }) }
                { for waiting.iter().map(|c| html! {
                    <li class="ll-vote__comment" data-comment="waiting">
                        <p class="ll-muted">{ lang.t(VoteText::CommentWaiting) }</p>
                        { el("p", "", c.text.clone().into()) }
                    </li>
                }) }
            </ul>
            if open {
                <form class="ll-vote__form" {onsubmit}>
                    if let Some(c) = answering.and_then(|a| v.comments.iter().find(|c| c.id == a)) {
                        <p class="ll-vote__answering" data-answering={c.id.to_string()}>
                            { lang.fill(VoteText::CommentAnswering, &[("author", &author(c))]) }
                            { " " }
                            <button type="button" class="ll-button" data-act="unreply" onclick={reply_to(None)}>{ lang.t(VoteText::CommentUnreply) }</button>
                        </p>
                    }
                    <label for={field_id.clone()}>{ lang.t(VoteText::CommentLabel) }</label>
                    <textarea id={field_id} rows="3" maxlength={MAX_COMMENT.to_string()} required=true />
                    <button class="ll-button" data-act="comment">{ lang.t(VoteText::CommentSend) }</button>
                </form>
            }
        </section>
    }
}
