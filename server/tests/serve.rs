//! The connection loop's limits, over a real socket: a request whose headers never
//! finish is cut off (a half-sent request cannot hold a connection open), and a normal
//! request is answered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use linli_server::http::serve::{serve, HEADER_READ_TIMEOUT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[tokio::test]
async fn a_request_whose_headers_never_finish_is_cut_off() {
    let f = fixture().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, f.app.clone()));

    // A whole request is answered.
    let mut ok = TcpStream::connect(addr).await.unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    ok.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // Headers sent halfway, then nothing: the server closes the connection.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(HEADER_READ_TIMEOUT * 3, slow.read_to_end(&mut buf)).await;
    assert!(
        closed.is_ok(),
        "the half-sent request was still open after {:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() >= HEADER_READ_TIMEOUT - Duration::from_secs(1),
        "closed before its time: {:?}",
        started.elapsed()
    );
    println!("half-sent request closed after {:?}", started.elapsed());
}
