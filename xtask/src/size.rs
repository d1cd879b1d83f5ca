//! The download budget: gzip sizes of the release build's WASM, JS and CSS (the CSS
//! is inlined in `index.html`, which is counted whole).

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::util::{list_files, Result};

/// DESIGN.md: the whole resident shell, every widget included, within 150 KB gzip.
pub const BUDGET: usize = 150_000;

/// What the check enforces until the budget is decided again (issue 9 restates it in
/// brotli, per scenario): the build as measured plus about 2 KB, so nothing grows
/// unnoticed. History: the shell with its offline store and sync was 130.9 KB; meals
/// added 37.0 KB (167.9 KB, over DESIGN.md's 150 KB; see issue 4's closing note). Issue
/// 8 added 6.2 KB (174.1 KB): the order is "saved" only once the outbox holds it, with
/// the storage failure shown (about 1.3 KB), helpers priced by a nameless subsidy rule
/// (0.5 KB), the elder's household listing and removing its helpers (2.2 KB, folded into
/// the meals page to spare a component), the household's data download (1.2 KB) and
/// their texts. With Yew views 150 KB cannot hold four scenarios; that is a decision
/// for DESIGN.md, not one to hide by raising this number quietly.
pub const CEILING: usize = 176_000;

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}

/// Prints the sizes of the build in `build` and fails over budget.
pub fn check(build: &Path) -> Result<usize> {
    let mut total = 0;
    let mut has_wasm = false;
    println!("{:<48} {:>10} {:>10}", "file", "raw", "gzip");
    for file in list_files(build)? {
        // index.html carries the inlined CSS and the boot script.
        let counted = file == "index.html"
            || [".wasm", ".js", ".css"]
                .iter()
                .any(|ext| file.ends_with(ext));
        if !counted || file == "sw.js" {
            continue;
        }
        has_wasm |= file.ends_with(".wasm");
        let bytes = std::fs::read(build.join(&file))?;
        let gz = gzip_len(&bytes)?;
        total += gz;
        println!("{file:<48} {:>10} {gz:>10}", bytes.len());
    }
    println!(
        "{:<48} {:>10} {total:>10}  ({:.1} KB of {} KB budget)",
        "total (html + wasm + js + css)",
        "",
        total as f64 / 1000.0,
        BUDGET / 1000
    );
    if !has_wasm {
        return Err(format!("no WASM found in {}", build.display()).into());
    }
    if total > CEILING {
        return Err(format!("over the ceiling: {total} bytes gzip > {CEILING}").into());
    }
    if total > BUDGET {
        println!(
            "OVER DESIGN.md's BUDGET by {:.1} KB (enforced ceiling {} KB: see CEILING in xtask/src/size.rs)",
            (total - BUDGET) as f64 / 1000.0,
            CEILING / 1000
        );
    }
    Ok(total)
}
