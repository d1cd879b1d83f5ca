//! Building and preparing linli-server for the demo and the end-to-end tests.

use std::path::{Path, PathBuf};

use crate::util::{cmd, root, run, Result};

/// Where the shell's build is put for linli-server to embed (feature `embed-shell`).
fn embed_dir() -> PathBuf {
    root().join("target").join("shell-embed")
}

/// Puts the shell's release build where linli-server embeds it from, its hashed files
/// precompressed as `dist` does, unless the same build is there already.
pub fn prepare_embed(build_dir: &Path) -> Result {
    let out = embed_dir();
    let same = |a: &Path, b: &Path| -> bool {
        let list = |d: &Path| crate::util::list_files(d).unwrap_or_default();
        let built = list(a);
        !built.is_empty()
            && built
                .iter()
                .all(|f| std::fs::read(a.join(f)).ok() == std::fs::read(b.join(f)).ok())
    };
    if out.is_dir() && same(build_dir, &out) {
        return Ok(());
    }
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    crate::util::copy_dir(build_dir, &out)?;
    crate::compress::precompress(&out)
}

/// Builds linli-server with the shell's build in it (dev profile: quick to build; its
/// password hashing is optimised anyway) and returns the binary's path. For the
/// tests: one binary serves folders (`--static`) and itself (`--data`).
pub fn build(build_dir: &Path) -> Result<PathBuf> {
    prepare_embed(build_dir)?;
    run(cmd("cargo").args([
        "build",
        "--quiet",
        "-p",
        "linli-server",
        "--features",
        "embed-shell",
    ]))?;
    Ok(root().join("target").join("debug").join("linli-server"))
}

/// `cargo xtask release`: the one binary a sub-district deploys, release profile,
/// with the shell's build in it; answers its path.
pub fn release(build_dir: &Path) -> Result<PathBuf> {
    prepare_embed(build_dir)?;
    run(cmd("cargo").args([
        "build",
        "--quiet",
        "--release",
        "-p",
        "linli-server",
        "--features",
        "embed-shell",
    ]))?;
    Ok(root().join("target").join("release").join("linli-server"))
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
