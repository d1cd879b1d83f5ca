//! A link to a page of the shell: a plain `<a href="#/…">`, so it works without
//! script, can be opened or copied, and reads well to screen readers.

use yew::prelude::*;

use crate::route::Route;

/// An in-app link; `current` marks the page shown (`aria-current="page"`).
pub fn route_link(to: &Route, class: &'static str, current: bool, children: Html) -> Html {
    html! {
        <a href={to.href()} {class} aria-current={current.then_some("page")}>{ children }</a>
    }
}
