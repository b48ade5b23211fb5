//! Reaching a visitor who is away: push to each subscribed device, or their unread replies
//! by email with a fresh sign-in link.

use confab_protocol::visitor::{link_page, PushPayload, EMAIL_LINK_SECONDS};
use confab_protocol::{ApiError, ConversationId};
use futures_util::future::join_all;

use super::Visitor;
use crate::clients::visitor::{new_link_secret, sign_in_link};
use crate::reply::internal;

impl Visitor {
    /// Pushes to every subscribed device, forgetting those the push service says are gone.
    pub(super) async fn push(
        &self,
        conversation: &ConversationId,
        payload: &PushPayload,
    ) -> std::result::Result<bool, ApiError> {
        let Some(vapid) = crate::push::vapid(&self.env) else {
            return Ok(false);
        };
        let subscriptions = self.store.subscriptions().map_err(internal)?;
        let topic = conversation.as_str();
        let outcomes = join_all(
            subscriptions
                .iter()
                .map(|s| crate::push::send(&self.env, &vapid, s, payload, topic)),
        )
        .await;
        let mut delivered = false;
        for (subscription, outcome) in subscriptions.iter().zip(outcomes) {
            match outcome {
                crate::push::Outcome::Delivered => delivered = true,
                crate::push::Outcome::Gone => self
                    .store
                    .unsubscribe(&subscription.endpoint, None)
                    .map_err(internal)?,
                crate::push::Outcome::Failed => {}
            }
        }
        Ok(delivered)
    }

    /// Mails unread replies to the visitor's address, with a fresh sign-in link and the
    /// thread's reply address.
    pub(super) async fn mail_replies(
        &self,
        conversation: &ConversationId,
        team: &str,
        texts: &[String],
        page: &str,
        now: u64,
    ) -> std::result::Result<bool, ApiError> {
        let Some(email) = self.store.get("email").map_err(internal)? else {
            return Ok(false);
        };
        let owner = self.owner()?;
        let link = match link_page(page) {
            Ok(page) => {
                let (secret, digest) = new_link_secret();
                self.store
                    .add_link(&digest, now + EMAIL_LINK_SECONDS * 1000)
                    .map_err(internal)?;
                Some(sign_in_link(&page, &owner.visitor, &secret))
            }
            Err(_) => None,
        };
        let reply_to = crate::mail::reply_address(&self.env, conversation, &owner.visitor, now)?;
        let mail = crate::mail::Replies {
            to: &email,
            reply_to: &reply_to,
            team,
            texts,
            link: link.as_deref(),
        };
        crate::mail::send_replies(&self.env, &mail).await?;
        Ok(true)
    }
}
