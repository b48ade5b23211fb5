//! Calling a Visitor (one per visitor of a site: their devices, threads, address and push
//! subscriptions): its commands, and the calls that send them; and the links that sign a
//! visitor's device in. The object answers them in `crate::visitor`.

use confab_protocol::identity::VerifiedUser;
use confab_protocol::visitor::PushPayload;
use confab_protocol::{ApiError, ConversationId, SessionId, SiteId, VisitorId};
use confab_push::Subscription;
use serde::{Deserialize, Serialize};
use worker::Env;

use crate::objects;
use crate::reply::{internal, Reply};

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum VisitorCommand {
    /// A new device session, for a new visitor or one signing in.
    Start {
        site: SiteId,
        visitor: VisitorId,
        session: SessionId,
        browser: String,
        #[serde(default)]
        user: Option<VerifiedUser>,
    },
    Check {
        session: SessionId,
    },
    /// `session` opened (or is opening) `conversation`, from client address `address`.
    /// A thread new to the list is counted against the visitor and the address.
    Track {
        session: SessionId,
        conversation: ConversationId,
        address: String,
    },
    Conversations {
        session: SessionId,
    },
    Devices {
        session: SessionId,
    },
    SignOut {
        session: SessionId,
        target: Option<SessionId>,
        everywhere: bool,
    },
    /// Keeps the digest of a sign-in link's secret, before the link is mailed.
    NewLink {
        session: SessionId,
        secret_digest: String,
    },
    /// Keeps `email` as the visitor's address, once a link reached it.
    Email {
        session: SessionId,
        email: String,
    },
    /// Whether an emailed link is valid.
    Link {
        secret_digest: String,
    },
    /// Moves this (anonymous) visitor's threads to `target`, then signs this one out.
    MergeInto {
        session: SessionId,
        target: VisitorId,
    },
    /// Threads merged in from another visitor.
    Adopt {
        conversations: Vec<ConversationId>,
    },
    /// This device takes push notifications at `subscription`.
    Subscribe {
        session: SessionId,
        subscription: Subscription,
    },
    Unsubscribe {
        session: SessionId,
        endpoint: String,
    },
    /// A reply waits unread in `conversation`: push it to every subscribed device.
    /// Answers whether any device took it.
    Push {
        conversation: ConversationId,
        payload: PushPayload,
    },
    /// Replies wait unread: mail them, with a sign-in link back to `page`. Answers
    /// whether the visitor has an address to mail.
    MailReplies {
        /// Answers to the email go back into this thread.
        conversation: ConversationId,
        team: String,
        texts: Vec<String>,
        page: String,
    },
    /// The address the visitor's emails go to, if they gave one, and whether any of their
    /// devices takes push.
    Address,
    /// The site's data is being deleted: the visitor's record goes.
    Erase,
}

fn stub(
    env: &Env,
    site: &SiteId,
    visitor: &VisitorId,
) -> std::result::Result<worker::Stub, ApiError> {
    env.durable_object("VISITOR")
        .and_then(|ns| ns.get_by_name(&format!("{site}/{visitor}")))
        .map_err(internal)
}

/// Asks the object of `visitor` on `site`, reading its answer as `T`.
pub async fn ask<T: serde::de::DeserializeOwned>(
    env: &Env,
    site: &SiteId,
    visitor: &VisitorId,
    command: &VisitorCommand,
) -> std::result::Result<T, ApiError> {
    objects::ask_for(&stub(env, site, visitor)?, command).await
}

/// Deletes the record of `visitor` on `site` (the site's data is being deleted).
pub async fn erase(
    env: &Env,
    site: &SiteId,
    visitor: &VisitorId,
) -> std::result::Result<(), ApiError> {
    objects::tell(&stub(env, site, visitor)?, &VisitorCommand::Erase).await
}

/// Sends `command` and returns the object's answer as is.
pub async fn relay(
    env: &Env,
    site: &SiteId,
    visitor: &VisitorId,
    command: &VisitorCommand,
) -> Reply {
    objects::ask(&stub(env, site, visitor)?, command).await
}

/// The address `visitor`'s emails go to, if they gave one.
pub async fn address(
    env: &Env,
    site: &SiteId,
    visitor: &VisitorId,
) -> std::result::Result<Option<String>, ApiError> {
    Ok(reach(env, site, visitor).await?.email)
}

/// Whether the team can tell `visitor` of an answer: they gave an address, or a device of
/// theirs takes push.
pub async fn reachable(
    env: &Env,
    site: &SiteId,
    visitor: &VisitorId,
) -> std::result::Result<bool, ApiError> {
    let found = reach(env, site, visitor).await?;
    Ok(found.email.is_some() || found.push)
}

#[derive(Deserialize)]
struct Reach {
    email: Option<String>,
    #[serde(default)]
    push: bool,
}

async fn reach(
    env: &Env,
    site: &SiteId,
    visitor: &VisitorId,
) -> std::result::Result<Reach, ApiError> {
    ask(env, site, visitor, &VisitorCommand::Address).await
}

/// Refuses a token whose session was signed out.
pub async fn check(
    env: &Env,
    claims: &confab_protocol::SessionClaims,
) -> std::result::Result<(), ApiError> {
    let command = VisitorCommand::Check {
        session: claims.session.clone(),
    };
    let _: serde_json::Value = ask(env, &claims.site, &claims.visitor, &command).await?;
    Ok(())
}

/// A new emailed sign-in link's secret and the digest the Visitor object keeps of it.
pub fn new_link_secret() -> (String, String) {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    let secret = URL_SAFE_NO_PAD.encode(crate::auth::random_bytes::<32>());
    let digest = crate::auth::token_hash(&secret);
    (secret, digest)
}

/// The emailed link that signs a device in as `visitor`, on `page`.
pub fn sign_in_link(page: &str, visitor: &VisitorId, secret: &str) -> String {
    format!("{page}#confab-link={visitor}.{secret}")
}
