//! Confab's wire types and the pure rules around them.
//!
//! Widget, console and edge all speak through these types, so they cannot drift apart.
//! Everything here is plain Rust, tested natively with `cargo test -p confab-protocol`.

pub mod api;
pub mod attachments;
pub mod availability;
pub mod away;
pub mod backoff;
pub mod console;
pub mod email_reply;
pub mod error;
pub mod file_link;
pub mod frames;
pub mod hours;
pub mod identity;
pub mod ids;
pub mod json;
pub mod language;
pub mod limits;
pub mod linkify;
pub mod message;
pub mod origins;
pub mod password;
pub mod proactive;
pub mod rate;
pub mod rating;
pub mod reach;
pub mod resume;
pub mod thread;
pub mod token;
pub mod user_agent;
pub mod visitor;

pub use api::*;
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use ids::{AgentId, ClientId, ConversationId, FileId, SessionId, SiteId, VisitorId};
pub use message::{Author, Auto, Message, MessageBody};
pub use token::{SessionClaims, TokenError};

/// Version carried by every request body and frame a client sends.
pub const PROTOCOL_VERSION: u32 = 1;
