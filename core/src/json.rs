//! A small JSON value tree, the common ground between the browser and the host.
//!
//! The browser parses text with JavaScript's own `JSON.parse` and converts the result
//! into a [`Value`] (no JSON parser is compiled into the WASM); the host parses text
//! with `serde_json` behind the `json` feature. Validation code walks a [`Value`] and
//! so reports the same located errors on both sides.

use std::fmt;

/// A parsed JSON value. Objects keep their members in a list, in source order where
/// the parser kept it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any number; JSON has only one number type.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, as (key, value) members.
    Object(Vec<(String, Value)>),
}

/// The type of a JSON value, for messages such as "expected a string, found a number".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Value {
    /// An object from `(key, value)` members, keys as literals.
    pub fn object(members: Vec<(&str, Value)>) -> Value {
        Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    /// The type of this value.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }
}

impl Kind {
    /// The JSON name of the type, as written in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "boolean",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a JSON text stopped being JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line, 0 when the parser did not say.
    pub line: usize,
    /// 1-based column, 0 when the parser did not say.
    pub column: usize,
    /// The parser's own words.
    pub detail: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "line {} column {}: {}",
                self.line, self.column, self.detail
            )
        } else {
            f.write_str(&self.detail)
        }
    }
}

impl std::error::Error for SyntaxError {}

/// Parses JSON text (host side).
#[cfg(feature = "json")]
pub fn from_str(text: &str) -> Result<Value, SyntaxError> {
    let parsed: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        // serde_json appends " at line L column C"; we keep position separately.
        let detail = match full.rfind(" at line ") {
            Some(cut) => full[..cut].to_owned(),
            None => full,
        };
        SyntaxError {
            line: e.line(),
            column: e.column(),
            detail,
        }
    })?;
    Ok(from_serde(parsed))
}

/// Writes a value as compact JSON text (host side): object members sorted by key (a
/// canonical form, so equal values write equal text), whole numbers without a fraction.
#[cfg(feature = "json")]
pub fn to_string(value: &Value) -> String {
    to_serde(value).to_string()
}

#[cfg(feature = "json")]
fn to_serde(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 => {
            serde_json::Value::from(*n as i64)
        }
        Value::Number(n) => serde_json::Number::from_f64(*n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => serde_json::Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_serde(v)))
                .collect(),
        ),
    }
}

#[cfg(feature = "json")]
fn from_serde(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => {
            Value::Array(items.into_iter().map(from_serde).collect())
        }
        serde_json::Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k, from_serde(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
#[cfg(feature = "json")]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_values() {
        let v = from_str(r#"{"a": [1, "x", null, true], "b": {}}"#).unwrap();
        let Value::Object(members) = v else {
            panic!("not an object")
        };
        assert_eq!(members.len(), 2);
        assert_eq!(
            members[0].1,
            Value::Array(vec![
                Value::Number(1.0),
                Value::String("x".into()),
                Value::Null,
                Value::Bool(true)
            ])
        );
    }

    #[test]
    fn writes_back_what_it_read() {
        let text = r#"{"a":[1,"x",null,true,2.5],"b":{}}"#;
        assert_eq!(to_string(&from_str(text).unwrap()), text);
        // Canonical: member order does not change the text.
        assert_eq!(
            to_string(&from_str(r#"{"b":1,"a":2}"#).unwrap()),
            r#"{"a":2,"b":1}"#
        );
    }

    #[test]
    fn syntax_error_is_located() {
        let e = from_str("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().starts_with("line 3 column 1: "), "{e}");
    }
}
