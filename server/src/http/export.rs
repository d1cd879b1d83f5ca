//! CSV downloads for spreadsheet programs, written with the `csv` crate: UTF-8 with a
//! byte-order mark (so Excel reads the Chinese), CRLF line ends, and every cell made
//! safe to open:
//!
//! - a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return, or their
//!   full-width forms `＝＋－＠`, would run as a formula (CSV injection, OWASP): it gets
//!   a leading `'` — unless the whole cell is a plain number such as `-12.50`, which
//!   stays a number;
//! - a long digit string (a phone 13912345678, an 18-digit ID number) or one with a
//!   leading zero would be shown as 1.39E+10 or lose digits: it is written as the
//!   text formula `="…"`, which Excel shows as the digits themselves.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::ApiError;

/// A number the spreadsheet should keep as a number: an optional sign, digits, an
/// optional decimal part, and not a long digit string.
fn plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    !int.is_empty()
        && int.len() <= 10
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(int.len() > 1 && int.starts_with('0'))
}

/// A cell made safe to open in a spreadsheet (see the module's rules).
pub fn excel_cell(cell: &str) -> String {
    let digits = !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit());
    if digits && (cell.len() >= 11 || (cell.len() > 1 && cell.starts_with('0'))) {
        return format!("=\"{cell}\"");
    }
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);
    if risky && !plain_number(cell) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The CSV text of a header row and rows, each cell made safe.
pub fn csv_text(head: &[&str], rows: &[Vec<String>]) -> Result<String, ApiError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let fail = |e: csv::Error| ApiError::Internal(format!("csv: {e}"));
        w.write_record(head.iter().map(|h| excel_cell(h)))
            .map_err(fail)?;
        for row in rows {
            w.write_record(row.iter().map(|c| excel_cell(c)))
                .map_err(fail)?;
        }
        w.flush()
            .map_err(|e| ApiError::Internal(format!("csv: {e}")))?;
    }
    String::from_utf8(out).map_err(|e| ApiError::Internal(format!("csv: {e}")))
}

/// A CSV download named `filename` (ASCII, no quotes).
pub fn csv_response(filename: &str, head: &[&str], rows: &[Vec<String>]) -> Response {
    match csv_text(head, rows) {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
            ],
            text,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_in_every_form() {
        for risky in [
            "=HYPERLINK(1)",
            "+1+1",
            "-A1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "＝1+1",
            "＋1",
            "－1",
            "＠x",
        ] {
            assert!(excel_cell(risky).starts_with('\''), "{risky:?}");
        }
    }

    #[test]
    fn numbers_stay_numbers() {
        for n in ["12", "-12.50", "+3", "6.00", "0", "0.5"] {
            assert_eq!(excel_cell(n), n);
        }
    }

    #[test]
    fn phones_and_id_numbers_stay_text() {
        assert_eq!(excel_cell("13912345678"), "=\"13912345678\"");
        assert_eq!(excel_cell("110105194912310021"), "=\"110105194912310021\"");
        assert_eq!(excel_cell("0571"), "=\"0571\"");
        assert_eq!(excel_cell("11010519491231002X"), "11010519491231002X");
    }

    #[test]
    fn the_file_has_a_bom_crlf_and_quoted_fields() {
        let text = csv_text(
            &["姓名", "备注"],
            &[
                vec!["张, 桂英".into(), "say \"hi\"".into()],
                vec!["=1".into(), "13912345678".into()],
            ],
        )
        .unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(
            text.trim_start_matches('\u{feff}'),
            "姓名,备注\r\n\"张, 桂英\",\"say \"\"hi\"\"\"\r\n'=1,\"=\"\"13912345678\"\"\"\r\n"
        );
    }
}
