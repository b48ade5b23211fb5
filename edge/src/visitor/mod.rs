//! The Visitor Durable Object: one per person and site. It holds the person's device
//! sessions, the list of their threads, their profile, and their emailed sign-in links.
//!
//! Tokens are checked by signature in the Worker; this object is what makes a signed-out
//! device stay out. Signing out marks the session revoked here, then closes that
//! session's sockets in every thread, so the device is cut off at once and its token
//! is refused on the next request.
//!
//! An anonymous visitor who signs in as someone else (a resume code, an emailed link, the
//! host's verified user) is merged: their threads change owner and join the other
//! visitor's list, and their own sessions are signed out.

mod store;

use confab_protocol::limits::THREADS_PER_VISITOR;
use confab_protocol::visitor::{
    link_page, DeviceList, PushPayload, EMAIL_LINK_SECONDS, MAX_LISTED_CONVERSATIONS,
};
use confab_protocol::{ApiError, ConversationId, ErrorCode, SessionId, SiteId, VisitorId};
use futures_util::future::{join_all, try_join_all};
use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, State};

use crate::buckets::Buckets;
use crate::clients::conversation::{self, Owner};
use crate::clients::visitor::{ask, new_link_secret, sign_in_link, VisitorCommand};
use crate::objects;
use crate::reply::{self, internal, Reply};
use store::{SessionState, Store};

fn reached(reached: bool) -> Reply {
    reply::json(200, &serde_json::json!({ "reached": reached }))
}

fn signed_out() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthorized,
        "this device was signed out: start again or sign in",
    )
}

fn ok() -> Reply {
    reply::json(200, &serde_json::json!({}))
}

#[durable_object]
pub struct Visitor {
    store: Store,
    buckets: Buckets,
    env: Env,
}

impl DurableObject for Visitor {
    fn new(state: State, env: Env) -> Self {
        Visitor {
            store: Store::open(state.storage().sql()).expect("visitor schema"),
            buckets: Buckets::open(state.storage().sql()).expect("visitor buckets schema"),
            env,
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        objects::serve(req, async |command| self.run(command).await).await
    }
}

impl Visitor {
    async fn run(&self, command: VisitorCommand) -> Reply {
        let now = Date::now().as_millis();
        match command {
            VisitorCommand::Start {
                site,
                visitor,
                session,
                browser,
                user,
            } => {
                if self.store.get("merged_into").map_err(internal)?.is_some() {
                    return Err(signed_out());
                }
                self.store.set("site", site.as_str()).map_err(internal)?;
                self.store
                    .set("visitor", visitor.as_str())
                    .map_err(internal)?;
                if let Some(user) = &user {
                    self.store.set_user(user).map_err(internal)?;
                }
                self.store
                    .add_session(&session, &browser, now)
                    .map_err(internal)?;
                ok()
            }
            VisitorCommand::Check { session } => {
                self.live(&session, now)?;
                ok()
            }
            VisitorCommand::Track {
                session,
                conversation,
                address,
            } => {
                self.live(&session, now)?;
                if !self.store.lists(&conversation).map_err(internal)? {
                    self.take_thread(&address).await?;
                }
                self.store
                    .add_conversations(&[conversation], now)
                    .map_err(internal)?;
                ok()
            }
            VisitorCommand::Conversations { session } => {
                self.live(&session, now)?;
                let ids = self
                    .store
                    .conversations(MAX_LISTED_CONVERSATIONS)
                    .map_err(internal)?;
                reply::json(200, &ids)
            }
            VisitorCommand::Devices { session } => {
                self.live(&session, now)?;
                let list = DeviceList {
                    devices: self.store.devices(&session).map_err(internal)?,
                    email: self.store.get("email").map_err(internal)?,
                };
                reply::json(200, &list)
            }
            VisitorCommand::SignOut {
                session,
                target,
                everywhere,
            } => {
                self.live(&session, now)?;
                let chosen = match (everywhere, target) {
                    (true, _) => None,
                    (false, Some(target)) => Some(vec![target]),
                    (false, None) => Some(vec![session]),
                };
                if everywhere {
                    // Links and codes would sign a device in again.
                    self.store.forget_links().map_err(internal)?;
                    let owner = self.owner()?;
                    crate::clients::codes::cancel(&self.env, &owner.site, &owner.visitor).await?;
                }
                let revoked = self.store.revoke(chosen.as_deref()).map_err(internal)?;
                if revoked.is_empty() {
                    return Err(ApiError::new(
                        ErrorCode::NotFound,
                        "no such signed-in device",
                    ));
                }
                self.close_sessions(&revoked).await?;
                reply::json(200, &serde_json::json!({ "signed_out": revoked.len() }))
            }
            VisitorCommand::NewLink {
                session,
                secret_digest,
            } => {
                self.live(&session, now)?;
                self.store
                    .add_link(&secret_digest, now + EMAIL_LINK_SECONDS * 1000)
                    .map_err(internal)?;
                ok()
            }
            VisitorCommand::Email { session, email } => {
                self.live(&session, now)?;
                self.store.set("email", &email).map_err(internal)?;
                ok()
            }
            VisitorCommand::Link { secret_digest } => {
                let valid = self.store.get("merged_into").map_err(internal)?.is_none()
                    && self
                        .store
                        .link_valid(&secret_digest, now)
                        .map_err(internal)?;
                if !valid {
                    return Err(ApiError::new(
                        ErrorCode::Unauthorized,
                        "this sign-in link has expired or was cancelled: ask for a new one",
                    ));
                }
                ok()
            }
            VisitorCommand::MergeInto { session, target } => {
                self.live(&session, now)?;
                self.merge_into(&target).await?;
                ok()
            }
            VisitorCommand::Adopt { conversations } => {
                self.store
                    .add_conversations(&conversations, now)
                    .map_err(internal)?;
                ok()
            }
            VisitorCommand::Subscribe {
                session,
                subscription,
            } => {
                self.live(&session, now)?;
                self.store
                    .subscribe(&session, &subscription)
                    .map_err(internal)?;
                ok()
            }
            VisitorCommand::Unsubscribe { session, endpoint } => {
                self.live(&session, now)?;
                self.store
                    .unsubscribe(&endpoint, Some(&session))
                    .map_err(internal)?;
                ok()
            }
            VisitorCommand::Push {
                conversation,
                payload,
            } => reached(self.push(&conversation, &payload).await?),
            VisitorCommand::MailReplies { team, texts, page } => {
                reached(self.mail_replies(&team, &texts, &page, now).await?)
            }
        }
    }

    /// Pushes to every subscribed device, forgetting those the push service says are gone.
    async fn push(
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

    /// Mails unread replies to the visitor's address, with a fresh sign-in link.
    async fn mail_replies(
        &self,
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
        crate::mail::send_replies(&self.env, &email, team, texts, link.as_deref()).await?;
        Ok(true)
    }

    /// One new thread, from this visitor's allowance and then the address's; a refusal
    /// by either takes from neither.
    async fn take_thread(&self, address: &str) -> std::result::Result<(), ApiError> {
        let now = Date::now().as_millis() as f64;
        let slow_down = |_| {
            ApiError::new(
                ErrorCode::RateLimited,
                "too many new conversations: write in an open one, or try again later",
            )
        };
        self.buckets
            .peek("threads", THREADS_PER_VISITOR, now)
            .map_err(internal)?
            .map_err(slow_down)?;
        crate::clients::limiter::take_thread(&self.env, address).await?;
        self.buckets
            .take("threads", THREADS_PER_VISITOR, now)
            .map_err(internal)?
            .map_err(slow_down)
    }

    fn live(&self, session: &SessionId, now: u64) -> std::result::Result<(), ApiError> {
        match self.store.touch(session, now).map_err(internal)? {
            SessionState::Live => Ok(()),
            SessionState::Gone => Err(signed_out()),
        }
    }

    fn owner(&self) -> std::result::Result<Owner, ApiError> {
        let site = self.store.get("site").map_err(internal)?;
        let visitor = self.store.get("visitor").map_err(internal)?;
        match (
            site.as_deref().and_then(SiteId::parse),
            visitor.as_deref().and_then(VisitorId::parse),
        ) {
            (Some(site), Some(visitor)) => Ok(Owner { site, visitor }),
            _ => Err(signed_out()),
        }
    }

    /// Closes the sockets of `sessions` in every thread of this visitor.
    async fn close_sessions(&self, sessions: &[SessionId]) -> std::result::Result<(), ApiError> {
        let threads = self
            .store
            .conversations(usize::MAX >> 1)
            .map_err(internal)?;
        try_join_all(
            threads
                .iter()
                .map(|id| conversation::close_sessions(&self.env, id, sessions)),
        )
        .await?;
        Ok(())
    }

    /// Every step can be repeated: a merge that failed half way is finished by the next try.
    /// A visitor the host identified is never merged into another.
    async fn merge_into(&self, target: &VisitorId) -> std::result::Result<(), ApiError> {
        let from = self.owner()?;
        if &from.visitor == target || self.store.get("user_id").map_err(internal)?.is_some() {
            return Ok(());
        }
        let listed = self
            .store
            .conversations(usize::MAX >> 1)
            .map_err(internal)?;
        // Moved first, then listed with the target: a thread that is not this visitor's
        // never reaches the target's list, and a retry finds the moved ones done.
        let from = &from;
        let moved = try_join_all(listed.iter().map(|id| async move {
            match conversation::reown(&self.env, id, from, target).await {
                Ok(()) => Ok(Some(id.clone())),
                Err(error) if error.code == ErrorCode::NotFound => Ok(None),
                Err(error) => Err(error),
            }
        }))
        .await?;
        let adopt = VisitorCommand::Adopt {
            conversations: moved.into_iter().flatten().collect(),
        };
        let _: serde_json::Value = ask(&self.env, &from.site, target, &adopt).await?;
        crate::clients::codes::cancel(&self.env, &from.site, &from.visitor).await?;
        self.store
            .set("merged_into", target.as_str())
            .map_err(internal)?;
        let revoked = self.store.revoke(None).map_err(internal)?;
        self.close_sessions(&revoked).await
    }
}
