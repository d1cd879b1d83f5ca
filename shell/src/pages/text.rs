//! Plain text from a config shown as paragraphs: blank lines split paragraphs, single
//! line breaks are kept. Never parsed as HTML.

use yew::prelude::*;

/// Renders `text` as `<p>` elements.
pub fn paragraphs(text: &str) -> Html {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut lines = p.lines();
            let first = lines.next().unwrap_or_default();
            html! {
                <p>
                    { first }
                    { for lines.map(|line| html! { <><br />{ line }</> }) }
                </p>
            }
        })
        .collect()
}
