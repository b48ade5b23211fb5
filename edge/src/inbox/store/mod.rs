//! The inbox's storage in SQLite: one row per conversation (the `Index` the landing rule
//! writes through, and the lists agents read), the text of every message for search; the
//! site's settings are in `settings`, which agents watch which conversations in `watchers`,
//! what reports are drawn from in `reports`, what away replies were sent in `away`, and
//! the visitors' ratings in `ratings`, proactive rules' counts in `proactive`.

mod away;
mod erase;
mod proactive;
mod ratings;
mod reports;
mod settings;
mod watchers;

use super::index::Index;
use crate::clients::inbox::ConversationUpdate;
use crate::key_value::KeyValue;
use confab_protocol::console::landing::{Held, Landing};
use confab_protocol::console::{InboxRow, Status};
use confab_protocol::{AgentId, Author, ConversationId, SiteId, VisitorId};
use serde::Deserialize;
use std::cell::RefCell;
use worker::{Result, SqlStorage, SqlStorageValue};

pub use reports::Known;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS conversations (
    id               TEXT PRIMARY KEY,
    visitor          TEXT NOT NULL,
    version          INTEGER NOT NULL,
    last_seq         INTEGER NOT NULL,
    last_author      TEXT NOT NULL,
    preview          TEXT NOT NULL,
    updated_at       INTEGER NOT NULL,
    started_at       INTEGER NOT NULL,
    unread           INTEGER NOT NULL,
    visitor_last_seq INTEGER NOT NULL,
    first_reply_at   INTEGER,
    status           TEXT NOT NULL,
    snoozed_until    INTEGER,
    assignee         TEXT,
    context          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_time ON conversations (updated_at);
CREATE INDEX IF NOT EXISTS conversations_by_visitor ON conversations (visitor);
CREATE TABLE IF NOT EXISTS texts (
    conversation TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (conversation, seq)
);
CREATE TABLE IF NOT EXISTS watchers (
    agent        TEXT NOT NULL,
    conversation TEXT NOT NULL,
    PRIMARY KEY (agent, conversation)
);";

#[derive(Deserialize)]
struct Row {
    id: String,
    visitor: String,
    last_seq: f64,
    last_author: String,
    preview: String,
    updated_at: f64,
    started_at: f64,
    unread: f64,
    status: String,
    snoozed_until: Option<f64>,
    assignee: Option<String>,
    context: String,
    rating: Option<String>,
    proactive: Option<String>,
}

const COLUMNS: &str = "id, visitor, last_seq, last_author, preview, updated_at, started_at, \
                       unread, status, snoozed_until, assignee, context";

impl Row {
    fn into_row(self, site: &SiteId) -> Option<InboxRow> {
        Some(InboxRow {
            conversation_id: ConversationId::parse(&self.id)?,
            site: site.clone(),
            visitor_id: VisitorId::parse(&self.visitor)?,
            last_seq: self.last_seq as u64,
            last_author: Author::parse(&self.last_author)?,
            preview: self.preview,
            updated_at: self.updated_at as u64,
            started_at: self.started_at as u64,
            unread: self.unread as u64,
            status: Status::parse(&self.status)?,
            snoozed_until: self.snoozed_until.map(|t| t as u64),
            assignee: self.assignee.as_deref().and_then(AgentId::parse),
            context: serde_json::from_str(&self.context).unwrap_or_default(),
            rating: self.rating.and_then(|r| serde_json::from_str(&r).ok()),
            proactive: self.proactive.and_then(|p| serde_json::from_str(&p).ok()),
        })
    }
}

/// Most rows a list looks at before filtering by view.
const SCAN_LIMIT: i64 = 2_000;

pub struct Store {
    sql: SqlStorage,
    settings: KeyValue,
    /// The object's site, named by every request (an object does not know its own name).
    site: RefCell<Option<SiteId>>,
}

/// Every table, as a new inbox has them.
fn create_tables(sql: &SqlStorage) -> Result<()> {
    for schema in [
        SCHEMA,
        reports::SCHEMA,
        away::SCHEMA,
        ratings::SCHEMA,
        proactive::SCHEMA,
    ] {
        sql.exec(schema, None)?;
    }
    Ok(())
}

pub(super) fn opt_int(v: Option<u64>) -> SqlStorageValue {
    v.map(|v| v as i64).into()
}

impl Store {
    pub fn open(sql: SqlStorage) -> Result<Self> {
        create_tables(&sql)?;
        let store = Store {
            settings: KeyValue::open(sql.clone(), "settings")?,
            sql,
            site: RefCell::new(None),
        };
        // Kept in storage for the alarm, which arrives with no request to name the site.
        let site = store.settings.get("site")?.and_then(|s| SiteId::parse(&s));
        *store.site.borrow_mut() = site;
        Ok(store)
    }

    fn rows(&self, clause: &str, args: Vec<SqlStorageValue>) -> Result<Vec<InboxRow>> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                &format!(
                    "SELECT {COLUMNS}, ratings.rating AS rating,
                        proactive_starts.started AS proactive FROM conversations
                     LEFT JOIN ratings ON ratings.conversation = conversations.id
                     LEFT JOIN proactive_starts
                        ON proactive_starts.conversation = conversations.id {clause}"
                ),
                args,
            )?
            .to_array()?;
        let Some(site) = self.site.borrow().clone() else {
            return Ok(Vec::new());
        };
        Ok(rows.into_iter().filter_map(|r| r.into_row(&site)).collect())
    }

    pub fn get(&self, id: &ConversationId) -> Result<Option<InboxRow>> {
        Ok(self
            .rows("WHERE id = ?", vec![id.as_str().into()])?
            .into_iter()
            .next())
    }

    /// The newest conversations, resolved ones or the others, those whose messages contain
    /// `search` when given. The view's finer rule (`View::shows`) is applied by the caller,
    /// so it lives once, shared with the console.
    pub fn newest(&self, resolved: bool, search: Option<&str>) -> Result<Vec<InboxRow>> {
        let status = if resolved {
            "status = 'resolved'"
        } else {
            "status != 'resolved'"
        };
        match search {
            None => self.rows(
                &format!("WHERE {status} ORDER BY updated_at DESC LIMIT ?"),
                vec![SCAN_LIMIT.into()],
            ),
            Some(text) => {
                let escaped = text
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                self.rows(
                    &format!(
                        "WHERE {status} AND id IN
                         (SELECT conversation FROM texts WHERE body LIKE ? ESCAPE '\\')
                         ORDER BY updated_at DESC LIMIT ?"
                    ),
                    vec![format!("%{escaped}%").into(), SCAN_LIMIT.into()],
                )
            }
        }
    }

    pub fn of_visitor(&self, visitor: &VisitorId) -> Result<Vec<InboxRow>> {
        self.rows(
            "WHERE visitor = ? ORDER BY updated_at DESC LIMIT 20",
            vec![visitor.as_str().into()],
        )
    }

    pub fn set_assignee(&self, id: &ConversationId, assignee: Option<&AgentId>) -> Result<()> {
        self.sql.exec(
            "UPDATE conversations SET assignee = ? WHERE id = ?",
            vec![
                assignee.map(|a| a.as_str().to_owned()).into(),
                id.as_str().into(),
            ],
        )?;
        Ok(())
    }

    pub fn set_status(
        &self,
        id: &ConversationId,
        status: Status,
        until: Option<u64>,
    ) -> Result<()> {
        self.sql.exec(
            "UPDATE conversations SET status = ?, snoozed_until = ? WHERE id = ?",
            vec![status.as_str().into(), opt_int(until), id.as_str().into()],
        )?;
        Ok(())
    }

    /// Opens the snoozed conversations whose time has come; returns their ids.
    pub fn wake(&self, now: u64) -> Result<Vec<ConversationId>> {
        self.ids(
            "UPDATE conversations SET status = 'open', snoozed_until = NULL
             WHERE status = 'snoozed' AND snoozed_until <= ? RETURNING id",
            vec![(now as i64).into()],
        )
    }

    /// The next time a snoozed conversation wakes.
    pub fn next_wake(&self) -> Result<Option<u64>> {
        #[derive(Deserialize)]
        struct WakeRow {
            at: Option<f64>,
        }
        let rows: Vec<WakeRow> = self
            .sql
            .exec(
                "SELECT MIN(snoozed_until) AS at FROM conversations WHERE status = 'snoozed'",
                None,
            )?
            .to_array()?;
        Ok(rows.first().and_then(|r| r.at).map(|t| t as u64))
    }

    /// Seconds to the first agent reply, over the most recent conversations that had one.
    pub fn recent_first_replies(&self) -> Result<Vec<u64>> {
        #[derive(Deserialize)]
        struct Wait {
            wait: f64,
        }
        let rows: Vec<Wait> = self
            .sql
            .exec(
                "SELECT (first_reply_at - started_at) AS wait FROM conversations
                 WHERE first_reply_at IS NOT NULL ORDER BY started_at DESC LIMIT 50",
                None,
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| (r.wait.max(0.0) / 1000.0) as u64)
            .collect())
    }

    /// Hands back every conversation assigned to `agent`; returns their ids.
    pub fn unassign_all(&self, agent: &AgentId) -> Result<Vec<ConversationId>> {
        self.ids(
            "UPDATE conversations SET assignee = NULL WHERE assignee = ? RETURNING id",
            vec![agent.as_str().into()],
        )
    }

    pub(super) fn ids(
        &self,
        query: &str,
        args: Vec<SqlStorageValue>,
    ) -> Result<Vec<ConversationId>> {
        #[derive(Deserialize)]
        struct Id {
            id: String,
        }
        let rows: Vec<Id> = self.sql.exec(query, args)?.to_array()?;
        Ok(rows
            .into_iter()
            .filter_map(|r| ConversationId::parse(&r.id))
            .collect())
    }
}

impl Index for Store {
    type Error = worker::Error;

    fn held(&self, id: &ConversationId) -> Result<Option<(Held, Option<AgentId>)>> {
        #[derive(Deserialize)]
        struct HeldRow {
            version: f64,
            visitor_last_seq: f64,
            status: String,
            snoozed_until: Option<f64>,
            assignee: Option<String>,
        }
        let rows: Vec<HeldRow> = self
            .sql
            .exec(
                "SELECT version, visitor_last_seq, status, snoozed_until, assignee
                 FROM conversations WHERE id = ?",
                vec![id.as_str().into()],
            )?
            .to_array()?;
        Ok(rows.first().map(|r| {
            let held = Held {
                version: r.version as u64,
                visitor_last_seq: r.visitor_last_seq as u64,
                status: Status::parse(&r.status).unwrap_or(Status::Open),
                snoozed_until: r.snoozed_until.map(|s| s as u64),
            };
            (held, r.assignee.as_deref().and_then(AgentId::parse))
        }))
    }

    fn add_texts(&self, id: &ConversationId, texts: &[(u64, String)]) -> Result<()> {
        for (seq, body) in texts {
            self.sql.exec(
                "INSERT OR IGNORE INTO texts (conversation, seq, body) VALUES (?, ?, ?)",
                vec![
                    id.as_str().into(),
                    (*seq as i64).into(),
                    body.as_str().into(),
                ],
            )?;
        }
        Ok(())
    }

    fn write(&self, u: &ConversationUpdate, landing: Landing) -> Result<()> {
        let context = serde_json::to_string(&u.context).unwrap_or_else(|_| "{}".into());
        self.sql.exec(
            "INSERT INTO conversations (id, visitor, version, last_seq, last_author, preview,
                updated_at, started_at, unread, visitor_last_seq, first_reply_at, status,
                snoozed_until, assignee, context)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
             ON CONFLICT (id) DO UPDATE SET
                version = excluded.version, visitor = excluded.visitor,
                last_seq = excluded.last_seq,
                last_author = excluded.last_author, preview = excluded.preview,
                updated_at = excluded.updated_at, unread = excluded.unread,
                first_reply_at = excluded.first_reply_at, context = excluded.context,
                status = excluded.status, snoozed_until = excluded.snoozed_until,
                visitor_last_seq = excluded.visitor_last_seq",
            vec![
                u.conversation.as_str().into(),
                u.visitor.as_str().into(),
                (u.version as i64).into(),
                (u.last_seq as i64).into(),
                u.last_author.as_str().into(),
                u.preview.as_str().into(),
                (u.updated_at as i64).into(),
                (u.started_at as i64).into(),
                (u.unread as i64).into(),
                (u.visitor_last_seq as i64).into(),
                opt_int(u.first_reply_at),
                landing.status.as_str().into(),
                opt_int(landing.snoozed_until),
                context.into(),
            ],
        )?;
        Ok(())
    }
}
