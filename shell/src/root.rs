//! The shell around the pages: brand, preferences, router, header and tab bar.

use std::rc::Rc;

use gloo_events::EventListener;
use linli_core::config::ShellConfig;
use linli_core::prefs::{Prefs, ELDER_KEY, LANG_KEY};
use yew::prelude::*;

use crate::chrome::{tab_bar, Header, SyncAgent, UpdateBanner};
use crate::context::{PrefsState, Shell};
use crate::dom;
use crate::pages::OutboxBar;
use crate::route::{self, switch};

/// Props of [`ShellRoot`].
#[derive(Properties, PartialEq)]
pub struct ShellRootProps {
    /// A checked config.
    pub config: Rc<ShellConfig>,
}

/// The branded shell for one config. [`crate::App`] renders it after loading the
/// config; tests and embedding apps can render it with a config of their own.
#[function_component]
pub fn ShellRoot(props: &ShellRootProps) -> Html {
    let config = props.config.clone();
    let prefs = use_reducer_eq({
        let default_lang = config.default_language;
        move || {
            PrefsState(Prefs::restore(
                dom::load(LANG_KEY).as_deref(),
                dom::load(ELDER_KEY).as_deref(),
                default_lang,
            ))
        }
    });
    use_effect_with(config.clone(), |config| apply_brand(config));
    use_effect_with(prefs.0, apply_prefs);
    {
        let config = config.clone();
        use_effect_with((config, prefs.0.lang), |(config, lang)| {
            dom::set_title(config.name.get(*lang));
        });
    }
    let current = use_route();
    let list = crate::notices::use_notices(config.server_url.clone(), current.section());
    let shell = Shell {
        config,
        prefs: prefs.0,
        route: current,
        // Read each time: the page that opened a notice has just marked it.
        notices: crate::notices::Notices {
            list,
            read: crate::notices::read_marks(),
        },
        dispatch: prefs.dispatcher().to_callback(),
    };
    let page = switch(&shell);
    #[cfg(feature = "evaluation")]
    let measure = html! { <crate::evaluation::Measure route={shell.route.clone()} /> };
    #[cfg(not(feature = "evaluation"))]
    let measure = Html::default();
    let name = shell.route.name();
    let tabs = tab_bar(&shell);
    html! {
        <ContextProvider<Shell> context={shell}>
            <Header />
            <UpdateBanner />
            <OutboxBar />
            <crate::chrome::ClockBar />
            <SyncAgent />
            <main id="ll-main" class="ll-main" data-page={name}>{ page }{ measure }</main>
            { tabs }
        </ContextProvider<Shell>>
    }
}

/// The page at the current address; opening a notice's page marks it read.
fn arrive() -> route::Route {
    let route = route::current();
    if let route::Route::Notice(id) = &route {
        crate::notices::keep_read(id);
    }
    route
}

/// The page of the current address, following `hashchange`; a new page starts at
/// the top.
#[hook]
fn use_route() -> route::Route {
    let current = use_state_eq(arrive);
    {
        let current = current.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    current.set(arrive());
                    if let Some(w) = web_sys::window() {
                        w.scroll_to_with_x_and_y(0.0, 0.0);
                    }
                })
            });
            move || drop(listener)
        });
    }
    (*current).clone()
}

/// The brand is a handful of tokens; everything else derives from them in CSS.
fn apply_brand(config: &ShellConfig) {
    let primary = config.theme.primary.to_string();
    dom::set_root_css_var("--ll-color-primary", &primary);
    dom::set_root_css_var(
        "--ll-color-on-primary",
        &config.theme.on_primary.to_string(),
    );
    dom::set_meta("theme-color", &primary);
}

fn apply_prefs(prefs: &Prefs) {
    dom::set_root_attribute("lang", Some(prefs.lang.code()));
    dom::set_root_attribute("data-elder", prefs.elder.then_some("true"));
    for (key, value) in prefs.stored() {
        dom::store(key, value);
    }
}
