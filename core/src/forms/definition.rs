//! The checks of a form's definition itself, before anyone answers it: every field
//! name once, every expression parses, every field an expression reads exists, and no
//! calculation depends on itself (a cycle would have no answer). Each problem says
//! where: the field's path (`household/members/age`) and which column.
//!
//! The definition here is the part these checks read: names, kinds and expressions,
//! groups and repeats with their fields. (Labels, choices and limits come with the
//! JSON form and the renderer.)

use super::expr::{is_field_name, parse, ParseError};

/// What kind of field, as far as the checks need to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A question that takes an answer (text, integer, decimal, choices, date, …).
    Question,
    /// Display only (`note`): no answer.
    Note,
    /// Computed from other answers (`calculate`).
    Calculate,
    /// A group of fields shown together (`begin_group`).
    Group,
    /// A group answered any number of times (`begin_repeat`).
    Repeat,
}

/// A field of a definition, with the expressions of its columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Its name (`age`), unique in the form.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    /// When it is shown (skip logic).
    pub relevant: Option<String>,
    /// What its answer must satisfy (`.` is the answer).
    pub constraint: Option<String>,
    /// How a `calculate` field is computed.
    pub calculation: Option<String>,
    /// A group's or repeat's fields.
    pub fields: Vec<Field>,
}

/// Which column of a field a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// `name`.
    Name,
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
}

/// Every problem of a definition, in the order of its fields (empty when it is sound).
pub fn check(fields: &[Field]) -> Vec<DefinitionError> {
    let mut all: Vec<(String, &Field)> = Vec::new();
    flatten(fields, "", &mut all);
    let mut errors = Vec::new();
    let error = |path: &str, column, problem| DefinitionError {
        path: path.to_owned(),
        column,
        problem,
    };
    for (i, (path, field)) in all.iter().enumerate() {
        if !is_field_name(&field.name) {
            errors.push(error(path, Column::Name, DefinitionProblem::BadName));
        }
        if let Some((first, _)) = all[..i].iter().find(|(_, f)| f.name == field.name) {
            errors.push(error(
                path,
                Column::Name,
                DefinitionProblem::Duplicate(first.clone()),
            ));
        }
        if field.kind == Kind::Calculate && field.calculation.is_none() {
            errors.push(error(
                path,
                Column::Calculation,
                DefinitionProblem::NoCalculation,
            ));
        }
        for (column, text) in columns(field) {
            match parse(text) {
                Err(e) => errors.push(error(path, column, DefinitionProblem::Expression(e))),
                Ok(expr) => {
                    for name in expr.references() {
                        if !all.iter().any(|(_, f)| f.name == name) {
                            errors.push(error(
                                path,
                                column,
                                DefinitionProblem::Missing(name.to_owned()),
                            ));
                        }
                    }
                }
            }
        }
    }
    for (path, field) in &all {
        if let Some(cycle) = cycle_from(&field.name, &all) {
            let column = if field.calculation.is_some() {
                Column::Calculation
            } else {
                Column::Relevant
            };
            errors.push(error(path, column, DefinitionProblem::Cycle(cycle)));
        }
    }
    errors
}

fn flatten<'a>(fields: &'a [Field], prefix: &str, out: &mut Vec<(String, &'a Field)>) {
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

/// What a field's value depends on: its calculation's fields and its `relevant`'s (a
/// hidden field is empty, so whether it shows is part of its value).
fn depends_on(field: &Field) -> Vec<String> {
    [&field.calculation, &field.relevant]
        .into_iter()
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
    let lookup = |name: &str| all.iter().find(|(_, f)| f.name == name).map(|(_, f)| *f);
    let mut stack: Vec<(String, Vec<String>)> = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen: Vec<String> = Vec::new();
    while let Some((name, trail)) = stack.pop() {
        let Some(field) = lookup(&name) else {
            continue;
        };
        for next in depends_on(field) {
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
        Field {
            name: name.into(),
            kind: Kind::Question,
            relevant: None,
            constraint: None,
            calculation: None,
            fields: Vec::new(),
        }
    }

    fn calc(name: &str, expr: &str) -> Field {
        Field {
            kind: Kind::Calculate,
            calculation: Some(expr.into()),
            ..q(name)
        }
    }

    #[test]
    fn a_sound_definition_has_no_problems() {
        let mut visits = q("visits");
        visits.relevant = Some("selected(${needs}, 'visit')".into());
        visits.constraint = Some(". >= 0 and . <= 7".into());
        let group = Field {
            kind: Kind::Repeat,
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
            kind: Kind::Group,
            fields: vec![q("age"), q("2x")],
            ..q("household")
        };
        let mut shown = q("shown");
        shown.relevant = Some("${nowhere} = 1".into());
        let mut broken = q("broken");
        broken.constraint = Some(". >".into());
        let no_calc = Field {
            kind: Kind::Calculate,
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
