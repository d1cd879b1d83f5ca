//! What every page of the shell can read: the deployment's config and the resident's
//! preferences, with one callback to change them.

use std::rc::Rc;

use linli_core::config::{Notice, ShellConfig};
use linli_core::i18n::Table;
use linli_core::prefs::{Prefs, PrefsAction};
use linli_core::{Lang, Text};
use yew::prelude::*;

use crate::route::Route;

/// The shell's shared state, provided by [`crate::ShellRoot`].
#[derive(Clone, PartialEq)]
pub struct Shell {
    /// The deployment.
    pub config: Rc<ShellConfig>,
    /// The resident's choices.
    pub prefs: Prefs,
    /// The page shown.
    pub route: Route,
    /// The server's notices as this phone has them, and which it has opened.
    pub notices: crate::notices::Notices,
    /// Changes a preference.
    pub dispatch: Callback<PrefsAction>,
}

impl Shell {
    /// The interface language.
    pub fn lang(&self) -> Lang {
        self.prefs.lang
    }

    /// The notices to show now, pinned first: those not expired by the server's clock
    /// (a phone offline stops showing one at its expiry); `None` while the list is
    /// loading or unavailable ([`crate::notices::NoticeList`]).
    pub fn notices(&self) -> Option<Vec<&Notice>> {
        let crate::notices::NoticeList::Ready(list) = &self.notices.list else {
            return None;
        };
        let now = crate::clock::server_now() as i64;
        Some(list.iter().filter(|n| n.up_at(now)).collect())
    }

    /// What to say instead of a list that is not there.
    pub fn notices_missing(&self) -> Text {
        match self.notices.list {
            crate::notices::NoticeList::Loading => Text::NoticesLoading,
            _ => Text::NoticesUnavailable,
        }
    }

    /// A text of any table (the shell's, a scenario's) in the interface language.
    pub fn t(&self, text: impl Table) -> &'static str {
        self.prefs.lang.t(text)
    }
}

/// The shell state; only used below [`crate::ShellRoot`], which always provides it.
#[hook]
pub fn use_shell() -> Option<Shell> {
    use_context::<Shell>()
}

/// The reducer state behind [`Shell::prefs`]: it only delegates to the core rule.
#[derive(Clone, Copy, PartialEq)]
pub struct PrefsState(pub Prefs);

impl Reducible for PrefsState {
    type Action = PrefsAction;

    fn reduce(self: Rc<Self>, action: PrefsAction) -> Rc<Self> {
        Rc::new(PrefsState(self.0.apply(action)))
    }
}
