//! Forms by social organisations (表单问卷, DESIGN.md "Forms by social organisations"):
//! a form is data, not code.
//!
//! - [`form`]: the versioned definition as JSON (fields of fifteen types, labels in
//!   Chinese and English, choices, limits, patterns, defaults, skip logic,
//!   constraints, calculations, groups and repeats);
//! - [`expr`]: the safe expression language of `relevant`, `constraint` and
//!   `calculation`, in the XLSForm subset: `${age}`, `.`, numbers and quoted text,
//!   comparisons, `and` / `or`, arithmetic (`+ - * div mod`), and the functions `not`,
//!   `selected`, `count-selected`, `string-length`, `if` and `today`; a parser that
//!   says where an expression is wrong and an evaluator that runs nothing else;
//! - [`definition`]: the checks of a definition itself (names once, expressions that
//!   parse, fields that exist, no cycles, columns that fit the type), each at its field
//!   and column;
//! - [`answers`]: a respondent's answers, the one validator ([`answers::validate`])
//!   the renderer, the builder's preview and the server share, and what is kept of
//!   them ([`answers::clean`]: hidden fields have no answer);
//! - [`rule`]: skip rules picked in the builder (field, comparison, value) and the
//!   `relevant` expressions they are written as and read back from.

pub mod answers;
pub mod definition;
pub mod export;
pub mod expr;
pub mod form;
pub mod rule;
mod text;
pub mod wire;
pub mod xlsform;

pub use text::{FormBuilderText, FormCheckText, FormStaffText, FormText};

#[cfg(test)]
mod tests;
