//! linli-core: the rules of linli, in plain Rust.
//!
//! Everything here runs both in the browser (compiled to WASM inside the shell) and
//! on the host (server, command-line checks, tests), so that a rule decided for a
//! resident is decided the same way on both sides. No browser APIs, no clocks, no
//! randomness: time and ids come in as arguments.
//!
//! - [`config`]: a deployment's `config.json`, checked with located errors.
//! - [`i18n`]: every user-facing string, zh-CN first, English second.
//! - [`prefs`]: language and 长辈版 preferences.
//! - [`sync`]: the `/api/v1` wire types and the outbox state machine.
//! - [`roles`]: staff roles and what each needs to sign in.
//! - [`household`]: limits on household labels, and masking for others.
//! - [`meals`]: elderly meal ordering rules (pricing, cut-offs, conflicts, proxies).
//! - [`colour`], [`date`], [`json`]: the small value types these rest on.
//!
//! With the `serde` feature the wire types (`Envelope`, `Ack`, `ErrorBody`, stored
//! outbox entries, `Board`, `MealOrder`, `Cancel`, `Profile`) and `json::Value`
//! implement `Serialize` / `Deserialize` through the wire codec, for host programs.

pub mod colour;
pub mod config;
pub mod date;
pub mod evaluation;
pub mod feedback;
pub mod forms;
pub mod household;
pub mod i18n;
pub mod json;
pub mod meals;
pub mod notices;
pub mod prefs;
pub mod roles;
mod scenario;
#[cfg(feature = "serde")]
mod serde_impl;
pub mod sync;
pub mod voting;

pub use i18n::{Lang, StaffText, Table, Text};
pub use roles::Role;

/// Escapes text for HTML (element content and quoted attributes): the staff pages
/// and the widgets that write markup as text both use it.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
pub use scenario::Scenario;

/// A decimal with at most two places that count (`12`, `12.5`, `89.56`, `89.560` as
/// Excel writes a cell of three places) in hundredths (`1200`, `1250`, `8956`): yuan
/// to fen, square metres to 0.01 m². `None` for anything else: a sign, a third place
/// that is not zero, no digits before the point, other characters, or more than `u64`
/// holds.
pub fn hundredths(text: &str) -> Option<u64> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let frac = match frac.get(2..) {
        Some(rest) if rest.bytes().all(|b| b == b'0') => &frac[..2],
        _ => frac,
    };
    if whole.is_empty()
        || frac.len() > 2
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let frac: u64 = format!("{frac:0<2}").parse().ok()?;
    whole
        .parse::<u64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(frac)
}
