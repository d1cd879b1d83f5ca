//! The form as data: a versioned definition, written and read as JSON, that a social
//! organisation makes in the builder or imports from an XLSForm, and that the renderer,
//! the builder's preview and the server all read the same way.
//!
//! ```json
//! {"format": 1, "id": "needs_2026", "version": "3",
//!  "title": {"zh": "长者需求调查", "en": "Elders' needs"},
//!  "description": {"zh": "…"},
//!  "fields": [
//!    {"name": "age", "type": "integer", "label": {"zh": "您的年龄"},
//!     "required": true, "min": 60, "max": 120},
//!    {"name": "needs", "type": "select_multiple", "label": {"zh": "需要哪些服务"},
//!     "choices": [{"name": "meal", "label": {"zh": "助餐"}}, …]},
//!    {"name": "visits", "type": "integer", "label": {"zh": "每周几次"},
//!     "relevant": "selected(${needs}, 'visit')",
//!     "constraint": ". <= 7", "constraint_message": {"zh": "一周最多 7 次"}}]}
//! ```
//!
//! Member names follow XLSForm's columns (`relevant`, `constraint`,
//! `constraint_message`, `calculation`, `default`, `hint`, `required`); `min` and `max`
//! bound what the type has (see [`Type::limits`]); a missing optional member is the
//! same as `null`. Unknown members are refused, at their place, so nothing a builder
//! or an import wrote is silently lost.

use crate::date::Date;
use crate::json::Value;
use crate::sync::wire::{err, get, members, nest, string, WireError};

/// The version of this JSON format (`format`); a later format is refused, not guessed.
pub const FORMAT: u32 = 1;
/// The most fields in a form, groups and their fields included.
pub const MAX_FIELDS: usize = 300;
/// The most choices of one question.
pub const MAX_CHOICES: usize = 200;
/// The longest label, hint or message, in characters.
pub const MAX_LABEL: usize = 1000;
/// The longest name of a field or choice, in characters.
pub const MAX_NAME: usize = 64;
/// The longest expression or pattern, in characters.
pub const MAX_EXPRESSION: usize = 1000;
/// The deepest nesting of groups and repeats.
pub const MAX_DEPTH: usize = 4;
/// The stars of a rating question unless its `max` says otherwise.
pub const RATING_STARS: f64 = 5.0;

/// A text in the residents' languages: Chinese always, English when given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// zh-CN.
    pub zh: String,
    /// English; "" when none (English readers then see the Chinese).
    pub en: String,
}

impl Text {
    /// A Chinese-only text.
    pub fn zh(zh: &str) -> Text {
        Text {
            zh: zh.to_owned(),
            en: String::new(),
        }
    }

    /// The text in `lang`, falling back to Chinese.
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.zh,
        }
    }
}

/// A field's type; the JSON `type` is [`Type::id`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// One line of text.
    Text,
    /// Several lines of text.
    LongText,
    /// A whole number.
    Integer,
    /// A number with a fraction.
    Decimal,
    /// One of the choices.
    SelectOne,
    /// Any of the choices.
    SelectMultiple,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A time of day, `HH:MM`.
    Time,
    /// A mainland mobile number, stored normalised (`^1[3-9]\d{9}$`).
    Phone,
    /// 是 / 否, stored `yes` / `no`.
    YesNo,
    /// Stars from 1 to `max` (5 unless set).
    Rating,
    /// Display only: its label, no answer.
    Note,
    /// Computed from other answers by its `calculation`; never shown.
    Calculate,
    /// Fields shown together.
    Group,
    /// Fields answered any number of times (a household's members).
    Repeat,
}

/// What `min` and `max` bound for a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limits {
    /// Nothing: `min` / `max` are refused.
    None,
    /// The number itself.
    Value,
    /// The length in characters.
    Length,
    /// The date (`"YYYY-MM-DD"` in JSON).
    Date,
    /// How many choices are picked.
    Choices,
    /// How many times a repeat is answered.
    Count,
}

impl Type {
    /// Every type, in the builder's order.
    pub const ALL: [Type; 15] = [
        Type::Text,
        Type::LongText,
        Type::Integer,
        Type::Decimal,
        Type::SelectOne,
        Type::SelectMultiple,
        Type::Date,
        Type::Time,
        Type::Phone,
        Type::YesNo,
        Type::Rating,
        Type::Note,
        Type::Calculate,
        Type::Group,
        Type::Repeat,
    ];

    /// The JSON id.
    pub fn id(self) -> &'static str {
        match self {
            Type::Text => "text",
            Type::LongText => "long_text",
            Type::Integer => "integer",
            Type::Decimal => "decimal",
            Type::SelectOne => "select_one",
            Type::SelectMultiple => "select_multiple",
            Type::Date => "date",
            Type::Time => "time",
            Type::Phone => "phone",
            Type::YesNo => "yes_no",
            Type::Rating => "rating",
            Type::Note => "note",
            Type::Calculate => "calculate",
            Type::Group => "group",
            Type::Repeat => "repeat",
        }
    }

    /// The type with JSON id `id`.
    pub fn from_id(id: &str) -> Option<Type> {
        Type::ALL.into_iter().find(|t| t.id() == id)
    }

    /// Whether a resident answers it (not a note, calculation, group or repeat).
    pub fn is_question(self) -> bool {
        !matches!(
            self,
            Type::Note | Type::Calculate | Type::Group | Type::Repeat
        )
    }

    /// Whether it holds other fields.
    pub fn has_fields(self) -> bool {
        matches!(self, Type::Group | Type::Repeat)
    }

    /// Whether it has choices.
    pub fn has_choices(self) -> bool {
        matches!(self, Type::SelectOne | Type::SelectMultiple)
    }

    /// What its `min` and `max` bound.
    pub fn limits(self) -> Limits {
        match self {
            Type::Integer | Type::Decimal | Type::Rating => Limits::Value,
            Type::Text | Type::LongText => Limits::Length,
            Type::Date => Limits::Date,
            Type::SelectMultiple => Limits::Choices,
            Type::Repeat => Limits::Count,
            _ => Limits::None,
        }
    }

    /// Whether its answer is a number in expressions (and in charts).
    pub fn is_number(self) -> bool {
        matches!(self, Type::Integer | Type::Decimal | Type::Rating)
    }
}

/// A bound of `min` / `max`: a number, or a date for a date question.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Limit {
    /// A number (a value, a length, a count).
    Number(f64),
    /// A date.
    Date(Date),
}

impl Limit {
    /// As written in JSON and in messages (`60`, `2026-12-01`).
    pub fn text(&self) -> String {
        match self {
            Limit::Number(n) => super::expr::Value::Number(*n).text(),
            Limit::Date(d) => d.to_string(),
        }
    }
}

/// A choice of a select question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// What the answer stores (`meal`): a field name's characters, no spaces (a
    /// multiple-choice answer is its choices' names, space-separated, as in XLSForm).
    pub name: String,
    /// What the resident reads.
    pub label: Text,
}

/// A pattern the answer of a text question must match, with what to say when not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// A regular expression in the common part of JavaScript's and Rust's syntax
    /// (classes, `^ $`, `* + ? {m,n}`, groups, `|`), found anywhere in the answer
    /// unless anchored with `^` and `$` (as XLSForm's `regex()`); the server refuses to
    /// publish a form whose pattern does not compile.
    pub regex: String,
    /// What the resident reads when the answer does not match.
    pub message: Text,
}

/// A field of a form.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Its name (`age`): unique in the form; a letter or `_`, then letters, digits, `_`,
    /// `-`, `.` (XLSForm's `name`).
    pub name: String,
    /// Its type.
    pub kind: Type,
    /// What the resident reads (a calculation's may be empty).
    pub label: Text,
    /// A help text under the label.
    pub hint: Option<Text>,
    /// Whether an answer is needed (when shown).
    pub required: bool,
    /// The lowest allowed, in the type's [`Limits`].
    pub min: Option<Limit>,
    /// The highest allowed, in the type's [`Limits`].
    pub max: Option<Limit>,
    /// A pattern a text answer matches.
    pub pattern: Option<Pattern>,
    /// The answer it starts with (as stored: `yes`, `meal walk`, `2026-12-01`).
    pub default: Option<String>,
    /// When it is shown (skip logic): an expression; hidden fields have no answer.
    pub relevant: Option<String>,
    /// What its answer must satisfy (`.` is the answer).
    pub constraint: Option<String>,
    /// What the resident reads when the constraint fails.
    pub constraint_message: Option<Text>,
    /// How a `calculate` field is computed.
    pub calculation: Option<String>,
    /// A select question's choices.
    pub choices: Vec<Choice>,
    /// A group's or repeat's fields.
    pub fields: Vec<Field>,
}

impl Field {
    /// A field of `kind` named `name` with a Chinese label and nothing else set.
    pub fn new(name: &str, kind: Type, label: &str) -> Field {
        Field {
            name: name.to_owned(),
            kind,
            label: Text::zh(label),
            hint: None,
            required: false,
            min: None,
            max: None,
            pattern: None,
            default: None,
            relevant: None,
            constraint: None,
            constraint_message: None,
            calculation: None,
            choices: Vec::new(),
            fields: Vec::new(),
        }
    }

    /// The highest star of a rating question.
    pub fn stars(&self) -> u32 {
        match self.max {
            Some(Limit::Number(n)) if (1.0..=10.0).contains(&n) => n as u32,
            _ => RATING_STARS as u32,
        }
    }
}

/// A form: what it is called and its fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// Its id, stable across versions (`needs_2026`; XLSForm's `form_id`).
    pub id: String,
    /// Which version of the form (XLSForm's `version`); answers keep the version they
    /// were given against.
    pub version: String,
    /// Its title.
    pub title: Text,
    /// What it is for, shown before the first question.
    pub description: Option<Text>,
    /// Its fields, in order.
    pub fields: Vec<Field>,
}

impl Form {
    /// Every field with its path (`household/members/age`), depth first, in order.
    pub fn all_fields(&self) -> Vec<(String, &Field)> {
        let mut out = Vec::new();
        flatten(&self.fields, "", &mut out);
        out
    }

    /// The field named `name`, wherever it is.
    pub fn field(&self, name: &str) -> Option<&Field> {
        find(&self.fields, name)
    }
}

fn find<'a>(fields: &'a [Field], name: &str) -> Option<&'a Field> {
    fields.iter().find_map(|f| {
        (f.name == name)
            .then_some(f)
            .or_else(|| find(&f.fields, name))
    })
}

pub(crate) fn flatten<'a>(fields: &'a [Field], prefix: &str, out: &mut Vec<(String, &'a Field)>) {
    for f in fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}/{}", f.name)
        };
        out.push((path.clone(), f));
        flatten(&f.fields, &path, out);
    }
}

// ---- JSON ----------------------------------------------------------------------

type Members = [(String, Value)];

const FORM_MEMBERS: &[&str] = &["format", "id", "version", "title", "description", "fields"];
const FIELD_MEMBERS: &[&str] = &[
    "name",
    "type",
    "label",
    "hint",
    "required",
    "min",
    "max",
    "pattern",
    "default",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "choices",
    "fields",
];

fn present<'v>(m: &'v Members, key: &str) -> Option<&'v Value> {
    m.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .filter(|v| **v != Value::Null)
}

fn text_value(value: &Value) -> Result<Text, WireError> {
    let m = members(value, &["zh", "en"])?;
    Ok(Text {
        zh: string(m, "zh", MAX_LABEL)?,
        en: match present(m, "en") {
            Some(_) => string(m, "en", MAX_LABEL)?,
            None => String::new(),
        },
    })
}

fn maybe<T>(
    m: &Members,
    key: &str,
    read: impl FnOnce(&Value) -> Result<T, WireError>,
) -> Result<Option<T>, WireError> {
    present(m, key)
        .map(|v| read(v).map_err(|e| nest(key, e)))
        .transpose()
}

fn maybe_string(m: &Members, key: &str, max: usize) -> Result<Option<String>, WireError> {
    match present(m, key) {
        Some(_) => string(m, key, max).map(Some),
        None => Ok(None),
    }
}

fn limit(value: &Value) -> Result<Limit, WireError> {
    match value {
        Value::Number(n) if n.is_finite() => Ok(Limit::Number(*n)),
        Value::String(s) => Date::parse(s)
            .map(Limit::Date)
            .ok_or_else(|| err("", format!("\"{s}\" is not a date (YYYY-MM-DD)"))),
        other => Err(err(
            "",
            format!("expected a number or a date, found {}", other.kind()),
        )),
    }
}

fn list<T>(
    m: &Members,
    key: &str,
    max: usize,
    read: impl Fn(&Value, usize) -> Result<T, WireError>,
) -> Result<Vec<T>, WireError> {
    match present(m, key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) if items.len() > max => {
            Err(err(key, format!("has more than {max} items")))
        }
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| read(v, i).map_err(|e| nest(&format!("{key}[{i}]"), e)))
            .collect(),
        Some(other) => Err(err(
            key,
            format!("expected an array, found {}", other.kind()),
        )),
    }
}

fn choice(value: &Value) -> Result<Choice, WireError> {
    let m = members(value, &["name", "label"])?;
    Ok(Choice {
        name: string(m, "name", MAX_NAME)?,
        label: text_value(get(m, "label")?).map_err(|e| nest("label", e))?,
    })
}

fn field(value: &Value, depth: usize) -> Result<Field, WireError> {
    let m = members(value, FIELD_MEMBERS)?;
    let type_id = string(m, "type", 20)?;
    let kind = Type::from_id(&type_id)
        .ok_or_else(|| err("type", format!("unknown type \"{type_id}\"")))?;
    let fields = if depth >= MAX_DEPTH && present(m, "fields").is_some() {
        return Err(err("fields", format!("nested deeper than {MAX_DEPTH}")));
    } else {
        list(m, "fields", MAX_FIELDS, |v, _| field(v, depth + 1))?
    };
    Ok(Field {
        name: string(m, "name", MAX_NAME)?,
        kind,
        label: maybe(m, "label", text_value)?.unwrap_or_default(),
        hint: maybe(m, "hint", text_value)?,
        required: match present(m, "required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(err(
                    "required",
                    format!("expected true or false, found {}", other.kind()),
                ))
            }
        },
        min: maybe(m, "min", limit)?,
        max: maybe(m, "max", limit)?,
        pattern: maybe(m, "pattern", |v| {
            let p = members(v, &["regex", "message"])?;
            Ok(Pattern {
                regex: string(p, "regex", MAX_EXPRESSION)?,
                message: text_value(get(p, "message")?).map_err(|e| nest("message", e))?,
            })
        })?,
        default: maybe_string(m, "default", MAX_LABEL)?,
        relevant: maybe_string(m, "relevant", MAX_EXPRESSION)?,
        constraint: maybe_string(m, "constraint", MAX_EXPRESSION)?,
        constraint_message: maybe(m, "constraint_message", text_value)?,
        calculation: maybe_string(m, "calculation", MAX_EXPRESSION)?,
        choices: list(m, "choices", MAX_CHOICES, |v, _| choice(v))?,
        fields,
    })
}

impl Form {
    /// Reads a form definition; errors are located by JSON path
    /// (`fields[2].choices[0].label.zh`). A `format` above [`FORMAT`] is refused.
    /// Only the shape is checked here; [`super::definition::check`] checks the rest.
    pub fn from_value(value: &Value) -> Result<Form, WireError> {
        let m = members(value, FORM_MEMBERS)?;
        match get(m, "format")? {
            Value::Number(n) if *n >= 1.0 && *n <= f64::from(FORMAT) && n.fract() == 0.0 => {}
            Value::Number(_) => {
                return Err(err(
                    "format",
                    format!("is not a format this version reads (1–{FORMAT})"),
                ))
            }
            other => {
                return Err(err(
                    "format",
                    format!("expected a number, found {}", other.kind()),
                ))
            }
        }
        let form = Form {
            id: string(m, "id", MAX_NAME)?,
            version: string(m, "version", 40)?,
            title: text_value(get(m, "title")?).map_err(|e| nest("title", e))?,
            description: maybe(m, "description", text_value)?,
            fields: list(m, "fields", MAX_FIELDS, |v, _| field(v, 1))?,
        };
        if form.all_fields().len() > MAX_FIELDS {
            return Err(err(
                "fields",
                format!("has more than {MAX_FIELDS} fields in all"),
            ));
        }
        Ok(form)
    }

    /// Writes the definition as JSON (what [`Form::from_value`] reads back the same).
    pub fn to_value(&self) -> Value {
        let mut m = vec![
            ("format", Value::Number(f64::from(FORMAT))),
            ("id", Value::String(self.id.clone())),
            ("version", Value::String(self.version.clone())),
            ("title", text_json(&self.title)),
        ];
        if let Some(d) = &self.description {
            m.push(("description", text_json(d)));
        }
        m.push((
            "fields",
            Value::Array(self.fields.iter().map(field_json).collect()),
        ));
        Value::object(m)
    }
}

fn text_json(t: &Text) -> Value {
    let mut m = vec![("zh", Value::String(t.zh.clone()))];
    if !t.en.is_empty() {
        m.push(("en", Value::String(t.en.clone())));
    }
    Value::object(m)
}

fn limit_json(l: &Limit) -> Value {
    match l {
        Limit::Number(n) => Value::Number(*n),
        Limit::Date(d) => Value::String(d.to_string()),
    }
}

fn field_json(f: &Field) -> Value {
    let mut m = vec![
        ("name", Value::String(f.name.clone())),
        ("type", Value::String(f.kind.id().to_owned())),
    ];
    if !f.label.zh.is_empty() {
        m.push(("label", text_json(&f.label)));
    }
    let texts = [
        ("hint", &f.hint),
        ("constraint_message", &f.constraint_message),
    ];
    for (key, t) in texts {
        if let Some(t) = t {
            m.push((key, text_json(t)));
        }
    }
    if f.required {
        m.push(("required", Value::Bool(true)));
    }
    for (key, l) in [("min", &f.min), ("max", &f.max)] {
        if let Some(l) = l {
            m.push((key, limit_json(l)));
        }
    }
    if let Some(p) = &f.pattern {
        m.push((
            "pattern",
            Value::object(vec![
                ("regex", Value::String(p.regex.clone())),
                ("message", text_json(&p.message)),
            ]),
        ));
    }
    let strings = [
        ("default", &f.default),
        ("relevant", &f.relevant),
        ("constraint", &f.constraint),
        ("calculation", &f.calculation),
    ];
    for (key, s) in strings {
        if let Some(s) = s {
            m.push((key, Value::String(s.clone())));
        }
    }
    if !f.choices.is_empty() {
        let choices = f
            .choices
            .iter()
            .map(|c| {
                Value::object(vec![
                    ("name", Value::String(c.name.clone())),
                    ("label", text_json(&c.label)),
                ])
            })
            .collect();
        m.push(("choices", Value::Array(choices)));
    }
    if !f.fields.is_empty() {
        m.push((
            "fields",
            Value::Array(f.fields.iter().map(field_json).collect()),
        ));
    }
    Value::object(m)
}
