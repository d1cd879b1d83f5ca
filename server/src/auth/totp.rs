//! The second factor: TOTP (RFC 6238; SHA-1, 6 digits, 30-second steps, the values
//! every authenticator app uses) through the totp-rs crate. Enrolment shows an
//! `otpauth://` URL as a QR code (SVG, qrcode crate) and as text. Each code is accepted
//! once: the store remembers the last time step used. The secret is stored masked with
//! a key derived from the server key file, so a copy of the database alone does not
//! give it away.

use qrcode::render::svg;
use qrcode::QrCode;
use totp_rs::{Algorithm, TOTP};

use crate::audit::{hex, ServerKey};
use crate::store::StoreError;

/// Seconds per code.
const STEP: u64 = 30;
/// Codes one step early or late are accepted (phone clocks drift).
const SKEW_STEPS: i64 = 1;
/// Secret length in bytes (160 bits, RFC 4226's recommendation).
const SECRET_BYTES: usize = 20;

/// Why a second factor could not be set up or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TotpError {
    /// The stored secret does not unmask (a hand edit, or another key file).
    #[error("the stored second-factor secret does not read back")]
    Stored,
    /// The TOTP library refused the parameters.
    #[error("second factor: {0}")]
    Library(String),
    /// No randomness for a new secret.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An account's second factor.
pub struct SecondFactor {
    totp: TOTP,
}

/// What enrolment shows: the QR code and the same secret as text to type.
pub struct Enrolment {
    /// An SVG document of the `otpauth://` URL as a QR code.
    pub qr_svg: String,
    /// The secret in base32, in groups of four, for typing into an app by hand.
    pub secret_text: String,
}

fn keystream(key: &ServerKey, account_id: i64, nonce: &[u8]) -> [u8; 32] {
    let mut purpose = b"linli totp mask v1".to_vec();
    purpose.extend_from_slice(&account_id.to_le_bytes());
    purpose.extend_from_slice(nonce);
    key.derive(&purpose)
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

impl SecondFactor {
    fn from_secret(
        secret: Vec<u8>,
        issuer: &str,
        account: &str,
    ) -> Result<SecondFactor, TotpError> {
        // The issuer and label may not contain ':' (Key Uri Format).
        let issuer = issuer.replace(':', " ");
        let account = account.replace(':', " ");
        TOTP::new(Algorithm::SHA1, 6, 1, STEP, secret, Some(issuer), account)
            .map(|totp| SecondFactor { totp })
            .map_err(|e| TotpError::Library(e.to_string()))
    }

    /// A new random secret for account `account_id`, with the masked form to store.
    pub fn generate(
        key: &ServerKey,
        account_id: i64,
        issuer: &str,
        account: &str,
    ) -> Result<(SecondFactor, String), TotpError> {
        let mut secret = [0u8; SECRET_BYTES];
        let mut nonce = [0u8; 16];
        getrandom::getrandom(&mut secret)
            .and_then(|()| getrandom::getrandom(&mut nonce))
            .map_err(|e| StoreError::Randomness(e.to_string()))?;
        let stream = keystream(key, account_id, &nonce);
        let masked: Vec<u8> = secret.iter().zip(stream).map(|(s, k)| s ^ k).collect();
        let stored = format!("{}:{}", hex(&nonce), hex(&masked));
        Ok((
            SecondFactor::from_secret(secret.to_vec(), issuer, account)?,
            stored,
        ))
    }

    /// The second factor from its stored (masked) form.
    pub fn from_stored(
        key: &ServerKey,
        account_id: i64,
        stored: &str,
        issuer: &str,
        account: &str,
    ) -> Result<SecondFactor, TotpError> {
        let (nonce, masked) = stored.split_once(':').ok_or(TotpError::Stored)?;
        let (nonce, masked) = (
            unhex(nonce).ok_or(TotpError::Stored)?,
            unhex(masked).ok_or(TotpError::Stored)?,
        );
        if masked.len() != SECRET_BYTES {
            return Err(TotpError::Stored);
        }
        let stream = keystream(key, account_id, &nonce);
        let secret = masked.iter().zip(stream).map(|(m, k)| m ^ k).collect();
        SecondFactor::from_secret(secret, issuer, account)
    }

    /// The time step a typed code belongs to, if it is right for now (± one step);
    /// the caller accepts each step once. `now` is ms since the epoch.
    pub fn step_of(&self, code: &str, now: i64) -> Option<i64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let current = now.div_euclid(1000) / STEP as i64;
        (-SKEW_STEPS..=SKEW_STEPS)
            .map(|d| current + d)
            .filter(|step| *step >= 0)
            .find(|step| {
                let expected = self.totp.generate(*step as u64 * STEP);
                constant_time_eq(expected.as_bytes(), code.as_bytes())
            })
    }

    /// The code for a time (ms), as an authenticator app would show it.
    pub fn code_at(&self, now: i64) -> String {
        self.totp.generate(u64::try_from(now / 1000).unwrap_or(0))
    }

    /// What the enrolment page shows.
    pub fn enrolment(&self) -> Result<Enrolment, TotpError> {
        let url = self.totp.get_url();
        let qr = QrCode::new(url.as_bytes()).map_err(|e| TotpError::Library(e.to_string()))?;
        let qr_svg = qr
            .render::<svg::Color<'_>>()
            .min_dimensions(220, 220)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build();
        let base32 = self.totp.get_secret_base32();
        let secret_text = base32
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Enrolment {
            qr_svg,
            secret_text,
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_test_vector() {
        // RFC 6238, appendix B: SHA-1, secret "12345678901234567890", T = 59 s → 94287082
        // (8 digits); its last six digits are the 6-digit code.
        let f = SecondFactor::from_secret(b"12345678901234567890".to_vec(), "linli", "t").unwrap();
        assert_eq!(f.code_at(59_000), "287082");
        assert_eq!(f.step_of("287 082", 59_000), Some(1));
        assert_eq!(
            f.step_of("287082", 59_000 + 30_000),
            Some(1),
            "one step late"
        );
        assert_eq!(
            f.step_of("287082", 59_000 + 90_000),
            None,
            "three steps late"
        );
        assert_eq!(f.step_of("28708", 59_000), None);
    }

    #[test]
    fn stored_secrets_unmask_only_with_their_key_and_account() {
        let key = ServerKey::for_tests(1);
        let (f, stored) = SecondFactor::generate(&key, 7, "青山街道", "wang").unwrap();
        let code = f.code_at(1_700_000_000_000);
        let back = SecondFactor::from_stored(&key, 7, &stored, "青山街道", "wang").unwrap();
        assert_eq!(back.code_at(1_700_000_000_000), code);
        let other = SecondFactor::from_stored(&key, 8, &stored, "青山街道", "wang").unwrap();
        assert_ne!(other.code_at(1_700_000_000_000), code);
        assert!(SecondFactor::from_stored(&key, 7, "nonsense", "x", "y").is_err());
    }

    #[test]
    fn enrolment_has_a_qr_code_and_the_secret_as_text() {
        let key = ServerKey::for_tests(1);
        let (f, _) = SecondFactor::generate(&key, 1, "linli: 青山", "admin").unwrap();
        let e = f.enrolment().unwrap();
        assert!(e.qr_svg.contains("<svg"), "{}", &e.qr_svg[..80]);
        assert_eq!(e.secret_text.replace(' ', "").len(), 32);
    }
}
