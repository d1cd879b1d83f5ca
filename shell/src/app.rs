//! The top component: loads the config, then hands over to [`ShellRoot`], or shows
//! what is wrong with the config (never a blank screen).

use std::rc::Rc;

use linli_core::config::ShellConfig;
use linli_core::prefs::{Prefs, LANG_KEY};
use linli_core::Lang;
use yew::prelude::*;

use crate::load::{load_config, LoadError};
use crate::pages::{config_problem, loading};
use crate::root::ShellRoot;

enum Phase {
    Loading,
    Ready(Rc<ShellConfig>),
    Failed(LoadError),
}

/// The whole app as deployed: fetches `config.json`, then renders the shell.
#[function_component]
pub fn App() -> Html {
    let phase = use_state(|| Phase::Loading);
    {
        let phase = phase.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                phase.set(match load_config().await {
                    Ok(config) => Phase::Ready(Rc::new(config)),
                    Err(e) => Phase::Failed(e),
                });
            });
        });
    }
    match &*phase {
        Phase::Loading => loading(early_lang()),
        Phase::Ready(config) => html! { <ShellRoot config={config.clone()} /> },
        Phase::Failed(error) => config_problem(error, early_lang()),
    }
}

/// The language before a config is known: what the resident chose last time.
fn early_lang() -> Lang {
    Prefs::restore(crate::dom::load(LANG_KEY).as_deref(), None, Lang::ZhCn).lang
}
