//! PostgreSQL, the scale-out store (issue 11): its schema, made by its own migrations,
//! has every table, column, nullability, type and index SQLite's has. `cargo xtask test
//! host` runs this against a throwaway cluster (`LINLI_TEST_PG`); a plain `cargo test`
//! without one says it skipped, and fails when `LINLI_REQUIRE_PG` asks for it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::*;
use sqlx::Row;

/// The test cluster's address, if there is one. These tests use both engines at once,
/// so they run in the SQLite pass only.
fn pg_url() -> Option<String> {
    if on_postgres() {
        return None;
    }
    match std::env::var("LINLI_TEST_PG") {
        Ok(url) => Some(url),
        Err(_) if std::env::var("LINLI_REQUIRE_PG").is_ok() => {
            panic!("LINLI_REQUIRE_PG is set but LINLI_TEST_PG is not: no PostgreSQL to test")
        }
        Err(_) => {
            eprintln!("skipped: no PostgreSQL (`cargo xtask test host` starts a throwaway one)");
            None
        }
    }
}

/// A new, empty database on the cluster, named `name` and this run; its address.
async fn fresh_database(url: &str, name: &str) -> String {
    pg::create_database(url, &format!("{name}_{}", std::process::id())).await
}

/// (table, column) → (type class, not null).
type Columns = BTreeMap<(String, String), (&'static str, bool)>;

fn class(sql_type: &str) -> &'static str {
    match sql_type.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer",
        "text" => "text",
        "blob" | "bytea" => "bytes",
        _ => "other",
    }
}

#[tokio::test]
async fn the_postgres_schema_has_every_table_column_and_index_sqlite_has() {
    let Some(url) = pg_url() else {
        return;
    };
    let db = fresh_database(&url, "linli_schema").await;
    let pg = sqlx::PgPool::connect(&db).await.unwrap();
    linli_server::store::POSTGRES_MIGRATIONS
        .run(&pg)
        .await
        .unwrap();
    // Run again, nothing to do.
    linli_server::store::POSTGRES_MIGRATIONS
        .run(&pg)
        .await
        .unwrap();

    let sqlite_db = temp_sqlite_db();
    let sqlite = open_store(&sqlite_db).await;
    let tables = sqlite.tables().await.unwrap();
    let mut want = Columns::new();
    for t in &tables {
        let rows = sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(t)
            .fetch_all(sqlite.pool())
            .await
            .unwrap();
        for r in rows {
            let name: String = r.get("name");
            let ty: String = r.get("type");
            // A key column is never null, whatever SQLite's table says.
            let not_null = r.get::<i64, _>("notnull") == 1 || r.get::<i64, _>("pk") > 0;
            want.insert((t.clone(), name), (class(&ty), not_null));
        }
    }
    let rows = sqlx::query(
        "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pg)
    .await
    .unwrap();
    let mut got = Columns::new();
    for r in rows {
        let (t, c, ty, nullable): (String, String, String, String) = (
            r.get("table_name"),
            r.get("column_name"),
            r.get("data_type"),
            r.get("is_nullable"),
        );
        got.insert((t, c), (class(&ty), nullable == "NO"));
    }
    assert_eq!(got, want, "PostgreSQL's columns differ from SQLite's");

    let sqlite_indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index' \
         AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name",
    )
    .fetch_all(sqlite.pool())
    .await
    .unwrap();
    let pg_indexes: Vec<String> = sqlx::query_scalar(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' \
         AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key' ORDER BY indexname",
    )
    .fetch_all(&pg)
    .await
    .unwrap();
    assert_eq!(pg_indexes, sqlite_indexes);
    // The guarantees that rest on keys: one row per client id, per code, per device.
    for (table, column) in [
        ("submissions", "id"),
        ("devices", "token_hash"),
        ("household_codes", "code_hash"),
        ("staff", "username"),
    ] {
        let unique: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM information_schema.table_constraints tc \
             JOIN information_schema.constraint_column_usage cu \
             ON cu.constraint_name = tc.constraint_name \
             WHERE tc.table_name = $1 AND cu.column_name = $2 \
             AND tc.constraint_type IN ('UNIQUE', 'PRIMARY KEY'))",
        )
        .bind(table)
        .bind(column)
        .fetch_one(&pg)
        .await
        .unwrap();
        assert!(unique, "{table}.{column} is not unique on PostgreSQL");
    }
    pg.close().await;
}

#[tokio::test]
async fn a_demo_database_moves_to_postgres_whole_with_its_audit_chain_intact() {
    let Some(url) = pg_url() else {
        return;
    };
    let target = fresh_database(&url, "linli_moved").await;
    // A sub-district with households, staff, elders, menus, settings and notices.
    let db = temp_sqlite_db();
    let store = open_store(&db).await;
    let text = std::fs::read_to_string("../examples/qingshan/config.json").unwrap();
    let config = linli_core::config::parse(&text).unwrap();
    linli_server::demo::seed(&store, T0, config.meals.as_ref(), config.feedback.as_ref())
        .await
        .unwrap();
    store
        .import_config(&text, "导入 config.json", T0)
        .await
        .unwrap();
    store
        .import_config_notices(&config.notices, 480, T0)
        .await
        .unwrap();
    store
        .put_asset(
            "brand/logo-0123456789ab.png",
            "image/png",
            &[0x89, b'P', 0, 255],
            T0,
        )
        .await
        .unwrap();
    let counts = row_counts(&store).await;
    store.close().await;
    let key = db.key.clone();
    let db = db.file();

    let report = linli_server::cli::move_data(&db, &key, &target, false)
        .await
        .unwrap();
    let moved: Vec<(String, i64)> = report.iter().map(|(t, a, _)| (t.clone(), *a)).collect();
    let mut moved_sorted = moved.clone();
    moved_sorted.sort();
    let mut want: Vec<(String, i64)> = counts
        .into_iter()
        .filter(|(t, _)| t != "sqlite_sequence")
        .collect();
    // Sessions are copied too; row_counts leaves them out.
    moved_sorted.retain(|(t, _)| t != "sessions");
    want.sort();
    assert_eq!(moved_sorted, want);
    assert!(report.iter().all(|(_, a, b)| a == b));
    assert!(want.iter().any(|(t, n)| t == "audit_log" && *n > 10));

    // The moved sub-district serves the same: a store on PostgreSQL with the same key
    // reads back the same households, staff, elders, notices, settings, boards and
    // audit head as the SQLite file.
    let sqlite = linli_server::Store::open(&db, &key).await.unwrap();
    let moved = linli_server::Store::open(
        linli_server::store::Location::Postgres(target.clone()),
        &key,
    )
    .await
    .unwrap();
    let meals = config.meals.as_ref().unwrap();
    for store in [&sqlite, &moved] {
        assert!(!store.units(T0).await.unwrap().is_empty());
    }
    let reads = async |s: &linli_server::Store| {
        let mut all = vec![
            ("units", format!("{:?}", s.units(T0).await.unwrap())),
            ("accounts", format!("{:?}", s.accounts().await.unwrap())),
            ("elders", format!("{:?}", s.elders().await.unwrap())),
            ("notices", format!("{:?}", s.notices().await.unwrap())),
            (
                "settings",
                format!("{:?}", s.published_config().await.unwrap()),
            ),
            ("audit head", format!("{:?}", s.audit_head().await.unwrap())),
        ];
        for unit in s.units(T0).await.unwrap() {
            let board = s.board(unit.id, meals, T0).await.unwrap();
            all.push(("board", format!("{board:?}")));
        }
        all
    };
    let (here, there) = (reads(&sqlite).await, reads(&moved).await);
    assert_eq!(here.len(), there.len());
    for ((what, a), (_, b)) in here.iter().zip(&there) {
        let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y);
        assert!(
            a == b,
            "{what} differs on PostgreSQL near byte {at:?}: …{}… vs …{}…",
            a.get(at.unwrap_or(0).saturating_sub(60)..)
                .unwrap_or(a)
                .chars()
                .take(120)
                .collect::<String>(),
            b.get(at.unwrap_or(0).saturating_sub(60)..)
                .unwrap_or(b)
                .chars()
                .take(120)
                .collect::<String>(),
        );
    }
    sqlite.close().await;
    moved.close().await;

    // The bytes and the numbering carry over: a new row continues after the copied.
    let pg = sqlx::PgPool::connect(&target).await.unwrap();
    let bytes: Vec<u8> = sqlx::query_scalar("SELECT bytes FROM assets")
        .fetch_one(&pg)
        .await
        .unwrap();
    assert_eq!(bytes, [0x89, b'P', 0, 255]);
    let max: i64 = sqlx::query_scalar("SELECT MAX(id) FROM units")
        .fetch_one(&pg)
        .await
        .unwrap();
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO units (label, building, created_at) VALUES ('9幢999', '9幢', 1) RETURNING id",
    )
    .fetch_one(&pg)
    .await
    .unwrap();
    assert_eq!(next, max + 1);
    pg.close().await;

    // A target with rows is refused, unless told to replace them.
    let refused = linli_server::cli::move_data(&db, &key, &target, false)
        .await
        .unwrap_err();
    assert!(refused.contains("--replace"), "{refused}");
    let again = linli_server::cli::move_data(&db, &key, &target, true)
        .await
        .unwrap();
    assert_eq!(again, report);

    // Another sub-district's database, written with another key, is never replaced.
    let other = fresh_database(&url, "linli_other").await;
    let other_key = temp_sqlite_db().key;
    let elsewhere = linli_server::Store::open(
        linli_server::store::Location::Postgres(other.clone()),
        &other_key,
    )
    .await
    .unwrap();
    elsewhere
        .add_unit("8幢808", "8幢", &linli_server::Actor::system(), T0)
        .await
        .unwrap();
    elsewhere.close().await;
    let refused = linli_server::cli::move_data(&db, &key, &other, true)
        .await
        .unwrap_err();
    assert!(refused.contains("another key file"), "{refused}");
}
