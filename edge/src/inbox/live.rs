//! The inbox's hibernating WebSockets: every open console gets each changed row, and the
//! team's presence (who has the console open and is not away).

use confab_protocol::console::{InboxClientFrame, InboxFrame, InboxRow, Presence};
use confab_protocol::{AgentId, ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use worker::{Request, Response, State, WebSocket, WebSocketIncomingMessage, WebSocketPair};

use crate::clients::inbox::AGENT_HEADER;
use crate::reply::internal;

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Attachment {
    agent: AgentId,
    away: bool,
}

pub fn accept(state: &State, req: &Request) -> Result<Response, ApiError> {
    let agent = req
        .headers()
        .get(AGENT_HEADER)
        .ok()
        .flatten()
        .and_then(|h| AgentId::parse(&h))
        .ok_or_else(ApiError::signed_out)?;
    let pair = WebSocketPair::new().map_err(internal)?;
    state.accept_websocket_with_tags(&pair.server, &[&crate::auth::agent_key(&agent)]);
    pair.server
        .serialize_attachment(Attachment { agent, away: false })
        .map_err(internal)?;
    Response::from_websocket(pair.client).map_err(internal)
}

/// A console's frame; answers whether it changed the team's presence.
pub fn on_frame(ws: &WebSocket, incoming: WebSocketIncomingMessage) -> bool {
    let WebSocketIncomingMessage::String(text) = incoming else {
        send_error(
            ws,
            ApiError::new(ErrorCode::BadRequest, "frames are JSON text"),
        );
        return false;
    };
    match InboxClientFrame::decode(&text) {
        Ok(InboxClientFrame::Presence { away }) => {
            let Ok(Some(mut attachment)) = ws.deserialize_attachment::<Attachment>() else {
                return false;
            };
            attachment.away = away;
            ws.serialize_attachment(&attachment).is_ok()
        }
        Err(error) => {
            send_error(ws, error);
            false
        }
    }
}

fn send_error(ws: &WebSocket, error: ApiError) {
    let frame = InboxFrame::Error {
        code: error.code,
        message: error.message,
    };
    let _ = ws.send_with_str(serde_json::to_string(&frame).unwrap_or_default());
}

fn send_all(state: &State, frame: &InboxFrame) {
    let sockets = state.get_websockets();
    if sockets.is_empty() {
        return;
    }
    let json = serde_json::to_string(frame).unwrap_or_default();
    for ws in sockets {
        let _ = ws.send_with_str(&json);
    }
}

pub fn broadcast_row(state: &State, row: InboxRow) {
    send_all(
        state,
        &InboxFrame::Conversation {
            conversation: Box::new(row),
        },
    );
}

/// Each agent with a console open, away only if every console they have open is away.
pub fn presence(state: &State, closing: Option<&WebSocket>) -> Vec<Presence> {
    let mut agents: Vec<Presence> = Vec::new();
    for ws in state.get_websockets() {
        if Some(&ws) == closing {
            continue;
        }
        let Ok(Some(a)) = ws.deserialize_attachment::<Attachment>() else {
            continue;
        };
        match agents.iter_mut().find(|p| p.agent == a.agent) {
            Some(p) => p.away &= a.away,
            None => agents.push(Presence {
                agent: a.agent,
                away: a.away,
            }),
        }
    }
    agents
}

/// Tells every console the team's presence, and answers whether an agent is online.
pub fn broadcast_presence(state: &State, closing: Option<&WebSocket>) -> bool {
    let agents = presence(state, closing);
    let online = agents.iter().any(|p| !p.away);
    send_all(state, &InboxFrame::Presence { agents });
    online
}

/// Closes every console socket of `agent` (the presence changes).
pub fn cut_off(state: &State, agent: &AgentId) {
    for ws in state.get_websockets_with_tag(&crate::auth::agent_key(agent)) {
        let _ = ws.close(
            Some(confab_protocol::frames::CLOSE_SIGNED_OUT),
            Some("signed out"),
        );
    }
}

/// Closes every agent's socket: the site is deleted.
pub fn cut_off_all(state: &State) {
    for ws in state.get_websockets() {
        let _ = ws.close(
            Some(confab_protocol::frames::CLOSE_SIGNED_OUT),
            Some("site deleted"),
        );
    }
}
