//! Confab's edge: one Worker and its Durable Objects.
//!
//! The Worker is a thin router. It answers `/api/*` (everything else is a static asset,
//! served before the Worker runs), checks the visitor's signed session token without any
//! storage round trip, and hands each request for a conversation to that conversation's
//! Durable Object. The object owns the message log in SQLite and checks access again,
//! so a bug in the router cannot leak one visitor's thread to another.

mod auth;
mod bench;
mod buckets;
mod clock;
mod codes;
mod console;
mod conversation;
mod cors;
mod inbox;
mod key_value;
mod limiter;
mod mail;
mod objects;
mod origin;
mod push;
mod reply;
mod routes;
mod sites;
mod team;
mod texts;
mod visitor;

pub use codes::ResumeCodes;
pub use conversation::Conversation;
pub use inbox::Inbox;
pub use limiter::Limiter;
pub use team::Team;
pub use visitor::Visitor;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let origin = req.headers().get("Origin")?;
    let response = match routes::handle(req, &env).await {
        Ok(response) => response,
        Err(error) => reply::error(&error)?,
    };
    cors::allow(response, origin.as_deref())
}
