//! The Limiter Durable Object: one per client IP address, counting what that address
//! may open (new visitor sessions). Counts live in memory: an evicted limiter starts full,
//! which only ever lets a caller through.

use std::cell::RefCell;

use confab_protocol::limits::SESSIONS_PER_IP;
use confab_protocol::rate::Bucket;
use confab_protocol::{ApiError, ErrorCode};
use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, State};

use crate::reply::internal;

#[durable_object]
pub struct Limiter {
    sessions: RefCell<Option<Bucket>>,
}

impl DurableObject for Limiter {
    fn new(_state: State, _env: Env) -> Self {
        Limiter {
            sessions: RefCell::new(None),
        }
    }

    async fn fetch(&self, _req: Request) -> Result<Response> {
        let now = Date::now().as_millis() as f64;
        let rate = SESSIONS_PER_IP;
        let taken = self
            .sessions
            .borrow_mut()
            .get_or_insert_with(|| Bucket::new(rate, now))
            .take(rate, now);
        match taken {
            Ok(()) => Response::ok("ok"),
            Err(wait_ms) => Ok(Response::ok(wait_ms.to_string())?.with_status(429)),
        }
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
    let ip = client_address(req);
    let stub = env
        .durable_object("LIMITER")
        .and_then(|ns| ns.get_by_name(&format!("ip:{ip}")))
        .map_err(internal)?;
    let response = stub
        .fetch_with_str("https://limiter/take")
        .await
        .map_err(internal)?;
    if response.status_code() == 429 {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "too many new sessions from this address: try again later",
        ));
    }
    Ok(())
}
