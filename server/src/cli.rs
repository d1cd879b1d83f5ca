//! The `linli-server` command line: serve, verify the audit log, seed demo data.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use linli_core::config::ShellConfig;

use crate::{audit, demo, router, AppState, Kinds, Store};

const HELP: &str = "\
linli-server serve [--db FILE] [--static DIR] [--port N]   serve the API (and a deployment folder)
linli-server audit verify [--db FILE]                      walk the audit chain, report the first bad entry
linli-server seed-demo [--db FILE] [--static DIR]          fill an empty database with demo households and staff
                                                           (and elders and menus when the deployment offers meals)

--db defaults to $LINLI_DB or linli.sqlite3; --port to 8080. The deployment's config is
config.json in --static DIR, or --config FILE.
";

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// Opens (and migrates) the database named by the arguments, saying why it cannot.
async fn open_store(args: &[String]) -> Option<Store> {
    match Store::open(&db_path(args)).await {
        Ok(store) => Some(store),
        Err(e) => {
            eprintln!("cannot open the database: {e}");
            None
        }
    }
}

/// The deployment's config: `--config FILE`, else `config.json` in `--static DIR` if
/// there is one. Every problem is printed with its field. A broken `--config` stops the
/// server (the exit code in `Err`); a broken `config.json` in the folder does not, since
/// the folder is still served and the app shows residents the same located problems,
/// but the scenarios that need the config (meals) refuse submissions until it is fixed.
fn deployment(args: &[String]) -> Result<Option<ShellConfig>, i32> {
    let (path, required) = match (flag(args, "--config"), flag(args, "--static")) {
        (Some(file), _) => (PathBuf::from(file), true),
        (None, Some(dir)) if PathBuf::from(&dir).join("config.json").is_file() => {
            (PathBuf::from(dir).join("config.json"), false)
        }
        _ => return Ok(None),
    };
    let checked = std::fs::read_to_string(&path)
        .map_err(|e| vec![e.to_string()])
        .and_then(|text| {
            linli_core::config::parse(&text)
                .map_err(|e| e.errors.iter().map(ToString::to_string).collect())
        });
    match checked {
        Ok(config) => Ok(Some(config)),
        Err(problems) => {
            eprintln!("{} has problems:", path.display());
            for problem in &problems {
                eprintln!("  {problem}");
            }
            if required {
                Err(1)
            } else {
                eprintln!(
                    "serving the folder anyway; meal submissions are refused until it is fixed"
                );
                Ok(None)
            }
        }
    }
}

fn db_path(args: &[String]) -> PathBuf {
    flag(args, "--db")
        .or_else(|| std::env::var("LINLI_DB").ok())
        .unwrap_or_else(|| "linli.sqlite3".into())
        .into()
}

/// Runs one command; the exit code. `kinds` are the submission kinds to accept.
pub async fn run(args: &[String], kinds: Kinds) -> i32 {
    match args.first().map(String::as_str) {
        Some("serve") => serve(args, kinds).await,
        Some("audit") if args.get(1).map(String::as_str) == Some("verify") => verify(args).await,
        Some("seed-demo") => seed_demo(args).await,
        _ => {
            eprint!("{HELP}");
            2
        }
    }
}

async fn serve(args: &[String], kinds: Kinds) -> i32 {
    let port: u16 = match flag(args, "--port").map(|p| p.parse()) {
        Some(Ok(p)) => p,
        Some(Err(_)) => {
            eprintln!("--port: not a port number");
            return 2;
        }
        None => 8080,
    };
    let Some(store) = open_store(args).await.map(Arc::new) else {
        return 1;
    };
    let config = match deployment(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let state = AppState::new(store, kinds);
    let state = match config {
        Some(c) => state.with_deployment(c),
        None => state,
    };
    let app = router(state, flag(args, "--static").map(PathBuf::from));
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
            return 1;
        }
    };
    println!("linli-server listening on http://127.0.0.1:{port}/");
    match axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
    {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("server stopped: {e}");
            1
        }
    }
}

async fn verify(args: &[String]) -> i32 {
    let Some(store) = open_store(args).await else {
        return 1;
    };
    let entries = match store.audit_entries().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot read the audit log: {e:?}");
            return 1;
        }
    };
    match audit::verify(&entries) {
        Ok(n) => {
            println!("audit log intact: {n} entries");
            0
        }
        Err(broken) => {
            println!(
                "audit log TAMPERED at entry {}: {}",
                broken.seq, broken.reason
            );
            1
        }
    }
}

async fn seed_demo(args: &[String]) -> i32 {
    let Some(store) = open_store(args).await else {
        return 1;
    };
    let config = match deployment(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let meals = config.as_ref().and_then(|c| c.meals.as_ref());
    match demo::seed(&store, crate::api::system_now(), meals).await {
        Ok(seed) => {
            println!(
                "Staff sign-in at /staff (password for every account: {}):",
                demo::DEMO_PASSWORD
            );
            for (name, role) in &seed.accounts {
                println!("  {name:<6} {}", role.as_str());
            }
            println!("Household codes to try:");
            for (unit, code) in &seed.codes {
                println!("  {unit:<8} {code}");
            }
            if !seed.meals.is_empty() {
                println!("Meals:");
                for line in &seed.meals {
                    println!("  - {line}");
                }
            }
            0
        }
        Err(e) => {
            eprintln!("cannot seed: {}", e.body().message);
            1
        }
    }
}
