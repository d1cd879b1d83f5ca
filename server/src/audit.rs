//! The append-only audit log: each entry's hash covers the previous entry's hash, so
//! editing, deleting or reordering any row breaks the chain from that row on.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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
    /// On what (a submission id, a unit label, …).
    pub subject: String,
    /// The previous entry's hash ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// The hash of an entry's content chained to `prev_hash`. Fields are length-prefixed,
/// so no two different entries encode alike.
pub fn chain_hash(
    prev_hash: &str,
    seq: i64,
    at: i64,
    actor: &str,
    role: &str,
    action: &str,
    subject: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &seq.to_string(),
        &at.to_string(),
        actor,
        role,
        action,
        subject,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a chain does not verify: the first entry that is wrong, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The first bad entry's seq.
    pub seq: i64,
    /// What is wrong.
    pub reason: &'static str,
}

/// Walks entries in seq order; `Ok(n)` is the number verified.
pub fn verify(entries: &[AuditEntry]) -> Result<usize, Broken> {
    let mut prev = GENESIS.to_owned();
    for (expected_seq, e) in (1..).zip(entries) {
        if e.seq != expected_seq {
            return Err(Broken {
                seq: e.seq,
                reason: "an entry is missing before this one",
            });
        }
        if e.prev_hash != prev {
            return Err(Broken {
                seq: e.seq,
                reason: "prev_hash does not match the previous entry",
            });
        }
        let hash = chain_hash(&prev, e.seq, e.at, &e.actor, &e.role, &e.action, &e.subject);
        if e.hash != hash {
            return Err(Broken {
                seq: e.seq,
                reason: "content does not match its hash",
            });
        }
        prev = hash;
    }
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let hash = chain_hash(&prev, seq, seq * 10, "a", "admin", "x", "s");
                let e = AuditEntry {
                    seq,
                    at: seq * 10,
                    actor: "a".into(),
                    role: "admin".into(),
                    action: "x".into(),
                    subject: "s".into(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn an_edited_entry_is_found() {
        let mut c = chain(5);
        c[2].subject = "other".into();
        assert_eq!(
            verify(&c),
            Err(Broken {
                seq: 3,
                reason: "content does not match its hash"
            })
        );
    }

    #[test]
    fn a_deleted_entry_is_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c).unwrap_err().seq, 3);
    }

    #[test]
    fn a_rehashed_entry_still_breaks_the_next_link() {
        let mut c = chain(5);
        c[1].subject = "other".into();
        c[1].hash = chain_hash(&c[1].prev_hash, 2, 20, "a", "admin", "x", "other");
        assert_eq!(
            verify(&c),
            Err(Broken {
                seq: 3,
                reason: "prev_hash does not match the previous entry"
            })
        );
    }

    #[test]
    fn fields_cannot_be_shifted_between_each_other() {
        assert_ne!(
            chain_hash(GENESIS, 1, 1, "ab", "c", "x", "s"),
            chain_hash(GENESIS, 1, 1, "a", "bc", "x", "s")
        );
    }
}
