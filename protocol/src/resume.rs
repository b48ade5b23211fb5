//! Resume codes: how a visitor carries their threads to another device.
//!
//! A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
//! `ABCD-EFGH`. The first half finds the code, the second half proves it: a wrong second
//! half counts against that one code, which locks after a few tries, so guessing a live
//! code is hopeless even before the per-address throttle.

use sha2::{Digest, Sha256};

/// 31 characters that cannot be mistaken for one another when read or typed.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// How long a code may be redeemed.
pub const RESUME_CODE_SECONDS: u64 = 10 * 60;

/// Wrong halves a code takes before it locks for good.
pub const RESUME_CODE_TRIES: u32 = 5;

const HALF: usize = 4;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResumeCode {
    /// Finds the code among those alive for a site.
    pub locator: String,
    /// Proves it; stored only as a digest.
    pub secret: String,
}

impl ResumeCode {
    /// A code from 8 random bytes (one per character; the bias of `% 31` on a byte is
    /// below what the lock and the throttle already allow).
    pub fn from_random(bytes: [u8; 2 * HALF]) -> Self {
        let chars: String = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        ResumeCode {
            locator: chars[..HALF].to_owned(),
            secret: chars[HALF..].to_owned(),
        }
    }

    /// Reads what a person typed: case, spaces and dashes do not matter.
    pub fn parse(input: &str) -> Option<Self> {
        if input.len() > 32 {
            return None;
        }
        let chars: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = chars.len() == 2 * HALF && chars.bytes().all(|b| ALPHABET.contains(&b));
        valid.then(|| ResumeCode {
            locator: chars[..HALF].to_owned(),
            secret: chars[HALF..].to_owned(),
        })
    }

    /// `ABCD-EFGH`, as shown and as put in links.
    pub fn display(&self) -> String {
        format!("{}-{}", self.locator, self.secret)
    }

    pub fn secret_digest(&self) -> String {
        digest(&self.secret)
    }
}

fn digest(text: &str) -> String {
    crate::ids::hex(&Sha256::digest(text.as_bytes()))
}

/// Why a code was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No live code has this first half.
    Unknown,
    Expired,
    Used,
    /// Too many wrong tries: the code is dead, ask for a new one.
    Locked,
    /// Wrong second half; this many tries remain before the code locks.
    Wrong {
        tries_left: u32,
    },
}

impl Refusal {
    /// One answer for every refusal: telling a wrong second half from an unknown first
    /// half (or a used, expired or locked code from a live one) would tell a guesser which
    /// first halves belong to codes.
    pub fn message(self) -> &'static str {
        "this code is not valid: check it, or ask for a new one"
    }
}

/// A code as stored, and the one rule for redeeming it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCode {
    pub secret_digest: String,
    pub expires_at: u64,
    pub wrong_tries: u32,
    pub used: bool,
}

impl IssuedCode {
    pub fn new(code: &ResumeCode, now_secs: u64) -> Self {
        IssuedCode {
            secret_digest: code.secret_digest(),
            expires_at: now_secs + RESUME_CODE_SECONDS,
            wrong_tries: 0,
            used: false,
        }
    }

    /// Redeems `code` at `now_secs`, changing the record as the attempt requires: used
    /// on success, one more wrong try on a wrong second half.
    pub fn redeem(&mut self, code: &ResumeCode, now_secs: u64) -> Result<(), Refusal> {
        if self.wrong_tries >= RESUME_CODE_TRIES {
            return Err(Refusal::Locked);
        }
        if self.used {
            return Err(Refusal::Used);
        }
        if now_secs >= self.expires_at {
            return Err(Refusal::Expired);
        }
        if !crate::password::same_bytes(
            self.secret_digest.as_bytes(),
            code.secret_digest().as_bytes(),
        ) {
            self.wrong_tries += 1;
            return Err(match RESUME_CODE_TRIES - self.wrong_tries {
                0 => Refusal::Locked,
                tries_left => Refusal::Wrong { tries_left },
            });
        }
        self.used = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code() -> ResumeCode {
        ResumeCode::from_random([0, 1, 2, 3, 4, 5, 6, 7])
    }

    #[test]
    fn codes_read_back_however_typed() {
        let code = code();
        assert_eq!(code.display(), "2345-6789");
        for typed in ["2345-6789", "23456789", " 2345 6789 ", "2345-6789\n"] {
            assert_eq!(ResumeCode::parse(typed), Some(code.clone()), "{typed:?}");
        }
        let letters = ResumeCode::parse("abcd-efgh").unwrap();
        assert_eq!(letters.display(), "ABCD-EFGH");
    }

    #[test]
    fn look_alikes_and_wrong_lengths_are_refused() {
        for bad in [
            "2345-678",
            "2345-67890",
            "O345-6789",
            "1345-6789",
            "I345-6789",
            "",
        ] {
            assert_eq!(ResumeCode::parse(bad), None, "{bad:?}");
        }
        assert_eq!(ResumeCode::parse(&"2".repeat(40)), None);
    }

    #[test]
    fn a_code_works_once() {
        let mut issued = IssuedCode::new(&code(), 1_000);
        assert_eq!(issued.redeem(&code(), 1_001), Ok(()));
        assert_eq!(issued.redeem(&code(), 1_002), Err(Refusal::Used));
    }

    #[test]
    fn a_code_expires_after_ten_minutes() {
        let mut issued = IssuedCode::new(&code(), 1_000);
        assert_eq!(
            issued.redeem(&code(), 1_000 + RESUME_CODE_SECONDS),
            Err(Refusal::Expired)
        );
        let mut fresh = IssuedCode::new(&code(), 1_000);
        assert_eq!(
            fresh.redeem(&code(), 1_000 + RESUME_CODE_SECONDS - 1),
            Ok(())
        );
    }

    #[test]
    fn every_refusal_reads_the_same() {
        let all = [
            Refusal::Unknown,
            Refusal::Expired,
            Refusal::Used,
            Refusal::Locked,
            Refusal::Wrong { tries_left: 3 },
        ];
        assert!(all
            .iter()
            .all(|r| r.message() == Refusal::Unknown.message()));
    }

    #[test]
    fn wrong_tries_lock_the_code_even_for_the_right_one() {
        let mut issued = IssuedCode::new(&code(), 1_000);
        let wrong = ResumeCode::parse("2345-ZZZZ").unwrap();
        for left in (1..RESUME_CODE_TRIES).rev() {
            assert_eq!(
                issued.redeem(&wrong, 1_001),
                Err(Refusal::Wrong { tries_left: left })
            );
        }
        assert_eq!(issued.redeem(&wrong, 1_001), Err(Refusal::Locked));
        assert_eq!(issued.redeem(&code(), 1_001), Err(Refusal::Locked));
    }

    proptest! {
        #[test]
        fn every_random_code_parses_back(bytes in any::<[u8; 8]>()) {
            let code = ResumeCode::from_random(bytes);
            prop_assert_eq!(ResumeCode::parse(&code.display()), Some(code.clone()));
            prop_assert!(!code.display().contains(['0', 'O', '1', 'I', 'L']));
        }
    }
}
