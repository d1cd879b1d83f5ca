use super::*;

/// Answers of a test: name → value, the current value, and a fixed today.
struct Given(Vec<(&'static str, Value)>, Value);

impl Scope for Given {
    fn get(&self, name: &str) -> Value {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Value::Empty, |(_, v)| v.clone())
    }
    fn current(&self) -> Value {
        self.1.clone()
    }
    fn today(&self) -> String {
        "2026-12-02".into()
    }
}

fn given() -> Given {
    Given(
        vec![
            ("age", Value::Number(72.0)),
            ("name", Value::Text("张桂英".into())),
            (
                "needs",
                Value::Choices(vec!["meals".into(), "visit".into()]),
            ),
            ("hidden", Value::Empty),
            ("born", Value::Text("1954-03-01".into())),
        ],
        Value::Number(5.0),
    )
}

fn eval(text: &str) -> Value {
    parse(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .eval(&given())
}

fn error(text: &str) -> ParseError {
    parse(text).expect_err(text)
}

#[test]
fn precedence_is_xpaths() {
    assert_eq!(eval("1 + 2 * 3"), Value::Number(7.0));
    assert_eq!(eval("(1 + 2) * 3"), Value::Number(9.0));
    assert_eq!(eval("10 - 4 - 3"), Value::Number(3.0), "left to right");
    assert_eq!(eval("7 mod 4 + 10 div 4"), Value::Number(5.5));
    assert_eq!(eval("-2 * 3"), Value::Number(-6.0));
    assert_eq!(eval("1 + 1 = 2 and 3 > 2"), Value::Bool(true));
    // `and` binds tighter than `or`.
    assert_eq!(eval("1 = 1 or 1 = 2 and 1 = 2"), Value::Bool(true));
    assert_eq!(eval("(1 = 1 or 1 = 2) and 1 = 2"), Value::Bool(false));
    // Comparisons bind tighter than equality: (2 < 3) = true.
    assert_eq!(eval("2 < 3 = 1"), Value::Bool(true));
}

#[test]
fn fields_text_and_comparisons() {
    assert_eq!(eval("${age} >= 60"), Value::Bool(true));
    assert_eq!(eval("${age} < 60"), Value::Bool(false));
    assert_eq!(eval("${name} = '张桂英'"), Value::Bool(true));
    assert_eq!(eval("${name} != \"李\""), Value::Bool(true));
    assert_eq!(
        eval("${born} < today()"),
        Value::Bool(true),
        "dates compare as text"
    );
    assert_eq!(eval(". <= 5"), Value::Bool(true));
    assert_eq!(
        eval("'10' > 9"),
        Value::Bool(true),
        "numeric text compares as a number"
    );
}

#[test]
fn each_function() {
    assert_eq!(eval("selected(${needs}, 'meals')"), Value::Bool(true));
    assert_eq!(eval("selected(${needs}, 'repair')"), Value::Bool(false));
    assert_eq!(eval("count-selected(${needs})"), Value::Number(2.0));
    assert_eq!(
        eval("string-length(${name})"),
        Value::Number(3.0),
        "characters, not bytes"
    );
    assert_eq!(
        eval("if(${age} > 70, 'elder', 'adult')"),
        Value::Text("elder".into())
    );
    assert_eq!(eval("not(${age} > 70)"), Value::Bool(false));
    assert_eq!(eval("today()"), Value::Text("2026-12-02".into()));
}

#[test]
fn an_empty_answer_is_empty_in_every_calculation() {
    // Hidden or unanswered: never the answer typed before it was hidden.
    assert_eq!(eval("${hidden} + 1"), Value::Empty);
    assert_eq!(eval("-${hidden}"), Value::Empty);
    assert_eq!(eval("${hidden} > 0"), Value::Bool(false));
    assert_eq!(eval("${hidden} < 0"), Value::Bool(false));
    assert_eq!(eval("${hidden} = ''"), Value::Bool(true));
    assert_eq!(eval("string-length(${hidden})"), Value::Number(0.0));
    assert_eq!(eval("count-selected(${hidden})"), Value::Number(0.0));
    assert_eq!(eval("selected(${hidden}, 'x')"), Value::Bool(false));
    assert!(!eval("${hidden}").truthy());
    assert_eq!(eval("1 div 0"), Value::Empty, "no infinities");
}

#[test]
fn errors_say_where() {
    assert_eq!(error("").problem, Problem::Empty);
    assert_eq!(error("${age} >").at, 8);
    assert_eq!(error("${age} >").problem, Problem::MissingValue);
    assert_eq!(error("(1 + 2").problem, Problem::Unclosed);
    assert_eq!(error("(1 + 2").at, 0);
    assert_eq!(error("1 + 'abc").problem, Problem::UnclosedText);
    assert_eq!(error("1 + 'abc").at, 4);
    assert_eq!(error("${ag").problem, Problem::BadField);
    assert_eq!(error("${1x}").problem, Problem::BadField);
    assert_eq!(error("1 2").at, 2);
    assert_eq!(error("1 2").problem, Problem::Trailing);
    assert_eq!(error("a + b").problem, Problem::UnknownName("a".into()));
    assert_eq!(
        error("${a} & 1"),
        ParseError {
            at: 5,
            problem: Problem::Unexpected('&')
        }
    );
    let e = error("if(${a}, 1)");
    assert_eq!(e.problem, Problem::Arity("if".into(), 3));
    assert_eq!(e.to_string(), "character 1: if() takes 3 argument(s)");
    assert_eq!(
        error("selected('a', 'b')").problem,
        Problem::NotAField("selected".into())
    );
    // No other function runs: no way out of the form's answers.
    assert_eq!(
        error("concat('a', 'b')").problem,
        Problem::UnknownName("concat".into())
    );
    assert_eq!(error("/data/age").problem, Problem::Unexpected('/'));
    // Positions count characters, not bytes.
    assert_eq!(error("'长者' +").at, 6);
}

#[test]
fn references_list_each_field_once_in_order() {
    let e = parse("${b} + ${a} * ${b} > count-selected(${c})").unwrap();
    assert_eq!(e.references(), ["b", "a", "c"]);
    assert!(parse(". > 1").unwrap().references().is_empty());
}

#[test]
fn numbers_read_and_show_without_the_float_machinery() {
    use super::{number_text, parse_number};
    assert_eq!(parse_number("72"), Some(72.0));
    assert_eq!(parse_number("-1.25"), Some(-1.25));
    assert_eq!(parse_number(".5"), Some(0.5));
    assert_eq!(parse_number("3."), Some(3.0));
    for bad in ["", "-", ".", "1e3", "inf", "1.2.3", "12a", " 1"] {
        assert_eq!(parse_number(bad), None, "{bad}");
    }
    assert_eq!(number_text(6.0), "6");
    assert_eq!(number_text(-2.5), "-2.5");
    assert_eq!(number_text(1.0 / 3.0), "0.333333");
    assert_eq!(number_text(0.1 + 0.2), "0.3");
}
