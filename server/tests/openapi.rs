//! `openapi.json` and the router agree: every documented operation is routed, every
//! routed path is documented, and methods the document does not list are refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::fixture;
use linli_server::error::ApiError;
use tower::ServiceExt;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn document() -> serde_json::Value {
    serde_json::from_str(include_str!("../openapi.json")).unwrap()
}

#[test]
fn every_routed_path_is_documented_and_every_documented_path_is_routed() {
    let doc = document();
    let documented: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    let routed: BTreeSet<String> = linli_server::api::api_routes()
        .into_iter()
        .map(|(p, _)| p.to_owned())
        .collect();
    assert_eq!(documented, routed);
}

#[tokio::test]
async fn documented_methods_answer_and_the_others_are_refused() {
    let f = fixture().await;
    let doc = document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path.replace("{id}", "1");
        for method in METHODS {
            let request = Request::builder()
                .method(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap())
                .uri(&concrete)
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let status = f.app.clone().oneshot(request).await.unwrap().status();
            if item.get(method).is_some() {
                assert!(
                    status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path}: documented but answered {status}"
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path}: not documented"
                );
            }
        }
    }
}

#[test]
fn every_error_code_the_server_sends_is_documented() {
    let doc = document();
    let listed =
        doc["components"]["schemas"]["Error"]["properties"]["code"]["examples"].to_string();
    let wire = linli_core::sync::wire::WireError {
        field: String::new(),
        message: String::new(),
    };
    let every = [
        ApiError::Unauthorized,
        ApiError::Forbidden,
        ApiError::Malformed(String::new()),
        ApiError::Invalid(wire),
        ApiError::UnknownKind(String::new()),
        ApiError::Conflict(String::new()),
        ApiError::NotFound("x"),
        ApiError::RateLimited,
        ApiError::TooLarge,
        ApiError::Rule {
            code: "past_cutoff",
            message: String::new(),
        },
        ApiError::Internal(String::new()),
    ];
    for e in every {
        let code = e.body().code;
        assert!(
            listed.contains(&format!("\"{code}\"")),
            "{code} missing from openapi.json"
        );
    }
}
