//! The keyed audit chain from the command line: `audit head`, and `audit verify`
//! (read-only; with the published head it also finds truncation).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::{Command, Output};

use axum::http::StatusCode;
use common::*;
use linli_core::json;
use linli_core::sync::wire::{Envelope, SubmissionId};

fn server(args: &[&str], db: &TestDb) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linli-server"))
        .args(args)
        .args(db.args())
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

async fn with_submissions(n: u8) -> Fixture {
    let f = fixture().await;
    for i in 0..n {
        let env = Envelope {
            id: SubmissionId::from_random([40 + i; 16]),
            kind: "test_note".into(),
            payload: json::from_str(r#"{"text": "x"}"#).unwrap(),
            created_at: T0 as u64,
            device: "phone-1".into(),
        };
        let body = json::to_string(&env.to_value());
        let (status, _) = call(&f.app, post("/api/v1/submissions", Some(&f.token), &body)).await;
        assert_eq!(status, StatusCode::OK);
    }
    f
}

#[tokio::test]
async fn deleting_the_newest_entries_fails_verify_against_the_published_head() {
    let f = with_submissions(3).await;
    let head = server(&["audit", "head"], &f.db);
    assert!(head.status.success(), "{}", text(&head));
    let head = String::from_utf8(head.stdout).unwrap().trim().to_owned();
    assert!(head.starts_with("6:"), "{head}");
    let ok = server(&["audit", "verify", "--head", &head], &f.db);
    assert!(ok.status.success(), "{}", text(&ok));
    sqlx::query("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
        .execute(f.store.pool())
        .await
        .unwrap();
    let alone = server(&["audit", "verify"], &f.db);
    assert!(
        alone.status.success(),
        "without the head a shorter chain looks whole"
    );
    let broken = server(&["audit", "verify", "--head", &head], &f.db);
    assert!(!broken.status.success());
    assert!(
        text(&broken).contains("TAMPERED at entry 6"),
        "{}",
        text(&broken)
    );
}

#[tokio::test]
async fn a_chain_rewritten_without_the_key_fails_verify() {
    let f = with_submissions(2).await;
    // Rewrite every entry's subject and recompute the plain SHA-256 chain, as someone
    // with the database but not the key file could.
    let entries = f.store.audit_entries().await.unwrap();
    let mut prev = linli_server::audit::GENESIS.to_owned();
    for e in &entries {
        let fields = linli_server::audit::Fields {
            seq: e.seq,
            at: e.at,
            actor: &e.actor,
            role: &e.role,
            action: &e.action,
            subject: "forged",
        };
        let hash = linli_server::audit::chain_hash(None, &prev, fields);
        sqlx::query("UPDATE audit_log SET subject = 'forged', prev_hash = $1, hash = $2, scheme = 0 WHERE seq = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(e.seq)
            .execute(f.store.pool())
            .await
            .unwrap();
        prev = hash;
    }
    let out = server(&["audit", "verify"], &f.db);
    assert!(!out.status.success());
    assert!(text(&out).contains("TAMPERED at entry 1"), "{}", text(&out));
}

#[test]
fn verify_on_a_missing_file_fails_and_creates_nothing() {
    let dir = temp_dir();
    let db = dir.join("typo.sqlite3");
    let key = dir.join("real.key");
    let made = Command::new(env!("CARGO_BIN_EXE_linli-server"))
        .args(["seed-demo", "--db"])
        .arg(dir.join("real.sqlite3"))
        .arg("--key")
        .arg(&key)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made));
    let out = Command::new(env!("CARGO_BIN_EXE_linli-server"))
        .args(["audit", "verify", "--db"])
        .arg(&db)
        .arg("--key")
        .arg(&key)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("cannot open"), "{}", text(&out));
    assert!(
        !db.exists(),
        "verify created the database it was asked about"
    );
}

#[tokio::test]
async fn an_emptied_audit_log_with_rows_left_fails_verify() {
    let f = with_submissions(1).await;
    sqlx::query("DELETE FROM audit_log")
        .execute(f.store.pool())
        .await
        .unwrap();
    let out = server(&["audit", "verify"], &f.db);
    assert!(!out.status.success());
    assert!(text(&out).contains("EMPTIED"), "{}", text(&out));
}

#[tokio::test]
async fn a_missing_key_file_is_never_silently_replaced() {
    let f = with_submissions(1).await;
    let key = f.db.key.clone();
    let saved = std::fs::read(&key).unwrap();
    std::fs::remove_file(&key).unwrap();
    let out = server(&["staff", "list"], &f.db);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("restore the key file"),
        "{}",
        text(&out)
    );
    assert!(!key.exists(), "no new key was made");
    std::fs::write(&key, saved).unwrap();
    assert!(server(&["audit", "verify"], &f.db).status.success());
}

#[tokio::test]
async fn a_backup_verifies_with_the_key() {
    if sqlite_only("backup copies the SQLite file (PostgreSQL: pg_dump)") {
        return;
    }
    let f = with_submissions(2).await;
    let copy = f.db.dir.join("copy.sqlite3");
    let out = server(&["backup", "--to", copy.to_str().unwrap()], &f.db);
    assert!(out.status.success(), "{}", text(&out));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the backup is readable by the server's user only"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_linli-server"))
        .args(["audit", "verify", "--db"])
        .arg(&copy)
        .arg("--key")
        .arg(&f.db.key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
}

#[tokio::test]
async fn a_key_that_cannot_be_written_leaves_the_database_new() {
    let db = temp_db();
    // A key file under a regular file cannot be made.
    let blocker = db.dir.join("not-a-folder");
    std::fs::write(&blocker, "").unwrap();
    let unwritable = blocker.join("server.key");
    assert!(linli_server::Store::open(&db.at, &unwritable)
        .await
        .is_err());
    // The database is still new: with a key path that works, it opens.
    let store = linli_server::Store::open(&db.at, &db.key).await.unwrap();
    assert_eq!(store.key().audit_keyed_from, 1);
    let leftovers: Vec<_> = std::fs::read_dir(&**db.dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test]
async fn a_server_with_another_key_file_is_refused_before_it_writes() {
    let f = with_submissions(1).await;
    let before = f.store.audit_entries().await.unwrap().len();
    // Another database's key: a wrong copy on a second instance.
    let other = temp_db();
    drop(open_store(&other).await);
    let refused = match linli_server::Store::open(&f.db.at, &other.key).await {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a store opened with another database's key"),
    };
    assert!(
        refused.contains("is not the key this database is written with"),
        "{refused}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_linli-server"))
        .args(["audit", "verify"])
        .args(
            TestDb {
                key: other.key.clone(),
                ..f.db.clone()
            }
            .args(),
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("is not the key"), "{}", text(&out));
    assert_eq!(f.store.audit_entries().await.unwrap().len(), before);
    // The right key still opens it.
    drop(
        linli_server::Store::open(&f.db.at, &f.db.key)
            .await
            .unwrap(),
    );
}
