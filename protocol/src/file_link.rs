//! Links to files: short-lived and signed, so that only whoever was given one (the
//! thread's visitor and its site's agents, in the messages they are served) can fetch the
//! file, and only for a while. Nothing is stored per link.
//!
//! A link ends on the next full hour plus one, so every link given out within the same
//! hour is the same URL and the browser's cache serves it again.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::{ApiError, ErrorCode, FileId};

/// A link lasts between one and two hours.
const HOUR_S: u64 = 3600;

/// The link to the file `id` stored under `scope` (whose upload it was), relative to the
/// API's base, for `now_ms`.
pub fn link(secret: &[u8], scope: &str, id: &FileId, now_ms: u64) -> String {
    let until = (now_ms / 1000 / HOUR_S + 2) * HOUR_S;
    let sig = signature(secret, scope, id, until);
    format!("api/files/{scope}/{id}?until={until}&sig={sig}")
}

/// Refuses a link that was not signed here, or is past its time: `until` and `sig` are
/// its query's.
pub fn check(
    secret: &[u8],
    scope: &str,
    id: &FileId,
    until: Option<&str>,
    sig: Option<&str>,
    now_ms: u64,
) -> Result<(), ApiError> {
    let refused = || ApiError::new(ErrorCode::Forbidden, "this link to a file is not valid");
    let until: u64 = until.and_then(|u| u.parse().ok()).ok_or_else(refused)?;
    let sig = sig
        .and_then(|s| crate::ids::unhex(s, SIG_BYTES))
        .ok_or_else(refused)?;
    mac(secret, scope, id, until)
        .verify_truncated_left(&sig)
        .map_err(|_| refused())?;
    if now_ms / 1000 >= until {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "this link to a file has expired: open the conversation again for a new one",
        ));
    }
    Ok(())
}

fn mac(secret: &[u8], scope: &str, id: &FileId, until: u64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"confab file\0");
    mac.update(scope.as_bytes());
    mac.update(b"\0");
    mac.update(id.as_str().as_bytes());
    mac.update(b"\0");
    mac.update(until.to_string().as_bytes());
    mac
}

/// The first half of the MAC, in hex: enough against forgery, short in a URL.
fn signature(secret: &[u8], scope: &str, id: &FileId, until: u64) -> String {
    crate::ids::hex(&mac(secret, scope, id, until).finalize().into_bytes()[..SIG_BYTES])
}

const SIG_BYTES: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a test secret that is long enough!!";
    const NOW: u64 = 1_800_000_000_000;

    fn query(link: &str) -> &str {
        link.split_once('?').unwrap().1
    }

    /// `check` with the `until` and `sig` of `query`.
    fn check(
        secret: &[u8],
        scope: &str,
        id: &FileId,
        query: &str,
        now: u64,
    ) -> Result<(), ApiError> {
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        };
        super::check(secret, scope, id, param("until"), param("sig"), now)
    }

    #[test]
    fn a_link_works_for_its_file_until_it_ends() {
        let id = FileId::from_bytes([3; 16]);
        let link = link(SECRET, "v.demo.abc", &id, NOW);
        assert!(link.starts_with(&format!("api/files/v.demo.abc/{id}?until=")));
        assert!(check(SECRET, "v.demo.abc", &id, query(&link), NOW).is_ok());
        // At least an hour, less than two.
        assert!(check(SECRET, "v.demo.abc", &id, query(&link), NOW + 3_600_000).is_ok());
        let late = check(SECRET, "v.demo.abc", &id, query(&link), NOW + 7_200_000);
        assert_eq!(late.unwrap_err().code, ErrorCode::Forbidden);
        // Within the hour, the same link: the browser's cache serves it again.
        assert_eq!(super::link(SECRET, "v.demo.abc", &id, NOW + 1), link);
    }

    #[test]
    fn a_link_names_one_file_and_cannot_be_stretched() {
        let id = FileId::from_bytes([3; 16]);
        let other = FileId::from_bytes([4; 16]);
        let link = link(SECRET, "v.demo.abc", &id, NOW);
        let q = query(&link);
        let refused = |r: Result<(), ApiError>| r.unwrap_err().code == ErrorCode::Forbidden;
        assert!(refused(check(SECRET, "v.demo.abc", &other, q, NOW)));
        assert!(refused(check(SECRET, "v.demo.xyz", &id, q, NOW)));
        assert!(refused(check(
            b"another secret, long enough too!!!",
            "v.demo.abc",
            &id,
            q,
            NOW
        )));
        let until: u64 = q.split('&').next().unwrap()[6..].parse().unwrap();
        let stretched = q.replace(&until.to_string(), &(until + 86_400).to_string());
        assert!(refused(check(SECRET, "v.demo.abc", &id, &stretched, NOW)));
        assert!(refused(check(
            SECRET,
            "v.demo.abc",
            &id,
            "until=9&x=1",
            NOW
        )));
        assert!(refused(check(SECRET, "v.demo.abc", &id, "", NOW)));
    }
}
