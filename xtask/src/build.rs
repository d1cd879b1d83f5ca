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

/// Builds the shell with trunk (release profile, wasm-opt -Oz) into `target/trunk-dist`,
/// and the form designer beside it.
///
/// `-Zbuild-std` and the flags above are unstable options. The pinned stable toolchain
/// (1.95) is allowed to use them through `RUSTC_BOOTSTRAP=1`, set here for this one
/// build only, so no nightly toolchain has to be downloaded; `cargo xtask setup` adds
/// the `rust-src` component the rebuild needs.
pub fn release() -> Result<PathBuf> {
    trunk(&[])?;
    let dist = root().join("target").join("trunk-dist");
    designer(&dist)?;
    Ok(dist)
}

/// Builds the organisations' form designer (`builder/`) into `dist/builder`, after the
/// shell (trunk empties its own dist folder). linli-server serves its page at
/// `/staff/forms/{id}/build` and its files from `/builder/`; residents never
/// download it (`linli_site::precached` and the size budget leave it out).
fn designer(dist: &std::path::Path) -> Result {
    let out = dist.join(linli_site::DESIGNER_DIR);
    trunk(&[
        "--dist",
        &out.to_string_lossy(),
        "--public-url",
        &format!("/{}/", linli_site::DESIGNER_DIR),
        &root().join("builder").join("index.html").to_string_lossy(),
    ])
}

fn trunk(args: &[&str]) -> Result {
    run(cmd("trunk")
        .args(["build", "--release", "--offline"])
        .args(args)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            WASM_RUSTFLAGS,
        ))
}

/// The scenario features of `linli-shell` (each a scenario's id), from its manifest.
pub fn scenario_features() -> Result<Vec<String>> {
    let manifest = std::fs::read_to_string(root().join("shell").join("Cargo.toml"))?;
    let section = manifest
        .split("[features]")
        .nth(1)
        .and_then(|s| s.split("\n[").next())
        .ok_or("shell/Cargo.toml has no [features]")?;
    Ok(section
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(name, _)| name.trim().to_owned())
        .filter(|name| !name.is_empty() && name != "default" && !name.starts_with('#'))
        .collect())
}

/// A release build with only the scenarios in `features` (none: the bare shell), into
/// `target/size/<name>`. Its page inlines only those scenarios' stylesheets, as the
/// deployed page would if the others did not exist.
pub fn variant(name: &str, features: &[String]) -> Result<PathBuf> {
    let www = root().join("www");
    let page = std::fs::read_to_string(www.join("index.html"))?;
    let all = scenario_features()?;
    let page: String = page
        .lines()
        .filter(|line| {
            !all.iter().any(|f| {
                !features.contains(f) && line.contains(&format!("/widgets/src/{f}/"))
            })
        })
        .map(|line| {
            if line.contains("rel=\"rust\"") {
                line.replace(
                    "data-trunk rel=\"rust\"",
                    &format!(
                        "data-trunk rel=\"rust\" data-cargo-no-default-features data-cargo-features=\"{}\"",
                        features.join(",")
                    ),
                )
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    // Beside index.html, so its relative links resolve; removed after the build.
    let target = www.join(format!(".size-{name}.html"));
    std::fs::write(&target, page)?;
    let dist = root().join("target").join("size").join(name);
    let result = trunk(&["--dist", &dist.to_string_lossy(), &target.to_string_lossy()]);
    let _ = std::fs::remove_file(&target);
    result?;
    Ok(dist)
}
