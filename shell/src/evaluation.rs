//! Public evaluation in the shell (公众评价, DESIGN.md "Public evaluation"), behind the
//! cargo feature `evaluation`:
//!
//! - Anonymous use counts: each service's page opened (a visit), an action begun (the
//!   first control touched on the page; a notice opened) and completed (a kind its
//!   scenario names kept in the outbox; a notice read to its end), added up per day in
//!   IndexedDB ([`Tally`]) and, once a day is over, sent as one batch through the
//!   outbox to `POST /api/v1/evaluation`, with the same device id on every phone. Off
//!   in 我的 ([`COUNTING`]): nothing is counted, and what was not sent is deleted.
//! - The rating prompt ([`RatingPrompt`]) under a completed action, at most once per
//!   service per `evaluation.period_days` (default 30; "not now" counts as asked).
//! - The published figures (`#/evaluation`), from 我的 and the home page.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use linli_core::date::date_at;
use linli_core::evaluation::{
    is_evaluation, may_ask, mean_text, share_text, EvalText, Published, RatingPayload, Service,
    Step, Tally, PUBLISHED_DAYS, RATING_KIND, USE_KIND,
};
use linli_core::json::Value;
use linli_core::{Lang, Scenario};
use linli_widgets::base::{el, notice_text, ReadAloud, Switch};
use linli_widgets::evaluation::{Rating, RatingPrompt};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::context::{use_shell, Shell};
use crate::household::DEVICE_TOKEN;
use crate::outbox::{submit, KEPT_EVENT};
use crate::route::Route;
use crate::storage::Storage;

/// Settings key: `"off"` when the resident switched counting off.
pub const COUNTING: &str = "eval_counting";
/// Settings key: the days counted and not sent ([`Tally::to_value`]).
const TALLY: &str = "eval_tally";
/// Settings key: when each service last asked for a rating, `{service: ms}`.
const ASKED: &str = "eval_asked";
/// Settings key: the published figures as last fetched, for offline reading.
const PUBLISHED: &str = "eval_published";

/// What a resident calls an evaluation kind in the outbox's list.
pub fn kind_text(kind: &str, lang: Lang) -> Option<&'static str> {
    match kind {
        USE_KIND => Some(lang.t(EvalText::KindUse)),
        RATING_KIND => Some(lang.t(EvalText::KindRating)),
        _ => None,
    }
}

/// The service a page belongs to, and whether opening it begins an action (a notice
/// opened) rather than being a visit.
fn service_of(route: &Route) -> Option<(Service, Step)> {
    match route {
        Route::Notices => Some((Service::Notices, Step::Visit)),
        Route::Notice(_) => Some((Service::Notices, Step::Start)),
        Route::Scenario(s) => Some((Service::of(*s), Step::Visit)),
        _ => None,
    }
}

thread_local! {
    /// Steps counted and not yet written, and whether a write is running: counts are
    /// written one after another, so none is lost to two writes racing.
    static PENDING: RefCell<Vec<(Service, Step, i64)>> = const { RefCell::new(Vec::new()) };
    static WRITING: Cell<bool> = const { Cell::new(false) };
}

/// Counts one step of `service` now, in the deployment's day (`offset` minutes east of
/// UTC); nothing when counting is off.
pub fn count(service: Service, step: Step, offset: i64) {
    PENDING.with(|p| p.borrow_mut().push((service, step, offset)));
    if !WRITING.with(|w| w.replace(true)) {
        wasm_bindgen_futures::spawn_local(async {
            write_counts().await;
            WRITING.with(|w| w.set(false));
        });
    }
}

async fn write_counts() {
    let Ok(storage) = Storage::open().await else {
        PENDING.with(|p| p.borrow_mut().clear());
        return;
    };
    loop {
        let steps: Vec<_> = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
        if steps.is_empty() {
            break;
        }
        if counting_off(&storage).await {
            continue;
        }
        let mut tally = tally_of(&storage).await;
        let now = crate::clock::server_now() as i64;
        for (service, step, offset) in steps {
            if let Some(day) = date_at(now, offset) {
                tally.add(day, service, step);
            }
        }
        let text = stringify(&tally.to_value());
        let _ = storage.set_setting(TALLY, &text).await;
    }
    storage.close();
}

/// A value as JSON text, for a setting.
fn stringify(value: &Value) -> String {
    js_sys::JSON::stringify(&crate::js::to_js(value))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

async fn counting_off(storage: &Storage) -> bool {
    matches!(storage.setting(COUNTING).await, Ok(Some(v)) if v == "off")
}

async fn tally_of(storage: &Storage) -> Tally {
    let text = storage.setting(TALLY).await.ok().flatten();
    text.map(|t| crate::net::parse(&t))
        .and_then(|v| Tally::from_value(&v).ok())
        .unwrap_or_default()
}

/// Queues the finished days as batches in the outbox, once this phone is linked (an
/// unlinked phone keeps them, up to `KEEP_DAYS`). The tally is written without them
/// first: a phone closed in between loses a day's counts rather than sending it twice.
async fn flush(offset: i64) {
    let Ok(storage) = Storage::open().await else {
        return;
    };
    let linked = matches!(storage.setting(DEVICE_TOKEN).await, Ok(Some(_)));
    let today = date_at(crate::clock::server_now() as i64, offset);
    if let (true, Some(today), false) = (linked, today, counting_off(&storage).await) {
        let mut tally = tally_of(&storage).await;
        let due = tally.take_due(today);
        if !due.is_empty() {
            let text = stringify(&tally.to_value());
            if storage.set_setting(TALLY, &text).await.is_ok() {
                for batch in due {
                    let _ = submit(USE_KIND, batch.to_value()).await;
                }
            }
        }
    }
    storage.close();
}

/// Switches counting on or off; off deletes the counts not yet sent, on the phone and
/// in the outbox.
async fn set_counting(on: bool) -> bool {
    let Ok(storage) = Storage::open().await else {
        return false;
    };
    let mut ok = storage
        .set_setting(COUNTING, if on { "on" } else { "off" })
        .await
        .is_ok();
    if !on {
        ok &= storage.set_setting(TALLY, "[]").await.is_ok();
        if let Ok((entries, _)) = storage.entries().await {
            for e in entries
                .iter()
                .filter(|e| e.envelope.kind == USE_KIND && e.is_waiting())
            {
                ok &= storage.delete_entry(e.id().as_str()).await.is_ok();
            }
        }
    }
    storage.close();
    if let Some(w) = web_sys::window() {
        if let Ok(event) = web_sys::Event::new(crate::outbox::CHANGED_EVENT) {
            let _ = w.dispatch_event(&event);
        }
    }
    ok
}

/// Whether `service` may ask for a rating now, and if so records that it asked.
async fn ask(service: Service, period: u32, offset: i64) -> bool {
    remember_asked(service, Some((period, offset))).await
}

/// Records that `service` asked for a rating now; with `(period, offset)`, only when
/// the period since it last asked is over. Whether it was recorded.
async fn remember_asked(service: Service, rule: Option<(u32, i64)>) -> bool {
    let Ok(storage) = Storage::open().await else {
        return false;
    };
    let mut asked: Vec<(String, Value)> = match storage
        .setting(ASKED)
        .await
        .ok()
        .flatten()
        .map(|t| crate::net::parse(&t))
    {
        Some(Value::Object(m)) => m,
        _ => Vec::new(),
    };
    let last = asked.iter().find_map(|(k, v)| match v {
        Value::Number(n) if k == service.id() => Some(*n as i64),
        _ => None,
    });
    let now = crate::clock::server_now() as i64;
    let yes = rule.is_none_or(|(period, offset)| may_ask(last, now, period, offset));
    if yes {
        asked.retain(|(k, _)| k != service.id());
        asked.push((service.id().to_owned(), Value::Number(now as f64)));
        let text = stringify(&Value::Object(asked));
        // Not kept: then it is not asked either, so it cannot be asked twice.
        let kept = storage.set_setting(ASKED, &text).await.is_ok();
        storage.close();
        return kept;
    }
    storage.close();
    false
}

/// Props of [`Measure`].
#[derive(Properties, PartialEq)]
pub struct MeasureProps {
    /// The page shown.
    pub route: Route,
}

/// Counts the use of the page shown, listens for completed actions, and shows the
/// rating prompt under them. Rendered by the shell inside `<main>`, after the page.
#[function_component]
pub fn Measure(p: &MeasureProps) -> Html {
    let shell = use_shell();
    let asking = use_state_eq(|| None::<Service>);
    let (offset, period) = shell.as_ref().map_or((480, 30), |s| {
        (
            s.config.utc_offset_minutes(),
            s.config.evaluation.period_days,
        )
    });
    // A visit (or a notice opened) on arriving at a page; the finished days leave.
    {
        let asking = asking.clone();
        use_effect_with(p.route.clone(), move |route| {
            if let Some((service, step)) = service_of(route) {
                count(service, step, offset);
            }
            asking.set(None);
            wasm_bindgen_futures::spawn_local(flush(offset));
        });
    }
    // The first control touched on a scenario's page begins an action.
    use_effect_with(p.route.clone(), move |route| {
        let service = match route {
            Route::Scenario(s) => Some(Service::of(*s)),
            _ => None,
        };
        let begun = Rc::new(Cell::new(false));
        let main = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("ll-main"));
        let listeners = service.zip(main).map(|(service, main)| {
            let on = |name: &'static str, buttons_only: bool| {
                let begun = begun.clone();
                EventListener::new(&main, name, move |e| {
                    let control = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|t| {
                            !buttons_only || t.closest("button").ok().flatten().is_some()
                        });
                    if control && !begun.replace(true) {
                        count(service, Step::Start, offset);
                    }
                })
            };
            [on("input", false), on("change", false), on("click", true)]
        });
        move || drop(listeners)
    });
    // A notice read to its end completes reading it.
    {
        let asking = asking.clone();
        use_effect_with(p.route.clone(), move |route| {
            let listener = matches!(route, Route::Notice(_))
                .then(web_sys::window)
                .flatten()
                .map(|w| {
                    let done = Rc::new(Cell::new(false));
                    let check = move || {
                        if !done.get() && read_to_end() {
                            done.set(true);
                            completed(Service::Notices, period, offset, asking.clone());
                        }
                    };
                    check();
                    EventListener::new(&w, "scroll", move |_| check())
                });
            move || drop(listener)
        });
    }
    // An action completed: a kind its scenario names was kept in the outbox.
    {
        let asking = asking.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, KEPT_EVENT, move |e| {
                    let kind = e
                        .dyn_ref::<web_sys::CustomEvent>()
                        .and_then(|c| c.detail().as_string())
                        .unwrap_or_default();
                    let service = crate::scenarios::built()
                        .iter()
                        .find(|s| s.completes.contains(&kind.as_str()))
                        .map(|s| Service::of(s.scenario));
                    if let Some(service) = service.filter(|_| !is_evaluation(&kind)) {
                        completed(service, period, offset, asking.clone());
                    }
                })
            });
            move || drop(listener)
        });
    }
    let Some(service) = *asking else {
        return Html::default();
    };
    let on_done = {
        let asking = asking.clone();
        Callback::from(move |()| asking.set(None))
    };
    html! { <Rate key={service.id()} {service} {on_done} /> }
}

/// Props of [`Rate`].
#[derive(Properties, PartialEq)]
pub struct RateProps {
    /// The service to rate.
    pub service: Service,
    /// 以后再说: the resident would rather not rate now.
    pub on_done: Callback<()>,
}

/// Where a rating stands once kept: waiting to be sent, sent, or refused by the server
/// with its reason.
#[derive(Clone, PartialEq)]
enum Sending {
    Waiting,
    Sent,
    Refused(String),
}

/// The rating prompt for `service` with the shell's outbox behind it: brought into
/// view and focused when it appears (and announced by its heading); the rating is said
/// kept once IndexedDB holds it, then sent once the server has acknowledged it (or
/// refused, with the server's reason).
#[function_component]
pub fn Rate(p: &RateProps) -> Html {
    let shell = use_shell();
    let saved = use_state_eq(|| None::<Result<(), AttrValue>>);
    let kept = use_state_eq(|| None::<String>);
    let sending = use_state_eq(|| Sending::Waiting);
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                el.scroll_into_view();
                let _ = el.focus();
            }
        });
    }
    // Once kept, follow the outbox until the server has it.
    {
        let sending = sending.clone();
        use_effect_with((*kept).clone(), move |id| {
            let listener = id.clone().and_then(|id| {
                let check = move || {
                    let (id, sending) = (id.clone(), sending.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Some(state) = outbox_state(&id).await {
                            sending.set(state);
                        }
                    });
                };
                check();
                web_sys::window()
                    .map(|w| EventListener::new(&w, crate::outbox::CHANGED_EVENT, move |_| check()))
            });
            move || drop(listener)
        });
    }
    let Some(shell) = shell else {
        return Html::default();
    };
    let lang = shell.lang();
    let (service, offset) = (p.service, shell.config.utc_offset_minutes());
    let on_rate = {
        let (saved, kept) = (saved.clone(), kept.clone());
        Callback::from(move |r: Rating| {
            saved.set(None);
            let now = crate::clock::server_now() as i64;
            let Some(day) = date_at(now, offset) else {
                return;
            };
            let payload = RatingPayload {
                service,
                day,
                score: r.score,
                comment: r.comment,
                contact: r.contact,
            };
            let (saved, kept) = (saved.clone(), kept.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = submit(RATING_KIND, payload.to_value()).await;
                if let Ok(id) = &result {
                    remember_asked(service, None).await;
                    kept.set(Some(id.as_str().to_owned()));
                }
                saved.set(Some(
                    result.map(|_| ()).map_err(|e| lang.t(e.text()).into()),
                ));
            });
        })
    };
    let title = format!("ll-eval-{}-title", service.id());
    let after = match &*sending {
        Sending::Waiting => Html::default(),
        Sending::Sent => notice_text(false, "ll-eval-ask__sent", shell.t(EvalText::Sent).into()),
        Sending::Refused(why) => {
            notice_text(true, "ll-eval-ask__sent", AttrValue::from(why.clone()))
        }
    };
    html! {
        <div class="ll-eval-ask" ref={node} tabindex="-1" role="region" aria-labelledby={title}>
            if *sending == Sending::Waiting {
                <RatingPrompt {service} {lang} saved={(*saved).clone()} {on_rate} on_dismiss={p.on_done.clone()} />
            }
            { after }
        </div>
    }
}

/// Where the outbox entry `id` stands: sent, refused (with the server's reason) or
/// still waiting (`None` when it cannot be read).
async fn outbox_state(id: &str) -> Option<Sending> {
    let storage = Storage::open().await.ok()?;
    let entries = storage.entries().await.ok().map(|(e, _)| e);
    storage.close();
    let entry = entries?.into_iter().find(|e| e.id().as_str() == id)?;
    Some(match entry.state {
        linli_core::sync::outbox::State::Acked { .. } => Sending::Sent,
        linli_core::sync::outbox::State::Rejected(e) => Sending::Refused(e.message),
        _ => Sending::Waiting,
    })
}

/// Event fired on `window` once public evaluation has decided whether to ask for a
/// rating after a completed action: `detail` is `"<service>:yes"` or `"<service>:no"`
/// (an embedding page, or a test, learns that the prompt will not come).
pub const ASKED_EVENT: &str = "linli-evaluation-asked";

/// Counts a completed action and asks for a rating when the period allows.
fn completed(service: Service, period: u32, offset: i64, asking: UseStateHandle<Option<Service>>) {
    count(service, Step::Complete, offset);
    wasm_bindgen_futures::spawn_local(async move {
        let yes = ask(service, period, offset).await;
        if yes {
            asking.set(Some(service));
        }
        if let Some(w) = web_sys::window() {
            let init = web_sys::CustomEventInit::new();
            let detail = format!("{}:{}", service.id(), if yes { "yes" } else { "no" });
            init.set_detail(&wasm_bindgen::JsValue::from_str(&detail));
            if let Ok(e) = web_sys::CustomEvent::new_with_event_init_dict(ASKED_EVENT, &init) {
                let _ = w.dispatch_event(&e);
            }
        }
    });
}

/// Whether the open notice's end is on the screen.
fn read_to_end() -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let has_body = doc
        .query_selector(".ll-notice-page__body")
        .ok()
        .flatten()
        .is_some();
    let Some(root) = doc.document_element() else {
        return false;
    };
    has_body && root.scroll_top() + root.client_height() >= root.scroll_height() - 48
}

/// 我的's part: counting on or off with what is counted, what this phone counted
/// today, and the way to the published figures.
#[function_component]
pub fn CountingSwitch() -> Html {
    let shell = use_shell();
    let state = use_state_eq(|| None::<(bool, linli_core::evaluation::Counts)>);
    let generation = use_state_eq(|| 0u32);
    {
        let (state, offset) = (
            state.clone(),
            shell
                .as_ref()
                .map_or(480, |s| s.config.utc_offset_minutes()),
        );
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(storage) = Storage::open().await else {
                    return;
                };
                let off = counting_off(&storage).await;
                let today = date_at(crate::clock::server_now() as i64, offset);
                let counts = match today {
                    Some(d) => tally_of(&storage).await.on(d),
                    None => Default::default(),
                };
                storage.close();
                state.set(Some((!off, counts)));
            });
        });
    }
    let Some(shell) = shell else {
        return Html::default();
    };
    let lang = shell.lang();
    let on_change = {
        let (state, generation) = (state.clone(), generation.clone());
        Callback::from(move |on: bool| {
            let (state, generation) = (state.clone(), generation.clone());
            wasm_bindgen_futures::spawn_local(async move {
                set_counting(on).await;
                state.set(None);
                generation.set(generation.wrapping_add(1));
            });
        })
    };
    let (on, counts) = (*state).unwrap_or((true, Default::default()));
    let line = if on {
        lang.fill(
            EvalText::CountedToday,
            &[
                ("visits", &counts.visits.to_string()),
                ("started", &counts.started.to_string()),
                ("completed", &counts.completed.to_string()),
            ],
        )
    } else {
        lang.t(EvalText::CountingOff).to_owned()
    };
    html! {
        <div class="ll-group" data-testid="evaluation-me">
            { el("h2", "ll-group__title", AttrValue::from(shell.t(EvalText::PageTitle))) }
            <Switch label={shell.t(EvalText::Counting)} hint={AttrValue::from(shell.t(EvalText::CountingHint))}
                checked={on} {on_change} {lang} />
            { el("p", "ll-muted", AttrValue::from(line)) }
            { link(&shell) }
        </div>
    }
}

/// The way to the published figures.
pub fn link(shell: &Shell) -> Html {
    crate::chrome::route_link(
        &Route::Evaluation,
        "ll-button",
        false,
        html! { shell.t(EvalText::Link) },
    )
}

/// The published figures, `#/evaluation`: each service's use and approval over the
/// last 30 days, "too few to show" under the minimum, and what changed because of
/// residents' comments (你说我改). Kept for offline reading.
#[function_component]
pub fn PublicPage() -> Html {
    let shell = use_shell();
    let state = use_state(|| None::<Option<(Rc<Published>, bool)>>);
    let rating = use_state_eq(|| None::<Service>);
    {
        let (state, server) = (
            state.clone(),
            shell.as_ref().and_then(|s| s.config.server_url.clone()),
        );
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let storage = Storage::open().await.ok();
                let url = crate::net::api_url(server.as_deref(), linli_core::evaluation::ENDPOINT);
                let got =
                    crate::net::get_kept(storage.as_ref(), &url, None, PUBLISHED, true, |t| {
                        read(t).is_some()
                    })
                    .await;
                if let Some(s) = storage {
                    s.close();
                }
                state.set(Some(
                    got.and_then(|(text, kept)| Some((Rc::new(read(&text)?), kept))),
                ));
            });
        });
    }
    let Some(shell) = shell else {
        return Html::default();
    };
    let body = match &*state {
        None => el("p", "ll-muted", shell.t(EvalText::Loading).into()),
        Some(None) => notice_text(
            false,
            "ll-eval-page__message",
            shell.t(EvalText::Unavailable).into(),
        ),
        Some(Some((figures, kept))) => {
            let on_rate = {
                let rating = rating.clone();
                Callback::from(move |s: Service| rating.set(Some(s)))
            };
            let on_done = {
                let rating = rating.clone();
                Callback::from(move |()| rating.set(None))
            };
            let ask = Ask {
                rating: *rating,
                on_rate,
                on_done,
            };
            figures_html(&shell, figures, *kept, &ask)
        }
    };
    html! {
        <section class="ll-page ll-eval-page">
            { el("h1", "ll-page__title", AttrValue::from(shell.t(EvalText::PageTitle))) }
            { body }
        </section>
    }
}

fn read(text: &str) -> Option<Published> {
    Published::from_value(&crate::net::parse(text)).ok()
}

/// The public page's way to rate a service of one's own accord: which service's
/// prompt is open, and how to open and close it.
struct Ask {
    rating: Option<Service>,
    on_rate: Callback<Service>,
    on_done: Callback<()>,
}

fn figures_html(shell: &Shell, p: &Published, kept: bool, ask: &Ask) -> Html {
    let lang = shell.lang();
    let intro = lang.fill(
        EvalText::PageIntro,
        &[
            ("days", &PUBLISHED_DAYS.to_string()),
            ("from", &p.from.to_string()),
            ("to", &p.to.to_string()),
        ],
    );
    let offered = |s: Service| {
        s == Service::Notices
            || Scenario::ALL
                .into_iter()
                .any(|x| Service::of(x) == s && crate::scenarios::enabled(shell, x).is_some())
    };
    let shown: Vec<_> = p.services.iter().filter(|s| offered(s.service)).collect();
    let spoken = std::iter::once(intro.clone())
        .chain(shown.iter().flat_map(|s| {
            let (title, lines) = lines(shell, p, s);
            std::iter::once(title.to_owned()).chain(lines)
        }))
        .collect::<Vec<_>>()
        .join("\n");
    html! {
        <>
            if kept {
                { notice_text(false, "ll-eval-page__message", shell.t(EvalText::Offline).into()) }
            }
            <ReadAloud text={AttrValue::from(spoken)} lang={shell.lang()} />
            { el("p", "", AttrValue::from(intro)) }
            { for shown.into_iter().map(|s| service_html(shell, p, s, ask)) }
        </>
    }
}

/// How a service's completed actions read: a notice read to its end, a meal ordered, a
/// ballot cast, a problem reported.
fn done_text(service: Service) -> EvalText {
    match service {
        Service::Notices => EvalText::ReadThrough,
        Service::Meals => EvalText::Ordered,
        Service::Voting => EvalText::Voted,
        Service::Feedback => EvalText::Reported,
        Service::Forms => EvalText::Completed,
    }
}

/// A service's figures as sentences: its name, then its use, its approval (or too few
/// to show); what the page shows and what 朗读 reads.
fn lines(
    shell: &Shell,
    p: &Published,
    s: &linli_core::evaluation::PublishedService,
) -> (&'static str, Vec<String>) {
    let lang = shell.lang();
    let use_line = format!(
        "{} · {}",
        lang.fill(EvalText::Visits, &[("n", &s.visits.to_string())]),
        lang.fill(done_text(s.service), &[("n", &s.completed.to_string())])
    );
    let approval = match (s.ratings, s.mean, s.high) {
        (Some(count), Some(mean), Some(high)) => vec![
            lang.fill(EvalText::Approval, &[("share", &share_text(high))]),
            lang.fill(
                EvalText::ApprovalDetail,
                &[("count", &count.to_string()), ("mean", &mean_text(mean))],
            ),
        ],
        _ => vec![lang.fill(EvalText::TooFew, &[("min", &p.min_ratings.to_string())])],
    };
    (
        shell.t(s.service.title()),
        std::iter::once(use_line).chain(approval).collect(),
    )
}

fn service_html(
    shell: &Shell,
    p: &Published,
    s: &linli_core::evaluation::PublishedService,
    ask: &Ask,
) -> Html {
    let (title, lines) = lines(shell, p, s);
    let shown = s.ratings.is_some();
    let service = s.service;
    let rate = if ask.rating == Some(service) {
        html! { <Rate key={service.id()} {service} on_done={ask.on_done.clone()} /> }
    } else {
        let onclick = ask.on_rate.reform(move |_: MouseEvent| service);
        html! {
            <button type="button" class="ll-button" data-act="rate" data-arg={service.id()} {onclick}>
                { shell.t(EvalText::RateThis) }
            </button>
        }
    };
    html! {
        <article class="ll-group ll-eval-figures" data-service={service.id()}>
            { el("h2", "ll-group__title", AttrValue::from(title)) }
            { el("p", "ll-eval-figures__use", AttrValue::from(lines[0].clone())) }
            if shown {
                <p class="ll-eval-figures__approval" data-approval={s.high.map(share_text).unwrap_or_default()}>
                    <strong>{ lines.get(1).cloned().unwrap_or_default() }</strong>
                    <br />
                    { lines.get(2).cloned().unwrap_or_default() }
                </p>
            } else {
                { el("p", "ll-muted", AttrValue::from(lines.get(1).cloned().unwrap_or_default())) }
            }
            { el("h3", "ll-eval-figures__changes", AttrValue::from(shell.t(EvalText::Changes))) }
            if s.changes.is_empty() {
                { el("p", "ll-muted", AttrValue::from(shell.t(EvalText::NoChanges))) }
            } else {
                <ul>
                    { for s.changes.iter().map(|c| html! { <li>{ format!("{}：{}", c.date, c.text) }</li> }) }
                </ul>
            }
            { rate }
        </article>
    }
}
