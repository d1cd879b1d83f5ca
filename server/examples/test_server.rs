//! linli-server with one extra scenario, `Note` (the `test_note` kind), for the
//! end-to-end tests of the sync path. Same router, storage and audit as
//! `linli-server`. With `LINLI_TEST_START_MS` set, its clock starts at that instant
//! (ms since the epoch) and runs on, so a test can stand just before a cut-off.

use std::sync::Arc;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let extra: Vec<Arc<dyn linli_server::Scenario>> = vec![Arc::new(linli_server::app::Note)];
    let clock = match std::env::var("LINLI_TEST_START_MS")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
    {
        Some(start) => {
            let began = std::time::Instant::now();
            linli_server::app::Clock::from_fn(move || start + began.elapsed().as_millis() as i64)
        }
        None => linli_server::app::Clock::system(),
    };
    std::process::exit(linli_server::cli::run_at(&args, extra, clock).await);
}
