//! Installs what building and testing need, skipping what is already there, with
//! pinned versions and nothing downloaded outside the package registries.

use std::path::Path;

use crate::util::{cmd, probe, root, run, Result};

/// trunk 0.22 needs a newer rustc than the one here.
const TRUNK_VERSION: &str = "0.21.14";
/// Debian packages the tests need: the browser and its driver, a CJK font for screenshots,
/// and PostgreSQL for the second storage engine (a throwaway cluster per run, `pg.rs`).
const TEST_PACKAGES: &[&str] = &[
    "chromium",
    "chromium-driver",
    "fonts-wqy-microhei",
    "postgresql",
];

/// What the setup is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Building and serving the app.
    Build,
    /// Building and running every test tier.
    Test,
}

/// Installs everything `purpose` needs.
pub fn setup(purpose: Purpose) -> Result {
    wasm_target()?;
    rust_src()?;
    std_dependencies()?;
    node_packages()?;
    trunk()?;
    wasm_bindgen()?;
    if purpose == Purpose::Test {
        debian_packages(TEST_PACKAGES)?;
    }
    Ok(())
}

/// PostgreSQL alone (Debian's package), for the benchmark's second engine.
pub fn postgres() -> Result {
    debian_packages(&["postgresql"])
}

fn wasm_target() -> Result {
    let installed = cmd("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"));
    if installed {
        return Ok(());
    }
    run(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The standard library's source, which the release build recompiles for size
/// (see `build.rs`).
fn rust_src() -> Result {
    let installed = cmd("rustup")
        .args(["component", "list", "--installed"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("rust-src"));
    if installed {
        return Ok(());
    }
    run(cmd("rustup").args(["component", "add", "rust-src"]))
}

/// The crates the standard library depends on, in cargo's cache: the release build
/// rebuilds std with `--offline` (trunk passes it on), and on a fresh machine those
/// crates were never downloaded. `cargo fetch` skips what is there.
fn std_dependencies() -> Result {
    let sysroot = probe("rustc", &["--print", "sysroot"]).ok_or("rustc --print sysroot failed")?;
    let manifest = Path::new(&sysroot)
        .join("lib/rustlib/src/rust/library")
        .join("Cargo.toml");
    run(cmd("cargo")
        .args(["fetch", "--quiet", "--manifest-path"])
        .arg(manifest)
        // The library's manifest uses unstable cargo features.
        .env("RUSTC_BOOTSTRAP", "1"))
}

fn trunk() -> Result {
    if probe("trunk", &["--version"]).is_some_and(|v| v.ends_with(TRUNK_VERSION)) {
        return Ok(());
    }
    println!("Installing trunk {TRUNK_VERSION} (about 13 minutes on 2 cores, once)…");
    run(cmd("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))
}

/// The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
pub fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
            {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn wasm_bindgen() -> Result {
    let version = locked_wasm_bindgen()?;
    let wanted = format!("wasm-bindgen {version}");
    if probe("wasm-bindgen", &["--version"]).is_some_and(|v| v == wanted)
        && probe("wasm-bindgen-test-runner", &["--version"]).is_some()
    {
        return Ok(());
    }
    println!("Installing wasm-bindgen-cli {version} (matches Cargo.lock)…");
    // Not --locked: the CLI's own lock pins crates this toolchain cannot build.
    run(cmd("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))
}

fn node_packages() -> Result {
    let root = root();
    let lock = std::fs::read(root.join("package-lock.json"))?;
    let stamp_path = root.join("node_modules").join(".linli-lock-stamp");
    let stamp = format!("{:016x}", linli_site::fnv1a(&lock));
    if std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) {
        return Ok(());
    }
    if probe("npm", &["--version"]).is_none() {
        debian_packages(&["nodejs", "npm"])?;
    }
    run(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(stamp_path, stamp)?;
    Ok(())
}

fn installed(package: &str) -> bool {
    cmd("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn debian_packages(packages: &[&str]) -> Result {
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !Path::new("/usr/bin/apt-get").exists() {
        return Err(format!("please install these packages: {}", missing.join(" ")).into());
    }
    println!("Installing Debian packages: {}", missing.join(" "));
    run(cmd("apt-get").arg("update").arg("-q"))?;
    run(cmd("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-q"])
        .args(&missing))
}
