//! A button that reads content aloud with the browser's speech synthesis.

use linli_core::{Lang, Text};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{SpeechSynthesis, SpeechSynthesisUtterance};
use yew::prelude::*;

/// Props of [`ReadAloud`].
#[derive(Properties, PartialEq, Clone)]
pub struct ReadAloudProps {
    /// What to read.
    pub text: AttrValue,
    /// Interface language; also picks the voice.
    #[prop_or_default]
    pub lang: Lang,
    /// Extra classes on the button.
    #[prop_or_default]
    pub class: Classes,
}

/// Slightly slower than the default rate: easier for older listeners.
const RATE: f32 = 0.9;

fn synth() -> Option<SpeechSynthesis> {
    web_sys::window()?.speech_synthesis().ok()
}

/// Reads `text` aloud; pressing again stops. Where the browser has no speech
/// synthesis the button is disabled and says so, rather than failing silently.
///
/// ```no_run
/// use linli_core::Lang;
/// use linli_widgets::base::ReadAloud;
/// use yew::prelude::*;
///
/// fn notice_body() -> Html {
///     html! { <ReadAloud text="周三停水。" lang={Lang::ZhCn} /> }
/// }
/// ```
///
/// CSS variables: `--ll-read-aloud-bg`, `--ll-read-aloud-color`,
/// `--ll-read-aloud-border`.
#[function_component]
pub fn ReadAloud(props: &ReadAloudProps) -> Html {
    let speaking = use_state_eq(|| false);
    // Stop speaking when the content goes away (navigating off a notice).
    use_effect_with((), |_| {
        || {
            if let Some(s) = synth() {
                s.cancel();
            }
        }
    });
    let lang = props.lang;
    let Some(_) = synth() else {
        return html! {
            <button type="button" class={classes!("ll-read-aloud", props.class.clone())} disabled=true>
                { lang.t(Text::ReadAloudUnavailable) }
            </button>
        };
    };
    let onclick = {
        let speaking = speaking.clone();
        let text = props.text.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(s) = synth() else { return };
            s.cancel();
            if *speaking {
                speaking.set(false);
            } else if speak(&s, &text, lang, speaking.setter()).is_some() {
                speaking.set(true);
            }
        })
    };
    let label = if *speaking {
        Text::ReadAloudStop
    } else {
        Text::ReadAloud
    };
    html! {
        <button type="button"
            class={classes!("ll-read-aloud", props.class.clone())}
            aria-pressed={if *speaking { "true" } else { "false" }}
            data-state={if *speaking { "speaking" } else { "idle" }}
            {onclick}>
            <svg class="ll-read-aloud__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M4 9v6h4l5 4V5L8 9H4zm12.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z"/>
            </svg>
            <span>{ lang.t(label) }</span>
        </button>
    }
}

fn speak(
    synth: &SpeechSynthesis,
    text: &str,
    lang: Lang,
    speaking: UseStateSetter<bool>,
) -> Option<()> {
    let utterance = SpeechSynthesisUtterance::new_with_text(text).ok()?;
    utterance.set_lang(lang.speech_code());
    utterance.set_rate(RATE);
    let done = Closure::<dyn FnMut()>::new(move || speaking.set(false)).into_js_value();
    utterance.set_onend(Some(done.unchecked_ref()));
    utterance.set_onerror(Some(done.unchecked_ref()));
    synth.speak(&utterance);
    Some(())
}
