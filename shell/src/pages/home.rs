//! The first page: a tile per scenario this build offers, the notices, the hotline.

use linli_core::config::Notice;
use linli_core::{Lang, Scenario, Text};
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
    let count = config.notices.len().to_string();
    let latest: Vec<&Notice> = config
        .notices_newest_first()
        .into_iter()
        .take(PREVIEW)
        .collect();
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
                            { el("span", "ll-tile__hint", AttrValue::from(lang.fill(Text::NoticesTileHint, &[("count", &count)]))) }
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
                    { for latest.into_iter().map(|n| notice_card(n, lang)) }
                </ul>
                { route_link(&Route::Notices, "ll-more", false, html! { shell.t(Text::MoreNotices) }) }
            }
        </section>
    }
}

/// A notice as a card linking to its page; the notices list uses it too.
pub fn notice_card(notice: &Notice, lang: Lang) -> Html {
    html! {
        <li>
            { route_link(&Route::Notice(notice.id.clone()), "ll-card", false, html! {
                <>
                    { el("span", "ll-card__title", AttrValue::from(notice.title.get(lang))) }
                    <span class="ll-card__meta">
                        { lang.fill(Text::PublishedOn, &[("date", &notice.date.to_string())]) }
                    </span>
                </>
            }) }
        </li>
    }
}
