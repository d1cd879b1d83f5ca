//! The one release build of the shell that every deployment shares.

use std::path::PathBuf;

use crate::util::{cmd, root, run, Result};

/// Flags for the resident's WASM only (host code, tests and the server are untouched):
/// panics abort at once without formatting a message, and panic locations (file paths)
/// are left out, and `{:?}` formats nothing (no text shown to residents uses Debug).
/// With the standard library rebuilt under the same flags this takes about 17 KB gzip
/// off the WASM (measured 134.3 → 117.2 KB; without the Debug flag 120.6 KB), room the
/// scenarios need within the 150 KB budget.
const WASM_RUSTFLAGS: &str =
    "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none";

/// Builds the shell with trunk (release profile, wasm-opt -Oz) into `target/trunk-dist`.
///
/// `-Zbuild-std` and the flags above are unstable options. The pinned stable toolchain
/// (1.95) is allowed to use them through `RUSTC_BOOTSTRAP=1`, set here for this one
/// build only, so no nightly toolchain has to be downloaded; `cargo xtask setup` adds
/// the `rust-src` component the rebuild needs.
pub fn release() -> Result<PathBuf> {
    run(cmd("trunk")
        .args(["build", "--release", "--offline"])
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            WASM_RUSTFLAGS,
        ))?;
    Ok(root().join("target").join("trunk-dist"))
}
