//! An address the shell does not know.

use linli_core::Text;
use yew::prelude::*;

use crate::chrome::RouteLink;
use crate::context::use_shell;
use crate::route::Route;

/// The not-found page, with a way home.
#[function_component]
pub fn NotFound() -> Html {
    let Some(shell) = use_shell() else {
        return Html::default();
    };
    html! {
        <section class="ll-page">
            <h1 class="ll-page__title">{ shell.t(Text::NotFound) }</h1>
            <RouteLink to={Route::Home} class="ll-button ll-button--primary">{ shell.t(Text::GoHome) }</RouteLink>
        </section>
    }
}
