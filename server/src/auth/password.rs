//! argon2id hashing on the blocking thread pool, a few at a time: hashing takes tens of
//! milliseconds of CPU by design, and run on the async workers it stalls every other
//! request (192 concurrent logins once took `/healthz` to a 1.15 s maximum).

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::store::StoreError;

/// A valid argon2id hash of a random password, checked when a sign-in name does not
/// exist so that the answer takes as long as for a real account.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$2v0IUJ9vgHrDXpcWcfNaFczYjbVBSn6S0IhHBnZ4ftE";

/// Hashes and verifies passwords on the blocking pool, at most `permits` at once.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
}

impl Default for Hasher {
    /// One hash at a time per CPU core.
    fn default() -> Hasher {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Hasher::new(cores)
    }
}

impl Hasher {
    /// At most `permits` hashes at once.
    pub fn new(permits: usize) -> Hasher {
        Hasher {
            permits: Arc::new(Semaphore::new(permits.max(1))),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, StoreError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| StoreError::Worker(format!("hasher closed: {e}")))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| StoreError::Worker(format!("hashing task failed: {e}")))
    }

    /// An argon2id PHC string of `password` with a random salt.
    pub async fn hash(&self, password: &str) -> Result<String, StoreError> {
        let password = password.to_owned();
        self.run(move || hash_now(&password)).await?
    }

    /// Whether `password` matches the stored hash; a malformed hash never matches.
    pub async fn verify(&self, password: &str, stored: &str) -> Result<bool, StoreError> {
        let (password, stored) = (password.to_owned(), stored.to_owned());
        self.run(move || verify_now(&password, &stored)).await
    }
}

/// Hashes on the calling thread (for the command line and tests).
pub fn hash_now(password: &str) -> Result<String, StoreError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| StoreError::Randomness(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| StoreError::Randomness(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Randomness(e.to_string()))
}

/// Verifies on the calling thread.
pub fn verify_now(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_verify_only_themselves() {
        let h = Hasher::new(2);
        let hash = h.hash("青山2026!").await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(h.verify("青山2026!", &hash).await.unwrap());
        assert!(!h.verify("青山2026", &hash).await.unwrap());
        assert!(!h.verify("x", "not a hash").await.unwrap());
    }

    #[test]
    fn the_dummy_hash_is_a_real_argon2_hash() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
