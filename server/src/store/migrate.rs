//! Schema migrations through `sqlx::migrate!`: the files in `migrations/sqlite` or
//! `migrations/postgres`, each applied once, in a transaction, recorded with its
//! checksum and time in `_sqlx_migrations`.
//!
//! The first release ran the same first three files with a runner of its own that
//! recorded them in `schema_migrations`. A database made by it is adopted in place:
//! its applied versions are recorded as sqlx records them (the files are unchanged, so
//! the checksums agree) and the old table is dropped, then the newer files run.

use sqlx::migrate::{Migrate, Migrator};
use sqlx::Row;

use super::{Engine, Pool, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

/// The PostgreSQL schema (`migrations/postgres`): where SQLite stood after its 13th
/// migration, then every later one under the same number (issue 11). The host tests
/// check it against SQLite's column for column.
pub static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// Brings the schema up to date.
pub(super) async fn run(pool: &Pool, engine: Engine) -> Result<(), StoreError> {
    match engine {
        Engine::Sqlite => {
            adopt_first_release(pool).await?;
            MIGRATOR.run(pool).await?;
        }
        Engine::Postgres => POSTGRES.run(pool).await?,
    }
    Ok(())
}

/// Whether the database has no tables yet (a new file, a new PostgreSQL database).
pub(super) async fn is_empty(pool: &Pool, engine: Engine) -> Result<bool, StoreError> {
    let sql = match engine {
        Engine::Sqlite => "SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1",
        Engine::Postgres => {
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() LIMIT 1"
        }
    };
    Ok(sqlx::query(sql).fetch_optional(pool).await?.is_none())
}

/// Whether the SQLite database has a table `name`.
async fn has_table(pool: &Pool, name: &str) -> Result<bool, StoreError> {
    Ok(
        sqlx::query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1")
            .bind(name)
            .fetch_optional(pool)
            .await?
            .is_some(),
    )
}

/// Whether the SQLite table `table` has a column `column` (a schema from before a
/// migration may not).
pub(super) async fn has_column(pool: &Pool, table: &str, column: &str) -> Result<bool, StoreError> {
    Ok(
        sqlx::query("SELECT 1 FROM pragma_table_info($1) WHERE name = $2")
            .bind(table)
            .bind(column)
            .fetch_optional(pool)
            .await?
            .is_some(),
    )
}

/// Whether the database was made by the first release and has not been keyed since:
/// its runner's `schema_migrations` table is still there, or it was adopted (versions
/// recorded with no execution time, see [`adopt_first_release`]) and no audit entry is
/// keyed. Whoever can write the file can fake this; the published head is what
/// catches a rewritten log. The first release ran on SQLite only.
pub(super) async fn is_first_release(pool: &Pool, engine: Engine) -> Result<bool, StoreError> {
    if engine == Engine::Postgres {
        return Ok(false);
    }
    if has_table(pool, "schema_migrations").await? {
        return Ok(true);
    }
    if !has_table(pool, "_sqlx_migrations").await? {
        return Ok(false);
    }
    let adopted =
        sqlx::query("SELECT 1 FROM _sqlx_migrations WHERE version = 1 AND execution_time = 0")
            .fetch_optional(pool)
            .await?
            .is_some();
    if !adopted {
        return Ok(false);
    }
    let keyed = has_column(pool, "audit_log", "scheme").await?
        && sqlx::query("SELECT 1 FROM audit_log WHERE scheme <> 0 LIMIT 1")
            .fetch_optional(pool)
            .await?
            .is_some();
    Ok(!keyed)
}

/// The highest migration this build knows.
pub fn latest_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

async fn adopt_first_release(pool: &Pool) -> Result<(), StoreError> {
    if !has_table(pool, "schema_migrations").await? {
        return Ok(());
    }
    let mut conn = pool.acquire().await?;
    conn.ensure_migrations_table().await?;
    let mut tx = pool.begin().await?;
    let versions = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(&mut *tx)
        .await?;
    for row in &versions {
        let version: i64 = row.try_get("version")?;
        let migration = MIGRATOR
            .iter()
            .find(|m| m.version == version)
            .ok_or_else(|| StoreError::corrupt("schema version", version))?;
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES ($1, $2, TRUE, $3, 0) ON CONFLICT (version) DO NOTHING",
        )
        .bind(version)
        .bind(migration.description.as_ref())
        .bind(migration.checksum.as_ref())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DROP TABLE schema_migrations")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
