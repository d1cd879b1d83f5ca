//! Plain text from a config shown as paragraphs: blank lines split paragraphs, single
//! line breaks are kept. Never parsed as HTML.

use yew::prelude::*;

/// Renders `text` as `<p>` elements: runs of non-blank lines make a paragraph.
pub fn paragraphs(text: &str) -> Html {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut open = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            open = false;
        } else if let (true, Some(block)) = (open, blocks.last_mut()) {
            block.push(line);
        } else {
            blocks.push(vec![line]);
            open = true;
        }
    }
    blocks
        .into_iter()
        .map(|lines| {
            html! {
                <p>
                    { for lines.into_iter().enumerate().map(|(i, line)| html! {
                        <>
                            if i > 0 { <br /> }
                            { line }
                        </>
                    }) }
                </p>
            }
        })
        .collect()
}
