//! The first page: a tile per scenario this build offers, the notices, the hotline.

use linli_core::config::Notice;
use linli_core::{Scenario, Text};
use linli_widgets::base::el;
use yew::prelude::*;

use crate::chrome::route_link;
use crate::context::Shell;
use crate::route::Route;

/// How many notices the home page previews.
const PREVIEW: usize = 3;

/// The entry page of a scenario in this build. A scenario a config enables but the
/// build does not contain gets no tile: residents never meet a dead end.
fn entry(shell: &Shell, scenario: Scenario) -> Option<Route> {
    crate::scenarios::enabled(shell, scenario).map(|_| Route::Scenario(scenario))
}

/// The home page.
pub fn home(shell: &Shell) -> Html {
    let lang = shell.lang();
    let config = &shell.config;
    // No count while the list is not there (loading, or never had offline).
    let notices = shell.notices().unwrap_or_default();
    let unread = notices
        .iter()
        .filter(|n| shell.notices.unread(&n.id))
        .count();
    // Unread ones first on the tile: what the resident has not seen is the news.
    let hint = match (unread, shell.notices()) {
        (_, None) => String::new(),
        (0, Some(_)) => lang.fill(
            Text::NoticesTileHint,
            &[("count", &notices.len().to_string())],
        ),
        (n, Some(_)) => lang.fill(Text::NoticesTileUnread, &[("count", &n.to_string())]),
    };
    let latest: Vec<&Notice> = notices.into_iter().take(PREVIEW).collect();
    html! {
        <section class="ll-page">
            { el("h1", "ll-page__title", AttrValue::from(shell.t(Text::HomeServices))) }
            <ul class="ll-tiles">
                { for config.scenarios.iter().filter_map(|&s| entry(shell, s).map(|route| html! {
                    <li class="ll-tiles__item" data-scenario={s.id()}>
                        { route_link(&route, "ll-tile", false, html! {
                            <>
                                <span class="ll-tile__icon" aria-hidden="true">{ s.icon() }</span>
                                { el("span", "ll-tile__title", AttrValue::from(shell.t(s.title()))) }
                                { el("span", "ll-tile__hint", AttrValue::from(shell.t(s.hint()))) }
                            </>
                        }) }
                    </li>
                })) }
                <li class="ll-tiles__item">
                    { route_link(&Route::Notices, "ll-tile", false, html! {
                        <>
                            <span class="ll-tile__icon" aria-hidden="true">{ "告" }</span>
                            { el("span", "ll-tile__title", AttrValue::from(shell.t(Text::NoticesTile))) }
                            { el("span", if unread > 0 { "ll-tile__hint ll-tile__hint--unread" } else { "ll-tile__hint" }, AttrValue::from(hint)) }
                        </>
                    }) }
                </li>
                <li class="ll-tiles__item">
                    <a class="ll-tile" href={config.hotline_uri()}>
                        <span class="ll-tile__icon" aria-hidden="true">{ "☎" }</span>
                        { el("span", "ll-tile__title", AttrValue::from(shell.t(Text::HotlineTile))) }
                        { el("span", "ll-tile__hint ll-tile__hint--number", AttrValue::from(config.hotline.as_str())) }
                    </a>
                </li>
            </ul>
            if !latest.is_empty() {
                { el("h2", "ll-section-title", AttrValue::from(shell.t(Text::LatestNotices))) }
                <ul class="ll-cards">
                    { for latest.into_iter().map(|n| notice_card(shell, n)) }
                </ul>
                { route_link(&Route::Notices, "ll-more", false, html! { shell.t(Text::MoreNotices) }) }
            }
            { evaluation(shell) }
        </section>
    }
}

/// The way to public evaluation's published figures, in a build that has it.
#[cfg(feature = "evaluation")]
fn evaluation(shell: &Shell) -> Html {
    html! { <p class="ll-more">{ crate::evaluation::link(shell) }</p> }
}

#[cfg(not(feature = "evaluation"))]
fn evaluation(_: &Shell) -> Html {
    Html::default()
}

/// A notice as a card linking to its page: its title after 【置顶】 when pinned, and
/// 未读 until this phone opens it (in words, not colour alone); the notices list uses
/// it too.
pub fn notice_card(shell: &Shell, notice: &Notice) -> Html {
    let lang = shell.lang();
    let title = notice.title.get(lang);
    let title = match notice.pinned {
        true => lang.fill(Text::NoticePinned, &[("title", title)]),
        false => title.to_owned(),
    };
    html! {
        <li>
            { route_link(&Route::Notice(notice.id.clone()), "ll-card", false, html! {
                <>
                    { el("span", "ll-card__title", AttrValue::from(title)) }
                    <span class="ll-card__meta">
                        if shell.notices.unread(&notice.id) {
                            { el("span", "ll-card__badge", AttrValue::from(lang.t(Text::NoticeUnread))) }
                        }
                        { lang.fill(Text::PublishedOn, &[("date", &notice.date.to_string())]) }
                    </span>
                </>
            }) }
        </li>
    }
}
