//! The Conversation Durable Object: one per thread, the single writer of its message log.
//!
//! The Worker talks to it with [`Command`]s over HTTP, and hands it WebSocket upgrades.
//! Each command and each frame runs without awaiting between its SQL statements, so it is
//! one atomic step of the object: a message is committed (and given its `seq`) entirely or
//! not at all, and only then acknowledged and pushed to every connected socket.
//!
//! Here: the object's lifecycle. Its parts: `commands` (what each command does), `access`
//! (who may, and how fast), `long_poll`, `sockets`, `log` (the messages in SQLite, with
//! `meta` for the thread's small records and `summary` for what the inbox shows), `notes`,
//! `mail` (the visitor's answers by email), `sync` (the site's inbox kept current), `away`
//! (the away reply the inbox asks for), `rating` (asking how it went, and the answer),
//! `reach` (an absent visitor reached), `wake` (the one alarm they share).

mod access;
mod away;
mod commands;
mod files;
mod log;
mod long_poll;
mod mail;
mod meta;
mod notes;
mod proactive;
mod rating;
mod reach;
mod sockets;
mod summary;
mod sync;
mod wake;

use confab_protocol::frames::ServerFrame;
use confab_protocol::rate::Bucket;
use futures_channel::oneshot;
use std::cell::RefCell;
use std::collections::HashMap;
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, SqlStorage, State, WebSocket,
    WebSocketIncomingMessage,
};

use crate::clients::conversation::Command;
use crate::objects;
use crate::reply;
use log::Log;
use notes::Notes;
use reach::Reach;
use sync::InboxSync;
use wake::Wake;

#[durable_object]
pub struct Conversation {
    state: State,
    log: Log,
    notes: Notes,
    sync: InboxSync,
    reach: Reach,
    wake: Wake,
    /// Per-sender rate limits. In memory: they start full again if the object is evicted,
    /// which only ever lets a sender through, never loses a message.
    buckets: RefCell<HashMap<String, Bucket>>,
    /// Long polls waiting for the next commit.
    waiters: RefCell<Vec<oneshot::Sender<()>>>,
    env: Env,
}

impl DurableObject for Conversation {
    fn new(state: State, env: Env) -> Self {
        let sql: SqlStorage = state.storage().sql();
        objects::answer_pings(&state);
        let wake = Wake::new(&state);
        // Without the secret (a misconfigured deployment) every request is refused anyway.
        let link_secret = crate::auth::secret(&env).unwrap_or_default();
        let log = Log::open(sql.clone(), link_secret).expect("conversation schema");
        Conversation {
            sync: InboxSync::new(log.clone(), env.clone(), wake.clone()),
            log,
            notes: Notes::open(sql).expect("notes schema"),
            reach: Reach::new(env.clone(), wake.clone()),
            wake,
            state,
            buckets: RefCell::new(HashMap::new()),
            waiters: RefCell::new(Vec::new()),
            env,
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        if req.path() == "/socket" {
            return match self.accept_socket(&req).await {
                Ok(response) => Ok(response),
                Err(error) => reply::error(&error),
            };
        }
        objects::serve(req, async |command: Command| {
            if matches!(command, Command::Erase) {
                return self.erase().await;
            }
            self.long_poll(&command).await?;
            self.run(command)
        })
        .await
    }

    /// Retries owed inbox updates (see `sync`) and takes the reach ladder's due steps.
    async fn alarm(&self) -> Result<Response> {
        // The ringing alarm is used up: when an update is still owed, set the next one
        // before syncing, so a runtime that dies during this sync still comes back to it.
        self.wake.rang();
        if self.sync.owed() {
            self.sync.arm_safety_net();
            self.sync.start(&self.state);
        }
        self.post_owed_away_reply().await?;
        self.reach
            .run(&self.log, |reached| {
                sockets::to_agents(&self.state, &ServerFrame::Reached { reached })
            })
            .await?;
        Response::empty()
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> Result<()> {
        self.on_frame(&ws, message)
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        _code: usize,
        _reason: String,
        _clean: bool,
    ) -> Result<()> {
        let _ = ws.close(Some(1000), Some("closing"));
        Ok(())
    }

    async fn websocket_error(&self, _ws: WebSocket, _error: worker::Error) -> Result<()> {
        Ok(())
    }
}

impl Conversation {
    /// The site's data is being deleted: sockets closed, then its files, then every row
    /// and the alarm go. A failure leaves the rows, so a retry finds the files again.
    async fn erase(&self) -> reply::Reply {
        sockets::close_visitors(&self.state);
        sockets::close_all(&self.state);
        let keys = self.log.file_keys().map_err(reply::internal)?;
        crate::files::forget(&self.env, keys).await?;
        objects::erase_storage(&self.state).await?;
        reply::json(200, &serde_json::json!({}))
    }
}
