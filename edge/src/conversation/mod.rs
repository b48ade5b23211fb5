//! The Conversation Durable Object: one per thread, the single writer of its message log.
//!
//! The Worker talks to it with [`Command`]s over HTTP, and hands it WebSocket upgrades.
//! Each command and each frame runs without awaiting between its SQL statements, so it is
//! one atomic step of the object: a message is committed (and given its `seq`) entirely or
//! not at all, and only then acknowledged and pushed to every connected socket.

mod access;
mod log;
mod notes;
mod reach;
mod sockets;
mod sync;
mod wake;

use confab_protocol::console::{NoteResponse, VisitorContext};
use confab_protocol::frames::ServerFrame;
use confab_protocol::limits::MESSAGES_PER_SENDER;
use confab_protocol::rate::Bucket;
use confab_protocol::visitor::ConversationSummary;
use confab_protocol::{
    AgentId, ApiError, Author, ClientId, ConversationId, ErrorCode, HistoryPage, Message,
    SendMessageResponse,
};
use futures_channel::oneshot;
use futures_util::future::select;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;
use worker::{
    durable_object, Date, Delay, DurableObject, Env, Request, Response, Result, SqlStorage, State,
    WebSocket, WebSocketIncomingMessage,
};

use crate::clients::conversation::{Caller, Command, Owner};
use crate::objects;
use crate::reply::{self, internal, Reply};
use access::Access;
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
        Conversation {
            log: Log::open(sql.clone()).expect("conversation schema"),
            notes: Notes::open(sql).expect("notes schema"),
            sync: InboxSync::new(&state, env.clone(), wake.clone()),
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
    fn run(&self, command: Command) -> Reply {
        match command {
            Command::VisitorSends {
                site,
                visitor,
                conversation,
                open,
                client_id,
                body,
                context,
            } => {
                let owner = Owner { site, visitor };
                let context = context.bounded();
                self.check_visitor(&owner, &conversation, open.then_some(&context))?;
                let message = self.commit(&Caller::Visitor(owner), &client_id, &body)?;
                self.visitor_is_at(context, true)?;
                reply::json(
                    201,
                    &SendMessageResponse {
                        conversation_id: conversation,
                        message,
                    },
                )
            }
            Command::AgentNotes {
                agent,
                client_id,
                body,
            } => {
                self.check_exists()?;
                let note = self.add_note(&agent, &client_id, &body)?;
                reply::json(201, &NoteResponse { note })
            }
            Command::AgentReads {
                conversation,
                after,
                before,
                limit,
            } => {
                self.check_exists()?;
                self.page(conversation, after, before, limit)
            }
            Command::CutOff { agent } => {
                sockets::close_agent(&self.state, &agent);
                reply::json(200, &serde_json::json!({}))
            }
            Command::CloseSessions { sessions } => {
                sockets::close_sessions(&self.state, &sessions);
                reply::json(200, &serde_json::json!({}))
            }
            Command::Reown { from, to } => {
                let current = self.log.identity().map_err(internal)?.map(|i| i.owner);
                match current {
                    Some(owner) if owner.visitor == to => {}
                    Some(owner) if owner == from => {
                        self.log.set_visitor(&to).map_err(internal)?;
                        self.sync.changed(&self.state);
                    }
                    // Listed as it opened, but its first message was refused: nothing to move.
                    None => {}
                    Some(_) => return Err(ApiError::conversation_not_found()),
                }
                reply::json(200, &serde_json::json!({}))
            }
            Command::VisitorSummary { owner } => {
                let id = match self.log.identity().map_err(internal)? {
                    Some(identity) if identity.owner == owner => identity.id,
                    _ => return Err(ApiError::conversation_not_found()),
                };
                let summary = ConversationSummary {
                    id,
                    last: self.log.page(None, None, 1).map_err(internal)?.pop(),
                    unread: self.log.unread_for_visitor().map_err(internal)?,
                };
                reply::json(200, &summary)
            }
            Command::AgentSends {
                agent,
                conversation,
                client_id,
                body,
            } => {
                self.check_exists()?;
                let message = self.commit(&Caller::Agent { agent }, &client_id, &body)?;
                reply::json(
                    201,
                    &SendMessageResponse {
                        conversation_id: conversation,
                        message,
                    },
                )
            }
            Command::VisitorMarksRead {
                site,
                visitor,
                conversation,
                seq,
            } => {
                self.check_visitor(&Owner { site, visitor }, &conversation, None)?;
                self.mark_read(Author::Visitor, seq)?;
                let visitor_read = self.log.read_marker(Author::Visitor).map_err(internal)?;
                reply::json(200, &serde_json::json!({ "visitor_read": visitor_read }))
            }
            Command::VisitorReads {
                site,
                visitor,
                conversation,
                after,
                before,
                limit,
                ..
            } => {
                self.check_visitor(&Owner { site, visitor }, &conversation, None)?;
                self.page(conversation, after, before, limit)
            }
        }
    }

    /// `by` has read up to `seq`: stored and shown on every socket; then the inbox's
    /// unread count follows (agents) or the reach ladder stops (the visitor).
    fn mark_read(&self, by: Author, seq: u64) -> Result<(), ApiError> {
        let Some(seq) = self.log.mark_read(by, seq).map_err(internal)? else {
            return Ok(());
        };
        sockets::push(&self.state, &ServerFrame::Read { by, seq }, None);
        if by == Author::Agent {
            self.sync.changed(&self.state);
        } else {
            self.reach.visitor_read(&self.log, seq).map_err(internal)?;
        }
        Ok(())
    }

    fn page(
        &self,
        conversation: ConversationId,
        after: Option<u64>,
        before: Option<u64>,
        limit: u32,
    ) -> Reply {
        let messages = self.log.page(after, before, limit).map_err(internal)?;
        let last_seq = self.log.last_seq().map_err(internal)?;
        reply::json(
            200,
            &HistoryPage {
                conversation_id: conversation,
                messages,
                last_seq,
            },
        )
    }

    /// Stores an internal note and pushes it to agents' sockets only.
    fn add_note(
        &self,
        agent: &AgentId,
        client_id: &ClientId,
        body: &str,
    ) -> Result<confab_protocol::console::Note, ApiError> {
        // The body first: a refused note takes nothing from the agent's allowance.
        let body = confab_protocol::MessageBody::parse(body)?;
        self.within_rate(&Caller::Agent {
            agent: agent.clone(),
        })?;
        let after_seq = self.log.last_seq().map_err(internal)?;
        let (note, new) = self
            .notes
            .add(agent, client_id, body.as_str(), after_seq)
            .map_err(internal)?;
        if new {
            let frame = ServerFrame::Note { note: note.clone() };
            sockets::to_agents(&self.state, &frame);
        }
        Ok(note)
    }

    /// Commits a message and, if it is new, pushes it to every connected socket.
    fn commit(
        &self,
        caller: &Caller,
        client_id: &ClientId,
        body: &str,
    ) -> Result<Message, ApiError> {
        self.within_rate(caller)?;
        let (message, new) = self
            .log
            .append(&caller.sender_key(), client_id, caller.author(), body)
            .map_err(internal)?;
        if new {
            for waiter in self.waiters.borrow_mut().drain(..) {
                let _ = waiter.send(());
            }
            sockets::broadcast(&self.state, &message);
            self.sync.changed(&self.state);
            if message.author == confab_protocol::Author::Agent {
                self.reach.agent_wrote(&self.log).map_err(internal)?;
            }
        }
        Ok(message)
    }

    /// For a long poll with nothing new yet: waits for the next commit or the time limit.
    /// Access is checked first, so a stranger is answered at once.
    async fn long_poll(&self, command: &Command) -> Result<(), ApiError> {
        let Command::VisitorReads {
            site,
            visitor,
            conversation,
            after: Some(after),
            wait,
            ..
        } = command
        else {
            return Ok(());
        };
        if *wait == 0 {
            return Ok(());
        }
        let owner = Owner {
            site: site.clone(),
            visitor: visitor.clone(),
        };
        self.check_visitor(&owner, conversation, None)?;
        if self.log.last_seq().map_err(internal)? > *after {
            return Ok(());
        }
        let (sender, receiver) = oneshot::channel();
        self.waiters.borrow_mut().push(sender);
        let timeout = Delay::from(Duration::from_secs(u64::from(*wait)));
        let _ = select(receiver, timeout).await;
        Ok(())
    }

    fn within_rate(&self, caller: &Caller) -> Result<(), ApiError> {
        let now = Date::now().as_millis() as f64;
        let rate = MESSAGES_PER_SENDER;
        let allowed = self
            .buckets
            .borrow_mut()
            .entry(caller.sender_key())
            .or_insert_with(|| Bucket::new(rate, now))
            .take(rate, now);
        allowed.map_err(|wait_ms| {
            ApiError::new(
                ErrorCode::RateLimited,
                format!("too many messages: try again in {wait_ms} ms"),
            )
        })
    }

    /// Only the visitor who opened a thread reaches it. Someone else's thread and a
    /// thread that does not exist get the same answer. `opening` (with the visitor's
    /// context) opens the thread if it does not exist yet.
    fn check_visitor(
        &self,
        caller: &Owner,
        conversation: &ConversationId,
        opening: Option<&VisitorContext>,
    ) -> Result<(), ApiError> {
        let owner = self.log.identity().map_err(internal)?.map(|i| i.owner);
        match (
            access::visitor_access(owner.as_ref(), caller, opening.is_some()),
            opening,
        ) {
            (Access::Theirs, _) => Ok(()),
            (Access::Opens, Some(context)) => self
                .log
                .set_owner(caller, conversation, context)
                .map_err(internal),
            _ => Err(ApiError::conversation_not_found()),
        }
    }

    /// Agents see where the visitor is now (a single-page app changes route without
    /// reloading) and what the page `set`, as of the visitor's latest message (the rule:
    /// protocol's `VisitorContext::updated_by`).
    pub(crate) fn visitor_is_at(
        &self,
        context: VisitorContext,
        page_checked: bool,
    ) -> Result<(), ApiError> {
        if self
            .log
            .update_context(context, page_checked)
            .map_err(internal)?
        {
            self.sync.changed(&self.state);
        }
        Ok(())
    }

    fn check_exists(&self) -> Result<(), ApiError> {
        match self.log.identity().map_err(internal)? {
            Some(_) => Ok(()),
            None => Err(ApiError::conversation_not_found()),
        }
    }
}
