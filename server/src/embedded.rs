//! The residents' app built into the binary (feature `embed-shell`): the shell's
//! release build, precompressed, as `cargo xtask release` left it in
//! `target/shell-embed`. `serve --data DIR` unpacks it into `DIR/app` once per build
//! (a stamp of its content beside it, `DIR/app.build`) and serves it from there like
//! any deployment folder, so one binary is all a sub-district installs.

use std::path::{Path, PathBuf};

#[cfg(feature = "embed-shell")]
#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../target/shell-embed"]
struct Shell;

/// Whether this binary carries the app.
pub const PRESENT: bool = cfg!(feature = "embed-shell");

/// Unpacks the app into `data/app` unless the build there is this one; answers the
/// folder, or `None` when this binary carries no app.
///
/// Errors: the folder cannot be written.
#[cfg(feature = "embed-shell")]
pub fn unpack(data: &Path) -> std::io::Result<Option<PathBuf>> {
    let dir = data.join("app");
    let stamp_file = data.join("app.build");
    let mut names: Vec<String> = Shell::iter().map(|n| n.into_owned()).collect();
    names.sort();
    let mut fingerprint = Vec::new();
    for name in &names {
        fingerprint.extend_from_slice(name.as_bytes());
        if let Some(file) = Shell::get(name) {
            fingerprint.extend_from_slice(&file.metadata.sha256_hash());
        }
    }
    let stamp = format!("{:016x}", linli_site::fnv1a(&fingerprint));
    if dir.is_dir() && std::fs::read_to_string(&stamp_file).ok().as_deref() == Some(&stamp) {
        return Ok(Some(dir));
    }
    // A new build: into a fresh folder, put in place whole.
    let fresh = data.join("app.new");
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh)?;
    }
    for name in &names {
        let Some(file) = Shell::get(name) else {
            continue;
        };
        let path = fresh.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &file.data)?;
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::rename(&fresh, &dir)?;
    std::fs::write(stamp_file, stamp)?;
    Ok(Some(dir))
}

/// Unpacks the app into `data/app` unless the build there is this one; answers the
/// folder, or `None` when this binary carries no app.
///
/// Errors: the folder cannot be written.
#[cfg(not(feature = "embed-shell"))]
pub fn unpack(_data: &Path) -> std::io::Result<Option<PathBuf>> {
    Ok(None)
}
