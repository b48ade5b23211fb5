//! Keeping the site's inbox up to date, reliably and cheaply.
//!
//! Every change to the thread (a message, the agents' read marker) bumps `version` in the
//! same step that makes it. A sync reads the thread's state as of a version, sends it to
//! the inbox, and only then records that version as synced; while one is in flight, later
//! changes wait and go together in the next. A failed call is retried from the object's
//! alarm with growing pauses, and an alarm is also set with each change, so a runtime that
//! dies mid-sync still delivers. The inbox keeps the highest version it has seen, so a
//! repeat is harmless and nothing is counted twice.

use std::cell::Cell;
use std::rc::Rc;

use confab_protocol::backoff;
use confab_protocol::console::VisitorContext;
use confab_protocol::{Author, ConversationId, SiteId, VisitorId};
use serde::Deserialize;
use worker::{console_error, js_sys, Date, Env, Result, SqlStorage, State};

use super::log::MetaRow;
use super::wake::Wake;
use crate::clients::inbox::{self, ConversationUpdate, InboxCommand};

/// The alarm that backs up every change, in case the runtime dies before the sync lands.
const SAFETY_NET_MS: f64 = 10_000.0;

/// How long a sync waits for more changes before it sends: unnoticeable in the inbox, and
/// a busy thread sends one update for many messages.
const COALESCE_MS: u64 = 100;

/// Most message texts carried by one update.
const TEXTS_PER_UPDATE: i64 = 100;

/// How much of the inbox preview a message fills.
pub const PREVIEW_CHARS: usize = 140;

#[derive(Clone)]
pub struct InboxSync {
    sql: SqlStorage,
    wake: Wake,
    env: Env,
    running: Rc<Cell<bool>>,
    failures: Rc<Cell<u32>>,
}

#[derive(Deserialize)]
struct ThreadState {
    last_seq: Option<f64>,
    started_at: Option<f64>,
    unread: f64,
    visitor_last_seq: Option<f64>,
    first_reply_at: Option<f64>,
}

#[derive(Deserialize)]
struct LastMessage {
    author: String,
    body: String,
    sent_at: f64,
}

#[derive(Deserialize)]
struct MessageText {
    seq: f64,
    body: String,
}

impl InboxSync {
    pub fn new(state: &State, env: Env, wake: Wake) -> Self {
        InboxSync {
            sql: state.storage().sql(),
            wake,
            env,
            running: Rc::new(Cell::new(false)),
            failures: Rc::new(Cell::new(0)),
        }
    }

    /// Records a change in the current step and starts a sync after it.
    pub fn changed(&self, state: &State) {
        let bumped = self.sql.exec(
            "INSERT INTO meta (key, value) VALUES ('version', '1')
             ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
            None,
        );
        if let Err(e) = bumped {
            console_error!("inbox version not bumped: {e}");
        }
        self.arm_safety_net();
        self.start(state);
    }

    /// Whether the inbox is missing an update.
    pub fn owed(&self) -> bool {
        matches!(self.pending(), Ok(Some(_)))
    }

    /// Makes sure the alarm rings within `SAFETY_NET_MS`: one alarm covers every change
    /// before it, so a busy thread does not write an alarm per message.
    pub fn arm_safety_net(&self) {
        self.wake.by(Date::now().as_millis() as f64 + SAFETY_NET_MS);
    }

    /// Starts a sync unless one is already running (it will pick up what is new).
    pub fn start(&self, state: &State) {
        if self.running.replace(true) {
            return;
        }
        let sync = self.clone();
        state.wait_until(async move {
            sync.run().await;
            sync.running.set(false);
        });
    }

    async fn run(&self) {
        // A short pause first lets a burst of messages go to the inbox as one update.
        worker::Delay::from(std::time::Duration::from_millis(COALESCE_MS)).await;
        loop {
            let (update, synced) = match self.pending() {
                Ok(Some(pending)) => pending,
                Ok(None) => return,
                Err(e) => return console_error!("inbox update not built: {e}"),
            };
            let version = update.version;
            let through = update.texts.last().map(|(seq, _)| *seq).unwrap_or(synced);
            let site = update.site.clone();
            let answer = inbox::ask(
                &self.env,
                &site,
                InboxCommand::Update {
                    update: Box::new(update),
                },
            )
            .await;
            match answer {
                Ok(response) if response.status_code() < 400 => {
                    self.failures.set(0);
                    let _ = self.set_meta("synced_version", version);
                    let _ = self.set_meta("synced_seq", through);
                }
                _ => {
                    let attempt = self.failures.get();
                    self.failures.set(attempt + 1);
                    let wait = backoff::delay_ms(attempt, js_sys::Math::random()) as f64;
                    console_error!("inbox update failed, retrying in {wait} ms");
                    self.wake.by(Date::now().as_millis() as f64 + wait);
                    return;
                }
            }
        }
    }

    fn meta(&self) -> Result<Vec<MetaRow>> {
        self.sql
            .exec(
                "SELECT key, value FROM meta WHERE key IN ('id', 'site', 'visitor', 'context',
                 'version', 'synced_version', 'synced_seq')",
                None,
            )?
            .to_array()
    }

    fn set_meta(&self, key: &str, value: u64) -> Result<()> {
        super::log::write_meta(&self.sql, key, &value.to_string())
    }

    /// The update still owed to the inbox, with the last text seq it already has; `None`
    /// when the inbox is up to date (or the thread is not opened yet).
    fn pending(&self) -> Result<Option<(ConversationUpdate, u64)>> {
        let meta = self.meta()?;
        let get = |k: &str| meta.iter().find(|m| m.key == k).map(|m| m.value.as_str());
        let number = |k: &str| get(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        let (Some(id), Some(site), Some(visitor)) = (
            get("id").and_then(ConversationId::parse),
            get("site").and_then(SiteId::parse),
            get("visitor").and_then(VisitorId::parse),
        ) else {
            return Ok(None);
        };
        let (version, synced_version, synced_seq) = (
            number("version"),
            number("synced_version"),
            number("synced_seq"),
        );
        let facts: ThreadState = self
            .sql
            .exec(
                "SELECT (SELECT MAX(seq) FROM messages) AS last_seq,
                    (SELECT sent_at FROM messages WHERE seq = 1) AS started_at,
                    (SELECT COUNT(*) FROM messages WHERE author = 'visitor' AND seq >
                        COALESCE((SELECT seq FROM reads WHERE side = 'agent'), 0)) AS unread,
                    (SELECT MAX(seq) FROM messages WHERE author = 'visitor') AS visitor_last_seq,
                    (SELECT MIN(sent_at) FROM messages WHERE author = 'agent') AS first_reply_at",
                None,
            )?
            .one()?;
        let last_seq = facts.last_seq.unwrap_or(0.0) as u64;
        if version <= synced_version && synced_seq >= last_seq {
            return Ok(None);
        }
        let Some(last) = self
            .sql
            .exec(
                "SELECT author, body, sent_at FROM messages ORDER BY seq DESC LIMIT 1",
                None,
            )?
            .to_array::<LastMessage>()?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let texts: Vec<MessageText> = self
            .sql
            .exec(
                "SELECT seq, body FROM messages WHERE seq > ? ORDER BY seq LIMIT ?",
                vec![(synced_seq as i64).into(), TEXTS_PER_UPDATE.into()],
            )?
            .to_array()?;
        let update = ConversationUpdate {
            conversation: id,
            site,
            visitor,
            version,
            last_seq,
            last_author: Author::parse(&last.author).unwrap_or(Author::System),
            preview: last.body.chars().take(PREVIEW_CHARS).collect(),
            updated_at: last.sent_at as u64,
            started_at: facts.started_at.unwrap_or(last.sent_at) as u64,
            unread: facts.unread as u64,
            visitor_last_seq: facts.visitor_last_seq.unwrap_or(0.0) as u64,
            first_reply_at: facts.first_reply_at.map(|t| t as u64),
            context: get("context")
                .and_then(|c| serde_json::from_str::<VisitorContext>(c).ok())
                .unwrap_or_default(),
            texts: texts.into_iter().map(|t| (t.seq as u64, t.body)).collect(),
        };
        Ok(Some((update, synced_seq)))
    }
}
