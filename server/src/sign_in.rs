//! Signing staff in, shared by the console's forms and the API: the password within
//! the limits (per address and per account, reserved before checking), then the
//! second factor for the roles that need it. Failures are logged without the name
//! typed.

use std::net::IpAddr;

use crate::app::AppState;
use crate::auth::{SecondFactor, DUMMY_HASH};
use crate::limits::{Rule, Subject, LOGINS_PER_ACCOUNT, LOGINS_PER_ACCOUNT_AT, LOGINS_PER_ADDRESS};
use crate::store::{Account, SessionStage, StoreError};

/// The longest sign-in name, in characters; longer ones are refused before any work.
pub const MAX_USERNAME_CHARS: usize = 64;

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

/// The limits a password or code for `username` from `ip` is tried within.
fn subjects(username: &str, ip: Option<IpAddr>) -> [(Subject<'_>, Rule); 3] {
    let addr = ip.unwrap_or(IpAddr::from([0, 0, 0, 0]));
    [
        (Subject::AccountAt(username, addr), LOGINS_PER_ACCOUNT_AT),
        (Subject::Address(addr), LOGINS_PER_ADDRESS),
        (Subject::Account(username), LOGINS_PER_ACCOUNT),
    ]
}

fn log_failure(state: &AppState, reason: &str, username: &str, ip: Option<IpAddr>) {
    let salt = state.store.key().derive(b"linli log tags v1");
    let addr = ip.map(|i| i.to_string()).unwrap_or_default();
    crate::log::event(
        "auth_failure",
        &[
            ("kind", "staff_login"),
            ("reason", reason),
            ("account", &crate::log::tag(&salt, &username.to_lowercase())),
            ("client", &crate::log::tag(&salt, &addr)),
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

/// Checks a name and password within the limits. The name and password are capped by
/// the caller's field checks; an unknown name spends the same hashing time as a known
/// one.
pub async fn check_password(
    state: &AppState,
    ip: Option<IpAddr>,
    username: &str,
    password: &str,
) -> Result<Checked, StoreError> {
    let now = state.now();
    let reservation = match state.limiter.reserve("login", &subjects(username, ip), now) {
        Ok(r) => r,
        Err(at) => {
            log_failure(state, "rate_limited", username, ip);
            return Ok(Checked::Limited(at));
        }
    };
    let found = state.store.account_for_login(username).await?;
    let (account, hash) = match &found {
        Some((a, h)) => (Some(a), h.as_str()),
        None => (None, DUMMY_HASH),
    };
    let right = state.hasher.verify(password, hash).await?;
    match account {
        Some(a) if right && !a.disabled => {
            reservation.succeeded();
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
/// used up (its time step is stored), so it cannot be replayed. With `enrol`, the code
/// also finishes enrolment.
pub async fn check_code(
    state: &AppState,
    ip: Option<IpAddr>,
    account: &Account,
    code: &str,
    enrol: bool,
) -> Result<FactorChecked, StoreError> {
    let now = state.now();
    let reservation = match state
        .limiter
        .reserve("totp", &subjects(&account.username, ip), now)
    {
        Ok(r) => r,
        Err(at) => return Ok(FactorChecked::Limited(at)),
    };
    let totp = state.store.totp_state(account.id).await?;
    let step = totp.secret.as_deref().and_then(|stored| {
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
                .use_totp_step(account.id, step, enrol, &by, now)
                .await?
        }
        None => false,
    };
    if accepted {
        reservation.succeeded();
        Ok(FactorChecked::Ok)
    } else {
        reservation.failed();
        log_failure(state, "bad_second_factor", &account.username, ip);
        Ok(FactorChecked::Wrong)
    }
}
