//! Building and preparing linli-server for the demo and the end-to-end tests.

use std::path::{Path, PathBuf};

use crate::util::{cmd, root, run, Result};

/// Builds linli-server (dev profile: quick to build; its password hashing is
/// optimised anyway) and returns the binary's path. For the tests.
pub fn build() -> Result<PathBuf> {
    run(cmd("cargo").args(["build", "--quiet", "-p", "linli-server"]))?;
    Ok(root().join("target").join("debug").join("linli-server"))
}

/// Builds linli-server in the release profile, as a sub-district would run it: the
/// demo then shows residents' real speed (a debug build compresses the WASM on the
/// fly several times slower, which costs Lighthouse 5–15 points).
pub fn build_release() -> Result<PathBuf> {
    run(cmd("cargo").args(["build", "--quiet", "--release", "-p", "linli-server"]))?;
    Ok(root().join("target").join("release").join("linli-server"))
}

/// Builds the server with the extra `test_note` kind the sync specs submit.
pub fn build_test_server() -> Result<PathBuf> {
    run(cmd("cargo").args([
        "build",
        "--quiet",
        "-p",
        "linli-server",
        "--example",
        "test_server",
    ]))?;
    Ok(root()
        .join("target")
        .join("debug")
        .join("examples")
        .join("test_server"))
}

/// Removes a database file and its WAL companions, creating the folder.
pub fn reset(db: &Path) -> Result {
    if let Some(dir) = db.parent() {
        std::fs::create_dir_all(dir)?;
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        match std::fs::remove_file(PathBuf::from(path)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}
