//! The message log in the object's SQLite database.
//!
//! `seq` is dense: the next one is the largest plus one, taken in the same atomic step as
//! the insert. `(sender, client_id)` is unique: a resend finds the committed row and
//! gets it back, so a message can never be stored twice.

use confab_protocol::console::VisitorContext;
use confab_protocol::{AgentId, Author, ClientId, ConversationId, Message, SiteId, VisitorId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use worker::{Date, Result, SqlStorage, SqlStorageValue};

use crate::clients::conversation::Owner;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    seq       INTEGER PRIMARY KEY,
    sender    TEXT NOT NULL,
    client_id TEXT NOT NULL,
    author    TEXT NOT NULL,
    body      TEXT NOT NULL,
    sent_at   INTEGER NOT NULL,
    UNIQUE (sender, client_id)
);
CREATE TABLE IF NOT EXISTS reads (
    side TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL
);";

/// A thread's owner and id, fixed when it is opened.
#[derive(Clone, Debug)]
pub struct Identity {
    pub id: ConversationId,
    pub owner: Owner,
}

pub struct Log {
    sql: SqlStorage,
    identity: RefCell<Option<Identity>>,
}

#[derive(Deserialize)]
struct Row {
    seq: f64,
    sender: String,
    client_id: String,
    author: String,
    body: String,
    sent_at: f64,
}

impl Row {
    fn into_message(self) -> Result<Message> {
        Ok(Message {
            seq: self.seq as u64,
            client_id: ClientId::parse(&self.client_id).ok_or("stored client_id is invalid")?,
            author: Author::parse(&self.author).ok_or("stored author is invalid")?,
            body: self.body,
            sent_at: self.sent_at as u64,
            agent: agent_of(&self.sender),
        })
    }
}

/// A row of the thread's `meta` table (identity, context, inbox sync state).
#[derive(Deserialize)]
pub(super) struct MetaRow {
    pub key: String,
    pub value: String,
}

#[derive(Deserialize)]
struct MaxRow {
    last: Option<f64>,
}

/// Largest integer SQLite values keep exactly on their way through JavaScript.
const MAX_SAFE_SEQ: u64 = (1 << 53) - 1;

const COLUMNS: &str = "seq, sender, client_id, author, body, sent_at";

fn agent_of(sender: &str) -> Option<AgentId> {
    sender.strip_prefix("agent:").and_then(AgentId::parse)
}

/// Sets a value of the thread's `meta` table.
pub fn write_meta(sql: &SqlStorage, key: &str, value: &str) -> Result<()> {
    sql.exec(
        "INSERT INTO meta (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        vec![key.into(), value.into()],
    )?;
    Ok(())
}

impl Log {
    pub fn open(sql: SqlStorage) -> Result<Self> {
        sql.exec(SCHEMA, None)?;
        Ok(Log {
            sql,
            identity: RefCell::new(None),
        })
    }

    /// Who the thread belongs to and its id, once it has been opened. Read from storage
    /// once, then kept (and changed only by [`Log::set_visitor`]).
    pub fn identity(&self) -> Result<Option<Identity>> {
        if let Some(identity) = self.identity.borrow().as_ref() {
            return Ok(Some(identity.clone()));
        }
        let rows: Vec<MetaRow> = self
            .sql
            .exec(
                "SELECT key, value FROM meta WHERE key IN ('id', 'site', 'visitor')",
                None,
            )?
            .to_array()?;
        let get = |k: &str| rows.iter().find(|r| r.key == k).map(|r| r.value.clone());
        let identity = match (get("id"), get("site"), get("visitor")) {
            (Some(id), Some(site), Some(visitor)) => Identity {
                id: ConversationId::parse(&id).ok_or("stored id is invalid")?,
                owner: Owner {
                    site: SiteId::parse(&site).ok_or("stored site is invalid")?,
                    visitor: VisitorId::parse(&visitor).ok_or("stored visitor is invalid")?,
                },
            },
            _ => return Ok(None),
        };
        *self.identity.borrow_mut() = Some(identity.clone());
        Ok(Some(identity))
    }

    pub fn set_owner(
        &self,
        owner: &Owner,
        id: &ConversationId,
        context: &VisitorContext,
    ) -> Result<()> {
        let now = Date::now().as_millis() as i64;
        let insert = "INSERT INTO meta (key, value) VALUES (?, ?)";
        self.sql
            .exec(insert, vec!["id".into(), id.as_str().into()])?;
        self.sql
            .exec(insert, vec!["site".into(), owner.site.as_str().into()])?;
        self.sql.exec(
            insert,
            vec!["visitor".into(), owner.visitor.as_str().into()],
        )?;
        self.sql
            .exec(insert, vec!["created_at".into(), now.to_string().into()])?;
        let context = serde_json::to_string(context).unwrap_or_default();
        self.sql
            .exec(insert, vec!["context".into(), context.into()])?;
        *self.identity.borrow_mut() = Some(Identity {
            id: id.clone(),
            owner: owner.clone(),
        });
        Ok(())
    }

    /// Stores the context a visitor's message brings, when it changes what is stored
    /// (`VisitorContext::updated_by`). Says whether it did.
    pub fn update_context(&self, incoming: VisitorContext, page_checked: bool) -> Result<bool> {
        let stored = self
            .meta_json::<VisitorContext>("context")?
            .unwrap_or_default();
        match stored.updated_by(incoming, page_checked) {
            Some(next) => self.set_meta_json("context", &next).map(|()| true),
            None => Ok(false),
        }
    }

    /// Commits a message, or returns the one already committed under the same client id.
    /// The flag says whether this call committed it.
    pub fn append(
        &self,
        sender: &str,
        client_id: &ClientId,
        author: Author,
        body: &str,
    ) -> Result<(Message, bool)> {
        if let Some(existing) = self.find(sender, client_id)? {
            return Ok((existing, false));
        }
        let seq = self.last_seq()? + 1;
        let now = Date::now().as_millis() as i64;
        self.sql.exec(
            "INSERT INTO messages (seq, sender, client_id, author, body, sent_at)
             VALUES (?, ?, ?, ?, ?, ?)",
            vec![
                (seq as i64).into(),
                sender.into(),
                client_id.as_str().into(),
                author.as_str().into(),
                body.into(),
                now.into(),
            ],
        )?;
        let message = Message {
            seq,
            client_id: client_id.clone(),
            author,
            body: body.to_owned(),
            sent_at: now as u64,
            agent: agent_of(sender),
        };
        Ok((message, true))
    }

    fn find(&self, sender: &str, client_id: &ClientId) -> Result<Option<Message>> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                &format!("SELECT {COLUMNS} FROM messages WHERE sender = ? AND client_id = ?"),
                vec![sender.into(), client_id.as_str().into()],
            )?
            .to_array()?;
        rows.into_iter().next().map(Row::into_message).transpose()
    }

    /// Gives the thread to another visitor (an anonymous one who signed in).
    pub fn set_visitor(&self, visitor: &VisitorId) -> Result<()> {
        self.sql.exec(
            "UPDATE meta SET value = ? WHERE key = 'visitor'",
            vec![visitor.as_str().into()],
        )?;
        if let Some(identity) = self.identity.borrow_mut().as_mut() {
            identity.owner.visitor = visitor.clone();
        }
        Ok(())
    }

    /// Agents' messages the visitor has not read yet.
    pub fn unread_for_visitor(&self) -> Result<u64> {
        self.number(
            "SELECT COUNT(*) AS last FROM messages WHERE author = 'agent' AND seq >
                    COALESCE((SELECT seq FROM reads WHERE side = 'visitor'), 0)",
            None,
        )
    }

    /// The texts of agents' messages the visitor has not read, oldest first.
    pub fn unread_agent_texts(&self, limit: u32) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Text {
            body: String,
        }
        let rows: Vec<Text> = self
            .sql
            .exec(
                "SELECT body FROM messages WHERE author = 'agent' AND seq >
                    COALESCE((SELECT seq FROM reads WHERE side = 'visitor'), 0)
                 ORDER BY seq LIMIT ?",
                vec![(limit as i64).into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(|r| r.body).collect())
    }

    /// The newest message by `author`, 0 if none.
    pub fn last_seq_by(&self, author: Author) -> Result<u64> {
        self.number(
            "SELECT MAX(seq) AS last FROM messages WHERE author = ?",
            Some(vec![author.as_str().into()]),
        )
    }

    /// The one number a query answers as `last`; 0 when it answers none.
    fn number(&self, query: &str, args: Option<Vec<SqlStorageValue>>) -> Result<u64> {
        let rows: Vec<MaxRow> = self.sql.exec(query, args)?.to_array()?;
        Ok(rows.first().and_then(|r| r.last).unwrap_or(0.0) as u64)
    }

    /// A value of the thread's `meta` table (where it keeps small records).
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        let rows: Vec<MetaRow> = self
            .sql
            .exec(
                "SELECT key, value FROM meta WHERE key = ?",
                vec![key.into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().next().map(|r| r.value))
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        write_meta(&self.sql, key, value)
    }

    /// A record kept as JSON in `meta`; none when missing or unreadable.
    pub fn meta_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        Ok(self.meta(key)?.and_then(|v| serde_json::from_str(&v).ok()))
    }

    pub fn set_meta_json<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        self.set_meta(key, &serde_json::to_string(value)?)
    }

    /// How far `side` ("visitor" or "agent") has read.
    pub fn read_marker(&self, side: Author) -> Result<u64> {
        self.number(
            "SELECT seq AS last FROM reads WHERE side = ?",
            Some(vec![side.as_str().into()]),
        )
    }

    /// Moves `side`'s read marker forward to `seq` (never back, never past the end).
    /// Returns the marker if it moved.
    pub fn mark_read(&self, side: Author, seq: u64) -> Result<Option<u64>> {
        let seq = seq.min(self.last_seq()?);
        if seq <= self.read_marker(side)? {
            return Ok(None);
        }
        self.sql.exec(
            "INSERT INTO reads (side, seq) VALUES (?, ?)
             ON CONFLICT (side) DO UPDATE SET seq = excluded.seq",
            vec![side.as_str().into(), (seq as i64).into()],
        )?;
        Ok(Some(seq))
    }

    pub fn last_seq(&self) -> Result<u64> {
        self.number("SELECT MAX(seq) AS last FROM messages", None)
    }

    /// Up to `limit` messages, oldest first: those after `after`, those before `before`,
    /// or, with neither, the newest ones.
    pub fn page(
        &self,
        after: Option<u64>,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<Message>> {
        let limit = limit as i64;
        let rows: Vec<Row> = match (after, before) {
            (Some(after), _) => self
                .sql
                .exec(
                    &format!("SELECT {COLUMNS} FROM messages WHERE seq > ? ORDER BY seq LIMIT ?"),
                    vec![(after.min(MAX_SAFE_SEQ) as i64).into(), limit.into()],
                )?
                .to_array()?,
            (None, before) => self
                .sql
                .exec(
                    &format!(
                        "SELECT * FROM (SELECT {COLUMNS} FROM messages WHERE seq < ?
                         ORDER BY seq DESC LIMIT ?) ORDER BY seq"
                    ),
                    vec![
                        (before.unwrap_or(MAX_SAFE_SEQ).min(MAX_SAFE_SEQ) as i64).into(),
                        limit.into(),
                    ],
                )?
                .to_array()?,
        };
        rows.into_iter().map(Row::into_message).collect()
    }
}
