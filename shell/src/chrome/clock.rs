//! Tells the resident the phone's clock is wrong, and by how much, while the shell
//! corrects for it ([`crate::clock`]).

use gloo_events::EventListener;
use linli_core::Text;
use linli_widgets::base::el;
use yew::prelude::*;

use crate::context::use_shell;

/// The measured difference (server minus phone, ms; 0 when right), re-read whenever
/// it changes.
#[hook]
pub fn use_clock_skew() -> i64 {
    let skew = use_state_eq(crate::clock::skew_ms);
    {
        let skew = skew.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, crate::clock::CLOCK_EVENT, move |_| {
                    skew.set(crate::clock::skew_ms())
                })
            });
            move || drop(listener)
        });
    }
    *skew
}

/// A bar under the header while the phone's clock is more than two minutes off.
#[function_component]
pub fn ClockBar() -> Html {
    let skew = use_clock_skew();
    let Some(shell) = use_shell() else {
        return Html::default();
    };
    if skew == 0 {
        return Html::default();
    }
    let lang = shell.lang();
    let minutes = skew.unsigned_abs() / 60_000;
    // Rounded to the nearest whole unit: a clock 47 h 59 min behind is "about 2 days".
    let (amount, unit) = match minutes {
        m if m >= 36 * 60 => ((m + 720) / 1_440, Text::ClockDays),
        m if m >= 90 => ((m + 30) / 60, Text::ClockHours),
        m => (m, Text::ClockMinutes),
    };
    let amount = lang.fill(unit, &[("n", &amount.to_string())]);
    let text = lang.fill(
        if skew > 0 {
            Text::ClockBehind
        } else {
            Text::ClockAhead
        },
        &[("amount", &amount)],
    );
    html! {
        <div class="ll-outbox-bar" role="alert" data-testid="clock-wrong" data-state="rejected">
            { el("span", "", AttrValue::from(text)) }
        </div>
    }
}
