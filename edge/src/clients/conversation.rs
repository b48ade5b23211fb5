//! Calling a Conversation (one per thread): its commands, and the calls that send them.
//! The Worker's routes and the other objects use this; the object itself answers them
//! (`crate::conversation`).

use confab_protocol::console::VisitorContext;
use confab_protocol::visitor::ConversationSummary;
use confab_protocol::{
    AgentId, ApiError, Author, ClientId, ConversationId, ErrorCode, SessionId, SiteId, VisitorId,
};
use serde::{Deserialize, Serialize};
use worker::{Env, Request};

use crate::files::Stored;
use crate::objects;
use crate::reply::{internal, Reply};

/// Who a thread belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub site: SiteId,
    pub visitor: VisitorId,
}

/// The internal header in which the Worker names the authenticated caller.
pub const CALLER_HEADER: &str = "x-confab-caller";

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Caller {
    Visitor(Owner),
    Agent { agent: AgentId },
}

impl Caller {
    pub fn author(&self) -> Author {
        match self {
            Caller::Visitor(_) => Author::Visitor,
            Caller::Agent { .. } => Author::Agent,
        }
    }

    /// The namespace of this caller's client ids in the thread.
    pub fn sender_key(&self) -> String {
        match self {
            // One visitor per thread, whose id changes if they sign in: their client ids
            // keep one namespace, so an outbox resent after a merge is not stored twice.
            Caller::Visitor(_) => "visitor".to_owned(),
            Caller::Agent { agent } => crate::auth::agent_key(agent),
        }
    }

    pub fn agent(&self) -> Option<AgentId> {
        match self {
            Caller::Visitor(_) => None,
            Caller::Agent { agent } => Some(agent.clone()),
        }
    }
}

/// A proactive rule's message, as the site's settings word it in the visitor's language.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Opening {
    pub started: confab_protocol::proactive::Started,
    pub body: String,
}

/// What the Worker asks of a conversation, on behalf of a caller it has authenticated.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    VisitorSends {
        site: SiteId,
        visitor: VisitorId,
        conversation: ConversationId,
        /// The first message opens the thread; later ones need it to exist.
        open: bool,
        client_id: ClientId,
        body: String,
        /// Its files, stored already (`crate::files`).
        #[serde(default)]
        files: Vec<Stored>,
        /// Where the visitor was, kept when the thread opens.
        #[serde(default)]
        context: VisitorContext,
        /// The proactive message the thread opens with, when the visitor answered one.
        #[serde(default)]
        opening: Option<Box<Opening>>,
    },
    VisitorReads {
        site: SiteId,
        visitor: VisitorId,
        conversation: ConversationId,
        after: Option<u64>,
        before: Option<u64>,
        limit: u32,
        /// Long poll: seconds to wait for a message after `after` if there is none yet.
        #[serde(default)]
        wait: u32,
    },
    /// The visitor read up to `seq` (over HTTP; sockets send a `read` frame).
    VisitorMarksRead {
        site: SiteId,
        visitor: VisitorId,
        conversation: ConversationId,
        seq: u64,
    },
    AgentSends {
        agent: AgentId,
        conversation: ConversationId,
        client_id: ClientId,
        body: String,
        #[serde(default)]
        files: Vec<Stored>,
    },
    AgentNotes {
        agent: AgentId,
        client_id: ClientId,
        body: String,
    },
    AgentReads {
        conversation: ConversationId,
        after: Option<u64>,
        before: Option<u64>,
        limit: u32,
    },
    /// The agent was removed from the team: close their sockets now.
    CutOff { agent: AgentId },
    /// The visitor signed these devices out: close their sockets now.
    CloseSessions { sessions: Vec<SessionId> },
    /// The thread's anonymous visitor signed in as `to`: the thread is theirs now.
    Reown { from: Owner, to: VisitorId },
    /// Whose thread this is, and whether it holds the visitor's answer by email
    /// `client_id` already: asked before its files are stored.
    MailFor { client_id: ClientId },
    /// The visitor answered one of the thread's emails; the Worker checked the reply
    /// address and the sender (`crate::inbound`).
    VisitorMails {
        owner: Owner,
        client_id: ClientId,
        body: String,
        #[serde(default)]
        files: Vec<Stored>,
    },
    /// The thread as the visitor's list shows it.
    VisitorSummary { owner: Owner },
    /// Agents resolved the thread: the visitor is asked to rate it.
    AskRating,
    /// Whether the visitor was asked to rate the thread, and how they did.
    VisitorRating {
        owner: Owner,
        conversation: ConversationId,
    },
    VisitorRates {
        owner: Owner,
        conversation: ConversationId,
        score: confab_protocol::rating::Score,
        comment: Option<String>,
    },
    /// The site's data is being deleted: the thread goes, every socket closed.
    Erase,
    /// The site was removed: visitors' sockets close, and their widgets leave the page.
    SiteRemoved,
}

fn stub(env: &Env, id: &ConversationId) -> std::result::Result<worker::Stub, ApiError> {
    env.durable_object("CONVERSATION")
        .and_then(|ns| ns.get_by_name(id.as_str()))
        .map_err(internal)
}

/// Sends `command` to the object of conversation `id` and returns its answer as is.
pub async fn ask(env: &Env, id: &ConversationId, command: &Command) -> Reply {
    objects::ask(&stub(env, id)?, command).await
}

/// Closes a removed agent's sockets on conversation `id`.
pub async fn cut_off(
    env: &Env,
    id: &ConversationId,
    agent: &AgentId,
) -> std::result::Result<(), ApiError> {
    let command = Command::CutOff {
        agent: agent.clone(),
    };
    objects::tell(&stub(env, id)?, &command).await
}

/// Closes the sockets of signed-out visitor `sessions` on conversation `id`.
pub async fn close_sessions(
    env: &Env,
    id: &ConversationId,
    sessions: &[SessionId],
) -> std::result::Result<(), ApiError> {
    let command = Command::CloseSessions {
        sessions: sessions.to_vec(),
    };
    objects::tell(&stub(env, id)?, &command).await
}

/// Gives conversation `id` of `from` to visitor `to`.
pub async fn reown(
    env: &Env,
    id: &ConversationId,
    from: &Owner,
    to: &VisitorId,
) -> std::result::Result<(), ApiError> {
    let command = Command::Reown {
        from: from.clone(),
        to: to.clone(),
    };
    objects::tell(&stub(env, id)?, &command).await
}

/// Agents resolved the thread: it asks the visitor to rate it.
pub async fn ask_rating(env: &Env, id: &ConversationId) -> std::result::Result<(), ApiError> {
    objects::tell(&stub(env, id)?, &Command::AskRating).await
}

/// Closes the visitors' sockets on conversation `id`: its site was removed.
pub async fn site_removed(env: &Env, id: &ConversationId) -> std::result::Result<(), ApiError> {
    objects::tell(&stub(env, id)?, &Command::SiteRemoved).await
}

/// Deletes conversation `id` entirely (its site's data is being deleted).
pub async fn erase(env: &Env, id: &ConversationId) -> std::result::Result<(), ApiError> {
    objects::tell(&stub(env, id)?, &Command::Erase).await
}

/// Conversation `id` as `owner`'s list shows it; `None` if it is not theirs (any more).
pub async fn summary(
    env: &Env,
    id: &ConversationId,
    owner: &Owner,
) -> std::result::Result<Option<ConversationSummary>, ApiError> {
    let command = Command::VisitorSummary {
        owner: owner.clone(),
    };
    match objects::ask_for(&stub(env, id)?, &command).await {
        Ok(summary) => Ok(Some(summary)),
        Err(error) if error.code == ErrorCode::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// What conversation `id` answers to [`Command::MailFor`].
#[derive(Debug, Serialize, Deserialize)]
pub struct MailFor {
    pub owner: Owner,
    pub delivered: bool,
}

/// Whose thread `id` is and whether answer `client_id` is in it; `None`: no such thread.
pub async fn mail_for(
    env: &Env,
    id: &ConversationId,
    client_id: &ClientId,
) -> std::result::Result<Option<MailFor>, ApiError> {
    let command = Command::MailFor {
        client_id: client_id.clone(),
    };
    match objects::ask_for(&stub(env, id)?, &command).await {
        Ok(found) => Ok(Some(found)),
        Err(error) if error.code == ErrorCode::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Stores the visitor's answer by email in conversation `id`: the message committed, or
/// the one committed before under the same `client_id`.
pub async fn visitor_mails(
    env: &Env,
    id: &ConversationId,
    owner: &Owner,
    client_id: &ClientId,
    body: String,
    files: Vec<Stored>,
) -> std::result::Result<confab_protocol::Message, ApiError> {
    let command = Command::VisitorMails {
        owner: owner.clone(),
        client_id: client_id.clone(),
        body,
        files,
    };
    let sent: confab_protocol::SendMessageResponse =
        objects::ask_for(&stub(env, id)?, &command).await?;
    Ok(sent.message)
}

/// Hands a WebSocket upgrade for conversation `id` to its object, for an authenticated
/// caller; a visitor's socket is tagged with its device session, for signing out.
pub async fn connect(
    env: &Env,
    id: &ConversationId,
    req: &Request,
    caller: &Caller,
    session: Option<&SessionId>,
) -> Reply {
    let caller = serde_json::to_string(caller).map_err(|e| internal(e.into()))?;
    let mut url = format!("https://conversation/socket?conversation={id}");
    if let Some(session) = session {
        url.push_str(&format!("&session={session}"));
    }
    objects::upgrade(&stub(env, id)?, req, &url, CALLER_HEADER, &caller).await
}
