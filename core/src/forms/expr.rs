//! The expression language of a form's `relevant` (skip logic), `constraint` and
//! `calculation`, the subset of XLSForm's XPath a form may use (XLSForm spec,
//! "Formulas"; XPath 1.0 operator precedence):
//!
//! | form | meaning |
//! | --- | --- |
//! | `${age}` | the answer to field `age` (empty when unanswered or hidden) |
//! | `.` | the answer being checked (in a `constraint`) |
//! | `12`, `1.5`, `'yes'`, `"是"` | numbers and text |
//! | `or`, `and` | either, both (lowest precedence, `or` below `and`) |
//! | `=`, `!=`, `<`, `<=`, `>`, `>=` | comparisons (numbers as numbers, else text) |
//! | `+`, `-`, `*`, `div`, `mod`, unary `-` | arithmetic |
//! | `not(x)` | the opposite of `x` |
//! | `selected(${f}, 'x')` | choice `x` is among the answers of multiple choice `f` |
//! | `count-selected(${f})` | how many choices `f` has |
//! | `string-length(x)` | characters in `x` |
//! | `if(c, a, b)` | `a` when `c`, else `b` |
//! | `today()` | today's date in the deployment, `YYYY-MM-DD` |
//!
//! Nothing else parses: no other function, no path, no variable, so an expression can
//! only read the form's answers. [`parse`] says where an expression is wrong (a
//! character position, counted in characters from 0); [`Expr::references`] lists the
//! fields it reads (for checking a definition: missing fields, cycles); [`Expr::eval`]
//! computes it against the answers. An empty answer is empty in every calculation: it
//! is `''` as text, not a number (so arithmetic on it is empty and a comparison with a
//! number is false), and false as a condition.

use std::fmt;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
    /// `${name}`.
    Field(String),
    /// `.`, the answer being checked.
    Current,
    /// A unary minus.
    Negate(Box<Expr>),
    /// A binary operation.
    Binary(Op, Box<Expr>, Box<Expr>),
    /// A function call.
    Call(Function, Vec<Expr>),
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `or`.
    Or,
    /// `and`.
    And,
    /// `=`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `div`.
    Div,
    /// `mod`.
    Mod,
}

/// A function of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// `not(x)`.
    Not,
    /// `selected(field, choice)`.
    Selected,
    /// `count-selected(field)`.
    CountSelected,
    /// `string-length(x)`.
    StringLength,
    /// `if(condition, then, else)`.
    If,
    /// `today()`.
    Today,
}

impl Function {
    /// Every function, by its name in an expression, with how many arguments it takes.
    pub const ALL: [(Function, &'static str, usize); 6] = [
        (Function::Not, "not", 1),
        (Function::Selected, "selected", 2),
        (Function::CountSelected, "count-selected", 1),
        (Function::StringLength, "string-length", 1),
        (Function::If, "if", 3),
        (Function::Today, "today", 0),
    ];

    /// The function named `name`.
    pub fn named(name: &str) -> Option<(Function, usize)> {
        Function::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(f, _, arity)| (*f, *arity))
    }
}

/// Why an expression does not parse, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The position of the fault, in characters from 0.
    pub at: usize,
    /// What is wrong.
    pub problem: Problem,
}

/// What is wrong with an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The expression is empty.
    Empty,
    /// A character the language does not have.
    Unexpected(char),
    /// Something where an operator or the end was expected.
    Trailing,
    /// The expression ends where a value was expected.
    MissingValue,
    /// A `(` without its `)`.
    Unclosed,
    /// Text without its closing quote.
    UnclosedText,
    /// `${` without `}`, or an empty or ill-formed field name.
    BadField,
    /// A name that is not a function, operator or field of the language.
    UnknownName(String),
    /// A function with the wrong number of arguments: (name, expected).
    Arity(String, usize),
    /// `selected` or `count-selected` on something other than a field.
    NotAField(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.at + 1;
        match &self.problem {
            Problem::Empty => write!(f, "the expression is empty"),
            Problem::Unexpected(c) => write!(f, "character {at}: “{c}” is not allowed here"),
            Problem::Trailing => write!(f, "character {at}: an operator or the end was expected"),
            Problem::MissingValue => write!(f, "character {at}: a value was expected"),
            Problem::Unclosed => write!(f, "character {at}: this “(” is not closed"),
            Problem::UnclosedText => write!(f, "character {at}: this text has no closing quote"),
            Problem::BadField => write!(f, "character {at}: a field is written ${{name}}"),
            Problem::UnknownName(n) => write!(
                f,
                "character {at}: “{n}” is not a function or operator of forms"
            ),
            Problem::Arity(n, k) => write!(f, "character {at}: {n}() takes {k} argument(s)"),
            Problem::NotAField(n) => {
                write!(f, "character {at}: {n}() needs a field, like ${{name}}")
            }
        }
    }
}

/// A token with its position in characters.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(f64),
    Text(String),
    Field(String),
    Name(String),
    Dot,
    Comma,
    Open,
    Close,
    Op(Op),
    Minus,
}

fn tokens(text: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |at, problem| ParseError { at, problem };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let token = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '$' => {
                if chars.get(i + 1) != Some(&'{') {
                    return Err(err(start, Problem::BadField));
                }
                let close = chars[i + 2..]
                    .iter()
                    .position(|&c| c == '}')
                    .ok_or(err(start, Problem::BadField))?;
                let name: String = chars[i + 2..i + 2 + close].iter().collect();
                if !is_field_name(&name) {
                    return Err(err(start, Problem::BadField));
                }
                i += close + 3;
                Token::Field(name)
            }
            '\'' | '"' => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|&q| q == c)
                    .ok_or(err(start, Problem::UnclosedText))?;
                let s: String = chars[i + 1..i + 1 + close].iter().collect();
                i += close + 2;
                Token::Text(s)
            }
            c if c.is_ascii_digit()
                || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let mut end = i;
                while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == '.') {
                    end += 1;
                }
                let s: String = chars[i..end].iter().collect();
                let n = parse_number(&s).ok_or_else(|| err(start, Problem::Unexpected('.')))?;
                i = end;
                Token::Number(n)
            }
            '.' => {
                i += 1;
                Token::Dot
            }
            ',' => {
                i += 1;
                Token::Comma
            }
            '(' => {
                i += 1;
                Token::Open
            }
            ')' => {
                i += 1;
                Token::Close
            }
            '=' => {
                i += 1;
                Token::Op(Op::Eq)
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                i += 2;
                Token::Op(Op::Ne)
            }
            '<' | '>' => {
                let eq = chars.get(i + 1) == Some(&'=');
                i += 1 + usize::from(eq);
                Token::Op(match (c, eq) {
                    ('<', false) => Op::Lt,
                    ('<', true) => Op::Le,
                    (_, false) => Op::Gt,
                    (_, true) => Op::Ge,
                })
            }
            '+' => {
                i += 1;
                Token::Op(Op::Add)
            }
            '-' => {
                i += 1;
                Token::Minus
            }
            '*' => {
                i += 1;
                Token::Op(Op::Mul)
            }
            c if c.is_ascii_alphabetic() => {
                let mut end = i;
                while end < chars.len()
                    && (chars[end].is_ascii_alphanumeric()
                        || chars[end] == '-'
                        || chars[end] == '_')
                {
                    end += 1;
                }
                let name: String = chars[i..end].iter().collect();
                i = end;
                match name.as_str() {
                    "and" => Token::Op(Op::And),
                    "or" => Token::Op(Op::Or),
                    "div" => Token::Op(Op::Div),
                    "mod" => Token::Op(Op::Mod),
                    _ => Token::Name(name),
                }
            }
            other => return Err(err(start, Problem::Unexpected(other))),
        };
        out.push((start, token));
    }
    Ok(out)
}

/// A decimal number as forms write it: an optional sign, digits, an optional `.` and
/// digits (no exponent, no `inf`, at most 30 characters); `None` for anything else.
/// (Our own few lines rather than `str::parse::<f64>`, whose general algorithm would
/// add kilobytes to the residents' download for answers that are never that hard.)
pub fn parse_number(text: &str) -> Option<f64> {
    if text.len() > 30 {
        return None;
    }
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut n = 0.0_f64;
    for b in whole.bytes().chain(fraction.bytes()) {
        n = n * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 1.0_f64;
    for _ in 0..fraction.len() {
        scale *= 10.0;
    }
    let n = n / scale;
    Some(if negative { -n } else { n })
}

/// A number as forms show it: whole numbers without a fraction, others to at most six
/// decimals without trailing zeros (`2.5`, `0.333333`). Our own lines for the same
/// reason as [`parse_number`]: float formatting is kilobytes of the download.
pub fn number_text(n: f64) -> String {
    if !n.is_finite() {
        return String::new();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    let a = n.abs();
    if a >= 1e15 || a.fract() == 0.0 {
        return format!("{sign}{}", a.round() as u64);
    }
    let scaled = (a * 1e6).round() as u64;
    let (whole, fraction) = (scaled / 1_000_000, scaled % 1_000_000);
    if fraction == 0 {
        return format!("{sign}{whole}");
    }
    let mut f = format!("{fraction:06}");
    while f.ends_with('0') {
        f.pop();
    }
    format!("{sign}{whole}.{f}")
}

/// Whether `name` may name a field: a letter or `_`, then letters, digits, `_`, `-`
/// or `.` (XLSForm's `name` column).
pub fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Parses an expression; the error says where it is wrong.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let tokens = tokens(text)?;
    let end = text.chars().count();
    if tokens.is_empty() {
        return Err(ParseError {
            at: 0,
            problem: Problem::Empty,
        });
    }
    let mut p = Parser {
        tokens,
        next: 0,
        end,
    };
    let expr = p.binary(0)?;
    match p.tokens.get(p.next) {
        None => Ok(expr),
        Some((at, _)) => Err(ParseError {
            at: *at,
            problem: Problem::Trailing,
        }),
    }
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    next: usize,
    end: usize,
}

/// Binding strength of an operator: XPath 1.0's order.
fn strength(op: Op) -> u8 {
    match op {
        Op::Or => 1,
        Op::And => 2,
        Op::Eq | Op::Ne => 3,
        Op::Lt | Op::Le | Op::Gt | Op::Ge => 4,
        Op::Add | Op::Sub => 5,
        Op::Mul | Op::Div | Op::Mod => 6,
    }
}

impl Parser {
    fn at(&self) -> usize {
        self.tokens.get(self.next).map_or(self.end, |t| t.0)
    }

    fn peek_op(&self) -> Option<Op> {
        match self.tokens.get(self.next) {
            Some((_, Token::Op(op))) => Some(*op),
            Some((_, Token::Minus)) => Some(Op::Sub),
            _ => None,
        }
    }

    /// Operators binding at least as strongly as `min`, left to right.
    fn binary(&mut self, min: u8) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        while let Some(op) = self.peek_op().filter(|op| strength(*op) > min) {
            self.next += 1;
            let right = self.binary(strength(op))?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if matches!(self.tokens.get(self.next), Some((_, Token::Minus))) {
            self.next += 1;
            return Ok(Expr::Negate(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let at = self.at();
        let missing = ParseError {
            at,
            problem: Problem::MissingValue,
        };
        let Some((_, token)) = self.tokens.get(self.next).cloned() else {
            return Err(missing);
        };
        self.next += 1;
        match token {
            Token::Number(n) => Ok(Expr::Number(n)),
            Token::Text(s) => Ok(Expr::Text(s)),
            Token::Field(name) => Ok(Expr::Field(name)),
            Token::Dot => Ok(Expr::Current),
            Token::Open => {
                let inner = self.binary(0)?;
                self.close(at)?;
                Ok(inner)
            }
            Token::Name(name) => self.call(at, name),
            Token::Comma | Token::Close | Token::Op(_) | Token::Minus => {
                self.next -= 1;
                Err(missing)
            }
        }
    }

    fn close(&mut self, open_at: usize) -> Result<(), ParseError> {
        match self.tokens.get(self.next) {
            Some((_, Token::Close)) => {
                self.next += 1;
                Ok(())
            }
            _ => Err(ParseError {
                at: open_at,
                problem: Problem::Unclosed,
            }),
        }
    }

    fn call(&mut self, at: usize, name: String) -> Result<Expr, ParseError> {
        let Some((function, arity)) = Function::named(&name) else {
            return Err(ParseError {
                at,
                problem: Problem::UnknownName(name),
            });
        };
        let open_at = self.at();
        if !matches!(self.tokens.get(self.next), Some((_, Token::Open))) {
            return Err(ParseError {
                at,
                problem: Problem::UnknownName(name),
            });
        }
        self.next += 1;
        let mut args = Vec::new();
        if !matches!(self.tokens.get(self.next), Some((_, Token::Close))) {
            loop {
                args.push(self.binary(0)?);
                if matches!(self.tokens.get(self.next), Some((_, Token::Comma))) {
                    self.next += 1;
                } else {
                    break;
                }
            }
        }
        self.close(open_at)?;
        if args.len() != arity {
            return Err(ParseError {
                at,
                problem: Problem::Arity(name, arity),
            });
        }
        if matches!(function, Function::Selected | Function::CountSelected)
            && !matches!(args.first(), Some(Expr::Field(_) | Expr::Current))
        {
            return Err(ParseError {
                at,
                problem: Problem::NotAField(name),
            });
        }
        Ok(Expr::Call(function, args))
    }
}

/// A value while computing: empty (unanswered or hidden), a number, text, a truth, or
/// the choices of a multiple-choice answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// No answer.
    Empty,
    /// A number.
    Number(f64),
    /// Text (a date is its `YYYY-MM-DD` text).
    Text(String),
    /// A truth.
    Bool(bool),
    /// The choices picked in a multiple-choice answer.
    Choices(Vec<String>),
}

impl Value {
    /// As a condition: empty, zero, `''` and no choices are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Empty => false,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::Text(s) => !s.is_empty(),
            Value::Bool(b) => *b,
            Value::Choices(c) => !c.is_empty(),
        }
    }

    /// As a number: `None` for empty or for text that is not a number.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(n) if !n.is_nan() => Some(*n),
            Value::Text(s) => parse_number(s.trim()),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            _ => None,
        }
    }

    /// As text: empty is `''`, choices are space-separated (XLSForm's encoding).
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Number(n) => number_text(*n),
            Value::Text(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Choices(c) => c.join(" "),
        }
    }
}

/// What an expression reads: each field's answer (empty when unanswered or hidden by
/// `relevant`), the answer being checked, and today.
pub trait Scope {
    /// The answer to field `name`; [`Value::Empty`] when unanswered or hidden.
    fn get(&self, name: &str) -> Value;
    /// The answer a `constraint` is checking (`.`).
    fn current(&self) -> Value {
        Value::Empty
    }
    /// Today in the deployment, `YYYY-MM-DD`.
    fn today(&self) -> String;
}

impl Expr {
    /// The fields the expression reads, each once, in the order they appear.
    pub fn references(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Field(name) = e {
                if !out.contains(&name.as_str()) {
                    out.push(name);
                }
            }
        });
        out
    }

    fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match self {
            Expr::Negate(e) => e.walk(f),
            Expr::Binary(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.walk(f)),
            _ => {}
        }
    }

    /// Computes the expression against `answers`. Never fails: what XPath would make
    /// NaN (arithmetic on an empty answer or on text) is empty.
    pub fn eval(&self, answers: &dyn Scope) -> Value {
        match self {
            Expr::Number(n) => Value::Number(*n),
            Expr::Text(s) => Value::Text(s.clone()),
            Expr::Field(name) => answers.get(name),
            Expr::Current => answers.current(),
            Expr::Negate(e) => match e.eval(answers).number() {
                Some(n) => Value::Number(-n),
                None => Value::Empty,
            },
            Expr::Binary(op, a, b) => binary(*op, a, b, answers),
            Expr::Call(f, args) => call(*f, args, answers),
        }
    }
}

fn binary(op: Op, a: &Expr, b: &Expr, answers: &dyn Scope) -> Value {
    match op {
        Op::Or => return Value::Bool(a.eval(answers).truthy() || b.eval(answers).truthy()),
        Op::And => return Value::Bool(a.eval(answers).truthy() && b.eval(answers).truthy()),
        _ => {}
    }
    let (x, y) = (a.eval(answers), b.eval(answers));
    match op {
        Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => Value::Bool(compare(op, &x, &y)),
        _ => match (x.number(), y.number()) {
            (Some(x), Some(y)) => {
                let n = match op {
                    Op::Add => x + y,
                    Op::Sub => x - y,
                    Op::Mul => x * y,
                    Op::Div => x / y,
                    _ => x % y,
                };
                if n.is_finite() {
                    Value::Number(n)
                } else {
                    Value::Empty
                }
            }
            _ => Value::Empty,
        },
    }
}

/// A comparison: numbers as numbers when both sides are numbers (or numeric text),
/// otherwise as text; an order comparison with an empty side is false.
fn compare(op: Op, x: &Value, y: &Value) -> bool {
    use std::cmp::Ordering;
    let ordering = match (x.number(), y.number()) {
        (Some(a), Some(b)) => a.partial_cmp(&b),
        _ if matches!(op, Op::Eq | Op::Ne) => Some(x.text().cmp(&y.text())),
        _ if *x == Value::Empty || *y == Value::Empty => None,
        _ => Some(x.text().cmp(&y.text())),
    };
    match (op, ordering) {
        (Op::Eq, o) => o == Some(Ordering::Equal),
        (Op::Ne, o) => o != Some(Ordering::Equal),
        (_, None) => false,
        (Op::Lt, Some(o)) => o == Ordering::Less,
        (Op::Le, Some(o)) => o != Ordering::Greater,
        (Op::Gt, Some(o)) => o == Ordering::Greater,
        (_, Some(o)) => o != Ordering::Less,
    }
}

fn choices(v: Value) -> Vec<String> {
    match v {
        Value::Choices(c) => c,
        Value::Empty => Vec::new(),
        other => other.text().split_whitespace().map(str::to_owned).collect(),
    }
}

fn call(f: Function, args: &[Expr], answers: &dyn Scope) -> Value {
    let arg = |i: usize| args.get(i).map_or(Value::Empty, |a| a.eval(answers));
    match f {
        Function::Not => Value::Bool(!arg(0).truthy()),
        Function::Selected => {
            let wanted = arg(1).text();
            Value::Bool(choices(arg(0)).contains(&wanted))
        }
        Function::CountSelected => Value::Number(choices(arg(0)).len() as f64),
        Function::StringLength => Value::Number(arg(0).text().chars().count() as f64),
        Function::If => {
            if arg(0).truthy() {
                arg(1)
            } else {
                arg(2)
            }
        }
        Function::Today => Value::Text(answers.today()),
    }
}

#[cfg(test)]
mod tests;
