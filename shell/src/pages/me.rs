//! 我的: language, 长辈版, hotline, privacy notice, storage status.

use linli_core::prefs::PrefsAction;
use linli_core::{Lang, Text};
use linli_widgets::base::{ReadAloud, Switch};
use yew::prelude::*;

use super::household::Household;
use super::outbox::OutboxPanel;
use super::storage::StorageStatus;
use super::text::paragraphs;
use crate::context::Shell;

/// The 我的 page.
pub fn me(shell: &Shell) -> Html {
    let lang = shell.lang();
    let on_elder = shell.dispatch.reform(PrefsAction::SetElder);
    let privacy = shell.config.privacy.get(lang);
    html! {
        <section class="ll-page">
            <h1 class="ll-page__title">{ shell.t(Text::TabMe) }</h1>
            <div class="ll-group">
                <Switch label={shell.t(Text::ElderMode)} hint={AttrValue::from(shell.t(Text::ElderModeHint))}
                    checked={shell.prefs.elder} on_change={on_elder} {lang} />
            </div>
            <Household />
            <OutboxPanel />
            { for crate::scenarios::built().iter().map(|e| (e.me)(shell)) }
            <fieldset class="ll-group ll-choice">
                <legend class="ll-group__title">{ shell.t(Text::Language) }</legend>
                { for Lang::ALL.into_iter().map(|l| {
                    let onchange = shell.dispatch.reform(move |_: Event| PrefsAction::SetLang(l));
                    html! {
                        <label class="ll-choice__option">
                            <input type="radio" name="ll-lang" value={l.code()} checked={l == lang} {onchange} />
                            <span lang={l.code()}>{ l.endonym() }</span>
                        </label>
                    }
                }) }
            </fieldset>
            <div class="ll-group">
                <h2 class="ll-group__title">{ shell.t(Text::HotlineTile) }</h2>
                <a class="ll-button" href={shell.config.hotline_uri()}>
                    { lang.fill(Text::HotlineCall, &[("number", &shell.config.hotline)]) }
                </a>
            </div>
            <div class="ll-group">
                <h2 class="ll-group__title">{ shell.t(Text::Privacy) }</h2>
                <ReadAloud text={AttrValue::from(privacy.to_owned())} {lang} />
                <div class="ll-prose">{ paragraphs(privacy) }</div>
            </div>
            <div class="ll-group">
                <h2 class="ll-group__title">{ shell.t(Text::Storage) }</h2>
                <StorageStatus />
            </div>
        </section>
    }
}
