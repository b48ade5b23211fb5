//! VAPID (RFC 8292): the application server identifies itself to the push service with a
//! short-lived ES256 JWT, signed with the key the browser subscribed with.

use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};

use crate::{audience, decode_base64, encode_base64, PushError};

/// How long a token is good for. Push services refuse an `exp` more than 24 h ahead;
/// 12 h leaves room for clock skew and is what the common libraries use.
const VALIDITY_SECS: u64 = 12 * 60 * 60;

/// The JWT header is fixed, so it is written once rather than serialized each time.
const JWT_HEADER: &str = r#"{"typ":"JWT","alg":"ES256"}"#;

/// The application server's VAPID key pair.
#[derive(Clone)]
pub struct Vapid {
    key: SigningKey,
}

// A hand-written Debug keeps the private key out of logs.
impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vapid")
            .field("public_key", &self.public_key())
            .finish()
    }
}

impl Vapid {
    /// The application server's key pair from its private key: 32 bytes, base64url without
    /// padding (the format `npx web-push generate-vapid-keys` prints as "Private Key").
    /// Also accepts padded / standard base64.
    pub fn from_private_key(base64url: &str) -> Result<Vapid, PushError> {
        let bytes = decode_base64(base64url).ok_or(PushError::BadKey)?;
        if bytes.len() != 32 {
            return Err(PushError::BadKey);
        }
        // Refuses zero and values at or above the curve order.
        let key = SigningKey::from_slice(&bytes).map_err(|_| PushError::BadKey)?;
        Ok(Vapid { key })
    }

    /// The public key, uncompressed SEC1 point (65 bytes), base64url without padding: what
    /// browsers take as applicationServerKey.
    pub fn public_key(&self) -> String {
        let point = self.key.verifying_key().to_encoded_point(false);
        encode_base64(point.as_bytes())
    }

    /// The `Authorization` header for a push to `endpoint`: `vapid t=<JWT>, k=<public key>`.
    /// The JWT is ES256, claims `aud` (the endpoint's origin), `exp` (now + 12 h) and `sub`
    /// (a `mailto:` or `https:` contact for the push service's operators).
    pub fn authorization(
        &self,
        endpoint: &str,
        subject: &str,
        now_secs: u64,
    ) -> Result<String, PushError> {
        let claims = serde_json::json!({
            "aud": audience(endpoint)?,
            "exp": now_secs + VALIDITY_SECS,
            "sub": subject,
        });
        let signing_input = format!(
            "{}.{}",
            encode_base64(JWT_HEADER.as_bytes()),
            encode_base64(claims.to_string().as_bytes())
        );
        // RFC 6979 deterministic nonces: no randomness needed, so this works in a Worker.
        let signature: Signature = self.key.sign(signing_input.as_bytes());
        // JWS wants the raw r || s (64 bytes), not DER.
        let jwt = format!("{signing_input}.{}", encode_base64(&signature.to_bytes()));
        Ok(format!("vapid t={jwt}, k={}", self.public_key()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::VerifyingKey;

    // The RFC 8291 Appendix A sender key: any fixed key does.
    const PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    const PUBLIC: &str =
        "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    const NOW: u64 = 1_700_000_000;

    fn json(part: &str) -> serde_json::Value {
        serde_json::from_slice(&decode_base64(part).unwrap()).unwrap()
    }

    #[test]
    fn public_key_is_derived_from_the_private_key() {
        assert_eq!(
            Vapid::from_private_key(PRIVATE).unwrap().public_key(),
            PUBLIC
        );
    }

    #[test]
    fn private_key_may_be_padded_or_standard_base64() {
        for text in [
            "yfWPiYE+n46HLnH0KqZOF1fJJU3MYrct3AELtAQ+oRw=",
            "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw=\n",
        ] {
            assert_eq!(Vapid::from_private_key(text).unwrap().public_key(), PUBLIC);
        }
    }

    #[test]
    fn a_bad_private_key_is_refused() {
        let zero = encode_base64(&[0; 32]);
        let order_or_more = encode_base64(&[0xff; 32]);
        let short = encode_base64(&[1; 31]);
        for text in ["", "not base64!", &zero, &order_or_more, &short, PUBLIC] {
            assert_eq!(
                Vapid::from_private_key(text).err(),
                Some(PushError::BadKey),
                "{text}"
            );
        }
    }

    #[test]
    fn public_key_round_trips_as_a_verifying_key() {
        let vapid = Vapid::from_private_key(PRIVATE).unwrap();
        let bytes = decode_base64(&vapid.public_key()).unwrap();
        assert_eq!(bytes.len(), 65);
        let key = VerifyingKey::from_sec1_bytes(&bytes).unwrap();
        assert_eq!(&key, vapid.key.verifying_key());
        assert_eq!(
            encode_base64(key.to_encoded_point(false).as_bytes()),
            PUBLIC
        );
    }

    #[test]
    fn authorization_carries_a_valid_es256_jwt() {
        let vapid = Vapid::from_private_key(PRIVATE).unwrap();
        let endpoint = "https://push.example.net:8443/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV";
        let header = vapid
            .authorization(endpoint, "mailto:ops@confab.example", NOW)
            .unwrap();

        let (jwt, k) = header
            .strip_prefix("vapid t=")
            .and_then(|rest| rest.split_once(", k="))
            .expect("vapid t=…, k=…");
        assert_eq!(k, PUBLIC);

        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(
            json(parts[0]),
            serde_json::json!({"typ": "JWT", "alg": "ES256"})
        );
        let claims = json(parts[1]);
        assert_eq!(claims["aud"], "https://push.example.net:8443");
        assert_eq!(claims["exp"], NOW + 12 * 3600);
        assert_eq!(claims["sub"], "mailto:ops@confab.example");

        let key = VerifyingKey::from_sec1_bytes(&decode_base64(k).unwrap()).unwrap();
        let raw = decode_base64(parts[2]).unwrap();
        assert_eq!(raw.len(), 64, "raw r || s, not DER");
        let signature = Signature::from_slice(&raw).unwrap();
        let signed = format!("{}.{}", parts[0], parts[1]);
        assert!(key.verify(signed.as_bytes(), &signature).is_ok());
        assert!(key.verify(b"something else", &signature).is_err());
    }

    #[test]
    fn the_subject_is_escaped_as_json() {
        let vapid = Vapid::from_private_key(PRIVATE).unwrap();
        let header = vapid
            .authorization("https://push.example.net/x", "mailto:\"a\"@b", NOW)
            .unwrap();
        let jwt = header.strip_prefix("vapid t=").unwrap();
        let claims = json(jwt.split('.').nth(1).unwrap());
        assert_eq!(claims["sub"], "mailto:\"a\"@b");
    }

    #[test]
    fn authorization_refuses_a_bad_endpoint() {
        let vapid = Vapid::from_private_key(PRIVATE).unwrap();
        assert_eq!(
            vapid.authorization("ftp://push.example.net/x", "mailto:a@b", NOW),
            Err(PushError::BadEndpoint)
        );
    }

    #[test]
    fn debug_does_not_show_the_private_key() {
        let text = format!("{:?}", Vapid::from_private_key(PRIVATE).unwrap());
        assert!(text.contains(PUBLIC) && !text.contains(PRIVATE));
    }
}
