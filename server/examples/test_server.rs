//! linli-server with one extra scenario, `Note` (the `test_note` kind), for the
//! end-to-end tests of the sync path. Same router, storage and audit as
//! `linli-server`.

use std::sync::Arc;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let extra: Vec<Arc<dyn linli_server::Scenario>> = vec![Arc::new(linli_server::app::Note)];
    std::process::exit(linli_server::cli::run(&args, extra).await);
}
