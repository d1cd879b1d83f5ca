//! Answers as tables for CSV: one row per submission with one column per field (a
//! repeat's column holds how many times it was answered), and per repeat a table of
//! its answer sets keyed by the submission id, so that every field after a repeat
//! keeps its column in the first table. A field hidden by `relevant` is blank; a
//! calculation is its value over the kept answers. Cells are plain text here; the
//! server makes them safe to open in a spreadsheet.

use super::answers::{filled, Answers};
use super::form::{Field, Form, Type};

/// A submission to export.
#[derive(Clone, Debug)]
pub struct Submitted<'a> {
    /// Its id (the outbox's UUID).
    pub id: &'a str,
    /// The form version it was answered against.
    pub version: &'a str,
    /// When it arrived, as the export shows it (`2026-12-01 09:30`).
    pub at: &'a str,
    /// Its answers, as stored.
    pub answers: &'a Answers,
}

/// A table: its name (`answers` for the submissions, the repeat's path for a repeat's,
/// `members` or `members/visits`), its header and its rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// `answers`, or the repeat's path.
    pub name: String,
    /// Column names.
    pub head: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// The fields of a level (groups entered, repeats not): each one's column.
fn columns(fields: &[Field], out: &mut Vec<String>) {
    for f in fields {
        match f.kind {
            Type::Group => columns(&f.fields, out),
            Type::Note => {}
            _ => out.push(f.name.clone()),
        }
    }
}

/// The repeats of a level (groups entered), with their paths.
fn repeats<'f>(fields: &'f [Field], prefix: &str, out: &mut Vec<(String, &'f Field)>) {
    for f in fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}/{}", f.name)
        };
        match f.kind {
            Type::Group => repeats(&f.fields, prefix, out),
            Type::Repeat => {
                out.push((path.clone(), f));
                repeats(&f.fields, &path, out);
            }
            _ => {}
        }
    }
}

/// Whether `name` is a repeat of this level (groups entered).
fn is_repeat(fields: &[Field], name: &str) -> bool {
    fields.iter().any(|f| {
        (f.name == name && f.kind == Type::Repeat)
            || (f.kind == Type::Group && is_repeat(&f.fields, name))
    })
}

/// One level's cells: answers and calculations as text, a repeat's count.
fn cells(names: &[String], fields: &[Field], answers: &Answers) -> Vec<String> {
    names
        .iter()
        .map(|name| {
            if is_repeat(fields, name) {
                answers.repeat(name).len().to_string()
            } else {
                answers.text(name).to_owned()
            }
        })
        .collect()
}

/// The tables of `submissions` to `form`: the submissions first, then each repeat's.
/// `today` is the deployment's date (for `today()` in calculations).
pub fn tables(form: &Form, submissions: &[Submitted<'_>], today: &str) -> Vec<Table> {
    let mut names = Vec::new();
    columns(&form.fields, &mut names);
    let mut head: Vec<String> = ["submission_id", "version", "submitted_at"]
        .map(str::to_owned)
        .to_vec();
    head.extend(names.iter().cloned());
    let kept: Vec<Answers> = submissions
        .iter()
        .map(|s| filled(form, s.answers, today))
        .collect();
    let rows = submissions
        .iter()
        .zip(&kept)
        .map(|(s, a)| {
            let mut row = vec![s.id.to_owned(), s.version.to_owned(), s.at.to_owned()];
            row.extend(cells(&names, &form.fields, a));
            row
        })
        .collect();
    let mut out = vec![Table {
        name: "answers".into(),
        head,
        rows,
    }];
    let mut all = Vec::new();
    repeats(&form.fields, "", &mut all);
    for (path, repeat) in all {
        let mut names = Vec::new();
        columns(&repeat.fields, &mut names);
        let steps: Vec<&str> = path.split('/').collect();
        let mut head = vec!["submission_id".to_owned()];
        head.extend(steps.iter().map(|s| format!("{s}_index")));
        head.extend(names.iter().cloned());
        let mut rows = Vec::new();
        for (s, a) in submissions.iter().zip(&kept) {
            sets(&steps, a, &mut Vec::new(), &mut |at, set| {
                let mut row = vec![s.id.to_owned()];
                row.extend(at.iter().map(|i| i.to_string()));
                row.extend(cells(&names, &repeat.fields, set));
                rows.push(row);
            });
        }
        out.push(Table {
            name: path,
            head,
            rows,
        });
    }
    out
}

/// Calls `each` with every answer set at the end of `steps` (repeat names from the
/// top), with the 1-based index of each set along the way.
fn sets(
    steps: &[&str],
    answers: &Answers,
    at: &mut Vec<usize>,
    each: &mut dyn FnMut(&[usize], &Answers),
) {
    let Some((first, rest)) = steps.split_first() else {
        each(at, answers);
        return;
    };
    for (i, set) in answers.repeat(first).iter().enumerate() {
        at.push(i + 1);
        sets(rest, set, at, each);
        at.pop();
    }
}
