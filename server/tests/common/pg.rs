//! A new database on a test PostgreSQL cluster: what the tests (a database per test)
//! and the benchmark (one per configuration) make. Shared by `benches/throughput.rs`
//! through `#[path]`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// Makes the database `name` on the cluster whose maintenance database is at `admin`
/// (`postgres://USER@HOST:PORT/postgres`); its URL.
pub async fn create_database(admin: &str, name: &str) -> String {
    use sqlx::Connection;
    let Some((server, _)) = admin.rsplit_once('/') else {
        panic!("{admin}: not postgres://USER@HOST:PORT/DB");
    };
    let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    format!("{server}/{name}")
}

/// Drops the database `name` on the cluster at `admin`, closing any connection still
/// open to it (`WITH (FORCE)`, PostgreSQL 13 and later).
pub async fn drop_database(admin: &str, name: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}
