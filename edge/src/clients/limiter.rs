//! Calling the Limiter of a client address: what the address is counted for, and taking
//! one of it. The object counts in `crate::limiter`.

use confab_protocol::limits::{CODE_TRIES_PER_IP, SESSIONS_PER_IP, TEASERS_PER_IP, THREADS_PER_IP};
use confab_protocol::rate::Rate;
use confab_protocol::{ApiError, ErrorCode};
use worker::{Env, Request};

use crate::reply::internal;

/// What an address is counted for, named in the limiter's URL path.
#[derive(Clone, Copy)]
pub enum Counted {
    Sessions,
    Threads,
    CodeTries,
    Teasers,
}

impl Counted {
    pub fn name(self) -> &'static str {
        match self {
            Counted::Sessions => "sessions",
            Counted::Threads => "threads",
            Counted::CodeTries => "code-tries",
            Counted::Teasers => "teasers",
        }
    }

    pub fn rate(self) -> Rate {
        match self {
            Counted::Sessions => SESSIONS_PER_IP,
            Counted::Threads => THREADS_PER_IP,
            Counted::CodeTries => CODE_TRIES_PER_IP,
            Counted::Teasers => TEASERS_PER_IP,
        }
    }

    pub fn from_path(path: &str) -> Option<Self> {
        [
            Counted::Sessions,
            Counted::Threads,
            Counted::CodeTries,
            Counted::Teasers,
        ]
        .into_iter()
        .find(|c| path.trim_start_matches('/') == c.name())
    }
}

/// The client's IP address, as Cloudflare's edge tells it.
pub fn client_address(req: &Request) -> String {
    req.headers()
        .get("CF-Connecting-IP")
        .ok()
        .flatten()
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Takes one session from the caller's IP address, or says to slow down.
pub async fn take_session(env: &Env, req: &Request) -> std::result::Result<(), ApiError> {
    take(
        env,
        req,
        Counted::Sessions,
        "too many new sessions from this address",
    )
    .await
}

/// Takes one new thread from `address` (a client IP address), or says to slow down.
pub async fn take_thread(env: &Env, address: &str) -> std::result::Result<(), ApiError> {
    take_from(
        env,
        address,
        Counted::Threads,
        "too many new conversations from this address",
    )
    .await
}

/// Counts one teaser shown from the caller's IP address, or says to slow down.
pub async fn take_teaser(env: &Env, req: &Request) -> std::result::Result<(), ApiError> {
    take(
        env,
        req,
        Counted::Teasers,
        "too many teasers from this address",
    )
    .await
}

/// Takes one resume code try from the caller's IP address, or says to slow down.
pub async fn take_code_try(env: &Env, req: &Request) -> std::result::Result<(), ApiError> {
    take(
        env,
        req,
        Counted::CodeTries,
        "too many code tries from this address",
    )
    .await
}

async fn take(
    env: &Env,
    req: &Request,
    counted: Counted,
    refusal: &str,
) -> std::result::Result<(), ApiError> {
    take_from(env, &client_address(req), counted, refusal).await
}

async fn take_from(
    env: &Env,
    ip: &str,
    counted: Counted,
    refusal: &str,
) -> std::result::Result<(), ApiError> {
    let stub = env
        .durable_object("LIMITER")
        .and_then(|ns| ns.get_by_name(&format!("ip:{ip}")))
        .map_err(internal)?;
    let response = stub
        .fetch_with_str(&format!("https://limiter/{}", counted.name()))
        .await
        .map_err(internal)?;
    if response.status_code() == 429 {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            format!("{refusal}: try again later"),
        ));
    }
    Ok(())
}
