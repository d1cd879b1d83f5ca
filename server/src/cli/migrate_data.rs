//! `linli-server migrate-data --from sqlite:FILE --to postgres://…` (issue 11): moves a
//! sub-district's database to PostgreSQL. The target gets the PostgreSQL schema
//! (`migrations/postgres`), then every table is copied row for row in one transaction,
//! parents before children (by SQLite's foreign keys), and the identity counters are
//! set past the copied rows. The audit chain is then verified on the target with the
//! same key file, and the row counts of both sides are printed side by side. A target
//! that already holds rows is refused unless `--replace` says to empty it first.

use std::collections::BTreeMap;
use std::path::Path;

use sqlx::{Connection, Row};

use crate::audit::{self, ServerKey};
use crate::store::{Location, Store, POSTGRES_MIGRATIONS};

use super::flag;

/// The tables of the SQLite database, parents before children.
async fn tables_in_order(store: &Store) -> Result<Vec<String>, String> {
    let sqlite = store.pool();
    let names = store.tables().await.map_err(|e| e.to_string())?;
    let mut parents: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &names {
        let refs: Vec<String> =
            sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list($1)")
                .bind(t)
                .fetch_all(sqlite)
                .await
                .map_err(|e| e.to_string())?;
        parents.insert(t.clone(), refs.into_iter().filter(|r| r != t).collect());
    }
    let mut order: Vec<String> = Vec::new();
    while order.len() < names.len() {
        let before = order.len();
        for t in &names {
            let ready = !order.contains(t)
                && parents[t]
                    .iter()
                    .all(|p| order.contains(p) || !names.contains(p));
            if ready {
                order.push(t.clone());
            }
        }
        if order.len() == before {
            return Err("the tables' foreign keys form a cycle".into());
        }
    }
    Ok(order)
}

/// A value read from SQLite, bound as PostgreSQL's column wants it.
enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

async fn copy_table(
    sqlite: &crate::store::Pool,
    tx: &mut sqlx::PgConnection,
    table: &str,
) -> Result<i64, String> {
    let columns = sqlx::query("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
        .bind(table)
        .fetch_all(sqlite)
        .await
        .map_err(|e| e.to_string())?;
    let columns: Vec<(String, String)> = columns
        .iter()
        .map(|r| {
            (
                r.get::<String, _>("name"),
                r.get::<String, _>("type").to_ascii_uppercase(),
            )
        })
        .collect();
    let names: Vec<String> = columns.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let insert = format!(
        "INSERT INTO \"{table}\" ({}) OVERRIDING SYSTEM VALUE VALUES ({})",
        names.join(", "),
        placeholders.join(", ")
    );
    let rows = sqlx::query(&format!("SELECT {} FROM \"{table}\"", names.join(", ")))
        .fetch_all(sqlite)
        .await
        .map_err(|e| e.to_string())?;
    for row in &rows {
        let mut q = sqlx::query(&insert);
        for (i, (column, kind)) in columns.iter().enumerate() {
            let cell = match kind.as_str() {
                "INTEGER" => row
                    .try_get::<Option<i64>, _>(i)
                    .map(|v| v.map_or(Cell::Null, Cell::Int)),
                "BLOB" => row
                    .try_get::<Option<Vec<u8>>, _>(i)
                    .map(|v| v.map_or(Cell::Null, Cell::Bytes)),
                "REAL" => row
                    .try_get::<Option<f64>, _>(i)
                    .map(|v| v.map_or(Cell::Null, Cell::Real)),
                _ => row
                    .try_get::<Option<String>, _>(i)
                    .map(|v| v.map_or(Cell::Null, Cell::Text)),
            }
            .map_err(|e| format!("{table}.{column}: {e}"))?;
            q = match cell {
                Cell::Null if kind == "INTEGER" => q.bind(None::<i64>),
                Cell::Null if kind == "BLOB" => q.bind(None::<Vec<u8>>),
                Cell::Null if kind == "REAL" => q.bind(None::<f64>),
                Cell::Null => q.bind(None::<String>),
                Cell::Int(v) => q.bind(v),
                Cell::Real(v) => q.bind(v),
                Cell::Text(v) => q.bind(v),
                Cell::Bytes(v) => q.bind(v),
            };
        }
        q.execute(&mut *tx)
            .await
            .map_err(|e| format!("{table}: {e}"))?;
    }
    // Identity columns continue after the copied rows.
    let identities: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'",
    )
    .bind(table)
    .fetch_all(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    for column in identities {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), \
             COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)"
        ))
        .execute(&mut *tx)
        .await
        .map_err(|e| format!("{table}.{column}: {e}"))?;
    }
    Ok(rows.len() as i64)
}

/// Moves the database; what to print, or why not.
pub async fn move_data(
    from: &Path,
    key: &Path,
    to: &str,
    replace: bool,
) -> Result<Vec<(String, i64, i64)>, String> {
    // Opening it as the server does checks the key and brings the schema up to date.
    let store = Store::open_existing(from, key)
        .await
        .map_err(|e| format!("cannot open {}: {e}", from.display()))?;
    let server_key = ServerKey::load(key).map_err(|e| e.to_string())?;
    let sqlite = store.pool().clone();
    let mut pg = sqlx::PgConnection::connect(to)
        .await
        .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
    POSTGRES_MIGRATIONS
        .run(&mut pg)
        .await
        .map_err(|e| format!("cannot make the schema on PostgreSQL: {e}"))?;
    let order = tables_in_order(&store).await?;
    let target = Location::Postgres(to.to_owned());
    let mut held = 0i64;
    for t in &order {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{t}\""))
            .fetch_one(&mut pg)
            .await
            .map_err(|e| format!("{t} on PostgreSQL: {e}"))?;
        held += n;
    }
    // Another sub-district's database (written with another key) is never replaced.
    let theirs: Option<String> =
        sqlx::query_scalar("SELECT fingerprint FROM server_key WHERE id = 1")
            .fetch_optional(&mut pg)
            .await
            .ok()
            .flatten();
    if let Some(theirs) = theirs.filter(|t| *t != server_key.fingerprint()) {
        return Err(format!(
            "{target} is written with another key file (fingerprint {theirs}, this key {}): \
             it is another sub-district's database, and is not replaced even with --replace",
            server_key.fingerprint()
        ));
    }
    if held > 0 && !replace {
        return Err(format!(
            "{target} already holds {held} rows: nothing copied (give --replace to empty it \
             first)"
        ));
    }
    let mut tx = pg.begin().await.map_err(|e| e.to_string())?;
    if held > 0 {
        let all: Vec<String> = order.iter().map(|t| format!("\"{t}\"")).collect();
        sqlx::query(&format!(
            "TRUNCATE {} RESTART IDENTITY CASCADE",
            all.join(", ")
        ))
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    }
    let mut counts = Vec::new();
    for t in &order {
        let copied = copy_table(&sqlite, &mut tx, t).await?;
        counts.push((t.clone(), copied));
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    // The same chain, verified where it now is, read as the server reads it.
    let moved = Store::open_read_only(target, server_key.clone())
        .await
        .map_err(|e| e.to_string())?;
    let entries = moved.audit_entries().await.map_err(|e| e.to_string())?;
    moved.close().await;
    audit::verify(&entries, &server_key, None).map_err(|b| {
        format!(
            "the audit log on PostgreSQL does not verify at entry {}: {}",
            b.seq, b.reason
        )
    })?;
    let mut report = Vec::new();
    for (t, copied) in counts {
        let there: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{t}\""))
            .fetch_one(&mut pg)
            .await
            .map_err(|e| e.to_string())?;
        if there != copied {
            return Err(format!(
                "{t}: {copied} rows copied but {there} on PostgreSQL"
            ));
        }
        report.push((t, copied, there));
    }
    pg.close().await.map_err(|e| e.to_string())?;
    store.close().await;
    Ok(report)
}

pub(super) async fn run(args: &[String]) -> i32 {
    let (Some(from), Some(to)) = (flag(args, "--from"), flag(args, "--to")) else {
        eprintln!("migrate-data needs --from sqlite:FILE and --to postgres://USER@HOST/DB");
        return 2;
    };
    let Some(file) = from.strip_prefix("sqlite:") else {
        eprintln!("--from {from}: give the SQLite file as sqlite:FILE");
        return 2;
    };
    if Location::parse(&to).engine() != crate::store::Engine::Postgres {
        eprintln!("--to: give PostgreSQL's address as postgres://USER@HOST:PORT/DB");
        return 2;
    }
    let file = Path::new(file);
    let key = flag(args, "--key")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| crate::store::default_key_path(file));
    let replace = args.iter().any(|a| a == "--replace");
    match move_data(file, &key, &to, replace).await {
        Ok(report) => {
            println!("{:<24} {:>10} {:>12}", "table", "SQLite", "PostgreSQL");
            for (t, a, b) in &report {
                println!("{t:<24} {a:>10} {b:>12}");
            }
            println!(
                "audit log intact on PostgreSQL (verified with {})",
                key.display()
            );
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}
