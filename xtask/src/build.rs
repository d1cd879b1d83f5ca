//! The one release build of the shell that every deployment shares.

use std::path::PathBuf;

use crate::util::{cmd, root, run, Result};

/// Builds the shell with trunk (release profile, wasm-opt -Oz) into `target/trunk-dist`.
pub fn release() -> Result<PathBuf> {
    run(cmd("trunk").args(["build", "--release", "--offline"]))?;
    Ok(root().join("target").join("trunk-dist"))
}
