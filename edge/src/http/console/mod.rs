//! `/api/console/*`: the agents' API, same origin only. Signing in, out and accepting an
//! invitation are here; the team's routes are in `team`, a site's inbox in `inbox`, a
//! thread's in `thread`. The router checks the session (and the admin role) first.

pub mod inbox;
pub mod session;
pub mod sites;
pub mod team;
pub mod thread;

use confab_protocol::api::decode_request;
use confab_protocol::console::sites::SiteState;
use confab_protocol::console::{AcceptInviteRequest, Agent, LoginRequest, Me, SiteEntry};
use confab_protocol::{ApiError, SiteId};
use worker::{Env, Response};

use super::request::body;
use super::Call;
use crate::clients::team::{stub, SignedIn, TeamCommand};
use crate::objects::ask_for;
use crate::reply::{self, internal, Reply};

pub async fn me(call: Call<'_>) -> Reply {
    reply::json(200, &me_of(call.env, call.agent()?.clone()).await?)
}

pub async fn login(mut call: Call<'_>) -> Reply {
    let request: LoginRequest = decode_request(&body(&mut call.req).await?)?;
    let from = crate::clients::limiter::client_address(&call.req);
    let command = TeamCommand::Login {
        email: request.email,
        password: request.password,
        from,
    };
    let signed_in: SignedIn = ask_for(&stub(call.env)?, &command).await?;
    signed_in_reply(call.env, signed_in).await
}

pub async fn accept_invite(mut call: Call<'_>) -> Reply {
    let request: AcceptInviteRequest = decode_request(&body(&mut call.req).await?)?;
    let command = TeamCommand::AcceptInvite {
        token: request.token,
        password: request.password,
    };
    let signed_in: SignedIn = ask_for(&stub(call.env)?, &command).await?;
    signed_in_reply(call.env, signed_in).await
}

pub async fn logout(call: Call<'_>) -> Reply {
    if let Some(token) = session::token(&call.req) {
        let _ = crate::objects::ask(&stub(call.env)?, &TeamCommand::Logout { token }).await?;
    }
    let mut response = Response::empty().map_err(internal)?.with_status(204);
    session::clear_cookie(&mut response)?;
    Ok(response)
}

async fn signed_in_reply(env: &Env, signed_in: SignedIn) -> Reply {
    let mut response = reply::json(200, &me_of(env, signed_in.agent).await?)?;
    session::set_cookie(&mut response, &signed_in.token)?;
    Ok(response)
}

/// The agent, and the sites whose inboxes they work: the live ones (a removed site's
/// conversations are kept, but its inbox leaves the console's list).
async fn me_of(env: &Env, agent: Agent) -> Result<Me, ApiError> {
    let sites = crate::sites::all(env)
        .await?
        .values()
        .filter(|s| s.state == SiteState::Live)
        .map(|s| SiteEntry {
            site: s.site.clone(),
            team: s.settings.team.clone(),
        })
        .collect();
    Ok(Me { agent, sites })
}

/// The `{site}` of a console route, if the deployment has it (removed sites too: their
/// data stays readable until deleted).
async fn known_site(env: &Env, site: &str) -> Result<SiteId, ApiError> {
    let site = super::request::site_id(site)?;
    let known = crate::sites::all(env).await?.contains_key(&site);
    known
        .then_some(site)
        .ok_or_else(super::request::no_such_site)
}
