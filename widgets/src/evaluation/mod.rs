//! Public evaluation's rating prompt (公众评价, DESIGN.md "Public evaluation"): the
//! one-tap rating a service shows inline under an action the resident has just
//! completed — how satisfied they are (1 非常不满意 … 5 非常满意, each numbered and
//! written, never a colour or a face alone), anything to add, whether staff may make
//! contact — then 提交评价 or 以后再说. Styles: `evaluation.css` beside this file.
//!
//! The widget is controlled: it hands the rating to the host once ([`Rating`] on
//! `on_rate`) and says "being kept" until the host says, through `saved`, that its
//! outbox holds it or why it could not; it never says "saved" on its own. The host adds
//! the service and the day ([`Rating::payload`]) and sends it as `evaluation_rating`.
//!
//! ```ignore
//! use linli_core::evaluation::Service;
//! use linli_widgets::evaluation::{Rating, RatingPrompt};
//!
//! html! {
//!     <RatingPrompt service={Service::Meals} {lang} saved={(*saved).clone()}
//!         on_rate={Callback::from(move |r: Rating| keep(r))}
//!         on_dismiss={Callback::from(move |()| hide())} />
//! }
//! ```
//!
//! CSS variables: `--ll-eval-bg`, `--ll-eval-border`, `--ll-eval-accent`,
//! `--ll-eval-error-color`.

pub mod state;

use linli_core::evaluation::{EvalText, Score, Service, MAX_COMMENT};
use linli_core::Lang;
use yew::prelude::*;

use crate::base::{el, field, value_of, FieldProps};
use state::{Act, Phase, Prompt};

pub use state::Rating;

/// Props of [`RatingPrompt`].
#[derive(Properties, PartialEq)]
pub struct RatingPromptProps {
    /// The service rated: its name is in the question, and its id in the prompt's
    /// element ids (two prompts on one page never share one).
    pub service: Service,
    /// Interface language.
    #[prop_or_default]
    pub lang: Lang,
    /// The host's word on the rating `on_rate` handed it last: `None` while it has none
    /// (set it back to `None` when `on_rate` hands it a rating), `Some(Ok(()))` once
    /// its outbox holds the rating, `Some(Err(reason))` when it could not keep it (why,
    /// in `lang`). Heard only while a rating is being kept.
    #[prop_or_default]
    pub saved: Option<Result<(), AttrValue>>,
    /// A rating to keep: emitted once for a press of 提交评价 with a score chosen.
    pub on_rate: Callback<Rating>,
    /// 以后再说: the resident would rather not rate now (nothing is emitted on
    /// `on_rate`).
    pub on_dismiss: Callback<()>,
    /// Extra classes on the root.
    #[prop_or_default]
    pub class: Classes,
}

/// See the module docs.
#[function_component]
pub fn RatingPrompt(p: &RatingPromptProps) -> Html {
    let prompt = use_reducer(Prompt::default);
    {
        // The rating leaves when the prompt starts keeping it, and only then: a second
        // tap while it is being kept changes nothing, so nothing more leaves.
        let on_rate = p.on_rate.clone();
        use_effect_with(prompt.phase.clone(), move |phase| {
            if let Phase::Saving(rating) = phase {
                on_rate.emit(rating.clone());
            }
        });
    }
    {
        let d = prompt.dispatcher();
        use_effect_with(p.saved.clone(), move |saved| {
            if let Some(outcome) = saved {
                d.dispatch(Act::Settle(outcome.clone().map_err(|r| r.to_string())));
            }
        });
    }
    let first = use_node_ref();
    let lang = p.lang;
    let id = |part: &str| dom_id(p.service, part);
    let send = {
        let d = prompt.dispatcher();
        Callback::from(move |a: Act| d.dispatch(a))
    };
    let busy = !prompt.editable();
    let onsubmit = {
        let (send, first, missing) = (send.clone(), first.clone(), prompt.score.is_none());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send.emit(Act::Submit);
            if missing {
                focus(&first);
            }
        })
    };
    let title = lang.fill(EvalText::Ask, &[("service", lang.t(p.service.title()))]);
    let saved = prompt.phase == Phase::Saved;
    html! {
        <section class={classes!("ll-eval", p.class.clone())} data-service={p.service.id()}
            data-state={prompt.phase.id()} aria-labelledby={id("title")}>
            if saved {
                <h2 id={id("title")}>{ title }</h2>
            } else {
                <form class="ll-eval__form" {onsubmit} novalidate=true>
                    { scores(p, &prompt, &send, &first, title) }
                    { field(&FieldProps {
                        id: id("comment").into(),
                        label: lang.t(EvalText::Comment).into(),
                        hint: None,
                        error: None,
                        class: Classes::new(),
                        children: html! {
                            <textarea id={id("comment")} name="comment" rows="3"
                                maxlength={MAX_COMMENT.to_string()} disabled={busy}
                                value={prompt.comment.clone()}
                                oninput={send.reform(|e: InputEvent| Act::Comment(value_of(&e)))} />
                        },
                    }) }
                    <div class="ll-eval__contact">
                        <label class="ll-eval__tick">
                            <input type="checkbox" name="contact" data-act="contact"
                                checked={prompt.contact} disabled={busy}
                                aria-describedby={id("contact-hint")}
                                onchange={send.reform(|_: Event| Act::ToggleContact)} />
                            { el("span", "", lang.t(EvalText::Contact).into()) }
                        </label>
                        <p class="ll-muted" id={id("contact-hint")}>{ lang.t(EvalText::ContactHint) }</p>
                    </div>
                    <div class="ll-eval__actions">
                        <button type="submit" class="ll-button ll-button--primary" data-act="send"
                            disabled={busy}>{ lang.t(EvalText::Send) }</button>
                        <button type="button" class="ll-button" data-act="not-now" disabled={busy}
                            onclick={p.on_dismiss.reform(|_: MouseEvent| ())}>{ lang.t(EvalText::NotNow) }</button>
                    </div>
                </form>
            }
            // Always there, so screen readers announce what appears in them.
            <p class="ll-eval__status" role="status">
                { status(lang, &prompt.phase) }
            </p>
            <p class="ll-eval__problem" data-problem="save" role="alert">
                if let Phase::Failed(reason) = &prompt.phase {
                    { "⚠ " }{ lang.fill(EvalText::SaveFailed, &[("reason", reason)]) }
                }
            </p>
        </section>
    }
}

/// The question as the group's legend (and the prompt's heading), its hint, the five
/// scores as real radio buttons (arrow keys move the choice, a screen reader says "4
/// 满意, 4 of 5"), and the problem when 提交评价 was pressed without one.
fn scores(
    p: &RatingPromptProps,
    prompt: &Prompt,
    send: &Callback<Act>,
    first: &NodeRef,
    title: String,
) -> Html {
    let lang = p.lang;
    let id = |part: &str| dom_id(p.service, part);
    let name = id("score");
    let options = Score::ALL.into_iter().map(|s| {
        let on = prompt.score == Some(s);
        let n = s.get().to_string();
        let node = if s == Score::ALL[0] {
            first.clone()
        } else {
            NodeRef::default()
        };
        html! {
            <label class="ll-eval__score" data-score={n.clone()} data-state={if on { "on" } else { "off" }}>
                <input type="radio" name={name.clone()} value={n.clone()} checked={on} ref={node}
                    data-act="score" data-arg={n.clone()} onchange={send.reform(move |_: Event| Act::Pick(s))} />
                <span class="ll-eval__number">{ n.clone() }</span>
                <span class="ll-eval__label">{ lang.t(s.label()) }</span>
            </label>
        }
    });
    html! {
        <fieldset class="ll-eval__scores" disabled={!prompt.editable()}
            aria-describedby={format!("{} {}", id("hint"), id("problem"))}>
            <legend><h2 id={id("title")}>{ title }</h2></legend>
            <p class="ll-muted" id={id("hint")}>{ lang.t(EvalText::AskHint) }</p>
            <div class="ll-eval__options">{ for options }</div>
            <p class="ll-eval__problem" id={id("problem")} data-problem="score" role="alert">
                if let Some(k) = prompt.problem {
                    { "⚠ " }{ lang.t(k) }
                }
            </p>
        </fieldset>
    }
}

/// What the status line says in `phase`: being kept, or kept (✓ as well as words).
fn status(lang: Lang, phase: &Phase) -> Html {
    match phase {
        Phase::Saving(_) => html! { <>{ lang.t(EvalText::Saving) }</> },
        Phase::Saved => html! { <>{ "✓ " }{ lang.t(EvalText::Saved) }</> },
        Phase::Choosing | Phase::Failed(_) => Html::default(),
    }
}

/// The id of one of the prompt's elements (`ll-eval-meals-comment`): the service's id
/// is in it, so two prompts on one page never share one.
fn dom_id(service: Service, part: &str) -> String {
    format!("ll-eval-{}-{part}", service.id())
}

/// Moves the focus to the first score (a phone's screen shows little of the page) and
/// brings it into view.
fn focus(node: &NodeRef) {
    if let Some(el) = node.cast::<web_sys::HtmlElement>() {
        let _ = el.focus();
        el.scroll_into_view();
    }
}
