//! A small checker that walks a [`Value`] and collects located problems, so that the
//! config rules read as a list of fields rather than as error plumbing.

use super::error::{FieldError, Problem};
use crate::json::{Kind, Value};

/// Collects problems while a value is walked.
#[derive(Default)]
pub(super) struct Checker {
    pub(super) errors: Vec<FieldError>,
}

/// The members of an object whose unknown fields have already been reported.
pub(super) struct Fields<'v> {
    path: String,
    members: &'v [(String, Value)],
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub(super) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

impl<'v> Fields<'v> {
    /// The value of `key`, if present.
    pub(super) fn get(&self, key: &str) -> Option<&'v Value> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The path of `key` inside this object.
    pub(super) fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

impl Checker {
    pub(super) fn push(&mut self, path: impl Into<String>, problem: Problem) {
        self.errors.push(FieldError {
            path: path.into(),
            problem,
        });
    }

    fn wrong_type(&mut self, path: &str, expected: Kind, found: &Value) {
        self.push(
            path,
            Problem::WrongType {
                expected,
                found: found.kind(),
            },
        );
    }

    /// Checks `value` is an object and reports members not in `known`.
    pub(super) fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &str,
        known: &[&'static str],
    ) -> Option<Fields<'v>> {
        let Value::Object(members) = value else {
            self.wrong_type(path, Kind::Object, value);
            return None;
        };
        for (key, _) in members {
            if !known.contains(&key.as_str()) {
                self.push(
                    join(path, key),
                    Problem::UnknownField {
                        suggestion: nearest(key, known),
                    },
                );
            }
        }
        Some(Fields {
            path: path.to_owned(),
            members,
        })
    }

    /// A required field of any type: reports it when missing.
    pub(super) fn required<'v>(&mut self, fields: &Fields<'v>, key: &str) -> Option<&'v Value> {
        let value = fields.get(key);
        if value.is_none() {
            self.push(fields.path(key), Problem::Missing);
        }
        value
    }

    /// A string that must not be blank and must fit in `max` characters.
    pub(super) fn text(&mut self, value: &Value, path: &str, max: usize) -> Option<String> {
        let Value::String(s) = value else {
            self.wrong_type(path, Kind::String, value);
            return None;
        };
        let trimmed = s.trim();
        if trimmed.is_empty() {
            self.push(path, Problem::Empty);
            None
        } else if trimmed.chars().count() > max {
            self.push(path, Problem::TooLong { max });
            None
        } else {
            Some(trimmed.to_owned())
        }
    }

    /// A boolean.
    pub(super) fn boolean(&mut self, value: &Value, path: &str) -> Option<bool> {
        let Value::Bool(b) = value else {
            self.wrong_type(path, Kind::Bool, value);
            return None;
        };
        Some(*b)
    }

    /// A number.
    pub(super) fn number(&mut self, value: &Value, path: &str) -> Option<f64> {
        let Value::Number(n) = value else {
            self.wrong_type(path, Kind::Number, value);
            return None;
        };
        Some(*n)
    }

    /// A required non-blank string field.
    pub(super) fn required_text(
        &mut self,
        fields: &Fields<'_>,
        key: &str,
        max: usize,
    ) -> Option<String> {
        let value = self.required(fields, key)?;
        self.text(value, &fields.path(key), max)
    }

    /// An array; each element is handed to `each` with its path.
    pub(super) fn array<'v, T>(
        &mut self,
        value: &'v Value,
        path: &str,
        mut each: impl FnMut(&mut Self, &'v Value, String) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Value::Array(items) = value else {
            self.wrong_type(path, Kind::Array, value);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut all_ok = true;
        for (i, item) in items.iter().enumerate() {
            match each(self, item, index(path, i)) {
                Some(v) => out.push(v),
                None => all_ok = false,
            }
        }
        all_ok.then_some(out)
    }
}

/// The known name closest to a misspelt one, if it is close enough to be a typo.
fn nearest(word: &str, known: &[&'static str]) -> Option<&'static str> {
    let lower = word.to_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&lower, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let known = ["primary", "on_primary"];
        assert_eq!(nearest("primry", &known), Some("primary"));
        assert_eq!(nearest("Primary", &known), Some("primary"));
        assert_eq!(nearest("background", &known), None);
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_swaps() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
