//! The renderer's pure state: where an answer lives (a repeat's set or the top
//! level), reading and changing it, the screens of 长辈版 (one question each), and the
//! paths the validator's errors are reported at. Host-tested; the view only draws it.

use linli_core::forms::answers::{Answer, Answers};
use linli_core::forms::form::{Field, Form, Type};

/// Where an answer set is: the repeats on the way down, each with its 0-based set
/// (empty for the top level).
pub type Place = Vec<(String, usize)>;

/// The answer set at `place` (the top level when a step is missing).
pub fn set_at<'a>(answers: &'a Answers, place: &[(String, usize)]) -> Option<&'a Answers> {
    let Some(((repeat, i), rest)) = place.split_first() else {
        return Some(answers);
    };
    set_at(answers.repeat(repeat).get(*i)?, rest)
}

fn set_at_mut<'a>(answers: &'a mut Answers, place: &[(String, usize)]) -> Option<&'a mut Answers> {
    let Some(((repeat, i), rest)) = place.split_first() else {
        return Some(answers);
    };
    let Some(Answer::Repeat(sets)) = answers
        .0
        .iter_mut()
        .find(|(n, _)| n == repeat)
        .map(|(_, a)| a)
    else {
        return None;
    };
    set_at_mut(sets.get_mut(*i)?, rest)
}

/// The text answer of `name` at `place` ("" when none).
pub fn text_at<'a>(answers: &'a Answers, place: &[(String, usize)], name: &str) -> &'a str {
    set_at(answers, place).map_or("", |a| a.text(name))
}

/// `answers` with `name` at `place` answered `value` (an empty value removes the
/// answer).
pub fn with_text(answers: &Answers, place: &[(String, usize)], name: &str, value: &str) -> Answers {
    let mut out = answers.clone();
    if let Some(set) = set_at_mut(&mut out, place) {
        set.0.retain(|(n, _)| n != name);
        if !value.is_empty() {
            set.0
                .push((name.to_owned(), Answer::Value(value.to_owned())));
        }
    }
    out
}

/// A multiple-choice answer with `choice` picked or unpicked.
pub fn toggled(current: &str, choice: &str) -> String {
    let mut picked: Vec<&str> = current
        .split_whitespace()
        .filter(|c| *c != choice)
        .collect();
    if !current.split_whitespace().any(|c| c == choice) {
        picked.push(choice);
    }
    picked.join(" ")
}

/// A field's defaults, as a new answer set starts with them (groups entered).
pub fn defaults(fields: &[Field]) -> Answers {
    let mut out = Answers::default();
    fill_defaults(fields, &mut out);
    out
}

fn fill_defaults(fields: &[Field], out: &mut Answers) {
    for f in fields {
        match (&f.default, f.kind) {
            (_, Type::Group) => fill_defaults(&f.fields, out),
            (Some(d), k) if k.is_question() => out.set(&f.name, Answer::Value(d.clone())),
            _ => {}
        }
    }
}

/// `answers` with one more set of `repeat` (its defaults filled) at `place`.
pub fn with_set_added(answers: &Answers, place: &[(String, usize)], repeat: &Field) -> Answers {
    let mut out = answers.clone();
    if let Some(set) = set_at_mut(&mut out, place) {
        let mut sets = set.repeat(&repeat.name).to_vec();
        sets.push(defaults(&repeat.fields));
        set.set(&repeat.name, Answer::Repeat(sets));
    }
    out
}

/// `answers` without set `i` of `repeat` at `place`.
pub fn with_set_removed(
    answers: &Answers,
    place: &[(String, usize)],
    repeat: &str,
    i: usize,
) -> Answers {
    let mut out = answers.clone();
    if let Some(set) = set_at_mut(&mut out, place) {
        let mut sets = set.repeat(repeat).to_vec();
        if i < sets.len() {
            sets.remove(i);
        }
        set.set(repeat, Answer::Repeat(sets));
    }
    out
}

/// The path the validator reports a field at: its groups and name, a repeat's set
/// numbered from 1 (`members[2]/member_age`).
pub fn path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}/{name}")
    }
}

/// The screens of 长辈版: one per top-level question, note or repeat, a group's fields
/// each a screen of their own (in the form's order; calculations have none).
pub fn screens(form: &Form) -> Vec<(String, &Field)> {
    let mut out = Vec::new();
    fn walk<'f>(fields: &'f [Field], prefix: &str, out: &mut Vec<(String, &'f Field)>) {
        for f in fields {
            match f.kind {
                Type::Group => walk(&f.fields, &path(prefix, &f.name), out),
                Type::Calculate => {}
                _ => out.push((prefix.to_owned(), f)),
            }
        }
    }
    walk(&form.fields, "", &mut out);
    out
}

/// Whether an error at `error_path` belongs to the field at `field_path` (itself, or
/// inside it when it is a repeat).
pub fn belongs(error_path: &str, field_path: &str) -> bool {
    error_path == field_path
        || error_path
            .strip_prefix(field_path)
            .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::forms::form::Text;

    fn form() -> Form {
        let mut age = Field::new("age", Type::Integer, "年龄");
        age.default = Some("60".into());
        let mut members = Field::new("members", Type::Repeat, "家人");
        members.fields = vec![age.clone(), Field::new("name", Type::Text, "称呼")];
        let mut group = Field::new("home", Type::Group, "住户");
        group.fields = vec![
            Field::new("room", Type::Text, "门牌"),
            Field::new("c", Type::Calculate, ""),
        ];
        Form {
            id: "f".into(),
            version: "1".into(),
            title: Text::zh("表"),
            description: None,
            fields: vec![group, members, Field::new("after", Type::Text, "最后")],
        }
    }

    #[test]
    fn answers_in_repeat_sets_are_read_and_changed_at_their_place() {
        let f = form();
        let members = f.field("members").unwrap();
        let a = with_set_added(&Answers::default(), &[], members);
        let a = with_set_added(&a, &[], members);
        assert_eq!(a.repeat("members").len(), 2);
        assert_eq!(
            text_at(&a, &[("members".into(), 1)], "age"),
            "60",
            "defaults filled"
        );
        let a = with_text(&a, &[("members".into(), 1)], "name", "老伴");
        let a = with_text(&a, &[], "after", "好");
        assert_eq!(text_at(&a, &[("members".into(), 1)], "name"), "老伴");
        assert_eq!(text_at(&a, &[("members".into(), 0)], "name"), "");
        let a = with_set_removed(&a, &[], "members", 0);
        assert_eq!(text_at(&a, &[("members".into(), 0)], "name"), "老伴");
        let a = with_text(&a, &[], "after", "");
        assert_eq!(a.get("after"), None, "an emptied answer is removed");
    }

    #[test]
    fn screens_are_one_question_each_and_errors_find_their_field() {
        let f = form();
        let names: Vec<(String, &str)> = screens(&f)
            .into_iter()
            .map(|(p, f)| (p, f.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("home".to_owned(), "room"),
                (String::new(), "members"),
                (String::new(), "after")
            ]
        );
        assert_eq!(toggled("meal visit", "visit"), "meal");
        assert_eq!(toggled("meal", "walk"), "meal walk");
        assert!(belongs("members[2]/age", "members"));
        assert!(belongs("home/room", "home/room"));
        assert!(!belongs("members2/age", "members"));
    }
}
