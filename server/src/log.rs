//! Structured log lines on standard error: `linli-server event=NAME key=value …`, one
//! per event, values quoted when they need it. Callers pass no personal data: no
//! names typed, no phone numbers, no household labels, no health data; an account or
//! address appears only as a short keyed digest when a line must tell repeats apart.

/// Writes one event line.
pub fn event(name: &str, fields: &[(&str, &str)]) {
    eprintln!("{}", line(name, fields));
}

fn line(name: &str, fields: &[(&str, &str)]) -> String {
    let mut out = format!("linli-server event={}", value(name));
    for (k, v) in fields {
        out.push(' ');
        out.push_str(k);
        out.push('=');
        out.push_str(&value(v));
    }
    out
}

fn value(v: &str) -> String {
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':'));
    if plain {
        v.to_owned()
    } else {
        format!("{v:?}")
    }
}

/// A short digest of something that must not be logged in clear (an account name, a
/// client address), enough to tell repeats apart in one log.
pub fn tag(secret_free_salt: &[u8], text: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(secret_free_salt);
    h.update(text.as_bytes());
    crate::audit::hex(&h.finalize()[..6])
}

/// [`tag`] salted with the server key's sub-key for log tags: the same account or
/// address gets the same tag across restarts, and no one without the key can test a
/// guess against it.
pub fn keyed_tag(key: &crate::audit::ServerKey, text: &str) -> String {
    tag(&key.derive(b"linli log tags v1"), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_key_value_with_quoting() {
        assert_eq!(
            line(
                "auth_failure",
                &[
                    ("reason", "bad_password"),
                    ("path", "/staff/login"),
                    ("x", "a b")
                ]
            ),
            "linli-server event=auth_failure reason=bad_password path=/staff/login x=\"a b\""
        );
    }
}
