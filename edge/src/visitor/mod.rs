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

mod merge;
mod reach;
mod store;

use confab_protocol::limits::THREADS_PER_VISITOR;
use confab_protocol::visitor::{DeviceList, EMAIL_LINK_SECONDS, MAX_LISTED_CONVERSATIONS};
use confab_protocol::{ApiError, ErrorCode, SessionId, SiteId, VisitorId};
use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, State};

use crate::buckets::Buckets;
use crate::clients::conversation::Owner;
use crate::clients::visitor::VisitorCommand;
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
    state: State,
    store: Store,
    buckets: Buckets,
    env: Env,
}

impl DurableObject for Visitor {
    fn new(state: State, env: Env) -> Self {
        Visitor {
            store: Store::open(state.storage().sql()).expect("visitor schema"),
            buckets: Buckets::open(state.storage().sql()).expect("visitor buckets schema"),
            state,
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
            VisitorCommand::Erase => {
                objects::erase_storage(&self.state).await?;
                ok()
            }
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
            VisitorCommand::MailReplies {
                conversation,
                team,
                texts,
                page,
            } => reached(
                self.mail_replies(&conversation, &team, &texts, &page, now)
                    .await?,
            ),
            VisitorCommand::Address => {
                let email = self.store.get("email").map_err(internal)?;
                let push = !self.store.subscriptions().map_err(internal)?.is_empty();
                reply::json(200, &serde_json::json!({ "email": email, "push": push }))
            }
        }
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
}
