//! WebSocket frames: JSON text, one frame a message, each with a `type`.
//!
//! On every (re)connect the client says the last `seq` it holds (`hello`); the server
//! answers with everything after it, then pushes each new message as it is committed.
//! A `send` is acknowledged (`ack`) only once committed; a resend of the same `client_id`
//! is acknowledged with the original `seq`.

use serde::{Deserialize, Serialize};

use crate::console::Note;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{AgentId, ClientId};
use crate::message::{Author, Message};
use crate::reach::Reached;
use crate::PROTOCOL_VERSION;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientFrame {
    Hello {
        v: u32,
        last_seq: u64,
    },
    Send {
        client_id: ClientId,
        body: String,
        /// From a visitor: where they are now and what the page `set`, for agents.
        #[serde(default)]
        context: Option<crate::console::VisitorContext>,
    },
    /// The sender has read everything up to `seq`.
    Read {
        seq: u64,
    },
    /// The sender is typing; shown to the other side for a few seconds.
    Typing,
    /// Agents only: an internal note, which the visitor never receives.
    Note {
        client_id: ClientId,
        body: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The answer to `hello`: the messages the client missed follow as `message` frames.
    /// `visitor_read` and `agent_read` are how far each side has read.
    Welcome {
        last_seq: u64,
        visitor_read: u64,
        agent_read: u64,
    },
    Message {
        message: Message,
    },
    /// `by` has read everything up to `seq`.
    Read {
        by: Author,
        seq: u64,
    },
    /// `by` is typing.
    Typing {
        by: Author,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<AgentId>,
    },
    /// Sent to agents' sockets only.
    Note {
        note: Note,
    },
    /// The visitor was reached by push or email while away. Agents' sockets only.
    Reached {
        reached: Reached,
    },
    Ack {
        client_id: ClientId,
        seq: u64,
    },
    /// Something the client sent was refused; the connection stays usable.
    Error {
        code: ErrorCode,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        client_id: Option<ClientId>,
    },
}

impl ServerFrame {
    pub fn error(error: ApiError, client_id: Option<ClientId>) -> Self {
        ServerFrame::Error {
            code: error.code,
            message: error.message,
            client_id,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("frames serialize")
    }
}

impl ClientFrame {
    /// Reads a frame from a client, with the same rules and error codes as HTTP bodies.
    pub fn decode(text: &str) -> Result<Self, ApiError> {
        let value = crate::json::read(text.as_bytes(), "frame")?;
        let frame: ClientFrame = crate::json::shape(value, ErrorCode::BadRequest)?;
        if let ClientFrame::Hello { v, .. } = frame {
            if v != PROTOCOL_VERSION {
                return Err(ApiError::new(
                    ErrorCode::UnsupportedVersion,
                    format!("protocol version {v} is not supported, use {PROTOCOL_VERSION}"),
                ));
            }
        }
        Ok(frame)
    }
}

/// The WebSocket close code for a device signed out, an agent removed or a thread deleted
/// with its site: the client stops retrying.
pub const CLOSE_SIGNED_OUT: u16 = 4001;
/// The WebSocket close code for a site its admins removed: the widget leaves the page.
pub const CLOSE_SITE_REMOVED: u16 = 4010;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_REQUEST_BYTES;

    #[test]
    fn frames_have_the_documented_shape() {
        let hello = ClientFrame::decode(r#"{"type":"hello","v":1,"last_seq":4}"#).unwrap();
        assert_eq!(hello, ClientFrame::Hello { v: 1, last_seq: 4 });
        let send = ClientFrame::decode(r#"{"type":"send","client_id":"c1","body":"hi"}"#).unwrap();
        assert!(matches!(send, ClientFrame::Send { .. }));
        let ack = ServerFrame::Ack {
            client_id: ClientId::parse("c1").unwrap(),
            seq: 3,
        };
        assert_eq!(ack.to_json(), r#"{"type":"ack","client_id":"c1","seq":3}"#);
    }

    #[test]
    fn bad_frames_have_codes() {
        let code = |t: &str| ClientFrame::decode(t).unwrap_err().code;
        assert_eq!(code("{nope"), ErrorCode::MalformedJson);
        assert_eq!(code(r#"{"type":"dance"}"#), ErrorCode::BadRequest);
        assert_eq!(
            code(r#"{"type":"send","client_id":"bad id","body":"x"}"#),
            ErrorCode::BadRequest
        );
        assert_eq!(
            code(r#"{"type":"hello","v":9,"last_seq":0}"#),
            ErrorCode::UnsupportedVersion
        );
        let big = format!(
            r#"{{"type":"send","client_id":"a","body":"{}"}}"#,
            "x".repeat(MAX_REQUEST_BYTES)
        );
        assert_eq!(code(&big), ErrorCode::PayloadTooLarge);
    }
}
