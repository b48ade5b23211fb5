//! The conversation's hibernating WebSockets.
//!
//! Who is on the other end (visitor or agent) is decided by the Worker before the upgrade
//! and kept in the socket's attachment, so it survives the object hibernating. A socket
//! receives pushed messages once it has said `hello` and been sent what it missed.

use confab_protocol::frames::{ClientFrame, ServerFrame};
use confab_protocol::{AgentId, ApiError, Author, ErrorCode, Message, MessageBody};
use serde::{Deserialize, Serialize};
use worker::{
    Request, Response, Result, State, WebSocket, WebSocketIncomingMessage, WebSocketPair,
};

use super::reach::Reach;
use super::Conversation;
use crate::clients::conversation::{Caller, CALLER_HEADER};
use crate::reply::internal;

/// Most history messages sent in one go after `hello`; the client pages for the rest.
const CATCH_UP_LIMIT: u32 = 1000;

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Attachment {
    caller: Caller,
    /// Said hello and caught up: receives pushed messages.
    ready: bool,
}

/// Pushes a newly committed message to every socket that is caught up, but `except`.
pub fn broadcast(state: &State, message: &Message, except: Option<&WebSocket>) {
    let frame = ServerFrame::Message {
        message: message.clone(),
    };
    push(state, &frame, except);
}

/// Pushes a frame to agents' sockets, and never to a visitor's: notes, reach records.
pub fn to_agents(state: &State, frame: &ServerFrame) {
    send_ready(state.get_websockets_with_tag("agent"), frame, None);
}

/// Closes every socket of `agent`.
pub fn close_agent(state: &State, agent: &AgentId) {
    for ws in state.get_websockets_with_tag(&crate::auth::agent_key(agent)) {
        let _ = ws.close(
            Some(confab_protocol::frames::CLOSE_SIGNED_OUT),
            Some("signed out"),
        );
    }
}

/// Closes every visitor's socket with `SITE_REMOVED`: their widgets leave the page.
pub fn close_visitors(state: &State) {
    for ws in state.get_websockets_with_tag("visitor") {
        let _ = ws.close(
            Some(confab_protocol::frames::CLOSE_SITE_REMOVED),
            Some("site removed"),
        );
    }
}

/// Closes every socket: the thread is deleted with its site's data.
pub fn close_all(state: &State) {
    for ws in state.get_websockets() {
        let _ = ws.close(
            Some(confab_protocol::frames::CLOSE_SIGNED_OUT),
            Some("deleted"),
        );
    }
}

/// Closes every socket of the visitor's signed-out device `sessions`.
pub fn close_sessions(state: &State, sessions: &[confab_protocol::SessionId]) {
    for session in sessions {
        for ws in state.get_websockets_with_tag(&session_tag(session)) {
            let _ = ws.close(
                Some(confab_protocol::frames::CLOSE_SIGNED_OUT),
                Some("signed out"),
            );
        }
    }
}

fn session_tag(session: &confab_protocol::SessionId) -> String {
    format!("session:{session}")
}

/// Sends `frame` to every caught-up socket but `except`.
pub fn push(state: &State, frame: &ServerFrame, except: Option<&WebSocket>) {
    send_ready(state.get_websockets(), frame, except);
}

fn send_ready(sockets: Vec<WebSocket>, frame: &ServerFrame, except: Option<&WebSocket>) {
    let json = frame.to_json();
    for ws in sockets {
        if Some(&ws) == except {
            continue;
        }
        if let Ok(Some(attachment)) = ws.deserialize_attachment::<Attachment>() {
            if attachment.ready {
                let _ = ws.send_with_str(&json);
            }
        }
    }
}

fn send(ws: &WebSocket, frame: &ServerFrame) {
    let _ = ws.send_with_str(frame.to_json());
}

impl Conversation {
    pub(super) async fn accept_socket(
        &self,
        req: &Request,
    ) -> std::result::Result<Response, ApiError> {
        let upgrade = req
            .headers()
            .get("Upgrade")
            .ok()
            .flatten()
            .unwrap_or_default();
        if !upgrade.eq_ignore_ascii_case("websocket") {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                "expected a WebSocket upgrade",
            ));
        }
        let caller: Caller = req
            .headers()
            .get(CALLER_HEADER)
            .ok()
            .flatten()
            .and_then(|h| serde_json::from_str(&h).ok())
            .ok_or_else(ApiError::unauthorized)?;
        match &caller {
            Caller::Visitor(owner) => {
                let id = crate::reply::query_param(req, "conversation")
                    .and_then(|v| confab_protocol::ConversationId::parse(&v))
                    .ok_or_else(ApiError::conversation_not_found)?;
                self.check_visitor(owner, &id, None)?;
            }
            Caller::Agent { agent } => {
                self.check_exists()?;
                self.tell_inbox_watching(agent).await?;
            }
        }
        let pair = WebSocketPair::new().map_err(internal)?;
        match &caller {
            Caller::Visitor(_) => {
                let session = crate::reply::query_param(req, "session")
                    .and_then(|v| confab_protocol::SessionId::parse(&v))
                    .ok_or_else(ApiError::unauthorized)?;
                self.state
                    .accept_websocket_with_tags(&pair.server, &["visitor", &session_tag(&session)])
            }
            Caller::Agent { agent } => self.state.accept_websocket_with_tags(
                &pair.server,
                &["agent", &crate::auth::agent_key(agent)],
            ),
        }
        pair.server
            .serialize_attachment(Attachment {
                caller,
                ready: false,
            })
            .map_err(internal)?;
        Response::from_websocket(pair.client).map_err(internal)
    }

    pub(super) fn on_frame(
        &self,
        ws: &WebSocket,
        incoming: WebSocketIncomingMessage,
    ) -> Result<()> {
        let Some(mut attachment) = ws.deserialize_attachment::<Attachment>()? else {
            ws.close(Some(1008), Some("unknown connection"))?;
            return Ok(());
        };
        let WebSocketIncomingMessage::String(text) = incoming else {
            let error = ApiError::new(ErrorCode::BadRequest, "frames are JSON text");
            send(ws, &ServerFrame::error(error, None));
            return Ok(());
        };
        match ClientFrame::decode(&text) {
            Err(error) => send(ws, &ServerFrame::error(error, None)),
            Ok(ClientFrame::Hello { last_seq, .. }) => {
                self.catch_up(ws, last_seq);
                if matches!(attachment.caller, Caller::Agent { .. }) {
                    for note in self.notes.recent().unwrap_or_default() {
                        send(ws, &ServerFrame::Note { note });
                    }
                    for reached in Reach::records(&self.log).unwrap_or_default() {
                        send(ws, &ServerFrame::Reached { reached });
                    }
                }
                attachment.ready = true;
                ws.serialize_attachment(&attachment)?;
            }
            Ok(ClientFrame::Read { seq }) => {
                if let Err(e) = self.mark_read(attachment.caller.author(), seq) {
                    send(ws, &ServerFrame::error(e, None));
                }
            }
            Ok(ClientFrame::Typing) => {
                let by = attachment.caller.author();
                let agent = attachment.caller.agent();
                push(&self.state, &ServerFrame::Typing { by, agent }, Some(ws));
            }
            Ok(ClientFrame::Note { client_id, body }) => {
                let added = match attachment.caller.agent() {
                    Some(agent) => self.add_note(&agent, &client_id, &body),
                    None => Err(ApiError::forbidden("notes are for agents")),
                };
                if let Err(error) = added {
                    send(ws, &ServerFrame::error(error, Some(client_id)));
                }
            }
            Ok(ClientFrame::Send {
                client_id,
                body,
                context,
            }) => {
                let committed = MessageBody::parse(&body).and_then(|body| {
                    self.commit(&attachment.caller, &client_id, body.as_str(), &[], Some(ws))
                });
                if let (Ok(_), Some(context), Caller::Visitor(_)) =
                    (&committed, context, &attachment.caller)
                {
                    if let Err(error) = self.visitor_is_at(context, false) {
                        worker::console_error!(
                            "the visitor's context was not kept: {}",
                            error.message
                        );
                    }
                }
                match committed {
                    Ok(message) => send(
                        ws,
                        &ServerFrame::Ack {
                            client_id,
                            seq: message.seq,
                        },
                    ),
                    Err(error) => send(ws, &ServerFrame::error(error, Some(client_id))),
                }
            }
        }
        Ok(())
    }

    /// Records, in the site's inbox, that `agent` has this conversation open, before the
    /// socket is accepted: removing the agent then finds and closes it.
    async fn tell_inbox_watching(&self, agent: &AgentId) -> std::result::Result<(), ApiError> {
        let identity = self
            .log
            .identity()
            .map_err(internal)?
            .ok_or_else(ApiError::conversation_not_found)?;
        let command = crate::clients::inbox::InboxCommand::Watch {
            agent: agent.clone(),
            conversation: identity.id,
        };
        let _: serde_json::Value =
            crate::clients::inbox::ask_for(&self.env, &identity.owner.site, command).await?;
        Ok(())
    }

    /// `welcome`, then every message after `last_seq`, oldest first.
    fn catch_up(&self, ws: &WebSocket, last_seq: u64) {
        let newest = self.log.last_seq().unwrap_or(0);
        send(
            ws,
            &ServerFrame::Welcome {
                last_seq: newest,
                visitor_read: self.log.read_marker(Author::Visitor).unwrap_or(0),
                agent_read: self.log.read_marker(Author::Agent).unwrap_or(0),
            },
        );
        let from = last_seq.max(newest.saturating_sub(CATCH_UP_LIMIT as u64));
        if let Ok(missed) = self.log.page(Some(from), None, CATCH_UP_LIMIT) {
            for message in missed {
                send(ws, &ServerFrame::Message { message });
            }
        }
    }
}
