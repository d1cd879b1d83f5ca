//! 表单问卷: the open forms of the sub-district, answered on this phone. The forms come
//! from `GET /api/v1/forms` and are kept in IndexedDB as the server sent them, so they
//! open offline. Every change of an answer is kept at once as the form's draft (with
//! the definition it is answered against, so a draft of an older version stays on that
//! version), and the page says "kept" only once IndexedDB's transaction committed; the
//! form being answered is remembered, so a reload opens it again with its draft. 提交
//! puts the answers in the outbox as `form_answer` with their version (once, however
//! often it is tapped) and says so once the outbox holds them; the outbox bar on every
//! page and 我的 follow them to the server (sent, or refused with the reason).

use std::rc::Rc;

use linli_core::forms::answers::Answers;
use linli_core::forms::form::Form;
use linli_core::forms::wire::{AnswerPayload, OpenForms, ANSWER_KIND, ENDPOINT};
use linli_core::forms::FormText;
use linli_core::json::Value;
use linli_core::Text;
use linli_widgets::base::{el, notice_text};
use linli_widgets::forms::FormView;
use yew::prelude::*;

use crate::context::use_shell;
use crate::net::parse;
use crate::outbox::submit;
use crate::storage::Storage;

/// Where the last list of forms is kept (settings store), as the server's JSON text.
pub const FORMS_KEY: &str = "forms_board";
/// The form being answered (its id), so a reload opens it again.
const CURRENT_KEY: &str = "forms_current";
/// A form's draft: `{form: definition, answers}` under `forms_draft:<id>`.
fn draft_key(id: &str) -> String {
    format!("forms_draft:{id}")
}

type Load = super::board::Load<OpenForms>;

async fn load(server: Option<String>) -> Load {
    let read = |text: &str| OpenForms::from_value(&parse(text)).ok();
    let reads = |text: &str| OpenForms::from_value(&parse(text)).is_ok();
    super::board::load(server, ENDPOINT, FORMS_KEY, true, read, reads).await
}

/// The forms scenario's way into the shell.
pub const ENTRY: crate::scenarios::Entry = crate::scenarios::Entry {
    scenario: linli_core::Scenario::Forms,
    page: |_| html! { <FormsPage /> },
    me: |_| Html::default(),
    configured: |_| true,
    kind: |kind, lang| (kind == ANSWER_KIND).then(|| lang.t(FormText::Kind)),
    completes: &[ANSWER_KIND],
};

/// A draft as kept: the definition answered against (read, and as the server sent
/// it) and the answers so far.
#[derive(Clone, PartialEq)]
struct Draft {
    form: Rc<Form>,
    sent: Rc<Value>,
    answers: Rc<Answers>,
}

fn draft_text(d: &Draft) -> Option<String> {
    let value = Value::object(vec![
        ("form", (*d.sent).clone()),
        ("answers", d.answers.to_value()),
    ]);
    js_sys::JSON::stringify(&crate::js::to_js(&value))
        .ok()
        .and_then(|s| s.as_string())
}

fn read_draft(text: &str) -> Option<Draft> {
    let Value::Object(m) = parse(text) else {
        return None;
    };
    let get = |k: &str| m.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    let sent = get("form")?;
    Some(Draft {
        form: Rc::new(Form::from_value(sent).ok()?),
        sent: Rc::new(sent.clone()),
        answers: Rc::new(Answers::from_value(get("answers")?).ok()?),
    })
}

/// Keeps (or with `None`, forgets) a setting; whether IndexedDB's transaction
/// committed, or what happened and what to do, in `lang`.
async fn keep(key: &str, text: Option<&str>, lang: linli_core::Lang) -> Result<(), &'static str> {
    let storage = Storage::open().await.map_err(|e| lang.t(e.text()))?;
    let done = storage.set_setting(key, text.unwrap_or("")).await;
    storage.close();
    done.map_err(|e| lang.t(e.text()))
}

async fn setting(key: &str) -> Option<String> {
    let storage = Storage::open().await.ok()?;
    let text = storage.setting(key).await.ok().flatten();
    storage.close();
    text.filter(|t| !t.is_empty())
}

/// What the page says of the open form: its draft kept (or not), or its answers kept
/// in the outbox (where the bar on every page and 我的 follow them to the server).
#[derive(Clone, Copy, PartialEq)]
enum Said {
    /// Nothing yet.
    Nothing,
    /// The draft was kept in IndexedDB, or why not.
    Draft(Result<(), &'static str>),
    /// Submitted: the outbox holds the answers.
    Kept,
}

/// The forms page: the list, or the form being answered.
#[function_component]
pub fn FormsPage() -> Html {
    let state = use_state(|| Load::Loading);
    let now = use_state_eq(crate::clock::server_now);
    let generation = use_mut_ref(|| 0_u32);
    // The form being answered, with its draft, once read back from IndexedDB.
    let open = use_state(|| None::<Draft>);
    let said = use_state(|| Said::Nothing);
    // Which opening of a form this is (late results of an earlier one are dropped), and
    // whether its answers are being submitted (a second tap and late edits are ignored).
    let turn = use_mut_ref(|| (0_u32, false));
    let shell = use_shell();
    let server = shell.as_ref().and_then(|s| s.config.server_url.clone());
    {
        let (state, server, generation) = (state.clone(), server.clone(), generation.clone());
        use_effect_with(*now as u64, move |_| {
            super::board::spawn_newest(&generation, state, load(server));
        });
    }
    super::board::use_refresh(&now, None);
    // A reload opens the form that was being answered, with its draft.
    {
        let (open, state, turn, said) = (open.clone(), state.clone(), turn.clone(), said.clone());
        let ready = matches!(&*state, Load::Ready(..));
        use_effect_with(ready, move |ready| {
            if *ready && open.is_none() {
                let forms = match &*state {
                    Load::Ready(f, _) => f.clone(),
                    _ => return,
                };
                let epoch = turn.borrow().0;
                wasm_bindgen_futures::spawn_local(async move {
                    let Some(id) = setting(CURRENT_KEY).await else {
                        return;
                    };
                    if let Some(d) = starting(&forms, &id).await {
                        if turn.borrow().0 == epoch {
                            said.set(Said::Nothing);
                            open.set(Some(d));
                        }
                    }
                });
            }
        });
    }
    let Some(shell) = shell else {
        return Html::default();
    };
    let lang = shell.lang();
    let message = "ll-form__message";
    let title = el("h1", "ll-page__title", shell.t(Text::ScenarioForms).into());
    let forms = match &*state {
        Load::Ready(forms, offline) => (forms.clone(), *offline),
        other => {
            let words = super::board::NotReady {
                loading: lang.t(FormText::Loading),
                unavailable: lang.t(FormText::Unavailable),
                not_linked: lang.t(FormText::NotLinked),
                go_link: lang.t(FormText::GoLink),
            };
            let body = super::board::not_ready(other, words, lang, message).unwrap_or_default();
            return html! { <section class="ll-page">{ title }{ body }</section> };
        }
    };
    let (forms, offline) = forms;
    let offline_note =
        offline.then(|| notice_text(false, message, lang.t(FormText::Offline).into()));
    let Some(draft) = (*open).clone() else {
        // The list.
        let items = forms.forms.iter().map(|f| {
            let (open, forms, id, said, turn) = (open.clone(), forms.clone(), f.id.clone(), said.clone(), turn.clone());
            let onclick = Callback::from(move |_: MouseEvent| {
                let epoch = next_turn(&turn);
                let (open, forms, id, said, turn) = (open.clone(), forms.clone(), id.clone(), said.clone(), turn.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = keep(CURRENT_KEY, Some(&id), lang).await;
                    if let Some(d) = starting(&forms, &id).await {
                        if turn.borrow().0 == epoch {
                            said.set(Said::Nothing);
                            open.set(Some(d));
                        }
                    }
                });
            });
            html! {
                <li class="ll-form-list__item">
                    { el("h2", "", f.title.get(lang).to_owned().into()) }
                    if let Some(d) = &f.description { { el("p", "", d.get(lang).to_owned().into()) } }
                    <button type="button" class="ll-button ll-button--primary" data-act="form-open" data-arg={f.id.clone()} {onclick}>
                        { lang.t(FormText::Answer) }
                    </button>
                </li>
            }
        });
        return html! {
            <section class="ll-page">
                { title }
                { offline_note.unwrap_or_default() }
                if forms.forms.is_empty() {
                    { el("p", "ll-muted", lang.t(FormText::NoForms).into()) }
                } else {
                    <ul class="ll-form-list">{ for items }</ul>
                }
            </section>
        };
    };
    // The form being answered.
    let id = draft.form.id.clone();
    let on_change = {
        let (open, said, draft, id, turn) = (
            open.clone(),
            said.clone(),
            draft.clone(),
            id.clone(),
            turn.clone(),
        );
        Callback::from(move |answers: Answers| {
            let (epoch, busy) = *turn.borrow();
            if busy {
                return;
            }
            let next = Draft {
                answers: Rc::new(answers),
                ..draft.clone()
            };
            open.set(Some(next.clone()));
            let (said, key, turn) = (said.clone(), draft_key(&id), turn.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let kept = match draft_text(&next) {
                    Some(text) => keep(&key, Some(&text), lang).await,
                    None => Err(lang.t(FormText::Unavailable)),
                };
                if *turn.borrow() == (epoch, false) {
                    said.set(Said::Draft(kept));
                }
            });
        })
    };
    let on_submit = {
        let (said, form, id, turn) = (said.clone(), draft.form.clone(), id.clone(), turn.clone());
        Callback::from(move |answers: Answers| {
            let epoch = {
                let mut t = turn.borrow_mut();
                if t.1 {
                    return;
                }
                t.1 = true;
                t.0
            };
            // A published version is a number (the server sets it); a draft's is "0".
            let payload = AnswerPayload {
                form: id.clone(),
                version: form.version.parse().unwrap_or(0),
                answers,
            };
            let (said, turn, id) = (said.clone(), turn.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = submit(ANSWER_KIND, payload.to_value()).await;
                if turn.borrow().0 != epoch {
                    return;
                }
                match result {
                    Ok(_) => {
                        // Kept in the outbox: the draft has done its work.
                        let _ = keep(&draft_key(&id), None, lang).await;
                        let _ = keep(CURRENT_KEY, None, lang).await;
                        said.set(Said::Kept);
                    }
                    Err(e) => {
                        turn.borrow_mut().1 = false;
                        said.set(Said::Draft(Err(lang.t(e.text()))));
                    }
                }
            });
        })
    };
    let back = {
        let (open, said, turn) = (open.clone(), said.clone(), turn.clone());
        Callback::from(move |_: MouseEvent| {
            next_turn(&turn);
            open.set(None);
            said.set(Said::Nothing);
            wasm_bindgen_futures::spawn_local(async move {
                let _ = keep(CURRENT_KEY, None, lang).await;
            });
        })
    };
    let status = match *said {
        Said::Nothing => None,
        Said::Draft(Ok(())) => Some((true, AttrValue::from(lang.t(FormText::DraftSaved)))),
        Said::Draft(Err(why)) => Some((
            false,
            lang.fill(FormText::DraftFailed, &[("reason", why)]).into(),
        )),
        Said::Kept => Some((true, lang.t(FormText::Kept).into())),
    };
    let submitted = *said == Said::Kept;
    let today: AttrValue = linli_core::date::date_at(
        crate::clock::server_now() as i64,
        shell.config.utc_offset_minutes(),
    )
    .map(|d| d.to_string())
    .unwrap_or_default()
    .into();
    html! {
        <section class="ll-page">
            { title }
            { offline_note.unwrap_or_default() }
            <button type="button" class="ll-button" data-act="form-list" onclick={back}>{ lang.t(FormText::BackToList) }</button>
            if submitted {
                if let Some((ok, text)) = status { { notice_text(!ok, "ll-form__status", text) } }
            } else {
                <FormView key={id.clone()} form={draft.form.clone()} answers={draft.answers.clone()} {lang}
                    elder={shell.prefs.elder} {today} {on_change} {on_submit} {status} />
            }
        </section>
    }
}

/// Starts another opening of a form (or none): late results of the one before are
/// dropped, and nothing is being submitted. Its number.
fn next_turn(turn: &Rc<std::cell::RefCell<(u32, bool)>>) -> u32 {
    let mut t = turn.borrow_mut();
    *t = (t.0.wrapping_add(1), false);
    t.0
}

/// The form `id` to answer: its kept draft (against the version it was begun on), or
/// the newest version with its defaults.
async fn starting(forms: &OpenForms, id: &str) -> Option<Draft> {
    if let Some(d) = setting(&draft_key(id))
        .await
        .as_deref()
        .and_then(read_draft)
    {
        return Some(d);
    }
    let at = forms.forms.iter().position(|f| f.id == id)?;
    let form = &forms.forms[at];
    Some(Draft {
        answers: Rc::new(linli_widgets::forms::state::defaults(&form.fields)),
        form: Rc::new(form.clone()),
        sent: Rc::new(forms.sent.get(at)?.clone()),
    })
}
