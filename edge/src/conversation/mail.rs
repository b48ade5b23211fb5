//! The visitor's answers by email, once the Worker has checked their reply address and
//! sender (`crate::inbound`): committed like the visitor's other messages, under a sender
//! of their own (`log::MAIL_SENDER`), so agents see how they came and a mail delivered
//! twice is stored once.

use confab_protocol::{ApiError, Author, ClientId, SendMessageResponse};

use super::log::MAIL_SENDER;
use super::Conversation;
use crate::clients::conversation::{MailFor, Owner};
use crate::files::Stored;
use crate::reply::{self, internal, Reply};

impl Conversation {
    pub(super) fn mail_for(&self, client_id: &ClientId) -> Reply {
        let identity = self.log.identity().map_err(internal)?;
        let owner = identity.ok_or_else(ApiError::conversation_not_found)?.owner;
        let delivered = self
            .log
            .find(MAIL_SENDER, client_id)
            .map_err(internal)?
            .is_some();
        reply::json(200, &MailFor { owner, delivered })
    }

    pub(super) fn visitor_mails(
        &self,
        owner: &Owner,
        client_id: &ClientId,
        body: &str,
        files: &[Stored],
    ) -> Reply {
        let identity = self
            .log
            .identity()
            .map_err(internal)?
            .filter(|identity| identity.owner == *owner)
            .ok_or_else(ApiError::conversation_not_found)?;
        let message = self.commit_as(MAIL_SENDER, Author::Visitor, client_id, body, files, None)?;
        // Answering the email, the visitor read the replies it quoted.
        self.mark_read(Author::Visitor, message.seq)?;
        reply::json(
            201,
            &SendMessageResponse {
                conversation_id: identity.id,
                message,
            },
        )
    }
}
