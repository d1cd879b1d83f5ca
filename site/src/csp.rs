//! The residents' app's Content-Security-Policy, computed from the `index.html` a
//! deployment serves: scripts only from the app's own origin plus the exact inline scripts
//! of this build (by their SHA-256), WASM compiled with `'wasm-unsafe-eval'`, never
//! `'unsafe-inline'` or `'unsafe-eval'` for scripts. It goes into `index.html` as a
//! `<meta http-equiv>` (so any static host enforces it), and linli-server sends the same
//! policy as a header, adding `frame-ancestors 'none'` (which a meta tag cannot carry).

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::SiteError;

/// The text of every inline `<script>` (those without `src`), in order.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(open) = lower[at..].find("<script").map(|i| at + i) {
        let Some(tag_end) = lower[open..].find('>').map(|i| open + i + 1) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| tag_end + i) else {
            break;
        };
        let tag = &lower[open..tag_end];
        if !tag.contains(" src=") {
            found.push(&html[tag_end..close]);
        }
        at = close;
    }
    found
}

/// `'sha256-…'` of a script's text, as CSP writes it.
pub fn hash_source(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy for an `index.html`; `server_origin` is the API's origin when the config
/// names a server elsewhere (`server_url: "https://…"`).
pub fn policy(html: &str, server_origin: Option<&str>) -> String {
    let hashes: Vec<String> = inline_scripts(html).into_iter().map(hash_source).collect();
    let connect = match server_origin {
        Some(o) => format!("'self' {o}"),
        None => "'self'".to_owned(),
    };
    // Notice pictures come from the server too.
    let img = match server_origin {
        Some(o) => format!("'self' data: {o}"),
        None => "'self' data:".to_owned(),
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self' 'unsafe-inline'; \
         img-src {img}; connect-src {connect}; manifest-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'",
        hashes.join(" ")
    )
}

/// The origin of an absolute `http(s)://host[:port]/…` URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    // Only what a host and port are made of: nothing that could end the directive.
    let plain = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    (matches!(scheme, "https" | "http") && !host.is_empty() && plain)
        .then(|| format!("{scheme}://{host}"))
}

/// `html` with the policy's `<meta>` right after `<meta charset…>` (before any script,
/// so it governs all of them), in place of any policy it carried (a folder `dist`
/// wrote, branded again by the server).
///
/// Errors: the page has no `<meta charset>`.
pub fn with_meta(html: &str, server_origin: Option<&str>) -> Result<String, SiteError> {
    let html = without_meta(html);
    let policy = policy(&html, server_origin);
    let lower = html.to_ascii_lowercase();
    let charset = lower
        .find("<meta charset")
        .ok_or_else(|| SiteError::new("index.html has no <meta charset>; the CSP goes after it"))?;
    let end = charset
        + lower[charset..]
            .find('>')
            .ok_or_else(|| SiteError::new("index.html: unclosed <meta charset>"))?
        + 1;
    let meta = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        policy.replace('"', "&quot;")
    );
    Ok(format!("{}{meta}{}", &html[..end], &html[end..]))
}

/// Where the policy's `<meta>` tag is in `html`: (start, end) byte offsets.
fn meta_span(html: &str) -> Option<(usize, usize)> {
    let lower = html.to_ascii_lowercase();
    let at = lower
        .find("http-equiv=content-security-policy")
        .or_else(|| lower.find("http-equiv=\"content-security-policy\""))?;
    let start = lower[..at].rfind('<')?;
    let end = at + lower[at..].find('>')? + 1;
    Some((start, end))
}

fn without_meta(html: &str) -> String {
    match meta_span(html) {
        Some((start, end)) => format!("{}{}", &html[..start], &html[end..]),
        None => html.to_owned(),
    }
}

/// The `content` of `<meta http-equiv="Content-Security-Policy" content="…">` in an
/// HTML text, with or without quotes around the attribute values (trunk minifies).
pub fn meta_policy(html: &str) -> Option<String> {
    let (start, end) = meta_span(html)?;
    let tag = &html[start..end - 1];
    let content = tag.find("content=")? + "content=".len();
    let rest = &tag[content..];
    let value = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?,
        _ => rest.split_whitespace().next()?,
    };
    Some(value.replace("&#39;", "'").replace("&quot;", "\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_left_alone() {
        let html = "<head><meta charset=utf-8><script>boot()</script><script type=module>import x from './a.js'</script><script src=b.js></script></head>";
        assert_eq!(
            inline_scripts(html),
            vec!["boot()", "import x from './a.js'"]
        );
        // The well-known example: `alert('Hello, world.');`
        assert_eq!(
            hash_source("alert('Hello, world.');"),
            "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
        );
        let out = with_meta(html, None).unwrap();
        assert!(out
            .starts_with("<head><meta charset=utf-8><meta http-equiv=\"Content-Security-Policy\""));
        // Written again, the page keeps one policy, the new one.
        let again = with_meta(&out, Some("https://api.example.cn")).unwrap();
        assert_eq!(again.matches("Content-Security-Policy").count(), 1);
        assert!(meta_policy(&again)
            .unwrap()
            .contains("connect-src 'self' https://api.example.cn"));
        let p = policy(html, Some("https://api.example.cn"));
        assert!(p.contains(&hash_source("boot()")));
        assert!(p.contains("connect-src 'self' https://api.example.cn"));
        assert!(!p.contains("'unsafe-eval'") && !p.contains("script-src 'self' 'unsafe-inline'"));
    }

    #[test]
    fn origins_of_urls() {
        assert_eq!(
            origin_of("https://a.cn:8443/x/").as_deref(),
            Some("https://a.cn:8443")
        );
        assert_eq!(origin_of("/api"), None);
        assert_eq!(origin_of("https://a.cn;sandbox/x"), None);
        assert_eq!(origin_of("https://a.cn\n/x"), None);
    }
}
