//! Project automation for linli. Run `cargo xtask help`.

mod build;
mod classes;
mod compress;
mod dist;
mod pg;
mod server;
mod setup;
mod size;
mod test;
mod util;

use std::path::{Path, PathBuf};

use util::{root, Result};

const HELP: &str = "\
cargo xtask <command>

  demo [--deployment DIR] [--port N]  install what is missing, build, seed a demo database and
                                      serve a branded deployment with linli-server (default
                                      examples/qingshan on port 8080)
  test [host|browser|e2e]             install what tests need and run every tier:
                                      host, browser, size budget, end-to-end
  setup [--for test]                  install the toolchain (wasm32 target, rust-src, trunk,
                                      wasm-bindgen-cli, node tools; --for test adds Chromium)
  lint                                cargo fmt --check and clippy -D warnings (host, wasm32)
  build                               release build of the shell into target/trunk-dist
  release                             the one binary a sub-district deploys: linli-server
                                      (release profile) with the residents' app in it, at
                                      target/release/linli-server (see DEPLOY.md)
  dist --deployment DIR [--out DIR]   assemble a deployable folder (default dist/<name>)
  size                                brotli and gzip sizes of the release build: per file, the
                                      shell without scenarios and what each scenario adds;
                                      fails over DESIGN.md's budgets (xtask/src/size.rs)
  gallery [--port N]                  serve the widgets gallery (examples/gallery: every widget
                                      alone with fixture data, both languages, both modes)
  check-config FILE...                check config files and print every located problem
  bench server [CLIENTS] [REQUESTS] [--db sqlite|postgres] [--instances 1|2]
                                      submissions per second on loopback (default 16 x 8000),
                                      each engine and instance count side by side, beside the
                                      engine's own rate for the same rows
";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = dispatch(&args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// The value after `--name`, if given.
fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn port(args: &[String], default: u16) -> Result<u16> {
    match flag(args, "--port") {
        Some(p) => Ok(p
            .parse()
            .map_err(|_| format!("--port {p}: not a port number"))?),
        None => Ok(default),
    }
}

fn dispatch(args: &[String]) -> Result {
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("demo") => demo(rest),
        Some("test") => test::run_tiers(rest.first().map(String::as_str)),
        Some("setup") => setup::setup(if flag(rest, "--for") == Some("test") {
            setup::Purpose::Test
        } else {
            setup::Purpose::Build
        }),
        Some("lint") => lint(),
        Some("build") => build::release().map(|_| ()),
        Some("release") => {
            setup::setup(setup::Purpose::Build)?;
            let binary = server::release(&build::release()?)?;
            let size = std::fs::metadata(&binary)?.len();
            println!(
                "{} ({:.1} MB): copy it to the server and run `linli-server init --data DIR`, \
                 then `linli-server serve --data DIR` (DEPLOY.md)",
                binary.display(),
                size as f64 / 1_048_576.0
            );
            Ok(())
        }
        Some("dist") => {
            let deployment = flag(rest, "--deployment").ok_or("dist needs --deployment DIR")?;
            let deployment = PathBuf::from(deployment);
            let out = match flag(rest, "--out") {
                Some(o) => PathBuf::from(o),
                None => root().join("dist").join(name_of(&deployment)?),
            };
            let build_dir = build::release()?;
            dist::dist(&deployment, &build_dir, &out)?;
            println!("deployment written to {}", out.display());
            Ok(())
        }
        Some("size") => {
            setup::setup(setup::Purpose::Build)?;
            size::check(&build::release()?).map(|_| ())
        }
        Some("check-config") => check_config(rest),
        Some("gallery") => {
            setup::setup(setup::Purpose::Build)?;
            let port = port(rest, 8090)?.to_string();
            println!("gallery at http://127.0.0.1:{port}/ (Ctrl+C stops)");
            util::run(util::cmd("trunk").args([
                "serve",
                "--offline",
                "--port",
                &port,
                "--dist",
                "target/gallery",
                "examples/gallery/index.html",
            ]))
        }
        Some("bench") if rest.first().map(String::as_str) == Some("server") => {
            let args = rest.get(1..).unwrap_or_default();
            let sqlite_only = args.windows(2).any(|w| w[0] == "--db" && w[1] == "sqlite");
            // PostgreSQL as deployed: a throwaway cluster with fsync and synchronous
            // commit on, removed afterwards.
            let pg = if sqlite_only {
                None
            } else {
                setup::postgres()?;
                Some(pg::Cluster::start_durable()?)
            };
            let mut c = util::cmd("cargo");
            c.args(["bench", "-p", "linli-server", "--bench", "throughput", "--"]);
            if let Some(pg) = &pg {
                c.env("LINLI_BENCH_PG", &pg.url);
            }
            util::run(c.args(args))
        }
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{HELP}").into()),
    }
}

fn name_of(deployment: &Path) -> Result<String> {
    deployment
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{}: not a folder name", deployment.display()).into())
}

fn demo(args: &[String]) -> Result {
    let deployment = flag(args, "--deployment")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("examples").join("qingshan"));
    setup::setup(setup::Purpose::Build)?;
    let build_dir = build::release()?;
    let name = name_of(&deployment)?;
    let out = root().join("dist").join(&name);
    let config = dist::dist(&deployment, &build_dir, &out)?;
    let server = server::build_release()?;
    // A fresh demo database each run, so the printed codes are the live ones.
    let db = root()
        .join("target")
        .join("demo")
        .join(format!("{name}.sqlite3"));
    server::reset(&db)?;
    println!("\n{} ({}): demo data", config.name.zh, config.id);
    util::run(
        std::process::Command::new(&server)
            .args(["seed-demo", "--db"])
            .arg(&db)
            .arg("--static")
            .arg(&out),
    )?;
    println!("\nOpen it on a phone-sized window; staff pages at /staff. Ctrl+C stops.");
    util::run(
        std::process::Command::new(&server)
            // --demo: the printed demo passwords are accepted and no second factor is
            // asked; a real deployment never passes it (DEPLOY.md).
            .args([
                "serve",
                "--demo",
                "--port",
                &port(args, 8080)?.to_string(),
                "--db",
            ])
            .arg(&db)
            .arg("--static")
            .arg(&out),
    )
}

fn lint() -> Result {
    util::run(util::cmd("cargo").args(["fmt", "--all", "--check"]))?;
    let taken = classes::collisions(&util::root())?;
    if !taken.is_empty() {
        return Err(format!(
            "a base widget's classes used elsewhere:\n{}",
            taken.join("\n")
        )
        .into());
    }
    // Host; the browser's crates for wasm32; the core's serde feature (host users
    // only); the shell without its scenarios. Every one warning-free.
    let wasm = ["--target", "wasm32-unknown-unknown"];
    clippy(&["--workspace", "--all-targets"])?;
    clippy(
        &[
            &[
                "--workspace",
                "--exclude",
                "xtask",
                "--exclude",
                "linli-server",
            ][..],
            &["--all-targets"],
            &wasm,
        ]
        .concat(),
    )?;
    clippy(&["-p", "linli-core", "--features", "serde", "--all-targets"])?;
    clippy(&[&["-p", "linli-shell", "--no-default-features"][..], &wasm].concat())
}

/// `cargo clippy ARGS -- -D warnings`.
fn clippy(args: &[&str]) -> Result {
    util::run(
        util::cmd("cargo")
            .arg("clippy")
            .args(args)
            .args(["--", "-D", "warnings"]),
    )
}

fn check_config(files: &[String]) -> Result {
    if files.is_empty() {
        return Err("check-config needs at least one config.json".into());
    }
    let mut bad = 0;
    for file in files {
        let path = Path::new(file);
        let text = std::fs::read_to_string(path).map_err(|e| format!("{file}: {e}"))?;
        match linli_core::config::parse(&text) {
            Ok(c) => println!("{file}: ok ({}, {} notices)", c.name.zh, c.notices.len()),
            Err(e) => {
                bad += 1;
                for fe in &e.errors {
                    println!("{file}: {fe}");
                }
            }
        }
    }
    if bad > 0 {
        return Err(format!("{bad} config file(s) have errors").into());
    }
    Ok(())
}
