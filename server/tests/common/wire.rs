//! A bare HTTP/1.1 client over one keep-alive connection: what the benchmark and the
//! tests of several server processes use to post submissions to a real listener.
//! Shared by `benches/throughput.rs` through `#[path]`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One keep-alive connection to a server.
pub struct Client(BufReader<TcpStream>);

impl Client {
    /// Connects to `addr` (`127.0.0.1:PORT`).
    pub async fn connect(addr: std::net::SocketAddr) -> Client {
        Client(BufReader::new(TcpStream::connect(addr).await.unwrap()))
    }

    /// `POST path` with a bearer token and a JSON body; the status and the body.
    pub async fn post(&mut self, path: &str, token: &str, body: &str) -> (u16, String) {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: linli\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.0
            .get_mut()
            .write_all(request.as_bytes())
            .await
            .unwrap();
        let mut status_line = String::new();
        self.0.read_line(&mut status_line).await.unwrap();
        let status = status_line
            .split_whitespace()
            .nth(1)
            .unwrap_or_else(|| panic!("no status line: {status_line:?}"))
            .parse()
            .unwrap();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            self.0.read_line(&mut line).await.unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.0.read_exact(&mut body).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }
}
