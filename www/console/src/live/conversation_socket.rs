//! The open conversation's socket, with the visitor-style frames: `hello` with the last
//! `seq` held, then the missed messages, the notes, and everything live.

use confab_protocol::frames::{ClientFrame, ServerFrame};
use confab_protocol::thread::Delivery;
use confab_protocol::{Author, PROTOCOL_VERSION};
use leptos::prelude::*;

use super::conversation::Conversation;
use crate::browser;
use confab_live::LiveSocket;

/// How long "typing…" shows after the last typing frame.
const TYPING_SHOWN_MS: u64 = 6_000;

pub fn connect(conversation: Conversation) {
    let url = format!(
        "{}/api/console/conversations/{}/socket",
        browser::socket_origin(),
        conversation.id()
    );
    let socket = LiveSocket::open(
        url,
        move |socket| {
            let last_seq = conversation.thread.with_untracked(|t| t.last_seq());
            let hello = ClientFrame::Hello {
                v: PROTOCOL_VERSION,
                last_seq,
            };
            socket.send(&serde_json::to_string(&hello).expect("frames serialize"));
            conversation.error.set(None);
            resend_pending(conversation, socket);
        },
        move |text| on_frame(conversation, text),
        // Signed out or removed: the next request says so.
        |socket, code| {
            if code == confab_protocol::frames::CLOSE_SIGNED_OUT {
                socket.close();
            }
        },
    );
    // The page may have been left while the history loaded.
    if conversation
        .socket
        .try_set_value(Some(socket.clone()))
        .is_some()
    {
        socket.close();
    }
}

/// Replies written while the socket was down go now, with their own `client_id`: the edge
/// never stores one twice.
fn resend_pending(conversation: Conversation, socket: &LiveSocket) {
    let pending: Vec<_> = conversation.thread.with_untracked(|t| {
        t.pending()
            .filter(|e| e.author == Author::Agent && e.delivery != Delivery::Failed)
            .map(|e| (e.client_id.clone(), e.body.clone()))
            .collect()
    });
    for (client_id, body) in pending {
        let frame = ClientFrame::Send {
            client_id,
            body,
            context: None,
        };
        socket.send(&serde_json::to_string(&frame).expect("frames serialize"));
    }
}

fn on_frame(conversation: Conversation, text: &str) {
    // `pong` is not JSON.
    let Ok(frame) = serde_json::from_str::<ServerFrame>(text) else {
        return;
    };
    match frame {
        ServerFrame::Welcome { visitor_read, .. } => {
            conversation
                .visitor_read
                .update(|r| *r = (*r).max(visitor_read));
        }
        ServerFrame::Message { message } => {
            if message.author == Author::Visitor {
                conversation.typing.set(None);
            }
            conversation.add_messages(vec![message]);
            conversation.mark_read();
        }
        ServerFrame::Note { note } => conversation.add_note(note),
        ServerFrame::Reached { reached } => conversation.add_reached(reached),
        ServerFrame::Ack { client_id, seq } => {
            if let Some(me) = conversation.console.me_id() {
                conversation.writers.update(|w| {
                    w.insert(seq, me);
                });
            }
            conversation
                .thread
                .update(|t| t.acknowledge(Author::Agent, &client_id, seq, browser::now_ms()));
        }
        ServerFrame::Read { by, seq } => {
            if by == Author::Visitor {
                conversation.visitor_read.update(|r| *r = (*r).max(seq));
            }
        }
        ServerFrame::Typing { by, agent } => {
            let me = conversation.console.me_id();
            let who = match (by, agent) {
                (Author::Visitor, _) => Some("Visitor".to_owned()),
                (Author::Agent, Some(agent)) if Some(&agent) != me.as_ref() => {
                    Some(conversation.console.agent_name(&agent))
                }
                _ => None,
            };
            if let Some(who) = who {
                show_typing(conversation, format!("{who} is typing…"));
            }
        }
        ServerFrame::Error {
            message, client_id, ..
        } => {
            if let Some(client_id) = client_id {
                // A refused reply or note: marked, with a Retry beside it.
                conversation
                    .thread
                    .update(|t| t.set_delivery(Author::Agent, &client_id, Delivery::Failed));
                conversation.note_failed(&client_id);
            }
            conversation.error.set(Some(message));
        }
    }
}

fn show_typing(conversation: Conversation, text: String) {
    conversation.typing.set(Some(text));
    if let Some(timer) = conversation.typing_timer.get_value() {
        browser::cancel(timer);
    }
    let timer = browser::after(TYPING_SHOWN_MS, move || {
        conversation.typing.try_set(None);
    });
    conversation.typing_timer.set_value(Some(timer));
}
