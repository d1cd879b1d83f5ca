//! Shown while `config.json` loads (usually a blink: it is cached offline).

use linli_core::{Lang, Text};
use yew::prelude::*;

/// Props of [`Loading`].
#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    /// Language to say it in.
    pub lang: Lang,
}

/// A loading message, announced politely to screen readers.
#[function_component]
pub fn Loading(props: &LoadingProps) -> Html {
    html! {
        <main class="ll-boot" role="status">{ props.lang.t(Text::Loading) }</main>
    }
}
