//! The download budget, as browsers receive it: brotli (quality 11) first, gzip for
//! browsers without it. Counted: the WASM, the JS and `index.html` (it carries the
//! inlined CSS and the boot script); not the service worker, config or icons.
//!
//! DESIGN.md's budgets: the shell without any scenario within [`SHELL_BUDGET`] bytes
//! of brotli, and each scenario adding at most [`SCENARIO_BUDGET`]. The shell alone is
//! built from `linli-shell` without default features; each scenario is the shell with
//! only its feature, less the shell alone (`build::variant`).

use std::path::Path;

use crate::build;
use crate::compress::{brotli, gzip};
use crate::util::{list_files, Result};

/// The shell with no scenario, brotli bytes.
pub const SHELL_BUDGET: usize = 120_000;
/// What one scenario may add to the shell, brotli bytes.
pub const SCENARIO_BUDGET: usize = 35_000;

/// Compressed sizes of one build.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Brotli bytes.
    pub br: usize,
    /// Gzip bytes.
    pub gz: usize,
}

/// Whether a build file counts toward the download.
/// The form designer beside the shell (`builder/`) is staff's, not the residents'.
fn counted(file: &str) -> bool {
    linli_site::precached(file)
        && (file == "index.html" || [".wasm", ".js"].iter().any(|e| file.ends_with(e)))
}

/// Sums the counted files of a build, printing each when `print`.
fn measure(dir: &Path, print: bool) -> Result<Sizes> {
    let mut total = Sizes::default();
    let mut has_wasm = false;
    for file in list_files(dir)?.into_iter().filter(|f| counted(f)) {
        has_wasm |= file.ends_with(".wasm");
        let bytes = std::fs::read(dir.join(&file))?;
        let (br, gz) = (brotli(&bytes)?.len(), gzip(&bytes)?.len());
        if print {
            println!("{file:<52} {:>9} {br:>9} {gz:>9}", bytes.len());
        }
        total.br += br;
        total.gz += gz;
    }
    if !has_wasm {
        return Err(format!("no WASM found in {}", dir.display()).into());
    }
    Ok(total)
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1000.0)
}

/// Prints the sizes of the full build in `full` (per file), the shell without
/// scenarios and each scenario's added bytes; fails over a budget.
pub fn check(full: &Path) -> Result<Sizes> {
    println!("{:<52} {:>9} {:>9} {:>9}", "file", "raw", "brotli", "gzip");
    let whole = measure(full, true)?;
    let designer = full.join(linli_site::DESIGNER_DIR);
    if designer.is_dir() {
        // No budget: organisations open it on a desktop or tablet, once per form.
        let d = measure(&designer, false)?;
        println!(
            "{:<52} {:>9} {:>9} {:>9}",
            "form designer (staff; not counted)", "", d.br, d.gz
        );
    }
    println!(
        "{:<52} {:>9} {:>9} {:>9}",
        "total, every scenario", "", whole.br, whole.gz
    );
    let features = build::scenario_features()?;
    let bare = measure(&build::variant("shell", &[])?, false)?;
    let mut problems = Vec::new();
    println!("\nbudget (brotli; gzip for older browsers)");
    println!(
        "  shell without scenarios   {:>9}  {:>9}   budget {}",
        kb(bare.br),
        kb(bare.gz),
        kb(SHELL_BUDGET)
    );
    if bare.br > SHELL_BUDGET {
        problems.push(format!(
            "the shell without scenarios is {} brotli, over {}",
            kb(bare.br),
            kb(SHELL_BUDGET)
        ));
    }
    for f in &features {
        // With one scenario the full build is the shell with it.
        let with = if features.len() == 1 {
            whole
        } else {
            measure(&build::variant(f, std::slice::from_ref(f))?, false)?
        };
        let added = Sizes {
            br: with.br.saturating_sub(bare.br),
            gz: with.gz.saturating_sub(bare.gz),
        };
        println!(
            "  + {f:<22} {:>9}  {:>9}   budget {}",
            kb(added.br),
            kb(added.gz),
            kb(SCENARIO_BUDGET)
        );
        if added.br > SCENARIO_BUDGET {
            problems.push(format!(
                "{f} adds {} brotli, over {}",
                kb(added.br),
                kb(SCENARIO_BUDGET)
            ));
        }
    }
    if problems.is_empty() {
        Ok(whole)
    } else {
        Err(format!("over budget: {}", problems.join("; ")).into())
    }
}
