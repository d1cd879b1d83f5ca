//! linli-shell: the progressive web app a sub-district deploys.
//!
//! One build serves every deployment: at start the shell fetches `config.json` (the
//! sub-district's name, logo, colours, hotline, scenarios), checks it with
//! the core rules, and applies the brand as CSS custom properties. A bad config shows
//! its located errors on the page. Notices come from the server ([`notices`]), kept
//! for offline use. Pages: home (scenario tiles, unread notices, hotline),
//! notices with read-aloud, and 我的 (language, 长辈版, privacy notice, storage).
//! The service worker and its update prompt are set up by `www/index.html`.
//!
//! - [`App`]: the deployed app (loads the config).
//! - [`ShellRoot`]: the shell for a config already in hand, for tests and embedding.

mod app;
mod chrome;
pub mod clock;
mod context;
mod dom;
#[cfg(feature = "evaluation")]
pub mod evaluation;
pub mod household;
pub mod load;
pub mod net;
pub mod notices;
pub mod outbox;
mod pages;
mod root;
mod route;
pub mod scenarios;
pub mod storage;

pub use app::App;
pub use chrome::use_clock_skew;
pub use context::{use_shell, Shell};
/// The JS ↔ value bridge, now the widgets' public [`linli_widgets::interop`].
pub use linli_widgets::interop as js;
pub use root::{ShellRoot, ShellRootProps};
pub use route::Route;

/// Starts the app in `#app`, replacing the boot message there.
pub fn start() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_text_content(None);
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
