//! Forms on the wire: the kind a device sends when a resident submits a form.

use super::answers::Answers;
use crate::json::Value;
use crate::sync::wire::{err, get, integer, members, nest, string, WireError};

/// The submission kind of a form's answers.
pub const ANSWER_KIND: &str = "form_answer";
/// Where residents read the open forms (`GET`).
pub const ENDPOINT: &str = "api/v1/forms";

/// `form_answer`: `{form: "needs_2026", version: 3, answers: {…}}`, the answers as
/// the resident's phone kept them, against the version they were given to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerPayload {
    /// The form's id.
    pub form: String,
    /// The published version answered (1, 2, …).
    pub version: u32,
    /// The answers ([`Answers::from_value`]'s shape).
    pub answers: Answers,
}

impl AnswerPayload {
    /// Reads a `form_answer` payload; errors name the field.
    pub fn from_value(value: &Value) -> Result<AnswerPayload, WireError> {
        let m = members(value, &["form", "version", "answers"])?;
        let version = integer(m, "version")?;
        Ok(AnswerPayload {
            form: string(m, "form", super::form::MAX_NAME)?,
            version: u32::try_from(version)
                .ok()
                .filter(|v| *v >= 1)
                .ok_or_else(|| err("version", "expected a version from 1"))?,
            answers: Answers::from_value(get(m, "answers")?).map_err(|e| nest("answers", e))?,
        })
    }

    /// Writes the payload.
    pub fn to_value(&self) -> Value {
        Value::object(vec![
            ("form", Value::String(self.form.clone())),
            ("version", Value::Number(f64::from(self.version))),
            ("answers", self.answers.to_value()),
        ])
    }
}

/// What `GET /api/v1/forms` answers: `{forms: [definition]}`, each open form's newest
/// published version.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenForms {
    /// The forms, in the order the server lists them.
    pub forms: Vec<super::form::Form>,
    /// Each form as the server sent it (what a phone keeps with a draft, so the draft
    /// stays on its version without writing the definition out again).
    pub sent: Vec<Value>,
}

impl OpenForms {
    /// Reads the answer; errors name the form (`forms[1].fields[0].type`).
    pub fn from_value(value: &Value) -> Result<OpenForms, WireError> {
        let m = members(value, &["forms"])?;
        let Value::Array(list) = get(m, "forms")? else {
            return Err(err("forms", "expected an array"));
        };
        let forms = list
            .iter()
            .enumerate()
            .map(|(i, v)| {
                super::form::Form::from_value(v).map_err(|e| nest(&format!("forms[{i}]"), e))
            })
            .collect::<Result<_, _>>()?;
        Ok(OpenForms {
            forms,
            sent: list.clone(),
        })
    }
}
