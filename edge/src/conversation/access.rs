//! Who may read and write a thread, and how fast: the rule (apart from the storage that holds
//! the owner), and the checks each command and socket makes with it.

use confab_protocol::console::VisitorContext;
use confab_protocol::limits::MESSAGES_PER_SENDER;
use confab_protocol::rate::Bucket;
use confab_protocol::{ApiError, ConversationId, ErrorCode};
use worker::Date;

use super::Conversation;
use crate::clients::conversation::Owner;
use crate::reply::internal;

/// What a visitor's call may do with a thread.
#[derive(Debug, PartialEq, Eq)]
pub enum Access {
    /// The thread is the caller's.
    Theirs,
    /// The thread does not exist yet and the caller's first message opens it: it becomes
    /// theirs.
    Opens,
    /// Someone else's thread, or none and nothing to open it: answered as not found, so the
    /// answer tells nothing of other visitors' threads.
    Refused,
}

/// `owner` holds the thread (`None` before its first message); `opening` says whether the
/// call may open it (the visitor's first message, whose thread id the Worker derived from
/// that visitor).
pub fn visitor_access(owner: Option<&Owner>, caller: &Owner, opening: bool) -> Access {
    match owner {
        Some(owner) if owner == caller => Access::Theirs,
        None if opening => Access::Opens,
        _ => Access::Refused,
    }
}

impl Conversation {
    /// Takes one message from `sender`'s allowance (`Caller::sender_key`).
    pub(super) fn within_rate(&self, sender: &str) -> Result<(), ApiError> {
        let now = Date::now().as_millis() as f64;
        let rate = MESSAGES_PER_SENDER;
        let allowed = self
            .buckets
            .borrow_mut()
            .entry(sender.to_owned())
            .or_insert_with(|| Bucket::new(rate, now))
            .take(rate, now);
        allowed.map_err(|wait_ms| {
            ApiError::new(
                ErrorCode::RateLimited,
                format!("too many messages: try again in {wait_ms} ms"),
            )
        })
    }

    /// Only the visitor who opened a thread reaches it. Someone else's thread and a
    /// thread that does not exist get the same answer. `opening` (with the visitor's
    /// context) opens the thread if it does not exist yet.
    pub(super) fn check_visitor(
        &self,
        caller: &Owner,
        conversation: &ConversationId,
        opening: Option<&VisitorContext>,
    ) -> Result<(), ApiError> {
        let owner = self.log.identity().map_err(internal)?.map(|i| i.owner);
        match (
            visitor_access(owner.as_ref(), caller, opening.is_some()),
            opening,
        ) {
            (Access::Theirs, _) => Ok(()),
            (Access::Opens, Some(context)) => self
                .log
                .set_owner(caller, conversation, context)
                .map_err(internal),
            _ => Err(ApiError::conversation_not_found()),
        }
    }

    /// Agents see where the visitor is now (a single-page app changes route without
    /// reloading) and what the page `set`, as of the visitor's latest message (the rule:
    /// protocol's `VisitorContext::updated_by`).
    pub(super) fn visitor_is_at(
        &self,
        context: VisitorContext,
        page_checked: bool,
    ) -> Result<(), ApiError> {
        if self
            .log
            .update_context(context, page_checked)
            .map_err(internal)?
        {
            self.sync.changed(&self.state);
        }
        Ok(())
    }

    pub(super) fn check_exists(&self) -> Result<(), ApiError> {
        match self.log.identity().map_err(internal)? {
            Some(_) => Ok(()),
            None => Err(ApiError::conversation_not_found()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use confab_protocol::{SiteId, VisitorId};

    fn owner(site: &str, visitor: u8) -> Owner {
        Owner {
            site: SiteId::parse(site).unwrap(),
            visitor: VisitorId::from_bytes([visitor; 16]),
        }
    }

    #[test]
    fn the_owner_reads_and_writes() {
        let me = owner("acme", 1);
        assert_eq!(visitor_access(Some(&me), &me, false), Access::Theirs);
        assert_eq!(visitor_access(Some(&me), &me, true), Access::Theirs);
    }

    #[test]
    fn a_first_message_opens_a_thread_that_does_not_exist() {
        assert_eq!(visitor_access(None, &owner("acme", 1), true), Access::Opens);
        assert_eq!(
            visitor_access(None, &owner("acme", 1), false),
            Access::Refused
        );
    }

    #[test]
    fn another_visitor_or_another_site_is_refused() {
        let me = owner("acme", 1);
        for other in [owner("acme", 2), owner("beta", 1)] {
            assert_eq!(visitor_access(Some(&me), &other, false), Access::Refused);
            assert_eq!(visitor_access(Some(&me), &other, true), Access::Refused);
        }
    }
}
