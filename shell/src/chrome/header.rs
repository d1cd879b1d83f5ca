//! The branded header: logo, name, offline mark and the 长辈版 switch, on every page.

use linli_core::prefs::PrefsAction;
use linli_core::Text;
use linli_widgets::base::el;
use yew::prelude::*;

use super::online::use_online;
use crate::context::use_shell;

/// The header.
#[function_component]
pub fn Header() -> Html {
    let online = use_online();
    let Some(shell) = use_shell() else {
        return Html::default();
    };
    let elder = shell.prefs.elder;
    let toggle = {
        let dispatch = shell.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(PrefsAction::SetElder(!elder)))
    };
    let lang = shell.lang();
    html! {
        <header class="ll-header">
            <img class="ll-header__logo" src={shell.config.logo.clone()} alt="" width="40" height="40" />
            { el("span", "ll-header__name", AttrValue::from(shell.config.name.get(lang))) }
            if !online {
                <span class="ll-header__offline" role="status" title={shell.t(Text::OfflineHint)}>
                    { shell.t(Text::Offline) }
                </span>
            }
            <button type="button" class="ll-header__elder" aria-pressed={if elder { "true" } else { "false" }}
                onclick={toggle}>
                { shell.t(if elder { Text::ElderModeExit } else { Text::ElderMode }) }
            </button>
        </header>
    }
}
