//! 我的: language, 长辈版, hotline, privacy notice, storage status.

use linli_core::prefs::PrefsAction;
use linli_core::{Lang, Text};
use std::rc::Rc;

use linli_widgets::base::{choice_group, el, Choice, ChoiceGroupProps, ReadAloud, Switch};
use yew::prelude::*;

use super::household::Household;
use super::outbox::OutboxPanel;
use super::storage::StorageStatus;
use super::text::paragraphs;
use crate::context::Shell;

#[cfg(feature = "evaluation")]
fn evaluation() -> Html {
    html! { <crate::evaluation::CountingSwitch /> }
}

#[cfg(not(feature = "evaluation"))]
fn evaluation() -> Html {
    Html::default()
}

/// The 我的 page.
pub fn me(shell: &Shell) -> Html {
    let lang = shell.lang();
    let on_elder = shell.dispatch.reform(PrefsAction::SetElder);
    let privacy = shell.config.privacy.get(lang);
    html! {
        <section class="ll-page">
            { el("h1", "ll-page__title", AttrValue::from(shell.t(Text::TabMe))) }
            <div class="ll-group">
                <Switch label={shell.t(Text::ElderMode)} hint={AttrValue::from(shell.t(Text::ElderModeHint))}
                    checked={shell.prefs.elder} on_change={on_elder} {lang} />
            </div>
            <Household />
            <OutboxPanel />
            { for crate::scenarios::built().iter().map(|e| (e.me)(shell)) }
            { evaluation() }
            { choice_group(&ChoiceGroupProps {
                legend: shell.t(Text::Language).into(),
                options: Rc::new(Lang::ALL.map(|l| Choice {
                    arg: l.code().into(),
                    label: l.endonym().into(),
                    hint: None,
                    lang: Some(l.code().into()),
                }).to_vec()),
                selected: Lang::ALL.iter().position(|&l| l == lang),
                on_select: shell.dispatch.reform(|i| PrefsAction::SetLang(Lang::ALL.get(i).copied().unwrap_or_default())),
                one_row: false,
                hook: Some("lang".into()),
                class: classes!("ll-group"),
            }) }
            <div class="ll-group">
                { el("h2", "ll-group__title", AttrValue::from(shell.t(Text::HotlineTile))) }
                <a class="ll-button" href={shell.config.hotline_uri()}>
                    { lang.fill(Text::HotlineCall, &[("number", &shell.config.hotline)]) }
                </a>
            </div>
            <div class="ll-group">
                { el("h2", "ll-group__title", AttrValue::from(shell.t(Text::Privacy))) }
                <ReadAloud text={AttrValue::from(privacy.to_owned())} {lang} />
                <div class="ll-prose">{ paragraphs(privacy) }</div>
            </div>
            <div class="ll-group">
                { el("h2", "ll-group__title", AttrValue::from(shell.t(Text::Storage))) }
                <StorageStatus />
            </div>
        </section>
    }
}
