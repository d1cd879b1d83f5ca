//! The shell's pages and their addresses, as URL fragments (`#/notices/2026-water`).
//!
//! Hash addresses keep a deployment a plain folder of static files: any web server,
//! or the service worker offline, serves the one `index.html`, and links are plain
//! `<a href="#/…">` that work without any script. (yew-router did this too, but with
//! gloo-history, serde and float formatting it cost about 10 KB gzip of WASM for four
//! routes; see the foundation issue's closing note.)

use yew::prelude::*;

use crate::context::Shell;
use linli_core::Scenario;

use crate::pages::{home, me, not_found, notice_detail, notice_list};

/// A page of the shell.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Route {
    /// Tiles of the enabled scenarios, the hotline and the latest notices.
    Home,
    /// All notices.
    Notices,
    /// One notice, by its id from the config.
    Notice(String),
    /// Preferences, privacy notice, storage status.
    Me,
    /// Public evaluation's published figures (`#/evaluation`), in a build with the
    /// `evaluation` feature.
    Evaluation,
    /// A scenario's page (`#/meals`), shown when this build has it and the config
    /// enables it ([`crate::scenarios`]).
    Scenario(Scenario),
    /// Anything else.
    NotFound,
}

impl Route {
    /// The route for a `location.hash` (with or without the leading `#`).
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path
            .split('?')
            .next()
            .unwrap_or_default()
            .trim_end_matches('/');
        let mut parts = path.split('/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(""), None, _) => Route::Home,
            (Some("notices"), None, _) => Route::Notices,
            (Some("notices"), Some(id), None) if !id.is_empty() => Route::Notice(id.to_owned()),
            (Some("me"), None, _) => Route::Me,
            (Some("evaluation"), None, _) => Route::Evaluation,
            (Some(id), None, _) => Scenario::from_id(id).map_or(Route::NotFound, Route::Scenario),
            _ => Route::NotFound,
        }
    }

    /// The `href` that leads here.
    pub fn href(&self) -> String {
        match self {
            Route::Home | Route::NotFound => "#/".to_owned(),
            Route::Notices => "#/notices".to_owned(),
            Route::Notice(id) => format!("#/notices/{id}"),
            Route::Me => "#/me".to_owned(),
            Route::Evaluation => "#/evaluation".to_owned(),
            Route::Scenario(s) => format!("#/{}", s.id()),
        }
    }

    /// The page's name on `<main data-page>`, for tests and styling hooks: `home`,
    /// `notices`, `notice`, `me`, a scenario's id, `not-found`.
    pub fn name(&self) -> &'static str {
        match self {
            Route::Home => "home",
            Route::Notices => "notices",
            Route::Notice(_) => "notice",
            Route::Me => "me",
            Route::Evaluation => "evaluation",
            Route::Scenario(s) => s.id(),
            Route::NotFound => "not-found",
        }
    }

    /// The tab this page belongs to: a notice lights the notices tab.
    pub fn section(&self) -> Route {
        match self {
            Route::Notice(_) => Route::Notices,
            Route::NotFound | Route::Scenario(_) => Route::Home,
            Route::Evaluation => Route::Me,
            other => other.clone(),
        }
    }
}

/// The route of the current address.
pub fn current() -> Route {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Route::from_hash(&hash)
}

/// Renders the page of the shell's current route.
pub fn switch(shell: &Shell) -> Html {
    match &shell.route {
        Route::Home => home(shell),
        Route::Notices => notice_list(shell),
        Route::Notice(id) => notice_detail(shell, id),
        Route::Me => me(shell),
        #[cfg(feature = "evaluation")]
        Route::Evaluation => yew::html! { <crate::evaluation::PublicPage /> },
        #[cfg(not(feature = "evaluation"))]
        Route::Evaluation => not_found(shell),
        Route::Scenario(s) => match crate::scenarios::enabled(shell, *s) {
            Some(entry) => (entry.page)(shell),
            None => not_found(shell),
        },
        Route::NotFound => not_found(shell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_page() {
        assert_eq!(Route::from_hash(""), Route::Home);
        assert_eq!(Route::from_hash("#"), Route::Home);
        assert_eq!(Route::from_hash("#/"), Route::Home);
        assert_eq!(Route::from_hash("#/notices"), Route::Notices);
        assert_eq!(Route::from_hash("#/notices/"), Route::Notices);
        assert_eq!(
            Route::from_hash("#/notices/n-1"),
            Route::Notice("n-1".into())
        );
        assert_eq!(Route::from_hash("#/me?x=1"), Route::Me);
        assert_eq!(Route::from_hash("#/nope"), Route::NotFound);
        assert_eq!(Route::from_hash("#/notices/a/b"), Route::NotFound);
    }

    #[test]
    fn href_leads_back_to_the_same_route() {
        for r in [
            Route::Home,
            Route::Notices,
            Route::Notice("x-1".into()),
            Route::Me,
            Route::Evaluation,
            Route::Scenario(Scenario::Meals),
            Route::Scenario(Scenario::Forms),
        ] {
            assert_eq!(Route::from_hash(&r.href()), r);
        }
    }

    #[test]
    fn a_notice_belongs_to_the_notices_tab() {
        assert_eq!(Route::Notice("x".into()).section(), Route::Notices);
        assert_eq!(Route::NotFound.section(), Route::Home);
    }
}
