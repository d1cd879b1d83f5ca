//! `cargo xtask test`: every tier, fastest first.
//!
//! 1. host: `cargo test --workspace` (core rules, config, xtask itself);
//! 2. browser: wasm-bindgen-test in headless Chromium via chromedriver;
//! 3. the release build and its size budget;
//! 4. end-to-end: Playwright (playwright-core) driving Debian's Chromium against each
//!    example deployment served by a real linli-server process.

use std::path::PathBuf;

use crate::util::{cmd, list_files, root, run_tests, Result};
use crate::{build, dist, setup, size};

/// Runs every tier, or only the one named (`host`, `browser`, `e2e`).
pub fn run_tiers(only: Option<&str>) -> Result {
    setup::setup(setup::Purpose::Test)?;
    match only {
        None => {
            host()?;
            browser()?;
            built_e2e()
        }
        Some("host") => host(),
        Some("browser") => browser(),
        Some("e2e") => built_e2e(),
        Some(other) => Err(format!("unknown tier `{other}` (host, browser, e2e)").into()),
    }
}

/// The release build, its size budget, then the end-to-end tier against it.
fn built_e2e() -> Result {
    let build_dir = build::release()?;
    size::check(&build_dir)?;
    let dist_root = e2e_dists(&build_dir)?;
    e2e(&dist_root, &build_dir)
}

/// Tier 1. The server's tests run twice, one test body on two stores (issue 11): on
/// SQLite with the rest of the workspace, then on PostgreSQL, each test with a new
/// database on a throwaway cluster made for this run.
pub fn host() -> Result {
    let pg = crate::pg::Cluster::start()?;
    let started = std::time::Instant::now();
    let n = run_tests(
        cmd("cargo")
            .args(["test", "--workspace"])
            .env("LINLI_TEST_PG", &pg.url)
            .env("LINLI_REQUIRE_PG", "1"),
    )
    .inspect_err(|_| pg.report())?;
    let sqlite_time = started.elapsed();
    let started = std::time::Instant::now();
    let on_postgres = run_tests(
        cmd("cargo")
            .args(["test", "-p", "linli-server"])
            .env("LINLI_TEST_PG", &pg.url)
            .env("LINLI_REQUIRE_PG", "1")
            .env("LINLI_TEST_ENGINE", "postgres"),
    )
    .inspect_err(|_| pg.report())?;
    let postgres_time = started.elapsed();
    drop(pg);
    println!(
        "host tier: workspace with the server on SQLite {n} tests ({:.0} s); the server on \
         PostgreSQL {on_postgres} tests ({:.0} s)",
        sqlite_time.as_secs_f64(),
        postgres_time.as_secs_f64()
    );
    // The core's serde feature is for host users only; no workspace crate turns it on.
    let serde = run_tests(cmd("cargo").args([
        "test",
        "-p",
        "linli-core",
        "--features",
        "serde",
        "--lib",
        "serde_impl",
    ]))?;
    println!("host tier: {} tests passed", n + on_postgres + serde);
    Ok(())
}

/// Tier 2.
pub fn browser() -> Result {
    let dir = root().join("tests").join("browser");
    let n = run_tests(
        cmd("cargo")
            .args([
                "test",
                "-p",
                "linli-browser-tests",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .current_dir(&dir)
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    println!("browser tier: {n} tests passed");
    Ok(())
}

/// Builds every example deployment for the end-to-end tests.
fn e2e_dists(build_dir: &std::path::Path) -> Result<PathBuf> {
    let out = root().join("target").join("e2e-dist");
    for name in ["qingshan", "hehua"] {
        dist::dist(
            &root().join("examples").join(name),
            build_dir,
            &out.join(name),
        )?;
    }
    Ok(out)
}

/// Tier 3.
pub fn e2e(dist_root: &std::path::Path, build_dir: &std::path::Path) -> Result {
    let specs: Vec<String> = list_files(&root().join("tests").join("e2e"))?
        .into_iter()
        .filter(|f| f.ends_with(".spec.mjs"))
        .map(|f| format!("tests/e2e/{f}"))
        .collect();
    let server = crate::server::build(build_dir)?;
    let test_server = crate::server::build_test_server()?;
    // Two instances on one PostgreSQL for the sync spec: a throwaway cluster.
    let pg = crate::pg::Cluster::start()?;
    let n = run_tests(
        cmd("node")
            .arg("--test")
            .arg("--test-concurrency=1")
            .arg("--test-timeout=180000")
            .args(&specs)
            .env("LINLI_SERVER", server)
            .env("LINLI_TEST_SERVER", test_server)
            .env("LINLI_DIST", dist_root)
            .env("LINLI_TEST_PG", &pg.url)
            .env("LINLI_CHROMIUM", "/usr/bin/chromium"),
    )
    .inspect_err(|_| pg.report())?;
    drop(pg);
    println!("end-to-end tier: {n} tests passed");
    Ok(())
}
