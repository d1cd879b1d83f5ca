//! The shell's pages and their addresses. Hash routing keeps a deployment a plain
//! folder of static files: any web server (or none, offline) can serve it.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{Home, Me, NotFound, NoticeDetail, NoticeList};

/// A page of the shell.
#[derive(Clone, Routable, PartialEq, Debug)]
pub enum Route {
    /// Tiles of the enabled scenarios, the hotline and the latest notices.
    #[at("/")]
    Home,
    /// All notices.
    #[at("/notices")]
    Notices,
    /// One notice.
    #[at("/notices/:id")]
    Notice {
        /// The notice's id from the config.
        id: String,
    },
    /// Preferences, privacy notice, storage status.
    #[at("/me")]
    Me,
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// Renders the page for a route.
pub fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Notices => html! { <NoticeList /> },
        Route::Notice { id } => html! { <NoticeDetail {id} /> },
        Route::Me => html! { <Me /> },
        Route::NotFound => html! { <NotFound /> },
    }
}
