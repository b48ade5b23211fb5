//! The message log in the object's SQLite database.
//!
//! `seq` is dense: the next one is the largest plus one, taken in the same atomic step as
//! the insert. `(sender, client_id)` is unique: a resend finds the committed row and
//! gets it back, so a message can never be stored twice.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use confab_protocol::console::summary::{Last, Summary};
use confab_protocol::console::VisitorContext;
use confab_protocol::{AgentId, Author, ClientId, ConversationId, Message};
use serde::Deserialize;
use worker::{Date, Result, SqlStorage, SqlStorageValue};

use crate::clients::conversation::Owner;
use crate::files::Stored;

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

/// The log, and what every message needs of it kept in memory once read: the thread's
/// identity and context (`meta.rs`), its summary for the inbox (`summary.rs`, which also
/// knows the last `seq`) and both read markers. Only this type writes what they mirror,
/// so they cannot drift; clones share them.
#[derive(Clone)]
pub struct Log {
    pub(super) sql: SqlStorage,
    pub(super) identity: Rc<RefCell<Option<Identity>>>,
    pub(super) context: Rc<RefCell<Option<VisitorContext>>>,
    pub(super) summary: Rc<RefCell<Option<Summary>>>,
    /// How far the visitor and the agents have read.
    reads: Rc<Cell<Option<(u64, u64)>>>,
    /// Signs the links to the files of the messages it gives out (`files.rs`).
    pub(super) link_secret: Rc<Vec<u8>>,
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
            files: Vec::new(),
            by_email: self.sender == MAIL_SENDER,
            auto: confab_protocol::Auto::of_sender(&self.sender),
        })
    }
}

#[derive(Deserialize)]
struct MaxRow {
    last: Option<f64>,
}

/// Largest integer SQLite values keep exactly on their way through JavaScript.
const MAX_SAFE_SEQ: u64 = (1 << 53) - 1;

const COLUMNS: &str = "seq, sender, client_id, author, body, sent_at";

/// The sender of the visitor's answers by email: client ids of their own (from each
/// mail's Message-ID), apart from the widget's, and no device can send as it.
pub const MAIL_SENDER: &str = "email";

fn agent_of(sender: &str) -> Option<AgentId> {
    sender.strip_prefix("agent:").and_then(AgentId::parse)
}

impl Log {
    pub fn open(sql: SqlStorage, link_secret: Vec<u8>) -> Result<Self> {
        sql.exec(SCHEMA, None)?;
        sql.exec(super::files::SCHEMA, None)?;
        Ok(Log {
            sql,
            identity: Rc::default(),
            context: Rc::default(),
            summary: Rc::default(),
            reads: Rc::default(),
            link_secret: Rc::new(link_secret),
        })
    }

    /// Commits a message with its `files` (checked by `check_files`), or returns the one
    /// already committed under the same client id. The flag says whether this call
    /// committed it.
    pub fn append(
        &self,
        sender: &str,
        client_id: &ClientId,
        author: Author,
        body: &str,
        files: &[Stored],
    ) -> Result<(Message, bool)> {
        let seq = self.last_seq()? + 1;
        let now = Date::now().as_millis() as i64;
        // One statement in the usual case: a resend inserts nothing and is looked up.
        let inserted = self
            .sql
            .exec(
                "INSERT INTO messages (seq, sender, client_id, author, body, sent_at)
                 VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (sender, client_id) DO NOTHING RETURNING seq AS last",
                vec![
                    (seq as i64).into(),
                    sender.into(),
                    client_id.as_str().into(),
                    author.as_str().into(),
                    body.into(),
                    now.into(),
                ],
            )?
            .to_array::<MaxRow>()?;
        if inserted.is_empty() {
            let existing = self.find(sender, client_id)?;
            return Ok((existing.ok_or("a resend's message is missing")?, false));
        }
        self.keep_files(seq, files)?;
        let message = Message {
            seq,
            client_id: client_id.clone(),
            author,
            body: body.to_owned(),
            sent_at: now as u64,
            agent: agent_of(sender),
            files: self.shown(files),
            by_email: sender == MAIL_SENDER,
            auto: confab_protocol::Auto::of_sender(sender),
        };
        // Only a message of files alone needs words of its own in the inbox.
        let preview = body.is_empty().then(|| super::files::preview(files));
        self.summarise(Last {
            seq,
            author,
            body: preview.as_deref().unwrap_or(body),
            sent_at: now as u64,
        });
        Ok((message, true))
    }

    /// The message committed under `client_id` by `sender`, if one is.
    pub fn find(&self, sender: &str, client_id: &ClientId) -> Result<Option<Message>> {
        let rows: Vec<Row> = self
            .sql
            .exec(
                &format!("SELECT {COLUMNS} FROM messages WHERE sender = ? AND client_id = ?"),
                vec![sender.into(), client_id.as_str().into()],
            )?
            .to_array()?;
        let mut found: Vec<Message> = rows
            .into_iter()
            .map(Row::into_message)
            .collect::<Result<_>>()?;
        self.with_files(&mut found)?;
        Ok(found.pop())
    }

    /// The texts of the messages after `seq`, oldest first, at most `limit`.
    pub fn texts_after(&self, seq: u64, limit: u32) -> Result<Vec<(u64, String)>> {
        #[derive(Deserialize)]
        struct Text {
            seq: f64,
            body: String,
        }
        let rows: Vec<Text> = self
            .sql
            .exec(
                "SELECT seq, body FROM messages WHERE seq > ? ORDER BY seq LIMIT ?",
                vec![(seq.min(MAX_SAFE_SEQ) as i64).into(), (limit as i64).into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(|r| (r.seq as u64, r.body)).collect())
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

    /// How far `side` has read (kept once read).
    pub fn read_marker(&self, side: Author) -> Result<u64> {
        let (visitor, agents) = match self.reads.get() {
            Some(reads) => reads,
            None => {
                #[derive(Deserialize)]
                struct Read {
                    side: String,
                    seq: f64,
                }
                let rows: Vec<Read> = self
                    .sql
                    .exec("SELECT side, seq FROM reads", None)?
                    .to_array()?;
                let marker = |side: Author| {
                    rows.iter()
                        .find(|r| r.side == side.as_str())
                        .map_or(0, |r| r.seq as u64)
                };
                let reads = (marker(Author::Visitor), marker(Author::Agent));
                self.reads.set(Some(reads));
                reads
            }
        };
        Ok(if side == Author::Visitor {
            visitor
        } else {
            agents
        })
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
        if let Some((visitor, agents)) = self.reads.get() {
            self.reads.set(Some(if side == Author::Visitor {
                (seq, agents)
            } else {
                (visitor, seq)
            }));
        }
        if side == Author::Agent {
            self.summary_read(seq);
        }
        Ok(Some(seq))
    }

    /// The newest message's `seq`, 0 for none.
    pub fn last_seq(&self) -> Result<u64> {
        self.with_summary(|summary| summary.last_seq)
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
        let mut messages: Vec<Message> = rows
            .into_iter()
            .map(Row::into_message)
            .collect::<Result<_>>()?;
        self.with_files(&mut messages)?;
        Ok(messages)
    }
}
