//! The form renderer (表单问卷, DESIGN.md "Forms by social organisations"): a
//! published form drawn on a phone — a scrolling page, or in 长辈版 one question per
//! screen with 上一题 / 下一题 — each question with its label, hint and the error the
//! validator found, announced to screen readers; questions shown and hidden by their
//! skip rules as the resident answers; repeats answered any number of times.
//!
//! The widget is controlled: the host holds the answers (its draft in IndexedDB) and
//! gets every change on `on_change`; 提交 runs `linli_core::forms::answers::validate`
//! — the same validator the server runs — and emits the answers as kept
//! (`answers::clean`: hidden questions have none) on `on_submit` only when nothing is
//! wrong; otherwise every problem shows at its question. The host queues them as
//! `form_answer` with the form's version and says in `status` what became of them.
//! Patterns are matched with the browser's `RegExp`. Styles: `forms.css`.
//!
//! ```ignore
//! html! { <FormView form={form.clone()} answers={answers.clone()} {lang} elder={elder}
//!     today={today} on_change={keep_draft} on_submit={queue} status={said} /> }
//! ```
//!
//! CSS variables: `--ll-form-gap`, `--ll-form-group-border`.

pub mod builder;
pub mod state;

use std::rc::Rc;

use linli_core::forms::answers::{
    clean, is_shown_at, validate, Answers, FieldError, FieldProblem, Patterns,
};
use linli_core::forms::form::{Field, Form, Type};
use linli_core::forms::FormText;
use linli_core::Lang;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::base::{
    choice_group, el, field, notice_text, value_of, Choice, ChoiceGroupProps, FieldProps,
};
use state::{
    belongs, path, screens, text_at, toggled, with_set_added, with_set_removed, with_text, Place,
};

/// Props of [`FormView`].
#[derive(Properties, PartialEq)]
pub struct FormViewProps {
    /// The published form (`GET /api/v1/forms`).
    pub form: Rc<Form>,
    /// The answers so far (the host's draft).
    pub answers: Rc<Answers>,
    /// Interface language.
    #[prop_or_default]
    pub lang: Lang,
    /// 长辈版: one question per screen.
    #[prop_or_default]
    pub elder: bool,
    /// Today in the deployment, `YYYY-MM-DD` (for `today()` in the form's rules).
    pub today: AttrValue,
    /// Every change of an answer: the whole answers, for the host to keep.
    pub on_change: Callback<Answers>,
    /// The answers to submit, as kept: emitted only when nothing is wrong.
    pub on_submit: Callback<Answers>,
    /// The host's word on the last submission (kept on the phone, sent, refused with
    /// why), in `lang`.
    #[prop_or_default]
    pub status: Option<(bool, AttrValue)>,
}

/// The browser's `RegExp`: a pattern that is not one is `None` (never a thrown error).
pub(crate) struct BrowserPatterns;

impl Patterns for BrowserPatterns {
    fn matches(&self, regex: &str, text: &str) -> Option<bool> {
        let ctor = js_sys::Reflect::get(&js_sys::global(), &"RegExp".into()).ok()?;
        let ctor: js_sys::Function = ctor.dyn_into().ok()?;
        let args = js_sys::Array::of2(&regex.into(), &"u".into());
        let re: js_sys::RegExp = js_sys::Reflect::construct(&ctor, &args)
            .ok()?
            .dyn_into()
            .ok()?;
        Some(re.test(text))
    }
}

/// The answers as the last change left them: two changes before the host draws again
/// (typing, then a tap) each start from the one before, never from the props drawn.
type Latest = Rc<std::cell::RefCell<Answers>>;

/// Hands `next` to the host, and remembers it for the next change.
fn change(latest: &Latest, on_change: &Callback<Answers>, next: Answers) {
    *latest.borrow_mut() = next.clone();
    on_change.emit(next);
}

/// What drawing one question needs.
struct View<'a> {
    p: &'a FormViewProps,
    latest: Latest,
    errors: &'a [FieldError],
    /// Show a question's problem only once it was answered, or after 提交 / 下一题.
    tried: bool,
}

impl View<'_> {
    fn error(&self, at: &str, answered: bool) -> Option<AttrValue> {
        let e = self.errors.iter().find(|e| e.path == at)?;
        let show = self.tried || (answered && e.problem != FieldProblem::Required);
        show.then(|| e.problem.message(self.p.lang).into())
    }

    fn fields(&self, fields: &[Field], place: &Place, prefix: &str) -> Html {
        html! { <>{ for fields.iter().map(|f| self.field(f, place, prefix)) }</> }
    }

    fn field(&self, f: &Field, place: &Place, prefix: &str) -> Html {
        let p = self.p;
        if f.kind == Type::Calculate || !is_shown_at(&p.form, &p.answers, place, &f.name, &p.today)
        {
            return Html::default();
        }
        let lang = p.lang;
        let at = path(prefix, &f.name);
        let label = f.label.get(lang).to_owned();
        match f.kind {
            Type::Note => return el("p", "ll-form__note", label.into()),
            Type::Group => {
                return html! {
                    <fieldset class="ll-form__group">
                        <legend>{ label }</legend>
                        { self.fields(&f.fields, place, &at) }
                    </fieldset>
                }
            }
            Type::Repeat => return self.repeat(f, place, &at),
            _ => {}
        }
        let value = text_at(&p.answers, place, &f.name).to_owned();
        // Unambiguous and usable in a CSS selector: `/` (a group) as `--`, a repeat's
        // `[n]` and a name's `.` as `_`.
        let id: AttrValue = format!(
            "ll-form-{}",
            at.replace('/', "--").replace(['[', ']', '.'], "_")
        )
        .into();
        let label = if f.required {
            label
        } else {
            format!("{label}{}", lang.t(FormText::Optional))
        };
        let set = {
            let (latest, place, name, on_change) = (
                self.latest.clone(),
                place.clone(),
                f.name.clone(),
                p.on_change.clone(),
            );
            move |v: String| {
                let next = with_text(&latest.borrow(), &place, &name, v.trim_start());
                change(&latest, &on_change, next)
            }
        };
        let input = match f.kind {
            Type::SelectOne | Type::YesNo | Type::Rating => {
                let options: Vec<(String, String)> = match f.kind {
                    Type::SelectOne => f
                        .choices
                        .iter()
                        .map(|c| (c.name.clone(), c.label.get(lang).to_owned()))
                        .collect(),
                    Type::YesNo => vec![
                        ("yes".into(), lang.t(FormText::Yes).into()),
                        ("no".into(), lang.t(FormText::No).into()),
                    ],
                    _ => (1..=f.stars())
                        .map(|n| (n.to_string(), format!("{n} ★")))
                        .collect(),
                };
                let selected = options.iter().position(|(n, _)| *n == value);
                let names: Vec<String> = options.iter().map(|(n, _)| n.clone()).collect();
                let on_select =
                    Callback::from(move |i: usize| set(names.get(i).cloned().unwrap_or_default()));
                choice_group(&ChoiceGroupProps {
                    legend: label.clone().into(),
                    options: Rc::new(
                        options
                            .into_iter()
                            .map(|(n, l)| Choice {
                                arg: n.into(),
                                label: l.into(),
                                hint: None,
                                lang: None,
                            })
                            .collect(),
                    ),
                    selected,
                    on_select,
                    one_row: f.kind != Type::SelectOne,
                    hook: Some(id.clone()),
                    class: Classes::new(),
                })
            }
            Type::SelectMultiple => html! {
                <div class="ll-form__choices" role="group" aria-label={label.clone()}>
                    { for f.choices.iter().map(|c| {
                        let on = value.split_whitespace().any(|v| v == c.name);
                        let (set, latest, place, field, name) = (set.clone(), self.latest.clone(), place.clone(), f.name.clone(), c.name.clone());
                        let onchange = Callback::from(move |_: Event| {
                            let current = text_at(&latest.borrow(), &place, &field).to_owned();
                            set(toggled(&current, &name))
                        });
                        html! { <label class="ll-form__check"><input type="checkbox" checked={on} {onchange} />{ c.label.get(lang) }</label> }
                    }) }
                </div>
            },
            kind => {
                let oninput = Callback::from(move |e: InputEvent| set(value_of(&e)));
                let described = crate::base::described_by(&id);
                if kind == Type::LongText {
                    html! { <textarea id={id.clone()} rows="4" value={value.clone()} {oninput} aria-describedby={described} /> }
                } else {
                    let (kind_attr, mode) = match kind {
                        Type::Integer => ("text", "numeric"),
                        Type::Decimal => ("text", "decimal"),
                        Type::Date => ("date", "none"),
                        Type::Time => ("time", "none"),
                        Type::Phone => ("tel", "tel"),
                        _ => ("text", "text"),
                    };
                    html! { <input id={id.clone()} type={kind_attr} inputmode={mode} value={value.clone()} {oninput} aria-describedby={described} /> }
                }
            }
        };
        field(&FieldProps {
            id: id.clone(),
            label: label.into(),
            hint: f.hint.as_ref().map(|h| h.get(lang).to_owned().into()),
            error: self.error(&at, !value.is_empty()),
            children: input,
            // A choice question is named by its group's legend; the field's own label
            // would say it twice.
            class: classes!(
                "ll-form__field",
                matches!(f.kind, Type::SelectOne | Type::YesNo | Type::Rating)
                    .then_some("ll-form__field--choice")
            ),
        })
    }

    fn repeat(&self, f: &Field, place: &Place, at: &str) -> Html {
        let p = self.p;
        let lang = p.lang;
        let sets = state::set_at(&p.answers, place).map_or(0, |a| a.repeat(&f.name).len());
        let add = {
            let (latest, place, f, on_change) = (
                self.latest.clone(),
                place.clone(),
                f.clone(),
                p.on_change.clone(),
            );
            Callback::from(move |_: MouseEvent| {
                let next = with_set_added(&latest.borrow(), &place, &f);
                change(&latest, &on_change, next)
            })
        };
        html! {
            <fieldset class="ll-form__group ll-form__repeat">
                <legend>{ f.label.get(lang) }</legend>
                if let Some(e) = self.error(at, sets > 0) { { notice_text(true, "ll-form__error", e) } }
                { for (0..sets).map(|i| {
                    let mut inner = place.clone();
                    inner.push((f.name.clone(), i));
                    let remove = {
                        let (latest, place, name, on_change) = (self.latest.clone(), place.clone(), f.name.clone(), p.on_change.clone());
                        Callback::from(move |_: MouseEvent| {
                            let next = with_set_removed(&latest.borrow(), &place, &name, i);
                            change(&latest, &on_change, next)
                        })
                    };
                    html! {
                        <fieldset class="ll-form__set">
                            <legend>{ lang.fill(FormText::RepeatItem, &[("n", &(i + 1).to_string())]) }</legend>
                            { self.fields(&f.fields, &inner, &format!("{at}[{}]", i + 1)) }
                            <button type="button" class="ll-button" onclick={remove}>{ lang.t(FormText::RemoveRepeat) }</button>
                        </fieldset>
                    }
                }) }
                <button type="button" class="ll-button" data-act="form-add" onclick={add}>{ lang.t(FormText::AddRepeat) }</button>
            </fieldset>
        }
    }
}

/// See the module docs.
#[function_component]
pub fn FormView(p: &FormViewProps) -> Html {
    let tried = use_state(|| false);
    // 长辈版: the question on screen, by its path (an index would point at another
    // question once an answer shows or hides one before it).
    let screen = use_state(String::new);
    // Set by 上一题 / 下一题: the new question's step line takes the focus, so a screen
    // reader reads where the resident is now (not on the first screen's own opening).
    let moved = use_mut_ref(|| false);
    let step = use_node_ref();
    {
        let (moved, step) = (moved.clone(), step.clone());
        use_effect_with((*screen).clone(), move |_| {
            if std::mem::take(&mut *moved.borrow_mut()) {
                if let Some(el) = step.cast::<web_sys::HtmlElement>() {
                    el.focus().ok();
                }
            }
        });
    }
    let lang = p.lang;
    let latest: Latest = use_mut_ref(Answers::default);
    *latest.borrow_mut() = (*p.answers).clone();
    let errors = validate(&p.form, &p.answers, &p.today, &BrowserPatterns);
    let view = View {
        p,
        latest: latest.clone(),
        errors: &errors,
        tried: *tried,
    };
    let submit = {
        let (form, latest, today, on_submit, tried) = (
            p.form.clone(),
            latest.clone(),
            p.today.clone(),
            p.on_submit.clone(),
            tried.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            tried.set(true);
            let answers = latest.borrow().clone();
            if validate(&form, &answers, &today, &BrowserPatterns).is_empty() {
                on_submit.emit(clean(&form, &answers, &today));
            }
        })
    };
    let status = p
        .status
        .as_ref()
        .map(|(ok, text)| notice_text(!ok, "ll-form__status", text.clone()));
    let problems = (*tried && !errors.is_empty()).then(|| {
        notice_text(
            true,
            "ll-form__problems",
            lang.fill(FormText::FixAbove, &[("n", &errors.len().to_string())])
                .into(),
        )
    });
    let submit_button = html! { <button type="button" class="ll-button ll-button--primary" data-act="form-submit" onclick={submit}>{ lang.t(FormText::Submit) }</button> };
    let head = html! {
        <>
            { el("h2", "ll-form__title", p.form.title.get(lang).to_owned().into()) }
            if let Some(d) = &p.form.description { { el("p", "ll-form__description", d.get(lang).to_owned().into()) } }
        </>
    };
    if !p.elder {
        return html! {
            <form class="ll-form" novalidate=true onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { head }
                { view.fields(&p.form.fields, &Vec::new(), "") }
                { problems.unwrap_or_default() }
                { submit_button }
                { status.unwrap_or_default() }
            </form>
        };
    }
    // 长辈版: the shown questions, one at a time.
    let shown: Vec<(String, &Field)> = screens(&p.form)
        .into_iter()
        .filter(|(_, f)| is_shown_at(&p.form, &p.answers, &[], &f.name, &p.today))
        .collect();
    let n = shown.len();
    let k = shown
        .iter()
        .position(|(prefix, f)| path(prefix, &f.name) == *screen)
        .unwrap_or(0);
    let step_errors = shown.get(k).is_some_and(|(prefix, f)| {
        errors
            .iter()
            .any(|e| belongs(&e.path, &path(prefix, &f.name)))
    });
    let go = |to: usize, check: bool| {
        let (screen, tried, moved) = (screen.clone(), tried.clone(), moved.clone());
        let to = shown
            .get(to)
            .map(|(prefix, f)| path(prefix, &f.name))
            .unwrap_or_default();
        Callback::from(move |_: MouseEvent| {
            if check && step_errors {
                tried.set(true);
            } else {
                tried.set(false);
                *moved.borrow_mut() = true;
                screen.set(to.clone());
            }
        })
    };
    html! {
        <form class="ll-form ll-form--elder" novalidate=true onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { head }
            <p class="ll-form__step" ref={step} tabindex="-1">{ lang.fill(FormText::StepOf, &[("n", &(k + 1).to_string()), ("of", &n.to_string())]) }</p>
            if let Some((prefix, f)) = shown.get(k) { { view.field(f, &Vec::new(), prefix) } }
            <div class="ll-form__nav">
                if k > 0 {
                    <button type="button" class="ll-button" data-act="form-back" onclick={go(k - 1, false)}>{ lang.t(FormText::Back) }</button>
                }
                if k + 1 < n {
                    <button type="button" class="ll-button ll-button--primary" data-act="form-next" onclick={go(k + 1, true)}>{ lang.t(FormText::Next) }</button>
                } else {
                    { problems.unwrap_or_default() }
                    { submit_button }
                }
            </div>
            { status.unwrap_or_default() }
        </form>
    }
}
