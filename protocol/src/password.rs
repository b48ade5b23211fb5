//! Agents' passwords: the rules for a new one and the stored record.
//!
//! The slow part, PBKDF2-SHA256, is computed by the runtime's WebCrypto at the edge (native
//! code, not counted against a wasm loop); this module only decides what is stored and how
//! a derived key is compared.

use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine;

use crate::error::ApiError;

/// PBKDF2-SHA256 rounds for new passwords. 100 000 is the most Cloudflare's WebCrypto
/// accepts, and the floor OWASP-style guidance puts for this KDF.
pub const ITERATIONS: u32 = 100_000;

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;

const SCHEME: &str = "pbkdf2-sha256";

/// `pbkdf2-sha256$<iterations>$<salt>$<key>`, salt and key in unpadded base64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordRecord {
    pub iterations: u32,
    pub salt: Vec<u8>,
    pub key: Vec<u8>,
}

impl PasswordRecord {
    pub fn encode(&self) -> String {
        format!(
            "{SCHEME}${}${}${}",
            self.iterations,
            B64.encode(&self.salt),
            B64.encode(&self.key)
        )
    }

    pub fn decode(stored: &str) -> Option<Self> {
        let mut parts = stored.split('$');
        if parts.next()? != SCHEME {
            return None;
        }
        let iterations = parts.next()?.parse().ok().filter(|&n| n > 0)?;
        let salt = B64.decode(parts.next()?).ok()?;
        let key = B64.decode(parts.next()?).ok()?;
        if parts.next().is_some() || salt.len() < 16 || key.len() != 32 {
            return None;
        }
        Some(PasswordRecord {
            iterations,
            salt,
            key,
        })
    }

    /// Compares a freshly derived key with the stored one in constant time.
    pub fn matches(&self, derived: &[u8]) -> bool {
        same_bytes(derived, &self.key)
    }
}

/// Equality in time that depends on the length only, not on where the bytes differ.
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new password must be long enough to resist guessing, and not absurdly long.
pub fn check_new(password: &str) -> Result<(), ApiError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            "password",
            &format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            "password",
            &format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record() -> PasswordRecord {
        PasswordRecord {
            iterations: ITERATIONS,
            salt: vec![7; 16],
            key: vec![42; 32],
        }
    }

    #[test]
    fn records_round_trip_and_refuse_garbage() {
        let encoded = record().encode();
        assert!(encoded.starts_with("pbkdf2-sha256$100000$"));
        assert_eq!(PasswordRecord::decode(&encoded), Some(record()));
        for bad in [
            "",
            "plain",
            "md5$1$AAAA$BBBB",
            "pbkdf2-sha256$0$BwcHBwcHBwcHBwcHBwcHBw$KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio",
            "pbkdf2-sha256$100000$Bw$KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio",
            &format!("{encoded}$extra"),
        ] {
            assert_eq!(PasswordRecord::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_the_same_key_matches() {
        let r = record();
        assert!(r.matches(&[42; 32]));
        assert!(!r.matches(&[42; 31]));
        let mut other = [42u8; 32];
        other[31] = 43;
        assert!(!r.matches(&other));
    }

    #[test]
    fn new_passwords_have_a_length_rule() {
        assert!(check_new("short").is_err());
        assert!(check_new("long enough!").is_ok());
        assert!(check_new(&"x".repeat(MAX_PASSWORD_CHARS + 1)).is_err());
    }

    proptest! {
        #[test]
        fn any_record_round_trips(salt in proptest::collection::vec(any::<u8>(), 16..32),
                                  key in proptest::collection::vec(any::<u8>(), 32..=32),
                                  iterations in 1u32..) {
            let r = PasswordRecord { iterations, salt, key };
            prop_assert_eq!(PasswordRecord::decode(&r.encode()), Some(r));
        }
    }
}
