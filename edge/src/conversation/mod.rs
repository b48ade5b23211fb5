//! The Conversation Durable Object: one per thread, the single writer of its message log.
//!
//! The Worker talks to it with [`Command`]s. Each command runs without awaiting between
//! its SQL statements, so it is one atomic step of the object: a message is committed
//! (and given its `seq`) entirely or not at all, and only then acknowledged.

mod log;

use confab_protocol::{
    ApiError, Author, ClientId, ConversationId, ErrorCode, HistoryPage, SendMessageResponse,
    SiteId, VisitorId,
};
use serde::{Deserialize, Serialize};
use worker::{
    durable_object, DurableObject, Env, Method, Request, RequestInit, Response, Result, SqlStorage,
    State,
};

use crate::reply::{self, internal, Reply};
use log::{Log, Owner};

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
    },
}

/// Sends `command` to the object of conversation `id` and returns its answer as is.
pub async fn ask(env: &Env, id: &ConversationId, command: &Command) -> Reply {
    let stub = env
        .durable_object("CONVERSATION")
        .and_then(|ns| ns.get_by_name(id.as_str()))
        .map_err(internal)?;
    let body = serde_json::to_string(command).map_err(|e| internal(e.into()))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(body.into()));
    let request =
        Request::new_with_init("https://conversation/command", &init).map_err(internal)?;
    stub.fetch_with_request(request).await.map_err(internal)
}

#[durable_object]
pub struct Conversation {
    log: Log,
}

impl DurableObject for Conversation {
    fn new(state: State, _env: Env) -> Self {
        let sql: SqlStorage = state.storage().sql();
        Conversation {
            log: Log::open(sql).expect("conversation schema"),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let command: Command = match req.json().await {
            Ok(command) => command,
            Err(e) => {
                return reply::error(&ApiError::new(
                    ErrorCode::Internal,
                    format!("unreadable command: {e}"),
                ))
            }
        };
        match self.run(command) {
            Ok(response) => Ok(response),
            Err(error) => reply::error(&error),
        }
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
                self.check_access(&owner, &conversation, open)?;
                let sender = owner.sender_key();
                let message = self
                    .log
                    .append(&sender, &client_id, Author::Visitor, &body)
                    .map_err(internal)?;
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
            } => {
                self.check_access(&Owner { site, visitor }, &conversation, false)?;
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

    /// Only the visitor who opened a thread reaches it. Someone else's thread and a
    /// thread that does not exist get the same answer.
    fn check_access(
        &self,
        caller: &Owner,
        conversation: &ConversationId,
        open: bool,
    ) -> Result<(), ApiError> {
        match self.log.owner().map_err(internal)? {
            Some(owner) if &owner == caller => Ok(()),
            Some(_) => Err(ApiError::conversation_not_found()),
            None if open => self.log.set_owner(caller, conversation).map_err(internal),
            None => Err(ApiError::conversation_not_found()),
        }
    }
}
