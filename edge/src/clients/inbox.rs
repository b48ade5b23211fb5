//! Calling a site's Inbox (one per site): its commands, the update a conversation sends
//! it, and the calls that send them. The object answers them in `crate::inbox`.

use confab_protocol::availability::TeamFacts;
use confab_protocol::console::words::SiteWords;
use confab_protocol::console::{Status, View, VisitorContext};
use confab_protocol::hours::BusinessHours;
use confab_protocol::reach::ReachSettings;
use confab_protocol::{AgentId, ApiError, Author, ConversationId, SiteId, VisitorId};
use serde::{Deserialize, Serialize};
use worker::{Env, Request};

use crate::objects;
use crate::reply::{internal, Reply};

/// The internal header in which the Worker names the signed-in agent.
pub const AGENT_HEADER: &str = "x-confab-agent";

/// A conversation's state as its object last sent it. `version` grows with every change
/// in the conversation, so a late or repeated update is recognised and changes nothing.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConversationUpdate {
    pub conversation: ConversationId,
    pub site: SiteId,
    pub visitor: VisitorId,
    pub version: u64,
    pub last_seq: u64,
    pub last_author: Author,
    pub preview: String,
    pub updated_at: u64,
    pub started_at: u64,
    /// Visitor messages after the agents' read marker.
    pub unread: u64,
    pub visitor_last_seq: u64,
    pub first_reply_at: Option<u64>,
    pub context: VisitorContext,
    /// How the visitor rated the conversation, if they did.
    #[serde(default)]
    pub rating: Option<confab_protocol::rating::Rating>,
    /// The proactive rule that started it, if one did.
    #[serde(default)]
    pub proactive: Option<confab_protocol::proactive::Started>,
    /// Message texts not sent before, for search.
    pub texts: Vec<(u64, String)>,
}

/// The inbox's answer to an update: the away reply the conversation is to post, if one is
/// due (`confab_protocol::away`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct UpdateAnswer {
    #[serde(default)]
    pub away: Option<AwayReply>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AwayReply {
    /// In the visitor's language, with when a person will answer.
    pub body: String,
    /// The absence it answers, which names it: a sync repeated after a lost answer gets
    /// it again, and the conversation posts it once.
    pub absence: u64,
}

/// The answer to `Front`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Front {
    pub facts: TeamFacts,
    pub words: SiteWords,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct InboxRequest {
    pub site: SiteId,
    pub command: InboxCommand,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum InboxCommand {
    Update {
        update: Box<ConversationUpdate>,
    },
    List {
        agent: AgentId,
        view: View,
        search: Option<String>,
    },
    Detail {
        conversation: ConversationId,
    },
    Assign {
        conversation: ConversationId,
        assignee: Option<AgentId>,
    },
    SetStatus {
        conversation: ConversationId,
        status: Status,
        snoozed_until: Option<u64>,
    },
    Hours,
    SetHours {
        hours: Option<BusinessHours>,
    },
    /// What the widget's header needs: the team's facts and the site's words.
    Front,
    Words,
    SetWords {
        words: SiteWords,
    },
    /// The reports' figures of the last `days` days.
    Report {
        days: u32,
    },
    /// The widget showed a rule's teaser.
    ProactiveShown {
        rule: String,
    },
    Reach,
    SetReach {
        settings: ReachSettings,
    },
    /// An agent opened a conversation's socket: remembered, to cut it off if removed.
    Watch {
        agent: AgentId,
        conversation: ConversationId,
    },
    /// An agent was removed: close their sockets here and in every conversation they had open.
    CutOff {
        agent: AgentId,
    },
    /// The site was removed: the visitors' sockets of its recent conversations close.
    SiteRemoved,
    /// The site was deleted: every conversation, its visitor's record and the inbox go,
    /// batch by batch in the inbox's alarm.
    Erase,
}

pub fn stub(env: &Env, site: &SiteId) -> std::result::Result<worker::Stub, ApiError> {
    env.durable_object("INBOX")
        .and_then(|ns| ns.get_by_name(site.as_str()))
        .map_err(internal)
}

/// Sends a command to the site's inbox and returns its answer as is.
pub async fn ask(env: &Env, site: &SiteId, command: InboxCommand) -> Reply {
    objects::ask(&stub(env, site)?, &request(site, command)).await
}

/// A conversation's update, sent on a stub the conversation keeps: looking one up costs
/// about what a small update does.
pub async fn update(
    stub: &worker::Stub,
    update: ConversationUpdate,
) -> std::result::Result<UpdateAnswer, ApiError> {
    let site = update.site.clone();
    let command = InboxCommand::Update {
        update: Box::new(update),
    };
    objects::ask_for(stub, &request(&site, command)).await
}

/// Like [`ask`], reading the answer as `T`.
pub async fn ask_for<T: serde::de::DeserializeOwned>(
    env: &Env,
    site: &SiteId,
    command: InboxCommand,
) -> std::result::Result<T, ApiError> {
    objects::ask_for(&stub(env, site)?, &request(site, command)).await
}

fn request(site: &SiteId, command: InboxCommand) -> InboxRequest {
    InboxRequest {
        site: site.clone(),
        command,
    }
}

/// Starts deleting every conversation of `site` and the site's inbox.
pub async fn erase(env: &Env, site: &SiteId) -> std::result::Result<(), ApiError> {
    objects::tell(&stub(env, site)?, &request(site, InboxCommand::Erase)).await
}

/// Hands a console's WebSocket upgrade for the site's inbox to the object.
pub async fn connect(env: &Env, site: &SiteId, req: &Request, agent: &AgentId) -> Reply {
    let url = format!("https://inbox/socket?site={site}");
    objects::upgrade(&stub(env, site)?, req, &url, AGENT_HEADER, agent.as_str()).await
}
