//! Limits on guessing: household codes and staff passwords, per client address and per
//! account, in bounded memory.
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
//! - Keys are fixed-size keyed hashes of what they name (no username kept in memory),
//!   each action has its own table of at most [`CAPACITY`] entries (expired ones
//!   dropped first, then the least recently used), so flooding one action cannot push
//!   another's state out.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use axum::http::HeaderMap;
use ipnet::IpNet;
use sha2::{Digest, Sha256};

/// The most entries the limiter keeps.
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

type Key = [u8; 16];

#[derive(Clone, Copy, Debug)]
struct Slot {
    rule: Rule,
    count: u32,
    start: i64,
    last: i64,
}

/// The limiter shared by every request: one table per action (`scope`).
pub struct Limiter {
    slots: Mutex<HashMap<String, HashMap<Key, Slot>>>,
    salt: [u8; 16],
}

impl Default for Limiter {
    fn default() -> Limiter {
        let mut salt = [0u8; 16];
        // Without randomness the keys are still fixed-size; only their unpredictability
        // (against deliberate collisions) is lost.
        let _ = getrandom::getrandom(&mut salt);
        Limiter {
            slots: Mutex::new(HashMap::new()),
            salt,
        }
    }
}

/// Attempts reserved for one request; tell the limiter how it went.
#[must_use = "report success so the attempt is given back"]
pub struct Reservation<'a> {
    limiter: &'a Limiter,
    scope: String,
    keys: Vec<(Key, Rule)>,
    alarmed: bool,
}

impl Reservation<'_> {
    /// Whether an [`Rule::Alarm`] key has passed its `max` in its window.
    pub fn alarmed(&self) -> bool {
        self.alarmed
    }

    /// The attempt succeeded: window counts are given back and back-off forgotten.
    pub fn succeeded(self) {
        let Ok(mut tables) = self.limiter.slots.lock() else {
            return;
        };
        let Some(slots) = tables.get_mut(&self.scope) else {
            return;
        };
        for (key, rule) in &self.keys {
            match rule {
                Rule::Backoff { .. } => {
                    slots.remove(key);
                }
                Rule::Window { .. } | Rule::Alarm { .. } => {
                    if let Some(s) = slots.get_mut(key) {
                        s.count = s.count.saturating_sub(1);
                    }
                }
            }
        }
    }

    /// The attempt failed: it stays counted.
    pub fn failed(self) {}
}

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
        let digest = h.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        key
    }

    /// Reserves one attempt on every key at once, or none: `Err(retry_at)` (ms) when
    /// one of them is over its limit. `scope` keeps the limits of different actions
    /// apart (`login`, `code`).
    pub fn reserve(
        &self,
        scope: &str,
        subjects: &[(Subject<'_>, Rule)],
        now: i64,
    ) -> Result<Reservation<'_>, i64> {
        let keys: Vec<(Key, Rule)> = subjects
            .iter()
            .map(|(s, rule)| (self.key(*s), *rule))
            .collect();
        let Ok(mut tables) = self.slots.lock() else {
            return Err(now + 60_000);
        };
        let slots = tables.entry(scope.to_owned()).or_default();
        let mut retry_at = i64::MIN;
        for (key, rule) in &keys {
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
        for (key, rule) in &keys {
            if !slots.contains_key(key) && slots.len() >= CAPACITY {
                make_room(slots, now);
            }
            let slot = slots.entry(*key).or_insert(Slot {
                rule: *rule,
                count: 0,
                start: now,
                last: now,
            });
            if rule.expired(slot.start, slot.last, now) {
                *slot = Slot {
                    rule: *rule,
                    count: 0,
                    start: now,
                    last: now,
                };
            }
            slot.count += 1;
            slot.last = now;
            if let Rule::Alarm { max, .. } = rule {
                alarmed |= slot.count > *max;
            }
        }
        Ok(Reservation {
            limiter: self,
            scope: scope.to_owned(),
            keys,
            alarmed,
        })
    }

    /// Entries held, in every table (for tests and the health of the process).
    pub fn len(&self) -> usize {
        self.slots
            .lock()
            .map_or(0, |t| t.values().map(HashMap::len).sum())
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Drops expired entries; if none was, the least recently used tenth.
fn make_room(slots: &mut HashMap<Key, Slot>, now: i64) {
    slots.retain(|_, s| !s.rule.expired(s.start, s.last, now));
    if slots.len() < CAPACITY {
        return;
    }
    let mut lasts: Vec<i64> = slots.values().map(|s| s.last).collect();
    let cut = CAPACITY / 10;
    lasts.select_nth_unstable(cut);
    let threshold = lasts[cut];
    slots.retain(|_, s| s.last > threshold);
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

    #[test]
    fn a_window_allows_its_max_then_refuses_until_it_ends() {
        let l = Limiter::default();
        let rule = Rule::Window {
            max: 3,
            window_ms: 1000,
        };
        let who = [(Subject::Address(ip("10.0.0.1")), rule)];
        for _ in 0..3 {
            l.reserve("code", &who, 0).unwrap().failed();
        }
        assert_eq!(l.reserve("code", &who, 10).err(), Some(1000));
        assert!(l.reserve("login", &who, 10).is_ok(), "another scope");
        assert!(l.reserve("code", &who, 1000).is_ok(), "a new window");
    }

    #[test]
    fn backoff_lets_the_owner_back_in_after_at_most_a_minute() {
        let l = Limiter::default();
        let who = [(Subject::Account("wang"), LOGINS_PER_ACCOUNT_AT)];
        for _ in 0..5 {
            l.reserve("login", &who, 0).unwrap().failed();
        }
        assert_eq!(l.reserve("login", &who, 0).err(), Some(1000));
        // An attacker tries again whenever allowed, 30 more times.
        let mut t = 0;
        for _ in 0..30 {
            t = l.reserve("login", &who, t).err().unwrap();
            l.reserve("login", &who, t).unwrap().failed();
        }
        assert_eq!(l.reserve("login", &who, t + 59_999).err(), Some(t + 60_000));
        assert!(
            l.reserve("login", &who, t + 60_000).is_ok(),
            "never more than a minute"
        );
    }

    #[test]
    fn all_keys_are_reserved_or_none() {
        let l = Limiter::default();
        let addr = (
            Subject::Address(ip("10.0.0.1")),
            Rule::Window {
                max: 1,
                window_ms: 1000,
            },
        );
        let acct = (Subject::Account("li"), LOGINS_PER_ACCOUNT_AT);
        l.reserve("login", &[addr], 0).unwrap().failed();
        assert!(l.reserve("login", &[addr, acct], 0).is_err());
        assert_eq!(l.len(), 1, "the account was not counted");
    }

    #[test]
    fn success_gives_the_attempt_back() {
        let l = Limiter::default();
        let rule = Rule::Window {
            max: 1,
            window_ms: 1000,
        };
        let who = [(Subject::Address(ip("10.0.0.1")), rule)];
        l.reserve("login", &who, 0).unwrap().succeeded();
        assert!(l.reserve("login", &who, 0).is_ok());
    }

    #[test]
    fn memory_is_bounded_whatever_the_number_of_keys() {
        let l = Limiter::default();
        let rule = Rule::Window {
            max: 5,
            window_ms: 60_000,
        };
        for i in 0..(CAPACITY + 10_000) {
            let name = format!("user{i}");
            l.reserve("login", &[(Subject::Account(&name), rule)], 0)
                .unwrap()
                .failed();
        }
        assert!(l.len() <= CAPACITY, "{}", l.len());
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
    fn attempt(l: &Limiter, addr: &str) -> bool {
        let one = Rule::Window {
            max: 1,
            window_ms: 1000,
        };
        l.reserve("code", &[(Subject::Address(ip(addr)), one)], 0)
            .map(Reservation::failed)
            .is_ok()
    }

    #[test]
    fn an_ipv6_client_counts_by_its_64() {
        let l = Limiter::default();
        assert!(attempt(&l, "2001:db8:1:2::1"));
        assert!(!attempt(&l, "2001:db8:1:2:ffff::9"), "the same /64");
        assert!(attempt(&l, "2001:db8:1:3::1"));
    }

    #[test]
    fn ipv4_clients_on_a_dual_stack_listener_do_not_share_a_bucket() {
        let l = Limiter::default();
        assert!(attempt(&l, "::ffff:127.0.0.2"));
        for other in ["::ffff:127.0.0.3", "::ffff:192.0.2.2", "::1", "192.0.2.3"] {
            assert!(attempt(&l, other), "{other} shares 127.0.0.2's bucket");
        }
        // The mapped and the plain form of one address are one client.
        assert!(!attempt(&l, "127.0.0.2"));
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

    #[test]
    fn an_alarm_counts_without_refusing_and_says_when_it_is_passed() {
        let l = Limiter::default();
        let rule = Rule::Alarm {
            max: 2,
            window_ms: 1000,
        };
        let all = [(Subject::Everyone, rule)];
        let r = l.reserve("code", &all, 0).unwrap();
        assert!(!r.alarmed());
        r.failed();
        l.reserve("code", &all, 0).unwrap().failed();
        let r = l.reserve("code", &all, 0).unwrap();
        assert!(r.alarmed(), "the third of two");
        r.failed();
        assert!(
            !l.reserve("code", &all, 1000).unwrap().alarmed(),
            "a new window"
        );
    }
}
