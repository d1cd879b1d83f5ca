//! The shell around the pages: brand, preferences, router, header and tab bar.

use std::rc::Rc;

use linli_core::config::ShellConfig;
use linli_core::prefs::{Prefs, ELDER_KEY, LANG_KEY};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::chrome::{Header, TabBar, UpdateBanner};
use crate::context::{PrefsState, Shell};
use crate::dom;
use crate::route::{switch, Route};

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
    let shell = Shell {
        config,
        prefs: prefs.0,
        dispatch: prefs.dispatcher().to_callback(),
    };
    html! {
        <ContextProvider<Shell> context={shell}>
            <HashRouter>
                <Header />
                <UpdateBanner />
                <main id="ll-main" class="ll-main" tabindex="-1">
                    <Switch<Route> render={switch} />
                </main>
                <TabBar />
            </HashRouter>
        </ContextProvider<Shell>>
    }
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
