//! Several server processes on one PostgreSQL database (issue 11): every guarantee
//! comes from the database, not from a lock inside one process. Two real server
//! processes (the `test_server` example, which is linli-server with the `test_note`
//! kind) share one database: 1,000 concurrent replays of one submission spread over
//! both store one row and get one ack, and 2,000 submissions written through both at
//! once leave one audit chain that `linli-server audit verify` finds intact.
//!
//! PostgreSQL only: one SQLite file is served by one process (DEPLOY.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use common::wire::Client;
use common::*;
use linli_core::json::{self, Value};
use linli_core::sync::wire::{Envelope, SubmissionId};
use linli_server::Actor;

/// A server process serving the test database; killed when dropped.
struct Instance {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `target/debug/examples/test_server`, built by `cargo test` beside this test.
fn test_server() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let path = profile.join("examples").join("test_server");
    assert!(
        path.is_file(),
        "{} is missing (cargo test builds it)",
        path.display()
    );
    path
}

/// Starts a server process on `db` and waits until it listens.
fn start(db: &TestDb) -> Instance {
    let mut child = Command::new(test_server())
        .args(["serve", "--port", "0"])
        .args(db.args())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server stopped before it listened")
            .unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.trim_end_matches('/').parse().unwrap();
        }
    };
    // The rest of its output is read so the process never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Instance { child, addr }
}

/// A household with a linked device on `db`; its token.
async fn household(db: &TestDb) -> String {
    let store = open_store(db).await;
    let now = system_ms();
    let day = 86_400_000;
    let unit = store
        .add_unit("3幢2单元401", "3", &Actor::system(), now - day)
        .await
        .unwrap();
    let code = store
        .issue_code(unit, &Actor::system(), now - day)
        .await
        .unwrap();
    let (token, _) = store
        .register_device(&code, "phone-1", now - day)
        .await
        .unwrap()
        .unwrap();
    store.close().await;
    token
}

fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The `n`-th note of a run, made `created_at`.
fn note(n: u64, created_at: i64) -> String {
    let mut bytes = [0x5a; 16];
    bytes[..8].copy_from_slice(&n.to_le_bytes());
    let envelope = Envelope {
        id: SubmissionId::from_random(bytes),
        kind: "test_note".into(),
        payload: Value::Object(vec![("text".into(), Value::String("楼道灯坏了".into()))]),
        created_at: created_at as u64,
        device: "phone-1".into(),
    };
    json::to_string(&envelope.to_value())
}

/// Posts `bodies[c]` on connection `c`, connection `c` going to instance `c % 2`, all
/// connections at once; every (status, body) answered.
async fn post_spread(
    addrs: [SocketAddr; 2],
    token: &str,
    bodies: Vec<Vec<String>>,
) -> Vec<(u16, String)> {
    let token = Arc::new(token.to_owned());
    let mut tasks = Vec::new();
    for (c, list) in bodies.into_iter().enumerate() {
        let token = token.clone();
        let addr = addrs[c % 2];
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(addr).await;
            let mut answers = Vec::new();
            for body in &list {
                answers.push(client.post("/api/v1/submissions", &token, body).await);
            }
            answers
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all
}

/// A new PostgreSQL database with a linked household, and two server processes on
/// it: (database, the household's token, the processes). `None` on SQLite.
async fn two_instances() -> Option<(TestDb, String, [Instance; 2])> {
    if !on_postgres() {
        eprintln!("PostgreSQL only: one SQLite file is served by one process");
        return None;
    }
    let db = temp_db();
    let token = household(&db).await;
    let instances = [start(&db), start(&db)];
    Some((db, token, instances))
}

/// How many audit entries record a stored submission.
fn created(entries: &[linli_server::audit::AuditEntry]) -> usize {
    entries
        .iter()
        .filter(|e| e.action == "submission.create")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_replays_over_two_processes_store_one_row_with_one_ack() {
    let Some((db, token, instances)) = two_instances().await else {
        return;
    };
    let body = note(1, system_ms());
    // 40 connections, 20 to each process, 25 replays each, all at once.
    let bodies = (0..40).map(|_| vec![body.clone(); 25]).collect();
    let answers = post_spread([instances[0].addr, instances[1].addr], &token, bodies).await;
    assert_eq!(answers.len(), 1_000);
    let first = answers[0].clone();
    assert_eq!(first.0, 200, "{}", first.1);
    assert!(
        answers.iter().all(|a| *a == first),
        "every replay got the same ack: {:?}",
        answers.iter().find(|a| **a != first)
    );
    drop(instances);
    let store = open_store(&db).await;
    assert_eq!(store.submission_count().await.unwrap(), 1);
    let entries = store.audit_entries().await.unwrap();
    assert_eq!(created(&entries), 1, "one audit entry for the one row");
    println!("1,000 replays over two processes: 1 row, 1 ack, 1 audit entry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_writing_two_thousand_submissions_keep_one_audit_chain() {
    let Some((db, token, instances)) = two_instances().await else {
        return;
    };
    let now = system_ms();
    // 16 connections, 8 to each process, 125 distinct submissions each.
    let bodies: Vec<Vec<String>> = (0..16u64)
        .map(|c| (0..125u64).map(|i| note(c * 1_000 + i, now)).collect())
        .collect();
    let answers = post_spread([instances[0].addr, instances[1].addr], &token, bodies).await;
    assert_eq!(answers.len(), 2_000);
    assert!(
        answers.iter().all(|(status, _)| *status == 200),
        "{:?}",
        answers.iter().find(|(status, _)| *status != 200)
    );
    drop(instances);

    let store = open_store(&db).await;
    assert_eq!(store.submission_count().await.unwrap(), 2_000);
    let entries = store.audit_entries().await.unwrap();
    let seqs: Vec<i64> = entries.iter().map(|e| e.seq).collect();
    assert_eq!(
        seqs,
        (1..=entries.len() as i64).collect::<Vec<_>>(),
        "no gaps, no forks"
    );
    assert_eq!(created(&entries), 2_000);
    store.close().await;
    let out = Command::new(env!("CARGO_BIN_EXE_linli-server"))
        .args(["audit", "verify"])
        .args(db.args())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(&format!("audit log intact: {} entries", entries.len())),
        "{said}"
    );
    println!("2,000 submissions through two processes: {}", said.trim());
}
