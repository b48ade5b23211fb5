//! The Worker's HTTP wing: `/api/*`. Each route checks what it can without storage, then
//! asks the object that owns what it is about (through `crate::clients`). The console's
//! routes are in `console`, the visitor's account in `visitor`, the request helpers all
//! routes share in `request`.

pub mod console;
pub mod request;
pub mod visitor;

use confab_protocol::{
    api::decode_request, ApiError, ConversationId, ErrorCode, HistoryQuery, NewSessionRequest,
    ReadRequest, SiteId, VisitorId,
};
use worker::{Env, Method, Request, Response};

use crate::auth;
use crate::clients::conversation::{self, Caller, Command, Owner};
use crate::reply::{self, internal, Reply};
use request::{body, conversation_id, read_message_with_context};

pub async fn handle(mut req: Request, env: &Env) -> Reply {
    let path = req.path();
    let method = req.method();
    let segments: Vec<&str> = path
        .trim_start_matches('/')
        .trim_end_matches('/')
        .split('/')
        .collect();

    if method == Method::Options {
        return Response::empty()
            .map(|r| r.with_status(204))
            .map_err(internal);
    }
    match (method, segments.as_slice()) {
        (Method::Get, ["api", "bench", "echo"]) => crate::bench::echo(env),
        (Method::Get, ["api", "bench", "echo-object"]) => {
            crate::bench::echo_object(req.clone().map_err(internal)?, env).await
        }
        (Method::Get, ["api", "sites", site]) => {
            let site = SiteId::parse(site)
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such site"))?;
            crate::origin::check(env, &req, &site)?;
            crate::sites::answer(env, &req, &site).await
        }
        (_, ["api", "console", route @ ..]) => console::handle(&mut req, env, route).await,
        (_, ["api", "visitor", route @ ..]) => visitor::handle(&mut req, env, route).await,
        (Method::Get, ["api", "push", "key"]) => crate::push::public_key(env),
        (Method::Get, ["api", "health"]) => reply::json(200, &serde_json::json!({ "ok": true })),
        (Method::Post, ["api", "sessions"]) => new_session(&mut req, env).await,
        (Method::Post, ["api", "conversations"]) => visitor_sends(&mut req, env, None).await,
        (Method::Post, ["api", "conversations", id, "messages"]) => {
            let id = conversation_id(id)?;
            visitor_sends(&mut req, env, Some(id)).await
        }
        (Method::Post, ["api", "conversations", id, "read"]) => {
            let id = conversation_id(id)?;
            visitor_marks_read(&mut req, env, id).await
        }
        (Method::Get, ["api", "conversations", id, "messages"]) => {
            let id = conversation_id(id)?;
            history(&req, env, id).await
        }
        (Method::Get, ["api", "conversations", id, "socket"]) => {
            let id = conversation_id(id)?;
            let claims = auth::page_visitor(&req, env)?;
            crate::clients::visitor::check(env, &claims).await?;
            let caller = Caller::Visitor(Owner {
                site: claims.site,
                visitor: claims.visitor,
            });
            conversation::connect(env, &id, &req, &caller, Some(&claims.session)).await
        }
        (_, ["api", "sessions"])
        | (_, ["api", "conversations"])
        | (_, ["api", "conversations", _, "messages" | "read"]) => Err(ApiError::new(
            ErrorCode::MethodNotAllowed,
            "this method is not allowed here",
        )),
        _ => Err(ApiError::new(ErrorCode::NotFound, "no such API route")),
    }
}

/// Mints an anonymous visitor and this device's session. Called on the visitor's first
/// message, never on page load, so nothing is stored for visitors who only look.
async fn new_session(req: &mut Request, env: &Env) -> Reply {
    let request: NewSessionRequest = decode_request(&body(req).await?)?;
    // Refused before the address's allowance is taken.
    crate::sites::known(env, &request.site)?;
    crate::origin::check(env, req, &request.site)?;
    crate::clients::limiter::take_session(env, req).await?;
    let visitor = VisitorId::from_bytes(auth::random_bytes());
    let session = visitor::start_session(env, req, &request.site, &visitor, None).await?;
    reply::json(201, &session)
}

/// A visitor's message: into thread `id`, or, without one, opening a thread whose id is
/// derived from the visitor and the message's `client_id`, so a retry after a lost
/// answer reaches the same thread.
async fn visitor_sends(req: &mut Request, env: &Env, id: Option<ConversationId>) -> Reply {
    let secret = auth::secret(env)?;
    let claims = auth::page_visitor(req, env)?;
    let (client_id, body, mut context) = read_message_with_context(req).await?;
    // The page is where emailed sign-in links lead back to: only one of the site's own.
    if crate::origin::check_page(env, req, &claims.site, &context.page).is_err() {
        context.page.clear();
    }
    let open = id.is_none();
    let id = id.unwrap_or_else(|| ConversationId::derive(&secret, &claims.visitor, &client_id));
    if open {
        // Listed with the visitor before it exists, so a thread is never missing from their
        // list; the same call refuses a signed-out device. The id is derived from the
        // visitor, so it can only name a thread of theirs.
        let track = crate::clients::visitor::VisitorCommand::Track {
            session: claims.session.clone(),
            conversation: id.clone(),
            address: crate::clients::limiter::client_address(req),
        };
        let _: serde_json::Value =
            crate::clients::visitor::ask(env, &claims.site, &claims.visitor, &track).await?;
    } else {
        // An existing thread is already listed; whose it is, the conversation decides.
        crate::clients::visitor::check(env, &claims).await?;
    }
    let command = Command::VisitorSends {
        site: claims.site,
        visitor: claims.visitor,
        conversation: id.clone(),
        open,
        client_id,
        body,
        context,
    };
    conversation::ask(env, &id, &command).await
}

/// The visitor read up to a `seq` on a page without a live socket: the same as the
/// socket's `read` frame (agents see it, and the reach ladder stops).
async fn visitor_marks_read(req: &mut Request, env: &Env, id: ConversationId) -> Reply {
    let claims = auth::page_visitor(req, env)?;
    crate::clients::visitor::check(env, &claims).await?;
    let request: ReadRequest = decode_request(&body(req).await?)?;
    let command = Command::VisitorMarksRead {
        site: claims.site,
        visitor: claims.visitor,
        conversation: id.clone(),
        seq: request.seq,
    };
    conversation::ask(env, &id, &command).await
}

async fn history(req: &Request, env: &Env, id: ConversationId) -> Reply {
    let claims = auth::page_visitor(req, env)?;
    crate::clients::visitor::check(env, &claims).await?;
    let url = req.url().map_err(internal)?;
    let query = HistoryQuery::parse(url.query().unwrap_or(""))?;
    let command = Command::VisitorReads {
        site: claims.site,
        visitor: claims.visitor,
        conversation: id.clone(),
        after: query.after,
        before: query.before,
        limit: query.limit,
        wait: query.wait,
    };
    conversation::ask(env, &id, &command).await
}
