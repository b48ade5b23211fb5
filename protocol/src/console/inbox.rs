//! The inbox as agents see it: rows, views, status, notes, business hours, and the frames
//! of its live socket.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::hours::BusinessHours;
use crate::ids::{AgentId, ClientId, ConversationId, SiteId, VisitorId};
use crate::message::Author;

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

/// Where the visitor is, as their browser told it with their latest message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorContext {
    #[serde(default)]
    pub page: String,
    /// What the host page `set` (`Confab('set', {plan: "pro", cart_value: 120})`): text,
    /// numbers and booleans, shown to agents as text.
    #[serde(default, deserialize_with = "scalars")]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub time_zone: String,
    /// Set by the edge from the request, not by the widget.
    #[serde(default)]
    pub user_agent: String,
}

/// A map of text, numbers and booleans, as text; anything else (lists, objects, null) is
/// left out rather than refusing the message it came with.
fn scalars<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let map = Option::<BTreeMap<String, serde_json::Value>>::deserialize(d)?.unwrap_or_default();
    Ok(map
        .into_iter()
        .filter_map(|(key, value)| match value {
            serde_json::Value::String(s) => Some((key, s)),
            serde_json::Value::Number(n) => Some((key, n.to_string())),
            serde_json::Value::Bool(b) => Some((key, b.to_string())),
            _ => None,
        })
        .collect())
}

impl VisitorContext {
    const MAX_FIELD: usize = 512;
    /// Attributes kept: the first ones by name, keys and values cut to size.
    pub const MAX_ATTRIBUTES: usize = 20;
    const MAX_KEY: usize = 40;
    const MAX_VALUE: usize = 200;

    /// Keeps what the widget sent within bounds; it is shown to agents, never trusted.
    pub fn bounded(mut self) -> Self {
        // A fragment can hold a sign-in token (OAuth and reset links put them there).
        if let Some((before, _)) = self.page.split_once('#') {
            self.page = before.to_owned();
        }
        for field in [
            &mut self.page,
            &mut self.lang,
            &mut self.time_zone,
            &mut self.user_agent,
        ] {
            *field = clean(field, Self::MAX_FIELD);
        }
        self.attributes = std::mem::take(&mut self.attributes)
            .into_iter()
            .map(|(key, value)| (clean(&key, Self::MAX_KEY), clean(&value, Self::MAX_VALUE)))
            .filter(|(key, _)| !key.is_empty())
            .take(Self::MAX_ATTRIBUTES)
            .collect();
        self
    }
}

impl VisitorContext {
    /// What to store when a visitor's message brings `incoming` and `self` is stored:
    /// `None` when nothing changes. A message without a page tells nothing; a socket's
    /// frame carries no browser, so the stored one stays. Emailed sign-in links lead to the
    /// page, so unless `page_checked` (the Worker checked its origin against the site's
    /// list) only a page of the stored page's origin is taken.
    pub fn updated_by(&self, incoming: VisitorContext, page_checked: bool) -> Option<Self> {
        let mut next = incoming.bounded();
        let origin = crate::origins::origin_of;
        let same_origin = origin(&self.page).eq_ignore_ascii_case(origin(&next.page));
        if next.page.is_empty() || !(page_checked || (!self.page.is_empty() && same_origin)) {
            return None;
        }
        if next.user_agent.is_empty() {
            next.user_agent = self.user_agent.clone();
        }
        (next != *self).then_some(next)
    }
}

/// Text without control characters, at most `max` of them.
fn clean(text: &str, max: usize) -> String {
    text.chars().filter(|c| !c.is_control()).take(max).collect()
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
    /// How the visitor rated it, once asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<crate::rating::Rating>,
    /// The proactive rule whose teaser the visitor answered to open it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proactive: Option<crate::proactive::Started>,
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

impl InboxClientFrame {
    /// Read with the same rules as every other frame and body (`json::read`).
    pub fn decode(text: &str) -> Result<Self, crate::ApiError> {
        let value = crate::json::read(text.as_bytes(), "frame")?;
        crate::json::shape(value, crate::ErrorCode::BadRequest)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_message_updates_the_context_only_where_it_may() {
        let stored = VisitorContext {
            page: "https://shop.example/cart".into(),
            user_agent: "Firefox".into(),
            ..Default::default()
        };
        let at = |page: &str| VisitorContext {
            page: page.into(),
            ..Default::default()
        };
        let moved = stored
            .updated_by(at("https://shop.example/pay#t=1"), false)
            .unwrap();
        assert_eq!(moved.page, "https://shop.example/pay");
        assert_eq!(moved.user_agent, "Firefox", "a socket carries no browser");
        assert_eq!(stored.updated_by(at("https://evil.example/"), false), None);
        assert!(stored
            .updated_by(at("https://blog.shop.example/"), true)
            .is_some());
        assert_eq!(stored.updated_by(at(""), true), None);
        assert_eq!(
            stored.updated_by(at("https://shop.example/cart"), false),
            None,
            "unchanged"
        );
        assert_eq!(
            VisitorContext::default().updated_by(at("https://x.example/"), false),
            None
        );
    }

    #[test]
    fn attributes_are_scalars_as_text_and_bounded() {
        let context: VisitorContext = serde_json::from_str(
            r#"{"page":"https://shop.example/cart","attributes":{"plan":"pro","cart_value":120.5,
                "vip":true,"items":[1,2],"note":null,"x\u0000y":"a\u0007b"}}"#,
        )
        .unwrap();
        let context = context.bounded();
        let got: Vec<(&str, &str)> = context
            .attributes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("cart_value", "120.5"),
                ("plan", "pro"),
                ("vip", "true"),
                ("xy", "ab")
            ]
        );
        let many: BTreeMap<String, String> = (0..50)
            .map(|i| (format!("k{i:02}"), "v".repeat(500)))
            .collect();
        let bounded = VisitorContext {
            attributes: many,
            ..Default::default()
        }
        .bounded();
        assert_eq!(bounded.attributes.len(), VisitorContext::MAX_ATTRIBUTES);
        assert!(bounded
            .attributes
            .values()
            .all(|v| v.chars().count() == 200));
        let without: VisitorContext = serde_json::from_str(r#"{"page":"p"}"#).unwrap();
        assert!(without.attributes.is_empty());
        let with_fragment = VisitorContext {
            page: "https://shop.example/back#access_token=secret".into(),
            ..Default::default()
        };
        assert_eq!(with_fragment.bounded().page, "https://shop.example/back");
    }

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
            rating: None,
            proactive: None,
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
