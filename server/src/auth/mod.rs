//! Staff authentication: argon2id password hashes computed off the async workers, the
//! password policy, and the TOTP second factor (RFC 6238).

mod password;
mod policy;
mod totp;

pub use password::{hash_now, verify_now, Hasher, DUMMY_HASH};
pub use policy::{check_password, PasswordProblem, MAX_PASSWORD_CHARS};
pub use totp::{Enrolment, SecondFactor, TotpError};
