//! Shared set-up for the server tests: a fresh database and key file per test, a
//! clock the test moves, requests through the real router.
//!
//! Every test body runs on both engines (issue 11): on a SQLite file by default, and
//! on PostgreSQL when `LINLI_TEST_ENGINE=postgres`, each test with a new database of
//! its own on the cluster at `LINLI_TEST_PG` (`cargo xtask test host` runs the tests
//! both ways on a throwaway cluster). The few tests about SQLite's files themselves
//! (its write-ahead log, `backup`, the first release's file) return early on
//! PostgreSQL through [`sqlite_only`].
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod meals;
pub mod pg;
pub mod wire;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use linli_core::json::{self, Value};
use linli_core::sync::wire::ErrorBody;
use linli_core::Role;
use linli_server::store::{Location, NewAccount, SessionStage};
use linli_server::{router, Actor, AppState, Clock, Registry, Store};
use tower::ServiceExt;

pub static DB_COUNTER: AtomicU32 = AtomicU32::new(0);

/// 2026-12-01 08:00 Beijing time, in ms: the tests' "now" unless they move it.
pub const T0: i64 = 1_796_083_200_000;

/// A test's own folder, removed with everything in it when the last handle to it is
/// dropped (a test's end), and with it the PostgreSQL database made for the test, so
/// test runs leave nothing behind: on PostgreSQL each database is a copy of
/// `template1` (about 8 MB, and as much again of write-ahead log), and a run of the
/// tests makes hundreds.
#[derive(Debug)]
pub struct TempDir(PathBuf, Option<PgDatabase>);

/// A database on the test cluster: the cluster's maintenance URL and its name.
#[derive(Debug)]
pub struct PgDatabase {
    admin: String,
    name: String,
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        if let Some(PgDatabase { admin, name }) = self.1.take() {
            // WITH (FORCE): a server the test started may still hold connections.
            on_own_runtime(async move { pg::drop_database(&admin, &name).await });
        }
    }
}

/// A fresh folder for one test's database and key file.
pub fn temp_dir() -> TempDir {
    let n = DB_COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("linli-server-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir, None)
}

/// Whether this run of the tests is on PostgreSQL (`LINLI_TEST_ENGINE=postgres`).
pub fn on_postgres() -> bool {
    std::env::var("LINLI_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

/// For tests about SQLite's own files: `true` (and the test returns) on PostgreSQL.
pub fn sqlite_only(what: &str) -> bool {
    if on_postgres() {
        eprintln!("SQLite only, not run on PostgreSQL: {what}");
    }
    on_postgres()
}

/// One test's database and key file.
#[derive(Clone, Debug)]
pub struct TestDb {
    /// The SQLite file, or the PostgreSQL database made for this test.
    pub at: Location,
    /// The key file (beside a SQLite file).
    pub key: PathBuf,
    /// The test's own folder (removed when the last clone is dropped).
    pub dir: std::sync::Arc<TempDir>,
}

impl TestDb {
    /// `--db … --key …` for the command line.
    pub fn args(&self) -> Vec<String> {
        let db = match &self.at {
            Location::File(path) => path.display().to_string(),
            Location::Postgres(url) => url.clone(),
        };
        vec![
            "--db".into(),
            db,
            "--key".into(),
            self.key.display().to_string(),
        ]
    }

    /// The URL a connection of the test's own opens (`sqlite://FILE` or `postgres://…`).
    pub fn url(&self) -> String {
        match &self.at {
            Location::File(path) => format!("sqlite://{}", path.display()),
            Location::Postgres(url) => url.clone(),
        }
    }

    /// Runs `sql` on the database directly, as whoever can write to it could.
    pub fn tamper(&self, sql: &str) {
        let (url, sql) = (self.url(), sql.to_owned());
        on_own_runtime(async move {
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&url).await.unwrap();
            sqlx::query(&sql).execute(&pool).await.unwrap();
            pool.close().await;
        });
    }

    /// Whether anything has made the database: the SQLite file exists, or the
    /// PostgreSQL database holds tables.
    pub fn made(&self) -> bool {
        match &self.at {
            Location::File(path) => path.exists(),
            Location::Postgres(url) => {
                let url = url.clone();
                on_own_runtime(async move {
                    use sqlx::Connection;
                    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
                    let n: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM information_schema.tables \
                         WHERE table_schema = current_schema()",
                    )
                    .fetch_one(&mut conn)
                    .await
                    .unwrap();
                    n > 0
                })
            }
        }
    }

    /// The SQLite file (tests about the file itself; they do not run on PostgreSQL).
    pub fn file(&self) -> PathBuf {
        self.at.file().expect("a SQLite test database").to_owned()
    }
}

/// A fresh database: a SQLite file in a new folder, or a new PostgreSQL database.
pub fn temp_db() -> TestDb {
    if !on_postgres() {
        return temp_sqlite_db();
    }
    let mut dir = temp_dir();
    let (url, database) = new_postgres_database();
    dir.1 = Some(database);
    TestDb {
        at: Location::Postgres(url),
        key: dir.join("test.key"),
        dir: std::sync::Arc::new(dir),
    }
}

/// A fresh SQLite file in a new folder, whichever engine the run is on.
pub fn temp_sqlite_db() -> TestDb {
    let dir = temp_dir();
    let file = dir.join("test.sqlite3");
    TestDb {
        key: linli_server::store::default_key_path(&file),
        at: Location::File(file),
        dir: std::sync::Arc::new(dir),
    }
}

/// Runs `work` to its end on a thread and runtime of its own, so that synchronous test
/// code, and code inside a test's runtime, can wait for it.
pub fn on_own_runtime<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(work)
    })
    .join()
    .unwrap()
}

/// `CREATE DATABASE` on the test cluster; its URL, and what drops it again.
fn new_postgres_database() -> (String, PgDatabase) {
    let admin = std::env::var("LINLI_TEST_PG")
        .expect("LINLI_TEST_ENGINE=postgres needs LINLI_TEST_PG (cargo xtask test host sets both)");
    let n = DB_COUNTER.fetch_add(1, Ordering::SeqCst);
    let name = format!("t{}_{n}", std::process::id());
    let (a, b) = (admin.clone(), name.clone());
    let url = on_own_runtime(async move { pg::create_database(&a, &b).await });
    (url, PgDatabase { admin, name })
}

/// Opens a store on a test database.
pub async fn open_store(db: &TestDb) -> Arc<Store> {
    Arc::new(Store::open(&db.at, &db.key).await.unwrap())
}

/// A clock a test sets and moves.
#[derive(Clone)]
pub struct TestClock(pub Arc<AtomicI64>);

impl TestClock {
    pub fn at(ms: i64) -> TestClock {
        TestClock(Arc::new(AtomicI64::new(ms)))
    }
    pub fn clock(&self) -> Clock {
        let t = self.0.clone();
        Clock::from_fn(move || t.load(Ordering::SeqCst))
    }
    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
    pub fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

pub struct Fixture {
    pub app: Router,
    pub state: AppState,
    pub store: Arc<Store>,
    pub token: String,
    pub unit: i64,
    pub db: TestDb,
    pub clock: TestClock,
}

/// State on `store` with the test clock, the `Note` scenario and `extra` scenarios.
pub fn state(store: Arc<Store>, clock: &TestClock) -> AppState {
    AppState {
        clock: clock.clock(),
        scenarios: Registry::new(vec![Arc::new(linli_server::app::Note)]),
        ..AppState::new(store)
    }
}

/// A database with one household (3幢2单元401) and a device linked to it, and a
/// router with the `test_note` kind.
pub async fn fixture() -> Fixture {
    let db = temp_db();
    let store = open_store(&db).await;
    let unit = store
        // Registered a month before the tests' now.
        .add_unit("3幢2单元401", "3", &Actor::system(), T0 - 30 * 86_400_000)
        .await
        .unwrap();
    let code = store.issue_code(unit, &Actor::system(), T0).await.unwrap();
    let clock = TestClock::at(T0);
    let state = state(store.clone(), &clock);
    let app = router(state.clone());
    let (status, body) = call(
        &app,
        post(
            "/api/v1/devices",
            None,
            &format!(r#"{{"code": "{code}", "device": "phone-1"}}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body:?}");
    let token = field(&body, "token");
    Fixture {
        app,
        state,
        store,
        token,
        unit,
        db,
        clock,
    }
}

/// The address test requests come from.
pub fn peer() -> axum::extract::ConnectInfo<std::net::SocketAddr> {
    axum::extract::ConnectInfo(std::net::SocketAddr::from(([203, 0, 113, 7], 5000)))
}

pub fn post(path: &str, token: Option<&str>, body: &str) -> Request<Body> {
    let mut r = Request::post(path)
        .header("content-type", "application/json")
        .extension(peer());
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

pub fn get(path: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::get(path).extension(peer());
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::empty()).unwrap()
}

pub async fn call(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    (status, json::from_str(&text).unwrap_or(Value::String(text)))
}

pub fn error(body: &Value) -> ErrorBody {
    ErrorBody::from_value(body).unwrap()
}

/// A string member of a JSON object.
pub fn field(v: &Value, key: &str) -> String {
    let Value::Object(m) = v else { panic!("{v:?}") };
    match m.iter().find(|(k, _)| k == key).map(|(_, v)| v) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        other => panic!("{key}: {other:?}"),
    }
}

/// A signed-in staff member for the console: the cookie and the session's CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub token: String,
}

/// Creates an account (password `correct horse battery 42`) and opens a full session
/// for it directly in the store, as signing in with both factors would.
pub async fn staff(store: &Store, name: &str, role: Role, now: i64) -> Session {
    let hash = linli_server::auth::hash_now(PASSWORD).unwrap();
    let new = NewAccount {
        username: name,
        password_hash: &hash,
        role,
    };
    store
        .add_account(&new, &Actor::system(), now)
        .await
        .unwrap();
    let (account, _) = store.account_for_login(name).await.unwrap().unwrap();
    let token = store
        .open_session(&account, SessionStage::Full, now)
        .await
        .unwrap();
    let csrf = store.session(&token, now).await.unwrap().unwrap().csrf;
    Session {
        cookie: format!("linli_staff={token}"),
        csrf,
        token,
    }
}

/// The password of accounts made by [`staff`].
pub const PASSWORD: &str = "correct horse battery 42";

/// A console page with the session cookie.
pub fn page_get(path: &str, s: &Session) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, &s.cookie)
        .extension(peer())
        .body(Body::empty())
        .unwrap()
}

/// A console form post, same-origin, with the session's CSRF token added.
pub fn page_post(path: &str, s: &Session, body: &str) -> Request<Body> {
    let body = if body.is_empty() {
        format!("_csrf={}", s.csrf)
    } else {
        format!("_csrf={}&{body}", s.csrf)
    };
    Request::post(path)
        .header(header::COOKIE, &s.cookie)
        .header(header::HOST, "linli.test")
        .header(header::ORIGIN, "http://linli.test")
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .extension(peer())
        .body(Body::from(body))
        .unwrap()
}

/// The whole response: status, headers, body text.
pub async fn fetch(
    app: &Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
        .await
        .unwrap();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// Rows of every table, for tests that count what a refused request left behind.
pub async fn row_counts(store: &Store) -> Vec<(String, i64)> {
    let tables = store.tables().await.unwrap();
    let mut out = Vec::new();
    for t in tables.into_iter().filter(|t| t != "sessions") {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{t}\""))
            .fetch_one(store.pool())
            .await
            .unwrap();
        out.push((t, n));
    }
    out
}

/// Every text (or UTF-8 bytes) value of every table that contains `needle`, as
/// (`table.column`, value): what a test scans for to prove a value is stored nowhere.
pub async fn scan(store: &Store, needle: &str) -> Vec<(String, String)> {
    use sqlx::{Column, Row};
    let mut found = Vec::new();
    for t in store.tables().await.unwrap() {
        let rows = sqlx::query(&format!("SELECT * FROM \"{t}\""))
            .fetch_all(store.pool())
            .await
            .unwrap();
        for row in &rows {
            for (i, column) in row.columns().iter().enumerate() {
                let text = match row.try_get::<Option<String>, _>(i) {
                    Ok(text) => text,
                    Err(_) => row
                        .try_get::<Option<Vec<u8>>, _>(i)
                        .ok()
                        .flatten()
                        .map(|b| String::from_utf8_lossy(&b).into_owned()),
                };
                if let Some(text) = text.filter(|v| v.contains(needle)) {
                    found.push((format!("{t}.{}", column.name()), text));
                }
            }
        }
    }
    found
}

/// Percent-encodes a form value (UTF-8 bytes, as a browser does).
pub fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A console upload (`multipart/form-data`), same-origin, with the session's token
/// first unless `token` is false; `parts` are (name, file name if a file, content).
pub fn multipart_post(
    path: &str,
    s: &Session,
    parts: &[(&str, Option<&str>, &[u8])],
    token: bool,
) -> Request<Body> {
    let boundary = "linli-test-boundary";
    let mut body = Vec::new();
    if token {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n",
                s.csrf
            )
            .as_bytes(),
        );
    }
    for (name, file, content) in parts {
        let disposition = match file {
            Some(f) => format!(
                "form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream"
            ),
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(header::COOKIE, &s.cookie)
        .header(header::HOST, "linli.test")
        .header(header::ORIGIN, "http://linli.test")
        .header("sec-fetch-site", "same-origin")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .extension(peer())
        .body(Body::from(body))
        .unwrap()
}
