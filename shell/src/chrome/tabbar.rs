//! The bottom tab bar.

use linli_core::Text;
use linli_widgets::base::el;
use yew::prelude::*;

use super::link::route_link;
use crate::context::Shell;
use crate::route::Route;

struct Tab {
    route: Route,
    label: Text,
    icon: &'static str,
}

const HOME_ICON: &str = "M12 3 2 11h3v9h5v-6h4v6h5v-9h3z";
const NOTICE_ICON: &str = "M4 4h16v12H7l-3 3zm3 4v2h10V8zm0 4v2h7v-2z";
const ME_ICON: &str =
    "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4 0-8 2-8 5v2h16v-2c0-3-4-5-8-5z";

/// Home, notices and me; the current tab is marked with `aria-current` and a bar,
/// not by colour alone.
pub fn tab_bar(shell: &Shell) -> Html {
    let tabs = [
        Tab {
            route: Route::Home,
            label: Text::TabHome,
            icon: HOME_ICON,
        },
        Tab {
            route: Route::Notices,
            label: Text::TabNotices,
            icon: NOTICE_ICON,
        },
        Tab {
            route: Route::Me,
            label: Text::TabMe,
            icon: ME_ICON,
        },
    ];
    html! {
        <nav class="ll-tabbar" aria-label={shell.t(Text::MainNav)}>
            { for tabs.into_iter().map(|tab| {
                let active = shell.route.section() == tab.route;
                route_link(&tab.route, "ll-tabbar__tab", active, html! {
                    <>
                        <svg class="ll-tabbar__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                            <path d={tab.icon} />
                        </svg>
                        { el("span", "", AttrValue::from(shell.t(tab.label))) }
                    </>
                })
            }) }
        </nav>
    }
}
