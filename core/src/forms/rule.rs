//! Skip rules picked rather than written (the builder's 显示条件): a [`Rule`] is a list
//! of conditions — a field, how it compares, a value — all of which (or any of which)
//! must hold. It becomes an ordinary `relevant` expression of [`super::expr`] with
//! [`Rule::expression`], and [`Rule::read`] reads one back from an expression of the
//! same shapes, so a form imported from XLSForm or saved earlier opens in the picker
//! whenever its rule is one a picker could have made. Any other expression is kept as
//! written and shown as such.
//!
//! The shapes (XLSForm's, as ODK Build and KoboToolbox's form builder write them):
//!
//! | compare | expression |
//! |---|---|
//! | `Is` / `IsNot` | `${f} = 'v'` / `${f} != 'v'` (a number unquoted: `${age} = 60`) |
//! | `Includes` / `Excludes` | `selected(${f}, 'v')` / `not(selected(${f}, 'v'))` |
//! | `Less` … `GreaterOrEqual` | `${f} < 60`, `<=`, `>`, `>=` |
//! | `Answered` / `NotAnswered` | `${f} != ''` / `${f} = ''` |
//!
//! joined by ` and ` (all) or ` or ` (any).

use super::expr::{self, Expr, Function, Op};
use super::form::{Form, Type};

/// How a condition compares its field's answer with its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    /// The answer is the value (`=`).
    Is,
    /// The answer is not the value (`!=`; an unanswered question is not it either).
    IsNot,
    /// A multiple-choice answer includes the choice (`selected`).
    Includes,
    /// A multiple-choice answer does not include the choice.
    Excludes,
    /// `<`: numbers as numbers, dates and times in calendar order.
    Less,
    /// `<=`.
    LessOrEqual,
    /// `>`.
    Greater,
    /// `>=`.
    GreaterOrEqual,
    /// Answered at all.
    Answered,
    /// Not answered.
    NotAnswered,
}

impl Compare {
    /// Every comparison.
    pub const ALL: [Compare; 10] = [
        Compare::Is,
        Compare::IsNot,
        Compare::Includes,
        Compare::Excludes,
        Compare::Less,
        Compare::LessOrEqual,
        Compare::Greater,
        Compare::GreaterOrEqual,
        Compare::Answered,
        Compare::NotAnswered,
    ];

    /// Its id (`is`, `is_not`, `includes`, …), as a picker's option value.
    pub fn id(self) -> &'static str {
        match self {
            Compare::Is => "is",
            Compare::IsNot => "is_not",
            Compare::Includes => "includes",
            Compare::Excludes => "excludes",
            Compare::Less => "less",
            Compare::LessOrEqual => "less_or_equal",
            Compare::Greater => "greater",
            Compare::GreaterOrEqual => "greater_or_equal",
            Compare::Answered => "answered",
            Compare::NotAnswered => "not_answered",
        }
    }

    /// The comparison with the id `id`.
    pub fn from_id(id: &str) -> Option<Compare> {
        Compare::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Whether the comparison takes a value (`Answered` and `NotAnswered` do not).
    pub fn takes_value(self) -> bool {
        !matches!(self, Compare::Answered | Compare::NotAnswered)
    }

    /// The comparisons that make sense for a question of `kind`, the first the one a
    /// new condition starts with. Empty for fields that have no answer (notes, groups,
    /// repeats): a rule cannot read them.
    pub fn for_type(kind: Type) -> &'static [Compare] {
        use Compare::*;
        match kind {
            Type::SelectOne | Type::YesNo => &[Is, IsNot, Answered, NotAnswered],
            Type::SelectMultiple => &[Includes, Excludes, Answered, NotAnswered],
            Type::Integer
            | Type::Decimal
            | Type::Rating
            | Type::Date
            | Type::Time
            | Type::Calculate => &[
                Is,
                IsNot,
                Less,
                LessOrEqual,
                Greater,
                GreaterOrEqual,
                Answered,
                NotAnswered,
            ],
            Type::Text | Type::LongText | Type::Phone => &[Is, IsNot, Answered, NotAnswered],
            Type::Note | Type::Group | Type::Repeat => &[],
        }
    }
}

/// One condition: `field` (a field's name) compared by `compare` with `value` (a
/// choice's name, `yes` / `no`, a number as written, a date `YYYY-MM-DD`, a time
/// `HH:MM`, or text; empty when the comparison takes none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The name of the field read.
    pub field: String,
    /// How it is compared.
    pub compare: Compare,
    /// What it is compared with.
    pub value: String,
}

/// A skip rule: `conditions`, all of which must hold, or any one when `any`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rule {
    /// `or` between the conditions instead of `and`.
    pub any: bool,
    /// The conditions, in order.
    pub conditions: Vec<Condition>,
}

impl Rule {
    /// The `relevant` expression, the field types read from `form` (a number is
    /// written unquoted for number questions); `None` for a rule without conditions
    /// (the field is always shown).
    pub fn expression(&self, form: &Form) -> Option<String> {
        if self.conditions.is_empty() {
            return None;
        }
        let join = if self.any { " or " } else { " and " };
        let parts: Vec<String> = self.conditions.iter().map(|c| condition(c, form)).collect();
        Some(parts.join(join))
    }

    /// The rule an expression says in `form`, as [`Rule::read`] reads it, when every
    /// condition is one a picker offers there: its field exists, the comparison is
    /// among [`Compare::for_type`] of its type, and a choice or yes/no value is one of
    /// its options. Otherwise `None`: the expression stays written, never shown as a
    /// picker that means something else.
    pub fn read_in(text: &str, form: &Form) -> Option<Rule> {
        let rule = Rule::read(text)?;
        let fields = form.all_fields();
        let fits = |c: &Condition| {
            let Some((_, f)) = fields.iter().find(|(_, f)| f.name == c.field) else {
                return false;
            };
            let offered = match f.kind {
                Type::YesNo => c.value == "yes" || c.value == "no",
                Type::SelectOne | Type::SelectMultiple => {
                    f.choices.iter().any(|ch| ch.name == c.value)
                }
                _ => true,
            };
            Compare::for_type(f.kind).contains(&c.compare) && (!c.compare.takes_value() || offered)
        };
        rule.conditions.iter().all(fits).then_some(rule)
    }

    /// The rule an expression says, when it has one of the shapes above joined by only
    /// `and` or only `or`; `None` for anything else (or an expression that does not
    /// parse), which stays a written expression.
    pub fn read(text: &str) -> Option<Rule> {
        let parsed = expr::parse(text).ok()?;
        let mut parts = Vec::new();
        let any = matches!(&parsed, Expr::Binary(Op::Or, ..));
        let join = if any { Op::Or } else { Op::And };
        flatten(&parsed, join, &mut parts);
        let conditions = parts
            .into_iter()
            .map(read_condition)
            .collect::<Option<Vec<_>>>()?;
        Some(Rule { any, conditions })
    }
}

fn flatten<'e>(e: &'e Expr, join: Op, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::Binary(op, a, b) if *op == join => {
            flatten(a, join, out);
            flatten(b, join, out);
        }
        other => out.push(other),
    }
}

/// A value as a literal: a number unquoted for a number question, otherwise text in
/// the quote it does not contain (`’` stands for `'` when it has both).
fn literal(value: &str, number: bool) -> String {
    if number {
        if let Some(n) = expr::parse_number(value.trim()) {
            return expr::number_text(n);
        }
    }
    if !value.contains('\'') {
        format!("'{value}'")
    } else if !value.contains('"') {
        format!("\"{value}\"")
    } else {
        format!("'{}'", value.replace('\'', "’"))
    }
}

fn condition(c: &Condition, form: &Form) -> String {
    let number = form
        .all_fields()
        .iter()
        .find(|(_, f)| f.name == c.field)
        .is_some_and(|(_, f)| f.kind.is_number() || f.kind == Type::Rating);
    let field = format!("${{{}}}", c.field);
    // A value not yet given is left out: the expression does not parse, so the check
    // of the definition reports it at its field and nothing is published that means
    // "not answered" or "never" instead.
    let value = if c.compare.takes_value() && c.value.trim().is_empty() {
        String::new()
    } else {
        literal(&c.value, number)
    };
    let op = match c.compare {
        Compare::Is => "=",
        Compare::IsNot => "!=",
        Compare::Less => "<",
        Compare::LessOrEqual => "<=",
        Compare::Greater => ">",
        Compare::GreaterOrEqual => ">=",
        Compare::Includes => return format!("selected({field}, {value})"),
        Compare::Excludes => return format!("not(selected({field}, {value}))"),
        Compare::Answered => return format!("{field} != ''"),
        Compare::NotAnswered => return format!("{field} = ''"),
    };
    format!("{field} {op} {value}")
}

fn value_text(e: &Expr) -> Option<String> {
    match e {
        Expr::Text(t) => Some(t.clone()),
        Expr::Number(n) => Some(expr::number_text(*n)),
        _ => None,
    }
}

fn read_condition(e: &Expr) -> Option<Condition> {
    let selected = |args: &[Expr]| match args {
        [Expr::Field(f), v] => Some((f.clone(), value_text(v)?)),
        _ => None,
    };
    let (field, compare, value) = match e {
        Expr::Call(Function::Selected, args) => {
            let (f, v) = selected(args)?;
            (f, Compare::Includes, v)
        }
        Expr::Call(Function::Not, args) => match args.as_slice() {
            [Expr::Call(Function::Selected, inner)] => {
                let (f, v) = selected(inner)?;
                (f, Compare::Excludes, v)
            }
            _ => return None,
        },
        Expr::Binary(op, a, b) => {
            let Expr::Field(f) = a.as_ref() else {
                return None;
            };
            let v = value_text(b)?;
            let empty = matches!(b.as_ref(), Expr::Text(t) if t.is_empty());
            let compare = match (op, empty) {
                (Op::Eq, true) => Compare::NotAnswered,
                (Op::Ne, true) => Compare::Answered,
                (Op::Eq, false) => Compare::Is,
                (Op::Ne, false) => Compare::IsNot,
                (Op::Lt, false) => Compare::Less,
                (Op::Le, false) => Compare::LessOrEqual,
                (Op::Gt, false) => Compare::Greater,
                (Op::Ge, false) => Compare::GreaterOrEqual,
                _ => return None,
            };
            let v = if compare.takes_value() {
                v
            } else {
                String::new()
            };
            (f.clone(), compare, v)
        }
        _ => return None,
    };
    Some(Condition {
        field,
        compare,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::answers::{is_shown, Answer, Answers};
    use crate::forms::form::{Choice, Field, Text};

    fn form() -> Form {
        let mut visits = Field::new("visits", Type::SelectMultiple, "需要的服务");
        visits.choices = vec![
            Choice {
                name: "meal".into(),
                label: Text::zh("助餐"),
            },
            Choice {
                name: "clean".into(),
                label: Text::zh("保洁"),
            },
        ];
        Form {
            id: "f".into(),
            version: "1".into(),
            title: Text::zh("t"),
            description: None,
            fields: vec![
                Field::new("age", Type::Integer, "年龄"),
                Field::new("alone", Type::YesNo, "独居"),
                visits,
                Field::new("name", Type::Text, "姓名"),
                Field::new("more", Type::Text, "补充"),
            ],
        }
    }

    fn c(field: &str, compare: Compare, value: &str) -> Condition {
        Condition {
            field: field.into(),
            compare,
            value: value.into(),
        }
    }

    #[test]
    fn a_picked_rule_is_written_as_the_expression_xlsform_tools_write() {
        let f = form();
        let rule = Rule {
            any: false,
            conditions: vec![
                c("age", Compare::GreaterOrEqual, "60"),
                c("alone", Compare::Is, "yes"),
            ],
        };
        assert_eq!(
            rule.expression(&f).as_deref(),
            Some("${age} >= 60 and ${alone} = 'yes'")
        );
        let rule = Rule {
            any: true,
            conditions: vec![
                c("visits", Compare::Includes, "meal"),
                c("visits", Compare::Excludes, "clean"),
                c("name", Compare::Answered, ""),
                c("name", Compare::IsNot, "it's \"x\""),
            ],
        };
        assert_eq!(
            rule.expression(&f).as_deref(),
            Some(
                "selected(${visits}, 'meal') or not(selected(${visits}, 'clean')) or ${name} != '' or ${name} != 'it’s \"x\"'"
            )
        );
        assert_eq!(Rule::default().expression(&f), None);
    }

    #[test]
    fn every_written_rule_parses_and_reads_back_as_picked() {
        let f = form();
        let all = [
            c("age", Compare::Is, "60"),
            c("age", Compare::IsNot, "1.5"),
            c("age", Compare::Less, "60"),
            c("age", Compare::LessOrEqual, "60"),
            c("age", Compare::Greater, "60"),
            c("age", Compare::GreaterOrEqual, "60"),
            c("alone", Compare::Is, "no"),
            c("visits", Compare::Includes, "meal"),
            c("visits", Compare::Excludes, "meal"),
            c("name", Compare::Answered, ""),
            c("name", Compare::NotAnswered, ""),
            c("name", Compare::Is, "张三"),
        ];
        for any in [false, true] {
            for n in 1..=all.len() {
                let rule = Rule {
                    any,
                    conditions: all[..n].to_vec(),
                };
                let text = rule.expression(&f).unwrap();
                assert!(expr::parse(&text).is_ok(), "{text}");
                let read = Rule::read(&text).unwrap();
                // One condition is the same rule whichever the join.
                assert_eq!(read.conditions, rule.conditions, "{text}");
                if n > 1 {
                    assert_eq!(read.any, any, "{text}");
                }
            }
        }
    }

    #[test]
    fn other_expressions_stay_written_and_are_not_read_as_a_rule() {
        for text in [
            "${age} >= 60 and ${alone} = 'yes' or ${name} != ''",
            "${age} + 1 > 60",
            "60 <= ${age}",
            "count-selected(${visits}) > 1",
            "not(${alone} = 'yes')",
            "${age} > ''",
            "${age} >=",
        ] {
            assert_eq!(Rule::read(text), None, "{text}");
        }
    }

    #[test]
    fn a_generated_rule_shows_and_hides_as_the_conditions_say() {
        let mut f = form();
        let rule = Rule {
            any: false,
            conditions: vec![
                c("age", Compare::GreaterOrEqual, "60"),
                c("visits", Compare::Includes, "meal"),
            ],
        };
        f.fields[4].relevant = rule.expression(&f);
        let mut answers = Answers::default();
        let v = |t: &str| Answer::Value(t.into());
        answers.set("age", v("72"));
        answers.set("visits", v("clean meal"));
        assert!(is_shown(&f, &answers, "more", "2026-12-02"));
        answers.set("age", v("59"));
        assert!(!is_shown(&f, &answers, "more", "2026-12-02"));
        answers.set("age", v(""));
        assert!(!is_shown(&f, &answers, "more", "2026-12-02"));
    }

    #[test]
    fn a_condition_without_its_value_is_a_problem_not_another_meaning() {
        let f = form();
        for compare in [Compare::Is, Compare::Less, Compare::Includes] {
            let rule = Rule {
                any: false,
                conditions: vec![c("age", compare, " ")],
            };
            let text = rule.expression(&f).unwrap();
            assert!(expr::parse(&text).is_err(), "{text}");
        }
    }

    #[test]
    fn a_rule_is_read_in_a_form_only_as_its_picker_could_show_it() {
        let f = form();
        for (text, picked) in [
            ("${alone} = 'yes'", true),
            ("selected(${visits}, 'meal')", true),
            ("${nobody} = 'yes'", false),
            ("${alone} = 'maybe'", false),
            ("selected(${visits}, 'taxi')", false),
            ("${name} < 'x'", false),
            ("${visits} = 'meal'", false),
        ] {
            assert_eq!(Rule::read_in(text, &f).is_some(), picked, "{text}");
        }
    }

    #[test]
    fn only_questions_with_answers_can_be_compared() {
        assert!(Compare::for_type(Type::Note).is_empty());
        assert!(Compare::for_type(Type::Repeat).is_empty());
        assert_eq!(
            Compare::for_type(Type::SelectMultiple)[0],
            Compare::Includes
        );
        assert!(!Compare::Answered.takes_value());
        for c in Compare::ALL {
            assert_eq!(Compare::from_id(c.id()), Some(c));
        }
    }
}
