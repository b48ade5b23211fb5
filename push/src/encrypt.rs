//! Message encryption for Web Push (RFC 8291) in the `aes128gcm` content coding (RFC 8188).
//!
//! The sender makes a one-off P-256 key pair, agrees a secret with the browser's key (ECDH),
//! mixes in the subscription's auth secret and a random salt (two HKDF steps), and seals the
//! payload with AES-128-GCM. The ephemeral public key and salt travel in the body's header,
//! so the browser can derive the same key.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use hkdf::Hkdf;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{ecdh, SecretKey};
use sha2::Sha256;

use crate::{PushError, Subscription};

/// Record size written into the header. The whole message is one record, so this only
/// has to be at least the record's length; 4096 is what browsers and libraries use.
const RECORD_SIZE: u32 = 4096;

/// Header: salt (16) || rs (4) || idlen (1) || keyid (65, the ephemeral public key).
const HEADER_LEN: usize = 16 + 4 + 1 + 65;

/// AES-GCM tag.
const TAG_LEN: usize = 16;

/// Largest payload [`encrypt`] takes: 3993 bytes. Push services need only accept a body of
/// 4096 bytes (RFC 8030 §7.2), and the body also carries the 86-byte header, the 1-byte
/// padding delimiter and the 16-byte tag (RFC 8291 §4).
pub const MAX_PAYLOAD: usize = 4096 - HEADER_LEN - 1 - TAG_LEN;

/// RFC 8291 message encryption with the aes128gcm content coding (RFC 8188): one record,
/// record size 4096, the header salt(16) || rs(u32 BE) || idlen(1)=65 || keyid = the sender's
/// ephemeral public key (65), then the ciphertext of payload || 0x02.
/// `sender_secret` is the ephemeral private scalar (32 random bytes from the caller; if it is
/// not a valid scalar, BadKey), `salt` 16 random bytes. Never reuse either.
pub fn encrypt(
    payload: &[u8],
    subscription: &Subscription,
    sender_secret: [u8; 32],
    salt: [u8; 16],
) -> Result<Vec<u8>, PushError> {
    if payload.len() > MAX_PAYLOAD {
        return Err(PushError::TooLarge);
    }
    let (ua_public, auth_secret) = subscription.keys()?;
    let as_secret = SecretKey::from_slice(&sender_secret).map_err(|_| PushError::BadKey)?;
    let as_public = as_secret.public_key().to_encoded_point(false);
    let ua_public_point = ua_public.to_encoded_point(false);

    // RFC 8291 §3.3: the shared secret, keyed by the auth secret.
    let shared = ecdh::diffie_hellman(as_secret.to_nonzero_scalar(), ua_public.as_affine());
    let mut key_info = Vec::with_capacity(14 + 65 + 65);
    key_info.extend_from_slice(b"WebPush: info\0");
    key_info.extend_from_slice(ua_public_point.as_bytes());
    key_info.extend_from_slice(as_public.as_bytes());
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(&auth_secret), shared.raw_secret_bytes())
        .expand(&key_info, &mut ikm)
        .expect("32 bytes is a valid HKDF-SHA-256 length");

    // RFC 8188 §2.2 and §2.3: content-encryption key and nonce from the salt.
    let prk = Hkdf::<Sha256>::new(Some(&salt), &ikm);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .expect("16 bytes is a valid HKDF-SHA-256 length");
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
        .expect("12 bytes is a valid HKDF-SHA-256 length");

    // The only (so last) record: payload, then the 0x02 delimiter, no padding. Its
    // sequence number is 0, so the nonce is used as derived.
    let mut record = Vec::with_capacity(payload.len() + 1 + TAG_LEN);
    record.extend_from_slice(payload);
    record.push(0x02);
    let sealed = Aes128Gcm::new_from_slice(&cek)
        .expect("a 16-byte key")
        .encrypt(Nonce::from_slice(&nonce), record.as_slice())
        .expect("AES-GCM seals any record this small");

    let mut body = Vec::with_capacity(HEADER_LEN + sealed.len());
    body.extend_from_slice(&salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(65);
    body.extend_from_slice(as_public.as_bytes());
    body.extend_from_slice(&sealed);
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode_base64;

    // RFC 8291 Appendix A.
    const PLAINTEXT: &[u8] = b"When I grow up, I want to be a watermelon";
    const AS_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    const UA_PUBLIC: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
    const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
    const BODY: &str = concat!(
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml",
        "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT",
        "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
    );

    fn bytes<const N: usize>(text: &str) -> [u8; N] {
        decode_base64(text).unwrap().try_into().unwrap()
    }

    fn subscription() -> Subscription {
        Subscription {
            endpoint: "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV".into(),
            p256dh: UA_PUBLIC.into(),
            auth: AUTH.into(),
        }
    }

    #[test]
    fn reproduces_rfc_8291_appendix_a() {
        let body = encrypt(PLAINTEXT, &subscription(), bytes(AS_PRIVATE), bytes(SALT)).unwrap();
        assert_eq!(body, decode_base64(BODY).unwrap());
    }

    #[test]
    fn the_header_is_salt_record_size_and_sender_key() {
        let secret = [0x11; 32];
        let body = encrypt(b"{}", &subscription(), secret, [9; 16]).unwrap();
        let public = SecretKey::from_slice(&secret)
            .unwrap()
            .public_key()
            .to_encoded_point(false);
        assert_eq!(&body[..16], &[9; 16]);
        assert_eq!(&body[16..20], &4096u32.to_be_bytes());
        assert_eq!(body[20], 65);
        assert_eq!(&body[21..86], public.as_bytes());
        assert_eq!(body.len(), HEADER_LEN + 2 + 1 + TAG_LEN);
    }

    #[test]
    fn the_largest_payload_makes_a_4096_byte_body() {
        assert_eq!(MAX_PAYLOAD, 3993);
        let payload = vec![b'x'; MAX_PAYLOAD];
        let body = encrypt(&payload, &subscription(), [0x11; 32], [9; 16]).unwrap();
        assert_eq!(body.len(), 4096);
    }

    #[test]
    fn a_payload_over_the_limit_is_refused() {
        let payload = vec![b'x'; MAX_PAYLOAD + 1];
        assert_eq!(
            encrypt(&payload, &subscription(), [0x11; 32], [9; 16]),
            Err(PushError::TooLarge)
        );
    }

    #[test]
    fn a_sender_secret_that_is_no_scalar_is_refused() {
        for secret in [[0; 32], [0xff; 32]] {
            assert_eq!(
                encrypt(PLAINTEXT, &subscription(), secret, [9; 16]),
                Err(PushError::BadKey)
            );
        }
    }

    #[test]
    fn bad_subscription_keys_are_refused() {
        let short_auth = Subscription {
            auth: "BTBZMqHH6r4Tts7J_aSI".into(),
            ..subscription()
        };
        let bad_point = Subscription {
            p256dh: UA_PUBLIC.replace('B', "C"),
            ..subscription()
        };
        for s in [short_auth, bad_point] {
            assert_eq!(
                encrypt(PLAINTEXT, &s, [0x11; 32], [9; 16]),
                Err(PushError::BadSubscription)
            );
        }
    }

    #[test]
    fn fresh_randomness_gives_a_fresh_body() {
        let a = encrypt(PLAINTEXT, &subscription(), [0x11; 32], [9; 16]).unwrap();
        let b = encrypt(PLAINTEXT, &subscription(), [0x12; 32], [9; 16]).unwrap();
        let c = encrypt(PLAINTEXT, &subscription(), [0x11; 32], [8; 16]).unwrap();
        assert_ne!(a[86..], b[86..]);
        assert_ne!(a[86..], c[86..]);
    }
}
