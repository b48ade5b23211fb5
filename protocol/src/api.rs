//! HTTP request and response bodies, and the one way the edge reads a request body.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::ids::{ClientId, ConversationId, SiteId, VisitorId};
use crate::limits::{page_size, MAX_EXACT_INTEGER, MAX_WAIT_SECONDS};
use crate::message::Message;
use crate::PROTOCOL_VERSION;

/// `POST /api/sessions`: a new anonymous visitor and this device's session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSessionRequest {
    pub v: u32,
    pub site: SiteId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSessionResponse {
    pub token: String,
    pub visitor_id: VisitorId,
}

/// `POST /api/conversations` (opens a thread with this message) and
/// `POST /api/conversations/{id}/messages` (adds to one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendMessageRequest {
    pub v: u32,
    pub client_id: ClientId,
    pub body: String,
    /// With a thread's first message: the page, language and time zone, for agents.
    #[serde(default)]
    pub context: Option<crate::console::VisitorContext>,
    /// Files uploaded before (`POST …/files`), sent with this message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<crate::FileId>,
    /// With a thread's first message: the proactive rule whose teaser it answers. The
    /// thread opens with that rule's message, as the site's settings have it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proactive: Option<crate::proactive::Answered>,
}

/// `POST /api/files` and `/api/console/files`: a file stored, to be sent with a message
/// (`SendMessageRequest::files`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileUploaded {
    pub file: crate::attachments::Attachment,
}

/// The acknowledgement of a committed message. A resend of the same `client_id`
/// gets the same answer, with the original `seq`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendMessageResponse {
    pub conversation_id: ConversationId,
    pub message: Message,
}

/// `POST /api/conversations/{id}/read`: the visitor has read up to `seq`, from a page
/// without a live socket. Answered `200 {"visitor_read"}`, how far the visitor has read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadRequest {
    pub v: u32,
    pub seq: u64,
}

/// `GET /api/conversations/{id}/messages?after=N` or `?before=N`, with `limit`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryQuery {
    pub after: Option<u64>,
    pub before: Option<u64>,
    pub limit: u32,
    /// Long poll: with `after`, wait up to this many seconds for a new message before
    /// answering an empty page (for networks that block WebSockets).
    pub wait: u32,
}

impl HistoryQuery {
    /// Reads a URL query string (without the `?`). Unknown keys are ignored, as URLs
    /// collect cache busters; known keys must be well formed.
    pub fn parse(query: &str) -> Result<Self, ApiError> {
        let mut out = HistoryQuery {
            limit: page_size(None),
            ..Default::default()
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let number = || {
                value
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n <= MAX_EXACT_INTEGER)
                    .ok_or_else(|| ApiError::invalid(key, "must be a whole number"))
            };
            match key {
                "after" => out.after = Some(number()?),
                "before" => out.before = Some(number()?),
                "limit" => out.limit = page_size(Some(number()?.min(u32::MAX as u64) as u32)),
                "wait" => out.wait = number()?.min(MAX_WAIT_SECONDS as u64) as u32,
                _ => {}
            }
        }
        if out.wait > 0 && out.after.is_none() {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                "a long poll waits for messages after a seq: give `after`",
            ));
        }
        if out.after.is_some() && out.before.is_some() {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                "ask for messages after or before a seq, not both",
            ));
        }
        Ok(out)
    }
}

/// One page of a conversation's history, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub conversation_id: ConversationId,
    pub messages: Vec<Message>,
    /// The newest `seq` in the conversation, so a client knows whether it has everything.
    pub last_seq: u64,
}

/// `GET /api/sites/{site}`: what the widget shows before anything else, from the site's
/// settings (`console::sites`), beside its texts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// The team's name, as visitors should see it.
    pub team: String,
    /// A line such as "We usually reply within a few hours".
    #[serde(default)]
    pub availability: Option<String>,
    /// Colour, launcher and theme: the loader applies them before it draws.
    #[serde(default)]
    pub look: crate::console::sites::Look,
    /// The site's live proactive rules, in the visitor's language (left out when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proactive: Vec<crate::proactive::Teaser>,
}

/// Reads a client's JSON body: size, syntax, keys and numbers (`json::read`), then the
/// version, then the shape. Each failure has its own error code, and none of them has
/// side effects.
pub fn decode_request<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value = crate::json::read(bytes, "request body")?;
    match value.get("v").and_then(|v| v.as_u64()) {
        Some(v) if v == PROTOCOL_VERSION as u64 => {}
        Some(v) => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedVersion,
                format!("protocol version {v} is not supported, use {PROTOCOL_VERSION}"),
            ))
        }
        None => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedVersion,
                format!("missing protocol version, send \"v\": {PROTOCOL_VERSION}"),
            ))
        }
    }
    crate::json::shape(value, ErrorCode::InvalidField)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_REQUEST_BYTES;

    fn code_of(bytes: &[u8]) -> ErrorCode {
        decode_request::<SendMessageRequest>(bytes)
            .unwrap_err()
            .code
    }

    #[test]
    fn a_good_body_decodes() {
        let req: SendMessageRequest =
            decode_request(br#"{"v":1,"client_id":"abc","body":"hi"}"#).unwrap();
        assert_eq!(req.client_id.as_str(), "abc");
        assert_eq!(req.body, "hi");
    }

    #[test]
    fn each_kind_of_bad_body_has_its_code() {
        assert_eq!(code_of(b"{not json"), ErrorCode::MalformedJson);
        assert_eq!(code_of(b""), ErrorCode::MalformedJson);
        assert_eq!(
            code_of(br#"{"client_id":"a","body":"x"}"#),
            ErrorCode::UnsupportedVersion
        );
        assert_eq!(
            code_of(br#"{"v":2,"client_id":"a","body":"x"}"#),
            ErrorCode::UnsupportedVersion
        );
        assert_eq!(
            code_of(br#"{"v":1,"client_id":"a b","body":"x"}"#),
            ErrorCode::InvalidField
        );
        assert_eq!(code_of(br#"{"v":1,"body":"x"}"#), ErrorCode::InvalidField);
        assert_eq!(
            code_of(br#"{"v":1,"client_id":"a","body":"x","admin":true}"#),
            ErrorCode::InvalidField
        );
        let huge = format!(
            r#"{{"v":1,"client_id":"a","body":"{}"}}"#,
            "x".repeat(MAX_REQUEST_BYTES)
        );
        assert_eq!(code_of(huge.as_bytes()), ErrorCode::PayloadTooLarge);
    }

    #[test]
    fn history_queries_parse() {
        let q = HistoryQuery::parse("after=5&limit=10&_=123").unwrap();
        assert_eq!((q.after, q.before, q.limit), (Some(5), None, 10));
        let q = HistoryQuery::parse("").unwrap();
        assert_eq!(q.limit, crate::limits::DEFAULT_PAGE_SIZE);
        let q = HistoryQuery::parse("before=9&limit=99999999999").unwrap();
        assert_eq!((q.before, q.limit), (Some(9), crate::limits::MAX_PAGE_SIZE));
        assert!(HistoryQuery::parse("after=-1").is_err());
        assert!(HistoryQuery::parse("after=x").is_err());
        assert!(HistoryQuery::parse("after=9007199254740991").is_ok());
        assert!(HistoryQuery::parse("before=9007199254740992").is_err());
        assert!(HistoryQuery::parse("after=1&before=3").is_err());
        let q = HistoryQuery::parse("after=3&wait=600").unwrap();
        assert_eq!(q.wait, crate::limits::MAX_WAIT_SECONDS);
        assert!(
            HistoryQuery::parse("wait=5").is_err(),
            "a long poll needs `after`"
        );
    }
}
