//! The append-only audit log: each entry's hash covers the previous entry's hash and
//! the entry's fields, keyed with HMAC-SHA256 under a secret kept in a file outside
//! the database ([`ServerKey`]). Editing, deleting or reordering a row breaks the chain
//! from that row on, and someone who can write the database but not read the key
//! cannot recompute it. A truncation (the newest entries deleted) shows against a
//! published head ([`Head`], `linli-server audit head`).
//!
//! Entries written before the key existed (the first release) are plain SHA-256
//! ([`Scheme::Legacy`]); the key file records where keyed entries begin, so a rewrite
//! of later entries in the plain scheme is caught too.

use std::fmt;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How an entry's hash was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// SHA-256 without a key: entries of the first release, before the key file.
    Legacy,
    /// HMAC-SHA256 keyed with the server key.
    Keyed,
}

impl Scheme {
    /// As stored in `audit_log.scheme`.
    pub fn code(self) -> i64 {
        match self {
            Scheme::Legacy => 0,
            Scheme::Keyed => 1,
        }
    }

    /// From the stored code.
    pub fn from_code(code: i64) -> Option<Scheme> {
        match code {
            0 => Some(Scheme::Legacy),
            1 => Some(Scheme::Keyed),
            _ => None,
        }
    }
}

/// One audit entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log, from 1.
    pub seq: i64,
    /// When, in ms since the epoch.
    pub at: i64,
    /// Who: a staff username, `unit:<id>` for a resident device, or `system`.
    pub actor: String,
    /// Their role (`resident`, `admin`, …).
    pub role: String,
    /// What (`submission.create`, `code.issue`, `device.register`, …).
    pub action: String,
    /// On what (a submission id, a unit label, …); never personal or health data.
    pub subject: String,
    /// The previous entry's hash ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
    /// How `hash` was made.
    pub scheme: Scheme,
}

/// The fields an entry's hash covers.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a> {
    /// Position.
    pub seq: i64,
    /// When (ms).
    pub at: i64,
    /// Who.
    pub actor: &'a str,
    /// Their role.
    pub role: &'a str,
    /// What.
    pub action: &'a str,
    /// On what.
    pub subject: &'a str,
}

impl AuditEntry {
    fn fields(&self) -> Fields<'_> {
        Fields {
            seq: self.seq,
            at: self.at,
            actor: &self.actor,
            role: &self.role,
            action: &self.action,
            subject: &self.subject,
        }
    }
}

/// The newest entry of a chain: what is published so a later truncation shows.
/// Written `SEQ:HASH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// Its seq.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
}

impl fmt::Display for Head {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl Head {
    /// Reads `SEQ:HASH` (64 lowercase hex digits).
    pub fn parse(text: &str) -> Option<Head> {
        let (seq, hash) = text.trim().split_once(':')?;
        let seq: i64 = seq.parse().ok().filter(|s| *s >= 1)?;
        let ok = hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| Head {
            seq,
            hash: hash.to_owned(),
        })
    }
}

/// Why the key file cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("key file {path}: {detail}")]
pub struct KeyError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub detail: String,
}

/// The server's secret key: 32 random bytes in a file outside the database, created on
/// first start. It keys the audit chain and masks stored second-factor secrets; each
/// use derives its own sub-key. The file also records the first audit entry that is
/// keyed (entries before it predate the key).
#[derive(Clone)]
pub struct ServerKey {
    secret: [u8; 32],
    /// The first audit seq written with this key.
    pub audit_keyed_from: i64,
    /// Where it was read from.
    pub path: PathBuf,
}

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerKey")
            .field("path", &self.path)
            .field("audit_keyed_from", &self.audit_keyed_from)
            .finish_non_exhaustive()
    }
}

const KEY_HEADER: &str =
    "# linli-server secret key. Keep it outside the database's folder and its \
backups, readable only by the server's user; without it the audit log cannot be verified.";

impl ServerKey {
    /// Reads the key file at `path`.
    pub fn load(path: &Path) -> Result<ServerKey, KeyError> {
        let problem = |detail: String| KeyError {
            path: path.display().to_string(),
            detail,
        };
        let text = std::fs::read_to_string(path).map_err(|e| problem(e.to_string()))?;
        let mut secret = None;
        let mut keyed_from = None;
        for line in text.lines().map(str::trim) {
            if let Some(v) = line.strip_prefix("key = ") {
                secret = decode_hex32(v);
            } else if let Some(v) = line.strip_prefix("audit_keyed_from = ") {
                keyed_from = v.parse::<i64>().ok().filter(|n| *n >= 1);
            }
        }
        match (secret, keyed_from) {
            (Some(secret), Some(audit_keyed_from)) => Ok(ServerKey {
                secret,
                audit_keyed_from,
                path: path.to_owned(),
            }),
            _ => Err(problem(
                "not a linli key file (needs `key = <64 hex>` and `audit_keyed_from = <n>`)".into(),
            )),
        }
    }

    /// A new random key for `path`, not yet written: entries from `next_seq` on are
    /// keyed with it.
    pub fn new_random(path: &Path, next_seq: i64) -> Result<ServerKey, KeyError> {
        let mut secret = [0u8; 32];
        getrandom::getrandom(&mut secret).map_err(|e| KeyError {
            path: path.display().to_string(),
            detail: format!("no randomness: {e}"),
        })?;
        Ok(ServerKey {
            secret,
            audit_keyed_from: next_seq.max(1),
            path: path.to_owned(),
        })
    }

    /// Writes a new key to its path (mode 0600); refuses to overwrite a file.
    pub fn save(&self) -> Result<(), KeyError> {
        self.write_new(&self.path)
    }

    /// Writes the key to a temporary file beside `path`, syncs it, then links it into
    /// place (which fails if a file is there) and syncs the folder: the key file is
    /// either whole or absent, whatever stops the writing (a full disk, a crash).
    fn write_new(&self, path: &Path) -> Result<(), KeyError> {
        use std::io::Write;
        let problem = |e: std::io::Error| KeyError {
            path: path.display().to_string(),
            detail: e.to_string(),
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(problem)?;
        let mut nonce = [0u8; 8];
        getrandom::getrandom(&mut nonce).map_err(|e| KeyError {
            path: path.display().to_string(),
            detail: format!("no randomness: {e}"),
        })?;
        let mut tmp_name = path.as_os_str().to_owned();
        tmp_name.push(format!(".tmp-{}", hex(&nonce)));
        let tmp = PathBuf::from(tmp_name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let written = options.open(&tmp).and_then(|mut file| {
            write!(
                file,
                "{KEY_HEADER}\nkey = {}\naudit_keyed_from = {}\n",
                hex(&self.secret),
                self.audit_keyed_from
            )?;
            file.sync_all()
        });
        let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
        let _ = std::fs::remove_file(&tmp);
        linked.map_err(problem)?;
        // The new name is durable only once the folder is synced.
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(problem)
    }

    /// What tells this key from another without revealing it: 16 hex digits of an
    /// HMAC under it. Stored in the database it writes to (`server_key`).
    pub fn fingerprint(&self) -> String {
        hex(&self.derive(b"linli key fingerprint v1")[..8])
    }

    /// A key for one purpose, derived from the secret.
    pub fn derive(&self, purpose: &[u8]) -> [u8; 32] {
        let mut mac = mac(&self.secret);
        mac.update(purpose);
        mac.finalize().into_bytes().into()
    }

    /// HMAC-SHA256 of `parts` (each length-prefixed, so no two lists encode alike)
    /// under the sub-key for `purpose`: for values the server must recognise later
    /// and nobody without the key may forge or test guesses against (device cookies,
    /// submission digests).
    pub fn mac_parts(&self, purpose: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        let mut m = mac(&self.derive(purpose));
        for part in parts {
            m.update(&(part.len() as u64).to_le_bytes());
            m.update(part);
        }
        m.finalize().into_bytes().into()
    }

    /// The key the audit chain is MACed with.
    fn audit_key(&self) -> [u8; 32] {
        self.derive(b"linli audit chain v1")
    }

    /// A key made from random bytes, for tests.
    #[doc(hidden)]
    pub fn for_tests(audit_keyed_from: i64) -> ServerKey {
        ServerKey {
            secret: [7u8; 32],
            audit_keyed_from,
            path: PathBuf::from("test.key"),
        }
    }
}

/// HMAC-SHA256 under a 32-byte key. HMAC pads keys shorter than the hash's block
/// (64 bytes) with zeros (RFC 2104, section 2), so this is HMAC with `key` itself,
/// made without a fallible constructor.
fn mac(key: &[u8; 32]) -> Hmac<Sha256> {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(key);
    <Hmac<Sha256> as hmac::digest::KeyInit>::new(&block.into())
}

fn decode_hex32(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

/// The hash of an entry's fields chained to `prev_hash`. Fields are length-prefixed,
/// so no two different entries encode alike. `key` is `None` only for
/// [`Scheme::Legacy`] entries.
pub fn chain_hash(key: Option<&ServerKey>, prev_hash: &str, f: Fields<'_>) -> String {
    let seq = f.seq.to_string();
    let at = f.at.to_string();
    let parts = [prev_hash, &seq, &at, f.actor, f.role, f.action, f.subject];
    match key {
        Some(key) => {
            let mut m = mac(&key.audit_key());
            for part in parts {
                m.update(&(part.len() as u64).to_le_bytes());
                m.update(part.as_bytes());
            }
            hex(&m.finalize().into_bytes())
        }
        None => {
            let mut h = Sha256::new();
            for part in parts {
                h.update((part.len() as u64).to_le_bytes());
                h.update(part.as_bytes());
            }
            hex(&h.finalize())
        }
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a chain does not verify: the first entry that is wrong (or the head that is
/// missing), and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The first bad entry's seq.
    pub seq: i64,
    /// What is wrong.
    pub reason: &'static str,
}

/// Walks entries in seq order with the key; the head when every entry is in place.
/// With `published`, the chain must reach that head unchanged (a truncation or a
/// rewrite since it was published shows). `Ok(None)` for an empty chain.
pub fn verify(
    entries: &[AuditEntry],
    key: &ServerKey,
    published: Option<&Head>,
) -> Result<Option<Head>, Broken> {
    let mut prev = GENESIS.to_owned();
    for (expected_seq, e) in (1..).zip(entries) {
        if e.seq != expected_seq {
            return Err(Broken {
                seq: expected_seq,
                reason: "an entry is missing here",
            });
        }
        if e.prev_hash != prev {
            return Err(Broken {
                seq: e.seq,
                reason: "prev_hash does not match the previous entry",
            });
        }
        let hash = match e.scheme {
            Scheme::Legacy if e.seq >= key.audit_keyed_from => {
                return Err(Broken {
                    seq: e.seq,
                    reason: "an unkeyed entry where the key file says entries are keyed",
                })
            }
            Scheme::Legacy => chain_hash(None, &prev, e.fields()),
            Scheme::Keyed => chain_hash(Some(key), &prev, e.fields()),
        };
        if e.hash != hash {
            return Err(Broken {
                seq: e.seq,
                reason: "content does not match its hash (edited, or rehashed without the key)",
            });
        }
        prev = hash;
    }
    if let Some(head) = published {
        match entries.get(usize::try_from(head.seq - 1).unwrap_or(usize::MAX)) {
            None => {
                return Err(Broken {
                    seq: head.seq,
                    reason: "the published head is missing: entries were deleted from the end",
                })
            }
            Some(e) if e.hash != head.hash => {
                return Err(Broken {
                    seq: head.seq,
                    reason:
                        "the entry at the published head has another hash: the chain was rewritten",
                })
            }
            Some(_) => {}
        }
    }
    Ok(entries.last().map(|e| Head {
        seq: e.seq,
        hash: e.hash.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &ServerKey, prev: &str, seq: i64, subject: &str) -> AuditEntry {
        let scheme = if seq >= key.audit_keyed_from {
            Scheme::Keyed
        } else {
            Scheme::Legacy
        };
        let f = Fields {
            seq,
            at: seq * 10,
            actor: "a",
            role: "admin",
            action: "x",
            subject,
        };
        let hash = chain_hash((scheme == Scheme::Keyed).then_some(key), prev, f);
        AuditEntry {
            seq,
            at: seq * 10,
            actor: "a".into(),
            role: "admin".into(),
            action: "x".into(),
            subject: subject.into(),
            prev_hash: prev.into(),
            hash,
            scheme,
        }
    }

    fn chain(key: &ServerKey, n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let e = entry(key, &prev, seq, "s");
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies_with_its_head() {
        let key = ServerKey::for_tests(1);
        let c = chain(&key, 5);
        let head = verify(&c, &key, None).unwrap().unwrap();
        assert_eq!(head.seq, 5);
        assert_eq!(verify(&c, &key, Some(&head)), Ok(Some(head)));
        assert_eq!(verify(&[], &key, None), Ok(None));
    }

    #[test]
    fn a_legacy_prefix_then_keyed_entries_verify() {
        let key = ServerKey::for_tests(4);
        let c = chain(&key, 6);
        assert_eq!(c[2].scheme, Scheme::Legacy);
        assert_eq!(c[3].scheme, Scheme::Keyed);
        assert!(verify(&c, &key, None).is_ok());
    }

    #[test]
    fn an_edited_entry_is_found() {
        let key = ServerKey::for_tests(1);
        let mut c = chain(&key, 5);
        c[2].subject = "other".into();
        assert_eq!(verify(&c, &key, None).unwrap_err().seq, 3);
    }

    #[test]
    fn a_chain_rewritten_without_the_key_is_found() {
        let key = ServerKey::for_tests(1);
        let mut c = chain(&key, 5);
        // An attacker recomputes every hash with a key of their own.
        let theirs = ServerKey {
            secret: [9u8; 32],
            ..key.clone()
        };
        let mut prev = GENESIS.to_owned();
        for e in &mut c {
            let seq = e.seq;
            *e = entry(&theirs, &prev, seq, "forged");
            prev = e.hash.clone();
        }
        assert_eq!(verify(&c, &key, None).unwrap_err().seq, 1);
    }

    #[test]
    fn a_chain_rewritten_as_unkeyed_is_found() {
        let key = ServerKey::for_tests(1);
        let mut c = chain(&key, 3);
        let mut prev = GENESIS.to_owned();
        for e in &mut c {
            e.scheme = Scheme::Legacy;
            e.prev_hash = prev.clone();
            e.hash = chain_hash(None, &prev, e.fields());
            prev = e.hash.clone();
        }
        let broken = verify(&c, &key, None).unwrap_err();
        assert_eq!(broken.seq, 1);
        assert!(broken.reason.contains("unkeyed"), "{broken:?}");
    }

    #[test]
    fn deleting_the_newest_entries_shows_against_the_published_head() {
        let key = ServerKey::for_tests(1);
        let mut c = chain(&key, 5);
        let head = verify(&c, &key, None).unwrap().unwrap();
        c.pop();
        assert!(
            verify(&c, &key, None).is_ok(),
            "alone, a shorter chain is whole"
        );
        let broken = verify(&c, &key, Some(&head)).unwrap_err();
        assert_eq!(broken.seq, 5);
    }

    #[test]
    fn a_deleted_middle_entry_is_found() {
        let key = ServerKey::for_tests(1);
        let mut c = chain(&key, 5);
        c.remove(1);
        assert_eq!(verify(&c, &key, None).unwrap_err().seq, 2);
    }

    #[test]
    fn fields_cannot_be_shifted_between_each_other() {
        let key = ServerKey::for_tests(1);
        let f = |actor, role| Fields {
            seq: 1,
            at: 1,
            actor,
            role,
            action: "x",
            subject: "s",
        };
        assert_ne!(
            chain_hash(Some(&key), GENESIS, f("ab", "c")),
            chain_hash(Some(&key), GENESIS, f("a", "bc"))
        );
    }

    #[test]
    fn heads_parse_and_print() {
        let h = Head {
            seq: 12,
            hash: "ab".repeat(32),
        };
        assert_eq!(Head::parse(&h.to_string()), Some(h));
        assert_eq!(Head::parse("0:abc"), None);
        assert_eq!(Head::parse("3:XYZ"), None);
    }

    #[test]
    fn key_files_are_created_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("linli-key-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("server.key");
        let made = ServerKey::new_random(&path, 9).unwrap();
        made.save().unwrap();
        assert!(made.save().is_err(), "a key file is never overwritten");
        let again = ServerKey::load(&path).unwrap();
        assert_eq!(made.secret, again.secret);
        assert_eq!(again.audit_keyed_from, 9);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "nonsense").unwrap();
        assert!(ServerKey::load(&path).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
