//! `linli-server`: see `linli-server help`.

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(linli_server::cli::run(&args, Vec::new()).await);
}
