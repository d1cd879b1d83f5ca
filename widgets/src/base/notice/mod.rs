//! A message in the flow of a page: `Info` is announced politely (`role="status"`), a
//! `Problem` at once (`role="alert"`) and marked with ⚠ as well as colour. Styles:
//! `notice.css`.

use yew::prelude::*;

/// What kind of message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NoticeKind {
    /// Something done, or to know.
    #[default]
    Info,
    /// Something went wrong, or must be done.
    Problem,
}

/// Props of [`Notice`].
#[derive(Properties, PartialEq, Clone)]
pub struct NoticeProps {
    /// The message.
    pub children: Html,
    /// Info (default) or a problem.
    #[prop_or_default]
    pub kind: NoticeKind,
    /// Extra classes.
    #[prop_or_default]
    pub class: Classes,
}

/// See the module docs.
#[function_component]
pub fn Notice(p: &NoticeProps) -> Html {
    notice(p)
}

/// The same markup as [`Notice`], as a plain function (it has no state): what a view
/// with several messages calls, sparing the residents' download a component's
/// machinery. `class` stays a hook for tests (`ll-meal__message`).
pub fn notice(p: &NoticeProps) -> Html {
    let problem = p.kind == NoticeKind::Problem;
    html! {
        <p class={classes!("ll-notice", problem.then_some("ll-notice--problem"), p.class.clone())}
            role={if problem { "alert" } else { "status" }}
            data-state={if problem { "problem" } else { "info" }}>
            { p.children.clone() }
        </p>
    }
}

/// A notice of one text, as [`notice`]: a problem when `problem`, else information;
/// `class` is a hook for tests and styles (`ll-meal__message`).
pub fn notice_text(problem: bool, class: &'static str, text: AttrValue) -> Html {
    notice(&NoticeProps {
        children: html! { text },
        kind: if problem {
            NoticeKind::Problem
        } else {
            NoticeKind::Info
        },
        class: Classes::from(class),
    })
}
