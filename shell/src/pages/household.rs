//! The 绑定住户 group of 我的.

use linli_core::Text;
use linli_widgets::base::{el, notice_text};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::context::{use_shell, Shell};
use crate::household::{link, linked_to};
use crate::net::{api_url, get_text};

/// Downloads everything the server holds about this household (个人信息保护法 art. 45)
/// as a JSON file; the problem to show when it cannot.
async fn download_own_data(server: Option<String>, offset: i64) -> Option<Text> {
    let token = match crate::household::token().await {
        Ok(token) => token?,
        Err(e) => return Some(e.text()),
    };
    match get_text(
        &api_url(server.as_deref(), "api/v1/household"),
        Some(&token),
    )
    .await
    {
        Ok((200, text)) => {
            let day = linli_core::date::format_timestamp(crate::outbox::now_ms() as i64, offset);
            let name = format!("linli-household-{}.json", day.get(..10).unwrap_or("data"));
            (!crate::dom::download(&name, &text, "application/json"))
                .then_some(Text::HouseholdExportFailed)
        }
        _ => Some(Text::HouseholdExportFailed),
    }
}

#[derive(Clone, PartialEq)]
enum Phase {
    Checking,
    Unlinked,
    Working,
    Linked(AttrValue),
    Problem(Text),
}

/// Shows whether this device is linked, and a form to link it with a household code.
#[function_component]
pub fn Household() -> Html {
    let phase = use_state_eq(|| Phase::Checking);
    let export_problem = use_state_eq(|| None::<Text>);
    let input = use_node_ref();
    {
        let phase = phase.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                phase.set(match linked_to().await {
                    Ok(Some(label)) => Phase::Linked(label.into()),
                    Ok(None) => Phase::Unlinked,
                    Err(e) => Phase::Problem(e.text()),
                });
            });
        });
    }
    let Some(shell) = use_shell() else {
        return Html::default();
    };
    let onsubmit = {
        let (phase, input) = (phase.clone(), input.clone());
        let server = shell.config.server_url.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let code = input
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let (phase, server) = (phase.clone(), server.clone());
            phase.set(Phase::Working);
            wasm_bindgen_futures::spawn_local(async move {
                phase.set(match link(server.as_deref(), &code).await {
                    Ok(()) => {
                        Phase::Linked(linked_to().await.ok().flatten().unwrap_or_default().into())
                    }
                    Err(text) => Phase::Problem(text),
                });
            });
        })
    };
    // While checking, the form is drawn (disabled) so the page does not jump when it
    // turns out this phone is not linked yet, the common case on a first visit.
    let busy = matches!(*phase, Phase::Checking | Phase::Working);
    let body = match (*phase).clone() {
        Phase::Linked(label) => {
            let onclick = {
                let (problem, server) = (export_problem.clone(), shell.config.server_url.clone());
                let offset = shell.config.utc_offset_minutes();
                Callback::from(move |_: MouseEvent| {
                    let (problem, server) = (problem.clone(), server.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        problem.set(download_own_data(server, offset).await);
                    });
                })
            };
            html! {
                <>
                    <p data-testid="household-linked">{ "✓ " }
                        if label.is_empty() {
                            { shell.t(Text::BindDone) }
                        } else {
                            { shell.lang().fill(Text::BindDoneAt, &[("unit", &label)]) }
                        }
                    </p>
                    <button type="button" class="ll-button" data-testid="household-export" {onclick}>
                        { shell.t(Text::HouseholdExport) }
                    </button>
                    if let Some(text) = *export_problem {
                        { notice_text(true, "", shell.t(text).into()) }
                    }
                </>
            }
        }
        Phase::Checking | Phase::Unlinked | Phase::Working | Phase::Problem(_) => html! {
            <form class="ll-bind" {onsubmit}>
                { el("p", "ll-muted", AttrValue::from(shell.t(Text::BindHint))) }
                { code_field(&shell, input) }
                if let Phase::Problem(text) = (*phase).clone() {
                    { notice_text(true, "", shell.t(text).into()) }
                }
                <button class="ll-button ll-button--primary" disabled={busy}>
                    { shell.t(if *phase == Phase::Working { Text::BindWorking } else { Text::BindButton }) }
                </button>
            </form>
        },
    };
    html! {
        <div class="ll-group">
            { el("h2", "ll-group__title", AttrValue::from(shell.t(Text::BindTitle))) }
            { body }
        </div>
    }
}

/// The field a household code (绑定码) is typed in: one look and one set of input
/// hints wherever a code is typed (linking this phone, becoming a helper).
pub fn code_field(shell: &Shell, input: NodeRef) -> Html {
    html! {
        <label class="ll-bind__label">
            { el("span", "", shell.t(Text::BindCode).into()) }
            <input ref={input} class="ll-bind__input" name="code" required=true maxlength="12"
                autocomplete="off" autocapitalize="characters" spellcheck="false" />
        </label>
    }
}
