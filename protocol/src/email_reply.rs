//! Answering an email by replying to it: the rules, apart from any mail system.
//!
//! Each email to a visitor about a thread is sent with a reply address of its own,
//! `reply+<thread><signature>@<domain>`: the signature binds the thread to its visitor
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

fn mac(secret: &[u8], conversation: &ConversationId, visitor: &VisitorId) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"confab reply\0");
    mac.update(conversation.to_string().as_bytes());
    mac.update(b"\0");
    mac.update(visitor.as_str().as_bytes());
    mac
}

/// The local part of thread `conversation`'s reply address for `visitor`.
pub fn local_part(secret: &[u8], conversation: &ConversationId, visitor: &VisitorId) -> String {
    let sig = mac(secret, conversation, visitor).finalize().into_bytes();
    format!("{PREFIX}{conversation}{}", hex(&sig[..SIG_BYTES]))
}

/// The thread a reply address names, and its signature, still to be checked with
/// [`signed_for`] against the thread's visitor. `None`: not a reply address.
pub fn thread_of(address: &str) -> Option<(ConversationId, String)> {
    let local = address.split('@').next()?.to_ascii_lowercase();
    let token = local.strip_prefix(PREFIX)?;
    let split = token.len().checked_sub(SIG_BYTES * 2)?;
    let (thread, sig) = (token.get(..split)?, token.get(split..)?);
    Some((ConversationId::parse(thread)?, sig.to_owned()))
}

/// Whether `sig` (from [`thread_of`]) was made here for `visitor` in `conversation`.
pub fn signed_for(
    secret: &[u8],
    conversation: &ConversationId,
    visitor: &VisitorId,
    sig: &str,
) -> bool {
    unhex(sig, SIG_BYTES).is_some_and(|sig| {
        mac(secret, conversation, visitor)
            .verify_truncated_left(&sig)
            .is_ok()
    })
}

/// What the visitor wrote in their answer, without what their mail program added below it:
/// the quoted history (Gmail's and Apple Mail's "On … wrote:", Outlook's "From:" block or
/// "Original Message" line, `>` quotes) and their signature ("-- ", "Sent from my iPhone").
pub fn reply_text(text: &str) -> String {
    // Trailing blanks are kept while looking: a signature starts with "-- ".
    let lines: Vec<&str> = text.lines().collect();
    let end = (0..lines.len())
        .find(|&i| starts_history(&lines, i))
        .unwrap_or(lines.len());
    let kept: Vec<&str> = lines[..end].iter().map(|l| l.trim_end()).collect();
    kept.join("\n").trim().to_owned()
}

/// Whether line `i` starts what is not the visitor's own words.
fn starts_history(lines: &[&str], i: usize) -> bool {
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
    if line.starts_with('>')
        && lines[i..]
            .iter()
            .all(|l| l.is_empty() || l.starts_with('>'))
    {
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
        let local = local_part(b"secret", &thread, &visitor);
        assert!(local.len() <= 64, "{local}");
        let (found, sig) =
            thread_of(&format!("{}@Mail.Example.com", local.to_uppercase())).unwrap();
        assert_eq!(found, thread);
        assert!(signed_for(b"secret", &thread, &visitor, &sig));
        let other = VisitorId::from_bytes([0xcd; 16]);
        assert!(!signed_for(b"secret", &thread, &other, &sig));
        assert!(!signed_for(b"another secret", &thread, &visitor, &sig));
        let forged = format!("{}0@x", &local[..local.len() - 1]);
        let (_, bad) = thread_of(&forged).unwrap();
        assert!(!signed_for(b"secret", &thread, &visitor, &bad));
        assert!(thread_of("hello@example.com").is_none());
        assert!(thread_of("reply+short@example.com").is_none());
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
