//! Calling the Team (one per deployment: agents, their sessions, invitations, canned
//! replies, the sites): its commands and answers. The object answers them in `crate::team`.

use confab_protocol::console::sites::{SiteSettings, Standing};
use confab_protocol::console::{Agent, Role};
use confab_protocol::{AgentId, ApiError, SiteId};
use serde::{Deserialize, Serialize};
use worker::Env;

use crate::reply::internal;

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum TeamCommand {
    Login {
        email: String,
        password: String,
        from: String,
    },
    Session {
        token: String,
    },
    Logout {
        token: String,
    },
    Agents,
    Invite {
        by: AgentId,
        email: String,
        name: String,
        role: Role,
    },
    AcceptInvite {
        token: String,
        password: String,
    },
    /// Takes `agent` off the team (their sessions end at once); they stay "leaving" until
    /// `Gone`, so that a removal cut short can be repeated.
    Remove {
        by: AgentId,
        agent: AgentId,
    },
    /// Every connection of the removed `agent` is closed.
    Gone {
        agent: AgentId,
    },
    Canned,
    SaveCanned {
        shortcut: String,
        body: String,
    },
    DeleteCanned {
        shortcut: String,
    },
    /// Every site not deleted (wrangler.toml's starting set added on first use).
    Sites,
    CreateSite {
        by: AgentId,
        site: SiteId,
        settings: SiteSettings,
    },
    UpdateSite {
        by: AgentId,
        site: SiteId,
        settings: SiteSettings,
    },
    SiteStanding {
        by: AgentId,
        site: SiteId,
        change: Standing,
        confirm: Option<String>,
    },
}

/// A new console session: the agent, and the token for their cookie.
#[derive(Debug, Serialize, Deserialize)]
pub struct SignedIn {
    pub agent: Agent,
    pub token: String,
}

/// A new agent, and the token of their invitation link.
#[derive(Debug, Serialize, Deserialize)]
pub struct Invited {
    pub agent: Agent,
    pub token: String,
}

pub fn stub(env: &Env) -> std::result::Result<worker::Stub, ApiError> {
    env.durable_object("TEAM")
        .and_then(|ns| ns.get_by_name("team"))
        .map_err(internal)
}
