//! Reading an XLSForm's sheets from the files organisations have: an `.xlsx` workbook
//! (with calamine) or the `survey`, `choices` and `settings` sheets saved as CSV (with
//! the csv crate). The cells go to `linli_core::forms::xlsform::import`, which knows
//! the standard; here only files become grids of text.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use linli_core::forms::xlsform::Sheet;

/// The largest workbook or CSV file read, in bytes.
pub const MAX_FILE: usize = 4 * 1024 * 1024;
/// The most rows read of one sheet.
pub const MAX_ROWS: usize = 2000;
/// The most columns read of one sheet.
pub const MAX_COLUMNS: usize = 60;

/// Why a file could not be read as sheets (before any XLSForm rule).
#[derive(Debug, PartialEq, Eq)]
pub enum FileError {
    /// Larger than [`MAX_FILE`].
    TooLarge,
    /// Not a workbook calamine reads, or not UTF-8 CSV (what it said).
    Unreadable(String),
    /// A sheet with more than [`MAX_ROWS`] rows or [`MAX_COLUMNS`] columns (its name).
    TooBig(String),
}

/// A cell as the XLSForm reads it: whole numbers without `.0` (a version typed as
/// `2026120101`), truth values as `true` / `false`, errors and empties as "".
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// The sheets of an `.xlsx` workbook, each as rows of text.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, FileError> {
    if bytes.len() > MAX_FILE {
        return Err(FileError::TooLarge);
    }
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| FileError::Unreadable(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| FileError::Unreadable(e.to_string()))?;
        let (height, width) = range.get_size();
        // Rows as the spreadsheet numbers them: calamine's range starts at the first
        // used cell, so blank leading rows and columns are put back (and counted).
        let (top, left) = range.start().unwrap_or((0, 0));
        if top as usize + height > MAX_ROWS || left as usize + width > MAX_COLUMNS {
            return Err(FileError::TooBig(name));
        }
        let mut rows = vec![Vec::new(); top as usize];
        for row in range.rows() {
            let mut cells = vec![String::new(); left as usize];
            cells.extend(row.iter().map(cell_text));
            rows.push(cells);
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// One sheet saved as CSV (UTF-8, a byte-order mark allowed), named `name`.
pub fn read_csv(name: &str, bytes: &[u8]) -> Result<Sheet, FileError> {
    if bytes.len() > MAX_FILE {
        return Err(FileError::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| FileError::Unreadable(e.to_string()))?;
        if rows.len() >= MAX_ROWS || record.len() > MAX_COLUMNS {
            return Err(FileError::TooBig(name.to_owned()));
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(Sheet {
        name: name.to_owned(),
        rows,
    })
}
