//! The scenarios this build contains. Each enters the shell through one function (its
//! [`Entry`]) behind one cargo feature of `linli-shell` (on by default), so a build
//! without it compiles, and `cargo xtask size` measures what each one adds.

use linli_core::config::ShellConfig;
use linli_core::Scenario;
use yew::Html;

use crate::context::Shell;

/// How a scenario plugs into the shell.
#[derive(Clone, Copy)]
pub struct Entry {
    /// Which scenario.
    pub scenario: Scenario,
    /// Its page, at `#/<id>`.
    pub page: fn(&Shell) -> Html,
    /// Its part of 我的 (what the household keeps with it); may be empty.
    pub me: fn(&Shell) -> Html,
    /// Whether the deployment's config gives it what it needs (its section).
    pub configured: fn(&ShellConfig) -> bool,
}

/// Every scenario built in, in the order of `Scenario::ALL`.
pub fn built() -> &'static [Entry] {
    &[
        #[cfg(feature = "meals")]
        crate::pages::meals::ENTRY,
    ]
}

/// The entry of `scenario` if this build has it.
pub fn entry(scenario: Scenario) -> Option<&'static Entry> {
    built().iter().find(|e| e.scenario == scenario)
}

/// The entry of `scenario` if this build has it and the deployment configures it.
pub fn enabled(shell: &Shell, scenario: Scenario) -> Option<&'static Entry> {
    entry(scenario)
        .filter(|e| shell.config.scenarios.contains(&scenario) && (e.configured)(&shell.config))
}
