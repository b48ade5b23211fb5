//! Identifiers. Each is a validated newtype: a value of the type is always well formed,
//! and deserializing a malformed one fails.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::fmt;

use crate::limits::{MAX_CLIENT_ID_LEN, MAX_SITE_LEN};

/// The conversions every validated string id has: it is made only by `parse`, read as
/// `&str`, and (de)serialized as a plain string that must pass `parse`.
macro_rules! string_id {
    ($name:ident, $rule:expr) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                $name::parse(&s).ok_or_else(|| format!("{} must be {}", stringify!($name), $rule))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Declares a random 128-bit id written as 32 lowercase hex digits.
macro_rules! hex128_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn from_bytes(bytes: [u8; 16]) -> Self {
                $name(hex(&bytes))
            }

            pub fn parse(s: &str) -> Option<Self> {
                is_hex128(s).then(|| $name(s.to_owned()))
            }
        }

        string_id!($name, "32 lowercase hex digits");
    };
}

hex128_id!(
    /// One conversation thread; also the name of its Durable Object.
    ConversationId
);
hex128_id!(
    /// One person, across their devices.
    VisitorId
);
hex128_id!(
    /// One device session (one browser) of a visitor.
    SessionId
);
hex128_id!(
    /// One member of the support team (an agent or an admin).
    AgentId
);
hex128_id!(
    /// One uploaded file.
    FileId
);

impl ConversationId {
    /// The id of the conversation a visitor opens with the message `first`.
    ///
    /// Derived, not random, so that retrying the opening message after a lost response
    /// lands in the same conversation instead of opening a second one. Keyed by the
    /// server secret, so nobody can compute another visitor's conversation id.
    pub fn derive(secret: &[u8], visitor: &VisitorId, first: &ClientId) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(b"confab conversation\0");
        mac.update(visitor.as_str().as_bytes());
        mac.update(b"\0");
        mac.update(first.as_str().as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        ConversationId::from_bytes(bytes)
    }
}

/// The sender's own id for a message: a resend with the same id is the same message.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientId(String);

impl ClientId {
    pub fn parse(s: &str) -> Option<Self> {
        let ok = !s.is_empty()
            && s.len() <= MAX_CLIENT_ID_LEN
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| ClientId(s.to_owned()))
    }

    /// A fresh client id from 128 random bits, as the widget and the console make them.
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        ClientId(hex(&bytes))
    }
}

string_id!(
    ClientId,
    format_args!("1 to {MAX_CLIENT_ID_LEN} characters of A-Z, a-z, 0-9, - or _")
);

/// A site, as named by `data-site` on the script tag: lowercase letters, digits and `-`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SiteId(String);

impl SiteId {
    pub fn parse(s: &str) -> Option<Self> {
        let ok = !s.is_empty()
            && s.len() <= MAX_SITE_LEN
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then(|| SiteId(s.to_owned()))
    }
}

string_id!(
    SiteId,
    format_args!("1 to {MAX_SITE_LEN} characters of a-z, 0-9 or -")
);

fn is_hex128(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `bytes` bytes written as `hex` writes them, or `None`.
pub fn unhex(text: &str, bytes: usize) -> Option<Vec<u8>> {
    if text.len() != bytes * 2 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn fresh_client_ids_are_valid_ones() {
        let id = ClientId::from_bytes([0xab; 16]);
        assert_eq!(ClientId::parse(id.as_str()), Some(id));
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hex_ids_round_trip() {
        let id = VisitorId::from_bytes([0xab; 16]);
        assert_eq!(id.as_str(), "abababababababababababababababab");
        assert_eq!(VisitorId::parse(id.as_str()), Some(id.clone()));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<VisitorId>(&json).unwrap(), id);
    }

    #[test]
    fn malformed_hex_ids_are_refused() {
        for bad in ["", "abc", &"A".repeat(32), &"g".repeat(32), &"a".repeat(33)] {
            assert!(ConversationId::parse(bad).is_none(), "{bad:?}");
            assert!(serde_json::from_value::<ConversationId>(bad.into()).is_err());
        }
    }

    #[test]
    fn client_ids_are_checked() {
        assert!(ClientId::parse("4f1c-77_x").is_some());
        assert!(ClientId::parse("").is_none());
        assert!(ClientId::parse("has space").is_none());
        assert!(ClientId::parse("<script>").is_none());
        assert!(ClientId::parse(&"a".repeat(MAX_CLIENT_ID_LEN)).is_some());
        assert!(ClientId::parse(&"a".repeat(MAX_CLIENT_ID_LEN + 1)).is_none());
    }

    #[test]
    fn site_ids_are_checked() {
        assert!(SiteId::parse("acme-shop2").is_some());
        assert!(SiteId::parse("Acme").is_none());
        assert!(SiteId::parse("a/b").is_none());
        assert!(SiteId::parse("").is_none());
    }

    #[test]
    fn derived_conversation_ids_are_stable_and_keyed() {
        let visitor = VisitorId::from_bytes([1; 16]);
        let first = ClientId::parse("m1").unwrap();
        let a = ConversationId::derive(b"secret", &visitor, &first);
        assert_eq!(a, ConversationId::derive(b"secret", &visitor, &first));
        assert_ne!(a, ConversationId::derive(b"other secret", &visitor, &first));
        let other_visitor = VisitorId::from_bytes([2; 16]);
        assert_ne!(a, ConversationId::derive(b"secret", &other_visitor, &first));
        let second = ClientId::parse("m2").unwrap();
        assert_ne!(a, ConversationId::derive(b"secret", &visitor, &second));
    }

    proptest! {
        #[test]
        fn any_string_either_parses_to_itself_or_is_refused(s in ".{0,80}") {
            if let Some(id) = ClientId::parse(&s) {
                prop_assert_eq!(id.as_str(), s.as_str());
            }
            if let Some(id) = ConversationId::parse(&s) {
                prop_assert_eq!(id.as_str(), s.as_str());
            }
        }
    }
}
