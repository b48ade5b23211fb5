//! Identity verification for visitors the host site has signed in.
//!
//! The site owner's server proves who its user is with the identity secret, in one of two
//! ways: `userHash`, the hex HMAC-SHA256 of the user id, or a short-lived HS256 JWT whose
//! `sub` is the user id. A verified user has one visitor per site, on every device.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{ApiError, ErrorCode};
use crate::ids::{SiteId, VisitorId};
use crate::limits::{MAX_EMAIL_CHARS, MAX_NAME_CHARS};

/// Longest user id the host may give.
pub const MAX_USER_ID_CHARS: usize = 128;

/// Longest a JWT may live (`exp - iat`, or `exp - now` without `iat`): it is minted for
/// one page load, not kept.
pub const MAX_JWT_SECONDS: u64 = 24 * 3600;

/// Longest JWT the edge reads.
const MAX_JWT_LEN: usize = 2048;

/// A user as the host vouched for them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedUser {
    pub user_id: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// `userHash` as the host's server computes it: lowercase hex HMAC-SHA256 of the user id.
pub fn user_hash(secret: &[u8], user_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(user_id.as_bytes());
    crate::ids::hex(&mac.finalize().into_bytes())
}

fn refused() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthorized,
        "the identity could not be verified: check the identity secret on your server",
    )
}

fn check_user_id(user_id: &str) -> Result<(), ApiError> {
    let chars = user_id.chars().count();
    if chars == 0 || chars > MAX_USER_ID_CHARS || user_id.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "user_id",
            "must be 1 to 128 characters, without control characters",
        ));
    }
    Ok(())
}

/// Checks `hash` (hex, either case) against the user id, in constant time.
pub fn verify_user_hash(secret: &[u8], user_id: &str, hash: &str) -> Result<(), ApiError> {
    check_user_id(user_id)?;
    let expected = user_hash(secret, user_id);
    let given = hash.trim().to_ascii_lowercase();
    if crate::password::same_bytes(expected.as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(refused())
    }
}

#[derive(Deserialize)]
struct JwtHeader {
    alg: String,
}

#[derive(Deserialize)]
struct JwtClaims {
    sub: String,
    exp: u64,
    #[serde(default)]
    iat: Option<u64>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

/// Verifies an HS256 JWT at `now_secs`: signature, `exp` in the future and near, `sub`.
pub fn verify_jwt(secret: &[u8], token: &str, now_secs: u64) -> Result<VerifiedUser, ApiError> {
    if token.len() > MAX_JWT_LEN {
        return Err(refused());
    }
    let mut parts = token.trim().split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refused());
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|_| refused());
    let header: JwtHeader = serde_json::from_slice(&decode(header)?).map_err(|_| refused())?;
    // Only HS256: a token naming another algorithm (or `none`) is refused outright.
    if header.alg != "HS256" {
        return Err(refused());
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    let signed = token
        .trim()
        .rsplit_once('.')
        .map_or("", |(signed, _)| signed);
    mac.update(signed.as_bytes());
    mac.verify_slice(&decode(signature)?)
        .map_err(|_| refused())?;
    let claims: JwtClaims = serde_json::from_slice(&decode(claims)?).map_err(|_| refused())?;
    let issued = claims.iat.unwrap_or(now_secs).min(now_secs);
    if claims.exp <= now_secs || claims.exp - issued > MAX_JWT_SECONDS {
        return Err(ApiError::new(
            ErrorCode::Unauthorized,
            "the identity token has expired or lives too long: mint one per page load",
        ));
    }
    check_user_id(&claims.sub)?;
    Ok(VerifiedUser {
        user_id: claims.sub,
        email: claims.email,
        name: claims.name,
    }
    .bounded())
}

impl VerifiedUser {
    /// Email and name cut to their limits; the user id is checked, never cut.
    pub fn bounded(mut self) -> Self {
        let cut = |s: Option<String>, max: usize| {
            s.map(|s| s.trim().chars().take(max).collect::<String>())
                .filter(|s| !s.is_empty())
        };
        self.email = cut(self.email, MAX_EMAIL_CHARS);
        self.name = cut(self.name, MAX_NAME_CHARS);
        self
    }

    /// The one visitor this user is on `site`: the same on every device, and not
    /// computable without the server secret.
    pub fn visitor(&self, server_secret: &[u8], site: &SiteId) -> VisitorId {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(server_secret).expect("HMAC takes any key length");
        mac.update(b"confab user\0");
        mac.update(site.as_str().as_bytes());
        mac.update(b"\0");
        mac.update(self.user_id.as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        VisitorId::from_bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"identity secret of the host site";

    fn jwt(header: &str, claims: &str, secret: &[u8]) -> String {
        let signed = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(claims)
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(signed.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signed}.{signature}")
    }

    #[test]
    fn user_hash_matches_a_known_value() {
        // Computed independently: echo -n user-42 | openssl dgst -sha256 -hmac "identity secret of the host site"
        assert_eq!(
            user_hash(SECRET, "user-42"),
            "1606c3a3eb7e18d3e59f4c6fdf3d4d99ce5bc8fb3ba6cfceb3a73168520e588c"
        );
        assert!(verify_user_hash(SECRET, "user-42", &user_hash(SECRET, "user-42")).is_ok());
        let upper = user_hash(SECRET, "user-42").to_uppercase();
        assert!(verify_user_hash(SECRET, "user-42", &upper).is_ok());
    }

    #[test]
    fn a_forged_hash_is_refused() {
        let hash = user_hash(SECRET, "user-42");
        assert!(verify_user_hash(SECRET, "user-43", &hash).is_err());
        assert!(verify_user_hash(b"another secret", "user-42", &hash).is_err());
        assert!(verify_user_hash(SECRET, "user-42", "").is_err());
        assert!(verify_user_hash(SECRET, "", &user_hash(SECRET, "")).is_err());
    }

    #[test]
    fn a_good_jwt_names_its_user() {
        let token = jwt(
            r#"{"alg":"HS256","typ":"JWT"}"#,
            r#"{"sub":"user-42","exp":1300,"iat":1000,"email":"ada@example.com","name":"Ada"}"#,
            SECRET,
        );
        let user = verify_jwt(SECRET, &token, 1_100).unwrap();
        assert_eq!(user.user_id, "user-42");
        assert_eq!(user.email.as_deref(), Some("ada@example.com"));
        assert_eq!(user.name.as_deref(), Some("Ada"));
    }

    #[test]
    fn bad_jwts_are_refused() {
        let claims = r#"{"sub":"user-42","exp":1300}"#;
        let good_header = r#"{"alg":"HS256"}"#;
        let cases = [
            jwt(good_header, claims, b"wrong secret"),
            jwt(r#"{"alg":"none"}"#, claims, SECRET),
            jwt(r#"{"alg":"HS512"}"#, claims, SECRET),
            jwt(good_header, r#"{"sub":"user-42","exp":1000}"#, SECRET),
            jwt(good_header, r#"{"sub":"user-42","exp":999999}"#, SECRET),
            jwt(good_header, r#"{"sub":"","exp":1300}"#, SECRET),
            jwt(good_header, r#"{"exp":1300}"#, SECRET),
            "a.b".into(),
            "a.b.c.d".into(),
            String::new(),
        ];
        for token in cases {
            assert!(verify_jwt(SECRET, &token, 1_100).is_err(), "{token}");
        }
    }

    #[test]
    fn a_user_is_one_visitor_per_site() {
        let user = VerifiedUser {
            user_id: "user-42".into(),
            email: None,
            name: None,
        };
        let demo = SiteId::parse("demo").unwrap();
        let other = SiteId::parse("other").unwrap();
        assert_eq!(
            user.visitor(b"server", &demo),
            user.visitor(b"server", &demo)
        );
        assert_ne!(
            user.visitor(b"server", &demo),
            user.visitor(b"server", &other)
        );
        assert_ne!(
            user.visitor(b"server", &demo),
            user.visitor(b"another", &demo)
        );
    }
}
