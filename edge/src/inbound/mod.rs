//! Answers to the thread's emails, from Cloudflare Email Routing (`#[event(email)]` in
//! `lib.rs`), told top-down:
//!
//! 1. The address it was sent to names the thread (`reply+…`, `email_reply`): anything
//!    else is refused before the mail is read.
//! 2. The mail is read (`mime`): its Message-ID, its sender, the visitor's own words and
//!    its files, each checked by the thread's rules. An automatic answer (out of office)
//!    is dropped without a bounce.
//! 3. The thread says whose it is and whether this Message-ID is in it already; the
//!    address must be signed for that visitor and recent, and the mail must come from
//!    the address the visitor's emails go to.
//! 4. Its files are stored, then the message committed in the thread, which acknowledges
//!    it, pushes it live and tells the inbox. Files of a message that is not committed
//!    are deleted again.
//!
//! Every refusal is a rejection with a reason, which the sender's mail server returns to
//! them; nothing is stored. A failure of ours is a rejection too, asking to send again.

mod html;
mod mime;

use confab_protocol::email_reply::{day_of, Refused, ReplyAddress};
use confab_protocol::{ApiError, ClientId, ErrorCode, MessageBody};
use worker::{console_error, Date, Env, ForwardableEmailMessage};

use crate::clients::{conversation, visitor};
use crate::files::{self, Stored};
use mime::Unreadable;

/// The largest mail taken: Email Routing's own limit.
const MAX_MAIL_BYTES: f64 = 25.0 * 1024.0 * 1024.0;

/// What became of an answer that was not stored.
enum NotTaken {
    /// Told to the sender, as the reason of the rejection.
    Refused(String),
    /// An automatic answer: no bounce.
    Dropped,
}

impl From<ApiError> for NotTaken {
    fn from(error: ApiError) -> Self {
        // The thread went, or changed hands, between the checks and the commit.
        if error.code == ErrorCode::NotFound {
            return refused(NO_THREAD);
        }
        if error.code == ErrorCode::Internal {
            console_error!("an answer by email failed: {}", error.message);
            return NotTaken::Refused(
                "The conversation could not take this reply just now: please send it again later."
                    .to_owned(),
            );
        }
        NotTaken::Refused(format!(
            "This reply was not added to the conversation: {}.",
            error.message
        ))
    }
}

fn refused(reason: &str) -> NotTaken {
    NotTaken::Refused(reason.to_owned())
}

/// For any address that is not a live thread's, forged or not: the same words.
const NO_THREAD: &str = "No conversation takes mail at this address.";

/// Takes the answer `message` into its thread, or rejects it with a reason.
pub async fn receive(message: ForwardableEmailMessage, env: Env) {
    match take(&message, &env).await {
        Ok(()) | Err(NotTaken::Dropped) => {}
        Err(NotTaken::Refused(reason)) => message.set_reject(&reason),
    }
}

async fn take(message: &ForwardableEmailMessage, env: &Env) -> Result<(), NotTaken> {
    if message.raw_size() > MAX_MAIL_BYTES {
        return Err(refused("This reply is larger than 25 MB."));
    }
    let address = ReplyAddress::parse(&message.to()).ok_or_else(|| refused(NO_THREAD))?;
    let raw = message
        .raw_bytes()
        .await
        .map_err(|e| NotTaken::from(crate::reply::internal(e)))?;
    let answer = mime::read(&raw).map_err(|unreadable| match unreadable {
        Unreadable::Automatic => NotTaken::Dropped,
        Unreadable::NotMime => refused("This message could not be read."),
        Unreadable::NoMessageId => refused("This message has no Message-ID."),
        Unreadable::Empty => refused(
            "This reply has no words of its own: write above the quoted message, and send again.",
        ),
        Unreadable::File(why) => {
            NotTaken::Refused(format!("A file of this reply was refused: {why}"))
        }
    })?;
    let client_id = client_id(&answer.message_id);
    let thread = conversation::mail_for(env, &address.conversation, &client_id)
        .await?
        .ok_or_else(|| refused(NO_THREAD))?;
    let today = day_of(Date::now().as_millis());
    let secret = crate::auth::secret(env)?;
    address
        .check(&secret, &thread.owner.visitor, today)
        .map_err(|why| match why {
            Refused::Forged => refused(NO_THREAD),
            Refused::Expired => refused(
                "This conversation's email is too old to answer: write from the site instead.",
            ),
        })?;
    let visitor_email = visitor::address(env, &thread.owner.site, &thread.owner.visitor).await?;
    if !sent_by(visitor_email.as_deref(), &message.from()) {
        return Err(refused(
            "Only the address this conversation's emails go to can answer them.",
        ));
    }
    if thread.delivered {
        return Err(refused("This reply is in the conversation already."));
    }
    let body = MessageBody::parse_beside_files(&answer.text, answer.files.len())?;
    let scope = files::visitor_scope(&thread.owner.site, &thread.owner.visitor);
    let mut stored: Vec<Stored> = Vec::with_capacity(answer.files.len());
    for file in answer.files {
        match files::store(env, scope.clone(), &file.name, file.bytes).await {
            Ok(file) => stored.push(file),
            Err(error) => return Err(forget(env, stored, error).await),
        }
    }
    let committed = conversation::visitor_mails(
        env,
        &address.conversation,
        &thread.owner,
        &client_id,
        body.as_str().to_owned(),
        stored.clone(),
    )
    .await;
    match committed {
        // A copy delivered at the same moment committed first: these files are spare.
        Ok(message)
            if !stored
                .iter()
                .all(|s| message.files.iter().any(|f| f.id == s.id)) =>
        {
            let _ = files::forget(env, stored.iter().map(Stored::key).collect()).await;
            Ok(())
        }
        Ok(_) => Ok(()),
        // The answer was lost, not necessarily the commit: its files stay if it is in.
        Err(error) if error.code == ErrorCode::Internal => {
            let thread = conversation::mail_for(env, &address.conversation, &client_id).await;
            match thread {
                Ok(Some(thread)) if thread.delivered => Ok(()),
                _ => Err(forget(env, stored, error).await),
            }
        }
        Err(error) => Err(forget(env, stored, error).await),
    }
}

/// Deletes the files of an answer that was not committed, then tells why.
async fn forget(env: &Env, stored: Vec<Stored>, error: ApiError) -> NotTaken {
    if let Err(e) = files::forget(env, stored.iter().map(Stored::key).collect()).await {
        console_error!("an answer's files were not deleted: {}", e.message);
    }
    NotTaken::from(error)
}

/// The answer's client id in its thread: from its Message-ID, so a second delivery of
/// the same mail finds the first.
fn client_id(message_id: &str) -> ClientId {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(message_id.as_bytes());
    ClientId::from_bytes(digest[..16].try_into().expect("16 of 32 bytes"))
}

/// Whether the mail comes from the visitor's address, by its envelope: the sender that
/// Email Routing checks (SPF), where a `From:` header is only what the mail says.
fn sent_by(visitor: Option<&str>, envelope: &str) -> bool {
    visitor.is_some_and(|v| v.trim().eq_ignore_ascii_case(envelope.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_visitors_address_answers() {
        let ann = Some("Ann@Example.org");
        assert!(sent_by(ann, " ann@example.org"));
        assert!(!sent_by(ann, "eve@example.org"));
        assert!(!sent_by(None, "ann@example.org"));
    }

    #[test]
    fn one_message_id_is_one_client_id() {
        assert_eq!(client_id("<a@x>"), client_id("<a@x>"));
        assert_ne!(client_id("<a@x>"), client_id("<b@x>"));
    }
}
