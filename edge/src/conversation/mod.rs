//! The Conversation Durable Object: one per thread, the single writer of its message log.
//!
//! The Worker talks to it with [`Command`]s over HTTP, and hands it WebSocket upgrades.
//! Each command and each frame runs without awaiting between its SQL statements, so it is
//! one atomic step of the object: a message is committed (and given its `seq`) entirely or
//! not at all, and only then acknowledged and pushed to every connected socket.

mod log;
mod sockets;

use confab_protocol::limits::MESSAGES_PER_SENDER;
use confab_protocol::rate::Bucket;
use confab_protocol::{
    ApiError, ClientId, ConversationId, ConversationSummary, ErrorCode, HistoryPage, Message,
    SendMessageResponse, SiteId, VisitorId,
};
use futures_channel::oneshot;
use futures_util::future::select;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;
use worker::{
    durable_object, Date, Delay, DurableObject, Env, Method, Request, RequestInit, Response,
    Result, SqlStorage, State, WebSocket, WebSocketIncomingMessage,
};

use crate::reply::{self, internal, Reply};
use log::Log;
pub use log::Owner;
pub use sockets::Caller;

/// What the Worker asks of a conversation, on behalf of a caller it has authenticated.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    VisitorSends {
        site: SiteId,
        visitor: VisitorId,
        conversation: ConversationId,
        /// The first message opens the thread; later ones need it to exist.
        open: bool,
        client_id: ClientId,
        body: String,
    },
    VisitorReads {
        site: SiteId,
        visitor: VisitorId,
        conversation: ConversationId,
        after: Option<u64>,
        before: Option<u64>,
        limit: u32,
        /// Long poll: seconds to wait for a message after `after` if there is none yet.
        #[serde(default)]
        wait: u32,
    },
    AgentSends {
        agent: String,
        conversation: ConversationId,
        client_id: ClientId,
        body: String,
    },
}

fn stub(env: &Env, id: &ConversationId) -> std::result::Result<worker::Stub, ApiError> {
    env.durable_object("CONVERSATION")
        .and_then(|ns| ns.get_by_name(id.as_str()))
        .map_err(internal)
}

/// Sends `command` to the object of conversation `id` and returns its answer as is.
pub async fn ask(env: &Env, id: &ConversationId, command: &Command) -> Reply {
    let body = serde_json::to_string(command).map_err(|e| internal(e.into()))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(body.into()));
    let request =
        Request::new_with_init("https://conversation/command", &init).map_err(internal)?;
    stub(env, id)?
        .fetch_with_request(request)
        .await
        .map_err(internal)
}

/// Hands a WebSocket upgrade for conversation `id` to its object, for an authenticated caller.
pub async fn connect(env: &Env, id: &ConversationId, req: &Request, caller: &Caller) -> Reply {
    let headers = req.headers().clone();
    headers
        .set(
            sockets::CALLER_HEADER,
            &serde_json::to_string(caller).map_err(|e| internal(e.into()))?,
        )
        .map_err(internal)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let url = format!("https://conversation/socket?conversation={id}");
    let request = Request::new_with_init(&url, &init).map_err(internal)?;
    stub(env, id)?
        .fetch_with_request(request)
        .await
        .map_err(internal)
}

#[durable_object]
pub struct Conversation {
    state: State,
    log: Log,
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
        sockets::answer_pings(&state);
        Conversation {
            log: Log::open(sql).expect("conversation schema"),
            state,
            buckets: RefCell::new(HashMap::new()),
            waiters: RefCell::new(Vec::new()),
            env,
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        if req.path() == "/socket" {
            return match self.accept_socket(&req) {
                Ok(response) => Ok(response),
                Err(error) => reply::error(&error),
            };
        }
        let command: Command = match req.json().await {
            Ok(command) => command,
            Err(e) => {
                return reply::error(&ApiError::new(
                    ErrorCode::Internal,
                    format!("unreadable command: {e}"),
                ))
            }
        };
        if let Err(error) = self.long_poll(&command).await {
            return reply::error(&error);
        }
        match self.run(command) {
            Ok(response) => Ok(response),
            Err(error) => reply::error(&error),
        }
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
            } => {
                let owner = Owner { site, visitor };
                self.check_visitor(&owner, &conversation, open)?;
                let message = self.commit(&Caller::Visitor(owner), &client_id, &body)?;
                reply::json(
                    201,
                    &SendMessageResponse {
                        conversation_id: conversation,
                        message,
                    },
                )
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
            Command::VisitorReads {
                site,
                visitor,
                conversation,
                after,
                before,
                limit,
                ..
            } => {
                self.check_visitor(&Owner { site, visitor }, &conversation, false)?;
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
        }
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
            self.update_inbox(&message);
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
        self.check_visitor(&owner, conversation, false)?;
        if self.log.last_seq().map_err(internal)? > *after {
            return Ok(());
        }
        let (sender, receiver) = oneshot::channel();
        self.waiters.borrow_mut().push(sender);
        let timeout = Delay::from(Duration::from_secs(u64::from(*wait)));
        let _ = select(receiver, timeout).await;
        Ok(())
    }

    /// Tells the site's inbox, after this step, without holding up the sender's ack.
    fn update_inbox(&self, message: &Message) {
        let Ok(Some(identity)) = self.log.identity() else {
            return;
        };
        let summary = ConversationSummary::of(identity.id, message);
        self.state.wait_until(crate::inbox::record(
            self.env.clone(),
            identity.owner.site,
            summary,
        ));
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
    /// thread that does not exist get the same answer.
    fn check_visitor(
        &self,
        caller: &Owner,
        conversation: &ConversationId,
        open: bool,
    ) -> Result<(), ApiError> {
        match self.log.identity().map_err(internal)?.map(|i| i.owner) {
            Some(owner) if &owner == caller => Ok(()),
            Some(_) => Err(ApiError::conversation_not_found()),
            None if open => self.log.set_owner(caller, conversation).map_err(internal),
            None => Err(ApiError::conversation_not_found()),
        }
    }

    fn check_exists(&self) -> Result<(), ApiError> {
        match self.log.identity().map_err(internal)? {
            Some(_) => Ok(()),
            None => Err(ApiError::conversation_not_found()),
        }
    }
}
