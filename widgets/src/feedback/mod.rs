//! Residents' feedback (诉求反馈) with the 12345 closed loop: the form to report a
//! problem (category, description, place from the deployment's list or in the
//! resident's words, an optional phone checked as a mainland mobile number, up to three
//! photos scaled down on the phone and stripped of their metadata), what waits in the
//! outbox with its photos' size, and "my reports": each with its state, 督办 when it is
//! past its limit, the answer (read aloud in 长辈版), the timeline of every step, the
//! rating prompt at the end and "not solved". Styles: `feedback.css` beside this file;
//! the host queues what it emits through its outbox.

pub mod photo;
pub mod state;

use std::collections::HashMap;
use std::rc::Rc;

use linli_core::config::{FeedbackConfig, MAX_PLACE};
use linli_core::date::format_timestamp;
use linli_core::feedback::{
    action_text, FeedbackBoard, FeedbackText, MyCase, RatePayload, Rating, ReopenPayload,
    ReportPayload, MAX_DESCRIPTION, MAX_NOTE, MAX_PHOTOS,
};
use linli_core::sync::wire::SubmissionId;
use linli_core::Lang;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::base::{
    choice_group, described_by, el, field, notice_text, value_of, ChoiceGroupProps, FieldProps,
    ReadAloud,
};
use state::{check, photos_kb, prompt, Busy, Draft, Edit, Field, Prompt, Working};

/// The three ratings, in the order the prompt shows them.
const RATINGS: [Rating; 3] = [
    Rating::Satisfied,
    Rating::BasicallySatisfied,
    Rating::Dissatisfied,
];

/// A submission of this widget the host's outbox refused (the server said no): the
/// report it is about, the reason in `lang`, and for a report its content, so the
/// resident can correct it and send it again.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The report's submission id.
    pub report: SubmissionId,
    /// Why, in the resident's language.
    pub reason: String,
    /// The refused report itself (`None` for a rating or "not solved").
    pub payload: Option<ReportPayload>,
}

/// Props of [`Feedback`].
#[derive(Properties, PartialEq)]
pub struct FeedbackProps {
    /// The household's reports (`GET /api/v1/feedback`).
    pub board: Rc<FeedbackBoard>,
    /// The deployment's categories, places and handlers.
    pub config: Rc<FeedbackConfig>,
    /// Interface language.
    #[prop_or_default]
    pub lang: Lang,
    /// The deployment's zone, minutes east of UTC (480 for China).
    #[prop_or(480)]
    pub utc_offset_minutes: i64,
    /// Reports kept in the host's outbox, not yet acknowledged.
    #[prop_or_default]
    pub waiting: Rc<Vec<ReportPayload>>,
    /// Reports whose rating or reopening waits in the host's outbox.
    #[prop_or_default]
    pub stepping: Rc<Vec<SubmissionId>>,
    /// The server's refusals of what was sent from here.
    #[prop_or_default]
    pub refused: Rc<Vec<Refusal>>,
    /// The host is keeping what was emitted last (its outbox transaction is open):
    /// the send buttons wait.
    #[prop_or_default]
    pub saving: bool,
    /// How many things emitted here the host has kept so far: when it grows, what was
    /// emitted last is on the phone, and its form is cleared.
    #[prop_or_default]
    pub kept: u32,
    /// A report to queue.
    pub on_report: Callback<ReportPayload>,
    /// A rating to queue.
    pub on_rate: Callback<RatePayload>,
    /// "Not solved" to queue.
    pub on_reopen: Callback<ReopenPayload>,
    /// Why the last report, rating or reopening could not be kept on the phone (its
    /// form keeps everything typed).
    #[prop_or_default]
    pub save_error: Option<AttrValue>,
}

/// What was emitted last and waits for the host to keep it.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    /// The report form's content.
    Report,
    /// A rating or "not solved" on case `number`.
    Step(i64),
}

/// The forms' state kept across renders: the rating picked and the note typed on
/// each case (by case number), and what was emitted last.
#[derive(Clone, Debug, Default, PartialEq)]
struct Steps {
    picked: HashMap<i64, usize>,
    notes: HashMap<i64, String>,
}

/// See the module docs.
#[function_component]
pub fn Feedback(p: &FeedbackProps) -> Html {
    let draft = use_reducer(Draft::default);
    // Problems are shown from the first try to send, and follow the draft from then on.
    let tried = use_state(|| false);
    let pending = use_state(|| None::<Pending>);
    let busy = use_reducer(Working::default);
    let photo_note = use_state(|| None::<FeedbackText>);
    let steps = use_state(Steps::default);
    {
        // The host kept what was emitted last: clear its form (nothing is lost before).
        let (d, pending, steps, tried) = (
            draft.dispatcher(),
            pending.clone(),
            steps.clone(),
            tried.clone(),
        );
        use_effect_with(p.kept, move |_| {
            match &*pending {
                Some(Pending::Report) => {
                    d.dispatch(Edit::Clear);
                    tried.set(false);
                }
                Some(Pending::Step(n)) => {
                    let mut next = (*steps).clone();
                    next.picked.remove(n);
                    next.notes.remove(n);
                    steps.set(next);
                }
                None => {}
            }
            pending.set(None);
        });
    }
    {
        // A failed save: nothing was kept, everything typed stays.
        let pending = pending.clone();
        use_effect_with(p.save_error.clone(), move |e| {
            if e.is_some() {
                pending.set(None);
            }
        });
    }
    let lang = p.lang;
    let t = |k: FeedbackText| lang.t(k);
    let problems = if *tried {
        check(&draft, &p.config).err().unwrap_or_default()
    } else {
        Vec::new()
    };
    let problem_of = |f: Field| {
        problems
            .iter()
            .find(|(x, _)| *x == f)
            .map(|(_, k)| AttrValue::from(t(*k)))
    };
    let held = p.saving || pending.is_some();
    let send = {
        let (draft, tried, pending, config, on_report) = (
            draft.clone(),
            tried.clone(),
            pending.clone(),
            p.config.clone(),
            p.on_report.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if pending.is_some() {
                return;
            }
            tried.set(true);
            match check(&draft, &config) {
                Ok(report) => {
                    pending.set(Some(Pending::Report));
                    on_report.emit(report);
                }
                Err(list) => focus_first(list.first().map(|(f, _)| *f)),
            }
        })
    };
    let edit = |make: fn(String) -> Edit| {
        let d = draft.dispatcher();
        Callback::from(move |e: InputEvent| d.dispatch(make(value_of(&e))))
    };
    let add_photos = {
        // Photos being made ready take their place already.
        let room = MAX_PHOTOS.saturating_sub(draft.photos.len() + busy.0 as usize);
        let (d, busy, note) = (draft.dispatcher(), busy.dispatcher(), photo_note.clone());
        Callback::from(move |e: Event| {
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
            let Some(input) = input else { return };
            // The input's list is live: take the files before clearing it (so the same
            // photo can be chosen again after removing it).
            let files: Vec<web_sys::File> = input
                .files()
                .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
                .unwrap_or_default();
            input.set_value("");
            note.set((files.len() > room).then_some(FeedbackText::PhotoTooMany));
            let files: Vec<web_sys::File> = files.into_iter().take(room).collect();
            if files.is_empty() {
                return;
            }
            for _ in &files {
                busy.dispatch(Busy::Start);
            }
            let (d, busy, note) = (d.clone(), busy.clone(), note.clone());
            // One at a time: a cheap phone decodes one full-size photo at once.
            wasm_bindgen_futures::spawn_local(async move {
                for file in files {
                    match photo::shrink(&file).await {
                        Some(data) => d.dispatch(Edit::AddPhoto(data)),
                        None => note.set(Some(FeedbackText::PhotoFailed)),
                    }
                    busy.dispatch(Busy::Done);
                }
            });
        })
    };
    let categories = Rc::new(
        p.config
            .categories
            .iter()
            .map(|c| crate::base::Choice {
                arg: c.id.clone().into(),
                label: c.name.get(lang).to_owned().into(),
                hint: None,
                lang: None,
            })
            .collect::<Vec<_>>(),
    );
    let chosen = draft
        .category
        .as_deref()
        .and_then(|c| p.config.categories.iter().position(|x| x.id == c));
    let on_category = {
        let (d, config) = (draft.dispatcher(), p.config.clone());
        Callback::from(move |i: usize| {
            if let Some(c) = config.categories.get(i) {
                d.dispatch(Edit::Category(c.id.clone()));
            }
        })
    };
    let category_error = problem_of(Field::Category);
    let form = html! {
        <form class="ll-fb__form" onsubmit={send} novalidate=true>
            { el("h2", "", t(FeedbackText::ReportTitle).into()) }
            <div class="ll-fb__categories" data-field="category" id="ll-fb-category">
                { choice_group(&ChoiceGroupProps {
                    legend: t(FeedbackText::Category).into(),
                    options: categories,
                    selected: chosen,
                    on_select: on_category,
                    one_row: false,
                    hook: Some("category".into()),
                    class: Classes::new(),
                }) }
                <p class="ll-fb__problem" role="alert">
                    if let Some(e) = category_error { { "⚠ " }{ e } }
                </p>
            </div>
            { field(&FieldProps {
                id: "ll-fb-description".into(),
                label: t(FeedbackText::Description).into(),
                hint: Some(t(FeedbackText::DescriptionHint).into()),
                error: problem_of(Field::Description),
                class: Classes::new(),
                children: html! {
                    <textarea id="ll-fb-description" name="description" rows="4"
                        maxlength={MAX_DESCRIPTION.to_string()}
                        aria-describedby={described_by("ll-fb-description")}
                        aria-invalid={problem_of(Field::Description).is_some().to_string()}
                        value={draft.description.clone()} oninput={edit(Edit::Description)} />
                },
            }) }
            { field(&FieldProps {
                id: "ll-fb-place".into(),
                label: t(FeedbackText::Place).into(),
                hint: Some(t(FeedbackText::PlaceHint).into()),
                error: problem_of(Field::Place),
                class: Classes::new(),
                children: html! {
                    <>
                        <input id="ll-fb-place" name="place" list="ll-fb-places" autocomplete="off"
                            maxlength={MAX_PLACE.to_string()}
                            aria-describedby={described_by("ll-fb-place")}
                            aria-invalid={problem_of(Field::Place).is_some().to_string()}
                            value={draft.place.clone()} oninput={edit(Edit::Place)} />
                        <datalist id="ll-fb-places">
                            { for p.config.places.iter().map(|x| html! { <option value={x.clone()} /> }) }
                        </datalist>
                    </>
                },
            }) }
            { field(&FieldProps {
                id: "ll-fb-phone".into(),
                label: t(FeedbackText::Phone).into(),
                hint: Some(t(FeedbackText::PhoneHint).into()),
                error: problem_of(Field::Phone),
                class: Classes::new(),
                children: html! {
                    <input id="ll-fb-phone" name="phone" type="tel" inputmode="tel" autocomplete="tel"
                        maxlength="30" aria-describedby={described_by("ll-fb-phone")}
                        aria-invalid={problem_of(Field::Phone).is_some().to_string()}
                        value={draft.phone.clone()} oninput={edit(Edit::Phone)} />
                },
            }) }
            <fieldset class="ll-fb__photos">
                <legend>{ t(FeedbackText::Photos) }</legend>
                <ul class="ll-fb__thumbs">
                    { for draft.photos.iter().enumerate().map(|(i, data)| {
                        let n = (i + 1).to_string();
                        let d = draft.dispatcher();
                        html! {
                            <li key={format!("{i}-{}", data.len())}>
                                <img src={format!("data:image/jpeg;base64,{data}")}
                                    alt={lang.fill(FeedbackText::PhotoAlt, &[("n", &n)])} />
                                <button type="button" class="ll-button" data-act="remove-photo"
                                    onclick={Callback::from(move |_: MouseEvent| d.dispatch(Edit::RemovePhoto(i)))}>
                                    { lang.fill(FeedbackText::PhotoRemove, &[("n", &n)]) }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                if !draft.photos.is_empty() {
                    { el("p", "ll-muted", lang.fill(FeedbackText::PhotoSize, &[
                        ("count", &draft.photos.len().to_string()),
                        ("kb", &photos_kb(&draft.photos).to_string()),
                    ]).into()) }
                }
                if busy.0 > 0 { <p class="ll-muted" role="status">{ t(FeedbackText::PhotoWorking) }</p> }
                if let Some(n) = *photo_note { { notice_text(true, "ll-fb__message", t(n).into()) } }
                if draft.photos.len() + (busy.0 as usize) < MAX_PHOTOS {
                    <label class="ll-button ll-fb__add-photo">
                        { t(FeedbackText::PhotoAdd) }
                        <input type="file" accept="image/*" multiple=true class="ll-fb__file" onchange={add_photos} />
                    </label>
                }
            </fieldset>
            if held { <p class="ll-muted" role="status">{ t(FeedbackText::Saving) }</p> }
            <button class="ll-button ll-button--primary" data-act="report" disabled={busy.0 > 0 || held}>
                { t(FeedbackText::Send) }
            </button>
        </form>
    };
    let refused_reports: Vec<&Refusal> = p.refused.iter().filter(|r| r.payload.is_some()).collect();
    html! {
        <div class="ll-fb">
            if let Some(problem) = &p.save_error {
                { notice_text(true, "ll-fb__message", problem.clone()) }
            }
            { form }
            if !p.waiting.is_empty() || !refused_reports.is_empty() {
                <section class="ll-fb__waiting" data-waiting={p.waiting.len().to_string()}>
                    { el("h2", "", t(FeedbackText::WaitingTitle).into()) }
                    <ul>
                        { for refused_reports.iter().map(|r| refused_item(p, r, &draft)) }
                        { for p.waiting.iter().map(|r| waiting_item(p, r)) }
                    </ul>
                </section>
            }
            <section class="ll-fb__mine">
                { el("h2", "", t(FeedbackText::MyReports).into()) }
                if p.board.cases.is_empty() {
                    { el("p", "ll-muted", t(FeedbackText::NoReports).into()) }
                }
                { for p.board.cases.iter().map(|c| card(p, c, &steps, &pending, held)) }
            </section>
        </div>
    }
}

/// Moves the focus to the first field with a problem (a phone's screen shows little
/// of the form), and brings it into view.
fn focus_first(field: Option<Field>) {
    let selector = match field {
        Some(Field::Category) => "#ll-fb-category button",
        Some(Field::Description) => "#ll-fb-description",
        Some(Field::Place) => "#ll-fb-place",
        Some(Field::Phone) => "#ll-fb-phone",
        None => return,
    };
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
        el.scroll_into_view();
    }
}

fn category_name(p: &FeedbackProps, id: &str) -> String {
    p.config.category(id).map_or_else(
        || p.lang.t(FeedbackText::CategoryGone).to_owned(),
        |c| c.name.get(p.lang).to_owned(),
    )
}

fn waiting_item(p: &FeedbackProps, r: &ReportPayload) -> Html {
    let lang = p.lang;
    html! {
        <li class="ll-fb__queued" data-report="waiting">
            <p><strong>{ category_name(p, &r.category) }</strong>{ " · " }{ r.place.clone() }</p>
            { el("p", "", r.description.clone().into()) }
            if !r.photos.is_empty() {
                { el("p", "ll-muted", lang.fill(FeedbackText::PhotoSize, &[
                    ("count", &r.photos.len().to_string()),
                    ("kb", &photos_kb(&r.photos).to_string()),
                ]).into()) }
            }
            <p class="ll-muted" role="status">{ lang.t(FeedbackText::Waiting) }</p>
        </li>
    }
}

/// A report the server refused: what it said, why, and the way to correct it and send
/// it again (into the form; the refused one stays in the outbox until dismissed).
fn refused_item(p: &FeedbackProps, r: &Refusal, draft: &UseReducerHandle<Draft>) -> Html {
    let lang = p.lang;
    let Some(report) = &r.payload else {
        return Html::default();
    };
    let again = {
        let (d, report) = (draft.dispatcher(), report.clone());
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Edit::Load(report.clone()));
            focus_first(Some(Field::Description));
        })
    };
    html! {
        <li class="ll-fb__queued" data-report="refused" key={r.report.as_str().to_owned()}>
            <p><strong>{ category_name(p, &report.category) }</strong>{ " · " }{ report.place.clone() }</p>
            { el("p", "", report.description.clone().into()) }
            { notice_text(true, "ll-fb__message", lang.fill(FeedbackText::Refused, &[("reason", &r.reason)]).into()) }
            <button type="button" class="ll-button" data-act="edit-again" onclick={again}>
                { lang.t(FeedbackText::EditAgain) }
            </button>
        </li>
    }
}

fn step_name(lang: Lang, action: &str) -> &'static str {
    if action == "report" {
        lang.t(FeedbackText::ActReport)
    } else {
        lang.t(action_text(action))
    }
}

fn card(
    p: &FeedbackProps,
    c: &MyCase,
    steps: &UseStateHandle<Steps>,
    pending: &UseStateHandle<Option<Pending>>,
    held: bool,
) -> Html {
    let lang = p.lang;
    let when = |ms: i64| format_timestamp(ms, p.utc_offset_minutes);
    let number = lang.fill(FeedbackText::Number, &[("n", &c.number.to_string())]);
    let refusal = p
        .refused
        .iter()
        .rev()
        .find(|r| r.payload.is_none() && r.report == c.report);
    html! {
        <article class="ll-fb__card" data-case={c.number.to_string()} data-state={c.state.id()}
            key={c.report.as_str().to_owned()}>
            <h3>{ category_name(p, &c.category) }<span class="ll-muted">{ " · " }{ number }</span></h3>
            <p class="ll-fb__meta">
                <span class="ll-fb__state">{ lang.t(c.state.text()) }</span>
                if c.overdue { { " · " }<strong class="ll-fb__overdue">{ lang.t(FeedbackText::Supervised) }</strong> }
                { " · " }{ when(c.created_at) }
            </p>
            <p>{ c.description.clone() }</p>
            <p class="ll-muted">{ lang.t(FeedbackText::Place) }{ "：" }{ c.place.clone() }
                if c.photos > 0 { { " · " }{ lang.fill(FeedbackText::PhotoCount, &[("n", &c.photos.to_string())]) } }
                if c.reopened > 0 { { " · " }{ lang.fill(FeedbackText::Reopened, &[("n", &c.reopened.to_string())]) } }
            </p>
            <ReadAloud text={format!("{}。{}", lang.t(c.state.text()), c.description)} {lang} />
            if !c.reply.is_empty() {
                <section class="ll-fb__answer" data-answer="">
                    { el("h4", "", lang.t(FeedbackText::Answer).into()) }
                    { el("p", "", c.reply.clone().into()) }
                    <ReadAloud text={c.reply.clone()} {lang} />
                </section>
            }
            <details class="ll-fb__timeline">
                <summary>{ lang.t(FeedbackText::Timeline) }</summary>
                <ol>
                    { for c.steps.iter().map(|s| html! {
                        <li data-step={s.action.clone()}>
                            <span class="ll-muted">{ when(s.at) }</span>{ " " }
                            <strong>{ step_name(lang, &s.action) }</strong>
                            { " · " }{ s.by.clone() }
                            if s.action == "dispatch" && !s.note.is_empty() {
                                { "，" }{ lang.fill(FeedbackText::DispatchedTo, &[("handler", &s.note)]) }
                            } else if !s.note.is_empty() {
                                { "：" }{ s.note.clone() }
                            }
                        </li>
                    }) }
                </ol>
            </details>
            if let Some(r) = refusal {
                { notice_text(true, "ll-fb__message", lang.fill(FeedbackText::Refused, &[("reason", &r.reason)]).into()) }
            }
            { end_part(p, c, steps, pending, held) }
        </article>
    }
}

/// The note typed on case `number`'s form, kept in the widget's state (so a failed
/// save loses nothing, and a new report at the top never moves it to another card).
fn note_area(id: String, number: i64, steps: &UseStateHandle<Steps>) -> Html {
    let value = steps.notes.get(&number).cloned().unwrap_or_default();
    let oninput = {
        let steps = steps.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*steps).clone();
            next.notes
                .insert(number, value_of(&e).chars().take(MAX_NOTE).collect());
            steps.set(next);
        })
    };
    html! { <textarea {id} rows="2" maxlength={MAX_NOTE.to_string()} {value} {oninput} /> }
}

/// The submit of a case's step form: one thing at a time, with the note typed on that
/// case; `emit` sends it with the note and says whether the form was complete.
fn step_submit(
    number: i64,
    steps: &UseStateHandle<Steps>,
    pending: &UseStateHandle<Option<Pending>>,
    emit: impl Fn(String) -> bool + 'static,
) -> Callback<SubmitEvent> {
    let (steps, pending) = (steps.clone(), pending.clone());
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        if pending.is_some() {
            return;
        }
        let note = steps
            .notes
            .get(&number)
            .map(|n| n.trim().to_owned())
            .unwrap_or_default();
        if emit(note) {
            pending.set(Some(Pending::Step(number)));
        }
    })
}

fn reopen_form(
    p: &FeedbackProps,
    c: &MyCase,
    steps: &UseStateHandle<Steps>,
    pending: &UseStateHandle<Option<Pending>>,
    held: bool,
) -> Html {
    let lang = p.lang;
    let number = c.number;
    let onsubmit = {
        let (on_reopen, report) = (p.on_reopen.clone(), c.report.clone());
        step_submit(number, steps, pending, move |note| {
            on_reopen.emit(ReopenPayload {
                report: report.clone(),
                note,
            });
            true
        })
    };
    let id = format!("ll-fb-reopen-{number}");
    html! {
        <details class="ll-fb__reopen">
            <summary>{ lang.t(FeedbackText::NotSolved) }</summary>
            <form {onsubmit}>
                <label for={id.clone()}>{ lang.t(FeedbackText::NotSolvedNote) }</label>
                { note_area(id, number, steps) }
                <button class="ll-button" data-act="reopen" disabled={held}>{ lang.t(FeedbackText::NotSolvedSend) }</button>
            </form>
        </details>
    }
}

fn end_part(
    p: &FeedbackProps,
    c: &MyCase,
    steps: &UseStateHandle<Steps>,
    pending: &UseStateHandle<Option<Pending>>,
    held: bool,
) -> Html {
    let lang = p.lang;
    match prompt(c, &p.stepping) {
        Prompt::Nothing => Html::default(),
        Prompt::Waiting => html! {
            <p class="ll-muted" role="status" data-step-waiting="">{ lang.t(FeedbackText::StepWaiting) }</p>
        },
        Prompt::Reopen => reopen_form(p, c, steps, pending, held),
        Prompt::Rate => {
            let number = c.number;
            let selected = steps.picked.get(&number).copied();
            let options = Rc::new(
                RATINGS
                    .iter()
                    .map(|r| crate::base::Choice {
                        arg: r.id().into(),
                        label: lang.t(r.text()).into(),
                        hint: None,
                        lang: None,
                    })
                    .collect::<Vec<_>>(),
            );
            let on_select = {
                let steps = steps.clone();
                Callback::from(move |i: usize| {
                    let mut next = (*steps).clone();
                    next.picked.insert(number, i);
                    steps.set(next);
                })
            };
            let onsubmit = {
                let (on_rate, report) = (p.on_rate.clone(), c.report.clone());
                step_submit(number, steps, pending, move |note| {
                    let Some(r) = selected.and_then(|i| RATINGS.get(i)) else {
                        return false;
                    };
                    on_rate.emit(RatePayload {
                        report: report.clone(),
                        rating: *r,
                        note,
                    });
                    true
                })
            };
            let id = format!("ll-fb-rate-{number}");
            html! {
                <>
                    <form class="ll-fb__rate" data-rate="" {onsubmit}>
                        { choice_group(&ChoiceGroupProps {
                            legend: lang.t(FeedbackText::RateAsk).into(),
                            options,
                            selected,
                            on_select,
                            one_row: true,
                            hook: Some("rating".into()),
                            class: Classes::new(),
                        }) }
                        <label for={id.clone()}>{ lang.t(FeedbackText::RateNote) }</label>
                        { note_area(id, number, steps) }
                        <button class="ll-button ll-button--primary" data-act="rate"
                            disabled={selected.is_none() || held}>{ lang.t(FeedbackText::RateSend) }</button>
                    </form>
                    { reopen_form(p, c, steps, pending, held) }
                </>
            }
        }
    }
}
