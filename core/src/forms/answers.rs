//! A respondent's answers to a form and the one validator of them, used by the
//! renderer (as the resident types), the builder's preview and the server (before
//! anything is stored).
//!
//! Answers are stored as XLSForm stores them: every answer is text (`"72"`,
//! `"2026-12-01"`, `"yes"`, a multiple choice's choice names space-separated
//! `"meal walk"`), and a repeat is a list of answer sets, one per time it was answered.
//! A field hidden by `relevant` has no answer: whatever was typed before it was hidden
//! is left out of every calculation and of [`clean`]'s result (what is submitted and
//! exported).

use std::cell::Cell;

use super::expr::{parse, parse_number, Scope, Value};
use super::form::{Field, Form, Limit, Text, Type};
use super::text::FormText;
use crate::date::Date;
use crate::i18n::Lang;
use crate::json;
use crate::sync::wire::{err, nest, WireError};

/// The longest answer, in characters.
pub const MAX_ANSWER: usize = 2000;
/// The most times a repeat may be answered.
pub const MAX_REPEATS: usize = 100;

/// One field's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A question's answer, as text.
    Value(String),
    /// A repeat's answer sets, in order.
    Repeat(Vec<Answers>),
}

/// A respondent's answers: field name → answer (groups add no level; repeats do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers(pub Vec<(String, Answer)>);

impl Answers {
    /// The text answer to `name` ("" when none).
    pub fn text(&self, name: &str) -> &str {
        match self.get(name) {
            Some(Answer::Value(v)) => v,
            _ => "",
        }
    }

    /// The answer to `name`.
    pub fn get(&self, name: &str) -> Option<&Answer> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, a)| a)
    }

    /// A repeat's answer sets (none when unanswered).
    pub fn repeat(&self, name: &str) -> &[Answers] {
        match self.get(name) {
            Some(Answer::Repeat(list)) => list,
            _ => &[],
        }
    }

    /// Sets `name`'s answer, replacing any.
    pub fn set(&mut self, name: &str, answer: Answer) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some((_, a)) => *a = answer,
            None => self.0.push((name.to_owned(), answer)),
        }
    }

    /// Reads answers from JSON: an object of strings and, for repeats, arrays of such
    /// objects; errors are located (`members[1].age`).
    pub fn from_value(value: &json::Value) -> Result<Answers, WireError> {
        answers_from(value, 0)
    }

    /// Writes answers as JSON (what [`Answers::from_value`] reads back the same).
    pub fn to_value(&self) -> json::Value {
        json::Value::Object(
            self.0
                .iter()
                .map(|(n, a)| {
                    let v = match a {
                        Answer::Value(s) => json::Value::String(s.clone()),
                        Answer::Repeat(list) => {
                            json::Value::Array(list.iter().map(Answers::to_value).collect())
                        }
                    };
                    (n.clone(), v)
                })
                .collect(),
        )
    }
}

fn answers_from(value: &json::Value, depth: usize) -> Result<Answers, WireError> {
    let json::Value::Object(members) = value else {
        return Err(err(
            "",
            format!("expected an object, found {}", value.kind()),
        ));
    };
    let mut out = Vec::with_capacity(members.len());
    for (name, v) in members {
        let answer = match v {
            json::Value::String(s) if s.chars().count() > MAX_ANSWER => {
                return Err(err(name, format!("is longer than {MAX_ANSWER} characters")))
            }
            json::Value::String(s) => Answer::Value(s.clone()),
            json::Value::Array(_) if depth >= super::form::MAX_DEPTH => {
                return Err(err(name, "nested too deep"))
            }
            json::Value::Array(list) if list.len() > MAX_REPEATS => {
                return Err(err(name, format!("has more than {MAX_REPEATS} items")))
            }
            json::Value::Array(list) => Answer::Repeat(
                list.iter()
                    .enumerate()
                    .map(|(i, v)| {
                        answers_from(v, depth + 1).map_err(|e| nest(&format!("{name}[{i}]"), e))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            other => {
                return Err(err(
                    name,
                    format!("expected a string or an array, found {}", other.kind()),
                ))
            }
        };
        if out.iter().any(|(n, _): &(String, Answer)| n == name) {
            return Err(err(name, "is given twice"));
        }
        out.push((name.clone(), answer));
    }
    Ok(Answers(out))
}

/// How a pattern is matched: the browser's RegExp in the renderer, the `regex` crate
/// on the server (core carries no regular-expression engine into the residents'
/// download). As XLSForm's `regex()` and JavaScript's `RegExp.test`, a pattern matches
/// anywhere in the answer unless it says `^` / `$`.
pub trait Patterns {
    /// Whether `regex` matches in `text`; `None` when `regex` is not one (a published
    /// form's patterns were all checked on the server).
    fn matches(&self, regex: &str, text: &str) -> Option<bool>;
}

/// Why an answer is refused.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldProblem {
    /// Needed and not given.
    Required,
    /// Not a whole number.
    NotInteger,
    /// Not a number.
    NotNumber,
    /// Not a date (`YYYY-MM-DD`).
    NotDate,
    /// Not a time of day (`HH:MM`).
    NotTime,
    /// Not a mainland mobile number.
    NotPhone,
    /// Not 是 or 否.
    NotYesNo,
    /// Not one of the question's choices.
    NotAChoice(String),
    /// A choice picked twice.
    ChoiceTwice(String),
    /// Below `min` (the limit as text).
    BelowMin(String),
    /// Above `max`.
    AboveMax(String),
    /// Shorter than `min` characters.
    TooShort(String),
    /// Longer than `max` characters.
    TooLong(String),
    /// Fewer than `min` choices.
    TooFewChoices(String),
    /// More than `max` choices.
    TooManyChoices(String),
    /// A repeat answered fewer than `min` times.
    TooFewRepeats(String),
    /// More than `max` times.
    TooManyRepeats(String),
    /// Does not match the pattern; its message.
    Pattern(Text),
    /// Fails the constraint; its message, if the form gives one.
    Constraint(Option<Text>),
    /// An answer to a field the form does not have, or of the wrong shape (text for a
    /// repeat, a list for a question).
    Unknown,
}

impl FieldProblem {
    /// What to tell the resident, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let fill = |t: FormText, n: &str| lang.fill(t, &[("n", n)]);
        match self {
            FieldProblem::Required => lang.t(FormText::Required).to_owned(),
            FieldProblem::NotInteger => lang.t(FormText::NotInteger).to_owned(),
            FieldProblem::NotNumber => lang.t(FormText::NotNumber).to_owned(),
            FieldProblem::NotDate => lang.t(FormText::NotDate).to_owned(),
            FieldProblem::NotTime => lang.t(FormText::NotTime).to_owned(),
            FieldProblem::NotPhone => lang.t(FormText::NotPhone).to_owned(),
            FieldProblem::NotYesNo => lang.t(FormText::NotYesNo).to_owned(),
            FieldProblem::NotAChoice(_) => lang.t(FormText::NotAChoice).to_owned(),
            FieldProblem::ChoiceTwice(_) => lang.t(FormText::ChoiceTwice).to_owned(),
            FieldProblem::BelowMin(n) => fill(FormText::BelowMin, n),
            FieldProblem::AboveMax(n) => fill(FormText::AboveMax, n),
            FieldProblem::TooShort(n) => fill(FormText::TooShort, n),
            FieldProblem::TooLong(n) => fill(FormText::TooLong, n),
            FieldProblem::TooFewChoices(n) => fill(FormText::TooFewChoices, n),
            FieldProblem::TooManyChoices(n) => fill(FormText::TooManyChoices, n),
            FieldProblem::TooFewRepeats(n) => fill(FormText::TooFewRepeats, n),
            FieldProblem::TooManyRepeats(n) => fill(FormText::TooManyRepeats, n),
            FieldProblem::Pattern(m) => m.get(lang).to_owned(),
            FieldProblem::Constraint(Some(m)) => m.get(lang).to_owned(),
            FieldProblem::Constraint(None) => lang.t(FormText::Constraint).to_owned(),
            FieldProblem::Unknown => lang.t(FormText::Unknown).to_owned(),
        }
    }
}

/// A refused answer and where: the field's path, repeats with their 1-based instance
/// (`members[2]/age`).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// Where.
    pub path: String,
    /// Why.
    pub problem: FieldProblem,
}

/// A level of answers: the form's own, or one answer set of a repeat, with its fields.
#[derive(Clone, Copy)]
struct Frame<'a> {
    fields: &'a [Field],
    answers: &'a Answers,
}

/// What expressions read while validating: names resolve in the innermost repeat
/// instance first, then outward.
struct Ctx<'a> {
    frames: &'a [Frame<'a>],
    current: Value,
    today: &'a str,
    depth: &'a Cell<u32>,
    spent: &'a Cell<u32>,
}

/// How deep calculations and skip rules may call each other (a sound definition has
/// no cycle; this stops an unchecked one).
const MAX_CALLS: u32 = 200;
/// How many expressions one validation (or one export row) may evaluate in all: a
/// chain of calculations each reading the one before twice doubles the work at every
/// step, and this bounds it (a real form evaluates a few hundred).
const MAX_EVALUATIONS: u32 = 50_000;

impl Scope for Ctx<'_> {
    fn get(&self, name: &str) -> Value {
        for level in (0..self.frames.len()).rev() {
            if let Some(chain) = chain_to(self.frames[level].fields, name) {
                return self.at(level).value(&chain);
            }
        }
        Value::Empty
    }
    fn current(&self) -> Value {
        self.current.clone()
    }
    fn today(&self) -> String {
        self.today.to_owned()
    }
}

/// The field `name` among `fields` and the groups it is in (outermost first, itself
/// last); repeats are a level of their own and are not entered.
fn chain_to<'a>(fields: &'a [Field], name: &str) -> Option<Vec<&'a Field>> {
    for f in fields {
        if f.name == name {
            return Some(vec![f]);
        }
        if f.kind == Type::Group {
            if let Some(mut chain) = chain_to(&f.fields, name) {
                chain.insert(0, f);
                return Some(chain);
            }
        }
    }
    None
}

/// Runs `work` with the form's top level as the only frame.
fn at_root<T>(form: &Form, answers: &Answers, today: &str, work: impl FnOnce(&Ctx<'_>) -> T) -> T {
    let (depth, spent) = (Cell::new(0), Cell::new(0));
    let frames = [Frame {
        fields: &form.fields,
        answers,
    }];
    work(&Ctx {
        frames: &frames,
        current: Value::Empty,
        today,
        depth: &depth,
        spent: &spent,
    })
}

impl<'a> Ctx<'a> {
    /// Runs `work` inside one answer set of a repeat whose fields are `fields`.
    fn inside<T>(&self, fields: &[Field], set: &Answers, work: impl FnOnce(&Ctx<'_>) -> T) -> T {
        let mut frames = self.frames.to_vec();
        frames.push(Frame {
            fields,
            answers: set,
        });
        work(&Ctx {
            frames: &frames,
            current: Value::Empty,
            today: self.today,
            depth: self.depth,
            spent: self.spent,
        })
    }

    fn at(&self, level: usize) -> Ctx<'a> {
        Ctx {
            frames: &self.frames[..=level],
            current: Value::Empty,
            today: self.today,
            depth: self.depth,
            spent: self.spent,
        }
    }

    fn frame(&self) -> Frame<'a> {
        self.frames[self.frames.len() - 1]
    }

    /// Whether an expression holds (an empty or unparsable one holds).
    fn holds(&self, expr: Option<&str>) -> bool {
        let Some(text) = expr else { return true };
        let Ok(e) = parse(text) else { return true };
        self.eval(&e).truthy()
    }

    fn eval(&self, e: &super::expr::Expr) -> Value {
        if self.depth.get() > MAX_CALLS || self.spent.get() >= MAX_EVALUATIONS {
            return Value::Empty;
        }
        self.spent.set(self.spent.get() + 1);
        self.depth.set(self.depth.get() + 1);
        let v = e.eval(self);
        self.depth.set(self.depth.get() - 1);
        v
    }

    /// Whether every group of `chain` and its last field are shown.
    fn shown(&self, chain: &[&Field]) -> bool {
        chain.iter().all(|f| self.holds(f.relevant.as_deref()))
    }

    /// The value of the last field of `chain` in this frame: empty when hidden.
    fn value(&self, chain: &[&Field]) -> Value {
        let Some(field) = chain.last() else {
            return Value::Empty;
        };
        if !self.shown(chain) {
            return Value::Empty;
        }
        match field.kind {
            Type::Calculate => match field.calculation.as_deref().map(parse) {
                Some(Ok(e)) => self.eval(&e),
                _ => Value::Empty,
            },
            Type::Group | Type::Repeat | Type::Note => Value::Empty,
            kind => typed(kind, self.frame().answers.text(&field.name)),
        }
    }
}

/// A stored answer as a value of the expression language.
pub fn typed(kind: Type, text: &str) -> Value {
    let text = text.trim();
    if text.is_empty() {
        return Value::Empty;
    }
    match kind {
        k if k.is_number() => {
            parse_number(text).map_or_else(|| Value::Text(text.to_owned()), Value::Number)
        }
        Type::SelectMultiple => {
            Value::Choices(text.split_whitespace().map(str::to_owned).collect())
        }
        _ => Value::Text(text.to_owned()),
    }
}

/// Every problem of `answers` to `form`, in the order of its fields; empty when they
/// may be submitted. Hidden fields are not checked (their answers are dropped by
/// [`clean`]); an answer to a field the form does not have is [`FieldProblem::Unknown`].
/// `today` is the deployment's date (`YYYY-MM-DD`).
pub fn validate(
    form: &Form,
    answers: &Answers,
    today: &str,
    patterns: &dyn Patterns,
) -> Vec<FieldError> {
    let mut out = Vec::new();
    at_root(form, answers, today, |ctx| {
        walk(ctx, &form.fields, "", patterns, &mut out)
    });
    unknown(&form.fields, answers, "", &mut out);
    out
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}/{name}")
    }
}

fn walk(
    ctx: &Ctx<'_>,
    fields: &[Field],
    prefix: &str,
    patterns: &dyn Patterns,
    out: &mut Vec<FieldError>,
) {
    for field in fields {
        if !ctx.holds(field.relevant.as_deref()) {
            continue;
        }
        let path = join(prefix, &field.name);
        match field.kind {
            Type::Group => walk(ctx, &field.fields, &path, patterns, out),
            Type::Repeat => {
                let sets = ctx.frame().answers.repeat(&field.name);
                let n = sets.len() as f64;
                if let Some(p) = count_problem(
                    field,
                    n,
                    FieldProblem::TooFewRepeats,
                    FieldProblem::TooManyRepeats,
                ) {
                    out.push(FieldError {
                        path: path.clone(),
                        problem: p,
                    });
                }
                for (i, set) in sets.iter().enumerate() {
                    let path = format!("{path}[{}]", i + 1);
                    ctx.inside(&field.fields, set, |inner| {
                        walk(inner, &field.fields, &path, patterns, out)
                    });
                }
            }
            Type::Note | Type::Calculate => {}
            _ => {
                let text = ctx.frame().answers.text(&field.name);
                if let Some(problem) = check_answer(ctx, field, text, patterns) {
                    out.push(FieldError { path, problem });
                }
            }
        }
    }
}

fn count_problem(
    field: &Field,
    n: f64,
    few: fn(String) -> FieldProblem,
    many: fn(String) -> FieldProblem,
) -> Option<FieldProblem> {
    match (field.min, field.max) {
        (Some(Limit::Number(min)), _) if n < min => Some(few(Limit::Number(min).text())),
        (_, Some(Limit::Number(max))) if n > max => Some(many(Limit::Number(max).text())),
        _ => None,
    }
}

fn is_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
        && text[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && text[3..].parse::<u8>().is_ok_and(|m| m < 60)
}

/// The problem of one shown question's answer, if any.
fn check_answer(
    ctx: &Ctx<'_>,
    field: &Field,
    text: &str,
    patterns: &dyn Patterns,
) -> Option<FieldProblem> {
    let text = text.trim();
    if text.is_empty() {
        return field.required.then_some(FieldProblem::Required);
    }
    let value_limits = |n: f64| match (field.min, field.max) {
        (Some(Limit::Number(min)), _) if n < min => {
            Some(FieldProblem::BelowMin(Limit::Number(min).text()))
        }
        (_, Some(Limit::Number(max))) if n > max => {
            Some(FieldProblem::AboveMax(Limit::Number(max).text()))
        }
        _ => None,
    };
    let problem = match field.kind {
        Type::Integer
            if !text
                .strip_prefix('-')
                .unwrap_or(text)
                .bytes()
                .all(|c| c.is_ascii_digit())
                || text.len() > 16
                || text == "-" =>
        {
            Some(FieldProblem::NotInteger)
        }
        Type::Integer | Type::Decimal if parse_number(text).is_none() => {
            Some(FieldProblem::NotNumber)
        }
        Type::Integer | Type::Decimal => parse_number(text).and_then(value_limits),
        Type::Rating => match text.parse::<u32>() {
            Ok(0) => Some(FieldProblem::BelowMin("1".into())),
            Ok(n) if n <= field.stars() => None,
            Ok(_) => Some(FieldProblem::AboveMax(field.stars().to_string())),
            Err(_) => Some(FieldProblem::NotInteger),
        },
        Type::SelectOne => (!field.choices.iter().any(|c| c.name == text))
            .then(|| FieldProblem::NotAChoice(text.to_owned())),
        Type::SelectMultiple => {
            let picked: Vec<&str> = text.split_whitespace().collect();
            picked
                .iter()
                .find(|p| !field.choices.iter().any(|c| c.name == **p))
                .map(|p| FieldProblem::NotAChoice((*p).to_owned()))
                .or_else(|| {
                    picked
                        .iter()
                        .enumerate()
                        .find(|(i, p)| picked[..*i].contains(p))
                        .map(|(_, p)| FieldProblem::ChoiceTwice((*p).to_owned()))
                })
                .or_else(|| {
                    count_problem(
                        field,
                        picked.len() as f64,
                        FieldProblem::TooFewChoices,
                        FieldProblem::TooManyChoices,
                    )
                })
        }
        Type::Date => match Date::parse(text) {
            None => Some(FieldProblem::NotDate),
            Some(d) => match (field.min, field.max) {
                (Some(Limit::Date(min)), _) if d < min => {
                    Some(FieldProblem::BelowMin(min.to_string()))
                }
                (_, Some(Limit::Date(max))) if d > max => {
                    Some(FieldProblem::AboveMax(max.to_string()))
                }
                _ => None,
            },
        },
        Type::Time => (!is_time(text)).then_some(FieldProblem::NotTime),
        Type::Phone => crate::feedback::normalise_phone(text)
            .is_err()
            .then_some(FieldProblem::NotPhone),
        Type::YesNo => (!matches!(text, "yes" | "no")).then_some(FieldProblem::NotYesNo),
        Type::Text | Type::LongText => {
            let n = text.chars().count() as f64;
            match (field.min, field.max) {
                (Some(Limit::Number(min)), _) if n < min => {
                    Some(FieldProblem::TooShort(Limit::Number(min).text()))
                }
                (_, Some(Limit::Number(max))) if n > max => {
                    Some(FieldProblem::TooLong(Limit::Number(max).text()))
                }
                _ => field.pattern.as_ref().and_then(|p| {
                    (patterns.matches(&p.regex, text) == Some(false))
                        .then(|| FieldProblem::Pattern(p.message.clone()))
                }),
            }
        }
        Type::Note | Type::Calculate | Type::Group | Type::Repeat => None,
    };
    if problem.is_some() {
        return problem;
    }
    let constraint = Ctx {
        frames: ctx.frames,
        current: typed(field.kind, text),
        today: ctx.today,
        depth: ctx.depth,
        spent: ctx.spent,
    };
    (!constraint.holds(field.constraint.as_deref()))
        .then(|| FieldProblem::Constraint(field.constraint_message.clone()))
}

/// Answers to no field of `fields` (groups entered), or of the wrong shape.
fn unknown(fields: &[Field], answers: &Answers, prefix: &str, out: &mut Vec<FieldError>) {
    for (name, answer) in &answers.0 {
        let field = chain_to(fields, name).and_then(|c| c.last().copied());
        let path = join(prefix, name);
        match (field, answer) {
            (Some(f), Answer::Repeat(sets)) if f.kind == Type::Repeat => {
                for (i, set) in sets.iter().enumerate() {
                    unknown(&f.fields, set, &format!("{path}[{}]", i + 1), out);
                }
            }
            (Some(f), Answer::Value(_)) if f.kind.is_question() => {}
            _ => out.push(FieldError {
                path,
                problem: FieldProblem::Unknown,
            }),
        }
    }
}

/// The answers as submitted and exported: only shown questions' answers, trimmed, a
/// phone number normalised, empty answers left out, repeats cleaned the same way;
/// hidden fields, notes and calculations have none (calculations are recomputed from
/// the answers when needed, never stored as typed).
pub fn clean(form: &Form, answers: &Answers, today: &str) -> Answers {
    let mut out = Answers::default();
    at_root(form, answers, today, |ctx| {
        keep(ctx, &form.fields, false, &mut out)
    });
    out
}

/// The answers as exported: [`clean`]'s, with every shown calculation's value (in its
/// repeat's answer sets too), as text.
pub fn filled(form: &Form, answers: &Answers, today: &str) -> Answers {
    let mut out = Answers::default();
    at_root(form, answers, today, |ctx| {
        keep(ctx, &form.fields, true, &mut out)
    });
    out
}

fn keep(ctx: &Ctx<'_>, fields: &[Field], calculations: bool, out: &mut Answers) {
    for field in fields {
        if !ctx.holds(field.relevant.as_deref()) {
            continue;
        }
        match field.kind {
            Type::Group => keep(ctx, &field.fields, calculations, out),
            Type::Calculate if calculations => {
                let value = ctx.get(&field.name).text();
                if !value.is_empty() {
                    out.set(&field.name, Answer::Value(value));
                }
            }
            Type::Repeat => {
                let mut sets = Vec::new();
                for set in ctx.frame().answers.repeat(&field.name) {
                    let mut kept = Answers::default();
                    ctx.inside(&field.fields, set, |inner| {
                        keep(inner, &field.fields, calculations, &mut kept)
                    });
                    sets.push(kept);
                }
                if !sets.is_empty() {
                    out.set(&field.name, Answer::Repeat(sets));
                }
            }
            kind if kind.is_question() => {
                let text = ctx.frame().answers.text(&field.name).trim();
                let text = match kind {
                    Type::Phone => {
                        crate::feedback::normalise_phone(text).unwrap_or_else(|_| text.to_owned())
                    }
                    Type::SelectMultiple => text.split_whitespace().collect::<Vec<_>>().join(" "),
                    _ => text.to_owned(),
                };
                if !text.is_empty() {
                    out.set(&field.name, Answer::Value(text));
                }
            }
            _ => {}
        }
    }
}

/// The value of calculation `name` (at the form's top level) over `answers`, as text:
/// what the export writes in its column.
pub fn calculated(form: &Form, answers: &Answers, name: &str, today: &str) -> String {
    at_root(form, answers, today, |ctx| ctx.get(name).text())
}

/// Whether `name`'s field (at the form's top level or in its groups) is shown given
/// `answers`: what the renderer asks to show or hide a field as the resident types.
pub fn is_shown(form: &Form, answers: &Answers, name: &str, today: &str) -> bool {
    is_shown_at(form, answers, &[], name, today)
}

/// Whether `name`'s field is shown inside the repeat answer set at `place` (each step a
/// repeat's name and a 0-based set; empty for the top level): a repeat's own skip
/// rules read its set first, then the answers around it.
pub fn is_shown_at(
    form: &Form,
    answers: &Answers,
    place: &[(String, usize)],
    name: &str,
    today: &str,
) -> bool {
    fn down(ctx: &Ctx<'_>, fields: &[Field], place: &[(String, usize)], name: &str) -> bool {
        let Some(((repeat, i), rest)) = place.split_first() else {
            return chain_to(fields, name).is_some_and(|chain| ctx.shown(&chain));
        };
        let Some(field) = chain_to(fields, repeat).and_then(|c| c.last().copied()) else {
            return false;
        };
        let Some(set) = ctx.frame().answers.repeat(repeat).get(*i) else {
            return false;
        };
        ctx.inside(&field.fields, set, |inner| {
            down(inner, &field.fields, rest, name)
        })
    }
    at_root(form, answers, today, |ctx| {
        down(ctx, &form.fields, place, name)
    })
}
