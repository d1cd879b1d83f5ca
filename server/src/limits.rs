//! Limits on guessing: household codes and staff passwords, per client address and per
//! account, counted in the database so that every server instance agrees.
//!
//! - The client address is the connection's peer, or — only when the peer is a proxy
//!   the operator trusts (`--trusted-proxy CIDR`) — the nearest untrusted address in
//!   `X-Forwarded-For`. Behind a proxy every client would otherwise share one address
//!   and one household's typos would lock out everyone.
//! - An attempt is reserved before it is checked, under one lock for all its keys, so
//!   40 concurrent wrong passwords cannot all be tried.
//! - Passwords: a back-off per account *and* address (a few free attempts, then one
//!   after a delay doubling to a minute), a window per address, and a generous window
//!   per account for guessing spread over many addresses. A stranger elsewhere slowing
//!   an account down does not lock its owner out.
//! - Staff whose browser holds a device cookie from an earlier sign-in to that account
//!   (OWASP "device cookies") are limited per cookie instead of by the account's
//!   ceiling: guessing spread over many addresses locks out strangers, never the
//!   owner's own browser.
//! - Household codes: a window per address, and an alarm for everyone: when many
//!   addresses are guessing, each address gets one attempt an hour (a resident typing
//!   the code from a slip right the first time still links) instead of refusing all.
//! - An IPv6 client counts by its /64 (one subscriber's whole allocation); an
//!   IPv4-mapped address (`::ffff:a.b.c.d`, what a dual-stack listener sees) is the
//!   IPv4 address it carries, and the reserved `::/64` (`::1`) counts per address.
//! - Keys are fixed-size keyed hashes of what they name (no username or address is
//!   stored), each action holds at most [`CAPACITY`] entries (expired ones dropped
//!   first, then the least recently used), so flooding one action cannot push
//!   another's state out.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::ServerKey;
use crate::store::{Store, StoreError, Tx};

/// The most entries the limiter keeps per action.
pub const CAPACITY: usize = 50_000;

/// How attempts on one key are limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// At most `max` attempts per `window_ms`.
    Window {
        /// Attempts per window.
        max: u32,
        /// Window length (ms).
        window_ms: i64,
    },
    /// Counted like a window but never refuses: the reservation says when `max` is
    /// passed, and the caller decides what a surge means.
    Alarm {
        /// Attempts per window before the alarm.
        max: u32,
        /// Window length (ms).
        window_ms: i64,
    },
    /// `free` attempts, then one per delay that doubles from 1 s to `max_delay_ms`;
    /// forgotten after `forget_ms` without an attempt.
    Backoff {
        /// Attempts without delay.
        free: u32,
        /// The longest delay (ms).
        max_delay_ms: i64,
        /// Quiet time after which the count starts again (ms).
        forget_ms: i64,
    },
}

/// Household codes: 10 wrong codes per address per 10 minutes.
pub const CODES_PER_ADDRESS: Rule = Rule::Window {
    max: 10,
    window_ms: 10 * 60 * 1000,
};
/// Household codes from every address together: an alarm past 300 wrong per hour (a
/// sub-district links a few dozen phones a day; more is a distributed guess).
pub const CODES_EVERYWHERE: Rule = Rule::Alarm {
    max: 300,
    window_ms: 60 * 60 * 1000,
};
/// Household codes per address while [`CODES_EVERYWHERE`] is in alarm: one an hour.
/// A guesser gets one try per address it holds; a resident with the slip in hand
/// still links.
pub const CODES_PER_ADDRESS_IN_SURGE: Rule = Rule::Window {
    max: 1,
    window_ms: 60 * 60 * 1000,
};
/// Staff sign-in: 20 attempts per address per 10 minutes (an office behind one NAT
/// still signs in), successful ones given back.
pub const LOGINS_PER_ADDRESS: Rule = Rule::Window {
    max: 20,
    window_ms: 10 * 60 * 1000,
};
/// Staff sign-in per account from one address: 5 free, then back off up to a minute.
pub const LOGINS_PER_ACCOUNT_AT: Rule = Rule::Backoff {
    free: 5,
    max_delay_ms: 60 * 1000,
    forget_ms: 15 * 60 * 1000,
};
/// Staff sign-in per account from every address without the account's device cookie:
/// 100 wrong per hour.
pub const LOGINS_PER_ACCOUNT: Rule = Rule::Window {
    max: 100,
    window_ms: 60 * 60 * 1000,
};

impl Rule {
    /// When the next attempt is allowed after `count` attempts, the first at `start`
    /// and the last at `last`.
    fn next_allowed(self, count: u32, start: i64, last: i64) -> i64 {
        match self {
            Rule::Window { max, window_ms } => {
                if count < max {
                    i64::MIN
                } else {
                    start + window_ms
                }
            }
            Rule::Alarm { .. } => i64::MIN,
            Rule::Backoff {
                free, max_delay_ms, ..
            } => {
                if count < free {
                    i64::MIN
                } else {
                    let doublings = (count - free).min(16);
                    last + (1000_i64 << doublings).min(max_delay_ms)
                }
            }
        }
    }

    /// Whether an entry last touched at `last` (window opened at `start`) is over.
    fn expired(self, start: i64, last: i64, now: i64) -> bool {
        match self {
            Rule::Window { window_ms, .. } | Rule::Alarm { window_ms, .. } => {
                now - start >= window_ms
            }
            Rule::Backoff { forget_ms, .. } => now - last >= forget_ms,
        }
    }
}

/// What a limiter key names.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    /// A client address (IPv6 by its /64).
    Address(IpAddr),
    /// A staff account, by the name typed.
    Account(&'a str),
    /// A staff account, tried from one address.
    AccountAt(&'a str, IpAddr),
    /// A staff account's device cookie, by its nonce.
    DeviceCookie(&'a str),
    /// Every client together.
    Everyone,
}

/// An address as limits count it: IPv4 whole (also when mapped into IPv6), IPv6 by
/// its /64 prefix, except the reserved `::/64` (`::1`, `::`) whose addresses are not
/// subscribers' allocations and count one by one.
fn network(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            if s[..4] == [0, 0, 0, 0] {
                v6.to_string()
            } else {
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        }
    }
}

/// A limiter key: a keyed hash of its subject, in hex.
type Key = String;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Slot {
    count: u32,
    start: i64,
    last: i64,
}

impl Slot {
    /// When the slot may be forgotten under `rule` (ms).
    fn expires_at(self, rule: Rule) -> i64 {
        match rule {
            Rule::Window { window_ms, .. } | Rule::Alarm { window_ms, .. } => {
                self.start.saturating_add(window_ms)
            }
            Rule::Backoff { forget_ms, .. } => self.last.saturating_add(forget_ms),
        }
    }
}

/// The decision, apart from where the counts are kept: reserves one attempt on every
/// key of `keys` in `slots` (the keys' current entries), or none, `Err(retry_at)` when
/// one is over its limit; `Ok(alarmed)` otherwise, `slots` then holding the new
/// entries.
fn decide(slots: &mut HashMap<Key, Slot>, keys: &[(Key, Rule)], now: i64) -> Result<bool, i64> {
    let mut retry_at = i64::MIN;
    for (key, rule) in keys {
        if let Some(s) = slots.get(key) {
            if !rule.expired(s.start, s.last, now) {
                retry_at = retry_at.max(rule.next_allowed(s.count, s.start, s.last));
            }
        }
    }
    if retry_at > now {
        return Err(retry_at);
    }
    let mut alarmed = false;
    for (key, rule) in keys {
        let fresh = Slot {
            count: 0,
            start: now,
            last: now,
        };
        let slot = slots.entry(key.clone()).or_insert(fresh);
        if rule.expired(slot.start, slot.last, now) {
            *slot = fresh;
        }
        slot.count += 1;
        slot.last = now;
        if let Rule::Alarm { max, .. } = rule {
            alarmed |= slot.count > *max;
        }
    }
    Ok(alarmed)
}

/// The limiter shared by every request. Its counts are rows of `limit_slots` in the
/// database, so every server instance on one database counts the same attempts (issue
/// 11); this holds only the salt its keys are hashed with, derived from the server's
/// key file, which all instances share.
pub struct Limiter {
    salt: [u8; 32],
    /// The most entries per action: [`CAPACITY`], less in tests.
    capacity: i64,
    /// Reservations written by this process, for [`SWEEP_EVERY`].
    inserted: std::sync::atomic::AtomicU64,
}

impl Limiter {
    /// The limiter of the deployment whose key is `key`.
    pub fn new(key: &ServerKey) -> Limiter {
        Limiter {
            salt: key.derive(b"linli limiter keys v1"),
            capacity: i64::try_from(CAPACITY).unwrap_or(i64::MAX),
            inserted: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

/// Attempts reserved for one request; tell the limiter how it went.
#[must_use = "report success so the attempt is given back"]
pub struct Reservation<'a> {
    store: &'a Store,
    scope: String,
    keys: Vec<(Key, Rule)>,
    alarmed: bool,
}

impl Reservation<'_> {
    /// Whether an [`Rule::Alarm`] key has passed its `max` in its window.
    pub fn alarmed(&self) -> bool {
        self.alarmed
    }

    /// The attempt succeeded: window counts are given back and back-off forgotten. The
    /// attempt has had its effect by then (a code used, a session made): if the counts
    /// cannot be written, that is logged and the attempt simply stays counted.
    pub async fn succeeded(self) {
        let (scope, keys) = (self.scope, self.keys);
        let given_back = self
            .store
            .limits_tx(async |tx| {
                for (key, rule) in &keys {
                    let sql = match rule {
                        Rule::Backoff { .. } => {
                            "DELETE FROM limit_slots WHERE scope = $1 AND subject = $2"
                        }
                        Rule::Window { .. } | Rule::Alarm { .. } => {
                            "UPDATE limit_slots SET count = count - 1 \
                             WHERE scope = $1 AND subject = $2 AND count > 0"
                        }
                    };
                    sqlx::query(sql)
                        .bind(&scope)
                        .bind(key)
                        .execute(tx.conn())
                        .await?;
                }
                Ok::<_, StoreError>(())
            })
            .await;
        if let Err(e) = given_back {
            crate::log::event(
                "limit_not_given_back",
                &[("scope", &scope), ("error", &e.to_string())],
            );
        }
    }

    /// The attempt failed: it stays counted.
    pub fn failed(self) {}
}

/// What [`Limiter::reserve`] answers: the attempt may go ahead, or not before a time.
pub type Reserved<'a> = Result<Reservation<'a>, i64>;

impl Limiter {
    fn key(&self, subject: Subject<'_>) -> Key {
        let mut h = Sha256::new();
        h.update(self.salt);
        match subject {
            Subject::Address(ip) => {
                h.update(b"a");
                h.update(network(ip).as_bytes());
            }
            Subject::Account(name) => {
                h.update(b"n");
                h.update(name.to_lowercase().as_bytes());
            }
            Subject::AccountAt(name, ip) => {
                h.update(b"t");
                h.update(name.to_lowercase().as_bytes());
                h.update([0]);
                h.update(network(ip).as_bytes());
            }
            Subject::DeviceCookie(nonce) => {
                h.update(b"d");
                h.update(nonce.as_bytes());
            }
            Subject::Everyone => h.update(b"*"),
        }
        crate::audit::hex(&h.finalize()[..16])
    }

    /// Reserves one attempt on every key at once, or none: `Ok(Err(retry_at))` (ms)
    /// when one of them is over its limit. `scope` keeps the limits of different
    /// actions apart (`login`, `code`). In one write transaction, so concurrent
    /// attempts — from any server instance — are counted one after another: 40 wrong
    /// passwords at once cannot all be tried. Expired entries are removed on the way,
    /// and an action holding more than [`CAPACITY`] entries loses its least recently
    /// used tenth, so flooding one action with new keys neither grows the table without
    /// bound nor pushes another action's entries out.
    pub async fn reserve<'a>(
        &self,
        store: &'a Store,
        scope: &str,
        subjects: &[(Subject<'_>, Rule)],
        now: i64,
    ) -> Result<Reserved<'a>, StoreError> {
        let keys: Vec<(Key, Rule)> = subjects
            .iter()
            .map(|(s, rule)| (self.key(*s), *rule))
            .collect();
        // An attempt already over its limit is refused on a plain read: a flood of
        // refused guesses writes nothing and waits for no lock.
        let mut seen = slots_of(&mut *store.read().await?, scope, &keys).await?;
        if let Err(retry_at) = decide(&mut seen, &keys, now) {
            return Ok(Err(retry_at));
        }
        let sweep = self
            .inserted
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            % SWEEP_EVERY
            == 0;
        let decided = store
            .limits_tx(async |tx| {
                if sweep {
                    sqlx::query("DELETE FROM limit_slots WHERE expires_at <= $1")
                        .bind(now)
                        .execute(tx.conn())
                        .await?;
                }
                let mut slots = slots_of(tx.conn(), scope, &keys).await?;
                let known = slots.len();
                let alarmed = match decide(&mut slots, &keys, now) {
                    Ok(alarmed) => alarmed,
                    Err(retry_at) => return Ok::<_, StoreError>(Err(retry_at)),
                };
                for (key, rule) in &keys {
                    let Some(slot) = slots.get(key) else { continue };
                    sqlx::query(
                        "INSERT INTO limit_slots \
                           (scope, subject, count, started_at, last_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) \
                         ON CONFLICT (scope, subject) DO UPDATE SET count = excluded.count, \
                           started_at = excluded.started_at, last_at = excluded.last_at, \
                           expires_at = excluded.expires_at",
                    )
                    .bind(scope)
                    .bind(key)
                    .bind(i64::from(slot.count))
                    .bind(slot.start)
                    .bind(slot.last)
                    .bind(slot.expires_at(*rule))
                    .execute(tx.conn())
                    .await?;
                }
                if sweep && slots.len() > known {
                    make_room(tx, scope, self.capacity).await?;
                }
                Ok(Ok(alarmed))
            })
            .await?;
        Ok(decided.map(|alarmed| Reservation {
            store,
            scope: scope.to_owned(),
            keys,
            alarmed,
        }))
    }

    /// Entries held for every action (for tests and the health of the process).
    pub async fn len(&self, store: &Store) -> Result<i64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM limit_slots")
            .fetch_one(store.pool())
            .await?;
        Ok(n)
    }
}

/// How often (every how many reservations in this process) expired entries are swept
/// and an action's size is checked: a flood may pass [`CAPACITY`] by this many
/// entries per server instance before it is cut back.
const SWEEP_EVERY: u64 = 64;

/// The entries of `keys` in `scope`, as they stand.
async fn slots_of(
    conn: &mut crate::store::Conn,
    scope: &str,
    keys: &[(Key, Rule)],
) -> Result<HashMap<Key, Slot>, StoreError> {
    let mut slots = HashMap::new();
    for (key, _) in keys {
        let row = sqlx::query(
            "SELECT count, started_at, last_at FROM limit_slots \
             WHERE scope = $1 AND subject = $2",
        )
        .bind(scope)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(r) = row {
            let count: i64 = r.try_get("count")?;
            let slot = Slot {
                count: u32::try_from(count).unwrap_or(u32::MAX),
                start: r.try_get("started_at")?,
                last: r.try_get("last_at")?,
            };
            slots.insert(key.clone(), slot);
        }
    }
    Ok(slots)
}

/// When `scope` holds more than `capacity` entries, removes its least recently used
/// tenth (expired ones are gone already).
async fn make_room(tx: &mut Tx, scope: &str, capacity: i64) -> Result<(), StoreError> {
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM limit_slots WHERE scope = $1")
        .bind(scope)
        .fetch_one(tx.conn())
        .await?;
    if held <= capacity {
        return Ok(());
    }
    sqlx::query(
        "DELETE FROM limit_slots WHERE scope = $1 AND subject IN \
           (SELECT subject FROM limit_slots WHERE scope = $1 ORDER BY last_at LIMIT $2)",
    )
    .bind(scope)
    .bind(held - capacity + capacity / 10)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Which proxies' `X-Forwarded-For` to believe.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    /// Whether `ip` is a trusted proxy.
    /// An IPv4 address matches a range written in either form (`127.0.0.1/32` or
    /// `::ffff:127.0.0.1/128`), as a dual-stack listener may report it either way; an
    /// IPv6 range wider than the mapped block (`::/0`) does not take in IPv4 clients.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| match (net, ip) {
            (IpNet::V6(v6), IpAddr::V4(v4)) => {
                let block =
                    ipnet::Ipv6Net::new(std::net::Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96);
                block.is_ok_and(|b| b.contains(v6)) && v6.contains(&v4.to_ipv6_mapped())
            }
            _ => net.contains(&ip),
        })
    }

    /// The client's address: the peer, unless the peer is a trusted proxy, then the
    /// nearest address in `X-Forwarded-For` that is not a trusted proxy. The header is
    /// read from the right (a client can write anything to its left end), and an entry
    /// that is not an address stops the walk at the last trusted hop: what lies beyond
    /// it cannot be believed.
    /// Addresses are answered canonical: an IPv4-mapped IPv6 address as IPv4.
    pub fn client(&self, peer: Option<SocketAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?.ip().to_canonical();
        if !self.trusts(peer) {
            return Some(peer);
        }
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut nearest = peer;
        for entry in entries.into_iter().rev() {
            let Some(ip) = forwarded_address(entry).map(|ip| ip.to_canonical()) else {
                return Some(nearest);
            };
            if !self.trusts(ip) {
                return Some(ip);
            }
            nearest = ip;
        }
        Some(nearest)
    }
}

/// An `X-Forwarded-For` entry's address: `1.2.3.4`, `1.2.3.4:5555`, `::1` or `[::1]:5555`.
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse() {
        return Some(ip);
    }
    if let Ok(sock) = entry.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    entry
        .strip_prefix('[')
        .and_then(|e| e.strip_suffix(']'))
        .and_then(|e| e.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    /// A test's folder, removed when the test ends.
    struct Dir(std::path::PathBuf);

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A limiter, its store and the store's folder.
    struct Lim(Limiter, Store, Dir);

    /// A limiter on a new SQLite file of its own.
    async fn limiter() -> Lim {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("linli-limits-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("limits.sqlite3");
        let store = Store::open(&db, &crate::store::default_key_path(&db))
            .await
            .unwrap();
        Lim(Limiter::new(store.key()), store, Dir(dir))
    }

    /// The same with room for `capacity` entries per action.
    async fn small_limiter(capacity: i64) -> Lim {
        let Lim(l, store, dir) = limiter().await;
        Lim(Limiter { capacity, ..l }, store, dir)
    }

    /// `reserve`, its database error unwrapped.
    async fn reserve<'a>(
        Lim(l, store, _): &'a Lim,
        scope: &str,
        subjects: &[(Subject<'_>, Rule)],
        now: i64,
    ) -> Reserved<'a> {
        l.reserve(store, scope, subjects, now).await.unwrap()
    }

    #[tokio::test]
    async fn a_window_allows_its_max_then_refuses_until_it_ends() {
        let l = limiter().await;
        let rule = Rule::Window {
            max: 3,
            window_ms: 1000,
        };
        let who = [(Subject::Address(ip("10.0.0.1")), rule)];
        for _ in 0..3 {
            reserve(&l, "code", &who, 0).await.unwrap().failed();
        }
        assert_eq!(reserve(&l, "code", &who, 10).await.err(), Some(1000));
        // Refused on a read: the flood writes nothing.
        for t in 11..20 {
            assert!(reserve(&l, "code", &who, t).await.is_err());
        }
        let (count, last): (i64, i64) =
            sqlx::query_as("SELECT count, last_at FROM limit_slots WHERE scope = 'code'")
                .fetch_one(l.1.pool())
                .await
                .unwrap();
        assert_eq!((count, last), (3, 0), "refused attempts left no trace");
        assert!(
            reserve(&l, "login", &who, 10).await.is_ok(),
            "another scope"
        );
        assert!(
            reserve(&l, "code", &who, 1000).await.is_ok(),
            "a new window"
        );
    }

    #[tokio::test]
    async fn backoff_lets_the_owner_back_in_after_at_most_a_minute() {
        let l = limiter().await;
        let who = [(Subject::Account("wang"), LOGINS_PER_ACCOUNT_AT)];
        for _ in 0..5 {
            reserve(&l, "login", &who, 0).await.unwrap().failed();
        }
        assert_eq!(reserve(&l, "login", &who, 0).await.err(), Some(1000));
        // An attacker tries again whenever allowed, 30 more times.
        let mut t = 0;
        for _ in 0..30 {
            t = reserve(&l, "login", &who, t).await.err().unwrap();
            reserve(&l, "login", &who, t).await.unwrap().failed();
        }
        assert_eq!(
            reserve(&l, "login", &who, t + 59_999).await.err(),
            Some(t + 60_000)
        );
        assert!(
            reserve(&l, "login", &who, t + 60_000).await.is_ok(),
            "never more than a minute"
        );
    }

    #[tokio::test]
    async fn all_keys_are_reserved_or_none() {
        let l = limiter().await;
        let addr = (
            Subject::Address(ip("10.0.0.1")),
            Rule::Window {
                max: 1,
                window_ms: 1000,
            },
        );
        let acct = (Subject::Account("li"), LOGINS_PER_ACCOUNT_AT);
        reserve(&l, "login", &[addr], 0).await.unwrap().failed();
        assert!(reserve(&l, "login", &[addr, acct], 0).await.is_err());
        assert_eq!(
            l.0.len(&l.1).await.unwrap(),
            1,
            "the account was not counted"
        );
    }

    #[tokio::test]
    async fn success_gives_the_attempt_back() {
        let l = limiter().await;
        let rule = Rule::Window {
            max: 1,
            window_ms: 1000,
        };
        let who = [(Subject::Address(ip("10.0.0.1")), rule)];
        let r = reserve(&l, "login", &who, 0).await.unwrap();
        r.succeeded().await;
        assert!(reserve(&l, "login", &who, 0).await.is_ok());
    }

    #[tokio::test]
    async fn the_table_is_bounded_whatever_the_number_of_keys() {
        const ROOM: i64 = 300;
        let l = small_limiter(ROOM).await;
        let rule = Rule::Window {
            max: 5,
            window_ms: 60_000,
        };
        for i in 0..ROOM + 200 {
            let name = format!("user{i}");
            reserve(&l, "login", &[(Subject::Account(&name), rule)], 0)
                .await
                .unwrap()
                .failed();
        }
        let held = l.0.len(&l.1).await.unwrap();
        assert!(held <= ROOM + SWEEP_EVERY as i64, "{held}");
        // Another action's entries are not pushed out.
        let other = [(Subject::Everyone, rule)];
        reserve(&l, "code", &other, 0).await.unwrap().failed();
        for i in 0..ROOM + 200 {
            let name = format!("more{i}");
            reserve(&l, "login", &[(Subject::Account(&name), rule)], 0)
                .await
                .unwrap()
                .failed();
        }
        let kept: i64 = sqlx::query_scalar("SELECT count FROM limit_slots WHERE scope = 'code'")
            .fetch_one(l.1.pool())
            .await
            .unwrap();
        assert_eq!(kept, 1);
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let trusted = TrustedProxies(vec!["10.0.0.0/8".parse().unwrap()]);
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "6.6.6.6, 1.2.3.4, 10.0.0.2".parse().unwrap(),
        );
        let proxy = Some(SocketAddr::from(([10, 0, 0, 1], 5000)));
        let stranger = Some(SocketAddr::from(([5, 5, 5, 5], 5000)));
        assert_eq!(trusted.client(proxy, &h), Some(ip("1.2.3.4")));
        assert_eq!(trusted.client(stranger, &h), Some(ip("5.5.5.5")));
        assert_eq!(
            TrustedProxies::default().client(proxy, &h),
            Some(ip("10.0.0.1"))
        );
        // An entry that is not an address stops the walk: what lies beyond is the
        // client's own writing.
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "7.7.7.7, garbage, 10.0.0.3".parse().unwrap(),
        );
        assert_eq!(trusted.client(proxy, &h), Some(ip("10.0.0.3")));
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "7.7.7.7, 4.4.4.4:5555".parse().unwrap());
        assert_eq!(trusted.client(proxy, &h), Some(ip("4.4.4.4")));
    }

    /// One failed household-code attempt from `addr` at time 0, under a limit of one
    /// per second; whether it was allowed.
    async fn attempt(l: &Lim, addr: &str) -> bool {
        let one = Rule::Window {
            max: 1,
            window_ms: 1000,
        };
        reserve(l, "code", &[(Subject::Address(ip(addr)), one)], 0)
            .await
            .map(Reservation::failed)
            .is_ok()
    }

    #[tokio::test]
    async fn an_ipv6_client_counts_by_its_64() {
        let l = limiter().await;
        assert!(attempt(&l, "2001:db8:1:2::1").await);
        assert!(!attempt(&l, "2001:db8:1:2:ffff::9").await, "the same /64");
        assert!(attempt(&l, "2001:db8:1:3::1").await);
    }

    #[tokio::test]
    async fn ipv4_clients_on_a_dual_stack_listener_do_not_share_a_bucket() {
        let l = limiter().await;
        assert!(attempt(&l, "::ffff:127.0.0.2").await);
        for other in ["::ffff:127.0.0.3", "::ffff:192.0.2.2", "::1", "192.0.2.3"] {
            assert!(
                attempt(&l, other).await,
                "{other} shares 127.0.0.2's bucket"
            );
        }
        // The mapped and the plain form of one address are one client.
        assert!(!attempt(&l, "127.0.0.2").await);
        // Behind a proxy: a trusted 127.0.0.1 is trusted however the listener spells
        // it, and a mapped forwarded client is answered as IPv4.
        let trusted = TrustedProxies(vec!["127.0.0.1/32".parse().unwrap()]);
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "::ffff:9.8.7.1".parse().unwrap());
        let peer = Some(SocketAddr::new(ip("::ffff:127.0.0.1"), 5000));
        assert_eq!(trusted.client(peer, &h), Some(ip("9.8.7.1")));
        // A range written in the mapped form trusts the same proxy.
        let mapped = TrustedProxies(vec!["::ffff:127.0.0.1/128".parse().unwrap()]);
        assert_eq!(mapped.client(peer, &h), Some(ip("9.8.7.1")));
        assert_eq!(
            mapped.client(Some(SocketAddr::from(([127, 0, 0, 1], 5000))), &h),
            Some(ip("9.8.7.1"))
        );
        // "Every IPv6 proxy" is not every IPv4 client too.
        let all_v6 = TrustedProxies(vec!["::/0".parse().unwrap()]);
        let v4_peer = Some(SocketAddr::from(([203, 0, 113, 9], 5000)));
        assert_eq!(all_v6.client(v4_peer, &h), Some(ip("203.0.113.9")));
    }

    #[tokio::test]
    async fn an_alarm_counts_without_refusing_and_says_when_it_is_passed() {
        let l = limiter().await;
        let rule = Rule::Alarm {
            max: 2,
            window_ms: 1000,
        };
        let all = [(Subject::Everyone, rule)];
        let r = reserve(&l, "code", &all, 0).await.unwrap();
        assert!(!r.alarmed());
        r.failed();
        reserve(&l, "code", &all, 0).await.unwrap().failed();
        let r = reserve(&l, "code", &all, 0).await.unwrap();
        assert!(r.alarmed(), "the third of two");
        r.failed();
        assert!(
            !reserve(&l, "code", &all, 1000).await.unwrap().alarmed(),
            "a new window"
        );
    }
}
