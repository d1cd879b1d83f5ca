//! The scenarios this build contains. Each enters the shell through one function (its
//! [`Entry`]) behind one cargo feature of `linli-shell` (on by default), so a build
//! without it compiles, and `cargo xtask size` measures what each one adds.

use linli_core::config::ShellConfig;
use linli_core::{Lang, Scenario, Text};
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
    /// What a resident calls a submission kind of this scenario in a language
    /// (`meal_order` is 订餐); `None` for another scenario's kind. Through the entry,
    /// a build without the scenario carries none of its words.
    pub kind: fn(&str, Lang) -> Option<&'static str>,
    /// The kinds whose keeping completes an action of the scenario (an order, a
    /// ballot, a report): public evaluation counts them and may ask for a rating.
    pub completes: &'static [&'static str],
}

/// Every scenario built in, in the order of `Scenario::ALL`.
pub fn built() -> &'static [Entry] {
    &[
        #[cfg(feature = "meals")]
        crate::pages::meals::ENTRY,
        #[cfg(feature = "voting")]
        crate::pages::voting::ENTRY,
        #[cfg(feature = "feedback")]
        crate::pages::feedback::ENTRY,
        #[cfg(feature = "forms")]
        crate::pages::forms::ENTRY,
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

/// What a resident calls a submission of `kind`: its scenario's word for it, or
/// "其他事项" for a kind no scenario of this build knows (never the wire name).
pub fn kind_text(kind: &str, lang: Lang) -> &'static str {
    #[cfg(feature = "evaluation")]
    if let Some(t) = crate::evaluation::kind_text(kind, lang) {
        return t;
    }
    built()
        .iter()
        .find_map(|e| (e.kind)(kind, lang))
        .unwrap_or_else(|| lang.t(Text::KindOther))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_reads_as_the_residents_word_never_its_wire_name() {
        assert_eq!(kind_text("test_note", Lang::ZhCn), "其他事项");
        #[cfg(feature = "meals")]
        assert_eq!(kind_text("meal_order", Lang::ZhCn), "订餐");
        for kind in ["meal_order", "meal_cancel", "meal_profile", "x"] {
            assert!(!kind_text(kind, Lang::En).contains('_'));
        }
    }
}
