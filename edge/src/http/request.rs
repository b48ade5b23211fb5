//! What every route reads from a request the same way: its body (size-checked before it
//! is read), a conversation or site id from the path, a message.

use confab_protocol::console::VisitorContext;
use confab_protocol::limits::MAX_REQUEST_BYTES;
use confab_protocol::{
    api::decode_request, ApiError, ClientId, ConversationId, ErrorCode, MessageBody,
    SendMessageRequest, SiteId,
};
use worker::Request;

use crate::reply::internal;

/// A malformed id is answered like a missing conversation: it reveals nothing either way.
pub fn conversation_id(segment: &str) -> Result<ConversationId, ApiError> {
    ConversationId::parse(segment).ok_or_else(ApiError::conversation_not_found)
}

/// The `{site}` of a path; one that cannot be a site's id is not found, as a missing one.
pub fn site_id(segment: &str) -> Result<SiteId, ApiError> {
    SiteId::parse(segment).ok_or_else(no_such_site)
}

pub fn no_such_site() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such site")
}

/// Reads the request body, refusing an oversized one unread when its length is declared
/// (`decode_request` checks the length of what was read).
pub async fn body(req: &mut Request) -> Result<Vec<u8>, ApiError> {
    let declared = req
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_REQUEST_BYTES) {
        return Err(ApiError::too_large("request body"));
    }
    req.bytes().await.map_err(internal)
}

/// A `SendMessageRequest` body whose text passed the rules.
pub async fn read_message(req: &mut Request) -> Result<(ClientId, String), ApiError> {
    let (client_id, body, _) = read_message_with_context(req).await?;
    Ok((client_id, body))
}

/// A visitor's message, with the context the widget sends along with a first message and
/// the browser the request came from.
pub async fn read_message_with_context(
    req: &mut Request,
) -> Result<(ClientId, String, VisitorContext), ApiError> {
    let request: SendMessageRequest = decode_request(&body(req).await?)?;
    let body = MessageBody::parse(&request.body)?;
    let mut context = request.context.unwrap_or_default();
    context.user_agent = req
        .headers()
        .get("User-Agent")
        .ok()
        .flatten()
        .unwrap_or_default();
    Ok((request.client_id, body.into_string(), context))
}
