//! Random tokens and codes, and the digests they are stored as.

use sha2::{Digest, Sha256};

use crate::audit::hex;
use crate::error::ApiError;

/// Letters and digits that cannot be mistaken for each other when read aloud or
/// typed by an older resident (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// 8 characters of 31: about 40 bits, guessed only through the rate-limited API.
const CODE_LEN: usize = 8;

fn random<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes)
}

/// A bearer token: 32 random bytes in hex.
pub fn token() -> Result<String, ApiError> {
    Ok(hex(&random::<32>()?))
}

/// A household code, printed as `ABCD-EFGH`.
pub fn household_code() -> Result<String, ApiError> {
    let bytes = random::<CODE_LEN>()?;
    let chars: String = bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
        .collect();
    Ok(format!("{}-{}", &chars[..4], &chars[4..]))
}

/// A code as typed (spaces, dashes, lower case) to its canonical form.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// SHA-256 in hex: how tokens and codes are stored.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_unambiguous_alphabet() {
        for _ in 0..100 {
            let code = household_code().unwrap();
            assert_eq!(code.len(), 9);
            assert!(
                normalise_code(&code)
                    .bytes()
                    .all(|b| CODE_ALPHABET.contains(&b)),
                "{code}"
            );
        }
    }

    #[test]
    fn typed_codes_normalise() {
        assert_eq!(normalise_code(" abcd-efgh "), "ABCDEFGH");
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (token().unwrap(), token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
