//! Web Push: sending a notification to a browser through its vendor's push service.
//!
//! A browser that subscribes (`PushManager.subscribe`) hands the page a [`Subscription`]:
//! an endpoint URL at its vendor's push service, plus the browser's own P-256 public key
//! (`p256dh`) and a 16-byte shared `auth` secret. To notify it, the application server
//! POSTs to that endpoint, and two things make the push service and the browser accept it:
//!
//! * **VAPID** (RFC 8292): the request carries `Authorization: vapid t=<JWT>, k=<key>`, a
//!   short-lived ES256 JWT signed with the application server's P-256 key ([`Vapid`]). The
//!   key is the one the page passed as `applicationServerKey` when subscribing, so only this
//!   server can push to its subscriptions.
//! * **Message encryption** (RFC 8291, on top of the `aes128gcm` content coding of RFC 8188):
//!   the push service must not read the payload, so it is encrypted for the browser's key
//!   with a fresh ephemeral key pair and salt ([`encrypt`]). The request also needs
//!   `Content-Encoding: aes128gcm` and a `TTL` header.
//!
//! This crate is plain Rust and draws no randomness itself, so it runs in a Worker (wasm)
//! and natively alike: the caller supplies the random ephemeral key and salt.

mod encrypt;
mod vapid;

pub use encrypt::{encrypt, MAX_PAYLOAD};
pub use vapid::Vapid;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::PublicKey;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushError {
    /// The application server's private key, or an ephemeral secret, is not a P-256 key.
    BadKey,
    /// The subscription's `p256dh` or `auth` is malformed.
    BadSubscription,
    /// The endpoint is not an http(s) URL with a host.
    BadEndpoint,
    /// The payload is longer than [`MAX_PAYLOAD`].
    TooLarge,
}

impl std::fmt::Display for PushError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PushError::BadKey => "not a valid P-256 private key",
            PushError::BadSubscription => "malformed push subscription keys",
            PushError::BadEndpoint => "push endpoint is not an http(s) URL",
            PushError::TooLarge => "push payload is too large",
        })
    }
}

impl std::error::Error for PushError {}

/// The origin of an https (or http, for local tests) endpoint URL, e.g.
/// "https://push.example.net" or "http://127.0.0.1:4567": the JWT's `aud`.
pub fn audience(endpoint: &str) -> Result<String, PushError> {
    let (scheme, rest) = endpoint.split_once("://").ok_or(PushError::BadEndpoint)?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => "443",
        "http" => "80",
        _ => return Err(PushError::BadEndpoint),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Credentials have no place in a push endpoint, and would make the origin ambiguous.
    if authority.contains('@')
        || authority
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(PushError::BadEndpoint);
    }
    // A bracketed IPv6 literal holds colons of its own; the port follows the bracket.
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (inner, after) = v6.split_once(']').ok_or(PushError::BadEndpoint)?;
            if inner.is_empty() {
                return Err(PushError::BadEndpoint);
            }
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':').ok_or(PushError::BadEndpoint)?),
            };
            (&authority[..inner.len() + 2], port)
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if host.is_empty() {
        return Err(PushError::BadEndpoint);
    }
    let host = host.to_ascii_lowercase();
    match port {
        None => Ok(format!("{scheme}://{host}")),
        Some(port) => {
            if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(PushError::BadEndpoint);
            }
            let port = port.parse::<u16>().map_err(|_| PushError::BadEndpoint)?;
            // An origin leaves out the scheme's default port (RFC 6454).
            if port.to_string() == default_port {
                Ok(format!("{scheme}://{host}"))
            } else {
                Ok(format!("{scheme}://{host}:{port}"))
            }
        }
    }
}

/// A browser's push subscription (PushSubscription.toJSON()): endpoint and keys.p256dh /
/// keys.auth, both base64url. Its JSON form is the browser's own,
/// `{"endpoint":…,"keys":{"p256dh":…,"auth":…}}`, so what the page posts parses as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SubscriptionJson", into = "SubscriptionJson")]
pub struct Subscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

#[derive(Serialize, Deserialize)]
struct SubscriptionJson {
    endpoint: String,
    keys: KeysJson,
}

#[derive(Serialize, Deserialize)]
struct KeysJson {
    p256dh: String,
    auth: String,
}

impl From<SubscriptionJson> for Subscription {
    fn from(json: SubscriptionJson) -> Self {
        Subscription {
            endpoint: json.endpoint,
            p256dh: json.keys.p256dh,
            auth: json.keys.auth,
        }
    }
}

impl From<Subscription> for SubscriptionJson {
    fn from(s: Subscription) -> Self {
        SubscriptionJson {
            endpoint: s.endpoint,
            keys: KeysJson {
                p256dh: s.p256dh,
                auth: s.auth,
            },
        }
    }
}

/// Longest endpoint accepted: real ones are a few hundred bytes; this bounds what we store.
const MAX_ENDPOINT: usize = 2048;

impl Subscription {
    /// Checks: endpoint is http(s) with a host and at most 2048 bytes; p256dh decodes to a
    /// valid uncompressed P-256 point (65 bytes); auth decodes to exactly 16 bytes.
    pub fn check(&self) -> Result<(), PushError> {
        if self.endpoint.len() > MAX_ENDPOINT {
            return Err(PushError::BadEndpoint);
        }
        audience(&self.endpoint)?;
        self.keys().map(|_| ())
    }

    /// The browser's public key and auth secret, decoded and validated.
    pub(crate) fn keys(&self) -> Result<(PublicKey, [u8; 16]), PushError> {
        let point = decode_base64(&self.p256dh).ok_or(PushError::BadSubscription)?;
        // Browsers send the uncompressed form; RFC 8291 puts exactly these 65 bytes into
        // the key derivation, so a compressed point would derive different keys.
        if point.len() != 65 || point[0] != 0x04 {
            return Err(PushError::BadSubscription);
        }
        let key = PublicKey::from_sec1_bytes(&point).map_err(|_| PushError::BadSubscription)?;
        let auth = decode_base64(&self.auth)
            .and_then(|a| <[u8; 16]>::try_from(a).ok())
            .ok_or(PushError::BadSubscription)?;
        Ok((key, auth))
    }
}

/// Base64url without padding, as every Web Push value is written.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url, also padded or in the standard alphabet: keys get pasted from
/// tools and secrets stores that use either.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text: String = text
        .trim()
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    URL_SAFE_NO_PAD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::elliptic_curve::sec1::ToEncodedPoint;

    const P256DH: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";

    fn subscription() -> Subscription {
        Subscription {
            endpoint: "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV".into(),
            p256dh: P256DH.into(),
            auth: "BTBZMqHH6r4Tts7J_aSIgg".into(),
        }
    }

    #[test]
    fn audience_is_the_origin() {
        let cases = [
            (
                "https://push.example.net/push/abc",
                "https://push.example.net",
            ),
            (
                "https://fcm.googleapis.com/fcm/send/x:y",
                "https://fcm.googleapis.com",
            ),
            ("http://127.0.0.1:4567/push/abc", "http://127.0.0.1:4567"),
            (
                "https://Push.Example.NET:8443?x",
                "https://push.example.net:8443",
            ),
            ("https://push.example.net:443/p", "https://push.example.net"),
            ("HTTP://[::1]:80/p", "http://[::1]"),
        ];
        for (endpoint, origin) in cases {
            assert_eq!(audience(endpoint).as_deref(), Ok(origin), "{endpoint}");
        }
    }

    #[test]
    fn audience_refuses_what_is_not_an_http_url() {
        for endpoint in [
            "",
            "push.example.net/abc",
            "ftp://push.example.net/abc",
            "https:///abc",
            "https://:443/abc",
            "https://user:pw@push.example.net/abc",
            "https://push.example.net:99999/abc",
            "https://push.example.net:/abc",
            "https://push.example.net:8x/abc",
            "https://push example.net/abc",
            "https://[::1/abc",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                audience(endpoint),
                Err(PushError::BadEndpoint),
                "{endpoint:?}"
            );
        }
    }

    #[test]
    fn a_browser_subscription_checks_out() {
        assert_eq!(subscription().check(), Ok(()));
    }

    #[test]
    fn check_refuses_a_point_off_the_curve() {
        let mut point = decode_base64(P256DH).unwrap();
        point[64] ^= 1;
        let s = Subscription {
            p256dh: encode_base64(&point),
            ..subscription()
        };
        assert_eq!(s.check(), Err(PushError::BadSubscription));
    }

    #[test]
    fn check_refuses_a_compressed_or_garbled_key() {
        let point = decode_base64(P256DH).unwrap();
        let compressed = PublicKey::from_sec1_bytes(&point)
            .unwrap()
            .to_encoded_point(true);
        for p256dh in [
            encode_base64(compressed.as_bytes()),
            "not base64!".into(),
            String::new(),
        ] {
            let s = Subscription {
                p256dh,
                ..subscription()
            };
            assert_eq!(s.check(), Err(PushError::BadSubscription));
        }
    }

    #[test]
    fn check_refuses_an_auth_secret_of_15_bytes() {
        let s = Subscription {
            auth: encode_base64(&[7; 15]),
            ..subscription()
        };
        assert_eq!(s.check(), Err(PushError::BadSubscription));
    }

    #[test]
    fn check_refuses_a_bad_endpoint() {
        let long = format!("https://push.example.net/{}", "a".repeat(MAX_ENDPOINT));
        for endpoint in ["wss://push.example.net/abc".to_string(), long] {
            let s = Subscription {
                endpoint,
                ..subscription()
            };
            assert_eq!(s.check(), Err(PushError::BadEndpoint));
        }
    }

    #[test]
    fn the_json_form_is_the_browsers() {
        let json = serde_json::json!({
            "endpoint": subscription().endpoint,
            "expirationTime": null,
            "keys": { "p256dh": P256DH, "auth": "BTBZMqHH6r4Tts7J_aSIgg" },
        });
        let parsed: Subscription = serde_json::from_value(json).unwrap();
        assert_eq!(parsed, subscription());
        let back = serde_json::to_value(&parsed).unwrap();
        assert_eq!(back["keys"]["p256dh"], P256DH);
        assert_eq!(
            serde_json::from_value::<Subscription>(back).unwrap(),
            parsed
        );
    }

    #[test]
    fn base64_is_read_leniently() {
        let bytes = [0xfb, 0xff, 0x00, 0x10];
        for text in ["-_8AEA", "+/8AEA==", " -_8AEA\n"] {
            assert_eq!(decode_base64(text).as_deref(), Some(&bytes[..]), "{text:?}");
        }
        assert_eq!(encode_base64(&bytes), "-_8AEA");
    }
}
