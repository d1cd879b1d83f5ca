//! The checks of a form's definition itself, before anyone answers it: every field
//! name once, every expression parses, every field an expression reads exists, no
//! calculation depends on itself (a cycle would have no answer), and each column fits
//! its type (choices for select questions, fields for groups, `min` / `max` of the
//! type's kind). Each problem says where: the field's path (`household/members/age`)
//! and which column, as XLSForm names it.

use super::expr::{is_field_name, parse, ParseError};
use super::form::{flatten, Field, Form, Limit, Limits, Type};

/// Which column of a field a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// `name`.
    Name,
    /// `label`.
    Label,
    /// `choices` (a choice list).
    Choices,
    /// `fields` (a group's).
    Fields,
    /// `min`.
    Min,
    /// `max`.
    Max,
    /// `pattern`.
    Pattern,
    /// `required`.
    Required,
    /// `default`.
    Default,
    /// `relevant`.
    Relevant,
    /// `constraint`.
    Constraint,
    /// `calculation`.
    Calculation,
}

impl Column {
    /// The column's name, as XLSForm writes it.
    pub fn id(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Label => "label",
            Column::Choices => "choices",
            Column::Fields => "fields",
            Column::Min => "min",
            Column::Max => "max",
            Column::Pattern => "pattern",
            Column::Required => "required",
            Column::Default => "default",
            Column::Relevant => "relevant",
            Column::Constraint => "constraint",
            Column::Calculation => "calculation",
        }
    }
}

/// A problem of a definition, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionError {
    /// The field's path: its groups' names and its own, `/`-separated.
    pub path: String,
    /// The field's place among all fields, depth first from 0 (a group before its
    /// fields): where an import finds its row when two fields share a path.
    pub at: usize,
    /// The column.
    pub column: Column,
    /// What is wrong.
    pub problem: DefinitionProblem,
}

/// What is wrong with a definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DefinitionProblem {
    /// The name is not a field name (a letter or `_`, then letters, digits, `_-.`).
    BadName,
    /// Another field has this name (its path).
    Duplicate(String),
    /// The expression does not parse.
    Expression(ParseError),
    /// The expression reads a field the form does not have.
    Missing(String),
    /// The calculation depends on itself, through these fields.
    Cycle(Vec<String>),
    /// A `calculate` field without a calculation.
    NoCalculation,
    /// A question or note without a label.
    NoLabel,
    /// A select question without choices.
    NoChoices,
    /// A choice name that is not a field name's characters (it would not survive a
    /// multiple-choice answer's space-separated encoding).
    BadChoiceName(String),
    /// A choice listed twice.
    DuplicateChoice(String),
    /// A group or repeat without fields.
    NoFields,
    /// A column this type does not have (`choices` on a text question, `min` on a
    /// note, `required` on a calculation).
    NotForType,
    /// A limit of the wrong kind (a date on a number, a fraction on a length).
    BadLimit,
    /// `min` above `max`.
    MinAboveMax,
    /// A pattern that is not a regular expression (what the engine said); the server
    /// checks patterns, core has no engine.
    BadPattern(String),
}

/// Every problem of a form's definition, in the order of its fields (empty when it is
/// sound).
pub fn check_form(form: &Form) -> Vec<DefinitionError> {
    check(&form.fields)
}

/// Every problem of a list of fields, in their order (empty when it is sound).
pub fn check(fields: &[Field]) -> Vec<DefinitionError> {
    let mut all: Vec<(String, &Field)> = Vec::new();
    flatten(fields, "", &mut all);
    let mut errors = Vec::new();
    let error = |at: usize, column, problem| DefinitionError {
        path: all[at].0.clone(),
        at,
        column,
        problem,
    };
    for (i, (_, field)) in all.iter().enumerate() {
        if !is_field_name(&field.name) {
            errors.push(error(i, Column::Name, DefinitionProblem::BadName));
        }
        if let Some((first, _)) = all[..i].iter().find(|(_, f)| f.name == field.name) {
            errors.push(error(
                i,
                Column::Name,
                DefinitionProblem::Duplicate(first.clone()),
            ));
        }
        if field.kind == Type::Calculate && field.calculation.is_none() {
            errors.push(error(
                i,
                Column::Calculation,
                DefinitionProblem::NoCalculation,
            ));
        }
        for (column, problem) in fit(field) {
            errors.push(error(i, column, problem));
        }
        for (column, text) in columns(field) {
            match parse(text) {
                Err(e) => errors.push(error(i, column, DefinitionProblem::Expression(e))),
                Ok(expr) => {
                    for name in expr.references() {
                        if !all.iter().any(|(_, f)| f.name == name) {
                            errors.push(error(
                                i,
                                column,
                                DefinitionProblem::Missing(name.to_owned()),
                            ));
                        }
                    }
                }
            }
        }
    }
    for (i, (_, field)) in all.iter().enumerate() {
        if let Some(cycle) = cycle_from(&field.name, &all) {
            let column = if field.calculation.is_some() {
                Column::Calculation
            } else {
                Column::Relevant
            };
            errors.push(error(i, column, DefinitionProblem::Cycle(cycle)));
        }
    }
    errors
}

fn columns(field: &Field) -> Vec<(Column, &str)> {
    [
        (Column::Relevant, &field.relevant),
        (Column::Constraint, &field.constraint),
        (Column::Calculation, &field.calculation),
    ]
    .into_iter()
    .filter_map(|(c, t)| t.as_deref().map(|t| (c, t)))
    .collect()
}

/// How the columns of `field` fit its type.
fn fit(field: &Field) -> Vec<(Column, DefinitionProblem)> {
    let kind = field.kind;
    let mut out = Vec::new();
    if field.label.zh.trim().is_empty() && kind != Type::Calculate {
        out.push((Column::Label, DefinitionProblem::NoLabel));
    }
    if kind.has_choices() {
        if field.choices.is_empty() {
            out.push((Column::Choices, DefinitionProblem::NoChoices));
        }
        for (i, c) in field.choices.iter().enumerate() {
            if !is_field_name(&c.name) {
                out.push((
                    Column::Choices,
                    DefinitionProblem::BadChoiceName(c.name.clone()),
                ));
            } else if field.choices[..i].iter().any(|d| d.name == c.name) {
                out.push((
                    Column::Choices,
                    DefinitionProblem::DuplicateChoice(c.name.clone()),
                ));
            }
            if c.label.zh.trim().is_empty() {
                out.push((Column::Choices, DefinitionProblem::NoLabel));
            }
        }
    } else if !field.choices.is_empty() {
        out.push((Column::Choices, DefinitionProblem::NotForType));
    }
    if kind.has_fields() && field.fields.is_empty() {
        out.push((Column::Fields, DefinitionProblem::NoFields));
    } else if !kind.has_fields() && !field.fields.is_empty() {
        out.push((Column::Fields, DefinitionProblem::NotForType));
    }
    let not_for =
        |column, present: bool| present.then_some((column, DefinitionProblem::NotForType));
    let texty = matches!(kind, Type::Text | Type::LongText);
    out.extend(not_for(Column::Pattern, field.pattern.is_some() && !texty));
    out.extend(not_for(
        Column::Required,
        field.required && !kind.is_question(),
    ));
    out.extend(not_for(
        Column::Default,
        field.default.is_some() && !kind.is_question(),
    ));
    out.extend(not_for(
        Column::Constraint,
        field.constraint.is_some() && !kind.is_question(),
    ));
    out.extend(not_for(
        Column::Calculation,
        field.calculation.is_some() && kind != Type::Calculate,
    ));
    if kind == Type::Rating {
        // Stars from 1 to `max`: no `min`, and a `max` of 1 to 10 whole stars.
        out.extend(not_for(Column::Min, field.min.is_some()));
        let stars = match field.max {
            None => true,
            Some(Limit::Number(n)) => (1.0..=10.0).contains(&n) && n.fract() == 0.0,
            Some(Limit::Date(_)) => false,
        };
        if !stars {
            out.push((Column::Max, DefinitionProblem::BadLimit));
        }
        return out;
    }
    let limits = kind.limits();
    for (column, limit) in [(Column::Min, field.min), (Column::Max, field.max)] {
        let Some(limit) = limit else { continue };
        let fits = match (limits, limit) {
            (Limits::None, _) => {
                out.push((column, DefinitionProblem::NotForType));
                continue;
            }
            (Limits::Date, Limit::Date(_)) => true,
            (Limits::Value, Limit::Number(_)) => true,
            (Limits::Length | Limits::Choices | Limits::Count, Limit::Number(n)) => {
                n >= 0.0 && n.fract() == 0.0
            }
            _ => false,
        };
        if !fits {
            out.push((column, DefinitionProblem::BadLimit));
        }
    }
    let above = match (field.min, field.max) {
        (Some(Limit::Number(a)), Some(Limit::Number(b))) => a > b,
        (Some(Limit::Date(a)), Some(Limit::Date(b))) => a > b,
        _ => false,
    };
    if above {
        out.push((Column::Min, DefinitionProblem::MinAboveMax));
    }
    out
}

/// What a field's value depends on: its calculation's fields and its `relevant`'s (a
/// hidden field is empty, so whether it shows is part of its value).
fn depends_on(path: &str, field: &Field, all: &[(String, &Field)]) -> Vec<String> {
    // The groups it is in: a field inside a hidden group is hidden too.
    let groups = all
        .iter()
        .filter(|(p, _)| path.starts_with(&format!("{p}/")))
        .map(|(_, g)| &g.relevant);
    [&field.calculation, &field.relevant]
        .into_iter()
        .chain(groups)
        .flatten()
        .filter_map(|t| parse(t).ok())
        .flat_map(|e| {
            e.references()
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A path of dependencies from `start` back to itself, if there is one (each cycle is
/// reported at every field on it).
fn cycle_from(start: &str, all: &[(String, &Field)]) -> Option<Vec<String>> {
    let lookup = |name: &str| {
        all.iter()
            .find(|(_, f)| f.name == name)
            .map(|(p, f)| (p.as_str(), *f))
    };
    let mut stack: Vec<(String, Vec<String>)> = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen: Vec<String> = Vec::new();
    while let Some((name, trail)) = stack.pop() {
        let Some((path, field)) = lookup(&name) else {
            continue;
        };
        for next in depends_on(path, field, all) {
            if next == start {
                let mut cycle = trail.clone();
                cycle.push(next);
                return Some(cycle);
            }
            if !seen.contains(&next) {
                seen.push(next.clone());
                let mut t = trail.clone();
                t.push(next.clone());
                stack.push((next, t));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(name: &str) -> Field {
        Field::new(name, Type::Integer, "问题")
    }

    fn calc(name: &str, expr: &str) -> Field {
        Field {
            calculation: Some(expr.into()),
            ..Field::new(name, Type::Calculate, "")
        }
    }

    #[test]
    fn a_sound_definition_has_no_problems() {
        let mut visits = q("visits");
        visits.relevant = Some("selected(${needs}, 'visit')".into());
        visits.constraint = Some(". >= 0 and . <= 7".into());
        let group = Field {
            kind: Type::Repeat,
            fields: vec![q("member_age"), calc("older", "${member_age} >= 60")],
            ..q("members")
        };
        let fields = vec![
            q("age"),
            q("needs"),
            visits,
            group,
            calc("total", "${age} + 1"),
        ];
        assert_eq!(check(&fields), Vec::new());
    }

    #[test]
    fn each_problem_says_the_field_and_column() {
        let group = Field {
            kind: Type::Group,
            fields: vec![q("age"), q("2x")],
            ..q("household")
        };
        let mut shown = q("shown");
        shown.relevant = Some("${nowhere} = 1".into());
        let mut broken = q("broken");
        broken.constraint = Some(". >".into());
        let no_calc = Field {
            kind: Type::Calculate,
            ..q("empty_calc")
        };
        let errors = check(&[q("age"), group, shown, broken, no_calc]);
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.path.as_str(), e.column.id()))
            .collect();
        assert_eq!(
            found,
            [
                ("household/age", "name"),
                ("household/2x", "name"),
                ("shown", "relevant"),
                ("broken", "constraint"),
                ("empty_calc", "calculation"),
            ]
        );
        assert_eq!(
            errors[0].problem,
            DefinitionProblem::Duplicate("age".into())
        );
        assert_eq!(
            errors[2].problem,
            DefinitionProblem::Missing("nowhere".into())
        );
        assert!(matches!(
            &errors[3].problem,
            DefinitionProblem::Expression(e) if e.at == 3
        ));
    }

    #[test]
    fn a_calculation_that_depends_on_itself_is_a_cycle() {
        let fields = vec![
            calc("a", "${b} + 1"),
            calc("b", "${c} * 2"),
            calc("c", "${a}"),
            calc("d", "${a} + 1"),
        ];
        let errors = check(&fields);
        let cyclic: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            cyclic,
            ["a", "b", "c"],
            "d reads the cycle but is not on it"
        );
        assert_eq!(
            errors[0].problem,
            DefinitionProblem::Cycle(vec!["a".into(), "b".into(), "c".into(), "a".into()])
        );
        // A field shown only when it is answered is a cycle too.
        let mut itself = q("self");
        itself.relevant = Some("${self} = 1".into());
        assert_eq!(check(&[itself]).len(), 1);
    }
}
