//! What a broken deployment shows instead of a blank screen: every located problem of
//! `config.json`, in the resident's language, with a reload button.

use linli_core::{Lang, Text};
use linli_widgets::base::el;
use yew::prelude::*;

use crate::load::{LoadError, CONFIG_URL};

/// The error page for `error`, in `lang`.
pub fn config_problem(error: &LoadError, lang: Lang) -> Html {
    let reload = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    let details = match error {
        LoadError::Fetch(_) => Html::default(),
        LoadError::Invalid(e) => html! {
            <>
                { el("p", "", AttrValue::from(lang.t(Text::ConfigErrorHint))) }
                <ul class="ll-problems">
                    { for e.errors.iter().map(|fe| html! {
                        <li>
                            <code>{ if fe.path.is_empty() { CONFIG_URL } else { fe.path.as_str() } }</code>
                            { ": " }{ fe.problem.message(lang) }
                        </li>
                    }) }
                </ul>
            </>
        },
    };
    html! {
        <main class="ll-main ll-problem" role="alert">
            { el("h1", "", AttrValue::from(error.summary(lang))) }
            { details }
            <button type="button" class="ll-button ll-button--primary" onclick={reload}>
                { lang.t(Text::Reload) }
            </button>
        </main>
    }
}
