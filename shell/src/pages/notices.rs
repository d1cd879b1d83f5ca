//! The notices (公告): a list, and a page per notice with read-aloud.

use linli_core::Text;
use linli_widgets::base::{el, ReadAloud};
use yew::prelude::*;

use super::home::notice_card;
use super::text::paragraphs;
use crate::chrome::route_link;
use crate::context::Shell;
use crate::route::Route;

/// All notices, pinned first, then newest first, with a button that reads the
/// headlines aloud.
pub fn notice_list(shell: &Shell) -> Html {
    let lang = shell.lang();
    let Some(notices) = shell.notices() else {
        return html! {
            <section class="ll-page">
                { el("h1", "ll-page__title", AttrValue::from(shell.t(Text::NoticesTile))) }
                { el("p", "ll-empty", AttrValue::from(shell.t(shell.notices_missing()))) }
            </section>
        };
    };
    // Read aloud, the list is its headlines with their dates, newest first.
    let headlines: String = notices
        .iter()
        .map(|n| format!("{}。{}\n", n.title.get(lang), n.date))
        .collect();
    let headlines = AttrValue::from(headlines);
    html! {
        <section class="ll-page">
            { el("h1", "ll-page__title", AttrValue::from(shell.t(Text::NoticesTile))) }
            if notices.is_empty() {
                { el("p", "ll-empty", AttrValue::from(shell.t(Text::NoticesEmpty))) }
            } else {
                <ReadAloud text={headlines} {lang} />
                <ul class="ll-cards">
                    { for notices.into_iter().map(|n| notice_card(shell, n)) }
                </ul>
            }
        </section>
    }
}

/// One notice, with a button that reads its title and body aloud.
pub fn notice_detail(shell: &Shell, id: &str) -> Html {
    let lang = shell.lang();
    let back = html! {
        { route_link(&Route::Notices, "ll-back", false, html! { <>{ "‹ " }{ shell.t(Text::Back) }</> }) }
    };
    let Some(notices) = shell.notices() else {
        return html! {
            <section class="ll-page">
                { back }
                { el("h1", "ll-page__title", AttrValue::from(shell.t(shell.notices_missing()))) }
            </section>
        };
    };
    let Some(notice) = notices.into_iter().find(|n| n.id == id) else {
        return html! {
            <section class="ll-page">
                { back }
                { el("h1", "ll-page__title", AttrValue::from(shell.t(Text::NoticeNotFound))) }
            </section>
        };
    };
    let title = notice.title.get(lang);
    let body = notice.body.get(lang);
    let attachment = notice.attachment.as_ref().map(|a| a.get(lang));
    let spoken = AttrValue::from(match attachment {
        Some(a) => format!("{title}\n{body}\n{}\n{a}", shell.t(Text::NoticeAttachment)),
        None => format!("{title}\n{body}"),
    });
    // From the server, like the list; offline the browser shows the words instead.
    let image = notice.image.as_deref().map(|path| {
        let src = crate::net::api_url(shell.config.server_url.as_deref(), path);
        let alt = lang.fill(Text::NoticeImage, &[("title", title)]);
        html! { <img class="ll-notice-page__image" {src} {alt} loading="lazy" /> }
    });
    html! {
        <article class="ll-page ll-notice-page">
            { back }
            { el("h1", "ll-page__title", AttrValue::from(title)) }
            <p class="ll-notice-page__meta">
                { lang.fill(Text::PublishedOn, &[("date", &notice.date.to_string())]) }
            </p>
            <ReadAloud text={spoken} {lang} />
            { for image }
            <div class="ll-notice-page__body">{ paragraphs(body) }</div>
            if let Some(a) = attachment {
                <section class="ll-notice-page__attachment">
                    { el("h2", "ll-notice-page__attachment-title", AttrValue::from(shell.t(Text::NoticeAttachment))) }
                    <div class="ll-prose">{ paragraphs(a) }</div>
                </section>
            }
        </article>
    }
}
