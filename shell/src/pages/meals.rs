//! 老年助餐: the meals widget wired to this device. The household's board comes from
//! `GET /api/v1/meals` and is kept in IndexedDB as the server sent it, so the menu
//! shows offline; orders, cancellations and diet profiles go into the outbox like
//! every submission.

use linli_core::meals::MealText;
use std::rc::Rc;

use linli_core::json::Value;
use linli_core::meals::{Board, Cancel, MealOrder, Profile};
use linli_core::sync::outbox::{refusal_text, Entry, State};
use linli_core::sync::wire::SubmissionId;
use linli_core::Text;
use linli_widgets::base::{el, notice_text};
use linli_widgets::meals::{MealOrdering, Refused};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::chrome::route_link;
use crate::context::{use_shell, Shell};
use crate::net::{api_url, parse, post_json};
use crate::outbox::submit;
use crate::pages::outbox::{use_outbox, ById, OutboxView};
use crate::route::Route;
use crate::storage::Storage;

/// Where the last board is kept (settings store), as the server's JSON text.
pub const BOARD_KEY: &str = "meals_board";
/// How often an open meals page refreshes its board (statuses, portions left), ms.
const REFRESH_MS: i32 = 30_000;

type Load = super::board::Load<Board>;

/// Fresh from the server (and, with `save`, kept for offline use), else the saved copy.
/// 我的 reads the board without keeping it: the copy for offline use is the meals
/// page's.
async fn load(server: Option<String>, save: bool) -> Load {
    let read = |text: &str| Board::from_value(&parse(text)).ok();
    let reads = |text: &str| Board::from_value(&parse(text)).is_ok();
    super::board::load(server, "api/v1/meals", BOARD_KEY, save, read, reads).await
}

/// Links this household as a helper for the elders of the household whose code it is.
async fn link_proxy(server: Option<String>, code: String) -> bool {
    let Ok(Some(token)) = crate::household::token().await else {
        return false;
    };
    let body = Value::object(vec![("code", Value::String(code.trim().to_owned()))]);
    let url = api_url(server.as_deref(), "api/v1/meals/proxies");
    matches!(
        post_json(&url, &body, Some(&token), None).await,
        Ok((201, _))
    )
}

/// The class the page's messages share with the widget's (a hook for tests).
const MESSAGE: &str = "ll-meal__message";

/// The meals scenario's way into the shell.
pub const ENTRY: crate::scenarios::Entry = crate::scenarios::Entry {
    scenario: linli_core::Scenario::Meals,
    page: |_| html! { <MealsPage /> },
    me: |_| html! { <MealsPage consent=true /> },
    configured: |c| c.meals.is_some(),
    kind: |kind, lang| linli_core::meals::MealKind::from_id(kind).map(|k| lang.t(k.text())),
    completes: &["meal_order"],
};

/// Props of [`MealsPage`].
#[derive(Properties, PartialEq)]
pub struct MealsPageProps {
    /// Only the 饮食健康信息 group of 我的: the elders whose dietary data is kept with
    /// this household's consent, each with a button that withdraws it.
    #[prop_or_default]
    pub consent: bool,
}

/// The meals page, or with `consent` its part of 我的 (one component for both keeps
/// the residents' download smaller than two would).
#[function_component]
pub fn MealsPage(props: &MealsPageProps) -> Html {
    let state = use_state(|| Load::Loading);
    let now = use_state_eq(crate::clock::server_now);
    // `None` until a helper code was tried, then whether it linked.
    let linked_proxy = use_state_eq(|| None::<bool>);
    // Why the last order could not be kept on this phone, for the widget to say.
    // Why the last thing sent from here could not be kept or done, in the resident's
    // words: an order (for the widget to say), a withdrawal or a helper's removal
    // (said once under 我的's meals groups).
    let save_error = use_state_eq(|| None::<&'static str>);

    // 我的 only: who orders for this household's elders, and whether removing one failed.
    let helpers = use_state(Vec::<super::helpers::Helper>::new);
    let code = use_node_ref();
    let outbox = use_outbox();
    let shell = use_shell();
    let skew = crate::chrome::use_clock_skew();
    // The host's lists for the widget, rebuilt only when the outbox or the config
    // changes, so the widget's identity comparison saves renders.
    let lang = shell.as_ref().map(|s| s.lang()).unwrap_or_default();
    let deployment = shell.as_ref().map(|s| ById(s.config.clone()));
    let lists = use_memo(
        (outbox.clone(), lang, deployment),
        |(read, lang, deployment)| {
            let entries = read.as_ref().map(|r| r.open.as_slice()).unwrap_or_default();
            let config = deployment.as_ref().and_then(|d| d.0.meals.clone());
            Lists::of(entries, *lang, config)
        },
    );
    let server = shell.as_ref().and_then(|s| s.config.server_url.clone());
    // Load now, whenever the outbox changes (an order went out), after linking as a
    // helper, and on every tick of the clock (30 s, and on going online): statuses and
    // portions stay current and a cut-off closes on screen.
    let waiting = outbox.as_ref().map(|o| o.waiting());
    {
        let (state, server, helpers) = (state.clone(), server.clone(), helpers.clone());
        let consent = props.consent;
        use_effect_with((waiting, *linked_proxy, *now as u64), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                state.set(load(server.clone(), !consent).await);
                if consent {
                    helpers.set(super::helpers::fetch(server).await);
                }
            });
        });
    }
    super::board::use_refresh(&now, (!props.consent).then_some(REFRESH_MS));
    let Some(shell) = shell else {
        return Html::default();
    };
    if shell.config.meals.is_none() {
        return Html::default();
    }
    // One queueing callback for what the widget and 我的 send; a failure to keep it
    // on the phone is said where it was made (the widget keeps the draft). A consent
    // withdrawal kept on the phone empties the board kept here, diet and all.
    let queue = {
        let save_error = save_error.clone();
        Callback::from(move |(kind, payload): (&'static str, Value)| {
            let save_error = save_error.clone();
            let withdraws = kind == "meal_profile" && withdrawal_of(&payload).is_some();
            wasm_bindgen_futures::spawn_local(async move {
                let kept = submit(kind, payload).await;
                if kept.is_ok() && withdraws {
                    forget_diet().await;
                }
                save_error.set(kept.err().map(|e| lang.t(e.text())));
            });
        })
    };
    if props.consent {
        // One listener for both groups' buttons: `data-elder` withdraws that elder's
        // consent, `data-helper` removes that helper.
        let onclick = {
            let (failed, now, server) = (save_error.clone(), now.clone(), server.clone());
            Callback::from(move |e: MouseEvent| {
                let Some(button) = e
                    .target()
                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                else {
                    return;
                };
                if let Some(elder) = button.get_attribute("data-elder") {
                    let profile = Profile {
                        elder,
                        consent: false,
                        needs: Vec::new(),
                        allergies: Vec::new(),
                    };
                    return queue.emit(("meal_profile", profile.to_value()));
                }
                let Some(id) = button.get_attribute("data-helper") else {
                    return;
                };
                let (failed, now, server) = (failed.clone(), now.clone(), server.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let removed = super::helpers::remove(server, id).await;
                    failed.set((!removed).then(|| lang.t(MealText::MealHelperRemoveFailed)));
                    // A new "now" loads the board and the helpers again.
                    now.set(crate::clock::server_now());
                });
            })
        };
        let helpers = super::helpers::group(&shell, &helpers);
        let ready = if matches!(*state, Load::Loading) {
            "loading"
        } else {
            "ready"
        };
        return html! {
            <div data-testid="meals-me" data-state={ready} {onclick}>
                { consent_group(&shell, &state, outbox.as_deref()) }{ helpers }
                if let Some(problem) = *save_error {
                    { notice_text(true, "", problem.into()) }
                }
            </div>
        };
    }
    let body = match &*state {
        Load::Loading => el("p", "ll-muted", shell.t(MealText::MealLoading).into()),
        Load::Unavailable => notice_text(false, MESSAGE, shell.t(MealText::MealUnavailable).into()),
        Load::NotLinked => html! {
            <div class="ll-group">
                { el("p", "", shell.t(MealText::MealNotLinked).into()) }
                { route_link(&Route::Me, "ll-button ll-button--primary", false, html! { shell.t(MealText::MealGoLink) }) }
            </div>
        },
        Load::NoStorage(e) => notice_text(true, MESSAGE, shell.t(e.text()).into()),
        Load::Ready(board, offline) => {
            let Some(config) = lists.config.clone() else {
                return Html::default();
            };
            let save_error = (*save_error).map(AttrValue::from);
            let on_order = queue.reform(|o: MealOrder| ("meal_order", o.to_value()));
            let on_cancel = queue.reform(|order| ("meal_cancel", Cancel { order }.to_value()));
            let on_profile =
                queue.reform(|p: linli_core::meals::Profile| ("meal_profile", p.to_value()));
            let on_dismiss = Callback::from(|id: SubmissionId| {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = crate::outbox::dismiss(&id).await;
                });
            });
            let lang = shell.lang();
            let refused = lists.refused.clone();
            html! {
                <>
                    if *offline {
                        { notice_text(false, MESSAGE, shell.t(MealText::MealOffline).into()) }
                    }
                    if lists.unreadable > 0 {
                        { notice_text(true, MESSAGE, lang.fill(MealText::MealUnreadable, &[("count", &lists.unreadable.to_string())]).into()) }
                    }
                    <MealOrdering board={board.clone()} {config} now={*now} clock_skew_ms={skew as f64} {lang}
                        pending={lists.pending.clone()} cancelling={lists.cancelling.clone()} {refused}
                        {on_order} {on_cancel} {on_profile} {on_dismiss} {save_error} />
                </>
            }
        }
    };
    let helper = (!matches!(*state, Load::NotLinked)).then(|| {
        let onsubmit = {
            let (code, linked_proxy) = (code.clone(), linked_proxy.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let text = code
                    .cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default();
                let (linked_proxy, server) = (linked_proxy.clone(), server.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    linked_proxy.set(Some(link_proxy(server, text).await));
                });
            })
        };
        helper_form(&shell, *linked_proxy, code.clone(), onsubmit)
    });
    html! {
        <section class="ll-page">
            { el("h1", "ll-page__title", shell.t(Text::ScenarioMeals).into()) }
            { body }
            { helper }
        </section>
    }
}

/// What the outbox holds for the widget: orders waiting, cancellations waiting,
/// refusals not yet dismissed (why, in `lang`), and waiting or refused orders this app
/// cannot read (kept, and counted, never dropped).
#[derive(Default)]
struct Lists {
    /// The deployment's meals section, one `Rc` per config.
    config: Option<Rc<linli_core::config::MealsConfig>>,
    pending: Rc<Vec<MealOrder>>,
    cancelling: Rc<Vec<SubmissionId>>,
    refused: Rc<Vec<Refused>>,
    unreadable: usize,
}

impl Lists {
    fn of(
        entries: &[Entry],
        lang: linli_core::Lang,
        config: Option<linli_core::config::MealsConfig>,
    ) -> Lists {
        let (mut pending, mut cancelling, mut refused) = (Vec::new(), Vec::new(), Vec::new());
        let mut unreadable = 0;
        for e in entries {
            let env = &e.envelope;
            let order = || MealOrder::from_value(&env.payload, 0).ok();
            let read = match (&e.state, env.kind.as_str()) {
                (_, "meal_order") if e.is_waiting() => order().map(|o| pending.push(o)),
                (State::Rejected(body), "meal_order") => order().map(|order| {
                    refused.push(Refused {
                        id: env.id.clone(),
                        order,
                        reason: refusal_text(body, lang),
                    })
                }),
                (_, "meal_cancel") if e.is_waiting() => Cancel::from_value(&env.payload)
                    .ok()
                    .map(|c| cancelling.push(c.order)),
                _ => Some(()),
            };
            unreadable += usize::from(read.is_none());
        }
        Lists {
            config: config.map(Rc::new),
            pending: Rc::new(pending),
            cancelling: Rc::new(cancelling),
            refused: Rc::new(refused),
            unreadable,
        }
    }
}

/// 为家里老人代订: the elder's household code makes this household a helper.
fn helper_form(
    shell: &Shell,
    result: Option<bool>,
    code: NodeRef,
    onsubmit: Callback<SubmitEvent>,
) -> Html {
    html! {
        <form class="ll-group ll-bind" {onsubmit}>
            { el("h2", "ll-group__title", shell.t(MealText::MealProxyTitle).into()) }
            { el("p", "ll-muted", shell.t(MealText::MealProxyHint).into()) }
            { super::household::code_field(shell, code) }
            if let Some(ok) = result {
                { notice_text(!ok, "", shell.t(if ok { MealText::MealProxyDone } else { MealText::MealProxyFailed }).into()) }
            }
            <button class="ll-button">{ shell.t(MealText::MealProxyButton) }</button>
        </form>
    }
}

/// 我的 → 饮食健康信息. A withdrawal goes out through the outbox (the server then
/// deletes the data); once it is kept on the phone, the copy of the board on this
/// phone is emptied and the elder is no longer listed. A withdrawal the phone could
/// not keep is said under the group (the page's problem), and the elder stays listed
/// to try again. The page's one listener reads the button's `data-elder`.
fn consent_group(shell: &Shell, state: &Load, outbox: Option<&OutboxView>) -> Html {
    let Load::Ready(board, _) = state else {
        return Html::default();
    };
    let withdrawn: Vec<String> = outbox
        .map(|o| o.open.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|e| e.is_waiting() && e.envelope.kind == "meal_profile")
        .filter_map(|e| withdrawal_of(&e.envelope.payload))
        .collect();
    let elders: Vec<_> = board
        .elders
        .iter()
        .filter(|e| e.consent && !withdrawn.contains(&e.elder.id))
        .collect();
    if elders.is_empty() {
        return Html::default();
    }
    html! {
        <div class="ll-group">
            { el("h2", "ll-group__title", shell.t(MealText::MealDietTitle).into()) }
            for e in elders {
                { el("p", "", e.name.clone().into()) }
                <button type="button" class="ll-button" data-elder={e.elder.id.clone()}>{ shell.t(MealText::MealDietWithdraw) }</button>
            }
        </div>
    }
}

/// The elder a waiting `meal_profile` withdraws consent for (`consent` false): its two
/// members read where they are, since this page never needs the rest of a
/// [`Profile`] (the whole codec here cost the residents' download more).
fn withdrawal_of(payload: &Value) -> Option<String> {
    let member = |k: &str| super::helpers::member(payload, k);
    match (member("consent"), member("elder")) {
        (Some(Value::Bool(false)), Some(Value::String(elder))) => Some(elder.clone()),
        _ => None,
    }
}

/// Empties the board kept on this phone, dietary data and all: the next answer from
/// the server (which has the withdrawal by then, or is told it first) keeps a new one.
/// Rewriting the saved JSON elder by elder cost more of the residents' download than a
/// withdrawal, rare as it is, is worth; offline, the menu waits for the next online
/// visit.
async fn forget_diet() {
    if let Ok(storage) = Storage::open().await {
        let _ = storage.set_setting(BOARD_KEY, "").await;
        storage.close();
    }
}
