//! The two files a vote can be checked with (issue 12): the roster of owners (房号,
//! 业主, 面积, 开发商持有) and the ballots (房号, 表决意见), as CSV in UTF-8 (with or
//! without a BOM) or GB18030, what Chinese Excel saves. Every problem is located by
//! line and column, and nothing is imported while any remains: never zero rows or
//! garbled names silently.

use std::collections::HashMap;

use linli_core::voting::{Ballot, Choice, Unit, VoteServerText};
use linli_core::Lang;

/// One problem in a file, with its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The line (1 is the header), when the problem has one.
    pub line: Option<u64>,
    /// The column (1-based), when the problem has one.
    pub column: Option<usize>,
    /// What is wrong.
    pub text: VoteServerText,
    /// The values the text names.
    pub values: Vec<(&'static str, String)>,
}

impl Problem {
    fn at(
        line: u64,
        column: Option<usize>,
        text: VoteServerText,
        values: Vec<(&'static str, String)>,
    ) -> Problem {
        Problem {
            line: Some(line),
            column,
            text,
            values,
        }
    }

    fn whole(text: VoteServerText, values: Vec<(&'static str, String)>) -> Problem {
        Problem {
            line: None,
            column: None,
            text,
            values,
        }
    }

    /// The problem with its place, in `lang`: `第 3 行第 3 列：面积“-2”不是正数平方米…`.
    pub fn text(&self, lang: Lang) -> String {
        let values: Vec<(&str, &str)> = self.values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let what = lang.fill(self.text, &values);
        match (self.line, self.column) {
            (Some(line), Some(column)) => lang.fill(
                VoteServerText::RosterProblemAt,
                &[
                    ("line", &line.to_string()),
                    ("column", &column.to_string()),
                    ("problem", &what),
                ],
            ),
            (Some(line), None) => lang.fill(
                VoteServerText::RosterProblem,
                &[("line", &line.to_string()), ("problem", &what)],
            ),
            _ => what,
        }
    }
}

/// The text of a file: UTF-8 (a BOM removed) if it is, else GB18030.
pub fn decode(bytes: &[u8]) -> Result<String, Problem> {
    if let Some(rest) = bytes.strip_prefix(b"\x84\x31\x95\x33") {
        // GB18030's own byte-order mark.
        let (text, _, malformed) = encoding_rs::GB18030.decode(rest);
        return match malformed {
            false => Ok(text.into_owned()),
            true => Err(Problem::whole(VoteServerText::RosterNotText, vec![])),
        };
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let (text, _, malformed) = encoding_rs::GB18030.decode(bytes);
    if malformed {
        return Err(Problem::whole(VoteServerText::RosterNotText, vec![]));
    }
    Ok(text.into_owned())
}

/// A column the file must or may have, by its names.
struct Column {
    names: &'static [&'static str],
    required: bool,
}

const UNIT: Column = Column {
    names: &["unit", "房号"],
    required: true,
};
const OWNER: Column = Column {
    names: &["owner", "业主"],
    required: true,
};
const AREA: Column = Column {
    names: &["area", "面积", "专有部分面积"],
    required: true,
};
const DEVELOPER: Column = Column {
    names: &["developer_held", "开发商持有"],
    required: false,
};
const CHOICE: Column = Column {
    names: &["choice", "表决意见", "意见"],
    required: true,
};

/// The records of a CSV text with its header mapped to `columns`: for each record,
/// its line and the value of each column (`None` for an optional column not given);
/// and where each column is in the file (1-based), for locating problems.
type Records = (Vec<(u64, Vec<Option<String>>)>, Vec<usize>);

/// The records that read, and the problems of those that did not; `Err` when the
/// header itself is wrong (then nothing can be read).
fn records(text: &str, columns: &[&Column]) -> Result<(Records, Vec<Problem>), Vec<Problem>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(vec![Problem::at(
                1,
                None,
                VoteServerText::RosterCsv,
                vec![("detail", e.to_string())],
            )]);
        }
    };
    let mut problems = Vec::new();
    let mut places = Vec::new();
    for column in columns {
        let found = header
            .iter()
            .position(|h| column.names.contains(&h.as_str()));
        if found.is_none() && column.required {
            problems.push(Problem::at(
                1,
                None,
                VoteServerText::RosterNoColumn,
                vec![
                    ("column", column.names[1].to_owned()),
                    ("names", column.names.join(" / ")),
                ],
            ));
        }
        places.push(found);
    }
    for (i, h) in header.iter().enumerate() {
        if !h.is_empty() && !columns.iter().any(|c| c.names.contains(&h.as_str())) {
            problems.push(Problem::at(
                1,
                Some(i + 1),
                VoteServerText::RosterUnknownColumn,
                vec![("column", h.clone())],
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(text, p));
                problems.push(Problem::at(
                    line,
                    None,
                    VoteServerText::RosterCsv,
                    vec![("detail", e.to_string())],
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at(text, p));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            problems.push(Problem::at(
                line,
                None,
                VoteServerText::RosterFields,
                vec![
                    ("found", record.len().to_string()),
                    ("expected", header.len().to_string()),
                ],
            ));
            continue;
        }
        let values = places
            .iter()
            .map(|p| p.and_then(|i| record.get(i)).map(|v| v.trim().to_owned()))
            .collect();
        out.push((line, values));
    }
    let at = places
        .iter()
        .enumerate()
        .map(|(i, p)| p.map_or(header.len() + 1 + i, |p| p + 1))
        .collect();
    Ok(((out, at), problems))
}

/// The line (1-based) a record starts on, counted from its byte offset: after a CRLF
/// the csv crate places the next record at the line feed, and counts a line short.
fn line_at(text: &str, position: &csv::Position) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(position.byte())
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    while bytes.get(start).is_some_and(|b| *b == b'\r' || *b == b'\n') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|b| **b == b'\n').count() as u64
}

/// Problems in the order of the file: by line (those of the whole file last).
fn in_order(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| p.line.unwrap_or(u64::MAX));
    problems
}

/// An area in square metres with at most two decimals (`89.56`, `120`) in 0.01 m²;
/// `None` unless above zero.
pub fn area(text: &str) -> Option<u64> {
    linli_core::hundredths(text).filter(|v| *v > 0)
}

fn flag(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "否" | "no" | "false" | "0" | "n" => Some(false),
        "是" | "yes" | "true" | "1" | "y" => Some(true),
        _ => None,
    }
}

/// The longest unit or owner name on a roster, in characters (what a household's
/// board carries).
pub const MAX_NAME: usize = linli_core::voting::MAX_UNIT_NAME;
/// The most units a roster may have: a very large estate is some thousands.
pub const MAX_UNITS: usize = 20_000;

/// Reads a roster: one unit a line, units unique (≤ 60 characters), areas positive,
/// owners named (≤ 60 characters; a developer-held unit needs no owner), at most
/// [`MAX_UNITS`] units. Every problem, located, or the units.
pub fn roster(bytes: &[u8]) -> Result<Vec<Unit>, Vec<Problem>> {
    let text = decode(bytes).map_err(|p| vec![p])?;
    let ((rows, at), mut problems) = records(&text, &[&UNIT, &OWNER, &AREA, &DEVELOPER])?;
    let mut units = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (line, values) in rows {
        let get = |i: usize| values[i].clone().unwrap_or_default();
        let (unit, owner, area_text, flag_text) = (get(0), get(1), get(2), get(3));
        let mut fine = true;
        let empty = |column: usize, name: &str| {
            Problem::at(
                line,
                Some(column),
                VoteServerText::RosterEmpty,
                vec![("column", name.to_owned())],
            )
        };
        let too_long = |column: usize, name: &str| {
            Problem::at(
                line,
                Some(column),
                VoteServerText::RosterTooLong,
                vec![("column", name.to_owned()), ("max", MAX_NAME.to_string())],
            )
        };
        if unit.chars().count() > MAX_NAME {
            problems.push(too_long(at[0], "房号"));
            fine = false;
        }
        if owner.chars().count() > MAX_NAME {
            problems.push(too_long(at[1], "业主"));
            fine = false;
        }
        if unit.is_empty() {
            problems.push(empty(at[0], "房号"));
            fine = false;
        } else if let Some(first) = seen.get(&unit) {
            problems.push(Problem::at(
                line,
                Some(at[0]),
                VoteServerText::RosterDuplicate,
                vec![("unit", unit.clone()), ("first", first.to_string())],
            ));
            fine = false;
        } else {
            seen.insert(unit.clone(), line);
        }
        let developer_held = match flag(&flag_text) {
            Some(f) => f,
            None => {
                problems.push(Problem::at(
                    line,
                    Some(at[3]),
                    VoteServerText::RosterFlag,
                    vec![("value", flag_text)],
                ));
                fine = false;
                false
            }
        };
        if owner.is_empty() && !developer_held {
            problems.push(empty(at[1], "业主"));
            fine = false;
        }
        let area = area(&area_text);
        if area.is_none() {
            problems.push(Problem::at(
                line,
                Some(at[2]),
                VoteServerText::RosterArea,
                vec![("value", area_text)],
            ));
            fine = false;
        }
        if let (true, Some(area)) = (fine, area) {
            units.push(Unit {
                unit,
                owner,
                area,
                developer_held,
            });
        }
    }
    if problems.is_empty() && units.is_empty() {
        problems.push(Problem::whole(VoteServerText::RosterNoRows, vec![]));
    }
    if units.len() > MAX_UNITS {
        problems.push(Problem::whole(
            VoteServerText::RosterTooMany,
            vec![("max", MAX_UNITS.to_string())],
        ));
    }
    if problems.is_empty() {
        Ok(units)
    } else {
        Err(in_order(problems))
    }
}

/// Reads ballots (`unit,choice`): each with its line as its source (`第 7 行` /
/// `line 7`, in `lang`). Two ballots of one owner are the tally's to find.
pub fn ballots(bytes: &[u8], lang: Lang) -> Result<Vec<Ballot>, Vec<Problem>> {
    let text = decode(bytes).map_err(|p| vec![p])?;
    let ((rows, at), mut problems) = records(&text, &[&UNIT, &CHOICE])?;
    let mut out = Vec::new();
    for (line, values) in rows {
        let unit = values[0].clone().unwrap_or_default();
        let choice_text = values[1].clone().unwrap_or_default();
        if unit.is_empty() {
            problems.push(Problem::at(
                line,
                Some(at[0]),
                VoteServerText::RosterEmpty,
                vec![("column", "房号".into())],
            ));
            continue;
        }
        match Choice::parse(&choice_text) {
            Some(choice) => out.push(Ballot {
                unit,
                choice,
                source: lang.fill(VoteServerText::Line, &[("line", &line.to_string())]),
            }),
            None => problems.push(Problem::at(
                line,
                Some(at[1]),
                VoteServerText::RosterChoice,
                vec![("value", choice_text)],
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(in_order(problems))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    const ROSTER: &str = "房号,业主,面积,开发商持有\n1-101,张三,89.56,否\n1-102,张三,60,\n2-101,李四,120.5,否\n9-901,,75.00,是\n";

    #[test]
    fn a_roster_in_utf8_with_or_without_bom_and_in_gb18030_reads_the_same() {
        let plain = roster(ROSTER.as_bytes()).unwrap();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(ROSTER.as_bytes());
        let (gb, _, _) = encoding_rs::GB18030.encode(ROSTER);
        assert_ne!(
            gb.as_ref(),
            ROSTER.as_bytes(),
            "GB18030 bytes differ from UTF-8"
        );
        assert_eq!(roster(&bom).unwrap(), plain);
        assert_eq!(roster(&gb).unwrap(), plain);
        assert_eq!(plain.len(), 4);
        assert_eq!(plain[0].area, 8_956);
        assert_eq!(plain[1].area, 6_000);
        assert_eq!(plain[2].area, 12_050);
        assert!(plain[3].developer_held);
        // English headers too.
        let english = ROSTER.replacen(
            "房号,业主,面积,开发商持有",
            "unit,owner,area,developer_held",
            1,
        );
        assert_eq!(roster(english.as_bytes()).unwrap(), plain);
    }

    #[test]
    fn every_roster_problem_is_located_and_nothing_is_imported() {
        let bad = "房号,业主,面积,开发商持有\n1-101,张三,89.56,否\n1-101,李四,50,否\n2-101,王五,-3,否\n2-102,,40,否\n2-103,赵六,12.345,也许\n2-104,钱七,40\n";
        let problems = roster(bad.as_bytes()).unwrap_err();
        let texts: Vec<String> = problems.iter().map(|p| p.text(Lang::ZhCn)).collect();
        assert_eq!(
            texts,
            [
                "第 3 行第 1 列：房号“1-101”与第 2 行重复",
                "第 4 行第 3 列：面积“-3”不是正数平方米（最多两位小数，如 89.56）",
                "第 5 行第 2 列：“业主”不能为空",
                "第 6 行第 4 列：“也许”不是“是”或“否”",
                "第 6 行第 3 列：面积“12.345”不是正数平方米（最多两位小数，如 89.56）",
                "第 7 行：这一行有 3 列，表头有 4 列",
            ]
        );
        assert!(problems[0].text(Lang::En).starts_with("line 3, column 1: "));
    }

    #[test]
    fn a_file_that_is_not_a_roster_says_why() {
        let header_only = roster("房号,业主,面积\n".as_bytes()).unwrap_err();
        assert_eq!(header_only[0].text, VoteServerText::RosterNoRows);
        let wrong = roster("unit,name,size\n1,张三,3\n".as_bytes()).unwrap_err();
        assert!(wrong
            .iter()
            .any(|p| p.text == VoteServerText::RosterNoColumn));
        assert!(wrong
            .iter()
            .any(|p| p.text == VoteServerText::RosterUnknownColumn));
        // Neither UTF-8 nor GB18030 (a lone 0xFF).
        let binary = roster(&[0x31, 0xFF, 0xFF, 0x0A]).unwrap_err();
        assert_eq!(binary[0].text, VoteServerText::RosterNotText);
    }

    #[test]
    fn problems_are_placed_in_the_files_own_columns() {
        let reordered = "面积,房号,业主\r\n-3,1-101,张三\r\n\"60.00\",\"1-102, 东\",李四\r\n";
        let problems = roster(reordered.as_bytes()).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].text(Lang::ZhCn),
            "第 2 行第 1 列：面积“-3”不是正数平方米（最多两位小数，如 89.56）"
        );
        let fixed = reordered.replace("-3,", "89.560,");
        let units = roster(fixed.as_bytes()).unwrap();
        assert_eq!(units[0].area, 8_956);
        assert_eq!(units[1].unit, "1-102, 东");
        // GB18030's own byte-order mark.
        let (gb, _, _) = encoding_rs::GB18030.encode(&fixed);
        let mut with_mark = vec![0x84, 0x31, 0x95, 0x33];
        with_mark.extend_from_slice(&gb);
        assert_eq!(roster(&with_mark).unwrap(), units);
    }

    #[test]
    fn areas_are_exact_hundredths_of_a_square_metre() {
        assert_eq!(area("89.56"), Some(8_956));
        assert_eq!(area("89.560"), Some(8_956));
        assert_eq!(area("89.5"), Some(8_950));
        assert_eq!(area("0.01"), Some(1));
        assert_eq!(area("120"), Some(12_000));
        for bad in [
            "0", "0.00", "-1", "1.234", "1.2301", "", ".5", "1,5", "1e3", "八十",
        ] {
            assert_eq!(area(bad), None, "{bad}");
        }
    }

    #[test]
    fn ballots_read_in_either_language_with_their_lines() {
        let b = ballots(
            "房号,表决意见\n1-101,同意\n2-101,oppose\n".as_bytes(),
            Lang::ZhCn,
        )
        .unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(b[1].choice, Choice::Oppose);
        assert_eq!(b[1].source, "第 3 行");
        let bad = ballots("unit,choice\n1-101,maybe\n".as_bytes(), Lang::En).unwrap_err();
        assert_eq!(
            bad[0].text(Lang::En),
            "line 2, column 2: “maybe” is not agree, oppose or abstain"
        );
    }
}
