//! Confab's edge: one Worker and six kinds of Durable Object (and, for the benchmark's
//! floor only, `bench::EchoObject`).
//!
//! A message's way, and who owns what on it:
//!
//! 1. The **Worker** (`http`) answers `/api/*` (everything else is a static asset, served
//!    before the Worker runs). One table, `http::routes`, names each route, its handler and
//!    who may call it; the router checks that caller without any storage round trip where
//!    it can (a visitor's signed session token, the page's origin) and an agent's session
//!    with the Team, then the handler asks the object that owns what it is about.
//! 2. A **Limiter** per client address counts what that address may do that costs others:
//!    new visitor sessions, new threads, resume-code tries.
//! 3. A **Visitor** per visitor of a site owns their devices (sessions), their list of
//!    threads, their address and push subscriptions. A new thread is listed there before
//!    it exists, and a signed-out device is refused there.
//! 4. A **Conversation** per thread is the single writer of its message log: it checks
//!    access again (so a bug in the router cannot leak a thread), commits each message with
//!    a dense `seq`, acknowledges it, pushes it to the thread's hibernating sockets, and
//!    reaches an absent visitor (push, then email) through their Visitor.
//! 5. An **Inbox** per site is the agents' index: every conversation sends it its state
//!    after each change; agents list, search, assign and resolve there, and keep a socket
//!    on it for live rows and the team's presence.
//! 6. The **Team**, one per deployment, owns the agents, their console sessions,
//!    invitations and canned replies; **ResumeCodes**, one per site, the short codes that
//!    carry a visitor to another device.
//!
//! Answers to the visitor's emails come in through `inbound`, which puts them in their
//! thread as the visitor's messages.
//!
//! Every call to an object goes through `clients` (each object's commands and the
//! functions that send them), so objects never import one another.

mod auth;
mod bench;
mod buckets;
mod clients;
mod clock;
mod codes;
mod conversation;
mod cors;
mod files;
mod http;
mod inbound;
mod inbox;
mod key_value;
mod limiter;
mod mail;
mod objects;
mod origin;
mod photos;
mod push;
mod reply;
mod sites;
mod team;
mod team_words;
mod texts;
mod visitor;

pub use bench::EchoObject;
pub use codes::ResumeCodes;
pub use conversation::Conversation;
pub use inbox::Inbox;
pub use limiter::Limiter;
pub use team::Team;
pub use visitor::Visitor;

use worker::{event, Context, Env, ForwardableEmailMessage, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let origin = req.headers().get("Origin")?;
    let response = match http::handle(req, &env).await {
        Ok(response) => response,
        Err(error) => reply::error(&error)?,
    };
    cors::allow(response, origin.as_deref())
}

/// Answers to the thread's emails, routed here by Email Routing (README: "Replies by
/// email").
#[event(email)]
async fn email(message: ForwardableEmailMessage, env: Env, _ctx: Context) -> Result<()> {
    inbound::receive(message, env).await;
    Ok(())
}
