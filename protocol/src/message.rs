//! Messages in a conversation's log.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::ids::{AgentId, ClientId};
use crate::limits::MAX_MESSAGE_CHARS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Visitor,
    Agent,
    System,
}

impl Author {
    pub fn as_str(self) -> &'static str {
        match self {
            Author::Visitor => "visitor",
            Author::Agent => "agent",
            Author::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "visitor" => Some(Author::Visitor),
            "agent" => Some(Author::Agent),
            "system" => Some(Author::System),
            _ => None,
        }
    }
}

/// A committed message. `seq` is dense per conversation and assigned on commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub seq: u64,
    pub client_id: ClientId,
    pub author: Author,
    pub body: String,
    /// Milliseconds since the Unix epoch, by the server's clock at commit.
    pub sent_at: u64,
    /// Which agent wrote an agent's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentId>,
    /// Photos and documents sent with it, in the order they were attached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<crate::attachments::Attachment>,
    /// The visitor wrote it as an answer to one of the thread's emails.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_email: bool,
    /// Written by the team's side itself, not by a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto: Option<Auto>,
}

/// What the team's side writes by itself, as [`Author::System`]: each kind is stored under
/// a sender of its own, so one of each per occasion is committed once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Auto {
    /// The away reply (`crate::away`).
    Away,
    /// The away reply to a visitor the team cannot tell of its answer: the widget asks
    /// below it for an address or for notifications.
    AwayAsk,
    /// Agents resolved the conversation: the widget asks the visitor to rate it.
    Rating,
    /// A proactive rule's teaser (`crate::proactive`), which the visitor answered: it opens
    /// the thread.
    Proactive,
}

impl Auto {
    pub fn as_str(self) -> &'static str {
        match self {
            Auto::Away => "away",
            Auto::AwayAsk => "away_ask",
            Auto::Rating => "rating",
            Auto::Proactive => "proactive",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Auto::Away, Auto::AwayAsk, Auto::Rating, Auto::Proactive]
            .into_iter()
            .find(|a| a.as_str() == s)
    }

    /// Whether the visitor is asked something under it (the widget draws a form).
    pub fn asks(self) -> bool {
        matches!(self, Auto::AwayAsk | Auto::Rating)
    }

    /// The sender it is stored under.
    pub fn sender(self) -> String {
        format!("auto:{}", self.as_str())
    }

    /// The kind a stored sender names, if it is one of these.
    pub fn of_sender(sender: &str) -> Option<Self> {
        Auto::parse(sender.strip_prefix("auto:")?)
    }
}

/// Characters that take no room on screen: zero-width spaces and joiners, the byte-order
/// mark, the word joiner, soft hyphens, and the marks and overrides that reorder
/// right-to-left text. A text of only these is blank; an address with them is a trap.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}')
}

/// Whether a text holds control characters other than newline and tab, which no text a
/// person writes needs.
pub fn has_controls(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// A message text that passed the rules: not blank, not too long, no control characters
/// other than newline and tab. Line breaks are normalised to `\n`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageBody(String);

impl MessageBody {
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        if text.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
            return Err(ApiError::invalid("body", "must not be empty"));
        }
        let chars = text.chars().count();
        if chars > MAX_MESSAGE_CHARS {
            return Err(ApiError::invalid(
                "body",
                &format!("is {chars} characters long, the limit is {MAX_MESSAGE_CHARS}"),
            ));
        }
        if has_controls(&text) {
            return Err(ApiError::invalid(
                "body",
                "must not contain control characters",
            ));
        }
        Ok(MessageBody(text))
    }

    /// The text of a message that carries files: it may be empty.
    pub fn parse_beside_files(text: &str, files: usize) -> Result<Self, ApiError> {
        if files > 0 && text.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
            return Ok(MessageBody(String::new()));
        }
        MessageBody::parse(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_text_of_invisible_characters_is_blank() {
        for blank in [
            "\u{200B}",
            " \u{200B}\u{FEFF}\n",
            "\u{2060}\u{202E}",
            "\u{00AD}",
        ] {
            assert!(MessageBody::parse(blank).is_err(), "{blank:?}");
        }
        assert!(MessageBody::parse("\u{200B}hi").is_ok());
        assert!(MessageBody::parse("👍🏽").is_ok(), "emoji with a modifier");
    }

    use super::*;
    use crate::error::ErrorCode;
    use proptest::prelude::*;

    #[test]
    fn blank_bodies_are_refused() {
        for blank in ["", "   ", "\n\t\n"] {
            assert_eq!(
                MessageBody::parse(blank).unwrap_err().code,
                ErrorCode::InvalidField
            );
        }
    }

    #[test]
    fn length_is_counted_in_characters() {
        let emoji_at_limit = "😀".repeat(MAX_MESSAGE_CHARS);
        assert!(MessageBody::parse(&emoji_at_limit).is_ok());
        let over = "a".repeat(MAX_MESSAGE_CHARS + 1);
        assert!(MessageBody::parse(&over).is_err());
    }

    #[test]
    fn line_breaks_are_normalised_and_controls_refused() {
        assert_eq!(MessageBody::parse("a\r\nb\rc").unwrap().as_str(), "a\nb\nc");
        assert!(MessageBody::parse("bell\u{7}").is_err());
        assert!(MessageBody::parse("nul\u{0}").is_err());
        // Markup and bidi marks are text: they are kept and rendered inert by clients.
        let hostile = "<script>alert(1)</script> \u{202e}txt.exe";
        assert_eq!(MessageBody::parse(hostile).unwrap().as_str(), hostile);
    }

    #[test]
    fn authors_round_trip() {
        for a in [Author::Visitor, Author::Agent, Author::System] {
            assert_eq!(Author::parse(a.as_str()), Some(a));
        }
        assert_eq!(Author::parse("admin"), None);
        for a in [Auto::Away, Auto::AwayAsk, Auto::Rating, Auto::Proactive] {
            assert_eq!(Auto::of_sender(&a.sender()), Some(a));
        }
        assert_eq!(
            Auto::of_sender("away"),
            None,
            "a person's sender is not one"
        );
    }

    proptest! {
        #[test]
        fn accepted_bodies_respect_every_rule(s in "\\PC{0,50}[\r\n\t]{0,3}\\PC{0,10}") {
            if let Ok(body) = MessageBody::parse(&s) {
                let b = body.as_str();
                prop_assert!(!b.trim().is_empty());
                prop_assert!(b.chars().count() <= MAX_MESSAGE_CHARS);
                prop_assert!(!b.contains('\r'));
            }
        }
    }
}
