//! linli-server with one extra submission kind, `test_note` (`{"text": "..."}`), for
//! the end-to-end tests of the sync path: until the scenarios define their kinds, the
//! real server accepts none. Same router, storage and audit as `linli-server`.

use linli_core::json::Value;
use linli_core::sync::wire::WireError;

fn test_note(payload: &Value) -> Result<(), WireError> {
    let text = match payload {
        Value::Object(m) => m.iter().find(|(k, _)| k == "text").map(|(_, v)| v),
        _ => None,
    };
    match text {
        Some(Value::String(s)) if !s.is_empty() => Ok(()),
        _ => Err(WireError {
            field: "text".into(),
            message: "must be a non-empty string".into(),
        }),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let kinds = linli_server::Kinds::builtin().with("test_note", test_note);
    std::process::exit(linli_server::cli::run(&args, kinds).await);
}
