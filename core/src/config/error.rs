//! What can be wrong with a `config.json`, each with where it is.

use std::fmt;

use crate::i18n::{Lang, Text};
use crate::json::{Kind, SyntaxError};

/// One problem in a config file, with the path of the field it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// Where: `theme.primary`, `scenarios[2]`, `notices[0].title.zh-CN`; empty when the
    /// problem is the whole file.
    pub path: String,
    /// What.
    pub problem: Problem,
}

/// The kinds of problem, each a sentence in [`FieldError::describe`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Problem {
    /// The text is not JSON at all.
    Syntax(SyntaxError),
    /// A field this version does not know; likely a typo, so the nearest known name is
    /// suggested when there is one.
    UnknownField {
        /// The known field this one most resembles.
        suggestion: Option<&'static str>,
    },
    /// A required field is absent.
    Missing,
    /// A field has the wrong JSON type.
    WrongType {
        /// The type the field needs.
        expected: Kind,
        /// The type it has.
        found: Kind,
    },
    /// Not `#rrggbb` / `#rgb`.
    NotAColour(String),
    /// A colour pair too close for text to be read (WCAG AA, 4.5:1).
    LowContrast {
        /// The other colour's field and value, e.g. `theme.on_primary (#ffffff)`.
        other: String,
        /// The ratio, already written as text (`2.15`).
        ratio: String,
    },
    /// A scenario id this version does not know.
    UnknownScenario(String),
    /// A value that must be unique appears twice.
    Duplicate(String),
    /// A required text is empty or only spaces.
    Empty,
    /// A text over its length limit, in characters.
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Not a real `YYYY-MM-DD` date.
    BadDate(String),
    /// A phone number with characters a phone cannot dial.
    BadPhone(String),
    /// A language code other than `zh-CN` and `en`.
    BadLanguage(String),
    /// Neither an `http(s)://` URL nor an absolute path.
    BadUrl(String),
    /// An id with characters other than `a-z`, `0-9` and `-`.
    BadId(String),
    /// An asset path that is absolute, a URL or climbs out of the deployment folder.
    BadAssetPath(String),
    /// A number outside its range or not whole.
    OutOfRange {
        /// The smallest allowed.
        min: i64,
        /// The largest allowed.
        max: i64,
    },
    /// Not a `HH:MM` time.
    BadTime(String),
    /// The meals scenario is enabled without its section.
    MealsMissing,
    /// The feedback scenario is enabled without its section.
    FeedbackMissing,
    /// A category names a handler the section does not list.
    UnknownHandler(String),
    /// A subsidy that is neither `{"fixed": fen}` nor `{"percent": n}`.
    BadSubsidy,
}

impl Problem {
    /// The problem as a sentence fragment in `lang`, to follow the field path.
    pub fn message(&self, lang: Lang) -> String {
        let value = |text: Text, v: &str| lang.fill(text, &[("value", v)]);
        match self {
            Problem::Syntax(e) if e.line > 0 => lang.fill(
                Text::ProblemSyntax,
                &[
                    ("line", &e.line.to_string()),
                    ("column", &e.column.to_string()),
                    ("detail", &e.detail),
                ],
            ),
            Problem::Syntax(e) => lang.fill(Text::ProblemSyntaxUnplaced, &[("detail", &e.detail)]),
            Problem::UnknownField { suggestion: None } => lang.t(Text::ProblemUnknownField).into(),
            Problem::UnknownField {
                suggestion: Some(s),
            } => lang.fill(Text::ProblemUnknownFieldSuggest, &[("suggestion", s)]),
            Problem::Missing => lang.t(Text::ProblemMissing).into(),
            Problem::WrongType { expected, found } => lang.fill(
                Text::ProblemWrongType,
                &[
                    ("expected", lang.t(kind_text(*expected))),
                    ("found", lang.t(kind_text(*found))),
                ],
            ),
            Problem::NotAColour(v) => value(Text::ProblemNotAColour, v),
            Problem::LowContrast { other, ratio } => lang.fill(
                Text::ProblemLowContrast,
                &[("other", other), ("ratio", ratio)],
            ),
            Problem::UnknownScenario(v) => {
                let known: Vec<&str> = crate::Scenario::ALL.iter().map(|s| s.id()).collect();
                lang.fill(
                    Text::ProblemUnknownScenario,
                    &[("value", v), ("known", &known.join(", "))],
                )
            }
            Problem::Duplicate(v) => value(Text::ProblemDuplicate, v),
            Problem::Empty => lang.t(Text::ProblemEmpty).into(),
            Problem::TooLong { max } => {
                lang.fill(Text::ProblemTooLong, &[("max", &max.to_string())])
            }
            Problem::BadDate(v) => value(Text::ProblemBadDate, v),
            Problem::BadPhone(v) => value(Text::ProblemBadPhone, v),
            Problem::BadLanguage(v) => value(Text::ProblemBadLanguage, v),
            Problem::BadUrl(v) => value(Text::ProblemBadUrl, v),
            Problem::BadId(v) => value(Text::ProblemBadId, v),
            Problem::BadAssetPath(v) => value(Text::ProblemBadAssetPath, v),
            Problem::OutOfRange { min, max } => lang.fill(
                Text::ProblemOutOfRange,
                &[("min", &min.to_string()), ("max", &max.to_string())],
            ),
            Problem::BadTime(v) => value(Text::ProblemBadTime, v),
            Problem::MealsMissing => lang.t(Text::ProblemMealsMissing).into(),
            Problem::FeedbackMissing => lang.t(Text::ProblemFeedbackMissing).into(),
            Problem::UnknownHandler(v) => value(Text::ProblemUnknownHandler, v),
            Problem::BadSubsidy => lang.t(Text::ProblemBadSubsidy).into(),
        }
    }
}

fn kind_text(kind: Kind) -> Text {
    match kind {
        Kind::Null => Text::KindNull,
        Kind::Bool => Text::KindBool,
        Kind::Number => Text::KindNumber,
        Kind::String => Text::KindString,
        Kind::Array => Text::KindArray,
        Kind::Object => Text::KindObject,
    }
}

impl FieldError {
    /// The located sentence in `lang`: `theme.primary: "#12" is not a colour …`.
    pub fn describe(&self, lang: Lang) -> String {
        let message = self.problem.message(lang);
        if self.path.is_empty() {
            message
        } else {
            format!("{}: {}", self.path, message)
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

/// Why a config file was refused: every problem found, in file order, not just the
/// first, so an administrator can fix them in one pass.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    /// The problems; never empty.
    pub errors: Vec<FieldError>,
}

impl ConfigError {
    /// The error for text that is not JSON at all.
    pub fn syntax(error: SyntaxError) -> ConfigError {
        ConfigError {
            errors: vec![FieldError {
                path: String::new(),
                problem: Problem::Syntax(error),
            }],
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}
