//! A database made by the first release (tests/fixtures/first-release.db, see its
//! README) upgrades in place: migrations adopted and applied, every row kept, its
//! audit chain verified (plain SHA-256 before the key file, keyed after), and the
//! health data it kept in submission payloads gone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use linli_server::audit;

#[tokio::test]
async fn a_database_made_by_the_first_release_upgrades_in_place() {
    if sqlite_only("the first release's SQLite file") {
        return;
    }
    let dir = temp_dir();
    let db = dir.join("first-release.sqlite3");
    std::fs::copy("tests/fixtures/first-release.db", &db).unwrap();
    let key = linli_server::store::default_key_path(&db);
    // Its log has entries and there is no key: opening is refused until the key is
    // started on purpose.
    let Err(refused) = linli_server::Store::open(&db, &key).await else {
        panic!("a keyless database with a log opened");
    };
    assert!(refused.to_string().contains("audit start-key"), "{refused}");
    assert!(!key.exists());
    // A head that does not match the log (one published before a rewrite) stops it.
    let wrong = audit::Head {
        seq: 38,
        hash: "0".repeat(64),
    };
    assert!(linli_server::Store::start_key(&db, &key, Some(&wrong), T0)
        .await
        .is_err());
    assert!(!key.exists());
    // ...and changes nothing: the first release could still open it.
    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let old_runner: Option<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'")
            .fetch_optional(&raw)
            .await
            .unwrap();
    raw.close().await;
    assert_eq!(old_runner.as_deref(), Some("schema_migrations"));
    linli_server::Store::start_key(&db, &key, None, T0)
        .await
        .unwrap();
    assert!(matches!(
        linli_server::Store::start_key(&db, &key, None, T0).await,
        Err(linli_server::store::StoreError::Exists(_))
    ));
    let store = linli_server::Store::open(&db, &key).await.unwrap();

    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(
        versions,
        (1..=linli_server::store::latest_version()).collect::<Vec<_>>()
    );
    let old_table: Option<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'")
            .fetch_optional(store.pool())
            .await
            .unwrap();
    assert_eq!(old_table, None);

    // Every row is still there.
    assert_eq!(store.units(T0).await.unwrap().len(), 12);
    assert_eq!(store.accounts().await.unwrap().len(), 5);
    assert_eq!(store.submission_count().await.unwrap(), 2);
    assert_eq!(store.elders().await.unwrap().len(), 4);

    // The first release's 38 entries verify with the plain scheme; from the key's start
    // on they are keyed.
    assert_eq!(store.key().audit_keyed_from, 39);
    store
        .add_unit("9幢909", "9幢", &linli_server::Actor::system(), T0)
        .await
        .unwrap();
    let entries = store.audit_entries().await.unwrap();
    assert_eq!(entries.len(), 40);
    assert_eq!(entries[37].scheme, audit::Scheme::Legacy);
    assert_eq!(entries[38].scheme, audit::Scheme::Keyed);
    assert_eq!(entries[38].action, "audit.key_started");
    assert_eq!(
        audit::verify(&entries, store.key(), None)
            .unwrap()
            .unwrap()
            .seq,
        40
    );

    // The consented allergies stay in the elder's record, and nowhere else.
    let payloads: Vec<String> = sqlx::query_scalar("SELECT payload FROM submissions")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert!(
        payloads
            .iter()
            .all(|p| !p.contains("芒果干") && !p.contains("花生")),
        "{payloads:?}"
    );
    let e1 = store
        .elders()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.elder.id == "e1")
        .unwrap();
    assert!(e1.consent && e1.elder.allergies.contains(&"芒果干".to_owned()));

    // Staff sign in again (the old sessions are gone); the old password still works.
    let (account, hash) = store.account_for_login("admin").await.unwrap().unwrap();
    assert!(linli_server::auth::verify_now("linli-demo", &hash));
    assert!(!account.totp_enabled);
}
