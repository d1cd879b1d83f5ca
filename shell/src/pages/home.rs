//! The first page: a tile per scenario this build offers, the notices, the hotline.

use linli_core::config::Notice;
use linli_core::{Lang, Scenario, Text};
use yew::prelude::*;

use crate::chrome::RouteLink;
use crate::context::use_shell;
use crate::route::Route;

/// How many notices the home page previews.
const PREVIEW: usize = 3;

/// The entry page of a scenario in this build. A scenario a config enables but the
/// build does not contain yet gets no tile: residents never meet a dead end.
fn entry(scenario: Scenario) -> Option<Route> {
    match scenario {
        Scenario::Meals | Scenario::Voting | Scenario::Feedback | Scenario::Forms => None,
    }
}

/// The home page.
#[function_component]
pub fn Home() -> Html {
    let Some(shell) = use_shell() else {
        return Html::default();
    };
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
            <h1 class="ll-page__title">{ shell.t(Text::HomeServices) }</h1>
            <ul class="ll-tiles">
                { for config.scenarios.iter().filter_map(|&s| entry(s).map(|route| html! {
                    <li class="ll-tiles__item" data-scenario={s.id()}>
                        <RouteLink to={route} class="ll-tile">
                            <span class="ll-tile__title">{ shell.t(s.title()) }</span>
                        </RouteLink>
                    </li>
                })) }
                <li class="ll-tiles__item">
                    <RouteLink to={Route::Notices} class="ll-tile">
                        <span class="ll-tile__icon" aria-hidden="true">{ "告" }</span>
                        <span class="ll-tile__title">{ shell.t(Text::NoticesTile) }</span>
                        <span class="ll-tile__hint">{ lang.fill(Text::NoticesTileHint, &[("count", &count)]) }</span>
                    </RouteLink>
                </li>
                <li class="ll-tiles__item">
                    <a class="ll-tile" href={config.hotline_uri()}>
                        <span class="ll-tile__icon" aria-hidden="true">{ "☎" }</span>
                        <span class="ll-tile__title">{ shell.t(Text::HotlineTile) }</span>
                        <span class="ll-tile__hint">{ lang.fill(Text::HotlineCall, &[("number", &config.hotline)]) }</span>
                    </a>
                </li>
            </ul>
            if !latest.is_empty() {
                <h2 class="ll-section-title">{ shell.t(Text::LatestNotices) }</h2>
                <ul class="ll-cards">
                    { for latest.into_iter().map(|n| notice_card(n, lang)) }
                </ul>
                <RouteLink to={Route::Notices} class="ll-more">{ shell.t(Text::MoreNotices) }</RouteLink>
            }
        </section>
    }
}

/// A notice as a card linking to its page; the notices list uses it too.
pub fn notice_card(notice: &Notice, lang: Lang) -> Html {
    html! {
        <li>
            <RouteLink to={Route::Notice { id: notice.id.clone() }} class="ll-card">
                <span class="ll-card__title">{ notice.title.get(lang) }</span>
                <span class="ll-card__meta">
                    { lang.fill(Text::PublishedOn, &[("date", &notice.date.to_string())]) }
                </span>
            </RouteLink>
        </li>
    }
}
