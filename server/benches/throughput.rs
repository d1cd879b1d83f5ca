//! Submissions per second on loopback: `cargo xtask bench server [CLIENTS] [REQUESTS]
//! [--db sqlite|postgres] [--instances 1|2]`.
//!
//! For each configuration — SQLite with one instance, PostgreSQL with one and with
//! two (`LINLI_BENCH_PG`: the cluster xtask starts, fsync and synchronous commit on) —
//! real servers (router, store, audit chain) on 127.0.0.1, and N concurrent keep-alive
//! clients spread over the instances, each posting distinct submissions; then a replay
//! round of the same ids (answered from the unique index). Two instances are two
//! routers, each with its own store and pool, in this process: to the database they
//! are two servers. Then the storage's own rate for the same rows written directly
//! (one transaction per submission: the row, its `received` event, the keyed audit
//! entry, through the same stores, locks and indexes, no HTTP), and what share of it
//! the server reaches (issue 11 aims at half or more). One table at the end. Bounded in
//! count; only loopback traffic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use linli_core::json::{self, Value};
use linli_core::sync::wire::{Envelope, SubmissionId};
use linli_server::store::{Engine, Location};
use linli_server::{router, Actor, AppState, Registry, Store};

#[path = "../tests/common/wire.rs"]
mod wire;

#[path = "../tests/common/pg.rs"]
mod pg;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn round(
    addrs: &[std::net::SocketAddr],
    token: &str,
    bodies: Arc<Vec<Vec<String>>>,
) -> (Duration, Vec<Duration>) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..bodies.len() {
        let (bodies, token) = (bodies.clone(), token.to_owned());
        let addr = addrs[client % addrs.len()];
        tasks.push(tokio::spawn(async move {
            let mut client_conn = wire::Client::connect(addr).await;
            let mut latencies = Vec::with_capacity(bodies[client].len());
            for body in &bodies[client] {
                let t = Instant::now();
                let (status, _) = client_conn.post("/api/v1/submissions", &token, body).await;
                assert_eq!(status, 200);
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    all.sort();
    (elapsed, all)
}

/// The `n`-th `test_note` submission (its id's last bytes `fill`, so two runs' ids
/// never meet), made at `created_at` (ms).
fn note(n: u64, fill: u8, created_at: u64) -> Envelope {
    let mut bytes = [fill; 16];
    bytes[..8].copy_from_slice(&n.to_le_bytes());
    Envelope {
        id: SubmissionId::from_random(bytes),
        kind: "test_note".into(),
        payload: Value::Object(vec![(
            "text".into(),
            Value::String("停水了，请尽快处理".into()),
        )]),
        created_at,
        device: "bench".into(),
    }
}

/// One configuration's figures.
struct Figures {
    label: String,
    new: (Duration, Vec<Duration>),
    replay: (Duration, Vec<Duration>),
    direct: Duration,
    total: usize,
}

fn rate(n: usize, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A new, empty database for a configuration.
async fn database(engine: Engine, n: usize, dir: &std::path::Path) -> Location {
    match engine {
        Engine::Sqlite => Location::File(dir.join(format!("bench-{n}.sqlite3"))),
        Engine::Postgres => {
            let admin = std::env::var("LINLI_BENCH_PG")
                .expect("LINLI_BENCH_PG: `cargo xtask bench server` starts a PostgreSQL");
            let name = format!("bench_{}_{n}", std::process::id());
            Location::Postgres(pg::create_database(&admin, &name).await)
        }
    }
}

async fn run(
    engine: Engine,
    instances: usize,
    n: usize,
    dir: &std::path::Path,
    clients: usize,
    per_client: usize,
) -> Figures {
    let at = database(engine, n, dir).await;
    let key = dir.join(format!("bench-{n}.key"));
    let mut stores = Vec::new();
    for _ in 0..instances {
        stores.push(Arc::new(Store::open(&at, &key).await.unwrap()));
    }
    let store = stores[0].clone();
    let unit = store
        .add_unit("1幢101", "1", &Actor::system(), 0)
        .await
        .unwrap();
    let code = store.issue_code(unit, &Actor::system(), 0).await.unwrap();
    let (token, _) = store
        .register_device(&code, "bench", 0)
        .await
        .unwrap()
        .unwrap();
    let mut addrs = Vec::new();
    for s in &stores {
        let app = router(AppState {
            scenarios: Registry::new(vec![Arc::new(linli_server::app::Note)]),
            ..AppState::new(s.clone())
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        addrs.push(listener.local_addr().unwrap());
        tokio::spawn(linli_server::http::serve::serve(listener, app));
    }

    let mut k: u64 = 0;
    // Created now: the server refuses a device time it could not have been made at.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let bodies: Vec<Vec<String>> = (0..clients)
        .map(|_| {
            (0..per_client)
                .map(|_| {
                    k += 1;
                    json::to_string(&note(k, 0, now).to_value())
                })
                .collect()
        })
        .collect();
    let bodies = Arc::new(bodies);
    let new = round(&addrs, &token, bodies.clone()).await;
    let replay = round(&addrs, &token, bodies).await;
    let total = clients * per_client;
    let stored = store.submission_count().await.unwrap();
    assert_eq!(stored as usize, total, "a replay stored a second row");

    // The same rows straight into the stores, as many writers at once, spread over
    // the instances' stores as the clients were.
    let started = Instant::now();
    let mut writers = Vec::new();
    for w in 0..clients {
        let store = stores[w % stores.len()].clone();
        writers.push(tokio::spawn(async move {
            for i in 0..per_client {
                let env = note((w * per_client + i) as u64, 0xff, 0);
                let payload = json::to_string(&env.payload);
                let digest = linli_server::store::submission_digest(store.key(), &env.id, &payload);
                store
                    .write_tx(async |tx| {
                        let stored = linli_server::store::StoredSubmission {
                            envelope: &env,
                            unit_id: unit,
                            payload: &payload,
                            digest: &digest,
                        };
                        linli_server::store::insert_submission(tx.conn(), stored, 1).await?;
                        linli_server::store::add_event(
                            tx.conn(),
                            env.id.as_str(),
                            unit,
                            "received",
                            1,
                        )
                        .await?;
                        tx.audit(1, &Actor::unit(unit), "submission.create", env.id.as_str())
                            .await
                    })
                    .await
                    .unwrap();
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    let direct = started.elapsed();
    for s in &stores {
        s.close().await;
    }
    let name = match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    };
    Figures {
        label: format!("{name:<9} {instances:>9}"),
        new,
        replay,
        direct,
        total,
    }
}

/// The value after `name` in the arguments.
fn option(args: &[String], name: &str) -> Option<String> {
    args.windows(2).find(|w| w[0] == name).map(|w| w[1].clone())
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let numbers: Vec<usize> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .filter_map(|a| a.parse().ok())
        .collect();
    let clients = numbers.first().copied().unwrap_or(16).clamp(1, 256);
    let per_client = numbers
        .get(1)
        .copied()
        .unwrap_or(8_000)
        .clamp(clients, 100_000)
        / clients;
    let engine = option(&args, "--db");
    let instances = option(&args, "--instances").and_then(|n| n.parse::<usize>().ok());
    // One SQLite file is served by one process.
    let configurations: Vec<(Engine, usize)> = [
        (Engine::Sqlite, 1),
        (Engine::Postgres, 1),
        (Engine::Postgres, 2),
    ]
    .into_iter()
    .filter(|(e, _)| match engine.as_deref() {
        Some("sqlite") => *e == Engine::Sqlite,
        Some("postgres") => *e == Engine::Postgres,
        _ => true,
    })
    .filter(|(_, i)| instances.is_none_or(|n| n == *i))
    .collect();

    let dir = std::env::temp_dir().join(format!("linli-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    println!(
        "linli-server throughput on loopback: {clients} clients x {per_client} submissions, \
         audit chain on; SQLite in WAL mode, PostgreSQL with fsync and synchronous commit"
    );
    let mut table = Vec::new();
    for (n, (engine, instances)) in configurations.into_iter().enumerate() {
        let figures = run(engine, instances, n, &dir, clients, per_client).await;
        println!(
            "{}: {:.0} submissions/s, direct {:.0}/s",
            figures.label.trim(),
            rate(figures.total, figures.new.0),
            rate(figures.total, figures.direct)
        );
        table.push(figures);
    }
    println!();
    println!(
        "engine    instances  submissions/s   p50 ms   p99 ms   replays/s  replay p99 ms   direct tx/s  server/direct"
    );
    for f in &table {
        let server = rate(f.total, f.new.0);
        let direct = rate(f.total, f.direct);
        println!(
            "{}  {server:>13.0}  {:>7.2}  {:>7.2}  {:>10.0}  {:>13.2}  {direct:>12.0}  {:>12.0}%",
            f.label,
            ms(percentile(&f.new.1, 0.5)),
            ms(percentile(&f.new.1, 0.99)),
            rate(f.total, f.replay.0),
            ms(percentile(&f.replay.1, 0.99)),
            100.0 * server / direct,
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
