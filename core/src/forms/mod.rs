//! Forms by social organisations (表单问卷, DESIGN.md "Forms by social organisations"):
//! a form is data, not code. This module has, so far, the safe expression language its
//! `relevant`, `constraint` and `calculation` columns are written in ([`expr`]), in the
//! XLSForm subset: field references `${age}`, the current value `.`, numbers and quoted
//! text, comparisons, `and` / `or`, arithmetic (`+ - * div mod`), and the functions
//! `not`, `selected`, `count-selected`, `string-length`, `if` and `today`. A parser that
//! says where an expression is wrong, and an evaluator that runs nothing but these;
//! and the checks of a definition itself ([`definition`]: names once, expressions that
//! parse, fields that exist, no cycles), each problem at its field and column.

pub mod definition;
pub mod expr;
