//! The form builder (表单设计, DESIGN.md "Forms by social organisations"): a social
//! organisation designs a form without writing JSON or expressions. Questions are
//! added by type, moved up and down, edited in place and deleted; choices likewise;
//! skip rules are picked — a question, a comparison, a value — and the `relevant`
//! expression they make is shown ([`linli_core::forms::rule`]). Each problem of the
//! definition ([`linli_core::forms::definition::check_form`], and patterns the
//! browser cannot read) is shown at its question, and beside it a live preview draws
//! the form with the residents' own renderer, [`FormView`], normal or 长辈版.
//!
//! The widget is controlled: the host holds the definition and gets every change on
//! `on_change`; saving and publishing are the host's (the builder page of
//! linli-server's console, `builder/`). Styles: `forms.css` and `builder/builder.css`.
//!
//! ```ignore
//! html! { <FormBuilder form={form.clone()} {lang} today={today} on_change={keep} /> }
//! ```

pub mod state;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use linli_core::date::Date;
use linli_core::forms::answers::{Answers, Patterns};
use linli_core::forms::definition::{check_form, Column, DefinitionError, DefinitionProblem};
use linli_core::forms::expr::parse_number;
use linli_core::forms::form::{Choice, Field, Form, Limit, Limits, Pattern, Text, Type, MAX_NAME};
use linli_core::forms::rule::{Compare, Condition, Rule};
use linli_core::forms::FormBuilderText as B;
use linli_core::Lang;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{BrowserPatterns, FormView};
use crate::base::value_of;
use state::{
    added, candidates, choice_renamed, edited, field_at, fresh_choice, moved, new_condition,
    new_field, place_of, removed, renamed, swapped, Place,
};

/// Props of [`FormBuilder`].
#[derive(Properties, PartialEq)]
pub struct FormBuilderProps {
    /// The definition being designed (the form's draft).
    pub form: Rc<Form>,
    /// Interface language.
    #[prop_or_default]
    pub lang: Lang,
    /// Today in the deployment, `YYYY-MM-DD` (for `today()` in the preview).
    pub today: AttrValue,
    /// Every change: the whole definition, for the host to keep.
    pub on_change: Callback<Form>,
}

/// Every problem of `form`'s definition, with the patterns the browser's `RegExp`
/// cannot read (the server checks them again with its own engine on publish).
pub fn problems(form: &Form) -> Vec<DefinitionError> {
    let mut all = check_form(form);
    for (at, (path, f)) in form.all_fields().into_iter().enumerate() {
        if let Some(p) = &f.pattern {
            if BrowserPatterns.matches(&p.regex, "").is_none() {
                all.push(DefinitionError {
                    path,
                    at,
                    column: Column::Pattern,
                    problem: DefinitionProblem::BadPattern(p.regex.clone()),
                });
            }
        }
    }
    all
}

fn compare_text(c: Compare) -> B {
    match c {
        Compare::Is => B::Is,
        Compare::IsNot => B::IsNot,
        Compare::Includes => B::Includes,
        Compare::Excludes => B::Excludes,
        Compare::Less => B::Less,
        Compare::LessOrEqual => B::LessOrEqual,
        Compare::Greater => B::Greater,
        Compare::GreaterOrEqual => B::GreaterOrEqual,
        Compare::Answered => B::Answered,
        Compare::NotAnswered => B::NotAnswered,
    }
}

/// The labels of `min` and `max` for what they bound.
fn limit_labels(limits: Limits) -> Option<(B, B)> {
    match limits {
        Limits::None => None,
        Limits::Value => Some((B::MinValue, B::MaxValue)),
        Limits::Length => Some((B::MinLength, B::MaxLength)),
        Limits::Date => Some((B::MinDate, B::MaxDate)),
        Limits::Choices => Some((B::MinChoices, B::MaxChoices)),
        Limits::Count => Some((B::MinCount, B::MaxCount)),
    }
}

/// A limit as typed: a date or a number; `None` when empty or neither.
fn limit_of(text: &str) -> Option<Limit> {
    let t = text.trim();
    Date::parse(t)
        .map(Limit::Date)
        .or_else(|| parse_number(t).map(Limit::Number))
}

/// The value of the `<select>` an event came from.
fn selected_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

fn checked(e: &Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

fn key(place: &[usize]) -> String {
    place
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("-")
}

/// The longest text an input of the builder takes, characters: a label's cap
/// ([`linli_core::forms::form::MAX_LABEL`]), which is also an expression's.
const MAX_TEXT: &str = "1000";

/// Working rules by field name: a condition whose value is still empty reads back as
/// another comparison, so the rule being picked is kept while its expression is the
/// field's.
type Rules = Rc<RefCell<HashMap<String, Rule>>>;

struct View<'a> {
    p: &'a FormBuilderProps,
    form: Rc<Form>,
    selected: UseStateHandle<Option<Place>>,
    /// The type the adders add.
    kind: UseStateHandle<Type>,
    errors: Vec<(Place, DefinitionError)>,
    rules: Rules,
    /// Fields whose skip rule is being written as an expression, by name.
    writing: Rc<RefCell<std::collections::HashSet<String>>>,
    /// The element to focus once the next render is in the page (an added, moved or
    /// deleted question's), by id.
    focus: Rc<RefCell<Option<String>>>,
}

impl View<'_> {
    fn t(&self, k: B) -> &'static str {
        self.p.lang.t(k)
    }

    /// A callback that sends the form `make` makes from the current one.
    fn change<E: 'static>(&self, make: impl Fn(&Form, E) -> Form + 'static) -> Callback<E> {
        let (form, on_change) = (self.form.clone(), self.p.on_change.clone());
        Callback::from(move |e: E| on_change.emit(make(&form, e)))
    }

    /// A callback that edits the field at `place` with what an input event carries.
    fn set(
        &self,
        place: &Place,
        edit: impl Fn(&mut Field, String) + 'static,
    ) -> Callback<InputEvent> {
        let place = place.clone();
        self.change(move |form, e: InputEvent| {
            let v = value_of(&e);
            edited(form, &place, |f| edit(f, v))
        })
    }

    fn text_input(
        &self,
        place: &Place,
        name: &str,
        label: B,
        value: &str,
        edit: impl Fn(&mut Field, String) + 'static,
    ) -> Html {
        let id = format!("ll-build-{}-{name}", key(place));
        html! {
            <label class="ll-build__input" for={id.clone()}>
                <span>{ self.t(label) }</span>
                <input {id} type="text" maxlength={MAX_TEXT} data-edit={name.to_owned()} value={value.to_owned()} oninput={self.set(place, edit)} />
            </label>
        }
    }

    fn field_problems(&self, place: &Place) -> Vec<&DefinitionError> {
        self.errors
            .iter()
            .filter(|(p, _)| p == place)
            .map(|(_, e)| e)
            .collect()
    }

    fn list(&self, fields: &[Field], parent: &Place) -> Html {
        html! {
            <ol class="ll-build__list">
                { for fields.iter().enumerate().map(|(i, f)| {
                    let mut place = parent.clone();
                    place.push(i);
                    self.item(f, &place, i, fields.len())
                }) }
            </ol>
        }
    }

    fn item(&self, f: &Field, place: &Place, index: usize, count: usize) -> Html {
        let lang = self.p.lang;
        let open = self.selected.as_ref() == Some(place);
        let problems = self.field_problems(place);
        let pick = {
            let (selected, place) = (self.selected.clone(), place.clone());
            Callback::from(move |_: MouseEvent| {
                selected.set(if open { None } else { Some(place.clone()) });
            })
        };
        let named = title_of(f, lang);
        let tool = |label: B, act: &'static str, enabled: bool, cb: Callback<MouseEvent>| {
            let aria = format!("{}：{named}", self.t(label));
            let id = format!("ll-build-{}-{act}", key(place));
            html! { <button {id} type="button" class="ll-build__tool" data-act={act} aria-label={aria} disabled={!enabled} onclick={cb}>{ self.t(label) }</button> }
        };
        let mover = |up: bool| {
            let (place, selected, focus) =
                (place.clone(), self.selected.clone(), self.focus.clone());
            self.change(move |form, _: MouseEvent| {
                let (next, at) = moved(form, &place, up);
                // The same button of the moved question keeps the focus, or its title
                // when it has reached the end it moved to.
                let index = at.last().copied().unwrap_or(0);
                let again = if up { index > 0 } else { index + 1 < count };
                let act = match (again, up) {
                    (false, _) => "pick",
                    (true, true) => "up",
                    (true, false) => "down",
                };
                *focus.borrow_mut() = Some(format!("ll-build-{}-{act}", key(&at)));
                selected.set(Some(at));
                next
            })
        };
        let delete = {
            let (form, on_change, place, selected, focus) = (
                self.form.clone(),
                self.p.on_change.clone(),
                place.clone(),
                self.selected.clone(),
                self.focus.clone(),
            );
            // Where the focus goes: the question that takes this one's place, else the
            // one before it, else its group, else the adder.
            let (parent, last) = place.split_at(place.len().saturating_sub(1));
            let last = last.first().copied().unwrap_or(0);
            let then = if last + 1 < count {
                format!("ll-build-{}-pick", key(&place))
            } else if last > 0 {
                let mut before = parent.to_vec();
                before.push(last - 1);
                format!("ll-build-{}-pick", key(&before))
            } else if !parent.is_empty() {
                format!("ll-build-{}-pick", key(parent))
            } else {
                "ll-build-add".to_owned()
            };
            let confirm = if f.kind.has_fields() {
                B::ConfirmDeleteGroup
            } else {
                B::ConfirmDelete
            };
            let question = lang.fill(confirm, &[("label", &title_of(f, lang))]);
            Callback::from(move |_: MouseEvent| {
                if confirmed(&question) {
                    *focus.borrow_mut() = Some(then.clone());
                    selected.set(None);
                    on_change.emit(removed(&form, &place));
                }
            })
        };
        let class = classes!(
            "ll-build__item",
            open.then_some("ll-build__item--open"),
            (!problems.is_empty()).then_some("ll-build__item--bad")
        );
        html! {
            <li {class} data-name={f.name.clone()}>
                <div class="ll-build__row">
                    <button id={format!("ll-build-{}-pick", key(place))} type="button" class="ll-build__pick" aria-expanded={open.to_string()} onclick={pick}>
                        <span class="ll-build__type">{ lang.t(f.kind.name()) }</span>
                        <span class="ll-build__label">{ title_of(f, lang) }</span>
                        if f.relevant.is_some() { <span class="ll-build__flag">{ self.t(B::Shown) }</span> }
                    </button>
                    <span class="ll-build__tools">
                        { tool(B::MoveUp, "up", index > 0, mover(true)) }
                        { tool(B::MoveDown, "down", index + 1 < count, mover(false)) }
                        { tool(B::Delete, "delete", true, delete) }
                    </span>
                </div>
                if !problems.is_empty() {
                    <ul class="ll-build__problems">
                        { for problems.iter().map(|e| html! { <li>{ problem_text(e, lang) }</li> }) }
                    </ul>
                }
                if open { { self.editor(f, place) } }
                if f.kind.has_fields() {
                    <div class="ll-build__inner">
                        { self.list(&f.fields, place) }
                        { self.adder(Some(place)) }
                    </div>
                }
            </li>
        }
    }

    fn editor(&self, f: &Field, place: &Place) -> Html {
        let kind = f.kind;
        let name_id = format!("ll-build-{}-name", key(place));
        let rename = {
            let (place, rules, old) = (place.clone(), self.rules.clone(), f.name.clone());
            self.change(move |form, e: Event| {
                let v = value_of(&e);
                let new = v.trim();
                let (next, followed) = renamed(form, &place, new);
                // The rules being picked follow the name too: this field's own, and
                // the conditions of others that read it.
                let mut rules = rules.borrow_mut();
                if let Some(own) = rules.remove(&old) {
                    rules.insert(new.to_owned(), own);
                }
                if followed {
                    for rule in rules.values_mut() {
                        for c in rule.conditions.iter_mut().filter(|c| c.field == old) {
                            c.field = new.to_owned();
                        }
                    }
                }
                next
            })
        };
        let required = {
            let place = place.clone();
            self.change(move |form, e: Event| {
                let on = checked(&e);
                edited(form, &place, |f| f.required = on)
            })
        };
        html! {
            <div class="ll-build__editor">
                if kind != Type::Calculate {
                    { self.text_input(place, "label", B::Label, &f.label.zh, |f, v| f.label.zh = v) }
                    { self.text_input(place, "label_en", B::LabelEn, &f.label.en, |f, v| f.label.en = v) }
                }
                if kind.is_question() || kind == Type::Note {
                    { self.text_input(place, "hint", B::Hint, f.hint.as_ref().map_or("", |h| &h.zh), |f, v| {
                        let en = f.hint.take().map(|h| h.en).unwrap_or_default();
                        f.hint = (!v.is_empty() || !en.is_empty()).then_some(Text { zh: v, en });
                    }) }
                }
                <label class="ll-build__input" for={name_id.clone()}>
                    <span>{ self.t(B::Name) }</span>
                    <input id={name_id} type="text" maxlength={MAX_NAME.to_string()} data-edit="name" value={f.name.clone()} onchange={rename} autocapitalize="off" spellcheck="false" />
                </label>
                if kind.is_question() {
                    <label class="ll-build__check">
                        <input type="checkbox" data-edit="required" checked={f.required} onchange={required} />
                        { self.t(B::Required) }
                    </label>
                }
                if kind == Type::Calculate {
                    { self.text_input(place, "calculation", B::Calculation, f.calculation.as_deref().unwrap_or(""), |f, v| f.calculation = (!v.is_empty()).then_some(v)) }
                }
                { self.limits(f, place) }
                if kind.has_choices() { { self.choices(f, place) } }
                { self.shown(f, place) }
                if kind.is_question() {
                    <details class="ll-build__advanced">
                        <summary>{ self.t(B::Advanced) }</summary>
                        { self.text_input(place, "default", B::Default, f.default.as_deref().unwrap_or(""), |f, v| f.default = (!v.is_empty()).then_some(v)) }
                        { self.text_input(place, "constraint", B::Constraint, f.constraint.as_deref().unwrap_or(""), |f, v| f.constraint = (!v.is_empty()).then_some(v)) }
                        { self.text_input(place, "constraint_message", B::ConstraintMessage, f.constraint_message.as_ref().map_or("", |m| &m.zh), |f, v| {
                            let en = f.constraint_message.take().map(|m| m.en).unwrap_or_default();
                            f.constraint_message = (!v.is_empty() || !en.is_empty()).then_some(Text { zh: v, en });
                        }) }
                        if matches!(kind, Type::Text | Type::LongText) {
                            { self.text_input(place, "pattern", B::Pattern, f.pattern.as_ref().map_or("", |p| &p.regex), |f, v| {
                                let message = f.pattern.take().map(|p| p.message).unwrap_or_default();
                                f.pattern = (!v.is_empty()).then_some(Pattern { regex: v, message });
                            }) }
                            if f.pattern.is_some() {
                                { self.text_input(place, "pattern_message", B::PatternMessage, f.pattern.as_ref().map_or("", |p| &p.message.zh), |f, v| {
                                    if let Some(p) = f.pattern.as_mut() { p.message.zh = v; }
                                }) }
                            }
                        }
                    </details>
                }
            </div>
        }
    }

    fn limits(&self, f: &Field, place: &Place) -> Html {
        let limits = f.kind.limits();
        if f.kind == Type::Rating {
            return self.limit(place, "max", B::MaxStars, f.max.as_ref(), false, |f, l| {
                f.max = l
            });
        }
        let Some((min, max)) = limit_labels(limits) else {
            return html! {};
        };
        let date = limits == Limits::Date;
        html! {
            <div class="ll-build__pair">
                { self.limit(place, "min", min, f.min.as_ref(), date, |f, l| f.min = l) }
                { self.limit(place, "max", max, f.max.as_ref(), date, |f, l| f.max = l) }
            </div>
        }
    }

    fn limit(
        &self,
        place: &Place,
        name: &'static str,
        label: B,
        value: Option<&Limit>,
        date: bool,
        set: fn(&mut Field, Option<Limit>),
    ) -> Html {
        let id = format!("ll-build-{}-{name}", key(place));
        let onchange = {
            let place = place.clone();
            self.change(move |form, e: Event| {
                let v = value_of(&e);
                edited(form, &place, |f| set(f, limit_of(&v)))
            })
        };
        let (kind, mode) = if date {
            ("date", "none")
        } else {
            ("number", "decimal")
        };
        html! {
            <label class="ll-build__input" for={id.clone()}>
                <span>{ self.t(label) }</span>
                <input {id} type={kind} inputmode={mode} step="any" data-edit={name} value={value.map(Limit::text).unwrap_or_default()} {onchange} />
            </label>
        }
    }

    fn choices(&self, f: &Field, place: &Place) -> Html {
        let lang = self.p.lang;
        let count = f.choices.len();
        let row = |i: usize, c: &Choice| {
            let set = |edit: fn(&mut Choice, String)| {
                let place = place.clone();
                self.change(move |form, e: InputEvent| {
                    let v = value_of(&e);
                    edited(form, &place, |f| {
                        if let Some(c) = f.choices.get_mut(i) {
                            edit(c, v);
                        }
                    })
                })
            };
            let reorder = |up: bool| {
                let place = place.clone();
                self.change(move |form, _: MouseEvent| {
                    edited(form, &place, |f| f.choices = swapped(&f.choices, i, up))
                })
            };
            let delete = {
                let place = place.clone();
                self.change(move |form, _: MouseEvent| {
                    edited(form, &place, |f| {
                        if i < f.choices.len() {
                            f.choices.remove(i);
                        }
                    })
                })
            };
            let n = (i + 1).to_string();
            let rename = {
                let place = place.clone();
                self.change(move |form, e: Event| {
                    choice_renamed(form, &place, i, value_of(&e).trim())
                })
            };
            let named = |label: B| format!("{}：{} {n}", self.t(label), self.t(B::Choices));
            html! {
                <li class="ll-build__choice">
                    <input type="text" data-edit="choice_label" aria-label={format!("{} {n}", self.t(B::ChoiceLabel))} value={c.label.zh.clone()} oninput={set(|c, v| c.label.zh = v)} />
                    <input type="text" data-edit="choice_name" aria-label={format!("{} {n}", self.t(B::ChoiceName))} value={c.name.clone()} onchange={rename} maxlength={MAX_NAME.to_string()} autocapitalize="off" spellcheck="false" />
                    <button type="button" class="ll-build__tool" aria-label={named(B::MoveUp)} disabled={i == 0} onclick={reorder(true)}>{ self.t(B::MoveUp) }</button>
                    <button type="button" class="ll-build__tool" aria-label={named(B::MoveDown)} disabled={i + 1 == count} onclick={reorder(false)}>{ self.t(B::MoveDown) }</button>
                    <button type="button" class="ll-build__tool" aria-label={named(B::Delete)} onclick={delete}>{ self.t(B::Delete) }</button>
                </li>
            }
        };
        let add = {
            let place = place.clone();
            self.change(move |form, _: MouseEvent| {
                edited(form, &place, |f| {
                    let (name, n) = fresh_choice(&f.choices);
                    let label = lang.fill(B::NewChoice, &[("n", &n.to_string())]);
                    f.choices.push(Choice {
                        name,
                        label: Text::zh(&label),
                    });
                })
            })
        };
        html! {
            <fieldset class="ll-build__choices">
                <legend>{ self.t(B::Choices) }</legend>
                <div class="ll-build__choice ll-build__choice--head" aria-hidden="true">
                    <span>{ self.t(B::ChoiceLabel) }</span><span>{ self.t(B::ChoiceName) }</span>
                </div>
                <ol>{ for f.choices.iter().enumerate().map(|(i, c)| row(i, c)) }</ol>
                <button type="button" class="ll-button" data-act="add-choice" onclick={add}>{ self.t(B::AddChoice) }</button>
            </fieldset>
        }
    }

    /// 显示条件: always, picked conditions, or an expression written elsewhere.
    fn shown(&self, f: &Field, place: &Place) -> Html {
        let lang = self.p.lang;
        let form = &self.form;
        let cached = self
            .rules
            .borrow()
            .get(&f.name)
            .filter(|r| r.expression(form) == f.relevant)
            .cloned();
        let can = candidates(form, place);
        // A rule reading a question the picker does not offer here (one after it, since
        // moved) stays written: a picker could not show it.
        let rule = cached
            .or_else(|| {
                f.relevant
                    .as_deref()
                    .and_then(|text| Rule::read_in(text, form))
            })
            .filter(|r| {
                r.conditions
                    .iter()
                    .all(|c| can.iter().any(|f| f.name == c.field))
            });
        let set_rule = {
            let (place, name, rules, form, on_change) = (
                place.clone(),
                f.name.clone(),
                self.rules.clone(),
                self.form.clone(),
                self.p.on_change.clone(),
            );
            Rc::new(move |rule: Rule| {
                let relevant = rule.expression(&form);
                rules.borrow_mut().insert(name.clone(), rule);
                on_change.emit(edited(&form, &place, |f| f.relevant = relevant));
            })
        };
        let name_id = format!("ll-build-{}-shown", key(place));
        // Once written, it stays a written expression while it is edited (a prefix of
        // it may read as a rule) until the organisation picks conditions instead.
        let written =
            f.relevant.is_some() && (rule.is_none() || self.writing.borrow().contains(&f.name));
        if written {
            self.writing.borrow_mut().insert(f.name.clone());
        }
        let mode = {
            let (set_rule, first) = (set_rule.clone(), can.first().copied().map(new_condition));
            Callback::from(move |e: Event| {
                let when = selected_value(&e) == "when";
                let conditions = match (&first, when) {
                    (Some(c), true) => vec![c.clone()],
                    _ => Vec::new(),
                };
                set_rule(Rule {
                    any: false,
                    conditions,
                });
            })
        };
        let body = if written {
            let pick = {
                let (set_rule, writing, name) =
                    (set_rule.clone(), self.writing.clone(), f.name.clone());
                let question = self.t(B::ConfirmPick);
                Callback::from(move |_: MouseEvent| {
                    if confirmed(question) {
                        writing.borrow_mut().remove(&name);
                        set_rule(Rule::default());
                    }
                })
            };
            html! {
                <>
                    <p>{ self.t(B::Written) }</p>
                    { self.text_input(place, "relevant", B::Shown, f.relevant.as_deref().unwrap_or(""), |f, v| f.relevant = (!v.is_empty()).then_some(v)) }
                    <button type="button" class="ll-button" onclick={pick}>{ self.t(B::PickInstead) }</button>
                </>
            }
        } else if let Some(rule) = rule.filter(|r| !r.conditions.is_empty()) {
            self.conditions(&rule, &can, set_rule, place)
        } else if can.is_empty() {
            html! { <p class="ll-build__hint">{ self.t(B::NoCandidates) }</p> }
        } else {
            html! {}
        };
        let when = f.relevant.is_some();
        html! {
            <fieldset class="ll-build__shown">
                <legend>{ self.t(B::Shown) }</legend>
                if !written {
                    <select id={name_id} data-edit="shown" aria-label={self.t(B::Shown)} onchange={mode} disabled={can.is_empty() && !when}>
                        <option value="always" selected={!when}>{ self.t(B::Always) }</option>
                        <option value="when" selected={when}>{ self.t(B::When) }</option>
                    </select>
                }
                { body }
                if let Some(e) = &f.relevant {
                    <p class="ll-build__expr">{ lang.t(B::Generated) }<code data-expr="relevant">{ e.clone() }</code></p>
                }
            </fieldset>
        }
    }

    fn conditions(
        &self,
        rule: &Rule,
        can: &[&Field],
        set_rule: Rc<dyn Fn(Rule)>,
        place: &Place,
    ) -> Html {
        let lang = self.p.lang;
        let join = {
            let (rule, set_rule) = (rule.clone(), set_rule.clone());
            Callback::from(move |e: Event| {
                let mut next = rule.clone();
                next.any = selected_value(&e) == "any";
                set_rule(next);
            })
        };
        let row = |i: usize, c: &Condition| {
            let target = can.iter().find(|f| f.name == c.field).copied();
            let base = format!("ll-build-{}-c{i}", key(place));
            let on_field = {
                let (rule, set_rule) = (rule.clone(), set_rule.clone());
                let fields: Vec<Field> = can.iter().map(|f| (*f).clone()).collect();
                Callback::from(move |e: Event| {
                    let name = selected_value(&e);
                    if let Some(f) = fields.iter().find(|f| f.name == name) {
                        let mut next = rule.clone();
                        next.conditions[i] = new_condition(f);
                        set_rule(next);
                    }
                })
            };
            let on_compare = {
                let (rule, set_rule) = (rule.clone(), set_rule.clone());
                Callback::from(move |e: Event| {
                    let v = selected_value(&e);
                    let mut next = rule.clone();
                    if let Some(picked) = Compare::from_id(&v) {
                        next.conditions[i].compare = picked;
                    }
                    set_rule(next);
                })
            };
            let set_value = {
                let (rule, set_rule) = (rule.clone(), set_rule.clone());
                move |v: String| {
                    let mut next = rule.clone();
                    next.conditions[i].value = v;
                    set_rule(next);
                }
            };
            let remove = {
                let (rule, set_rule) = (rule.clone(), set_rule.clone());
                Callback::from(move |_: MouseEvent| {
                    let mut next = rule.clone();
                    next.conditions.remove(i);
                    set_rule(next);
                })
            };
            let compares = target.map_or(&[][..], |f| Compare::for_type(f.kind));
            let value = if !c.compare.takes_value() {
                html! {}
            } else {
                let options: Option<Vec<(String, String)>> = target.and_then(|f| match f.kind {
                    Type::SelectOne | Type::SelectMultiple => Some(
                        f.choices
                            .iter()
                            .map(|ch| (ch.name.clone(), ch.label.get(lang).to_owned()))
                            .collect(),
                    ),
                    Type::YesNo => Some(vec![
                        (
                            "yes".into(),
                            lang.t(linli_core::forms::FormText::Yes).into(),
                        ),
                        ("no".into(), lang.t(linli_core::forms::FormText::No).into()),
                    ]),
                    _ => None,
                });
                let label = format!("{} {}", self.t(B::ConditionValue), i + 1);
                match options {
                    Some(options) => {
                        let set_value = set_value.clone();
                        let onchange =
                            Callback::from(move |e: Event| set_value(selected_value(&e)));
                        html! {
                            <select data-edit="condition_value" aria-label={label} {onchange}>
                                { for options.into_iter().map(|(v, l)| html! { <option value={v.clone()} selected={v == c.value}>{ l }</option> }) }
                            </select>
                        }
                    }
                    None => {
                        let kind = match target.map(|f| f.kind) {
                            Some(Type::Date) => "date",
                            Some(Type::Time) => "time",
                            _ => "text",
                        };
                        let set_value = set_value.clone();
                        let oninput = Callback::from(move |e: InputEvent| set_value(value_of(&e)));
                        html! { <input type={kind} data-edit="condition_value" aria-label={label} value={c.value.clone()} {oninput} /> }
                    }
                }
            };
            html! {
                <li class="ll-build__condition">
                    <select id={format!("{base}-field")} data-edit="condition_field" aria-label={format!("{} {}", self.t(B::ConditionField), i + 1)} onchange={on_field}>
                        { for can.iter().map(|f| html! { <option value={f.name.clone()} selected={f.name == c.field}>{ title_of(f, lang) }</option> }) }
                    </select>
                    <select data-edit="condition_compare" aria-label={format!("{} {}", self.t(B::ConditionCompare), i + 1)} onchange={on_compare}>
                        { for compares.iter().map(|k| html! { <option value={k.id()} selected={*k == c.compare}>{ self.t(compare_text(*k)) }</option> }) }
                    </select>
                    { value }
                    <button type="button" class="ll-build__tool" onclick={remove}>{ self.t(B::Delete) }</button>
                </li>
            }
        };
        let add = {
            let (rule, set_rule, first) = (
                rule.clone(),
                set_rule.clone(),
                can.first().copied().map(new_condition),
            );
            Callback::from(move |_: MouseEvent| {
                if let Some(c) = &first {
                    let mut next = rule.clone();
                    next.conditions.push(c.clone());
                    set_rule(next);
                }
            })
        };
        html! {
            <>
                if rule.conditions.len() > 1 {
                    <select data-edit="join" aria-label={self.t(B::When)} onchange={join}>
                        <option value="all" selected={!rule.any}>{ self.t(B::All) }</option>
                        <option value="any" selected={rule.any}>{ self.t(B::Any) }</option>
                    </select>
                }
                <ol class="ll-build__conditions">{ for rule.conditions.iter().enumerate().map(|(i, c)| row(i, c)) }</ol>
                <button type="button" class="ll-button" data-act="add-condition" onclick={add}>{ self.t(B::AddCondition) }</button>
            </>
        }
    }

    /// The type picker and 添加题目: into the group at `into`, or after the selected
    /// field (last when none is).
    fn adder(&self, into: Option<&Place>) -> Html {
        let lang = self.p.lang;
        let id = match into {
            Some(p) => format!("ll-build-add-{}", key(p)),
            None => "ll-build-add".to_owned(),
        };
        let kinds: Vec<Type> = Type::ALL
            .into_iter()
            .filter(|k| {
                !(into.is_some_and(|p| p.len() + 1 >= linli_core::forms::form::MAX_DEPTH)
                    && k.has_fields())
            })
            .collect();
        let picked = self.kind.clone();
        let onchange = {
            let picked = picked.clone();
            Callback::from(move |e: Event| {
                picked.set(Type::from_id(&selected_value(&e)).unwrap_or(Type::Text));
            })
        };
        let add = {
            let (form, on_change, selected, into, focus) = (
                self.form.clone(),
                self.p.on_change.clone(),
                self.selected.clone(),
                into.cloned(),
                self.focus.clone(),
            );
            let (picked, offered) = (picked.clone(), kinds.clone());
            Callback::from(move |_: MouseEvent| {
                // The type this adder shows: another adder's pick of a group is not
                // one this one offers.
                let kind = Some(*picked)
                    .filter(|k| offered.contains(k))
                    .unwrap_or(Type::Text);
                let option = |n: usize| lang.fill(B::NewChoice, &[("n", &n.to_string())]);
                let field = new_field(&form, kind, lang.t(B::NewQuestion), &option);
                let after = if into.is_none() {
                    (*selected).clone()
                } else {
                    None
                };
                let (next, at) = added(&form, field, after.as_deref(), into.as_deref());
                // The new question's first box takes the focus.
                let first = if kind == Type::Calculate {
                    "name"
                } else {
                    "label"
                };
                *focus.borrow_mut() = Some(format!("ll-build-{}-{first}", key(&at)));
                selected.set(Some(at));
                on_change.emit(next);
            })
        };
        let current = Some(*picked)
            .filter(|k| kinds.contains(k))
            .unwrap_or(Type::Text);
        html! {
            <div class="ll-build__add">
                <label for={id.clone()}>{ self.t(B::AddType) }</label>
                <select id={id} data-edit="add_type" {onchange}>
                    { for kinds.iter().map(|k| html! { <option value={k.id()} selected={*k == current}>{ lang.t(k.name()) }</option> }) }
                </select>
                <button type="button" class="ll-button" data-act={if into.is_some() { "add-inside" } else { "add" }} onclick={add}>
                    { self.t(if into.is_some() { B::AddInside } else { B::Add }) }
                </button>
            </div>
        }
    }
}

/// What names a field in the builder: its label, else its name.
fn title_of(f: &Field, lang: Lang) -> String {
    let label = f.label.get(lang);
    if label.trim().is_empty() {
        f.name.clone()
    } else {
        label.to_owned()
    }
}

/// A problem in the organisation's words: a picked condition still without its value
/// is said so, not as a character position in an expression it never wrote.
fn problem_text(e: &DefinitionError, lang: Lang) -> String {
    match &e.problem {
        DefinitionProblem::Expression(p)
            if e.column == Column::Relevant
                && p.problem == linli_core::forms::expr::Problem::MissingValue =>
        {
            lang.t(B::NeedsValue).to_owned()
        }
        other => other.message(lang),
    }
}

/// See the module docs.
#[function_component]
pub fn FormBuilder(p: &FormBuilderProps) -> Html {
    let lang = p.lang;
    let selected = use_state(|| None::<Place>);
    let kind = use_state(|| Type::Text);
    let answers = use_state(Answers::default);
    let elder = use_state(|| false);
    let passed = use_state(|| false);
    let rules: Rules = use_mut_ref(HashMap::new);
    let writing = use_mut_ref(std::collections::HashSet::new);
    let focus = use_mut_ref(|| None::<String>);
    {
        let focus = focus.clone();
        use_effect(move || {
            let id = focus.borrow_mut().take();
            if let Some(el) = id.and_then(|id| {
                web_sys::window()?
                    .document()?
                    .get_element_by_id(&id)?
                    .dyn_into::<web_sys::HtmlElement>()
                    .ok()
            }) {
                el.focus().ok();
            }
        });
    }
    let form = p.form.clone();
    let all = problems(&form);
    let errors: Vec<(Place, DefinitionError)> = all
        .iter()
        .filter_map(|e| place_of(&form, e).map(|at| (at, e.clone())))
        .collect();
    let view = View {
        p,
        form: form.clone(),
        selected: selected.clone(),
        kind,
        errors,
        rules,
        writing,
        focus,
    };
    let title = view.change(|form, e: InputEvent| {
        let mut next = form.clone();
        next.title.zh = value_of(&e);
        next
    });
    let description = view.change(|form, e: InputEvent| {
        let v = value_of(&e);
        let mut next = form.clone();
        next.description = (!v.is_empty()).then(|| Text::zh(&v));
        next
    });
    let summary = if all.is_empty() {
        html! { <p class="ll-build__summary ll-build__summary--ok" role="status">{ lang.t(B::NoProblems) }</p> }
    } else {
        let go = |e: &DefinitionError| {
            let (selected, at) = (selected.clone(), place_of(&form, e));
            Callback::from(move |_: MouseEvent| selected.set(at.clone()))
        };
        html! {
            <div class="ll-build__summary ll-build__summary--bad">
                <p role="status">{ lang.fill(B::Problems, &[("n", &all.len().to_string())]) }</p>
                <ul>
                    { for all.iter().map(|e| {
                        let name = field_at(&form.fields, &place_of(&form, e).unwrap_or_default())
                            .map_or_else(|| lang.t(B::FormProblem).to_owned(), |f| title_of(f, lang));
                        html! { <li><button type="button" class="ll-build__goto" onclick={go(e)}>{ name }</button>{ "：" }{ problem_text(e, lang) }</li> }
                    }) }
                </ul>
            </div>
        }
    };
    let on_answers = {
        let (answers, passed) = (answers.clone(), passed.clone());
        Callback::from(move |a: Answers| {
            passed.set(false);
            answers.set(a);
        })
    };
    let on_submit = {
        let passed = passed.clone();
        Callback::from(move |_: Answers| passed.set(true))
    };
    let reset = {
        let (answers, passed) = (answers.clone(), passed.clone());
        Callback::from(move |_: MouseEvent| {
            passed.set(false);
            answers.set(Answers::default());
        })
    };
    let toggle_elder = {
        let elder = elder.clone();
        Callback::from(move |e: Event| elder.set(checked(&e)))
    };
    let status = passed.then(|| (true, AttrValue::from(lang.t(B::PreviewPassed))));
    html! {
        <div class="ll-build">
            <section class="ll-build__design" aria-label={lang.t(B::Title)}>
                <label class="ll-build__input" for="ll-build-title">
                    <span>{ lang.t(B::FormTitle) }</span>
                    <input id="ll-build-title" type="text" data-edit="title" value={form.title.zh.clone()} oninput={title} />
                </label>
                <label class="ll-build__input" for="ll-build-description">
                    <span>{ lang.t(B::FormDescription) }</span>
                    <textarea id="ll-build-description" rows="2" data-edit="description" value={form.description.as_ref().map(|d| d.zh.clone()).unwrap_or_default()} oninput={description} />
                </label>
                { summary }
                <h2>{ lang.t(B::Questions) }</h2>
                if form.fields.is_empty() { <p class="ll-build__hint">{ lang.t(B::Empty) }</p> }
                { view.list(&form.fields, &Vec::new()) }
                { view.adder(None) }
            </section>
            <section class="ll-build__preview" aria-label={lang.t(B::Preview)}>
                <h2>{ lang.t(B::Preview) }</h2>
                <div class="ll-build__preview-tools">
                    <label class="ll-build__check">
                        <input type="checkbox" checked={*elder} onchange={toggle_elder} />
                        { lang.t(B::PreviewElder) }
                    </label>
                    <button type="button" class="ll-build__tool" onclick={reset}>{ lang.t(B::PreviewReset) }</button>
                </div>
                <div class={classes!("ll-build__phone", elder.then_some("ll-build__phone--elder"))} data-elder={elder.to_string()}>
                    <FormView form={form.clone()} answers={Rc::new((*answers).clone())} {lang} elder={*elder} today={p.today.clone()} on_change={on_answers} {on_submit} {status} />
                </div>
            </section>
        </div>
    }
}
