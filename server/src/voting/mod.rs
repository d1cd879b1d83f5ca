//! Owners' assembly voting (issue 12), the server's side. So far: the roster and ballot
//! files a result can be checked with, and the JSON of a tally that `linli-server vote
//! tally` prints (the same core function the scenario will use).

pub mod files;

use linli_core::json::Value;
use linli_core::voting::{Check, Comparison, Measure, Tally};
use linli_core::Lang;

/// A check as JSON: its value, whole, percentage, threshold and whether it is met.
fn check(c: &Check) -> Value {
    let comparison = match c.comparison {
        Comparison::AtLeast => "at_least",
        Comparison::MoreThan => "more_than",
    };
    Value::object(vec![
        ("value", Value::Number(c.value as f64)),
        ("of", Value::Number(c.of as f64)),
        (
            "threshold",
            Value::String(format!("{}/{}", c.threshold.num, c.threshold.den)),
        ),
        ("comparison", Value::String(comparison.into())),
        ("passed", Value::Bool(c.passed)),
    ])
}

fn measure(m: Measure) -> Value {
    Value::object(vec![
        ("area", Value::Number(m.area as f64)),
        ("owners", Value::Number(m.owners as f64)),
    ])
}

fn both(text: impl Fn(Lang) -> String) -> Value {
    Value::object(vec![
        ("zh-CN", Value::String(text(Lang::ZhCn))),
        ("en", Value::String(text(Lang::En))),
    ])
}

/// The tally as JSON: `quorum`, `passed`, `participation` and `agreement` (each an
/// `area` and an `owners` check: value and whole in 0.01 m² or owners, the threshold
/// as a fraction), the totals, and the `explanation` in both languages. Areas are in
/// 0.01 m².
pub fn tally_json(t: &Tally) -> Value {
    let mut members = vec![
        ("matter", Value::Number(f64::from(t.matter.item()))),
        (
            "matter_name",
            both(|lang| lang.t(t.matter.text()).to_owned()),
        ),
        ("quorum", Value::Bool(t.quorum)),
        ("passed", Value::Bool(t.passed)),
        ("total", measure(t.total)),
        (
            "participation",
            Value::object(vec![
                ("area", check(&t.checks[0])),
                ("owners", check(&t.checks[1])),
            ]),
        ),
        (
            "agreement",
            Value::object(vec![
                ("area", check(&t.checks[2])),
                ("owners", check(&t.checks[3])),
            ]),
        ),
        ("agree", measure(t.agree)),
        ("oppose", measure(t.oppose)),
        ("abstain", measure(t.abstain)),
        ("explanation", both(|lang| t.explanation(lang))),
    ];
    if let Some(rule) = &t.silent_rule {
        members.push((
            "assembly_rule",
            Value::object(vec![
                (
                    "silent_counted_as_agreeing",
                    Value::Bool(rule.counted_as_agreeing),
                ),
                ("area", check(&rule.checks[0])),
                ("owners", check(&rule.checks[1])),
                ("passed", Value::Bool(rule.passed)),
            ]),
        ));
    }
    Value::object(members)
}
