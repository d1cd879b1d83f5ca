//! XLSForm import: the subset of the ODK / KoboToolbox standard (xlsform.org, "XLSForm
//! spec") that the form model covers, from the `survey`, `choices` and `settings`
//! sheets as grids of text (the server reads them from `.xlsx` with calamine or from
//! CSV files; this module sees only cells).
//!
//! Supported:
//! - `survey` columns `type`, `name`, `label`, `hint`, `required`, `relevant`,
//!   `constraint`, `constraint_message`, `calculation`, `default`, `appearance`
//!   (`multiline` on text, `field-list` on a group), each text column also per
//!   language as `label::中文 (zh)` / `label::English (en)` (a plain `label` is
//!   Chinese unless a Chinese column is there too); columns whose names start with `$`
//!   (KoboToolbox's own row ids) carry nothing of the form and are passed over;
//! - types `text`, `integer`, `decimal`, `select_one LIST`, `select_multiple LIST`,
//!   `date`, `time`, `note`, `calculate`, `begin_group` / `end_group`, `begin_repeat` /
//!   `end_repeat` (with or without the underscore);
//! - a constraint that is exactly `regex(., 'PATTERN')` becomes the question's pattern,
//!   with the constraint message as its message;
//! - `choices` columns `list_name`, `name`, `label` (and per language);
//! - `settings` columns `form_title`, `form_id`, `version`, `default_language`.
//!
//! Anything else (a type such as `geopoint` or `start`, a column such as
//! `repeat_count` or `label::French (fr)`, a function outside the expression
//! language, a group never ended) is an [`ImportError`] with its sheet, row and column,
//! and the import gives no form at all rather than a form with parts missing.

use super::definition::{check, DefinitionProblem};
use super::expr::{is_field_name, parse, ParseError};
use super::form::{Choice, Field, Form, Pattern, Text, Type};

/// A sheet as read: its name and its rows of cells, the first row the column names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sheet {
    /// `survey`, `choices` or `settings`.
    pub name: String,
    /// Rows of cells as text, the header first.
    pub rows: Vec<Vec<String>>,
}

/// A located problem of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The sheet.
    pub sheet: String,
    /// The row as the spreadsheet numbers it (the header is row 1); 0 for the sheet
    /// as a whole.
    pub row: usize,
    /// The column's name (`type`, `label::English (en)`); "" for the row as a whole.
    pub column: String,
    /// What is wrong.
    pub problem: ImportProblem,
}

/// What is wrong in an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportProblem {
    /// The sheet is missing or has no header (its name).
    NoSheet,
    /// A column this import does not read.
    UnsupportedColumn,
    /// A type this import does not read (the type as written).
    UnsupportedType(String),
    /// An `appearance` this import does not read.
    UnsupportedAppearance(String),
    /// A language other than Chinese and English.
    UnsupportedLanguage(String),
    /// `select_one` / `select_multiple` of a list the `choices` sheet does not have.
    UnknownList(String),
    /// A row without a type or name.
    Missing,
    /// `required` that is neither yes nor no.
    NotYesNo(String),
    /// An `end_group` / `end_repeat` without its beginning, or of the other kind.
    UnmatchedEnd,
    /// A group or repeat never ended (its name).
    NotEnded(String),
    /// An expression that does not parse (a function outside the language, say).
    Expression(ParseError),
    /// What the checks of the definition found.
    Definition(DefinitionProblem),
    /// A `form_id` or `version` that cannot be one (what it is).
    BadId(String),
    /// More than a form may hold, or a text too long (where in the form, and what).
    TooLarge(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} row {}", self.sheet, self.row)?;
        if !self.column.is_empty() {
            write!(f, " column {}", self.column)?;
        }
        write!(f, ": {:?}", self.problem)
    }
}

/// The language a column is in: `label` → None, `label::English (en)` → en.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    Plain,
    Zh,
    En,
}

/// A header cell split: the base column (`label`) and its language.
fn column_of(header: &str) -> Result<(String, Lang), String> {
    let header = header.trim();
    let Some((base, lang)) = header.split_once("::") else {
        return Ok((header.to_ascii_lowercase(), Lang::Plain));
    };
    let code = match (lang.rfind('('), lang.rfind(')')) {
        (Some(a), Some(b)) if a < b => lang[a + 1..b].trim(),
        _ => lang.trim(),
    }
    .to_ascii_lowercase();
    let lang = match code.as_str() {
        c if c == "zh" || c.starts_with("zh-") || c == "中文" || c == "chinese" => Lang::Zh,
        "en" | "english" => Lang::En,
        c if c.starts_with("en-") => Lang::En,
        _ => return Err(code),
    };
    Ok((base.trim().to_ascii_lowercase(), lang))
}

/// A sheet's header, read: per column its base name and language, or the problem.
struct Header {
    columns: Vec<Option<(String, Lang)>>,
    /// `settings`' `default_language` is English: a plain `label` is English.
    plain_is_english: bool,
}

impl Header {
    fn read(
        sheet: &Sheet,
        known: &[&str],
        translated: &[&str],
        errors: &mut Vec<ImportError>,
    ) -> Header {
        let empty = Vec::new();
        let header = sheet.rows.first().unwrap_or(&empty);
        let mut columns = Vec::new();
        for cell in header {
            let problem = |p| ImportError {
                sheet: sheet.name.clone(),
                row: 1,
                column: cell.clone(),
                problem: p,
            };
            if cell.trim().is_empty() || cell.trim().starts_with('$') {
                columns.push(None);
                continue;
            }
            match column_of(cell) {
                Err(code) => {
                    errors.push(problem(ImportProblem::UnsupportedLanguage(code)));
                    columns.push(None);
                }
                Ok((base, lang))
                    if known.contains(&base.as_str())
                        && (lang == Lang::Plain || translated.contains(&base.as_str())) =>
                {
                    columns.push(Some((base, lang)))
                }
                Ok(_) => {
                    errors.push(problem(ImportProblem::UnsupportedColumn));
                    columns.push(None);
                }
            }
        }
        Header {
            columns,
            plain_is_english: false,
        }
    }

    /// The cell of column `base` in language `lang` of `row` ("" when absent).
    fn cell<'r>(&self, row: &'r [String], base: &str, lang: Lang) -> &'r str {
        self.columns
            .iter()
            .position(|c| c.as_ref().is_some_and(|(b, l)| b == base && *l == lang))
            .and_then(|i| row.get(i))
            .map_or("", |s| s.trim())
    }

    /// The header cell of column `base` (for locating errors).
    fn name(&self, sheet: &Sheet, base: &str) -> String {
        self.columns
            .iter()
            .position(|c| c.as_ref().is_some_and(|(b, _)| b == base))
            .and_then(|i| sheet.rows.first()?.get(i).cloned())
            .unwrap_or_else(|| base.to_owned())
    }

    /// A translated column of `row` as a text: Chinese from `base::zh`, else the plain
    /// column, else the English; English from `base::en`.
    fn text(&self, row: &[String], base: &str) -> Option<Text> {
        let plain = self.cell(row, base, Lang::Plain);
        let mut zh = self.cell(row, base, Lang::Zh);
        let mut en = self.cell(row, base, Lang::En);
        if self.plain_is_english {
            if en.is_empty() {
                en = plain;
            }
        } else if zh.is_empty() {
            zh = plain;
        }
        let zh = [zh, en].into_iter().find(|t| !t.is_empty())?;
        Some(Text {
            zh: zh.to_owned(),
            en: en.to_owned(),
        })
    }
}

/// The longest form id, in characters (room for `_copy2` within a name's 64).
pub const MAX_ID: usize = 50;

const SURVEY: &[&str] = &[
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "default",
    "appearance",
];
const SURVEY_TRANSLATED: &[&str] = &["label", "hint", "constraint_message"];
const CHOICES: &[&str] = &["list_name", "name", "label"];
const SETTINGS: &[&str] = &["form_title", "form_id", "version", "default_language"];

fn sheet<'s>(sheets: &'s [Sheet], name: &str) -> Option<&'s Sheet> {
    sheets
        .iter()
        .find(|s| s.name.trim().eq_ignore_ascii_case(name))
}

fn is_blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// Reads a form from an XLSForm's sheets; every problem, located, when it cannot.
/// `fallback_title` and `fallback_id` name the form when `settings` gives no
/// `form_title` / `form_id`.
pub fn import(
    sheets: &[Sheet],
    fallback_title: &str,
    fallback_id: &str,
) -> Result<Form, Vec<ImportError>> {
    let mut errors = Vec::new();
    let Some(survey) = sheet(sheets, "survey").filter(|s| !s.rows.is_empty()) else {
        return Err(vec![ImportError {
            sheet: "survey".into(),
            row: 0,
            column: String::new(),
            problem: ImportProblem::NoSheet,
        }]);
    };
    // Choice lists.
    let mut lists: Vec<(String, Vec<Choice>)> = Vec::new();
    if let Some(choices) = sheet(sheets, "choices") {
        let header = Header::read(choices, CHOICES, &["label"], &mut errors);
        for row in choices.rows.iter().skip(1).filter(|r| !is_blank(r)) {
            let list = header.cell(row, "list_name", Lang::Plain).to_owned();
            let choice = Choice {
                name: header.cell(row, "name", Lang::Plain).to_owned(),
                label: header.text(row, "label").unwrap_or_default(),
            };
            match lists.iter_mut().find(|(l, _)| *l == list) {
                Some((_, c)) => c.push(choice),
                None => lists.push((list, vec![choice])),
            }
        }
    }
    // Settings.
    let mut title = None;
    let (mut id, mut version) = (String::new(), String::new());
    let mut plain_is_english = false;
    if let Some(settings) = sheet(sheets, "settings") {
        let header = Header::read(settings, SETTINGS, &["form_title"], &mut errors);
        if let Some(row) = settings.rows.get(1) {
            title = header.text(row, "form_title");
            id = header.cell(row, "form_id", Lang::Plain).to_owned();
            version = header.cell(row, "version", Lang::Plain).to_owned();
            let at = |column: &str, p| ImportError {
                sheet: settings.name.clone(),
                row: 2,
                column: header.name(settings, column),
                problem: p,
            };
            if !id.is_empty() && (!is_field_name(&id) || id.chars().count() > MAX_ID) {
                errors.push(at("form_id", ImportProblem::BadId(id.clone())));
            }
            if version.chars().count() > 40 || version.chars().any(char::is_control) {
                errors.push(at("version", ImportProblem::BadId(version.clone())));
            }
            match header.cell(row, "default_language", Lang::Plain) {
                "" => {}
                l => match column_of(&format!("x::{l}")) {
                    Ok((_, Lang::En)) => plain_is_english = true,
                    Ok(_) => {}
                    Err(code) => errors.push(at(
                        "default_language",
                        ImportProblem::UnsupportedLanguage(code),
                    )),
                },
            }
        }
    }
    // Survey rows into nested fields, with each field's row for locating later checks.
    let mut header = Header::read(survey, SURVEY, SURVEY_TRANSLATED, &mut errors);
    header.plain_is_english = plain_is_english;
    let mut stack: Vec<(Field, usize)> = Vec::new();
    let mut top: Vec<Field> = Vec::new();
    let mut rows_of: Vec<(String, usize)> = Vec::new();
    for (i, row) in survey.rows.iter().enumerate().skip(1) {
        if is_blank(row) {
            continue;
        }
        let at = i + 1;
        let problem = |column: &str, p| ImportError {
            sheet: survey.name.clone(),
            row: at,
            column: if column.is_empty() {
                String::new()
            } else {
                header.name(survey, column)
            },
            problem: p,
        };
        let type_cell = header.cell(row, "type", Lang::Plain);
        let mut words = type_cell.split_whitespace();
        let word = words.next().unwrap_or("").to_ascii_lowercase();
        let rest: Vec<&str> = words.collect();
        let end = match (word.as_str(), rest.as_slice()) {
            ("end_group", []) | ("end", ["group"]) => Some(Type::Group),
            ("end_repeat", []) | ("end", ["repeat"]) => Some(Type::Repeat),
            _ => None,
        };
        if let Some(kind) = end {
            match stack.pop() {
                Some((f, _)) if f.kind == kind => push(&mut stack, &mut top, f),
                Some(other) => {
                    errors.push(problem("type", ImportProblem::UnmatchedEnd));
                    stack.push(other);
                }
                None => errors.push(problem("type", ImportProblem::UnmatchedEnd)),
            }
            continue;
        }
        let name = header.cell(row, "name", Lang::Plain);
        if type_cell.is_empty() || name.is_empty() {
            errors.push(problem(
                if type_cell.is_empty() { "type" } else { "name" },
                ImportProblem::Missing,
            ));
            continue;
        }
        let (kind, list) = match (word.as_str(), rest.as_slice()) {
            ("text", []) => (Type::Text, None),
            ("integer" | "int", []) => (Type::Integer, None),
            ("decimal", []) => (Type::Decimal, None),
            ("date", []) => (Type::Date, None),
            ("time", []) => (Type::Time, None),
            ("note", []) => (Type::Note, None),
            ("calculate", []) => (Type::Calculate, None),
            ("begin_group", []) | ("begin", ["group"]) => (Type::Group, None),
            ("begin_repeat", []) | ("begin", ["repeat"]) => (Type::Repeat, None),
            ("select_one", [l]) => (Type::SelectOne, Some(*l)),
            ("select_multiple", [l]) => (Type::SelectMultiple, Some(*l)),
            _ => {
                errors.push(problem(
                    "type",
                    ImportProblem::UnsupportedType(type_cell.to_owned()),
                ));
                continue;
            }
        };
        let mut field = Field::new(name, kind, "");
        field.label = header.text(row, "label").unwrap_or_default();
        field.hint = header.text(row, "hint");
        if let Some(list) = list {
            match lists.iter().find(|(l, _)| l == list) {
                Some((_, choices)) => field.choices = choices.clone(),
                None => errors.push(problem("type", ImportProblem::UnknownList(list.to_owned()))),
            }
        }
        match header.cell(row, "appearance", Lang::Plain) {
            "" => {}
            "multiline" if kind == Type::Text => field.kind = Type::LongText,
            "field-list" if kind == Type::Group => {}
            other => errors.push(problem(
                "appearance",
                ImportProblem::UnsupportedAppearance(other.to_owned()),
            )),
        }
        match header
            .cell(row, "required", Lang::Plain)
            .to_ascii_lowercase()
            .as_str()
        {
            "" | "no" | "false" | "false()" => {}
            "yes" | "true" | "true()" => field.required = true,
            other => errors.push(problem(
                "required",
                ImportProblem::NotYesNo(other.to_owned()),
            )),
        }
        let expression = |column: &str, errors: &mut Vec<ImportError>| -> Option<String> {
            let text = header.cell(row, column, Lang::Plain);
            if text.is_empty() {
                return None;
            }
            if let Err(e) = parse(text) {
                errors.push(problem(column, ImportProblem::Expression(e)));
            }
            Some(text.to_owned())
        };
        field.relevant = expression("relevant", &mut errors);
        field.calculation = expression("calculation", &mut errors);
        let message = header.text(row, "constraint_message");
        let constraint = header.cell(row, "constraint", Lang::Plain);
        match regex_of(constraint) {
            Some(regex) => {
                field.pattern = Some(Pattern {
                    regex,
                    message: message.unwrap_or_else(|| Text {
                        zh: crate::Lang::ZhCn.t(super::FormText::Pattern).to_owned(),
                        en: crate::Lang::En.t(super::FormText::Pattern).to_owned(),
                    }),
                })
            }
            None => {
                field.constraint = expression("constraint", &mut errors);
                field.constraint_message = message;
            }
        }
        let default = header.cell(row, "default", Lang::Plain);
        if !default.is_empty() {
            field.default = Some(default.to_owned());
        }
        let path = stack
            .iter()
            .map(|(f, _)| f.name.as_str())
            .chain([field.name.as_str()])
            .collect::<Vec<_>>()
            .join("/");
        rows_of.push((path, at));
        if kind.has_fields() {
            stack.push((field, at));
        } else {
            push(&mut stack, &mut top, field);
        }
    }
    while let Some((f, at)) = stack.pop() {
        errors.push(ImportError {
            sheet: survey.name.clone(),
            row: at,
            column: header.name(survey, "type"),
            problem: ImportProblem::NotEnded(f.name.clone()),
        });
    }
    if errors.is_empty() {
        for e in check(&top) {
            let row = rows_of.get(e.at).map_or(0, |(_, r)| *r);
            errors.push(ImportError {
                sheet: survey.name.clone(),
                row,
                column: e.column.id().to_owned(),
                problem: ImportProblem::Definition(e.problem),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        return Err(errors);
    }
    let form = Form {
        id: if id.is_empty() {
            fallback_id.into()
        } else {
            id
        },
        version: if version.is_empty() {
            "1".into()
        } else {
            version
        },
        title: title.unwrap_or_else(|| Text::zh(fallback_title)),
        description: None,
        fields: top,
    };
    // What the JSON form caps (label lengths, how many fields and choices, how deep):
    // the form as stored must read back.
    if let Err(e) = Form::from_value(&form.to_value()) {
        return Err(vec![ImportError {
            sheet: survey.name.clone(),
            row: 0,
            column: e.field.clone(),
            problem: ImportProblem::TooLarge(e.message),
        }]);
    }
    Ok(form)
}

fn push(stack: &mut [(Field, usize)], top: &mut Vec<Field>, field: Field) {
    match stack.last_mut() {
        Some((parent, _)) => parent.fields.push(field),
        None => top.push(field),
    }
}

/// `regex(., 'PATTERN')` (either quote) as its pattern; `None` for anything else.
fn regex_of(constraint: &str) -> Option<String> {
    let inner = constraint
        .trim()
        .strip_prefix("regex(")?
        .strip_suffix(')')?
        .trim()
        .strip_prefix('.')?
        .trim_start()
        .strip_prefix(',')?
        .trim();
    let quote = inner.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = inner.strip_prefix(quote)?.strip_suffix(quote)?;
    (!body.is_empty() && !body.contains(quote)).then(|| body.to_owned())
}

#[cfg(test)]
mod tests;
