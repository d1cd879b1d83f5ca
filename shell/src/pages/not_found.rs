//! An address the shell does not know.

use linli_core::Text;
use linli_widgets::base::el;
use yew::prelude::*;

use crate::chrome::route_link;
use crate::context::Shell;
use crate::route::Route;

/// The not-found page, with a way home.
pub fn not_found(shell: &Shell) -> Html {
    html! {
        <section class="ll-page">
            { el("h1", "ll-page__title", AttrValue::from(shell.t(Text::NotFound))) }
            { route_link(&Route::Home, "ll-button ll-button--primary", false, html! { shell.t(Text::GoHome) }) }
        </section>
    }
}
