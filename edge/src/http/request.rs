//! What every route reads from a request the same way: its body (size-checked before it
//! is read), a conversation or site id from the path, a message.

use confab_protocol::console::VisitorContext;
use confab_protocol::limits::MAX_REQUEST_BYTES;
use confab_protocol::{
    api::decode_request, ApiError, ClientId, ConversationId, ErrorCode, FileId, MessageBody,
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
    body_within(req, MAX_REQUEST_BYTES, "request body").await
}

/// A body of at most `max` bytes, refused unread when its declared length is larger, and
/// refused when what came is larger (a length may be left undeclared).
pub async fn body_within(req: &mut Request, max: usize, what: &str) -> Result<Vec<u8>, ApiError> {
    let declared = req
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(ApiError::too_large(what));
    }
    let bytes = req.bytes().await.map_err(internal)?;
    if bytes.len() > max {
        return Err(ApiError::too_large(what));
    }
    Ok(bytes)
}

/// A message read from a `SendMessageRequest` whose text passed the rules.
pub struct Sent {
    pub client_id: ClientId,
    pub body: String,
    /// The files uploaded for it (may be empty: then the text is not).
    pub files: Vec<FileId>,
    /// A visitor's: the context the widget sends along with a first message and the
    /// browser the request came from.
    pub context: VisitorContext,
    /// A visitor's first message answering a proactive teaser.
    pub proactive: Option<confab_protocol::proactive::Answered>,
}

/// A note, which carries only text.
pub async fn read_note(req: &mut Request) -> Result<(ClientId, String), ApiError> {
    let sent = read_message(req).await?;
    if !sent.files.is_empty() {
        return Err(ApiError::invalid("files", "a note cannot carry files"));
    }
    Ok((sent.client_id, sent.body))
}

pub async fn read_message(req: &mut Request) -> Result<Sent, ApiError> {
    let request: SendMessageRequest = decode_request(&body(req).await?)?;
    let body = MessageBody::parse_beside_files(&request.body, request.files.len())?;
    let mut context = request.context.unwrap_or_default();
    context.user_agent = req
        .headers()
        .get("User-Agent")
        .ok()
        .flatten()
        .unwrap_or_default();
    Ok(Sent {
        client_id: request.client_id,
        body: body.into_string(),
        files: request.files,
        context,
        proactive: request.proactive,
    })
}
