//! The conversation open in the console: its messages (a protocol `Thread`, so each shows
//! once however it arrives), who on the team wrote each, the internal notes, how far the
//! visitor has read and who is typing.

use std::collections::HashMap;

use confab_protocol::attachments::Attachment;
use confab_protocol::console::Note;
use confab_protocol::frames::ClientFrame;
use confab_protocol::reach::Reached;
use confab_protocol::thread::{Delivery, Thread};
use confab_protocol::{
    AgentId, Author, ClientId, ConversationId, Message, SendMessageRequest, PROTOCOL_VERSION,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::browser;
use crate::state::Console;
use confab_live::LiveSocket;

/// Messages per page of history.
pub const PAGE: u32 = 50;
/// Least time between two typing frames.
const TYPING_EVERY_MS: u64 = 3_000;

/// A note written here that the server has not confirmed yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingNote {
    pub client_id: ClientId,
    pub body: String,
    pub failed: bool,
}

#[derive(Clone, Copy)]
pub struct Conversation {
    pub console: Console,
    pub id: StoredValue<ConversationId>,
    pub thread: RwSignal<Thread>,
    /// Which agent wrote each team message, by `seq`.
    pub writers: RwSignal<HashMap<u64, AgentId>>,
    pub notes: RwSignal<Vec<Note>>,
    /// When the visitor, away, was reached by push or email.
    pub reached: RwSignal<Vec<Reached>>,
    pub pending_notes: RwSignal<Vec<PendingNote>>,
    pub visitor_read: RwSignal<u64>,
    /// "Visitor is typing…" or "Ann is typing…", for a few seconds.
    pub typing: RwSignal<Option<String>>,
    pub has_earlier: RwSignal<bool>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    pub(crate) typing_timer: StoredValue<Option<i32>>,
    pub(crate) read_sent: StoredValue<u64>,
    pub(crate) typing_sent: StoredValue<u64>,
    pub(crate) socket: StoredValue<Option<LiveSocket>, LocalStorage>,
}

impl Conversation {
    pub fn new(console: Console, id: ConversationId) -> Self {
        Conversation {
            console,
            id: StoredValue::new(id),
            thread: RwSignal::new(Thread::default()),
            writers: RwSignal::new(HashMap::new()),
            notes: RwSignal::new(Vec::new()),
            reached: RwSignal::new(Vec::new()),
            pending_notes: RwSignal::new(Vec::new()),
            visitor_read: RwSignal::new(0),
            typing: RwSignal::new(None),
            has_earlier: RwSignal::new(false),
            loading: RwSignal::new(true),
            error: RwSignal::new(None),
            typing_timer: StoredValue::new(None),
            read_sent: StoredValue::new(0),
            typing_sent: StoredValue::new(0),
            socket: StoredValue::new_local(None),
        }
    }

    pub fn id(self) -> ConversationId {
        self.id.get_value()
    }

    /// The newest page over HTTP, then the socket for the rest and what comes next.
    pub fn start(self) {
        let id = self.id();
        spawn_local(async move {
            let answer = api::history(&id, None, PAGE).await;
            // The agent may have switched conversations meanwhile: this one is gone.
            if self.thread.is_disposed() {
                return;
            }
            match answer {
                Ok(page) => {
                    self.add_messages(page.messages);
                    let first = self.thread.with_untracked(|t| t.first_seq());
                    self.has_earlier.set(first.is_some_and(|s| s > 1));
                }
                Err(failure) => self.error.set(Some(self.console.failed(&failure))),
            }
            self.loading.set(false);
            super::conversation_socket::connect(self);
        });
    }

    pub fn stop(self) {
        if let Some(socket) = self.socket.try_update_value(|s| s.take()).flatten() {
            socket.close();
        }
    }

    pub fn load_earlier(self) {
        let Some(first) = self.thread.with_untracked(|t| t.first_seq()) else {
            return;
        };
        let id = self.id();
        spawn_local(async move {
            let answer = api::history(&id, Some(first), PAGE).await;
            if self.thread.is_disposed() {
                return;
            }
            match answer {
                Ok(page) => {
                    let got = page.messages.len();
                    self.add_messages(page.messages);
                    let first = self.thread.with_untracked(|t| t.first_seq());
                    self.has_earlier
                        .set(got > 0 && first.is_some_and(|s| s > 1));
                }
                Err(failure) => self.error.set(Some(self.console.failed(&failure))),
            }
        });
    }

    pub fn add_messages(self, messages: Vec<Message>) {
        self.writers.update(|w| {
            for m in &messages {
                if let Some(agent) = &m.agent {
                    w.insert(m.seq, agent.clone());
                }
            }
        });
        self.thread
            .update(|t| messages.into_iter().for_each(|m| t.commit(m)));
    }

    pub fn add_note(self, note: Note) {
        self.pending_notes
            .update(|p| p.retain(|n| n.client_id != note.client_id));
        self.notes.update(|notes| {
            if !notes.iter().any(|n| n.id == note.id) {
                notes.push(note);
            }
        });
    }

    /// A reach record, once however often the socket says hello again.
    pub fn add_reached(self, record: Reached) {
        self.reached.update(|records| {
            if !records.contains(&record) {
                records.push(record);
            }
        });
    }

    /// A reply to the visitor, with files uploaded already: over the socket when it is up
    /// and carries text only, else over HTTP.
    pub fn send_reply(self, body: String, files: Vec<Attachment>) {
        let client_id = browser::client_id();
        self.thread.update(|t| {
            t.add_pending(
                client_id.clone(),
                Author::Agent,
                body.clone(),
                files.clone(),
            )
        });
        self.deliver_reply(client_id, body, files);
    }

    /// Sends a reply that was not sent again, under its first client id: the edge stores
    /// it once however many tries reach it.
    pub fn retry_reply(self, client_id: ClientId) {
        let pending = self.thread.with_untracked(|t| {
            t.pending()
                .find(|e| e.author == Author::Agent && e.client_id == client_id)
                .map(|e| (e.body.clone(), e.files.clone()))
        });
        let Some((body, files)) = pending else {
            return;
        };
        self.thread
            .update(|t| t.set_delivery(Author::Agent, &client_id, Delivery::Sending));
        self.deliver_reply(client_id, body, files);
    }

    fn deliver_reply(self, client_id: ClientId, body: String, files: Vec<Attachment>) {
        let frame = ClientFrame::Send {
            client_id: client_id.clone(),
            body: body.clone(),
            context: None,
        };
        if files.is_empty() && self.send_frame(&frame) {
            return;
        }
        spawn_local(async move {
            let request = SendMessageRequest {
                v: PROTOCOL_VERSION,
                client_id: client_id.clone(),
                body,
                context: None,
                files: files.into_iter().map(|f| f.id).collect(),
                proactive: None,
            };
            match api::send_reply(&self.id(), &request).await {
                Ok(sent) => self.add_messages(vec![sent.message]),
                Err(failure) => {
                    self.error.set(Some(self.console.failed(&failure)));
                    self.thread
                        .update(|t| t.set_delivery(Author::Agent, &client_id, Delivery::Failed));
                }
            }
        });
    }

    /// An internal note: only the team sees it. Over the socket when it is up (the edge
    /// answers with the `note` frame), else over HTTP.
    pub fn send_note(self, body: String) {
        let client_id = browser::client_id();
        self.pending_notes.update(|p| {
            p.push(PendingNote {
                client_id: client_id.clone(),
                body: body.clone(),
                failed: false,
            })
        });
        self.deliver_note(client_id, body);
    }

    /// Saves a note that was not saved again, under its first client id.
    pub fn retry_note(self, client_id: ClientId) {
        let mut body = None;
        self.pending_notes.update(|p| {
            for note in p.iter_mut().filter(|n| n.client_id == client_id) {
                note.failed = false;
                body = Some(note.body.clone());
            }
        });
        if let Some(body) = body {
            self.deliver_note(client_id, body);
        }
    }

    fn deliver_note(self, client_id: ClientId, body: String) {
        let frame = ClientFrame::Note {
            client_id: client_id.clone(),
            body: body.clone(),
        };
        if self.send_frame(&frame) {
            return;
        }
        spawn_local(async move {
            let request = SendMessageRequest {
                v: PROTOCOL_VERSION,
                client_id: client_id.clone(),
                body,
                context: None,
                files: Vec::new(),
                proactive: None,
            };
            match api::send_note(&self.id(), &request).await {
                Ok(answer) => self.add_note(answer.note),
                Err(failure) => {
                    self.error.set(Some(self.console.failed(&failure)));
                    self.note_failed(&client_id);
                }
            }
        });
    }

    pub fn note_failed(self, client_id: &ClientId) {
        self.pending_notes.update(|p| {
            p.iter_mut()
                .filter(|n| &n.client_id == client_id)
                .for_each(|n| n.failed = true)
        });
    }

    /// Tells the visitor the team has read everything shown, when the tab is visible.
    pub fn mark_read(self) {
        let last = self.thread.with_untracked(|t| t.last_seq());
        if last == 0 || last <= self.read_sent.get_value() || browser::page_hidden() {
            return;
        }
        if self.send_frame(&ClientFrame::Read { seq: last }) {
            self.read_sent.set_value(last);
        }
    }

    /// The agent is typing a reply (notes are not shown to the visitor).
    pub fn typing(self) {
        let now = browser::now_ms();
        if now.saturating_sub(self.typing_sent.get_value()) >= TYPING_EVERY_MS
            && self.send_frame(&ClientFrame::Typing)
        {
            self.typing_sent.set_value(now);
        }
    }

    pub(crate) fn send_frame(self, frame: &ClientFrame) -> bool {
        let text = serde_json::to_string(frame).expect("frames serialize");
        self.socket
            .with_value(|s| s.as_ref().is_some_and(|socket| socket.send(&text)))
    }
}
