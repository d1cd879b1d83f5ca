//! A small static file server for a built deployment (demo and end-to-end tests):
//! one thread per connection, GET and HEAD, gzip for text and WASM when the browser
//! accepts it (as any production web server would, so measurements are realistic).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use crate::util::Result;

/// Serves `dir` on `127.0.0.1:port` until the process ends.
pub fn serve(dir: &Path, port: u16, announce: &str) -> Result {
    let dir = dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!("{announce}http://127.0.0.1:{port}/");
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &dir);
        });
    }
    Ok(())
}

fn handle(stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut gzip_ok = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("accept-encoding") && value.contains("gzip") {
                gzip_ok = true;
            }
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or("/");
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return Reply::plain("405 Method Not Allowed", "method not allowed").send(&mut out, true);
    }
    let file = resolve(dir, target).and_then(|p| std::fs::read(&p).ok().map(|b| (p, b)));
    let reply = match file {
        Some((path, body)) => {
            let content_type = content_type(&path);
            Reply {
                status: "200 OK",
                content_type,
                cache: cache_control(&path),
                encoding: None,
                body,
            }
            // PNG is compressed already.
            .gzip_if(gzip_ok && content_type != "image/png")
        }
        None => Reply::plain("404 Not Found", "not found"),
    };
    reply.send(&mut out, method == "GET")
}

/// Maps a request target to a file inside `dir`, refusing anything that climbs out.
fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let mut file = dir.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains('\\') => return None,
            p => file.push(p),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// Content-hashed build files never change; everything else is revalidated.
fn cache_control(path: &Path) -> &'static str {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let hashed = stem
        .trim_end_matches("_bg")
        .rsplit_once('-')
        .is_some_and(|(_, h)| {
            (12..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit())
        });
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

struct Reply {
    status: &'static str,
    content_type: &'static str,
    cache: &'static str,
    encoding: Option<&'static str>,
    body: Vec<u8>,
}

impl Reply {
    fn plain(status: &'static str, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            cache: "no-store",
            encoding: None,
            body: text.as_bytes().to_vec(),
        }
    }

    fn gzip_if(self, wanted: bool) -> Reply {
        use std::io::Write as _;
        if !wanted {
            return self;
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        match enc.write_all(&self.body).and_then(|()| enc.finish()) {
            Ok(body) => Reply {
                encoding: Some("gzip"),
                body,
                ..self
            },
            Err(_) => self,
        }
    }

    fn send(&self, out: &mut TcpStream, with_body: bool) -> std::io::Result<()> {
        let encoding = self
            .encoding
            .map(|e| format!("Content-Encoding: {e}\r\nVary: Accept-Encoding\r\n"))
            .unwrap_or_default();
        let head = format!(
            "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{encoding}\
             Cache-Control: {}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
            self.status,
            self.content_type,
            self.body.len(),
            self.cache,
        );
        out.write_all(head.as_bytes())?;
        if with_body {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_refuses_to_climb_out() {
        let dir = crate::util::root().join("www");
        assert!(resolve(&dir, "/../Cargo.toml").is_none());
        assert!(resolve(&dir, "/%2e%2e/Cargo.toml").is_none());
        assert!(resolve(&dir, "/index.html?x=1").is_some());
        assert!(resolve(&dir, "/").is_some());
        assert!(resolve(&dir, "/nope.js").is_none());
    }

    #[test]
    fn hashed_files_are_immutable() {
        assert_eq!(
            cache_control(Path::new("linli-shell-0123456789abcdef_bg.wasm")),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control(Path::new("config.json")), "no-cache");
        assert_eq!(cache_control(Path::new("sw.js")), "no-cache");
    }
}
