//! Signing staff in, shared by the console's forms and the API: the password within
//! the limits (per address and per account, reserved before checking), then the
//! second factor for the roles that need it. Failures are logged without the name
//! typed.
//!
//! A right password earns the browser a device cookie for that account (OWASP's
//! "device cookies" against lockout): `{issued ms}.{nonce}.{mac}`, the MAC keyed by
//! the server key over the account, its password's version, the nonce and the time,
//! valid [`DEVICE_COOKIE_VALID_MS`] or until the password changes. Attempts that carry a valid one are limited per cookie
//! (5 free, then back off up to a minute) instead of by the account's ceiling for
//! everyone, so strangers guessing from many addresses cannot lock the owner's own
//! browser out. The cookie names no account and grants nothing but that.

use std::net::IpAddr;

use crate::app::AppState;
use crate::auth::{SecondFactor, DUMMY_HASH};
use crate::limits::{Rule, Subject, LOGINS_PER_ACCOUNT, LOGINS_PER_ACCOUNT_AT, LOGINS_PER_ADDRESS};
use crate::store::{Account, SessionStage, StoreError};

/// The longest sign-in name, in characters; longer ones are refused before any work.
pub const MAX_USERNAME_CHARS: usize = 64;

/// How long a device cookie counts after it is issued (ms): 180 days.
pub const DEVICE_COOKIE_VALID_MS: i64 = 180 * 24 * 60 * 60 * 1000;

const DEVICE_PURPOSE: &[u8] = b"linli device cookies v1";

fn device_mac(state: &AppState, account: &Account, issued: &str, nonce: &str) -> String {
    let id = account.id.to_string();
    let version = account.password_changed_at.to_string();
    crate::audit::hex(&state.store.key().mac_parts(
        DEVICE_PURPOSE,
        &[
            id.as_bytes(),
            version.as_bytes(),
            issued.as_bytes(),
            nonce.as_bytes(),
        ],
    ))
}

/// A new device cookie value for `account`, issued `now` (ms).
pub fn issue_device_cookie(
    state: &AppState,
    account: &Account,
    now: i64,
) -> Result<String, StoreError> {
    let nonce = crate::store::random_token()?;
    let issued = now.to_string();
    let mac = device_mac(state, account, &issued, &nonce);
    Ok(format!("{issued}.{nonce}.{mac}"))
}

/// The `Set-Cookie` value that gives the browser a new device cookie for `account`
/// (issued `now`, kept [`DEVICE_COOKIE_VALID_MS`]).
pub fn device_set_cookie(
    state: &AppState,
    account: &Account,
    now: i64,
    https: bool,
) -> Result<String, StoreError> {
    let value = issue_device_cookie(state, account, now)?;
    Ok(crate::http::extract::device_cookie_header(
        &value,
        https,
        DEVICE_COOKIE_VALID_MS / 1000,
    ))
}

/// The nonce of `cookie` when it is a device cookie this server issued for `account`
/// with its current password, less than [`DEVICE_COOKIE_VALID_MS`] before `now`.
fn device_nonce<'a>(
    state: &AppState,
    cookie: &'a str,
    account: &Account,
    now: i64,
) -> Option<&'a str> {
    let mut parts = cookie.split('.');
    let (issued, nonce, mac) = (parts.next()?, parts.next()?, parts.next()?);
    let at: i64 = issued.parse().ok()?;
    if parts.next().is_some() || now - at >= DEVICE_COOKIE_VALID_MS || at > now + 60_000 {
        return None;
    }
    let expected = device_mac(state, account, issued, nonce);
    crate::http::extract::tokens_match(&expected, mac).then_some(nonce)
}

/// How a password check ended.
#[derive(Debug)]
pub enum Checked {
    /// The password is right; the session may open at this stage.
    Ok(Account, SessionStage),
    /// Wrong name or password (or a disabled account: not told apart).
    Wrong,
    /// Too many attempts; allowed again at this instant (ms).
    Limited(i64),
}

/// How a second-factor code ended.
#[derive(Debug)]
pub enum FactorChecked {
    /// Right, and not used before.
    Ok,
    /// Wrong, or a code already used.
    Wrong,
    /// Too many attempts; allowed again at this instant (ms).
    Limited(i64),
}

/// The limits a password or code for `username` (the account, when it exists) from
/// `ip` is tried within: with a valid device cookie per cookie, otherwise per account
/// at the address and per account everywhere; per address always.
fn subjects<'a>(
    state: &AppState,
    username: &'a str,
    account: Option<&Account>,
    ip: Option<IpAddr>,
    device: Option<&'a str>,
    now: i64,
) -> Vec<(Subject<'a>, Rule)> {
    let addr = ip.unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let nonce = device
        .zip(account)
        .and_then(|(c, a)| device_nonce(state, c, a, now));
    match nonce {
        Some(nonce) => vec![
            (Subject::DeviceCookie(nonce), LOGINS_PER_ACCOUNT_AT),
            (Subject::Address(addr), LOGINS_PER_ADDRESS),
        ],
        None => vec![
            (Subject::AccountAt(username, addr), LOGINS_PER_ACCOUNT_AT),
            (Subject::Address(addr), LOGINS_PER_ADDRESS),
            (Subject::Account(username), LOGINS_PER_ACCOUNT),
        ],
    }
}

fn log_failure(state: &AppState, reason: &str, username: &str, ip: Option<IpAddr>) {
    let key = state.store.key();
    let addr = ip.map(|i| i.to_string()).unwrap_or_default();
    crate::log::event(
        "auth_failure",
        &[
            ("kind", "staff_login"),
            ("reason", reason),
            (
                "account",
                &crate::log::keyed_tag(key, &username.to_lowercase()),
            ),
            ("client", &crate::log::keyed_tag(key, &addr)),
        ],
    );
}

/// The stage a session opens at after the right password.
pub fn stage_after_password(state: &AppState, account: &Account) -> SessionStage {
    if !state.needs_second_factor(account.role) {
        SessionStage::Full
    } else if account.totp_enabled {
        SessionStage::SecondFactor
    } else {
        SessionStage::Enrol
    }
}

/// Checks a name and password within the limits; `device` is the browser's device
/// cookie, if any. The name and password are capped by the caller's field checks; an
/// unknown name spends the same hashing time as a known one.
pub async fn check_password(
    state: &AppState,
    ip: Option<IpAddr>,
    device: Option<&str>,
    username: &str,
    password: &str,
) -> Result<Checked, StoreError> {
    let now = state.now();
    // The account is read before the limits only when a device cookie needs it: a
    // limited attempt without one costs no database read.
    let early = match device {
        Some(_) => Some(state.store.account_for_login(username).await?),
        None => None,
    };
    let known = early.as_ref().and_then(|f| f.as_ref().map(|(a, _)| a));
    let limits = subjects(state, username, known, ip, device, now);
    let reservation = match state
        .limiter
        .reserve(&state.store, "login", &limits, now)
        .await?
    {
        Ok(r) => r,
        Err(at) => {
            log_failure(state, "rate_limited", username, ip);
            return Ok(Checked::Limited(at));
        }
    };
    let found = match early {
        Some(found) => found,
        None => state.store.account_for_login(username).await?,
    };
    let (account, hash) = match &found {
        Some((a, h)) => (Some(a), h.as_str()),
        None => (None, DUMMY_HASH),
    };
    let right = state.hasher.verify(password, hash).await?;
    match account {
        Some(a) if right && !a.disabled => {
            reservation.succeeded().await;
            Ok(Checked::Ok(a.clone(), stage_after_password(state, a)))
        }
        _ => {
            reservation.failed();
            log_failure(state, "bad_password", username, ip);
            Ok(Checked::Wrong)
        }
    }
}

/// Checks a second-factor code for an account within the limits; a right code is
/// used up (its time step is stored), so it cannot be replayed. With `enrolling` (the
/// masked secret the session was shown), the code is checked against that secret and
/// finishes enrolment. `device` is the browser's device cookie, as for
/// [`check_password`].
pub async fn check_code(
    state: &AppState,
    ip: Option<IpAddr>,
    device: Option<&str>,
    account: &Account,
    code: &str,
    enrolling: Option<&str>,
) -> Result<FactorChecked, StoreError> {
    let now = state.now();
    let limits = subjects(state, &account.username, Some(account), ip, device, now);
    let reservation = match state
        .limiter
        .reserve(&state.store, "totp", &limits, now)
        .await?
    {
        Ok(r) => r,
        Err(at) => return Ok(FactorChecked::Limited(at)),
    };
    let enrolled = match enrolling {
        Some(_) => None,
        None => state.store.totp_state(account.id).await?.secret,
    };
    let step = enrolling.or(enrolled.as_deref()).and_then(|stored| {
        SecondFactor::from_stored(
            state.store.key(),
            account.id,
            stored,
            &state.issuer(),
            &account.username,
        )
        .ok()?
        .step_of(code, now)
    });
    let by = crate::store::Actor::staff(&account.username, account.role);
    let accepted = match step {
        Some(step) => {
            state
                .store
                .use_totp_step(account.id, step, enrolling, &by, now)
                .await?
        }
        None => false,
    };
    if accepted {
        reservation.succeeded().await;
        Ok(FactorChecked::Ok)
    } else {
        reservation.failed();
        log_failure(state, "bad_second_factor", &account.username, ip);
        Ok(FactorChecked::Wrong)
    }
}
