//! Device session tokens: `base64url(claims JSON) . base64url(HMAC-SHA256)`.
//!
//! The edge checks a token with the server secret alone, without a storage round trip.
//! Tokens do not expire by themselves: a device stays signed in until its session is revoked.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::ids::{SessionId, SiteId, VisitorId};

/// Version of the claims layout, bumped if it changes.
const CLAIMS_VERSION: u32 = 1;

/// Longest token the edge looks at; anything longer is refused unread.
pub const MAX_TOKEN_LEN: usize = 512;

/// Shortest server secret the edge accepts.
pub const MIN_SECRET_LEN: usize = 32;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    pub v: u32,
    pub site: SiteId,
    pub visitor: VisitorId,
    pub session: SessionId,
    /// Issued at, seconds since the Unix epoch.
    pub iat: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    BadSignature,
}

impl SessionClaims {
    pub fn new(site: SiteId, visitor: VisitorId, session: SessionId, iat: u64) -> Self {
        SessionClaims {
            v: CLAIMS_VERSION,
            site,
            visitor,
            session,
            iat,
        }
    }

    pub fn sign(&self, secret: &[u8]) -> String {
        let claims = serde_json::to_vec(self).expect("claims serialize");
        let payload = URL_SAFE_NO_PAD.encode(claims);
        let signature =
            URL_SAFE_NO_PAD.encode(mac(secret, payload.as_bytes()).finalize().into_bytes());
        format!("{payload}.{signature}")
    }

    /// Checks the signature first (in constant time), then reads the claims.
    pub fn verify(token: &str, secret: &[u8]) -> Result<Self, TokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(TokenError::Malformed);
        }
        let (payload, signature) = token.split_once('.').ok_or(TokenError::Malformed)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenError::Malformed)?;
        mac(secret, payload.as_bytes())
            .verify_slice(&signature)
            .map_err(|_| TokenError::BadSignature)?;
        let claims = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| TokenError::Malformed)?;
        let claims: SessionClaims =
            serde_json::from_slice(&claims).map_err(|_| TokenError::Malformed)?;
        if claims.v != CLAIMS_VERSION {
            return Err(TokenError::Malformed);
        }
        Ok(claims)
    }
}

fn mac(secret: &[u8], payload: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"confab session\0");
    mac.update(payload);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECRET: &[u8] = b"a test secret that is long enough!!";

    fn claims() -> SessionClaims {
        SessionClaims::new(
            SiteId::parse("demo").unwrap(),
            VisitorId::from_bytes([7; 16]),
            SessionId::from_bytes([9; 16]),
            1_700_000_000,
        )
    }

    #[test]
    fn a_signed_token_verifies() {
        let token = claims().sign(SECRET);
        assert_eq!(SessionClaims::verify(&token, SECRET), Ok(claims()));
    }

    #[test]
    fn another_secret_is_refused() {
        let token = claims().sign(SECRET);
        assert_eq!(
            SessionClaims::verify(&token, b"another secret, also long enough"),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn edited_claims_are_refused() {
        let token = claims().sign(SECRET);
        let (_, signature) = token.split_once('.').unwrap();
        let mut forged = claims();
        forged.visitor = VisitorId::from_bytes([8; 16]);
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        let forged_token = format!("{forged_payload}.{signature}");
        assert_eq!(
            SessionClaims::verify(&forged_token, SECRET),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn garbage_is_malformed() {
        for bad in ["", "abc", "a.b.c", "!!.!!", &"a".repeat(MAX_TOKEN_LEN + 1)] {
            assert!(SessionClaims::verify(bad, SECRET).is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn flipping_any_character_breaks_the_token(index in 0usize..200, replacement in "[A-Za-z0-9_-]") {
            let token = claims().sign(SECRET);
            let index = index % token.len();
            let mut chars: Vec<char> = token.chars().collect();
            prop_assume!(chars[index].to_string() != replacement && chars[index] != '.');
            chars[index] = replacement.chars().next().unwrap();
            let tampered: String = chars.into_iter().collect();
            // Base64 padding bits can make two strings decode alike; then the bytes are the
            // same token, which must still verify to the same claims.
            if let Ok(c) = SessionClaims::verify(&tampered, SECRET) {
                prop_assert_eq!(c, claims());
            }
        }
    }
}
