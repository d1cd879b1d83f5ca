//! A link to a page of the shell: a real `<a href="#/…">` (so it can be opened,
//! copied and read by screen readers) that navigates in-app when clicked.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;

/// Props of [`RouteLink`].
#[derive(Properties, PartialEq)]
pub struct RouteLinkProps {
    /// Where to go.
    pub to: Route,
    /// Marks the link as the current page (`aria-current="page"`).
    #[prop_or_default]
    pub current: bool,
    /// Classes of the `<a>`.
    #[prop_or_default]
    pub class: Classes,
    /// Content.
    #[prop_or_default]
    pub children: Html,
}

/// An in-app link.
#[function_component]
pub fn RouteLink(props: &RouteLinkProps) -> Html {
    let navigator = use_navigator();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |e: MouseEvent| {
            // Let modified clicks (new tab, …) do what the browser does.
            if e.ctrl_key() || e.meta_key() || e.shift_key() || e.button() != 0 {
                return;
            }
            if let Some(nav) = &navigator {
                e.prevent_default();
                nav.push(&to);
            }
        })
    };
    html! {
        <a href={format!("#{}", props.to.to_path())} class={props.class.clone()}
            aria-current={props.current.then_some("page")} {onclick}>
            { props.children.clone() }
        </a>
    }
}
