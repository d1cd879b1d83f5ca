//! The `linli-server` command line: serve, verify the audit log, seed demo data.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::{audit, demo, router, AppState, Kinds, Store};

const HELP: &str = "\
linli-server serve [--db FILE] [--static DIR] [--port N]   serve the API (and a deployment folder)
linli-server audit verify [--db FILE]                      walk the audit chain, report the first bad entry
linli-server seed-demo [--db FILE]                         fill an empty database with demo households and staff

--db defaults to $LINLI_DB or linli.sqlite3; --port to 8080.
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
    let app = router(
        AppState::new(store, kinds),
        flag(args, "--static").map(PathBuf::from),
    );
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
    match demo::seed(&store, crate::api::system_now()).await {
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
            0
        }
        Err(e) => {
            eprintln!("cannot seed: {}", e.body().message);
            1
        }
    }
}
