//! Submissions per second on loopback: `cargo xtask bench server [CLIENTS] [REQUESTS]`.
//!
//! A real server (router, SQLite file in WAL mode, audit chain) on 127.0.0.1 and N
//! concurrent keep-alive clients, each posting distinct submissions; then a replay
//! round of the same ids (answered from the unique index). Prints throughput and
//! latency percentiles. Then the storage's own rate for the same rows written directly
//! (one transaction per submission: the row, its `received` event, the keyed audit
//! entry, under the same write lock and indexes, no HTTP), and what share of it the
//! server reaches (issue 11 aims at half or more). Bounded in count; only loopback
//! traffic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use linli_core::json::{self, Value};
use linli_core::sync::wire::{Envelope, SubmissionId};
use linli_server::{router, Actor, AppState, Registry, Store};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One keep-alive connection; returns the status of each POST.
async fn post(stream: &mut BufReader<TcpStream>, token: &str, body: &str) -> u16 {
    let request = format!(
        "POST /api/v1/submissions HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream
        .get_mut()
        .write_all(request.as_bytes())
        .await
        .unwrap();
    let mut status_line = String::new();
    stream.read_line(&mut status_line).await.unwrap();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        stream.read_line(&mut line).await.unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.unwrap();
    status
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn round(
    addr: std::net::SocketAddr,
    token: &str,
    bodies: Arc<Vec<Vec<String>>>,
) -> (Duration, Vec<Duration>) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..bodies.len() {
        let (bodies, token) = (bodies.clone(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut stream = BufReader::new(TcpStream::connect(addr).await.unwrap());
            let mut latencies = Vec::with_capacity(bodies[client].len());
            for body in &bodies[client] {
                let t = Instant::now();
                assert_eq!(post(&mut stream, &token, body).await, 200);
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

fn report(label: &str, elapsed: Duration, latencies: &[Duration]) {
    println!(
        "{label:<8} {:>6} requests in {:>7.2} s = {:>7.0} submissions/s   p50 {:>6.2} ms   p99 {:>6.2} ms",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(latencies, 0.5).as_secs_f64() * 1e3,
        percentile(latencies, 0.99).as_secs_f64() * 1e3,
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let clients = args.first().copied().unwrap_or(16).clamp(1, 256);
    let per_client = args
        .get(1)
        .copied()
        .unwrap_or(8_000)
        .clamp(clients, 100_000)
        / clients;

    let dir = std::env::temp_dir().join(format!("linli-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("bench.sqlite3");
    let store = Arc::new(
        Store::open(&db, &linli_server::store::default_key_path(&db))
            .await
            .unwrap(),
    );
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
    let app = router(AppState {
        scenarios: Registry::new(vec![Arc::new(linli_server::app::Note)]),
        ..AppState::new(store.clone())
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(linli_server::http::serve::serve(listener, app));

    let mut n: u64 = 0;
    // Created now: the server refuses a device time it could not have been made at.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let bodies: Vec<Vec<String>> = (0..clients)
        .map(|_| {
            (0..per_client)
                .map(|_| {
                    n += 1;
                    json::to_string(&note(n, 0, now).to_value())
                })
                .collect()
        })
        .collect();
    let bodies = Arc::new(bodies);
    println!("linli-server throughput on loopback: {clients} clients x {per_client} submissions, SQLite WAL, audit chain on");
    let (elapsed_new, lat) = round(addr, &token, bodies.clone()).await;
    report("new", elapsed_new, &lat);
    let (elapsed, lat) = round(addr, &token, bodies).await;
    report("replay", elapsed, &lat);
    let stored = store.submission_count().await.unwrap();
    println!("stored rows: {stored} (expected {})", clients * per_client);
    assert_eq!(
        stored as usize,
        clients * per_client,
        "a replay stored a second row"
    );
    let server_rate = (clients * per_client) as f64 / elapsed_new.as_secs_f64();
    // The same rows straight into the store, as many writers at once.
    let total = clients * per_client;
    let started = Instant::now();
    let mut writers = Vec::new();
    for w in 0..clients {
        let store = store.clone();
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
    let direct_rate = total as f64 / direct.as_secs_f64();
    println!(
        "direct   {total:>6} rows     in {:>7.2} s = {direct_rate:>7.0} transactions/s (the store alone)",
        direct.as_secs_f64()
    );
    println!(
        "server/direct: {:.0}% of the storage's own rate",
        100.0 * server_rate / direct_rate
    );
    let _ = std::fs::remove_dir_all(&dir);
}
