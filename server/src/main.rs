//! `linli-server`: serve a deployment with its API, or check the audit log.

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(linli_server::cli::run(&args, linli_server::Kinds::builtin()).await);
}
