//! The agent console's wire types: accounts, the inbox and its live frames.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::hours::BusinessHours;
use crate::ids::{AgentId, ClientId, ConversationId, SiteId, VisitorId};
use crate::limits::{MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_SHORTCUT_CHARS};
use crate::message::Author;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Invites and removes agents, sets business hours.
    Admin,
    Agent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub id: AgentId,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Invited, but has not chosen a password yet.
    #[serde(default)]
    pub pending: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub v: u32,
    pub email: String,
    pub password: String,
}

/// Who is signed in, and the sites they answer for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub agent: Agent,
    pub sites: Vec<SiteEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteEntry {
    pub site: SiteId,
    pub team: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub v: u32,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteResponse {
    pub agent: Agent,
    /// The link the new agent opens to choose a password (single use).
    pub invite_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptInviteRequest {
    pub v: u32,
    pub token: String,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentList {
    pub agents: Vec<Agent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedReply {
    /// Typed after `/` in the composer.
    pub shortcut: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveCannedRequest {
    pub v: u32,
    pub shortcut: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedList {
    pub replies: Vec<CannedReply>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Snoozed,
    Resolved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Snoozed => "snoozed",
            Status::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(Status::Open),
            "snoozed" => Some(Status::Snoozed),
            "resolved" => Some(Status::Resolved),
            _ => None,
        }
    }
}

/// Where the visitor was when the conversation started, as their browser told it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorContext {
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub time_zone: String,
    /// Set by the edge from the request, not by the widget.
    #[serde(default)]
    pub user_agent: String,
}

impl VisitorContext {
    const MAX_FIELD: usize = 512;

    /// Keeps what the widget sent within bounds; it is shown to agents, never trusted.
    pub fn bounded(mut self) -> Self {
        for field in [
            &mut self.page,
            &mut self.lang,
            &mut self.time_zone,
            &mut self.user_agent,
        ] {
            *field = field
                .chars()
                .filter(|c| !c.is_control())
                .take(Self::MAX_FIELD)
                .collect();
        }
        self
    }
}

/// One conversation in an inbox list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRow {
    pub conversation_id: ConversationId,
    pub site: SiteId,
    pub visitor_id: VisitorId,
    pub last_seq: u64,
    pub last_author: Author,
    pub preview: String,
    pub updated_at: u64,
    pub started_at: u64,
    /// Visitor messages no agent has read.
    pub unread: u64,
    pub status: Status,
    #[serde(default)]
    pub snoozed_until: Option<u64>,
    #[serde(default)]
    pub assignee: Option<AgentId>,
    #[serde(default)]
    pub context: VisitorContext,
}

/// The inbox's views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Open conversations assigned to the agent asking.
    Mine,
    /// Open conversations nobody has taken.
    Unassigned,
    /// Every conversation not resolved (open or snoozed).
    All,
    Resolved,
}

impl View {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "mine" => Some(View::Mine),
            "unassigned" => Some(View::Unassigned),
            "all" => Some(View::All),
            "resolved" => Some(View::Resolved),
            _ => None,
        }
    }

    /// Whether `row` belongs in this view for `agent`.
    pub fn shows(self, row: &InboxRow, agent: &AgentId) -> bool {
        match self {
            View::Mine => row.status != Status::Resolved && row.assignee.as_ref() == Some(agent),
            View::Unassigned => row.status == Status::Open && row.assignee.is_none(),
            View::All => row.status != Status::Resolved,
            View::Resolved => row.status == Status::Resolved,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxList {
    pub conversations: Vec<InboxRow>,
}

/// One conversation as its page in the console shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationDetail {
    pub conversation: InboxRow,
    /// The same visitor's other conversations, newest first.
    pub earlier: Vec<InboxRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub v: u32,
    pub assignee: Option<AgentId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    pub v: u32,
    pub status: Status,
    /// For `snoozed`: when the conversation opens again (ms since the epoch).
    #[serde(default)]
    pub snoozed_until: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursRequest {
    pub v: u32,
    /// `None` removes business hours.
    pub hours: Option<BusinessHours>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursResponse {
    pub hours: Option<BusinessHours>,
}

/// An internal note: agents only, never sent to the visitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: u64,
    pub client_id: ClientId,
    pub agent: AgentId,
    pub body: String,
    /// The thread's last `seq` when the note was written: where it sits in the timeline.
    pub after_seq: u64,
    pub sent_at: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteResponse {
    pub note: Note,
}

/// An agent's presence as the inbox sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub agent: AgentId,
    pub away: bool,
}

/// Frames from the inbox socket to the console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InboxFrame {
    /// A conversation changed: new message, read, status or assignee.
    Conversation { conversation: Box<InboxRow> },
    /// Who is online now (agents with the console open and not away).
    Presence { agents: Vec<Presence> },
    Error {
        code: crate::ErrorCode,
        message: String,
    },
}

/// Frames from the console to the inbox socket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum InboxClientFrame {
    Presence { away: bool },
}

/// A normalised email address (trimmed, lowercase), or why it is not one.
pub fn email(raw: &str) -> Result<String, ApiError> {
    let email = raw.trim().to_lowercase();
    let valid = email.chars().count() <= MAX_EMAIL_CHARS
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty() && domain.contains('.') && !domain.contains('@')
        });
    if valid {
        Ok(email)
    } else {
        Err(ApiError::invalid("email", "must be an email address"))
    }
}

/// A display name: trimmed, not empty, not too long, no control characters.
pub fn display_name(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ApiError::invalid(
            "name",
            &format!("must be 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(name.to_owned())
}

/// A canned reply's shortcut: letters, digits, `-` and `_`, as typed after `/`.
pub fn shortcut(raw: &str) -> Result<String, ApiError> {
    let s = raw.trim().trim_start_matches('/').to_lowercase();
    let valid = !s.is_empty()
        && s.chars().count() <= MAX_SHORTCUT_CHARS
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(s)
    } else {
        Err(ApiError::invalid(
            "shortcut",
            "must be letters, digits, - or _, up to 32",
        ))
    }
}

/// The canned replies whose shortcut starts with what follows `/` in the composer: the
/// composer offers them while the text is `/` and a word.
pub fn canned_matches<'a>(text: &str, replies: &'a [CannedReply]) -> Vec<&'a CannedReply> {
    let Some(typed) = text.strip_prefix('/') else {
        return Vec::new();
    };
    if typed.contains(char::is_whitespace) {
        return Vec::new();
    }
    let typed = typed.to_lowercase();
    replies
        .iter()
        .filter(|r| r.shortcut.starts_with(&typed))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: Status, assignee: Option<AgentId>) -> InboxRow {
        InboxRow {
            conversation_id: ConversationId::from_bytes([1; 16]),
            site: SiteId::parse("demo").unwrap(),
            visitor_id: VisitorId::from_bytes([2; 16]),
            last_seq: 1,
            last_author: Author::Visitor,
            preview: "hi".into(),
            updated_at: 0,
            started_at: 0,
            unread: 1,
            status,
            snoozed_until: None,
            assignee,
            context: VisitorContext::default(),
        }
    }

    #[test]
    fn views_select_what_their_names_say() {
        let me = AgentId::from_bytes([3; 16]);
        let other = AgentId::from_bytes([4; 16]);
        let mine = row(Status::Open, Some(me.clone()));
        let theirs = row(Status::Open, Some(other));
        let nobody = row(Status::Open, None);
        let done = row(Status::Resolved, Some(me.clone()));
        let later = row(Status::Snoozed, None);
        let shown = |view: View| {
            [&mine, &theirs, &nobody, &done, &later]
                .iter()
                .map(|r| view.shows(r, &me))
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(View::Mine), [true, false, false, false, false]);
        assert_eq!(shown(View::Unassigned), [false, false, true, false, false]);
        assert_eq!(shown(View::All), [true, true, true, false, true]);
        assert_eq!(shown(View::Resolved), [false, false, false, true, false]);
    }

    #[test]
    fn emails_names_and_shortcuts_are_checked() {
        assert_eq!(email("  Ann@Example.COM ").unwrap(), "ann@example.com");
        for bad in [
            "",
            "ann",
            "ann@",
            "@x.io",
            "a b@x.io",
            "a@b@c.io",
            "a@localhost",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert_eq!(display_name(" Ann ").unwrap(), "Ann");
        assert!(display_name("  ").is_err());
        assert!(display_name(&"x".repeat(81)).is_err());
        assert_eq!(shortcut("/Refund").unwrap(), "refund");
        assert!(shortcut("two words").is_err());
        assert!(shortcut("/").is_err());
    }

    #[test]
    fn canned_replies_match_what_follows_the_slash() {
        let replies = vec![
            CannedReply {
                shortcut: "refund".into(),
                body: "Refunds take 5 days.".into(),
            },
            CannedReply {
                shortcut: "return".into(),
                body: "Returns are free.".into(),
            },
        ];
        let names = |text: &str| {
            canned_matches(text, &replies)
                .iter()
                .map(|r| r.shortcut.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(names("/re"), ["refund", "return"]);
        assert_eq!(names("/RET"), ["return"]);
        assert_eq!(names("/"), ["refund", "return"]);
        assert!(names("re").is_empty());
        assert!(names("/refund now").is_empty());
    }

    #[test]
    fn visitor_context_is_bounded() {
        let context = VisitorContext {
            page: "x".repeat(2000),
            lang: "fr\u{7}".into(),
            ..Default::default()
        }
        .bounded();
        assert_eq!(context.page.len(), 512);
        assert_eq!(context.lang, "fr");
    }
}
