//! Shown while `config.json` loads (usually a blink: it is cached offline).

use linli_core::{Lang, Text};
use yew::prelude::*;

/// A loading message, announced politely to screen readers.
pub fn loading(lang: Lang) -> Html {
    html! {
        <main class="ll-boot" role="status">{ lang.t(Text::Loading) }</main>
    }
}
