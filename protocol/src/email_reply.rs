//! Answering an email by replying to it: the rules, apart from any mail system.
//!
//! Each email to a visitor about a thread is sent with a reply address of its own,
//! `reply+<thread><day><signature>@<domain>`: the signature binds the thread to its visitor
//! (signed with the deployment's secret), so an address cannot be guessed, and mail from
//! anyone but that visitor is refused where the answer arrives. What the visitor writes is
//! then cut from what their mail program adds: the quoted history and their signature.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::ids::{hex, unhex};
use crate::{ConversationId, VisitorId};

/// What goes before `+` in every reply address.
pub const PREFIX: &str = "reply+";

/// 80 bits: a local part stays within its 64 characters, and guessing is out of reach.
const SIG_BYTES: usize = 10;

/// How long a reply address takes answers, from the day its email was sent: a leaked
/// address stops working, and an answer to an old email is told to use the site instead.
pub const VALID_DAYS: u32 = 90;

const MS_PER_DAY: u64 = 86_400_000;

/// The day (since the Unix epoch) of `now_ms`, as reply addresses carry it.
pub fn day_of(now_ms: u64) -> u32 {
    (now_ms / MS_PER_DAY) as u32
}

fn mac(
    secret: &[u8],
    conversation: &ConversationId,
    visitor: &VisitorId,
    day: u16,
) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"confab reply\0");
    mac.update(conversation.to_string().as_bytes());
    mac.update(b"\0");
    mac.update(visitor.as_str().as_bytes());
    mac.update(&day.to_be_bytes());
    mac
}

/// The local part of thread `conversation`'s reply address for `visitor`, in an email
/// sent on `day` ([`day_of`], kept in 16 bits: to the year 2149):
/// `reply+<thread: 32><day: 4><signature: 20>`, 62 characters.
pub fn local_part(
    secret: &[u8],
    conversation: &ConversationId,
    visitor: &VisitorId,
    day: u32,
) -> String {
    let day = day as u16;
    let sig = mac(secret, conversation, visitor, day)
        .finalize()
        .into_bytes();
    format!(
        "{PREFIX}{conversation}{}{}",
        hex(&day.to_be_bytes()),
        hex(&sig[..SIG_BYTES])
    )
}

/// What a reply address says, still to be checked with [`ReplyAddress::check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyAddress {
    pub conversation: ConversationId,
    day: u16,
    sig: Vec<u8>,
}

/// Why a reply address is not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not made here for this thread's visitor.
    Forged,
    /// Older than [`VALID_DAYS`].
    Expired,
}

impl ReplyAddress {
    /// The reply address in `address` (any domain, any case). `None`: not one.
    pub fn parse(address: &str) -> Option<Self> {
        let local = address.rsplit_once('@').map_or(address, |(l, _)| l);
        let token = local.trim().to_ascii_lowercase();
        let token = token.strip_prefix(PREFIX)?;
        let sig_at = token.len().checked_sub(SIG_BYTES * 2)?;
        let day_at = sig_at.checked_sub(4)?;
        let conversation = ConversationId::parse(token.get(..day_at)?)?;
        let day = unhex(token.get(day_at..sig_at)?, 2)?;
        Some(ReplyAddress {
            conversation,
            day: u16::from_be_bytes([day[0], day[1]]),
            sig: unhex(token.get(sig_at..)?, SIG_BYTES)?,
        })
    }

    /// Whether it was made here for `visitor`, and is still valid on `today`.
    pub fn check(&self, secret: &[u8], visitor: &VisitorId, today: u32) -> Result<(), Refused> {
        mac(secret, &self.conversation, visitor, self.day)
            .verify_truncated_left(&self.sig)
            .map_err(|_| Refused::Forged)?;
        if today.saturating_sub(u32::from(self.day)) > VALID_DAYS {
            return Err(Refused::Expired);
        }
        Ok(())
    }
}

/// What the visitor wrote in their answer, without what their mail program added below it:
/// the quoted history (Gmail's and Apple Mail's "On … wrote:", Outlook's "From:" block or
/// "Original Message" line, `>` quotes) and their signature ("-- ", "Sent from my iPhone").
pub fn reply_text(text: &str) -> String {
    // Trailing blanks are kept while looking: a signature starts with "-- ".
    let lines: Vec<&str> = text.lines().collect();
    // Whether only quotes and blank lines follow each line: one pass from the end.
    let mut quotes_to_end = vec![true; lines.len() + 1];
    for i in (0..lines.len()).rev() {
        let quote = lines[i].is_empty() || lines[i].starts_with('>');
        quotes_to_end[i] = quote && quotes_to_end[i + 1];
    }
    let end = (0..lines.len())
        .find(|&i| starts_history(&lines, i, quotes_to_end[i]))
        .unwrap_or(lines.len());
    let kept: Vec<&str> = lines[..end].iter().map(|l| l.trim_end()).collect();
    kept.join("\n").trim().to_owned()
}

/// Whether line `i` starts what is not the visitor's own words; `quotes_to_end`: only
/// quotes and blank lines are left from it on.
fn starts_history(lines: &[&str], i: usize, quotes_to_end: bool) -> bool {
    let line = lines[i].trim();
    let lower = line.to_lowercase();
    // "On Mon, 7 Dec 2026 at 10:00, Team <team@example.com> wrote:", which Gmail may wrap
    // over two lines; its French, German and Spanish forms.
    let wrote = |l: &str| {
        let l = l.trim().to_lowercase();
        [
            "wrote:",
            "a écrit :",
            "a écrit:",
            "schrieb:",
            "escribió:",
            "ha scritto:",
            "schreef:",
        ]
        .iter()
        .any(|w| l.ends_with(w))
    };
    let opens = ["on ", "le ", "am ", "el ", "il ", "op "]
        .iter()
        .any(|w| lower.starts_with(w));
    if opens && (wrote(line) || lines.get(i + 1).is_some_and(|next| wrote(next))) {
        return true;
    }
    // Outlook: a rule or "Original Message", or its header block "From: … Sent: …".
    if lower.contains("original message") && line.starts_with('-') {
        return true;
    }
    if line.len() >= 10 && line.chars().all(|c| c == '_') {
        return true;
    }
    let header = |l: &str, names: &[&str]| {
        let l = l.trim().to_lowercase();
        names.iter().any(|n| l.starts_with(n))
    };
    if header(line, &["from:", "de :", "de:", "von:"])
        && lines
            .get(i + 1)
            .is_some_and(|n| header(n, &["sent:", "date:", "envoyé :", "gesendet:", "to:"]))
    {
        return true;
    }
    // Quotes that run to the end, and signatures.
    if line.starts_with('>') && quotes_to_end {
        return true;
    }
    lines[i] == "-- " || lower.starts_with("sent from my ") || lower.starts_with("get outlook for ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> (ConversationId, VisitorId) {
        (
            ConversationId::parse("0123456789abcdef0123456789abcdef").unwrap(),
            VisitorId::from_bytes([0xab; 16]),
        )
    }

    #[test]
    fn an_address_names_its_thread_and_only_its_visitor_can_use_it() {
        let (thread, visitor) = ids();
        let today = day_of(1_796_000_000_000);
        let local = local_part(b"secret", &thread, &visitor, today);
        assert!(local.len() <= 64, "{local}");
        let address = format!("{}@Mail.Example.com", local.to_uppercase());
        let parsed = ReplyAddress::parse(&address).unwrap();
        assert_eq!(parsed.conversation, thread);
        assert_eq!(parsed.check(b"secret", &visitor, today), Ok(()));
        let other = VisitorId::from_bytes([0xcd; 16]);
        assert_eq!(parsed.check(b"secret", &other, today), Err(Refused::Forged));
        assert_eq!(
            parsed.check(b"another secret", &visitor, today),
            Err(Refused::Forged)
        );
        // A changed digit anywhere, the day included, is a forgery.
        for at in [PREFIX.len(), local.len() - 22, local.len() - 1] {
            let mut forged = local.clone().into_bytes();
            forged[at] = if forged[at] == b'0' { b'1' } else { b'0' };
            let forged = ReplyAddress::parse(std::str::from_utf8(&forged).unwrap()).unwrap();
            assert_eq!(
                forged.check(b"secret", &visitor, today),
                Err(Refused::Forged)
            );
        }
        assert!(ReplyAddress::parse("hello@example.com").is_none());
        assert!(ReplyAddress::parse("reply+short@example.com").is_none());
        assert!(ReplyAddress::parse(&format!("{local}zz@x")).is_none());
    }

    #[test]
    fn an_address_expires_after_its_days() {
        let (thread, visitor) = ids();
        let sent = 20_000;
        let local = local_part(b"secret", &thread, &visitor, sent);
        let parsed = ReplyAddress::parse(&local).unwrap();
        assert_eq!(parsed.check(b"secret", &visitor, sent + VALID_DAYS), Ok(()));
        assert_eq!(
            parsed.check(b"secret", &visitor, sent + VALID_DAYS + 1),
            Err(Refused::Expired)
        );
    }

    #[test]
    fn gmail_and_apple_mail_histories_are_cut() {
        let gmail = "Yes, the blue one please.\n\nOn Mon, Dec 7, 2026 at 10:00 AM Acme <\nreply+abc@acme.com> wrote:\n\n> Which colour?\n";
        assert_eq!(reply_text(gmail), "Yes, the blue one please.");
        let apple = "Thanks!\n\nSent from my iPhone\n\n> On 7 Dec 2026, at 10:00, Acme <team@acme.com> wrote:\n> Hello";
        assert_eq!(reply_text(apple), "Thanks!");
        let french =
            "Merci\n\nLe lun. 7 déc. 2026 à 10:00, Acme <team@acme.com> a écrit :\n> Bonjour";
        assert_eq!(reply_text(french), "Merci");
    }

    #[test]
    fn outlook_histories_and_signatures_are_cut() {
        let outlook = "It works now.\r\n\r\nBest,\r\nAnn\r\n\r\n________________________________\r\nFrom: Acme <team@acme.com>\r\nSent: Monday, December 7, 2026 10:00\r\nTo: Ann\r\nSubject: Re: order";
        assert_eq!(reply_text(outlook), "It works now.\n\nBest,\nAnn");
        let original = "See below\n-----Original Message-----\nFrom: Acme\nDate: today";
        assert_eq!(reply_text(original), "See below");
        let signed = "Two more questions.\n\n-- \nAnn Smith\nACME Corp";
        assert_eq!(reply_text(signed), "Two more questions.");
    }

    #[test]
    fn the_visitors_own_words_are_kept() {
        // Quoting inline, then answering under it, keeps both.
        let inline = "> Which colour?\nBlue.\n\nOn second thought, red.";
        assert_eq!(reply_text(inline), inline);
        assert_eq!(reply_text("  just this  \n\n"), "just this");
        assert_eq!(reply_text(""), "");
    }
}
