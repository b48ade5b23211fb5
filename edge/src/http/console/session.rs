//! The agent's console session: an HttpOnly, Secure, SameSite=Strict cookie holding a
//! random token, which the Team object knows by its hash.

use confab_protocol::console::Agent;
use confab_protocol::limits::AGENT_SESSION_SECONDS;
use confab_protocol::ApiError;
use worker::{Env, Request, Response};

use crate::clients::team::{self, TeamCommand};
use crate::reply::internal;

const COOKIE: &str = "confab_agent";

/// Only the console's API ever sees the cookie.
const COOKIE_PATH: &str = "/api/console";

/// The session token from the request's cookie.
pub fn token(req: &Request) -> Option<String> {
    let header = req.headers().get("Cookie").ok().flatten()?;
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// The signed-in agent, asked of the Team object on every request, so that removing an
/// agent or signing out takes effect at once.
pub async fn agent(req: &Request, env: &Env) -> Result<Agent, ApiError> {
    refuse_other_origins(req)?;
    let token = token(req).ok_or_else(ApiError::signed_out)?;
    crate::objects::ask_for(&team::stub(env)?, &TeamCommand::Session { token }).await
}

/// The console is same-origin only. A browser always names the origin of a cross-site
/// call (and of every WebSocket); refusing any other is the second lock after SameSite.
pub fn refuse_other_origins(req: &Request) -> Result<(), ApiError> {
    let Some(origin) = req.headers().get("Origin").ok().flatten() else {
        return Ok(());
    };
    let url = req.url().map_err(internal)?;
    let own = url.origin().ascii_serialization();
    if origin == own {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "the console's API answers the console's own origin only",
        ))
    }
}

pub fn set_cookie(response: &mut Response, token: &str) -> Result<(), ApiError> {
    let cookie = format!(
        "{COOKIE}={token}; Path={COOKIE_PATH}; Max-Age={AGENT_SESSION_SECONDS}; HttpOnly; Secure; SameSite=Strict"
    );
    response
        .headers_mut()
        .set("Set-Cookie", &cookie)
        .map_err(internal)
}

pub fn clear_cookie(response: &mut Response) -> Result<(), ApiError> {
    let cookie =
        format!("{COOKIE}=; Path={COOKIE_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
    response
        .headers_mut()
        .set("Set-Cookie", &cookie)
        .map_err(internal)
}
