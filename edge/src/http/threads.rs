//! The widget's thread: a visitor's first session, their messages, what they read, the
//! history and the live socket.

use confab_protocol::proactive::Started;
use confab_protocol::{
    api::decode_request, ConversationId, HistoryQuery, NewSessionRequest, ReadRequest, VisitorId,
};

use super::request::{body, conversation_id, read_message};
use super::Call;
use crate::auth;
use crate::clients::conversation::{self, Caller, Command, Opening, Owner};
use crate::clients::visitor::{check, VisitorCommand};
use crate::reply::{self, internal, Reply};

/// `POST /api/sessions`: mints an anonymous visitor and this device's session. Called on
/// the visitor's first message, never on page load, so nothing is stored for visitors
/// who only look.
pub async fn new_session(mut call: Call<'_>) -> Reply {
    let request: NewSessionRequest = decode_request(&body(&mut call.req).await?)?;
    // Refused before the address's allowance is taken.
    call.site_page(&request.site)?;
    let (req, env) = (&call.req, call.env);
    crate::clients::limiter::take_session(env, req).await?;
    let visitor = VisitorId::from_bytes(auth::random_bytes());
    let session = super::visitor::start_session(env, req, &request.site, &visitor, None).await?;
    reply::json(201, &session)
}

/// `POST /api/conversations`: a message opening a thread whose id is derived from the
/// visitor and the message's `client_id`, so a retry after a lost answer reaches the
/// same thread.
pub async fn open(call: Call<'_>) -> Reply {
    sends(call, None).await
}

/// `POST /api/conversations/{id}/messages`.
pub async fn send(call: Call<'_>) -> Reply {
    let id = conversation_id(call.param("id"))?;
    sends(call, Some(id)).await
}

async fn sends(mut call: Call<'_>, id: Option<ConversationId>) -> Reply {
    let env = call.env;
    let secret = auth::secret(env)?;
    let claims = call.visitor()?;
    let sent = read_message(&mut call.req).await?;
    let (client_id, mut context) = (sent.client_id, sent.context);
    let req = &call.req;
    // The page is where emailed sign-in links lead back to: only one of the site's own.
    if crate::origin::check_page(call.sites()?, req, &claims.site, &context.page).is_err() {
        context.page.clear();
    }
    let open = id.is_none();
    let id = id.unwrap_or_else(|| ConversationId::derive(&secret, &claims.visitor, &client_id));
    if open {
        // Listed with the visitor before it exists, so a thread is never missing from their
        // list; the same call refuses a signed-out device. The id is derived from the
        // visitor, so it can only name a thread of theirs.
        let track = VisitorCommand::Track {
            session: claims.session.clone(),
            conversation: id.clone(),
            address: crate::clients::limiter::client_address(req),
        };
        let _: serde_json::Value =
            crate::clients::visitor::ask(env, &claims.site, &claims.visitor, &track).await?;
    } else {
        // An existing thread is already listed; whose it is, the conversation decides.
        check(env, &claims).await?;
    }
    // The rule as the site has it now, never the client's words; one removed since the
    // teaser showed opens nothing.
    let opening = sent.proactive.filter(|_| open).and_then(|answered| {
        let settings = call.sites().ok()?.get(&claims.site)?;
        let rule = settings
            .settings
            .proactive
            .iter()
            .find(|r| r.id == answered.rule)?;
        Some(Box::new(Opening {
            started: Started {
                rule: rule.id.clone(),
                name: rule.name.clone(),
            },
            body: rule.text_for(&answered.lang).to_owned(),
        }))
    });
    let scope = crate::files::visitor_scope(&claims.site, &claims.visitor);
    let files = crate::files::find(env, &scope, &sent.files).await?;
    let command = Command::VisitorSends {
        site: claims.site,
        visitor: claims.visitor,
        conversation: id.clone(),
        open,
        client_id,
        body: sent.body,
        files,
        context,
        opening,
    };
    conversation::ask(env, &id, &command).await
}

/// `POST /api/conversations/{id}/read`: the visitor read up to a `seq` on a page without
/// a live socket, the same as the socket's `read` frame (agents see it, and the reach
/// ladder stops).
pub async fn mark_read(mut call: Call<'_>) -> Reply {
    let id = conversation_id(call.param("id"))?;
    let claims = call.visitor()?;
    check(call.env, &claims).await?;
    let request: ReadRequest = decode_request(&body(&mut call.req).await?)?;
    let command = Command::VisitorMarksRead {
        site: claims.site,
        visitor: claims.visitor,
        conversation: id.clone(),
        seq: request.seq,
    };
    conversation::ask(call.env, &id, &command).await
}

/// `GET /api/conversations/{id}/messages`: a page of the thread, or a long poll.
pub async fn history(call: Call<'_>) -> Reply {
    let id = conversation_id(call.param("id"))?;
    let claims = call.visitor()?;
    check(call.env, &claims).await?;
    let url = call.req.url().map_err(internal)?;
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
    conversation::ask(call.env, &id, &command).await
}

/// `GET /api/conversations/{id}/socket?token=T`: the thread's live socket.
pub async fn socket(call: Call<'_>) -> Reply {
    let id = conversation_id(call.param("id"))?;
    let claims = call.visitor()?;
    check(call.env, &claims).await?;
    let caller = Caller::Visitor(Owner {
        site: claims.site,
        visitor: claims.visitor,
    });
    conversation::connect(call.env, &id, &call.req, &caller, Some(&claims.session)).await
}
